package dev.sigil.verifier.entity;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An RFC 6962 inclusion proof with the checkpoint (signed note) it commits to. Bundles v0.1 and v0.2 written by
 * early clients may lack the checkpoint.
 */
public record InclusionProof(
    long logIndex, byte[] rootHash, long treeSize, List<byte[]> hashes, Optional<String> checkpoint) {
  public InclusionProof {
    rootHash = rootHash.clone();
    hashes = cloneAll(hashes);
    Objects.requireNonNull(checkpoint, "checkpoint");
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  @Override
  public List<byte[]> hashes() {
    return cloneAll(hashes);
  }

  private static List<byte[]> cloneAll(List<byte[]> arrays) {
    byte[][] out = new byte[arrays.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = arrays.get(i).clone();
    }
    return List.of(out);
  }
}

package dev.sigil.verifier;

import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.DigestAlgorithm;
import dev.sigil.attestations.Statement;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.entity.DsseEnvelope;
import dev.sigil.verifier.entity.MessageSignature;
import dev.sigil.verifier.entity.SignatureContent;
import dev.sigil.verifier.entity.SignedEntity;
import dev.sigil.verifier.internal.crypto.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Hashes a stream with several algorithms in one pass, in constant memory. Uses the JDK's digests, which have CPU
 * intrinsics for SHA-2 and are several times faster than pure-Java implementations on large artifacts.
 */
public final class ArtifactDigests {
  private static final int BUFFER = 64 * 1024;

  private ArtifactDigests() {}

  /**
   * The algorithms an artifact must be hashed with to be compared with what {@code entity} says was signed: for a
   * message signature, the algorithm of its recorded digest; for a DSSE envelope holding an in-toto statement, every
   * SHA-2 algorithm its subjects use (a subject matches only by a digest of the same algorithm). SHA-256 when that
   * gives none. Never empty.
   *
   * <p>This reads the entity <em>unverified</em>, only to choose what to hash: nothing here is a check, and the
   * verifier parses the statement again from the signed bytes. A payload that is not a readable statement gives
   * SHA-256 alone, and the verifier then reports what is wrong with it.
   */
  public static Set<HashAlgorithm> algorithmsFor(SignedEntity entity) {
    EnumSet<HashAlgorithm> out = EnumSet.noneOf(HashAlgorithm.class);
    SignatureContent content = entity.signatureContent();
    if (content instanceof MessageSignature ms) {
      if (ms.messageDigest().isPresent()) {
        out.add(ms.messageDigest().get().algorithm());
      }
    } else if (content instanceof DsseEnvelope env && Verifier.IN_TOTO_PAYLOAD_TYPE.equals(env.payloadType())) {
      try {
        for (DigestAlgorithm a : Statement.parse(env.payload()).subjectAlgorithms()) {
          out.add(of(a));
        }
      } catch (AttestationException e) {
        // Not a statement: the verifier rejects it after checking the signature, with the reason.
      }
    }
    if (out.isEmpty()) {
      out.add(HashAlgorithm.SHA2_256);
    }
    return out;
  }

  /** The verifier's name for an in-toto SHA-2 algorithm. */
  public static HashAlgorithm of(DigestAlgorithm algorithm) {
    return switch (algorithm) {
      case SHA256 -> HashAlgorithm.SHA2_256;
      case SHA384 -> HashAlgorithm.SHA2_384;
      case SHA512 -> HashAlgorithm.SHA2_512;
    };
  }

  /** Reads the stream to its end (without closing it) and returns each requested digest. */
  public static Map<HashAlgorithm, byte[]> digest(InputStream in, Set<HashAlgorithm> algorithms) throws IOException {
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException("at least one digest algorithm is needed");
    }
    // The first Digests.LARGE bytes are read before choosing the digests: a small artifact is hashed with the
    // verifier's own SHA-2 (no JCA start-up in a one-shot run), a large one with the JDK's (faster per byte).
    byte[] head = in.readNBytes(Digests.LARGE);
    boolean large = head.length == Digests.LARGE;
    Map<HashAlgorithm, MessageDigest> mds = new EnumMap<>(HashAlgorithm.class);
    for (HashAlgorithm a : algorithms) {
      mds.put(a, large ? Digests.forLargeInput(a) : Digests.newDigest(a));
    }
    for (MessageDigest md : mds.values()) {
      md.update(head);
    }
    if (large) {
      byte[] buf = new byte[BUFFER];
      int n;
      while ((n = in.read(buf)) > 0) {
        for (MessageDigest md : mds.values()) {
          md.update(buf, 0, n);
        }
      }
    }
    Map<HashAlgorithm, byte[]> out = new EnumMap<>(HashAlgorithm.class);
    for (Map.Entry<HashAlgorithm, MessageDigest> e : mds.entrySet()) {
      out.put(e.getKey(), e.getValue().digest());
    }
    return out;
  }
}

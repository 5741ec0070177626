package dev.sigil.verifier.internal.tlog;

import dev.sigil.verifier.internal.Outcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Test data: real Rekor log entries from sigstore-conformance bundles, and the matching log keys. */
final class Fixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The Rekor v1 production log's name and key (public-good trusted root). */
  static final String REKOR_V1_NAME = "rekor.sigstore.dev";

  /** The Rekor v2 staging log used by the rekor2-* conformance cases. */
  static final String REKOR_V2_ALPHA1_NAME = "log2025-alpha1.rekor.sigstage.dev";

  private Fixtures() {}

  /** The inclusion proof and body of a bundle's first transparency log entry. */
  record Entry(long index, long treeSize, byte[] rootHash, List<byte[]> hashes, String checkpoint, byte[] body) {
    byte[] leafHash() {
      return MerkleTree.leafHash(body);
    }
  }

  static Entry entry(String conformanceCase) {
    JsonNode e =
        read("/tlog/conformance/" + conformanceCase + ".sigstore.json")
            .path("verificationMaterial")
            .path("tlogEntries")
            .get(0);
    JsonNode p = e.path("inclusionProof");
    List<byte[]> hashes = new ArrayList<>();
    for (JsonNode h : p.path("hashes")) {
      hashes.add(b64(h.asText()));
    }
    return new Entry(
        Long.parseLong(p.path("logIndex").asText()),
        Long.parseLong(p.path("treeSize").asText()),
        b64(p.path("rootHash").asText()),
        hashes,
        p.path("checkpoint").path("envelope").asText(),
        b64(e.path("canonicalizedBody").asText()));
  }

  /** The public key of the tlog with {@code baseUrl} in a trusted root resource. */
  static PublicKey tlogKey(String trustedRootResource, String baseUrl) {
    for (JsonNode t : read(trustedRootResource).path("tlogs")) {
      if (t.path("baseUrl").asText().equals(baseUrl)) {
        try {
          return PublicKeys.fromDer(b64(t.path("publicKey").path("rawBytes").asText()));
        } catch (Exception ex) {
          throw new IllegalStateException(ex);
        }
      }
    }
    throw new IllegalArgumentException("no tlog " + baseUrl + " in " + trustedRootResource);
  }

  /** The log ID of the tlog with {@code baseUrl} in a trusted root resource. */
  static byte[] tlogLogId(String trustedRootResource, String baseUrl) {
    for (JsonNode t : read(trustedRootResource).path("tlogs")) {
      if (t.path("baseUrl").asText().equals(baseUrl)) {
        return b64(t.path("logId").path("keyId").asText());
      }
    }
    throw new IllegalArgumentException("no tlog " + baseUrl + " in " + trustedRootResource);
  }

  static PublicKey rekorV1Key() {
    return tlogKey("/trust/public-good-trusted_root.json", "https://rekor.sigstore.dev");
  }

  static PublicKey rekorV2Alpha1Key() {
    return tlogKey("/trust/conformance/rekor2-happy-path.trusted_root.json", "https://log2025-alpha1.rekor.sigstage.dev");
  }

  static JsonNode read(String resource) {
    try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("missing test resource " + resource);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] b64(String s) {
    return Base64.getDecoder().decode(s);
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** A copy of {@code b} with bit 0 of byte {@code i} flipped. */
  static byte[] flip(byte[] b, int i) {
    byte[] c = b.clone();
    c[i] ^= 1;
    return c;
  }

  static <T> T ok(Outcome<T> r) {
    if (!r.isOk()) {
      throw new AssertionError("expected Ok, found Failure: " + r.detail());
    }
    return r.value();
  }

  static String failure(Outcome<?> r) {
    if (r.isOk()) {
      throw new AssertionError("expected Failure, found Ok: " + r.value());
    }
    return r.detail();
  }
}

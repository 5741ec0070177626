package dev.sigil.verifier.internal.tlog;

import dev.sigil.verifier.internal.json.JsonNode;
import dev.sigil.verifier.internal.pem.Pem;
import dev.sigil.verifier.internal.pem.PemException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks that a Rekor entry's canonicalized body records exactly what the bundle carries: the same digest, the same
 * signature(s) and the same key or certificate. Without this check a valid log entry for some other artifact could be
 * stapled onto a bundle.
 *
 * <p>Understood kinds: Rekor v1 {@code hashedrekord 0.0.1}, {@code dsse 0.0.1}, {@code intoto 0.0.2}; Rekor v2
 * {@code hashedrekord 0.0.2} (for DSSE bundles its digest is SHA-256 over the PAE) and {@code dsse 0.0.2}.
 */
public final class RekorBody {
  /** What the bundle claims was logged. */
  public record Expected(
      Kind kind,
      String digestAlgorithm /* sha256, sha384, sha512 */,
      byte[] digest /* artifact digest (message) or SHA-256 of the PAE (DSSE) */,
      byte[] payloadSha256 /* DSSE only, else empty */,
      byte[] signature,
      byte[] verifierDer /* leaf certificate DER, or public key SPKI DER */,
      boolean verifierIsCertificate) {}

  /** What kind of signed content the bundle holds. */
  public enum Kind {
    MESSAGE_SIGNATURE,
    DSSE
  }

  /** Empty when the body matches; otherwise what differs, as one line. */
  public Optional<String> mismatch(String kind, String version, byte[] canonicalizedBody, Expected expected) {
    JsonNode body;
    try {
      body = JsonNode.parse(canonicalizedBody);
    } catch (IOException e) {
      return Optional.of("canonicalized body: expected JSON, found malformed content");
    }
    if (body == null || !body.isObject()) {
      return Optional.of("canonicalized body: expected a JSON object");
    }
    String bodyKind = body.path("kind").asText("");
    String bodyVersion = body.path("apiVersion").asText("");
    if (!bodyKind.equals(kind) || !bodyVersion.equals(version)) {
      return Optional.of(
          "entry kind: expected " + kind + " " + version + " (from kindVersion), found " + bodyKind + " " + bodyVersion
              + " in the body");
    }
    JsonNode spec = body.path("spec");
    String kv = kind + " " + version;
    return switch (kv) {
      case "hashedrekord 0.0.1" -> hashedRekordV001(spec, expected);
      case "dsse 0.0.1" -> dsseV001(spec, expected);
      case "intoto 0.0.2" -> intotoV002(spec, expected);
      case "hashedrekord 0.0.2" -> hashedRekordV002(spec.path("hashedRekordV002"), expected);
      case "dsse 0.0.2" -> dsseV002(spec.path("dsseV002"), expected);
      default -> Optional.of(
          "entry kind: expected hashedrekord 0.0.1/0.0.2, dsse 0.0.1/0.0.2 or intoto 0.0.2, found " + kv);
    };
  }

  private static Optional<String> hashedRekordV001(JsonNode spec, Expected e) {
    if (e.kind() != Kind.MESSAGE_SIGNATURE) {
      return Optional.of("entry kind: expected a dsse or intoto entry for a DSSE bundle, found hashedrekord 0.0.1");
    }
    JsonNode hash = spec.path("data").path("hash");
    String alg = hash.path("algorithm").asText("");
    if (!alg.equals(e.digestAlgorithm())) {
      return Optional.of("logged digest algorithm: expected " + e.digestAlgorithm() + ", found \"" + alg + "\"");
    }
    String hex = hash.path("value").asText("");
    if (!hex.equalsIgnoreCase(HexFormat.of().formatHex(e.digest()))) {
      return Optional.of(
          "logged artifact digest: expected " + HexFormat.of().formatHex(e.digest()) + ", found " + hex);
    }
    Optional<String> sig = sameBytes("logged signature", spec.path("signature").path("content"), e.signature(), false);
    if (sig.isPresent()) {
      return sig;
    }
    return samePem("logged public key", spec.path("signature").path("publicKey").path("content"), e);
  }

  private static Optional<String> dsseV001(JsonNode spec, Expected e) {
    if (e.kind() != Kind.DSSE) {
      return Optional.of("entry kind: expected hashedrekord for a message signature, found dsse 0.0.1");
    }
    Optional<String> ph = sameHex("logged payload hash", spec.path("payloadHash"), e.payloadSha256());
    if (ph.isPresent()) {
      return ph;
    }
    JsonNode sigs = spec.path("signatures");
    if (!sigs.isArray() || sigs.size() != 1) {
      return Optional.of("logged signatures: expected exactly 1, found " + (sigs.isArray() ? sigs.size() : 0));
    }
    Optional<String> s = sameBytes("logged DSSE signature", sigs.get(0).path("signature"), e.signature(), false);
    return s.isPresent() ? s : samePem("logged verifier", sigs.get(0).path("verifier"), e);
  }

  private static Optional<String> intotoV002(JsonNode spec, Expected e) {
    if (e.kind() != Kind.DSSE) {
      return Optional.of("entry kind: expected hashedrekord for a message signature, found intoto 0.0.2");
    }
    JsonNode content = spec.path("content");
    Optional<String> ph = sameHex("logged payload hash", content.path("payloadHash"), e.payloadSha256());
    if (ph.isPresent()) {
      return ph;
    }
    JsonNode sigs = content.path("envelope").path("signatures");
    if (!sigs.isArray() || sigs.size() != 1) {
      return Optional.of("logged signatures: expected exactly 1, found " + (sigs.isArray() ? sigs.size() : 0));
    }
    // intoto 0.0.2 stores the signature base64-encoded twice.
    Optional<String> s = sameBytes("logged DSSE signature", sigs.get(0).path("sig"), e.signature(), true);
    return s.isPresent() ? s : samePem("logged public key", sigs.get(0).path("publicKey"), e);
  }

  private static Optional<String> hashedRekordV002(JsonNode spec, Expected e) {
    JsonNode data = spec.path("data");
    String alg = data.path("algorithm").asText("");
    String expectedAlg = "SHA2_" + e.digestAlgorithm().substring(3);
    if (!alg.equals(expectedAlg)) {
      return Optional.of("logged digest algorithm: expected " + expectedAlg + ", found \"" + alg + "\"");
    }
    Optional<String> d = sameBytes("logged digest" + (e.kind() == Kind.DSSE ? " (of the DSSE PAE)" : ""), data.path("digest"), e.digest(), false);
    if (d.isPresent()) {
      return d;
    }
    return signatureV002(spec.path("signature"), e);
  }

  private static Optional<String> dsseV002(JsonNode spec, Expected e) {
    if (e.kind() != Kind.DSSE) {
      return Optional.of("entry kind: expected hashedrekord for a message signature, found dsse 0.0.2");
    }
    JsonNode ph = spec.path("payloadHash");
    if (!"SHA2_256".equals(ph.path("algorithm").asText(""))) {
      return Optional.of("logged payload hash algorithm: expected SHA2_256, found \"" + ph.path("algorithm").asText("") + "\"");
    }
    Optional<String> d = sameBytes("logged payload hash", ph.path("digest"), e.payloadSha256(), false);
    if (d.isPresent()) {
      return d;
    }
    JsonNode sigs = spec.path("signatures");
    if (!sigs.isArray() || sigs.size() != 1) {
      return Optional.of("logged signatures: expected exactly 1, found " + (sigs.isArray() ? sigs.size() : 0));
    }
    return signatureV002(sigs.get(0), e);
  }

  private static Optional<String> signatureV002(JsonNode sig, Expected e) {
    Optional<String> s = sameBytes("logged signature", sig.path("content"), e.signature(), false);
    if (s.isPresent()) {
      return s;
    }
    JsonNode verifier = sig.path("verifier");
    JsonNode raw =
        e.verifierIsCertificate()
            ? verifier.path("x509Certificate").path("rawBytes")
            : verifier.path("publicKey").path("rawBytes");
    return sameBytes(
        e.verifierIsCertificate() ? "logged certificate" : "logged public key", raw, e.verifierDer(), false);
  }

  private static Optional<String> sameHex(String what, JsonNode hash, byte[] expected) {
    String alg = hash.path("algorithm").asText("");
    String hex = hash.path("value").asText("");
    if (!"sha256".equals(alg)) {
      return Optional.of(what + ": expected a sha256 hash, found algorithm \"" + alg + "\"");
    }
    if (!hex.equalsIgnoreCase(HexFormat.of().formatHex(expected))) {
      return Optional.of(what + ": expected " + HexFormat.of().formatHex(expected) + ", found " + hex);
    }
    return Optional.empty();
  }

  private static Optional<String> sameBytes(String what, JsonNode b64, byte[] expected, boolean doubleEncoded) {
    if (!b64.isTextual()) {
      return Optional.of(what + ": expected base64 text, found " + (b64.isMissingNode() ? "nothing" : b64.getNodeType()));
    }
    byte[] found;
    try {
      found = Base64.getDecoder().decode(b64.textValue());
      if (doubleEncoded) {
        found = Base64.getDecoder().decode(new String(found, StandardCharsets.US_ASCII).strip());
      }
    } catch (IllegalArgumentException ex) {
      return Optional.of(what + ": expected base64, found invalid base64");
    }
    return MessageDigest.isEqual(found, expected)
        ? Optional.empty()
        : Optional.of(what + ": expected the bundle's bytes, found different bytes");
  }

  /** A base64-encoded PEM certificate or public key must be the bundle's. */
  private static Optional<String> samePem(String what, JsonNode b64, Expected e) {
    if (!b64.isTextual()) {
      return Optional.of(what + ": expected base64 PEM, found nothing");
    }
    byte[] pem;
    try {
      pem = Base64.getDecoder().decode(b64.textValue());
    } catch (IllegalArgumentException ex) {
      return Optional.of(what + ": expected base64 PEM, found invalid base64");
    }
    byte[] block = firstPemBlock(pem);
    if (block == null) {
      return Optional.of(what + ": expected a PEM block, found none");
    }
    return MessageDigest.isEqual(block, e.verifierDer())
        ? Optional.empty()
        : Optional.of(
            what + ": expected the bundle's " + (e.verifierIsCertificate() ? "certificate" : "public key")
                + ", found a different one");
  }

  /**
   * The decoded body of the first PEM block in {@code pem} ({@link Pem.Mode#LENIENT}), or null if there is none or it
   * is malformed. Only the first block is compared, so later ones are not read.
   */
  private static byte[] firstPemBlock(byte[] pem) {
    try {
      Pem.Block block = Pem.decodeFirst(pem, Pem.Mode.LENIENT);
      return block == null ? null : block.bytes();
    } catch (PemException e) {
      return null;
    }
  }

  /** The bytes a Rekor v1 signed entry timestamp (SET) signs: canonical JSON, keys sorted, no spaces. */
  public static byte[] setPayload(byte[] canonicalizedBody, long integratedTime, byte[] logId, long logIndex) {
    String json =
        "{\"body\":\"" + Base64.getEncoder().encodeToString(canonicalizedBody) + "\",\"integratedTime\":"
            + integratedTime + ",\"logID\":\"" + HexFormat.of().formatHex(logId).toLowerCase(Locale.ROOT)
            + "\",\"logIndex\":" + logIndex + "}";
    return json.getBytes(StandardCharsets.UTF_8);
  }
}

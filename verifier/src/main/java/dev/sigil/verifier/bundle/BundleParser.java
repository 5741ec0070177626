package dev.sigil.verifier.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sigil.verifier.internal.json.JsonFormatException;
import dev.sigil.verifier.internal.json.JsonNode;
import dev.sigil.verifier.internal.json.JsonValue;
import dev.sigil.verifier.entity.DsseEnvelope;
import dev.sigil.verifier.entity.DsseSignature;
import dev.sigil.verifier.entity.InclusionProof;
import dev.sigil.verifier.entity.MessageDigest;
import dev.sigil.verifier.entity.MessageSignature;
import dev.sigil.verifier.entity.TransparencyLogEntry;
import dev.sigil.verifier.bundle.Bundle.VerificationMaterial;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads Sigstore bundles from their protobuf-JSON form, through the one strict JSON reader ({@link JsonNode}, strict
 * UTF-8; {@link JsonValue}, errors naming the JSON path). Strict about structure and types, lenient only where the
 * protobuf JSON mapping itself is: 64-bit integers as JSON integers or decimal strings (never with '+', leading
 * zeros, a fraction or an exponent), base64 in the standard or URL alphabet, with or without padding, and unknown
 * fields ignored. Lists are bounded ({@link #MAX_CERTIFICATES} and the others) before any element is decoded.
 *
 * <p>Thread-safe and reusable; construct once.
 */
public final class BundleParser {
  /** Bundles larger than this are refused before parsing (the largest real bundles are a few hundred KiB). */
  public static final int MAX_BUNDLE_BYTES = 16 * 1024 * 1024;

  /**
   * Lists longer than these are refused while parsing, before any element is decoded: the verifier would refuse them
   * anyway, and nothing is gained by decoding thousands of certificates first. Certificates: a leaf and its
   * intermediates; log entries and timestamps: the verifier's own limits; inclusion-proof hashes: a proof in a tree
   * of fewer than 2^64 leaves has at most 64; DSSE signatures: Sigstore bundles carry exactly one.
   */
  public static final int MAX_CERTIFICATES = 10;

  public static final int MAX_TLOG_ENTRIES = 32;
  public static final int MAX_TIMESTAMPS = 32;
  public static final int MAX_PROOF_HASHES = 64;
  public static final int MAX_DSSE_SIGNATURES = 16;

  /** Parses a bundle, or explains precisely why it is not one. */
  public Bundle parse(byte[] json) throws BundleParseException {
    if (json.length > MAX_BUNDLE_BYTES) {
      throw new BundleParseException(
          "bundle size: expected at most " + MAX_BUNDLE_BYTES + " bytes, found " + json.length);
    }
    JsonNode root;
    try {
      root = JsonNode.parse(json);
    } catch (JsonProcessingException e) {
      throw new BundleParseException("bundle JSON: malformed (" + oneLine(e.getOriginalMessage()) + ")");
    } catch (java.io.IOException e) {
      throw new BundleParseException("bundle JSON: unreadable (" + oneLine(e.getMessage()) + ")");
    }
    if (root == null || root.isMissingNode()) {
      throw new BundleParseException("bundle JSON: expected an object, found an empty document");
    }
    try {
      return read(JsonValue.root(root, JsonValue.Dialect.BUNDLE));
    } catch (JsonFormatException e) {
      throw new BundleParseException(e.getMessage());
    }
  }

  private static Bundle read(JsonValue r) throws BundleParseException, JsonFormatException {
    r.requireObject();
    String mediaType = r.requiredText("mediaType");
    Optional<BundleVersion> known = BundleVersion.fromMediaType(mediaType);
    if (known.isEmpty()) {
      throw new BundleParseException(
          "$.mediaType: expected a Sigstore bundle media type (v0.1, v0.2 or v0.3), found \"" + mediaType + "\"");
    }
    BundleVersion version = known.get();
    VerificationMaterial material = material(r.requiredObject("verificationMaterial"));
    Optional<JsonValue> ms = r.optional("messageSignature");
    Optional<JsonValue> dsse = r.optional("dsseEnvelope");
    if (ms.isPresent() == dsse.isPresent()) {
      throw new BundleParseException(
          "$: expected exactly one of messageSignature and dsseEnvelope, found "
              + (ms.isPresent() ? "both" : "neither"));
    }
    return new Bundle(
        version,
        mediaType,
        material,
        ms.isPresent() ? Optional.of(messageSignature(ms.get())) : Optional.empty(),
        dsse.isPresent() ? Optional.of(dsseEnvelope(dsse.get())) : Optional.empty());
  }

  private static VerificationMaterial material(JsonValue m) throws BundleParseException, JsonFormatException {
    m.requireObject();
    Optional<JsonValue> pk = m.optional("publicKey");
    Optional<JsonValue> chain = m.optional("x509CertificateChain");
    Optional<JsonValue> cert = m.optional("certificate");
    int present = (pk.isPresent() ? 1 : 0) + (chain.isPresent() ? 1 : 0) + (cert.isPresent() ? 1 : 0);
    if (present != 1) {
      throw new BundleParseException(
          m.path()
              + ": expected exactly one of publicKey, x509CertificateChain and certificate, found "
              + present);
    }
    Optional<String> hint = Optional.empty();
    List<byte[]> certs = new ArrayList<>();
    if (pk.isPresent()) {
      pk.get().requireObject();
      hint = Optional.of(pk.get().optionalText("hint").orElse(""));
    } else if (chain.isPresent()) {
      List<JsonValue> list = chain.get().requiredArray("certificates", MAX_CERTIFICATES);
      if (list.isEmpty()) {
        throw new BundleParseException(
            chain.get().path() + ".certificates: expected at least one certificate, found none");
      }
      for (JsonValue c : list) {
        certs.add(c.requiredBytes("rawBytes"));
      }
    } else {
      certs.add(cert.get().requiredBytes("rawBytes"));
    }
    List<TransparencyLogEntry> entries = new ArrayList<>();
    for (JsonValue e : m.optionalArray("tlogEntries", MAX_TLOG_ENTRIES)) {
      entries.add(tlogEntry(e));
    }
    List<byte[]> timestamps = new ArrayList<>();
    Optional<JsonValue> tvd = m.optional("timestampVerificationData");
    if (tvd.isPresent()) {
      tvd.get().requireObject();
      for (JsonValue t : tvd.get().optionalArray("rfc3161Timestamps", MAX_TIMESTAMPS)) {
        timestamps.add(t.requiredBytes("signedTimestamp"));
      }
    }
    return new VerificationMaterial(hint, certs, entries, timestamps);
  }

  private static TransparencyLogEntry tlogEntry(JsonValue e) throws BundleParseException, JsonFormatException {
    e.requireObject();
    long logIndex = e.requiredInt64("logIndex");
    byte[] keyId = e.requiredObject("logId").requiredBytes("keyId");
    JsonValue kv = e.requiredObject("kindVersion");
    String kind = kv.requiredText("kind");
    String kindVersion = kv.requiredText("version");
    long integratedTime = e.optional("integratedTime").isPresent() ? e.requiredInt64("integratedTime") : 0L;
    Optional<byte[]> set = Optional.empty();
    Optional<JsonValue> promise = e.optional("inclusionPromise");
    if (promise.isPresent()) {
      set = Optional.of(promise.get().requiredBytes("signedEntryTimestamp"));
    }
    Optional<InclusionProof> proof = Optional.empty();
    Optional<JsonValue> p = e.optional("inclusionProof");
    if (p.isPresent()) {
      JsonValue pn = p.get();
      pn.requireObject();
      List<byte[]> hashes = new ArrayList<>();
      for (JsonValue h : pn.optionalArray("hashes", MAX_PROOF_HASHES)) {
        hashes.add(h.bytes());
      }
      Optional<String> checkpoint = Optional.empty();
      Optional<JsonValue> cp = pn.optional("checkpoint");
      if (cp.isPresent()) {
        cp.get().requireObject();
        checkpoint = Optional.of(cp.get().requiredText("envelope"));
      }
      proof =
          Optional.of(
              new InclusionProof(
                  pn.requiredInt64("logIndex"),
                  pn.requiredBytes("rootHash"),
                  pn.requiredInt64("treeSize"),
                  hashes,
                  checkpoint));
    }
    byte[] body = e.requiredBytes("canonicalizedBody");
    return new TransparencyLogEntry(
        logIndex, keyId, kind, kindVersion, integratedTime, set, proof, body);
  }

  private static MessageSignature messageSignature(JsonValue n) throws BundleParseException, JsonFormatException {
    n.requireObject();
    Optional<MessageDigest> digest = Optional.empty();
    Optional<JsonValue> d = n.optional("messageDigest");
    if (d.isPresent()) {
      String alg = d.get().requiredText("algorithm");
      Optional<HashAlgorithm> known = HashAlgorithm.fromSpecName(alg);
      if (known.isEmpty()) {
        throw new BundleParseException(
            d.get().path() + ".algorithm: expected SHA2_256, SHA2_384 or SHA2_512, found \"" + alg + "\"");
      }
      HashAlgorithm algorithm = known.get();
      byte[] value = d.get().requiredBytes("digest");
      if (value.length != algorithm.length()) {
        throw new BundleParseException(
            d.get().path()
                + ".digest: expected "
                + algorithm.length()
                + " bytes for "
                + alg
                + ", found "
                + value.length);
      }
      digest = Optional.of(new MessageDigest(algorithm, value));
    }
    return new MessageSignature(digest, n.requiredBytes("signature"));
  }

  private static DsseEnvelope dsseEnvelope(JsonValue n) throws BundleParseException, JsonFormatException {
    n.requireObject();
    byte[] payload = n.requiredBytes("payload");
    String type = n.requiredText("payloadType");
    List<DsseSignature> sigs = new ArrayList<>();
    for (JsonValue s : n.requiredArray("signatures", MAX_DSSE_SIGNATURES)) {
      s.requireObject();
      sigs.add(new DsseSignature(s.requiredBytes("sig"), s.optionalText("keyid").orElse("")));
    }
    return new DsseEnvelope(payload, type, sigs);
  }

  /** Decodes protobuf-JSON bytes: standard or URL-safe alphabet; the JDK decoders accept missing padding. */
  static byte[] decodeBase64(String s) {
    boolean url = s.indexOf('-') >= 0 || s.indexOf('_') >= 0;
    return (url ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(s);
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "no detail";
    }
    String line = s.replace('\n', ' ').replace('\r', ' ');
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}

package dev.sigil.sandbox.rekor;

import dev.sigil.sandbox.keys.KeyFiles;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.CryptoBackend;
import dev.sigil.verifier.crypto.InvalidSignatureException;
import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.crypto.KeyParseException;
import dev.sigil.verifier.crypto.SignatureVerifier;
import dev.sigil.verifier.crypto.UnsupportedKeyException;
import dev.sigil.verifier.internal.crypto.Certificates;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import dev.sigil.verifier.internal.json.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Validates proposed Rekor v1 entries ({@code POST /api/v1/log/entries} bodies) and canonicalizes them exactly as
 * Rekor does, so the bodies, leaf hashes and UUIDs this log produces are the ones Rekor would.
 *
 * <p>Accepted kinds:
 *
 * <ul>
 *   <li>{@code hashedrekord 0.0.1}: {@code spec.data.hash {algorithm, value}} (sha256, sha384 or sha512; hex) and
 *       {@code spec.signature {content, publicKey {content}}} (base64 signature; base64 of a PEM public key or
 *       certificate). The signature must verify over the digest itself, as Rekor checks it: ECDSA over the digest,
 *       RSA PKCS#1 v1.5 with the named hash, Ed25519ph over a SHA-512 digest. Canonical form: the same fields, the
 *       key or certificate re-encoded as PEM, wrapped in {@code apiVersion/kind/spec}.
 *   <li>{@code dsse 0.0.1}: {@code spec.proposedContent {envelope, verifiers}}: the envelope as a JSON string and
 *       base64 PEM keys or certificates. Every envelope signature must verify over the DSSE PAE with one of the
 *       verifiers, and every verifier tried must verify at least one signature (Rekor's rule). Canonical form:
 *       {@code spec {envelopeHash, payloadHash, signatures [{signature, verifier}]}}, signatures sorted by their
 *       base64 text; the envelope itself is not stored.
 * </ul>
 *
 * <p>Canonical bodies are RFC 8785 JSON (sorted keys, no whitespace), as Rekor's {@code types.CanonicalizeEntry}
 * writes them. Validation is stricter than Rekor where Rekor is lenient: unknown fields, duplicate keys,
 * non-canonical base64, PEM with headers or trailing text and certificate chains are refused. Every refusal names
 * the field and says what was expected and what was found. Thread-safe; no I/O.
 */
public final class ProposedEntries {
  /** Size limits. Rekor's defaults are larger; these suit an embedded log. */
  public record Limits(int maxProposedEntryBytes, int maxCanonicalBodyBytes) {
    public static Limits defaults() {
      return new Limits(1 << 20, 128 << 10);
    }

    public Limits {
      if (maxProposedEntryBytes <= 0 || maxCanonicalBodyBytes <= 0) {
        throw new IllegalArgumentException("limits must be positive");
      }
    }
  }

  private final Limits limits;

  public ProposedEntries(Limits limits) {
    this.limits = limits;
  }

  public ProposedEntries() {
    this(Limits.defaults());
  }

  public Limits limits() {
    return limits;
  }

  /** Validates a proposed entry (JSON) and returns its canonical form. */
  public CanonicalEntry canonicalize(byte[] proposedJson) throws InvalidEntryException {
    if (proposedJson == null || proposedJson.length == 0) {
      throw new InvalidEntryException("proposed entry: expected a JSON object, found an empty request");
    }
    if (proposedJson.length > limits.maxProposedEntryBytes()) {
      throw new InvalidEntryException(
          "proposed entry: expected at most " + limits.maxProposedEntryBytes() + " bytes, found "
              + proposedJson.length);
    }
    JsonNode root = parseJson("proposed entry", proposedJson);
    requireObject(root, "proposed entry", Set.of("apiVersion", "kind", "spec"));
    String kind = requireString(root, "kind", "kind");
    String version = requireString(root, "apiVersion", "apiVersion");
    JsonNode spec = root.get("spec");
    if (spec == null) {
      throw new InvalidEntryException("spec: expected an object, found nothing");
    }
    CanonicalEntry entry =
        switch (kind) {
          case "hashedrekord" -> {
            requireVersion(kind, version);
            yield hashedRekord(spec);
          }
          case "dsse" -> {
            requireVersion(kind, version);
            yield dsse(spec);
          }
          default -> throw new InvalidEntryException(
              "kind: expected \"hashedrekord\" or \"dsse\", found \"" + abbreviate(kind) + "\"");
        };
    if (entry.body().length > limits.maxCanonicalBodyBytes()) {
      throw new InvalidEntryException(
          "canonicalized entry: expected at most " + limits.maxCanonicalBodyBytes() + " bytes, found "
              + entry.body().length);
    }
    return entry;
  }

  private static void requireVersion(String kind, String version) throws InvalidEntryException {
    if (!version.equals("0.0.1")) {
      throw new InvalidEntryException(
          "apiVersion: expected \"0.0.1\" for " + kind + ", found \"" + abbreviate(version) + "\"");
    }
  }

  // ---------------------------------------------------------------------------------------------- hashedrekord

  private static CanonicalEntry hashedRekord(JsonNode spec) throws InvalidEntryException {
    requireObject(spec, "spec", Set.of("data", "signature"));
    JsonNode data = requireField(spec, "data", "spec.data");
    requireObject(data, "spec.data", Set.of("hash"));
    JsonNode hash = requireField(data, "hash", "spec.data.hash");
    requireObject(hash, "spec.data.hash", Set.of("algorithm", "value"));
    String alg = requireString(hash, "algorithm", "spec.data.hash.algorithm");
    HashAlgorithm h =
        switch (alg) {
          case "sha256" -> HashAlgorithm.SHA2_256;
          case "sha384" -> HashAlgorithm.SHA2_384;
          case "sha512" -> HashAlgorithm.SHA2_512;
          default -> throw new InvalidEntryException(
              "spec.data.hash.algorithm: expected \"sha256\", \"sha384\" or \"sha512\", found \"" + abbreviate(alg)
                  + "\"");
        };
    String value = requireString(hash, "value", "spec.data.hash.value");
    if (value.length() != h.length() * 2 || !isHex(value)) {
      throw new InvalidEntryException(
          "spec.data.hash.value: expected " + h.length() * 2 + " hex digits (" + alg + "), found "
              + (isHex(value) ? value.length() + " hex digits" : "\"" + abbreviate(value) + "\""));
    }
    byte[] digest = HexFormat.of().parseHex(value);

    JsonNode sig = requireField(spec, "signature", "spec.signature");
    requireObject(sig, "spec.signature", Set.of("content", "publicKey"));
    byte[] signature = requireBase64(sig, "content", "spec.signature.content");
    JsonNode pk = requireField(sig, "publicKey", "spec.signature.publicKey");
    requireObject(pk, "spec.signature.publicKey", Set.of("content"));
    Verifier verifier = verifierFromBase64Pem(requireBase64(pk, "content", "spec.signature.publicKey.content"),
        "spec.signature.publicKey.content");

    verifyDigestSignature(verifier, h, digest, signature);

    Map<String, Object> canonical = new LinkedHashMap<>();
    canonical.put("apiVersion", "0.0.1");
    canonical.put("kind", "hashedrekord");
    canonical.put(
        "spec",
        Map.of(
            "data", Map.of("hash", Map.of("algorithm", alg, "value", value)),
            "signature",
                Map.of(
                    "content", Base64.getEncoder().encodeToString(signature),
                    "publicKey", Map.of("content", Base64.getEncoder().encodeToString(verifier.canonicalPem())))));
    return new CanonicalEntry("hashedrekord", "0.0.1", Jcs.encode(canonical));
  }

  private static void verifyDigestSignature(Verifier v, HashAlgorithm h, byte[] digest, byte[] signature)
      throws InvalidEntryException {
    String what = "spec.signature.content: expected a signature over the " + name(h) + " digest that verifies with "
        + v.describe();
    if (v.algorithm() == KeyAlgorithm.ED25519) {
      // Rekor verifies Ed25519 hashedrekord signatures as Ed25519ph (RFC 8032), which pre-hashes with SHA-512.
      if (h != HashAlgorithm.SHA2_512) {
        throw new InvalidEntryException(
            "spec.data.hash.algorithm: expected \"sha512\" for an Ed25519 key (Ed25519ph signs a SHA-512 digest), "
                + "found \"" + name(h) + "\"");
      }
      byte[] raw = SubjectPublicKeyInfo.getInstance(v.key().getEncoded()).getPublicKeyData().getOctets();
      boolean ok;
      try {
        ok = signature.length == Ed25519.SIGNATURE_SIZE
            && Ed25519.verifyPrehash(signature, 0, raw, 0, new byte[0], digest, 0);
      } catch (RuntimeException e) {
        ok = false;
      }
      if (!ok) {
        throw new InvalidEntryException(what + " (Ed25519ph), found one that does not verify");
      }
      return;
    }
    try {
      v.verifier().verifyDigest(h, digest, signature);
    } catch (InvalidSignatureException e) {
      throw new InvalidEntryException(what + ", found one that does not (" + e.getMessage() + ")");
    }
  }

  // ------------------------------------------------------------------------------------------------------ dsse

  private static CanonicalEntry dsse(JsonNode spec) throws InvalidEntryException {
    if (!spec.isObject()) {
      throw new InvalidEntryException("spec: expected an object, found " + describe(spec));
    }
    // Fields the log computes may be present as JSON null: Rekor's Go models marshal an unset slice as null, and
    // cosign 2.5's keyless `attest` sends "signatures": null. Anything else there is refused.
    for (String computed : List.of("signatures", "envelopeHash", "payloadHash")) {
      JsonNode value = spec.get(computed);
      if (value != null && !value.isNull()) {
        throw new InvalidEntryException(
            "spec." + computed + ": computed by the log; a proposed dsse entry carries only spec.proposedContent");
      }
    }
    requireObject(spec, "spec", Set.of("proposedContent", "signatures", "envelopeHash", "payloadHash"));
    JsonNode pc = requireField(spec, "proposedContent", "spec.proposedContent");
    requireObject(pc, "spec.proposedContent", Set.of("envelope", "verifiers"));
    String envelopeText = requireString(pc, "envelope", "spec.proposedContent.envelope");
    if (envelopeText.isEmpty()) {
      throw new InvalidEntryException(
          "spec.proposedContent.envelope: expected a DSSE envelope as a JSON string, found \"\"");
    }
    String bad = surrogateProblem(envelopeText);
    if (bad != null) {
      throw new InvalidEntryException("spec.proposedContent.envelope: expected valid Unicode text, found " + bad);
    }
    byte[] envelopeBytes = envelopeText.getBytes(StandardCharsets.UTF_8);
    JsonNode env = parseJson("spec.proposedContent.envelope", envelopeBytes);
    String e = "spec.proposedContent.envelope";
    requireObject(env, e, Set.of("payload", "payloadType", "signatures"));
    String payloadB64 = requireString(env, "payload", e + ".payload");
    byte[] payload = Base64Strict.decode(payloadB64);
    if (payload == null) {
      throw new InvalidEntryException(
          e + ".payload: expected standard padded base64, found \"" + abbreviate(payloadB64) + "\"");
    }
    String payloadType = requireString(env, "payloadType", e + ".payloadType");
    JsonNode sigs = requireField(env, "signatures", e + ".signatures");
    if (!sigs.isArray() || sigs.isEmpty()) {
      throw new InvalidEntryException(
          e + ".signatures: expected a non-empty array, found " + (sigs.isArray() ? "an empty array" : describe(sigs)));
    }
    // Distinct signatures in envelope order (Rekor keys them by their base64 text).
    Map<String, byte[]> allSigs = new LinkedHashMap<>();
    for (int i = 0; i < sigs.size(); i++) {
      String p = e + ".signatures[" + i + "]";
      JsonNode s = sigs.get(i);
      requireObject(s, p, Set.of("keyid", "sig"));
      JsonNode keyid = s.get("keyid");
      if (keyid != null && !keyid.isTextual()) {
        throw new InvalidEntryException(p + ".keyid: expected a string, found " + describe(keyid));
      }
      String sigText = requireString(s, "sig", p + ".sig");
      byte[] sig = Base64Strict.decode(sigText);
      if (sig == null || sig.length == 0) {
        throw new InvalidEntryException(
            p + ".sig: expected a non-empty standard padded base64 signature, found \"" + abbreviate(sigText) + "\"");
      }
      allSigs.put(sigText, sig);
    }
    Set<String> pending = new java.util.LinkedHashSet<>(allSigs.keySet());
    JsonNode verifiers = requireField(pc, "verifiers", "spec.proposedContent.verifiers");
    if (!verifiers.isArray() || verifiers.isEmpty()) {
      throw new InvalidEntryException(
          "spec.proposedContent.verifiers: expected a non-empty array of base64 PEM keys or certificates, found "
              + (verifiers.isArray() ? "an empty array" : describe(verifiers)));
    }
    byte[] pae = pae(payloadType, payload);
    byte[] paeSha256 = LogKey.sha256(pae);
    Map<String, Verifier> verifierBySig = new TreeMap<>(); // sorted by signature text, as Rekor sorts them
    for (int i = 0; i < verifiers.size() && !pending.isEmpty(); i++) {
      String p = "spec.proposedContent.verifiers[" + i + "]";
      JsonNode vn = verifiers.get(i);
      if (!vn.isTextual()) {
        throw new InvalidEntryException(p + ": expected a base64 string, found " + describe(vn));
      }
      byte[] pem = Base64Strict.decode(vn.textValue());
      if (pem == null || pem.length == 0) {
        throw new InvalidEntryException(p + ": expected standard padded base64 of a PEM block, found \""
            + abbreviate(vn.textValue()) + "\"");
      }
      Verifier v = verifierFromBase64Pem(pem, p);
      int accepted = 0;
      for (Map.Entry<String, byte[]> s : allSigs.entrySet()) {
        if (verifiesPae(v, pae, paeSha256, s.getValue())) {
          verifierBySig.put(s.getKey(), v); // a later verifier replaces an earlier one, as in Rekor
          pending.remove(s.getKey());
          accepted++;
        }
      }
      if (accepted == 0) {
        throw new InvalidEntryException(
            p + ": expected a key that verifies at least one envelope signature over the DSSE PAE, found "
                + v.describe() + ", which verifies none");
      }
    }
    if (!pending.isEmpty()) {
      String first = pending.iterator().next();
      throw new InvalidEntryException(
          e + ".signatures: expected every signature to verify with one of spec.proposedContent.verifiers, found "
              + pending.size() + " that none verifies (first: \"" + abbreviate(first) + "\")");
    }
    List<Object> signatures = new ArrayList<>();
    for (Map.Entry<String, Verifier> s : verifierBySig.entrySet()) {
      signatures.add(Map.of(
          "signature", s.getKey(),
          "verifier", Base64.getEncoder().encodeToString(s.getValue().canonicalPem())));
    }
    Map<String, Object> canonical = new LinkedHashMap<>();
    canonical.put("apiVersion", "0.0.1");
    canonical.put("kind", "dsse");
    canonical.put(
        "spec",
        Map.of(
            "envelopeHash", Map.of("algorithm", "sha256", "value", hex(LogKey.sha256(envelopeBytes))),
            "payloadHash", Map.of("algorithm", "sha256", "value", hex(LogKey.sha256(payload))),
            "signatures", signatures));
    return new CanonicalEntry("dsse", "0.0.1", Jcs.encode(canonical));
  }

  /** DSSE v1 pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body. */
  static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ")
        .getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + payload.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(payload, 0, out, head.length, payload.length);
    return out;
  }

  /**
   * Rekor verifies DSSE signatures with SHA-256 whatever the key: ECDSA and RSA over SHA-256(PAE), Ed25519 over the
   * PAE itself.
   */
  private static boolean verifiesPae(Verifier v, byte[] pae, byte[] paeSha256, byte[] sig) {
    try {
      if (v.algorithm() == KeyAlgorithm.ED25519) {
        v.verifier().verifyMessage(pae, sig);
      } else {
        v.verifier().verifyDigest(HashAlgorithm.SHA2_256, paeSha256, sig);
      }
      return true;
    } catch (InvalidSignatureException e) {
      return false;
    }
  }

  // ------------------------------------------------------------------------------------------------ verifiers

  /** A public key or certificate from a proposal, with its canonical PEM (what Rekor stores). */
  private record Verifier(PublicKey key, KeyAlgorithm algorithm, SignatureVerifier verifier, byte[] canonicalPem,
      boolean certificate) {
    String describe() {
      return (certificate ? "the certificate's " : "the ") + algorithm.displayName() + " key";
    }
  }

  private static Verifier verifierFromBase64Pem(byte[] pemBytes, String where) throws InvalidEntryException {
    String text = new String(pemBytes, StandardCharsets.US_ASCII);
    for (byte b : pemBytes) {
      if (b < 0) {
        throw new InvalidEntryException(where + ": expected base64 of ASCII PEM text, found non-ASCII bytes");
      }
    }
    List<Pem.Block> blocks;
    try {
      blocks = Pem.decode(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidEntryException(
          where + ": expected base64 of one PEM block, found malformed PEM (" + e.getMessage() + ")");
    }
    if (blocks.size() != 1) {
      throw new InvalidEntryException(
          where + ": expected one PEM block (a public key or a certificate), found " + blocks.size()
              + " (certificate chains are not accepted)");
    }
    Pem.Block block = blocks.get(0);
    PublicKey key;
    byte[] canonicalDer;
    boolean cert;
    switch (block.type()) {
      case "PUBLIC KEY" -> {
        try {
          key = PublicKeys.fromDer(block.der());
        } catch (KeyParseException e) {
          throw new InvalidEntryException(where + ": " + e.getMessage());
        }
        canonicalDer = key.getEncoded(); // Go re-marshals the parsed key, so does this
        cert = false;
      }
      case "CERTIFICATE" -> {
        X509Certificate c;
        try {
          c = Certificates.parse(block.der());
        } catch (CertificateException e) {
          throw new InvalidEntryException(where + ": expected an X.509 certificate, found one that does not parse ("
              + e.getMessage() + ")");
        }
        key = c.getPublicKey();
        canonicalDer = block.der();
        cert = true;
      }
      default -> throw new InvalidEntryException(
          where + ": expected a \"PUBLIC KEY\" or \"CERTIFICATE\" PEM block, found \"" + abbreviate(block.type())
              + "\"");
    }
    try {
      SignatureVerifier sv = CryptoBackend.jca().newVerifier(key);
      return new Verifier(key, sv.algorithm(), sv,
          KeyFiles.pem(cert ? "CERTIFICATE" : "PUBLIC KEY", canonicalDer), cert);
    } catch (UnsupportedKeyException e) {
      throw new InvalidEntryException(where + ": " + e.getMessage());
    }
  }

  // --------------------------------------------------------------------------------------------------- helpers

  private static JsonNode parseJson(String where, byte[] json) throws InvalidEntryException {
    try {
      JsonNode n = JsonNode.parse(json);
      if (n.isMissingNode()) {
        throw new InvalidEntryException(where + ": expected a JSON object, found no JSON value");
      }
      return n;
    } catch (IOException e) {
      String msg = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw new InvalidEntryException(where + ": expected JSON, found malformed content (" + abbreviate(msg) + ")");
    }
  }

  private static void requireObject(JsonNode n, String where, Set<String> allowed) throws InvalidEntryException {
    if (!n.isObject()) {
      throw new InvalidEntryException(where + ": expected an object, found " + describe(n));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      String name = it.next().getKey();
      if (!allowed.contains(name)) {
        throw new InvalidEntryException(
            (where.equals("proposed entry") ? "" : where + ".") + name + ": unknown field (expected only "
                + String.join(", ", new java.util.TreeSet<>(allowed)) + " in " + where + ")");
      }
    }
  }

  private static JsonNode requireField(JsonNode parent, String name, String where) throws InvalidEntryException {
    JsonNode n = parent.get(name);
    if (n == null) {
      throw new InvalidEntryException(where + ": required, found nothing");
    }
    return n;
  }

  private static String requireString(JsonNode parent, String name, String where) throws InvalidEntryException {
    JsonNode n = requireField(parent, name, where);
    if (!n.isTextual()) {
      throw new InvalidEntryException(where + ": expected a string, found " + describe(n));
    }
    return n.textValue();
  }

  private static byte[] requireBase64(JsonNode parent, String name, String where) throws InvalidEntryException {
    String s = requireString(parent, name, where);
    if (s.isEmpty()) {
      throw new InvalidEntryException(where + ": expected non-empty base64, found an empty string");
    }
    byte[] b = Base64Strict.decode(s);
    if (b == null) {
      throw new InvalidEntryException(where + ": expected standard padded base64, found \"" + abbreviate(s) + "\"");
    }
    return b;
  }

  private static String describe(JsonNode n) {
    return switch (n.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case MISSING -> "nothing";
    };
  }

  private static boolean isHex(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  private static String surrogateProblem(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "an unpaired surrogate at offset " + i;
      }
    }
    return null;
  }

  private static String name(HashAlgorithm h) {
    return switch (h) {
      case SHA2_256 -> "sha256";
      case SHA2_384 -> "sha384";
      case SHA2_512 -> "sha512";
    };
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}

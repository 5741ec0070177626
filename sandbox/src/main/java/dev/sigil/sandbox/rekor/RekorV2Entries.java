package dev.sigil.sandbox.rekor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.crypto.InvalidSignatureException;
import dev.sigil.verifier.internal.crypto.KeyAlgorithm;
import dev.sigil.verifier.internal.crypto.SignatureVerifier;
import dev.sigil.verifier.internal.crypto.UnsupportedKeyException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a Rekor v2 {@code CreateEntryRequest} (protobuf JSON, as {@code POST /api/v2/log/entries} takes it) into the
 * canonicalized entry body Rekor v2 logs, after checking it the way rekor-tiles does: every field present, the
 * verifier's key of the kind its {@code keyDetails} names, and every signature valid.
 *
 * <ul>
 *   <li>{@code hashedRekordRequestV002} {@code {digest, signature: {content, verifier}}} becomes {@code hashedrekord
 *       0.0.2}: {@code {"apiVersion":"0.0.2","kind":"hashedrekord","spec":{"hashedRekordV002":{"data":{"algorithm",
 *       "digest"},"signature":{"content","verifier":{"keyDetails","publicKey"|"x509Certificate":{"rawBytes"}}}}}}}; the
 *       digest algorithm follows from the key details (P-256 and RSA: SHA2_256, P-384: SHA2_384, P-521: SHA2_512) and
 *       the signature must verify over the digest. This is the only kind Sigstore's public-good Rekor v2 accepts now;
 *       DSSE envelopes are logged as a hashedrekord over the SHA-256 of their PAE.
 *   <li>{@code dsseRequestV002} {@code {envelope, verifiers}} becomes {@code dsse 0.0.2}: {@code {"spec":{"dsseV002":
 *       {"payloadHash":{"algorithm":"SHA2_256","digest"},"signatures":[{"content","verifier"}]}}}}, one entry per
 *       envelope signature (in envelope order) with the verifier that verifies it over the PAE. Rekor v2 deployments
 *       have dropped this kind (rekor-v2-spec 6.1.4), but clients such as sigstore-js 4.x still send it, so the
 *       sandbox keeps taking it.
 * </ul>
 *
 * Bodies are RFC 8785 canonical JSON (keys sorted, no whitespace), byte arrays as standard padded base64, exactly as
 * rekor-tiles writes them (protobuf JSON, then JCS): {@code RekorV2EntriesTest} holds them to entries of Sigstore's
 * staging Rekor v2. Stateless and thread-safe.
 */
public final class RekorV2Entries {
  /** The largest request accepted before parsing. */
  public static final int MAX_REQUEST_BYTES = 1 << 20;

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  static {
    JSON.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(MAX_REQUEST_BYTES).build());
  }

  private RekorV2Entries() {}

  /** Key details this log takes, with the digest a hashedrekord signature made with them covers. */
  private static final Map<String, HashAlgorithm> KEY_DETAILS = Map.of(
      "PKIX_ECDSA_P256_SHA_256", HashAlgorithm.SHA2_256,
      "PKIX_ECDSA_P384_SHA_384", HashAlgorithm.SHA2_384,
      "PKIX_ECDSA_P521_SHA_512", HashAlgorithm.SHA2_512,
      "PKIX_RSA_PKCS1V15_2048_SHA256", HashAlgorithm.SHA2_256,
      "PKIX_RSA_PKCS1V15_3072_SHA256", HashAlgorithm.SHA2_256,
      "PKIX_RSA_PKCS1V15_4096_SHA256", HashAlgorithm.SHA2_256,
      "PKIX_ED25519", HashAlgorithm.SHA2_256);

  /**
   * Validates and canonicalizes a {@code CreateEntryRequest}.
   *
   * @throws InvalidEntryException naming the field and what was expected and found
   */
  public static CanonicalEntry canonicalize(byte[] requestJson) throws InvalidEntryException {
    if (requestJson.length > MAX_REQUEST_BYTES) {
      throw new InvalidEntryException("request: expected at most " + MAX_REQUEST_BYTES + " bytes, found "
          + requestJson.length);
    }
    JsonNode root;
    try {
      root = JSON.readTree(requestJson);
    } catch (IOException e) {
      throw new InvalidEntryException("request: expected a JSON CreateEntryRequest, found malformed JSON");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidEntryException("request: expected a JSON object, found " + kind(root));
    }
    JsonNode hr = field(root, "hashedRekordRequestV002", "hashed_rekord_request_v002");
    JsonNode dsse = field(root, "dsseRequestV002", "dsse_request_v002");
    if ((hr == null) == (dsse == null) || root.size() != 1) {
      throw new InvalidEntryException(
          "request: expected exactly one of hashedRekordRequestV002 and dsseRequestV002, found fields "
              + fieldNames(root));
    }
    return hr != null ? hashedRekord(hr) : dsse(dsse);
  }

  private static CanonicalEntry hashedRekord(JsonNode req) throws InvalidEntryException {
    String p = "hashedRekordRequestV002.";
    only(req, p, Set.of("digest", "signature"));
    byte[] digest = bytes(req, "digest", p);
    JsonNode sig = object(req, "signature", p);
    only(sig, p + "signature.", Set.of("content", "verifier"));
    byte[] content = bytes(sig, "content", p + "signature.");
    Verifier v = verifier(object(sig, "verifier", p + "signature."), p + "signature.verifier.");
    HashAlgorithm hash = KEY_DETAILS.get(v.keyDetails);
    if (v.algorithm == KeyAlgorithm.ED25519) {
      throw new InvalidEntryException(p + "signature.verifier.keyDetails: expected a key that signs digests (ECDSA or"
          + " RSA), found PKIX_ED25519");
    }
    if (digest.length != hash.length()) {
      throw new InvalidEntryException(p + "digest: expected " + hash.length() + " bytes of " + hash + " (from keyDetails "
          + v.keyDetails + "), found " + digest.length);
    }
    try {
      SignatureVerifier.of(v.key).verifyDigest(hash, digest, content);
    } catch (InvalidSignatureException | UnsupportedKeyException e) {
      throw new InvalidEntryException(p + "signature.content: expected a signature over the digest by the verifier's"
          + " key, found one that does not verify (" + e.getMessage() + ")");
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("algorithm", hash.name());
    data.put("digest", b64(digest));
    Map<String, Object> signature = new LinkedHashMap<>();
    signature.put("content", b64(content));
    signature.put("verifier", v.json());
    Map<String, Object> spec = Map.of("hashedRekordV002", Map.of("data", data, "signature", signature));
    return entry("hashedrekord", spec);
  }

  private static CanonicalEntry dsse(JsonNode req) throws InvalidEntryException {
    String p = "dsseRequestV002.";
    only(req, p, Set.of("envelope", "verifiers"));
    JsonNode env = object(req, "envelope", p);
    String ep = p + "envelope.";
    only(env, ep, Set.of("payload", "payloadType", "signatures"));
    byte[] payload = bytes(env, "payload", ep);
    JsonNode pt = env.get("payloadType");
    if (pt == null || !pt.isTextual() || pt.textValue().isEmpty()) {
      throw new InvalidEntryException(ep + "payloadType: expected a non-empty string, found " + kind(pt));
    }
    JsonNode sigs = env.get("signatures");
    if (sigs == null || !sigs.isArray() || sigs.isEmpty()) {
      throw new InvalidEntryException(ep + "signatures: expected at least one signature, found " + kind(sigs));
    }
    JsonNode vs = req.get("verifiers");
    if (vs == null || !vs.isArray() || vs.isEmpty()) {
      throw new InvalidEntryException(p + "verifiers: expected at least one verifier, found " + kind(vs));
    }
    List<Verifier> verifiers = new ArrayList<>();
    for (int i = 0; i < vs.size(); i++) {
      verifiers.add(verifier(vs.get(i), p + "verifiers[" + i + "]."));
    }
    byte[] pae = pae(pt.textValue(), payload);
    List<Object> logged = new ArrayList<>();
    for (int i = 0; i < sigs.size(); i++) {
      JsonNode s = sigs.get(i);
      String sp = ep + "signatures[" + i + "].";
      if (!s.isObject()) {
        throw new InvalidEntryException(sp.substring(0, sp.length() - 1) + ": expected an object, found " + kind(s));
      }
      only(s, sp, Set.of("sig", "keyid"));
      byte[] sig = bytes(s, "sig", sp);
      Verifier by = null;
      for (Verifier v : verifiers) {
        try {
          SignatureVerifier.of(v.key).verifyMessage(pae, sig);
          by = v;
          break;
        } catch (InvalidSignatureException | UnsupportedKeyException e) {
          // try the next verifier
        }
      }
      if (by == null) {
        throw new InvalidEntryException(sp + "sig: expected a signature over the PAE by one of the " + verifiers.size()
            + " verifier(s), found one that none verifies");
      }
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("content", b64(sig));
      one.put("verifier", by.json());
      logged.add(one);
    }
    Map<String, Object> payloadHash = new LinkedHashMap<>();
    payloadHash.put("algorithm", "SHA2_256");
    payloadHash.put("digest", b64(sha256(payload)));
    Map<String, Object> spec = Map.of("dsseV002", Map.of("payloadHash", payloadHash, "signatures", logged));
    return entry("dsse", spec);
  }

  private static CanonicalEntry entry(String kind, Map<String, Object> spec) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("apiVersion", "0.0.2");
    body.put("kind", kind);
    body.put("spec", spec);
    return new CanonicalEntry(kind, "0.0.2", Jcs.encode(body));
  }

  /** A verifier: its key details, the key or certificate bytes as sent, and the public key they hold. */
  private record Verifier(String keyDetails, boolean certificate, byte[] raw, PublicKey key, KeyAlgorithm algorithm) {
    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("keyDetails", keyDetails);
      m.put(certificate ? "x509Certificate" : "publicKey", Map.of("rawBytes", b64(raw)));
      return m;
    }
  }

  private static Verifier verifier(JsonNode v, String p) throws InvalidEntryException {
    if (!v.isObject()) {
      throw new InvalidEntryException(p.substring(0, p.length() - 1) + ": expected an object, found " + kind(v));
    }
    only(v, p, Set.of("keyDetails", "publicKey", "x509Certificate"));
    JsonNode kd = v.get("keyDetails");
    if (kd == null || !kd.isTextual() || !KEY_DETAILS.containsKey(kd.textValue())) {
      throw new InvalidEntryException(p + "keyDetails: expected one of " + new java.util.TreeSet<>(KEY_DETAILS.keySet())
          + ", found " + kind(kd));
    }
    JsonNode pk = v.get("publicKey");
    JsonNode cert = v.get("x509Certificate");
    if ((pk == null) == (cert == null)) {
      throw new InvalidEntryException(p + "verifier: expected exactly one of publicKey and x509Certificate, found "
          + (pk == null ? "neither" : "both"));
    }
    boolean isCert = cert != null;
    String rp = p + (isCert ? "x509Certificate." : "publicKey.");
    JsonNode holder = isCert ? cert : pk;
    if (!holder.isObject()) {
      throw new InvalidEntryException(rp.substring(0, rp.length() - 1) + ": expected an object, found " + kind(holder));
    }
    only(holder, rp, Set.of("rawBytes"));
    byte[] raw = bytes(holder, "rawBytes", rp);
    PublicKey key;
    try {
      if (isCert) {
        X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(raw));
        key = c.getPublicKey();
      } else {
        key = publicKey(raw);
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new InvalidEntryException(rp + "rawBytes: expected a DER " + (isCert ? "X.509 certificate" : "PKIX public key")
          + ", found bytes that do not parse");
    }
    KeyAlgorithm alg;
    try {
      alg = KeyAlgorithm.of(key);
    } catch (UnsupportedKeyException e) {
      throw new InvalidEntryException(rp + "rawBytes: " + e.getMessage());
    }
    String details = kd.textValue();
    boolean matches = switch (alg) {
      case ECDSA_P256 -> details.equals("PKIX_ECDSA_P256_SHA_256");
      case ECDSA_P384 -> details.equals("PKIX_ECDSA_P384_SHA_384");
      case ECDSA_P521 -> details.equals("PKIX_ECDSA_P521_SHA_512");
      case ED25519 -> details.equals("PKIX_ED25519");
      case RSA_PKCS1V15 -> details.startsWith("PKIX_RSA_PKCS1V15_")
          && details.contains("_" + ((java.security.interfaces.RSAPublicKey) key).getModulus().bitLength() + "_");
    };
    if (!matches) {
      throw new InvalidEntryException(p + "keyDetails: expected details that describe the " + alg.displayName()
          + " key, found " + details);
    }
    return new Verifier(details, isCert, raw, key, alg);
  }

  private static PublicKey publicKey(byte[] spki) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String alg : new String[] {"EC", "RSA", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(spki));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }

  /** DSSE's pre-authentication encoding. */
  static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ")
        .getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + payload.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(payload, 0, out, head.length, payload.length);
    return out;
  }

  private static JsonNode field(JsonNode n, String camel, String snake) {
    JsonNode v = n.get(camel);
    return v != null ? v : n.get(snake);
  }

  private static JsonNode object(JsonNode n, String f, String p) throws InvalidEntryException {
    JsonNode v = n.get(f);
    if (v == null || !v.isObject()) {
      throw new InvalidEntryException(p + f + ": expected an object, found " + kind(v));
    }
    return v;
  }

  private static byte[] bytes(JsonNode n, String f, String p) throws InvalidEntryException {
    JsonNode v = n.get(f);
    if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
      throw new InvalidEntryException(p + f + ": expected non-empty base64, found " + kind(v));
    }
    try {
      // protobuf JSON accepts standard and URL-safe base64, with or without padding.
      String s = v.textValue().replace('-', '+').replace('_', '/');
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new InvalidEntryException(p + f + ": expected base64, found invalid base64");
    }
  }

  private static void only(JsonNode n, String p, Set<String> allowed) throws InvalidEntryException {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new InvalidEntryException(p + f + ": unknown field; expected one of " + new java.util.TreeSet<>(allowed));
      }
    }
  }

  private static String fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names.toString();
  }

  private static String kind(JsonNode n) {
    return n == null ? "nothing" : n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is in every JDK", e);
    }
  }
}

package dev.sigil.signer.keyless;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.signer.DigestSigner;
import dev.sigil.signer.SigningException;
import dev.sigil.signer.SigningKey;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.internal.crypto.Certificates;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import dev.sigil.verifier.internal.pem.Pem;
import dev.sigil.verifier.internal.pem.PemException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A Fulcio v2 REST client: exchanges an OIDC identity token and a public key (with a proof of possession) for a
 * short-lived signing certificate ({@code POST {base}/api/v2/signingCert}). Only certificates with embedded SCTs are
 * accepted. Thread-safe; the constructor does no I/O.
 */
public final class FulcioClient {
  public static final String SIGNING_CERT_PATH = "/api/v2/signingCert";
  private static final String SERVICE = "Fulcio";

  private final URI baseUrl;
  private final URI endpoint;
  private final Http http;

  /** A client with {@link Timeouts#defaults()}. */
  public FulcioClient(URI baseUrl) {
    this(baseUrl, Timeouts.defaults());
  }

  public FulcioClient(URI baseUrl, Timeouts timeouts) {
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.endpoint = Http.resolve(baseUrl, SIGNING_CERT_PATH);
    this.http = new Http(timeouts);
  }

  public URI baseUrl() {
    return baseUrl;
  }

  /**
   * The proof of possession Fulcio expects: an ECDSA signature (SHA-256, DER) by the key over the UTF-8 bytes of the
   * token's {@link IdToken#identity()} (its {@code email} claim, else {@code sub}).
   */
  public static byte[] proofOfPossession(SigningKey key, IdToken token) throws SigningException {
    if (key.algorithm() != KeyAlgorithm.ECDSA_P256) {
      throw new SigningException(
          "proof of possession: expected an ECDSA P-256 key, found " + key.algorithm().displayName());
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.identity().getBytes(StandardCharsets.UTF_8));
      return DigestSigner.signDigest(key, HashAlgorithm.SHA2_256, digest);
    } catch (GeneralSecurityException e) {
      throw new SigningException("proof of possession: signing failed (" + e.getMessage() + ")");
    }
  }

  /**
   * Requests a signing certificate for {@code publicKey} (ECDSA P-256).
   *
   * @return the chain, leaf first, as Fulcio returned it
   * @throws SigningException on any network error, refusal, or malformed response; the message names the URL, what
   *     was sent (never the token) and what came back
   */
  public List<X509Certificate> requestCertificate(IdToken token, PublicKey publicKey, byte[] proofOfPossession)
      throws SigningException {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(proofOfPossession, "proofOfPossession");
    ObjectNode req = Json.MAPPER.createObjectNode();
    req.putObject("credentials").put("oidcIdentityToken", token.jwt());
    ObjectNode pkr = req.putObject("publicKeyRequest");
    pkr.putObject("publicKey").put("algorithm", "ECDSA").put("content", PublicKeys.toPem(publicKey));
    pkr.put("proofOfPossession", Base64.getEncoder().encodeToString(proofOfPossession));
    byte[] body;
    try {
      body = Json.MAPPER.writeValueAsBytes(req);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("serializing a JSON tree cannot fail", e);
    }
    String sent =
        "a signing-certificate request for identity \""
            + token.identity()
            + "\" (issuer "
            + token.issuer()
            + ", ECDSA P-256 public key, proof of possession; token not shown)";
    Http.Response r = http.send(SERVICE, "POST", endpoint, "application/json", body, "application/json", sent, null);
    if (r.status() != 200 && r.status() != 201) {
      throw Http.unexpectedStatus(SERVICE, endpoint, sent, "HTTP 201 with a certificate chain", r);
    }
    try {
      return parseChain(r.body());
    } catch (Json.ShapeException e) {
      throw Http.malformed(SERVICE, endpoint, sent, e.getMessage(), r);
    }
  }

  /** Reads {@code signedCertificateEmbeddedSct.chain.certificates} (PEM strings, leaf first). */
  static List<X509Certificate> parseChain(byte[] body) throws Json.ShapeException {
    JsonNode root = Json.parseObject(body);
    if (root.has("signedCertificateDetachedSct")) {
      throw new Json.ShapeException(
          "signedCertificateDetachedSct: detached SCTs are not supported (expected signedCertificateEmbeddedSct, "
              + "a certificate with its SCT embedded, as Fulcio issues when it is configured with a CT log)");
    }
    JsonNode embedded = Json.object(root, "signedCertificateEmbeddedSct", "");
    JsonNode chain = Json.object(embedded, "chain", "signedCertificateEmbeddedSct.");
    JsonNode certs = Json.array(chain, "certificates", "signedCertificateEmbeddedSct.chain.");
    if (certs.isEmpty()) {
      throw new Json.ShapeException(
          "signedCertificateEmbeddedSct.chain.certificates: expected at least the leaf certificate, found none");
    }
    List<X509Certificate> out = new ArrayList<>();
    for (int i = 0; i < certs.size(); i++) {
      String path = "signedCertificateEmbeddedSct.chain.certificates[" + i + "]";
      JsonNode c = certs.get(i);
      if (!c.isTextual()) {
        throw new Json.ShapeException(path + ": expected a PEM string, found " + Json.kind(c));
      }
      out.add(pemCertificate(c.textValue(), path));
    }
    return List.copyOf(out);
  }

  /** One certificate as Fulcio returns it: one PEM block ({@link Pem.Mode#LENIENT}), labelled CERTIFICATE. */
  static X509Certificate pemCertificate(String pem, String path) throws Json.ShapeException {
    List<Pem.Block> blocks;
    try {
      blocks = Pem.decode(pem.getBytes(StandardCharsets.ISO_8859_1), Pem.Mode.LENIENT);
    } catch (PemException x) {
      throw new Json.ShapeException(path + ": expected one PEM certificate, found malformed PEM (" + x.getMessage() + ")");
    }
    if (blocks.isEmpty() || !blocks.get(0).label().equals("CERTIFICATE")) {
      throw new Json.ShapeException(path + ": expected a PEM block \"CERTIFICATE\", found no such block");
    }
    if (blocks.size() > 1) {
      throw new Json.ShapeException(path + ": expected one PEM certificate, found several in one string");
    }
    byte[] der = blocks.get(0).bytes();
    try {
      return Certificates.parse(der);
    } catch (CertificateException | RuntimeException x) {
      throw new Json.ShapeException(path + ": expected a DER X.509 certificate, found a malformed one (" + x.getMessage() + ")");
    }
  }
}

package dev.sigil.signer.keyless;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.signer.SigningException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.tsp.TimeStampTokenInfo;

/**
 * An RFC 3161 timestamp client: asks a timestamp authority to timestamp a signature (SHA-256 message imprint over the
 * signature bytes, a random nonce, the TSA's certificates requested), checks that the answer is granted and carries
 * our nonce and imprint, and returns the whole {@code TimeStampResp} DER, which is what bundles carry. The token's
 * signature and certificate chain are checked later by the verifier against the trusted root. Thread-safe; the
 * constructor does no I/O.
 *
 * <p>Two request encodings are spoken: standard RFC 3161 ({@code application/timestamp-query}, the default, as every
 * TSA including Sigstore's accepts) and the JSON form of Sigstore's timestamp-authority API ({@code artifactHash},
 * {@code hashAlgorithm}, {@code nonce}, {@code certificates}), which the sigstore-js mock TSA requires. Both return a
 * DER {@code TimeStampResp}.
 */
public final class TimestampClient {
  private static final String SERVICE = "TSA";
  /** Nonces stay below 2^53 so that the JSON encoding survives JavaScript TSAs. */
  private static final int NONCE_BITS = 53;

  /** How the request is encoded. */
  public enum Encoding {
    /** A DER {@code TimeStampReq}, {@code Content-Type: application/timestamp-query}. */
    RFC3161,
    /** Sigstore timestamp-authority JSON, {@code Content-Type: application/json}. */
    SIGSTORE_JSON
  }

  private final URI url;
  private final Encoding encoding;
  private final SecureRandom random;
  private final Http http;

  /** An RFC 3161 client for the full endpoint URL (e.g. {@code https://timestamp.sigstore.dev/api/v1/timestamp}). */
  public TimestampClient(URI url) {
    this(url, Encoding.RFC3161, Timeouts.defaults(), new SecureRandom());
  }

  public TimestampClient(URI url, Encoding encoding, Timeouts timeouts, SecureRandom random) {
    this.url = Objects.requireNonNull(url, "url");
    this.encoding = Objects.requireNonNull(encoding, "encoding");
    this.random = Objects.requireNonNull(random, "random");
    this.http = new Http(timeouts);
  }

  public URI url() {
    return url;
  }

  /**
   * Timestamps the signature.
   *
   * @return the DER {@code TimeStampResp}, as received
   * @throws SigningException on a network error, a refusal, a status other than granted, or a token whose nonce or
   *     message imprint is not ours
   */
  public byte[] timestamp(byte[] signature) throws SigningException {
    byte[] imprint = sha256(signature);
    BigInteger nonce = new BigInteger(NONCE_BITS, random).setBit(0);
    String sent =
        "a timestamp request for SHA-256 imprint " + HexFormat.of().formatHex(imprint) + " with nonce " + nonce
            + " (" + encoding + ")";
    byte[] body;
    String contentType;
    if (encoding == Encoding.RFC3161) {
      TimeStampRequestGenerator g = new TimeStampRequestGenerator();
      g.setCertReq(true);
      TimeStampRequest req = g.generate(NISTObjectIdentifiers.id_sha256, imprint, nonce);
      try {
        body = req.getEncoded();
      } catch (IOException e) {
        throw new IllegalStateException("encoding a TimeStampReq cannot fail", e);
      }
      contentType = "application/timestamp-query";
    } else {
      ObjectNode req = Json.MAPPER.createObjectNode();
      req.put("artifactHash", Base64.getEncoder().encodeToString(imprint));
      req.put("hashAlgorithm", "sha256");
      req.put("nonce", nonce.longValueExact());
      req.put("certificates", true);
      try {
        body = Json.MAPPER.writeValueAsBytes(req);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("serializing a JSON tree cannot fail", e);
      }
      contentType = "application/json";
    }
    Http.Response r =
        http.send(SERVICE, "POST", url, contentType, body, "application/timestamp-reply", sent, null);
    if (r.status() != 200 && r.status() != 201) {
      throw Http.unexpectedStatus(SERVICE, url, sent, "HTTP 200 or 201 with a TimeStampResp", r);
    }
    check(r.body(), imprint, nonce, sent);
    return r.body().clone();
  }

  /** Checks a response: granted, a token present, our nonce and imprint. Package-private for tests. */
  void check(byte[] der, byte[] imprint, BigInteger nonce, String sent) throws SigningException {
    TimeStampResponse resp;
    try {
      resp = new TimeStampResponse(der);
    } catch (TSPException | IOException | RuntimeException e) {
      throw fail(sent, "expected a DER TimeStampResp, found " + der.length + " bytes that do not parse ("
          + e.getMessage() + ")");
    }
    int status = resp.getStatus();
    if (status != PKIStatus.GRANTED && status != PKIStatus.GRANTED_WITH_MODS) {
      throw fail(sent, "expected status granted (0) or grantedWithMods (1), found " + status
          + (resp.getStatusString() == null ? "" : " (" + Http.quote(resp.getStatusString()) + ")")
          + (resp.getFailInfo() == null ? "" : ", failInfo " + resp.getFailInfo().intValue()));
    }
    TimeStampToken token = resp.getTimeStampToken();
    if (token == null) {
      throw fail(sent, "expected a timeStampToken in a granted response, found none");
    }
    TimeStampTokenInfo info = token.getTimeStampInfo();
    if (info.getNonce() == null || !info.getNonce().equals(nonce)) {
      throw fail(sent, "expected nonce " + nonce + " in the token, found " + info.getNonce());
    }
    if (!NISTObjectIdentifiers.id_sha256.equals(info.getMessageImprintAlgOID())) {
      throw fail(sent, "expected a SHA-256 message imprint (" + NISTObjectIdentifiers.id_sha256 + "), found algorithm "
          + info.getMessageImprintAlgOID());
    }
    if (!Arrays.equals(info.getMessageImprintDigest(), imprint)) {
      throw fail(sent, "expected message imprint " + HexFormat.of().formatHex(imprint) + ", found "
          + HexFormat.of().formatHex(info.getMessageImprintDigest()));
    }
  }

  private SigningException fail(String sent, String problem) {
    return new SigningException("TSA at " + url + ": unusable response to " + sent + ": " + problem);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is in every JDK", e);
    }
  }
}

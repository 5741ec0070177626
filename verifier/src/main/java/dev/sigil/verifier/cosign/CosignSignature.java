package dev.sigil.verifier.cosign;

import dev.sigil.verifier.entity.DsseEnvelope;
import dev.sigil.verifier.entity.DsseSignature;
import dev.sigil.verifier.entity.MessageSignature;
import dev.sigil.verifier.entity.SignatureContent;
import dev.sigil.verifier.entity.SignedEntity;
import dev.sigil.verifier.entity.TransparencyLogEntry;
import dev.sigil.verifier.entity.VerificationContent;
import dev.sigil.verifier.internal.json.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * cosign's legacy image signature or attestation, as stored in an OCI layer of the {@code sha256-<hex>.sig} or
 * {@code .att} tag: the layer's bytes (a simple-signing payload, or a DSSE envelope) and its annotations (signature,
 * certificate and chain, the Rekor bundle with a signed entry timestamp and no inclusion proof, an RFC 3161
 * timestamp), read as a {@link SignedEntity} so that it goes through exactly the checks a Sigstore bundle does.
 *
 * <p>This class reads bytes and checks their form only; it verifies nothing. What a verified simple-signing payload
 * means (that it names the image's digest and repository) is for the caller that fetched it.
 *
 * <p>What is signed, and so what a {@link dev.sigil.verifier.VerificationPolicy} must give as the artifact: for a
 * signature, the payload bytes ({@link dev.sigil.verifier.Artifact#ofContent}); for an attestation, the image digest
 * that the in-toto statement's subject must name.
 */
public final class CosignSignature implements SignedEntity {
  /** Annotation: base64 signature over the layer (empty on attestation layers, whose signature is in the envelope). */
  public static final String SIGNATURE = "dev.cosignproject.cosign/signature";
  /** Annotation: the signing certificate, PEM. */
  public static final String CERTIFICATE = "dev.sigstore.cosign/certificate";
  /** Annotation: the certificate's chain, PEM (intermediates and root; never trusted as such). */
  public static final String CHAIN = "dev.sigstore.cosign/chain";
  /** Annotation: the Rekor bundle (signed entry timestamp and entry), JSON. */
  public static final String BUNDLE = "dev.sigstore.cosign/bundle";
  /** Annotation: an RFC 3161 timestamp over the signature, JSON. */
  public static final String RFC3161_TIMESTAMP = "dev.sigstore.cosign/rfc3161timestamp";

  /** Layer payloads larger than this are refused (cosign's payloads are well under a few KiB; attestations larger). */
  public static final int MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;
  /** Annotations larger than this are refused. */
  public static final int MAX_ANNOTATION_CHARS = 256 * 1024;
  /** The most certificates a chain annotation may hold. */
  static final int MAX_CHAIN = 10;

  private final String mediaType;
  private final byte[] payload;
  private final VerificationContent content;
  private final SignatureContent signature;
  private final List<TransparencyLogEntry> entries;
  private final List<byte[]> timestamps;

  private CosignSignature(
      String mediaType,
      byte[] payload,
      VerificationContent content,
      SignatureContent signature,
      List<TransparencyLogEntry> entries,
      List<byte[]> timestamps) {
    this.mediaType = mediaType;
    this.payload = payload;
    this.content = content;
    this.signature = signature;
    this.entries = List.copyOf(entries);
    this.timestamps = List.copyOf(timestamps);
  }

  /**
   * A signature layer: a simple-signing payload signed as a message.
   *
   * @param payload the layer's bytes, exactly as stored
   * @param annotations the layer's annotations
   * @throws CosignFormatException if the signature annotation is missing or not base64, or another annotation is
   *     malformed; the message names the annotation, what was expected and what was found
   */
  public static CosignSignature ofSignatureLayer(byte[] payload, Map<String, String> annotations)
      throws CosignFormatException {
    checkSize(payload);
    String sig = annotation(annotations, SIGNATURE);
    if (sig == null || sig.isEmpty()) {
      throw new CosignFormatException(SIGNATURE + ": expected a base64 signature, found none");
    }
    byte[] signature = base64(sig, SIGNATURE);
    return new CosignSignature(
        "cosign signature (simple signing)",
        payload.clone(),
        verificationContent(annotations),
        new MessageSignature(Optional.empty(), signature),
        entries(annotations),
        timestamps(annotations));
  }

  /**
   * An attestation layer: a DSSE envelope (JSON) whose single signature covers the PAE of its in-toto payload.
   *
   * @param envelopeJson the layer's bytes, exactly as stored
   * @param annotations the layer's annotations
   * @throws CosignFormatException if the envelope or an annotation is malformed
   */
  public static CosignSignature ofAttestationLayer(byte[] envelopeJson, Map<String, String> annotations)
      throws CosignFormatException {
    checkSize(envelopeJson);
    JsonNode env;
    try {
      env = JsonNode.parse(envelopeJson);
    } catch (IOException e) {
      throw new CosignFormatException("DSSE envelope: expected JSON, found malformed JSON (" + e.getMessage() + ")");
    }
    if (env == null || !env.isObject()) {
      throw new CosignFormatException("DSSE envelope: expected a JSON object");
    }
    String payloadType = text(env, "payloadType", "DSSE envelope");
    byte[] payload = base64(text(env, "payload", "DSSE envelope"), "DSSE envelope payload");
    JsonNode sigs = env.path("signatures");
    if (!sigs.isArray() || sigs.isEmpty()) {
      throw new CosignFormatException("DSSE envelope signatures: expected at least one, found none");
    }
    List<DsseSignature> signatures = new ArrayList<>();
    for (JsonNode s : sigs) {
      if (!s.isObject()) {
        throw new CosignFormatException("DSSE envelope signatures: expected objects");
      }
      byte[] sig = base64(text(s, "sig", "DSSE signature"), "DSSE signature");
      JsonNode keyId = s.path("keyid");
      signatures.add(new DsseSignature(sig, keyId.isTextual() ? keyId.textValue() : ""));
    }
    return new CosignSignature(
        "cosign attestation (DSSE)",
        envelopeJson.clone(),
        verificationContent(annotations),
        new DsseEnvelope(payload, payloadType, signatures),
        entries(annotations),
        timestamps(annotations));
  }

  /** The layer's bytes, exactly as stored: what a signature layer signs. */
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public VerificationContent verificationContent() {
    return content;
  }

  @Override
  public SignatureContent signatureContent() {
    return signature;
  }

  @Override
  public List<TransparencyLogEntry> tlogEntries() {
    return entries;
  }

  @Override
  public List<byte[]> rfc3161Timestamps() {
    List<byte[]> out = new ArrayList<>(timestamps.size());
    for (byte[] t : timestamps) {
      out.add(t.clone());
    }
    return out;
  }

  /** cosign's Rekor annotation carries a signed entry timestamp and no inclusion proof. */
  @Override
  public boolean inclusionProofRequired() {
    return false;
  }

  @Override
  public String mediaType() {
    return mediaType;
  }

  private static void checkSize(byte[] payload) throws CosignFormatException {
    Objects.requireNonNull(payload, "payload");
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new CosignFormatException(
          "layer: expected at most " + MAX_PAYLOAD_BYTES + " bytes, found " + payload.length);
    }
  }

  private static String annotation(Map<String, String> annotations, String name) throws CosignFormatException {
    String v = annotations.get(name);
    if (v != null && v.length() > MAX_ANNOTATION_CHARS) {
      throw new CosignFormatException(
          name + ": expected at most " + MAX_ANNOTATION_CHARS + " characters, found " + v.length());
    }
    return v;
  }

  private static VerificationContent verificationContent(Map<String, String> annotations) throws CosignFormatException {
    String cert = annotation(annotations, CERTIFICATE);
    if (cert == null || cert.isEmpty()) {
      return new VerificationContent.PublicKeyHint(Optional.empty());
    }
    List<byte[]> ders = new ArrayList<>(certificates(cert, CERTIFICATE));
    if (ders.size() != 1) {
      throw new CosignFormatException(CERTIFICATE + ": expected one PEM certificate, found " + ders.size());
    }
    String chain = annotation(annotations, CHAIN);
    if (chain != null && !chain.isEmpty()) {
      ders.addAll(certificates(chain, CHAIN));
    }
    if (ders.size() > MAX_CHAIN) {
      throw new CosignFormatException(CHAIN + ": expected at most " + (MAX_CHAIN - 1) + " certificates, found " + (ders.size() - 1));
    }
    return new VerificationContent.CertificateChain(ders, true);
  }

  /** PEM certificates as DER, read with the JDK's CertificateFactory (which reads PEM sequences). */
  private static List<byte[]> certificates(String pem, String what) throws CosignFormatException {
    try {
      List<byte[]> out = new ArrayList<>();
      for (Certificate c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        out.add(c.getEncoded());
        if (out.size() > MAX_CHAIN) {
          break;
        }
      }
      if (out.isEmpty()) {
        throw new CosignFormatException(what + ": expected PEM certificates, found none");
      }
      return out;
    } catch (CertificateEncodingException e) {
      throw new CosignFormatException(what + ": a certificate does not re-encode (" + e.getMessage() + ")");
    } catch (CertificateException | RuntimeException e) {
      throw new CosignFormatException(what + ": expected PEM certificates, found malformed data (" + e.getMessage() + ")");
    }
  }

  /**
   * The Rekor annotation: {@code {"SignedEntryTimestamp": b64, "Payload": {"body": b64, "integratedTime": n,
   * "logIndex": n, "logID": hex}}}, as a log entry with a SET and no inclusion proof.
   */
  private static List<TransparencyLogEntry> entries(Map<String, String> annotations) throws CosignFormatException {
    String bundle = annotation(annotations, BUNDLE);
    if (bundle == null || bundle.isEmpty()) {
      return List.of();
    }
    JsonNode b = json(bundle, BUNDLE);
    byte[] set = base64(text(b, "SignedEntryTimestamp", BUNDLE), BUNDLE + " SignedEntryTimestamp");
    JsonNode p = b.path("Payload");
    if (!p.isObject()) {
      throw new CosignFormatException(BUNDLE + " Payload: expected an object, found " + p.getNodeType());
    }
    byte[] body = base64(text(p, "body", BUNDLE + " Payload"), BUNDLE + " Payload.body");
    long integratedTime = number(p, "integratedTime");
    long logIndex = number(p, "logIndex");
    String logId = text(p, "logID", BUNDLE + " Payload");
    byte[] logIdBytes;
    try {
      logIdBytes = HexFormat.of().parseHex(logId);
    } catch (IllegalArgumentException e) {
      throw new CosignFormatException(BUNDLE + " Payload.logID: expected hex, found \"" + logId + "\"");
    }
    JsonNode parsedBody = json(new String(body, StandardCharsets.UTF_8), BUNDLE + " Payload.body");
    String kind = text(parsedBody, "kind", BUNDLE + " Payload.body");
    String version = text(parsedBody, "apiVersion", BUNDLE + " Payload.body");
    return List.of(
        new TransparencyLogEntry(
            logIndex, logIdBytes, kind, version, integratedTime, Optional.of(set), Optional.empty(), body));
  }

  /** The RFC 3161 annotation: {@code {"SignedRFC3161Timestamp": b64}}. */
  private static List<byte[]> timestamps(Map<String, String> annotations) throws CosignFormatException {
    String ts = annotation(annotations, RFC3161_TIMESTAMP);
    if (ts == null || ts.isEmpty()) {
      return List.of();
    }
    JsonNode t = json(ts, RFC3161_TIMESTAMP);
    return List.of(base64(text(t, "SignedRFC3161Timestamp", RFC3161_TIMESTAMP), RFC3161_TIMESTAMP));
  }

  private static JsonNode json(String text, String what) throws CosignFormatException {
    JsonNode n;
    try {
      n = JsonNode.parse(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CosignFormatException(what + ": expected JSON, found malformed JSON (" + e.getMessage() + ")");
    }
    if (n == null || !n.isObject()) {
      throw new CosignFormatException(what + ": expected a JSON object");
    }
    return n;
  }

  private static String text(JsonNode n, String field, String what) throws CosignFormatException {
    JsonNode v = n.path(field);
    if (!v.isTextual()) {
      throw new CosignFormatException(what + "." + field + ": expected a string, found " + v.getNodeType());
    }
    return v.textValue();
  }

  private static long number(JsonNode n, String field) throws CosignFormatException {
    JsonNode v = n.path(field);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new CosignFormatException(BUNDLE + " Payload." + field + ": expected an integer, found " + v.getNodeType());
    }
    return v.longValue();
  }

  private static byte[] base64(String text, String what) throws CosignFormatException {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new CosignFormatException(what + ": expected standard base64, found invalid text");
    }
  }
}

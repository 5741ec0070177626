package dev.sigil.sandbox.ctlog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DEROctetString;

/**
 * An RFC 6962 v1 signed certificate timestamp with an ECDSA (SHA-256) signature, as {@link CtLog} issues it. Its
 * arrays are copied on the way in and out.
 *
 * @param logId the issuing log's ID (SHA-256 of its DER SubjectPublicKeyInfo), 32 bytes
 * @param timestamp milliseconds since the epoch
 * @param signature the DER ECDSA signature over the RFC 6962 section 3.2 {@code digitally-signed} input
 */
public record Sct(byte[] logId, long timestamp, byte[] signature) {
  /** The X.509 extension holding a certificate's embedded SCT list. */
  public static final String SCT_LIST_OID = "1.3.6.1.4.1.11129.2.4.2";

  /** TLS HashAlgorithm sha256. */
  static final int HASH_SHA256 = 4;
  /** TLS SignatureAlgorithm ecdsa. */
  static final int SIG_ECDSA = 3;

  public Sct {
    Objects.requireNonNull(logId, "logId");
    Objects.requireNonNull(signature, "signature");
    if (logId.length != 32) {
      throw new IllegalArgumentException("SCT log ID: expected 32 bytes, found " + logId.length);
    }
    if (timestamp < 0) {
      throw new IllegalArgumentException("SCT timestamp: expected >= 0 ms, found " + timestamp);
    }
    if (signature.length == 0 || signature.length > 0xffff) {
      throw new IllegalArgumentException("SCT signature: expected 1..65535 bytes, found " + signature.length);
    }
    logId = logId.clone();
    signature = signature.clone();
  }

  @Override
  public byte[] logId() {
    return logId.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  public Instant time() {
    return Instant.ofEpochMilli(timestamp);
  }

  /**
   * The TLS encoding: version (1 byte, v1 = 0), log ID (32), timestamp (uint64), extensions (uint16 length, empty),
   * hash algorithm sha256 (4), signature algorithm ecdsa (3), signature (uint16 length + bytes).
   */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(47 + signature.length);
    out.write(0);
    out.writeBytes(logId);
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (timestamp >>> shift) & 0xff);
    }
    out.write(0); // extensions: none
    out.write(0);
    out.write(HASH_SHA256);
    out.write(SIG_ECDSA);
    out.write((signature.length >>> 8) & 0xff);
    out.write(signature.length & 0xff);
    out.writeBytes(signature);
    return out.toByteArray();
  }

  /** A TLS {@code SignedCertificateTimestampList}: uint16 total length, then each SCT with a uint16 length prefix. */
  public static byte[] encodeList(List<Sct> scts) {
    if (scts.isEmpty()) {
      throw new IllegalArgumentException("SCT list: expected at least one SCT, found none");
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Sct sct : scts) {
      byte[] one = sct.encode();
      body.write((one.length >>> 8) & 0xff);
      body.write(one.length & 0xff);
      body.writeBytes(one);
    }
    if (body.size() > 0xffff) {
      throw new IllegalArgumentException("SCT list: expected at most 65535 bytes, found " + body.size());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 2);
    out.write((body.size() >>> 8) & 0xff);
    out.write(body.size() & 0xff);
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  /**
   * The contents of the {@code 1.3.6.1.4.1.11129.2.4.2} extension's {@code extnValue}: a DER OCTET STRING wrapping
   * the TLS list (RFC 6962 section 3.3), so the certificate holds an OCTET STRING inside an OCTET STRING.
   */
  public static byte[] extensionValue(List<Sct> scts) {
    try {
      return new DEROctetString(encodeList(scts)).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding an OCTET STRING cannot fail", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sct s
        && Arrays.equals(logId, s.logId)
        && timestamp == s.timestamp
        && Arrays.equals(signature, s.signature);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(logId) + Long.hashCode(timestamp)) + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "Sct[logId=" + Base64.getEncoder().encodeToString(logId) + ", time=" + time() + "]";
  }
}

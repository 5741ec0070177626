package dev.sigil.verifier.internal.certificate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;

/**
 * One SCT from a certificate's embedded SCT list (RFC 6962 section 3.3), as its TLS encoding gives it. Package-private
 * and immutable by convention (its arrays are never handed out).
 *
 * <pre>
 * struct {
 *   Version sct_version;               // 1 byte, v1 = 0
 *   LogID id;                          // 32 bytes
 *   uint64 timestamp;                  // ms since the epoch
 *   CtExtensions extensions;           // uint16 length + bytes
 *   digitally-signed struct { ... };   // hash alg (1), sig alg (1), uint16 length + signature
 * } SignedCertificateTimestamp;
 * </pre>
 */
record SignedCertificateTimestamp(
    int version,
    byte[] logId,
    long timestamp,
    byte[] extensions,
    int hashAlgorithm,
    int signatureAlgorithm,
    byte[] signature) {

  /** The X.509 extension carrying the embedded SCT list. */
  static final ASN1ObjectIdentifier SCT_LIST_OID = new ASN1ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2");

  String logIdBase64() {
    return Base64.getEncoder().encodeToString(logId);
  }

  Instant time() {
    return Instant.ofEpochMilli(timestamp);
  }

  /**
   * Parses a TLS {@code SignedCertificateTimestampList}: {@code opaque SerializedSCT<1..2^16-1>} entries inside a
   * {@code <1..2^16-1>} list. SCTs of an unknown version are returned with only their version and log ID unread
   * (null), so the caller can say so; they are length-delimited and skipped safely.
   *
   * @throws MalformedCertificateException if any length is inconsistent or bytes are left over
   */
  static List<SignedCertificateTimestamp> parseList(byte[] list) throws MalformedCertificateException {
    Reader r = new Reader(list, "SCT list");
    int total = r.u16();
    if (total != r.remaining()) {
      throw new MalformedCertificateException(
          "SCT list: expected a length prefix equal to the " + r.remaining() + " bytes that follow, found " + total);
    }
    if (total == 0) {
      throw new MalformedCertificateException("SCT list: expected at least one SCT, found an empty list");
    }
    List<SignedCertificateTimestamp> out = new ArrayList<>();
    while (r.remaining() > 0) {
      int len = r.u16();
      if (len == 0) {
        throw new MalformedCertificateException("SCT list entry " + (out.size() + 1) + ": expected a non-empty SCT, found length 0");
      }
      Reader s = new Reader(r.bytes(len), "SCT " + (out.size() + 1));
      int version = s.u8();
      if (version != 0) {
        out.add(new SignedCertificateTimestamp(version, null, 0, null, 0, 0, null));
        continue;
      }
      byte[] logId = s.bytes(32);
      long timestamp = s.u64();
      byte[] extensions = s.bytes(s.u16());
      int hash = s.u8();
      int sigAlg = s.u8();
      byte[] signature = s.bytes(s.u16());
      if (s.remaining() != 0) {
        throw new MalformedCertificateException(
            "SCT " + (out.size() + 1) + ": expected it to end after the signature, found " + s.remaining() + " extra byte(s)");
      }
      out.add(new SignedCertificateTimestamp(version, logId, timestamp, extensions, hash, sigAlg, signature));
    }
    return out;
  }

  /** A bounds-checked big-endian reader. */
  private static final class Reader {
    private final byte[] b;
    private final String what;
    private int pos;

    Reader(byte[] b, String what) {
      this.b = b;
      this.what = what;
    }

    int remaining() {
      return b.length - pos;
    }

    private void need(int n) throws MalformedCertificateException {
      if (remaining() < n) {
        throw new MalformedCertificateException(
            what + ": expected " + n + " more byte(s) at offset " + pos + ", found " + remaining());
      }
    }

    int u8() throws MalformedCertificateException {
      need(1);
      return b[pos++] & 0xff;
    }

    int u16() throws MalformedCertificateException {
      need(2);
      int v = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
      pos += 2;
      return v;
    }

    long u64() throws MalformedCertificateException {
      need(8);
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (b[pos + i] & 0xff);
      }
      pos += 8;
      return v;
    }

    byte[] bytes(int n) throws MalformedCertificateException {
      need(n);
      byte[] out = new byte[n];
      System.arraycopy(b, pos, out, 0, n);
      pos += n;
      return out;
    }
  }
}

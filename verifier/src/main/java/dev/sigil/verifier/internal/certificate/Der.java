package dev.sigil.verifier.internal.certificate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.Certificate;

/** Small, strict DER helpers shared by this package. Stateless. */
final class Der {
  private Der() {}

  /** The certificate's ASN.1 structure, parsed by BouncyCastle from its encoding. */
  static Certificate parse(X509Certificate cert) throws MalformedCertificateException {
    byte[] der;
    try {
      der = cert.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new MalformedCertificateException("certificate: expected a DER encoding, found none (" + e.getMessage() + ")");
    }
    return parse(der);
  }

  static Certificate parse(byte[] der) throws MalformedCertificateException {
    try {
      return Certificate.getInstance(ASN1Primitive.fromByteArray(der));
    } catch (IOException | RuntimeException e) {
      throw new MalformedCertificateException(
          "certificate: expected a DER X.509 Certificate, found " + der.length + " bytes that do not parse ("
              + e.getMessage() + ")");
    }
  }

  /**
   * Decodes UTF-8, refusing malformed sequences instead of replacing them. All-ASCII input (every Fulcio value seen
   * so far) is valid UTF-8 that decodes byte for byte, so it skips building a strict decoder.
   */
  static String utf8(byte[] bytes, String field) throws MalformedCertificateException {
    boolean ascii = true;
    for (byte b : bytes) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(bytes, StandardCharsets.US_ASCII);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedCertificateException(
          field + ": expected UTF-8 text, found bytes that are not valid UTF-8 (" + preview(bytes) + ")");
    }
  }

  /**
   * Decodes exactly one DER UTF8String (universal, primitive tag 0x0C, minimal definite length) spanning all of
   * {@code bytes}, refusing any other tag, trailing bytes or invalid UTF-8.
   */
  static String utf8String(byte[] bytes, String field) throws MalformedCertificateException {
    if (bytes.length < 2) {
      throw new MalformedCertificateException(
          field + ": expected a DER UTF8String, found " + bytes.length + " byte(s)");
    }
    int tag = bytes[0] & 0xff;
    if (tag != 0x0c) {
      throw new MalformedCertificateException(
          field + ": expected a DER UTF8String (tag 0x0C), found tag 0x" + String.format("%02X", tag));
    }
    int first = bytes[1] & 0xff;
    int length;
    int offset;
    if (first < 0x80) {
      length = first;
      offset = 2;
    } else {
      int count = first & 0x7f;
      if (count == 0 || count > 3 || bytes.length < 2 + count) {
        throw new MalformedCertificateException(
            field + ": expected a DER definite length, found length byte 0x" + String.format("%02X", first));
      }
      length = 0;
      for (int i = 0; i < count; i++) {
        length = (length << 8) | (bytes[2 + i] & 0xff);
      }
      offset = 2 + count;
      boolean minimal = length >= 0x80 && (count == 1 || (bytes[2] & 0xff) != 0);
      if (!minimal) {
        throw new MalformedCertificateException(
            field + ": expected a minimal DER length, found a " + count + "-byte encoding of " + length);
      }
    }
    if (offset + length != bytes.length) {
      throw new MalformedCertificateException(
          field
              + ": expected a UTF8String of "
              + length
              + " content byte(s) filling the value, found "
              + (bytes.length - offset)
              + " byte(s) after the header");
    }
    byte[] content = new byte[length];
    System.arraycopy(bytes, offset, content, 0, length);
    return utf8(content, field);
  }

  /**
   * One DER element's header inside {@code b}: where it starts, its identifier byte, the header length and the content
   * length. Only single-byte tags and minimal definite lengths of up to 3 bytes are accepted (all X.509 needs).
   */
  record Tlv(int start, int tag, int headerLength, int contentLength) {
    int contentStart() {
      return start + headerLength;
    }

    int end() {
      return start + headerLength + contentLength;
    }

    static Tlv read(byte[] b, int start, int limit, String field) throws MalformedCertificateException {
      if (start + 2 > limit) {
        throw new MalformedCertificateException(field + ": expected a DER element at offset " + start + ", found the end");
      }
      int tag = b[start] & 0xff;
      if ((tag & 0x1f) == 0x1f) {
        throw new MalformedCertificateException(
            field + ": expected a single-byte DER tag at offset " + start + ", found a multi-byte tag");
      }
      int first = b[start + 1] & 0xff;
      int length;
      int header;
      if (first < 0x80) {
        length = first;
        header = 2;
      } else {
        int count = first & 0x7f;
        if (count == 0 || count > 3 || start + 2 + count > limit) {
          throw new MalformedCertificateException(
              field + ": expected a DER definite length at offset " + start + ", found length byte 0x"
                  + String.format("%02X", first));
        }
        length = 0;
        for (int i = 0; i < count; i++) {
          length = (length << 8) | (b[start + 2 + i] & 0xff);
        }
        if (length < 0x80 || (b[start + 2] & 0xff) == 0) {
          throw new MalformedCertificateException(
              field + ": expected a minimal DER length at offset " + start + ", found a " + count + "-byte encoding of "
                  + length);
        }
        header = 2 + count;
      }
      if ((long) start + header + length > limit) {
        throw new MalformedCertificateException(
            field + ": expected " + length + " content byte(s) at offset " + (start + header) + ", found "
                + (limit - start - header));
      }
      return new Tlv(start, tag, header, length);
    }
  }

  /** A minimal DER header for {@code tag} and {@code length}. */
  static byte[] header(int tag, int length) {
    if (length < 0x80) {
      return new byte[] {(byte) tag, (byte) length};
    }
    if (length < 0x100) {
      return new byte[] {(byte) tag, (byte) 0x81, (byte) length};
    }
    if (length < 0x10000) {
      return new byte[] {(byte) tag, (byte) 0x82, (byte) (length >>> 8), (byte) length};
    }
    return new byte[] {(byte) tag, (byte) 0x83, (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
  }

  /** Up to 16 bytes in hex, for messages about bad input. */
  static String preview(byte[] bytes) {
    int n = Math.min(bytes.length, 16);
    byte[] head = new byte[n];
    System.arraycopy(bytes, 0, head, 0, n);
    return "hex " + HexFormat.of().formatHex(head) + (bytes.length > n ? "..." : "");
  }
}

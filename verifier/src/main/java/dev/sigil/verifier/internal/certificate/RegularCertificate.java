package dev.sigil.verifier.internal.certificate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a certificate's extensions straight from its DER, without BouncyCastle, but only when the encoding is so
 * regular that BouncyCastle's parse could not have refused it. {@link FulcioCertificate#parse} used to re-parse every
 * certificate with BouncyCastle (about 40 us warm) just to list the extensions; that parse doubles as a structural
 * check, so this reader keeps the check by answering "not sure" ({@code null}) for anything unusual, and the caller
 * then takes the BouncyCastle route, which accepts or refuses exactly as before.
 *
 * <p>"Regular" means: strict DER headers everywhere outside OCTET and BIT STRING contents (single-byte tags, minimal
 * definite lengths); only the universal types a Fulcio certificate uses, each well-formed (minimal INTEGERs, one-byte
 * BOOLEANs, terminated OIDs, ...); a v3 TBSCertificate with the usual seven fields and at most an extensions field
 * after them; a non-empty extensions SEQUENCE of {@code SEQUENCE {OID, [BOOLEAN,] OCTET STRING}} with no OID twice.
 * Stateless.
 */
final class RegularCertificate {
  private RegularCertificate() {}

  /** One extension as byte ranges into the certificate's DER. */
  record Ext(int oidStart, int oidEnd, boolean critical, int valueStart, int valueEnd) {}

  private static final int BOOLEAN = 0x01;
  private static final int INTEGER = 0x02;
  private static final int BIT_STRING = 0x03;
  private static final int OCTET_STRING = 0x04;
  private static final int NULL = 0x05;
  private static final int OID = 0x06;
  private static final int UTF8_STRING = 0x0c;
  private static final int PRINTABLE_STRING = 0x13;
  private static final int IA5_STRING = 0x16;
  private static final int UTC_TIME = 0x17;
  private static final int GENERALIZED_TIME = 0x18;
  private static final int SEQUENCE = 0x30;
  private static final int SET = 0x31;
  private static final int VERSION_TAG = 0xa0;
  private static final int EXTENSIONS_TAG = 0xa3;
  private static final int MAX_DEPTH = 16;
  private static final byte[] VERSION_3 = {(byte) VERSION_TAG, 0x03, INTEGER, 0x01, 0x02};
  private static final String F = "certificate";

  /**
   * The extensions of {@code der} in certificate order (empty if it has none), or null when the encoding is not
   * regular enough to be sure BouncyCastle would have read it the same way.
   */
  static List<Ext> extensions(byte[] der) {
    try {
      if (!regular(der, 0, der.length, 0)) {
        return null;
      }
      List<Der.Tlv> cert = children(der, Der.Tlv.read(der, 0, der.length, F));
      if (cert.size() != 3
          || cert.get(0).tag() != SEQUENCE
          || !algorithmIdentifier(der, cert.get(1))
          || cert.get(2).tag() != BIT_STRING) {
        return null;
      }
      List<Der.Tlv> tbs = children(der, cert.get(0));
      if (tbs.size() < 7 || tbs.size() > 8) {
        return null;
      }
      Der.Tlv version = tbs.get(0);
      if (!Arrays.equals(der, version.start(), version.end(), VERSION_3, 0, VERSION_3.length)
          || tbs.get(1).tag() != INTEGER
          || !algorithmIdentifier(der, tbs.get(2))
          || !name(der, tbs.get(3))
          || !validity(der, tbs.get(4))
          || !name(der, tbs.get(5))
          || !subjectPublicKeyInfo(der, tbs.get(6))) {
        return null;
      }
      if (tbs.size() == 7) {
        return List.of();
      }
      Der.Tlv tagged = tbs.get(7);
      if (tagged.tag() != EXTENSIONS_TAG) {
        return null;
      }
      List<Der.Tlv> wrapper = children(der, tagged);
      if (wrapper.size() != 1 || wrapper.get(0).tag() != SEQUENCE) {
        return null;
      }
      List<Der.Tlv> list = children(der, wrapper.get(0));
      if (list.isEmpty()) {
        return null;
      }
      List<Ext> out = new ArrayList<>(list.size());
      for (Der.Tlv e : list) {
        Ext ext = extension(der, e);
        if (ext == null) {
          return null;
        }
        for (Ext seen : out) {
          if (Arrays.equals(der, seen.oidStart(), seen.oidEnd(), der, ext.oidStart(), ext.oidEnd())) {
            return null; // BouncyCastle refuses a repeated extension; let it say so
          }
        }
        out.add(ext);
      }
      return out;
    } catch (MalformedCertificateException e) {
      return null;
    }
  }

  private static Ext extension(byte[] der, Der.Tlv e) throws MalformedCertificateException {
    if (e.tag() != SEQUENCE) {
      return null;
    }
    List<Der.Tlv> parts = children(der, e);
    if (parts.size() < 2 || parts.size() > 3 || parts.get(0).tag() != OID) {
      return null;
    }
    boolean critical = false;
    if (parts.size() == 3) {
      if (parts.get(1).tag() != BOOLEAN) {
        return null;
      }
      critical = der[parts.get(1).contentStart()] != 0;
    }
    Der.Tlv oid = parts.get(0);
    Der.Tlv value = parts.get(parts.size() - 1);
    if (value.tag() != OCTET_STRING) {
      return null;
    }
    return new Ext(oid.contentStart(), oid.end(), critical, value.contentStart(), value.end());
  }

  /** SEQUENCE { OID, optional parameters }. */
  private static boolean algorithmIdentifier(byte[] der, Der.Tlv t) throws MalformedCertificateException {
    if (t.tag() != SEQUENCE) {
      return false;
    }
    List<Der.Tlv> parts = children(der, t);
    return !parts.isEmpty() && parts.size() <= 2 && parts.get(0).tag() == OID;
  }

  /** SEQUENCE OF SET (non-empty) OF SEQUENCE { OID, value }. */
  private static boolean name(byte[] der, Der.Tlv t) throws MalformedCertificateException {
    if (t.tag() != SEQUENCE) {
      return false;
    }
    for (Der.Tlv rdn : children(der, t)) {
      List<Der.Tlv> atvs = children(der, rdn);
      if (rdn.tag() != SET || atvs.isEmpty()) {
        return false;
      }
      for (Der.Tlv atv : atvs) {
        if (atv.tag() != SEQUENCE) {
          return false;
        }
        List<Der.Tlv> parts = children(der, atv);
        if (parts.size() != 2 || parts.get(0).tag() != OID) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean validity(byte[] der, Der.Tlv t) throws MalformedCertificateException {
    if (t.tag() != SEQUENCE) {
      return false;
    }
    List<Der.Tlv> times = children(der, t);
    return times.size() == 2 && time(times.get(0)) && time(times.get(1));
  }

  private static boolean time(Der.Tlv t) {
    return t.tag() == UTC_TIME || t.tag() == GENERALIZED_TIME;
  }

  private static boolean subjectPublicKeyInfo(byte[] der, Der.Tlv t) throws MalformedCertificateException {
    if (t.tag() != SEQUENCE) {
      return false;
    }
    List<Der.Tlv> parts = children(der, t);
    return parts.size() == 2 && algorithmIdentifier(der, parts.get(0)) && parts.get(1).tag() == BIT_STRING;
  }

  private static List<Der.Tlv> children(byte[] der, Der.Tlv parent) throws MalformedCertificateException {
    List<Der.Tlv> out = new ArrayList<>();
    for (int pos = parent.contentStart(); pos < parent.end(); ) {
      Der.Tlv t = Der.Tlv.read(der, pos, parent.end(), F);
      out.add(t);
      pos = t.end();
    }
    return out;
  }

  /**
   * Whether every element in {@code [start, end)} has a strict DER header and is a constructed SEQUENCE, SET, [0] or
   * [3] (checked recursively) or a well-formed primitive of a type Fulcio certificates use. OCTET and BIT STRING
   * contents are not looked into: BouncyCastle's certificate parse does not look into them either.
   */
  private static boolean regular(byte[] b, int start, int end, int depth) throws MalformedCertificateException {
    if (depth > MAX_DEPTH) {
      return false;
    }
    for (int pos = start; pos < end; ) {
      Der.Tlv t = Der.Tlv.read(b, pos, end, F);
      int c = t.contentStart();
      int n = t.contentLength();
      boolean ok =
          switch (t.tag()) {
            case SEQUENCE, SET, VERSION_TAG, EXTENSIONS_TAG -> regular(b, c, t.end(), depth + 1);
            case BOOLEAN -> n == 1 && (b[c] == 0 || b[c] == (byte) 0xff);
            case INTEGER -> n >= 1 && (n == 1 || !(b[c] == 0 && b[c + 1] >= 0) && !(b[c] == -1 && b[c + 1] < 0));
            case BIT_STRING -> n >= 1 && (b[c] == 0 || (n > 1 && b[c] > 0 && b[c] < 8
                && (b[t.end() - 1] & ((1 << b[c]) - 1)) == 0));
            case NULL -> n == 0;
            case OID -> oid(b, c, t.end());
            case OCTET_STRING, UTF8_STRING, PRINTABLE_STRING, IA5_STRING -> true;
            case UTC_TIME -> n == 13 && b[t.end() - 1] == 'Z';
            case GENERALIZED_TIME -> n == 15 && b[t.end() - 1] == 'Z';
            default -> false;
          };
      if (!ok) {
        return false;
      }
      pos = t.end();
    }
    return true;
  }

  /** Non-empty, every sub-identifier minimal (no leading 0x80) and the last one terminated. */
  private static boolean oid(byte[] b, int start, int end) {
    if (start == end || b[end - 1] < 0) {
      return false;
    }
    boolean subStart = true;
    for (int i = start; i < end; i++) {
      if (subStart && b[i] == (byte) 0x80) {
        return false;
      }
      subStart = b[i] >= 0;
    }
    return true;
  }
}

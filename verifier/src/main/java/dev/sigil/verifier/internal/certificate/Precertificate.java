package dev.sigil.verifier.internal.certificate;

import java.io.ByteArrayOutputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * What a CT log signed for a certificate's embedded SCTs, recovered from the final certificate by byte surgery on
 * its DER TBSCertificate: the SCT-list extension is cut out and only the lengths of the three enclosing elements
 * (TBSCertificate, {@code [3]}, Extensions) are rewritten. Every other byte is the CA's own, untouched, so no
 * re-encoding can change what is hashed. Stateless.
 *
 * @param tbs the TBSCertificate without the SCT-list extension (RFC 6962 section 3.2 {@code tbs_certificate})
 * @param sctList the TLS-encoded SignedCertificateTimestampList from the extension, or null if there is none
 */
record Precertificate(byte[] tbs, byte[] sctList) {
  /** DER content of OID 1.3.6.1.4.1.11129.2.4.2. */
  private static final byte[] SCT_LIST_OID =
      {0x2b, 0x06, 0x01, 0x04, 0x01, (byte) 0xd6, 0x79, 0x02, 0x04, 0x02};

  private static final int SEQUENCE = 0x30;
  private static final int EXTENSIONS_TAG = 0xa3;
  private static final int OID = 0x06;
  private static final int BOOLEAN = 0x01;
  private static final int OCTET_STRING = 0x04;

  static Precertificate of(X509Certificate leaf) throws MalformedCertificateException {
    try {
      return of(leaf.getTBSCertificate());
    } catch (CertificateEncodingException e) {
      throw new MalformedCertificateException("leaf TBSCertificate: expected DER, found none (" + e.getMessage() + ")");
    }
  }

  static Precertificate of(byte[] tbs) throws MalformedCertificateException {
    String f = "leaf TBSCertificate";
    Der.Tlv outer = Der.Tlv.read(tbs, 0, tbs.length, f);
    if (outer.tag() != SEQUENCE || outer.end() != tbs.length) {
      throw new MalformedCertificateException(f + ": expected one DER SEQUENCE, found tag 0x"
          + String.format("%02X", outer.tag()) + " spanning " + outer.end() + " of " + tbs.length + " bytes");
    }
    Der.Tlv extensions = null;
    for (int pos = outer.contentStart(); pos < outer.end(); ) {
      Der.Tlv field = Der.Tlv.read(tbs, pos, outer.end(), f);
      if (field.tag() == EXTENSIONS_TAG) {
        extensions = field;
      }
      pos = field.end();
    }
    if (extensions == null) {
      return new Precertificate(tbs.clone(), null);
    }
    String fe = f + " extensions";
    Der.Tlv seq = Der.Tlv.read(tbs, extensions.contentStart(), extensions.end(), fe);
    if (seq.tag() != SEQUENCE || seq.end() != extensions.end()) {
      throw new MalformedCertificateException(fe + ": expected [3] to hold exactly one SEQUENCE");
    }
    Der.Tlv sct = null;
    byte[] sctList = null;
    for (int pos = seq.contentStart(); pos < seq.end(); ) {
      Der.Tlv ext = Der.Tlv.read(tbs, pos, seq.end(), fe);
      Der.Tlv oid = Der.Tlv.read(tbs, ext.contentStart(), ext.end(), fe);
      if (ext.tag() != SEQUENCE || oid.tag() != OID) {
        throw new MalformedCertificateException(fe + ": expected Extension SEQUENCEs starting with an OID");
      }
      if (Arrays.equals(tbs, oid.contentStart(), oid.end(), SCT_LIST_OID, 0, SCT_LIST_OID.length)) {
        if (sct != null) {
          throw new MalformedCertificateException(fe + ": expected at most one SCT list extension, found two");
        }
        sct = ext;
        sctList = sctListOf(tbs, ext, oid);
      }
      pos = ext.end();
    }
    if (sct == null) {
      return new Precertificate(tbs.clone(), null);
    }
    int newSeqLength = seq.contentLength() - (sct.end() - sct.start());
    ByteArrayOutputStream content = new ByteArrayOutputStream(tbs.length);
    content.write(tbs, outer.contentStart(), extensions.start() - outer.contentStart());
    if (newSeqLength > 0) {
      byte[] seqHeader = Der.header(SEQUENCE, newSeqLength);
      content.writeBytes(Der.header(EXTENSIONS_TAG, seqHeader.length + newSeqLength));
      content.writeBytes(seqHeader);
      content.write(tbs, seq.contentStart(), sct.start() - seq.contentStart());
      content.write(tbs, sct.end(), seq.end() - sct.end());
    }
    content.write(tbs, extensions.end(), outer.end() - extensions.end());
    ByteArrayOutputStream out = new ByteArrayOutputStream(tbs.length);
    out.writeBytes(Der.header(SEQUENCE, content.size()));
    out.write(content.toByteArray(), 0, content.size());
    return new Precertificate(out.toByteArray(), sctList);
  }

  /** extnValue holds a DER OCTET STRING whose contents are the TLS list (RFC 6962 section 3.3). */
  private static byte[] sctListOf(byte[] tbs, Der.Tlv ext, Der.Tlv oid) throws MalformedCertificateException {
    String f = "certificate SCT list extension (1.3.6.1.4.1.11129.2.4.2)";
    Der.Tlv next = Der.Tlv.read(tbs, oid.end(), ext.end(), f);
    if (next.tag() == BOOLEAN) {
      next = Der.Tlv.read(tbs, next.end(), ext.end(), f);
    }
    if (next.tag() != OCTET_STRING || next.end() != ext.end()) {
      throw new MalformedCertificateException(f + ": expected extnValue to be an OCTET STRING ending the extension");
    }
    Der.Tlv inner;
    try {
      inner = Der.Tlv.read(tbs, next.contentStart(), next.end(), f);
    } catch (MalformedCertificateException e) {
      throw new MalformedCertificateException(f + ": expected a DER OCTET STRING inside extnValue (" + e.getMessage() + ")");
    }
    if (inner.tag() != OCTET_STRING || inner.end() != next.end()) {
      throw new MalformedCertificateException(
          f + ": expected a DER OCTET STRING filling extnValue, found tag 0x" + String.format("%02X", inner.tag()));
    }
    return Arrays.copyOfRange(tbs, inner.contentStart(), inner.end());
  }

  /**
   * The exact DER SubjectPublicKeyInfo bytes of {@code cert}, cut from its TBSCertificate (field 7, or 6 when the
   * version is absent), for RFC 6962's {@code issuer_key_hash}.
   */
  static byte[] subjectPublicKeyInfo(X509Certificate cert) throws MalformedCertificateException {
    byte[] tbs;
    try {
      tbs = cert.getTBSCertificate();
    } catch (CertificateEncodingException e) {
      throw new MalformedCertificateException("issuer TBSCertificate: expected DER, found none");
    }
    String f = "issuer TBSCertificate";
    Der.Tlv outer = Der.Tlv.read(tbs, 0, tbs.length, f);
    int pos = outer.contentStart();
    Der.Tlv field = Der.Tlv.read(tbs, pos, outer.end(), f);
    int index = field.tag() == 0xa0 ? 6 : 5; // [0] version present: SPKI is the 7th field, else the 6th
    for (int i = 0; i < index; i++) {
      pos = field.end();
      field = Der.Tlv.read(tbs, pos, outer.end(), f);
    }
    if (field.tag() != SEQUENCE) {
      throw new MalformedCertificateException(f + ": expected SubjectPublicKeyInfo to be a SEQUENCE");
    }
    return Arrays.copyOfRange(tbs, field.start(), field.end());
  }
}

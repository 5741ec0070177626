package dev.sigil.verifier.internal.faststart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.crypto.KeyParseException;
import dev.sigil.verifier.crypto.UnsupportedKeyException;
import dev.sigil.verifier.internal.crypto.Providers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link DerCertificate} against the JDK's {@code CertificateFactory}: every certificate in the verifier's test
 * corpora (bundles, trusted roots, timestamp authorities) must give the same answer to every {@code X509Certificate}
 * query; and for byte-level mutants of them, whatever {@link DerCertificate} accepts the JDK or BouncyCastle's
 * provider accepted before it existed, with the same answers wherever the JDK accepts it too.
 */
class DerCertificateTest {
  private static final Pattern RAW_BYTES = Pattern.compile("\"(?:rawBytes|raw_bytes)\"\\s*:\\s*\"([A-Za-z0-9+/=]+)\"");

  /** Every distinct X.509 certificate (the JDK or BouncyCastle reads it) in the test resources' JSON files. */
  static Map<String, byte[]> corpus() throws IOException, URISyntaxException {
    Path root = Path.of(DerCertificateTest.class.getResource("/trust").toURI()).getParent();
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".json"))::iterator) {
        Matcher m = RAW_BYTES.matcher(Files.readString(f));
        while (m.find()) {
          byte[] der;
          try {
            der = Base64.getDecoder().decode(m.group(1));
          } catch (IllegalArgumentException e) {
            continue;
          }
          if (der.length > 100 && der[0] == 0x30 && reference(der) != null) {
            out.putIfAbsent(HexFormat.of().formatHex(der), der);
          }
        }
      }
    }
    return out;
  }

  private static final FastStartBackend FAST = FastStartBackend.INSTANCE;

  /** The JDK's parse, else BouncyCastle's provider's, else null: what the JCA backend answers. */
  static X509Certificate reference(byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException jdk) {
      try {
        return (X509Certificate)
            CertificateFactory.getInstance("X.509", Providers.bouncyCastle())
                .generateCertificate(new ByteArrayInputStream(der));
      } catch (CertificateException | RuntimeException bc) {
        return null;
      }
    }
  }

  static X509Certificate jdkOnly(byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      return null;
    }
  }

  @Test
  void answersAsTheJdkForEveryCorpusCertificate() throws Exception {
    Map<String, byte[]> certs = corpus();
    assertTrue(certs.size() >= 20, "expected at least 20 distinct certificates in the corpora, found " + certs.size());
    int ours = 0;
    for (byte[] der : certs.values()) {
      X509Certificate jdk = jdkOnly(der);
      X509Certificate parsed = FAST.parseCertificate(der);
      if (parsed instanceof DerCertificate) {
        ours++;
      }
      if (jdk != null) {
        assertSame(jdk, parsed);
      }
    }
    assertTrue(ours >= certs.size() - 2, "DerCertificate read " + ours + " of " + certs.size() + " corpus certificates");
  }

  @Test
  void mutantsItAcceptsWereAcceptedBeforeWithTheSameAnswers() throws Exception {
    List<byte[]> all = new ArrayList<>(corpus().values());
    List<byte[]> seeds = List.of(all.get(0), all.get(all.size() / 2), all.get(all.size() - 1));
    int accepted = 0;
    int refused = 0;
    for (byte[] seed : seeds) {
      for (int i = 0; i < seed.length; i++) {
        for (int delta : new int[] {1, 0x80}) {
          byte[] m = seed.clone();
          m[i] ^= (byte) delta;
          if (check(m)) {
            accepted++;
          } else {
            refused++;
          }
        }
      }
      for (int cut = 1; cut < seed.length; cut += 7) {
        byte[] m = java.util.Arrays.copyOf(seed, cut);
        if (check(m)) {
          accepted++;
        } else {
          refused++;
        }
      }
    }
    assertTrue(accepted > 500 && refused > 100, "accepted " + accepted + ", refused " + refused);
    System.out.println("DerCertificateTest: " + all.size() + " corpus certificates; of their mutants, " + accepted
        + " accepted (each checked against the JDK), " + refused + " refused");
  }

  /** True when DerCertificate accepts {@code m}; then the old parse must have accepted it, with the same answers. */
  private static boolean check(byte[] m) throws Exception {
    DerCertificate ours;
    try {
      ours = DerCertificate.parse(m, FAST);
    } catch (java.security.cert.CertificateParsingException refused) {
      return false;
    }
    X509Certificate before = reference(m);
    if (before == null) {
      fail("DerCertificate accepts a mutant that neither the JDK nor BouncyCastle read: " + HexFormat.of().formatHex(m));
    }
    X509Certificate jdk = jdkOnly(m);
    if (jdk != null) {
      assertSame(jdk, ours);
    }
    return true;
  }

  static void assertSame(X509Certificate jdk, X509Certificate ours) throws Exception {
    String what = jdk.getSubjectX500Principal().toString();
    assertArrayEquals(jdk.getEncoded(), ours.getEncoded(), what);
    assertArrayEquals(jdk.getTBSCertificate(), ours.getTBSCertificate(), what);
    assertEquals(jdk.getVersion(), ours.getVersion(), what);
    assertEquals(jdk.getSerialNumber(), ours.getSerialNumber(), what);
    assertEquals(jdk.getIssuerX500Principal(), ours.getIssuerX500Principal(), what);
    assertEquals(jdk.getSubjectX500Principal(), ours.getSubjectX500Principal(), what);
    assertArrayEquals(jdk.getIssuerX500Principal().getEncoded(), ours.getIssuerX500Principal().getEncoded(), what);
    assertArrayEquals(jdk.getSubjectX500Principal().getEncoded(), ours.getSubjectX500Principal().getEncoded(), what);
    assertEquals(jdk.getNotBefore(), ours.getNotBefore(), what);
    assertEquals(jdk.getNotAfter(), ours.getNotAfter(), what);
    assertArrayEquals(jdk.getSignature(), ours.getSignature(), what);
    assertEquals(jdk.getSigAlgOID(), ours.getSigAlgOID(), what);
    assertEquals(jdk.getSigAlgName(), ours.getSigAlgName(), what);
    assertArrayEquals(jdk.getSigAlgParams(), ours.getSigAlgParams(), what);
    assertArrayEquals(jdk.getIssuerUniqueID(), ours.getIssuerUniqueID(), what);
    assertArrayEquals(jdk.getSubjectUniqueID(), ours.getSubjectUniqueID(), what);
    assertArrayEquals(jdk.getKeyUsage(), ours.getKeyUsage(), what);
    assertEquals(jdk.getExtendedKeyUsage(), ours.getExtendedKeyUsage(), what);
    assertEquals(jdk.getBasicConstraints(), ours.getBasicConstraints(), what);
    assertEquals(jdk.getCriticalExtensionOIDs(), ours.getCriticalExtensionOIDs(), what);
    assertEquals(jdk.getNonCriticalExtensionOIDs(), ours.getNonCriticalExtensionOIDs(), what);
    if (jdk.getNonCriticalExtensionOIDs() != null) {
      for (String oid : jdk.getNonCriticalExtensionOIDs()) {
        assertArrayEquals(jdk.getExtensionValue(oid), ours.getExtensionValue(oid), what + " " + oid);
      }
      for (String oid : jdk.getCriticalExtensionOIDs()) {
        assertArrayEquals(jdk.getExtensionValue(oid), ours.getExtensionValue(oid), what + " " + oid);
      }
    }
    assertArrayEquals(jdk.getExtensionValue("1.2.3.4"), ours.getExtensionValue("1.2.3.4"), what);
    assertEquals(jdk.hasUnsupportedCriticalExtension(), ours.hasUnsupportedCriticalExtension(), what);
    assertEquals(names(jdk.getSubjectAlternativeNames()), names(ours.getSubjectAlternativeNames()), what);
    assertEquals(names(jdk.getIssuerAlternativeNames()), names(ours.getIssuerAlternativeNames()), what);
    assertEquals(jdk.getType(), ours.getType(), what);
    assertEquals(jdk, ours, what);
    assertEquals(ours, jdk, what);
    assertEquals(jdk.hashCode(), ours.hashCode(), what);
    PublicKey jk = jdk.getPublicKey();
    PublicKey ok = ours.getPublicKey();
    assertEquals(jk.getAlgorithm(), ok.getAlgorithm(), what);
    assertEquals(jk.getFormat(), ok.getFormat(), what);
    assertArrayEquals(jk.getEncoded(), ok.getEncoded(), what);
    assertEquals(jk, ok, what);
    assertEquals(ok, jk, what);
    assertEquals(jk.hashCode(), ok.hashCode(), what);
    assertEquals(KeyAlgorithm.of(jk), KeyAlgorithm.of(ok), what);
    for (java.util.Date at : new java.util.Date[] {jdk.getNotBefore(), jdk.getNotAfter(), new java.util.Date(0)}) {
      assertEquals(validity(jdk, at), validity(ours, at), what);
    }
    assertEquals(outcome(jdk, jdk.getPublicKey()), outcome(ours, jdk.getPublicKey()), what);
  }

  /** Alternative names as comparable strings (otherName values are byte arrays). */
  private static List<String> names(java.util.Collection<List<?>> c) {
    if (c == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (List<?> n : c) {
      Object v = n.get(1);
      out.add(n.get(0) + ":" + (v instanceof byte[] b ? HexFormat.of().formatHex(b) : v));
    }
    return out;
  }

  private static String validity(X509Certificate c, java.util.Date at) {
    try {
      c.checkValidity(at);
      return "ok";
    } catch (Exception e) {
      return e.getClass().getName();
    }
  }

  /** How verifying {@code c} with {@code key} ends: "ok" or the exception's class. */
  private static String outcome(X509Certificate c, PublicKey key) {
    try {
      c.verify(key);
      return "ok";
    } catch (Exception e) {
      return e.getClass().getName();
    }
  }

  /**
   * Non-minimal length encodings (BER, not DER) are left to the JDK, which re-encodes headers: a padded outer header
   * (unsigned, so anyone can pad a genuine certificate) and a padded TBSCertificate header (signed as padded).
   */
  @Test
  void berLengthsGoToTheJdk() throws Exception {
    for (byte[] der : new ArrayList<>(corpus().values()).subList(0, 5)) {
      for (int at : new int[] {0, headerLength(der, 0)}) {
        byte[] padded = padLength(der, at);
        if (at > 0) {
          padded = padLength(padded, 0); // the outer length grew by one: re-encode it too, padded
          padded = repairOuter(padded);
        }
        try {
          DerCertificate.parse(padded, FAST);
          fail("DerCertificate accepted a non-minimal length at offset " + at);
        } catch (java.security.cert.CertificateParsingException expected) {
          // refused here; the backend asks the JCA backend
        }
        X509Certificate jdk = jdkOnly(padded);
        X509Certificate viaParse;
        try {
          viaParse = FAST.parseCertificate(padded);
        } catch (CertificateException refused) {
          viaParse = null;
        }
        if (jdk != null) {
          assertArrayEquals(jdk.getEncoded(), viaParse.getEncoded(), "offset " + at);
          assertArrayEquals(jdk.getTBSCertificate(), viaParse.getTBSCertificate(), "offset " + at);
        }
      }
    }
  }

  /** The length of the header (tag and length bytes) of the TLV at {@code off}. */
  private static int headerLength(byte[] b, int off) {
    int first = b[off + 1] & 0xff;
    return off + 2 + (first < 0x80 ? 0 : first & 0x7f);
  }

  /** The TLV at {@code at} with its length written in one more byte than needed (a leading zero length byte). */
  private static byte[] padLength(byte[] b, int at) {
    int first = b[at + 1] & 0xff;
    int n = first < 0x80 ? 0 : first & 0x7f;
    long len = first < 0x80 ? first : 0;
    for (int i = 0; i < n; i++) {
      len = (len << 8) | (b[at + 2 + i] & 0xff);
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(b, 0, at + 1);
    int bytes = n == 0 ? 1 : n;
    out.write(0x80 | (bytes + 1));
    out.write(0);
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((int) (len >>> (8 * i)) & 0xff);
    }
    out.write(b, at + 2 + n, b.length - (at + 2 + n));
    return out.toByteArray();
  }

  /** Rewrites the outer SEQUENCE length (already padded) to cover the now longer content. */
  private static byte[] repairOuter(byte[] b) {
    int n = b[1] & 0x7f;
    long len = b.length - 2 - n;
    byte[] out = b.clone();
    for (int i = n - 1; i >= 0; i--) {
      out[2 + i] = (byte) (len >>> (8 * (n - 1 - i)));
    }
    return out;
  }

  /** The fast reading of validity times agrees with BouncyCastle's on valid, invalid and odd times. */
  @Test
  void validityTimesReadAsBouncyCastleReadsThem() throws Exception {
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    int fast = 0;
    for (int i = 0; i < 20_000; i++) {
      long ms = random.nextLong(-2_208_988_800_000L, 4_102_444_800_000L) / 1000 * 1000;
      java.util.Date d = new java.util.Date(ms);
      org.bouncycastle.asn1.x509.Time t = new org.bouncycastle.asn1.x509.Time(d);
      assertEquals(t.getDate().getTime(), DerCertificate.epochMillis(t), t.toString());
      fast++;
    }
    String[] odd = {
      "500101000000Z", "491231235959Z", "000229000000Z", "010229000000Z", "991231235960Z", "990230000000Z",
      "991301000000Z", "99123124000Z0", "20000229000000Z", "19000229120000Z", "20991231235959Z", "20240230000000Z",
      "20241301000000Z", "20241231236000Z", "20241231235959.5Z", "20241231235959+0100"
    };
    for (String s : odd) {
      org.bouncycastle.asn1.x509.Time t;
      try {
        t =
            s.length() <= 13 && !s.contains(".")
                ? new org.bouncycastle.asn1.x509.Time(new org.bouncycastle.asn1.DERUTCTime(s))
                : new org.bouncycastle.asn1.x509.Time(new org.bouncycastle.asn1.DERGeneralizedTime(s));
      } catch (IllegalArgumentException notATime) {
        continue;
      }
      long expected;
      try {
        expected = t.getDate().getTime();
      } catch (RuntimeException bcRefuses) {
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> DerCertificate.epochMillis(t), s);
        continue;
      }
      assertEquals(expected, DerCertificate.epochMillis(t), s);
    }
    assertTrue(fast > 0);
  }

  @Test
  void directKeysAreTheJdksKeysForEachCurve() throws Exception {
    for (String curve : new String[] {"secp256r1", "secp384r1", "secp521r1"}) {
      java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
      g.initialize(new java.security.spec.ECGenParameterSpec(curve));
      PublicKey jdk = g.generateKeyPair().getPublic();
      PublicKey ours = FAST.parsePublicKey(jdk.getEncoded());
      assertInstanceOf(EcKey.class, ours, curve);
      java.security.interfaces.ECPublicKey a = (java.security.interfaces.ECPublicKey) jdk;
      java.security.interfaces.ECPublicKey b = (java.security.interfaces.ECPublicKey) ours;
      assertEquals(a.getW(), b.getW(), curve);
      assertEquals(a.getParams().getCurve(), b.getParams().getCurve(), curve);
      assertEquals(a.getParams().getGenerator(), b.getParams().getGenerator(), curve);
      assertEquals(a.getParams().getOrder(), b.getParams().getOrder(), curve);
      assertEquals(a.getParams().getCofactor(), b.getParams().getCofactor(), curve);
      assertEquals(jdk, ours, curve);
      assertEquals(ours, jdk, curve);
      assertEquals(jdk.hashCode(), ours.hashCode(), curve);
      assertEquals(jdk.getAlgorithm(), ours.getAlgorithm(), curve);
      // SunEC signs, and verifies with our key object, so callers may hand it to the JCA
      java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
      java.security.KeyPair kp = g.generateKeyPair();
      s.initSign(kp.getPrivate());
      s.update(new byte[] {1, 2, 3});
      byte[] sig = s.sign();
      java.security.Signature v = java.security.Signature.getInstance("SHA256withECDSA");
      v.initVerify(FAST.parsePublicKey(kp.getPublic().getEncoded()));
      v.update(new byte[] {1, 2, 3});
      assertTrue(v.verify(sig), curve);
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
        out.writeObject(ours);
      }
      try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        assertEquals(jdk, in.readObject(), curve);
      }
    }
    java.security.KeyPair ed = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    PublicKey ours = FAST.parsePublicKey(ed.getPublic().getEncoded());
    assertInstanceOf(Ed25519Key.class, ours);
    java.security.interfaces.EdECPublicKey a = (java.security.interfaces.EdECPublicKey) ed.getPublic();
    java.security.interfaces.EdECPublicKey b = (java.security.interfaces.EdECPublicKey) ours;
    assertEquals(a.getPoint().getY(), b.getPoint().getY());
    assertEquals(a.getPoint().isXOdd(), b.getPoint().isXOdd());
    assertEquals(a.getParams().getName(), b.getParams().getName());
    assertEquals(ed.getPublic().getAlgorithm(), ours.getAlgorithm());
    assertEquals(ed.getPublic(), ours);
    assertEquals(ours, ed.getPublic());
    assertEquals(ed.getPublic().hashCode(), ours.hashCode());
    java.security.Signature s = java.security.Signature.getInstance("Ed25519");
    s.initSign(ed.getPrivate());
    s.update(new byte[] {4, 5});
    byte[] sig = s.sign();
    java.security.Signature v = java.security.Signature.getInstance("Ed25519");
    v.initVerify(ours);
    v.update(new byte[] {4, 5});
    assertTrue(v.verify(sig));
  }

  @Test
  void rsaKeysAreTheJdksKeysAndOffCurvePointsAreRefused() throws Exception {
    java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    PublicKey r = rsa.generateKeyPair().getPublic();
    PublicKey parsed = FAST.parsePublicKey(r.getEncoded());
    assertInstanceOf(RsaKey.class, parsed);
    assertEquals(r, parsed);
    assertEquals(parsed, r);
    assertEquals(r.hashCode(), parsed.hashCode());
    assertEquals(r.getAlgorithm(), parsed.getAlgorithm());
    assertEquals(
        ((java.security.interfaces.RSAPublicKey) r).getModulus(),
        ((java.security.interfaces.RSAPublicKey) parsed).getModulus());
    assertEquals(
        ((java.security.interfaces.RSAPublicKey) r).getPublicExponent(),
        ((java.security.interfaces.RSAPublicKey) parsed).getPublicExponent());
    // a point off the curve: refused (by the JDK's factory or by the verifier's own check, never accepted as EC)
    byte[] enc = ((PublicKey) FAST.parsePublicKey(ecDer())).getEncoded();
    enc[enc.length - 1] ^= 1;
    try {
      PublicKey off = FAST.parsePublicKey(enc);
      assertTrue(!(off instanceof EcKey), "an off-curve point became an EcKey");
      try {
        FAST.newVerifier(off);
        fail("an off-curve key was accepted for verification");
      } catch (UnsupportedKeyException expected) {
        // the verifier refuses it
      }
    } catch (KeyParseException expected) {
      // the JDK refused it
    }
  }

  private static byte[] ecDer() throws Exception {
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair().getPublic().getEncoded();
  }
}

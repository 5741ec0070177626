/*
 * A differential fuzz target (Jazzer) holding the fast-start certificate parser to the JDK's.
 *
 * Modes, as for dev.sigil.verifier.fuzz.ParserFuzzTest:
 *  - Regression (no JAZZER_FUZZ): certificateParse runs as a parameterized test on the empty input and on every file
 *    of src/test/resources/dev/sigil/verifier/internal/faststart/CertificateParserFuzzTestInputs/certificateParse/
 *    (the DER certificates of the test corpora, plus an RSA, an Ed25519 and a P-521 certificate).
 *  - Fuzzing: `mvn test` also runs the surefire execution "fuzz-certificate-parse" (verifier/pom.xml) for
 *    maxDuration (20 s); -Dsigil.fuzz.skip=true skips it. Corpus and crash-* reproducers go to target/jazzer/.
 *
 * A longer campaign, from the repository root (libFuzzer flags override maxDuration):
 *
 *   mvn -B -q -pl verifier -am test-compile
 *   mvn -B -q -pl verifier dependency:build-classpath -Dmdep.outputFile=target/test.cp
 *   cd verifier && mkdir -p target/jazzer/corpus-certificateParse
 *   java -cp "target/test-classes:target/classes:$(cat target/test.cp)" com.code_intelligence.jazzer.Jazzer \
 *     --target_class=dev.sigil.verifier.internal.faststart.CertificateParserFuzzTest \
 *     --target_method=certificateParse target/jazzer/corpus-certificateParse \
 *     src/test/resources/dev/sigil/verifier/internal/faststart/CertificateParserFuzzTestInputs/certificateParse \
 *     -artifact_prefix=target/jazzer/ -max_total_time=1800
 */
package dev.sigil.verifier.internal.faststart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sigil.verifier.crypto.CryptoBackend;
import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.internal.crypto.Certificates;
import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import javax.security.auth.x500.X500Principal;

/**
 * For any bytes:
 *
 * <ul>
 *   <li>{@link DerCertificate} accepts only what the JCA backend accepts, which is what the JDK's {@code
 *       CertificateFactory} accepts plus what only BouncyCastle's provider reads (the JDK refuses, for one, an empty
 *       subject without a critical subjectAltName, which Sigstore's test TSAs have);
 *   <li>where the JDK accepts, DerCertificate gives the JDK's answer to every {@link X509Certificate} query; where
 *       only BouncyCastle accepts, BouncyCastle's answer to every query the verifier makes (not to the JDK-specific
 *       ones: the algorithm's display name, which critical extensions the JDK implements, hash codes);
 *   <li>the fast-start backend's parse (DerCertificate, else the JCA backend's) and the JCA backend's parse either
 *       both refuse, or both accept and answer alike.
 * </ul>
 *
 * Nothing but {@link CertificateException} may come out of a parse.
 */
class CertificateParserFuzzTest {
  private static final CryptoBackend FAST = CryptoBackend.fastStart();
  private static final CryptoBackend JCA = CryptoBackend.jca();
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] NULL = {0x05, 0x00};
  /** Times the verifier checks validity at, besides each certificate's own bounds. */
  private static final Date[] TIMES = {new Date(0), new Date(1_700_000_000_000L), new Date(4_102_444_800_000L)};

  @FuzzTest(maxDuration = "20s")
  void certificateParse(byte[] input) {
    X509Certificate jdk = jdk(input);
    X509Certificate jca = parse(JCA, input);
    DerCertificate der;
    try {
      der = DerCertificate.parse(input, FastStartBackend.INSTANCE);
    } catch (CertificateParsingException refused) {
      der = null;
    }
    if (der != null) {
      if (jca == null) {
        throw new AssertionError("DerCertificate accepts what the JCA backend refuses: " + HEX.formatHex(input));
      }
      assertSameAnswers(jca, der, jdk != null);
    }
    X509Certificate fast = parse(FAST, input);
    if ((fast == null) != (jca == null)) {
      throw new AssertionError(
          "fast-start " + (fast == null ? "refuses" : "accepts") + " and JCA " + (jca == null ? "refuses" : "accepts")
              + ": " + HEX.formatHex(input));
    }
    if (jca != null) {
      assertSameAnswers(jca, fast, jdk != null);
    }
  }

  private static X509Certificate jdk(byte[] input) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(input));
    } catch (CertificateException | RuntimeException refused) {
      return null;
    }
  }

  private static X509Certificate parse(CryptoBackend backend, byte[] input) {
    try {
      return backend.parseCertificate(input);
    } catch (CertificateException refused) {
      return null;
    }
  }

  /** The queries whose answers are the JDK's own conventions, compared only when the reference is the JDK's parse. */
  private static final Set<String> JDK_SPECIFIC =
      Set.of("sigAlgName", "unsupportedCritical", "hashCode", "publicKeyHashCode", "publicKeyAlgorithm");

  /** The queries about the certificate's public key. */
  private static final Set<String> KEY_QUERIES =
      Set.of("publicKey", "publicKeyAlgorithm", "publicKeyHashCode", "keyAlgorithm");

  /**
   * Every query answered alike (the same value, or both throwing the same kind of exception); when the reference is
   * not the JDK's parse, all but the JDK-specific ones.
   */
  static void assertSameAnswers(X509Certificate expected, X509Certificate actual, boolean expectedIsJdk) {
    Map<String, String> a = answers(expected);
    Map<String, String> b = answers(actual);
    // Where the JDK refuses a certificate and BouncyCastle's provider reads it, BouncyCastle also checks the key
    // (an Ed25519 point off the curve throws from getPublicKey) where the JDK, which the fast parser follows, does not;
    // such a key fails every signature check on both backends, so which of the two refuses it first is a convention.
    boolean keyRefusedByReference = !expectedIsJdk && a.get("publicKey").startsWith("threw ");
    for (String query : a.keySet()) {
      if (keyRefusedByReference && KEY_QUERIES.contains(query)) {
        continue;
      }
      // BouncyCastle's provider reads some fields lazily and reports what it cannot read then, with an
      // IllegalStateException, on a certificate the JDK refused whole; the fast parser follows the JDK's reading.
      if (!expectedIsJdk && a.get(query).equals("threw java.lang.IllegalStateException")) {
        continue;
      }
      if (expectedIsJdk || !JDK_SPECIFIC.contains(query)) {
        assertEquals(a.get(query), b.get(query), query + " of " + a.get("encoded"));
      }
    }
  }

  private static Map<String, String> answers(X509Certificate c) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("encoded", answer(c::getEncoded));
    out.put("tbs", answer(c::getTBSCertificate));
    out.put("version", answer(c::getVersion));
    out.put("serial", answer(c::getSerialNumber));
    out.put("issuer", answer(() -> principal(c.getIssuerX500Principal())));
    out.put("subject", answer(() -> principal(c.getSubjectX500Principal())));
    out.put("issuerDer", answer(() -> Certificates.issuerDer(c)));
    out.put("subjectDer", answer(() -> Certificates.subjectDer(c)));
    out.put("notBefore", answer(() -> c.getNotBefore().getTime()));
    out.put("notAfter", answer(() -> c.getNotAfter().getTime()));
    out.put("signature", answer(c::getSignature));
    out.put("sigAlgOid", answer(c::getSigAlgOID));
    out.put("sigAlgName", answer(c::getSigAlgName));
    // NULL parameters and none mean the same; the JDK answers null for both, BouncyCastle the NULL's encoding
    out.put("sigAlgParams", answer(() -> sigAlgParams(c)));
    out.put("issuerUniqueId", answer(c::getIssuerUniqueID));
    out.put("subjectUniqueId", answer(c::getSubjectUniqueID));
    out.put("keyUsage", answer(c::getKeyUsage));
    out.put("extendedKeyUsage", answer(c::getExtendedKeyUsage));
    out.put("basicConstraints", answer(c::getBasicConstraints));
    out.put("critical", answer(c::getCriticalExtensionOIDs));
    out.put("nonCritical", answer(c::getNonCriticalExtensionOIDs));
    Set<String> oids = new TreeSet<>();
    addAll(oids, c.getCriticalExtensionOIDs());
    addAll(oids, c.getNonCriticalExtensionOIDs());
    oids.add("1.3.6.1.4.1.57264.1.8"); // a Fulcio extension, whether present or not
    oids.add("1.3.6.1.4.1.11129.2.4.2"); // the embedded SCT list
    for (String oid : oids) {
      out.put("extension " + oid, answer(() -> c.getExtensionValue(oid)));
    }
    out.put("subjectAltNames", answer(() -> names(c.getSubjectAlternativeNames())));
    out.put("issuerAltNames", answer(() -> names(c.getIssuerAlternativeNames())));
    out.put("unsupportedCritical", answer(c::hasUnsupportedCriticalExtension));
    out.put("type", answer(c::getType));
    out.put("hashCode", answer(c::hashCode));
    // The key's algorithm name is the provider's convention (the JDK says EdDSA, BouncyCastle Ed25519, for one key);
    // its encoding is not, and KeyAlgorithm (below) is Sigil's own reading of it.
    out.put("publicKey", answer(() -> key(c.getPublicKey())));
    out.put("publicKeyAlgorithm", answer(() -> c.getPublicKey().getAlgorithm()));
    out.put("publicKeyHashCode", answer(() -> c.getPublicKey().hashCode()));
    out.put("keyAlgorithm", answer(() -> KeyAlgorithm.of(c.getPublicKey())));
    for (Date at : TIMES) {
      out.put("validAt " + at.getTime(), answer(() -> validity(c, at)));
    }
    out.put("validAt notBefore", answer(() -> validity(c, c.getNotBefore())));
    out.put("validAt notAfter", answer(() -> validity(c, c.getNotAfter())));
    return out;
  }

  /**
   * The parameters, NULL read as none. (No Arrays.equals on a possibly null array: Jazzer 0.24.0's hook for it
   * crashes the JVM on null.)
   */
  private static byte[] sigAlgParams(X509Certificate c) {
    byte[] p = c.getSigAlgParams();
    return p == null || (p.length == 2 && p[0] == NULL[0] && p[1] == NULL[1]) ? null : p;
  }

  private static void addAll(Set<String> into, Set<String> from) {
    if (from != null) {
      into.addAll(from);
    }
  }

  private static String answer(Callable<?> query) {
    try {
      return show(query.call());
    } catch (Exception e) {
      return "threw " + e.getClass().getName();
    }
  }

  private static String show(Object v) {
    if (v instanceof byte[] b) {
      return HEX.formatHex(b);
    }
    if (v instanceof boolean[] b) {
      return Arrays.toString(b);
    }
    if (v instanceof Set<?> set) {
      List<String> sorted = new ArrayList<>();
      for (Object o : set) {
        sorted.add(String.valueOf(o));
      }
      sorted.sort(null);
      return "set " + sorted;
    }
    return String.valueOf(v);
  }

  private static String principal(X500Principal p) {
    return HEX.formatHex(p.getEncoded()) + " " + p.getName(X500Principal.RFC2253);
  }

  private static String key(PublicKey k) {
    return k.getFormat() + " " + HEX.formatHex(k.getEncoded());
  }

  /**
   * Valid or not at {@code at}. Which exception says "not" is a convention where both bounds fail (notBefore after
   * notAfter): the JDK checks notBefore first, BouncyCastle notAfter; the bounds themselves are compared exactly.
   */
  private static String validity(X509Certificate c, Date at) {
    try {
      c.checkValidity(at);
      return "valid";
    } catch (CertificateException e) {
      return c.getNotBefore().after(c.getNotAfter()) ? "not valid (inverted bounds)" : e.getClass().getName();
    }
  }

  /** Alternative names as comparable strings (otherName values are byte arrays). */
  private static List<String> names(Collection<List<?>> c) {
    if (c == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (List<?> n : c) {
      Object v = n.get(1);
      out.add(n.get(0) + ":" + (v instanceof byte[] b ? HEX.formatHex(b) : v));
    }
    return out;
  }
}

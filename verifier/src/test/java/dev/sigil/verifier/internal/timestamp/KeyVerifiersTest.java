package dev.sigil.verifier.internal.timestamp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.MessageDigest;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.junit.jupiter.api.Test;

class KeyVerifiersTest {
  @Test
  void digestCalculatorsMatchTheJdk() throws Exception {
    byte[] data = new byte[1000];
    new java.util.Random(1).nextBytes(data);
    String[][] algs = {
      {"1.3.14.3.2.26", "SHA-1"},
      {"2.16.840.1.101.3.4.2.1", "SHA-256"},
      {"2.16.840.1.101.3.4.2.2", "SHA-384"},
      {"2.16.840.1.101.3.4.2.3", "SHA-512"}
    };
    for (String[] a : algs) {
      DigestCalculator c = KeyVerifiers.digests().get(new AlgorithmIdentifier(new ASN1ObjectIdentifier(a[0])));
      c.getOutputStream().write(data, 0, 10);
      c.getOutputStream().write(data[10]);
      c.getOutputStream().write(data, 11, data.length - 11);
      assertArrayEquals(MessageDigest.getInstance(a[1]).digest(data), c.getDigest(), a[1]);
    }
    // MD5 and SHA-224 are not accepted for timestamp tokens
    for (String oid : new String[] {"1.2.840.113549.2.5", "2.16.840.1.101.3.4.2.4"}) {
      assertThrows(
          OperatorCreationException.class,
          () -> KeyVerifiers.digests().get(new AlgorithmIdentifier(new ASN1ObjectIdentifier(oid))),
          oid);
    }
  }
}

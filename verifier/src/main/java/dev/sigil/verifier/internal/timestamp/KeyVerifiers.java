package dev.sigil.verifier.internal.timestamp;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.CryptoBackend;
import dev.sigil.verifier.crypto.InvalidSignatureException;
import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.crypto.KeyParseException;
import dev.sigil.verifier.crypto.SignatureVerifier;
import dev.sigil.verifier.crypto.UnsupportedKeyException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * BouncyCastle's operator interfaces (what its CMS and certificate classes verify with) over the verifier's {@link
 * CryptoBackend}: ECDSA, Ed25519 and SHA-2 as the backend does them. RSA keys get BouncyCastle's lightweight
 * verifier (see {@link PreparedAuthority#lightweightVerifier}).
 *
 * <p>Narrower than BouncyCastle's operators, on purpose: ECDSA keys on P-256, P-384 and P-521 with
 * ecdsa-with-SHA256/384/512, Ed25519, and CMS digests SHA-256/384/512 (SHA-1 only for ESSCertID v1 certificate
 * hashes). Tokens signed otherwise (SHA-1 or SHA-224 ECDSA, other curves) are refused rather than accepted.
 */
final class KeyVerifiers {
  private KeyVerifiers() {}

  /** Verifies with {@code cert}'s ECDSA or Ed25519 key; the certificate is associated (for ESSCertID checks). */
  static ContentVerifierProvider forCertificate(X509CertificateHolder cert, CryptoBackend crypto)
      throws OperatorCreationException {
    SignatureVerifier key;
    try {
      key = crypto.newVerifier(crypto.parsePublicKey(cert.getSubjectPublicKeyInfo().getEncoded()));
    } catch (IOException | KeyParseException | UnsupportedKeyException e) {
      throw new OperatorCreationException("certificate key: " + e.getMessage(), e);
    }
    if (key.algorithm() == KeyAlgorithm.RSA_PKCS1V15) {
      throw new OperatorCreationException("RSA keys are verified with BouncyCastle's lightweight verifier");
    }
    return new ContentVerifierProvider() {
      @Override
      public boolean hasAssociatedCertificate() {
        return true;
      }

      @Override
      public X509CertificateHolder getAssociatedCertificate() {
        return cert;
      }

      @Override
      public ContentVerifier get(AlgorithmIdentifier sigAlg) throws OperatorCreationException {
        return verifier(key, sigAlg);
      }
    };
  }

  /** The signature algorithm must suit the key: ecdsa-with-SHA256/384/512 for ECDSA keys, Ed25519 for Ed25519. */
  private static ContentVerifier verifier(SignatureVerifier key, AlgorithmIdentifier sigAlg)
      throws OperatorCreationException {
    String oid = sigAlg.getAlgorithm().getId();
    HashAlgorithm hash;
    if (key.algorithm() == KeyAlgorithm.ED25519) {
      if (!oid.equals("1.3.101.112") || sigAlg.getParameters() != null) {
        throw new OperatorCreationException("Ed25519 key: expected signature algorithm Ed25519, found " + oid);
      }
      hash = null;
    } else {
      hash =
          switch (oid) {
            case "1.2.840.10045.4.3.2" -> HashAlgorithm.SHA2_256;
            case "1.2.840.10045.4.3.3" -> HashAlgorithm.SHA2_384;
            case "1.2.840.10045.4.3.4" -> HashAlgorithm.SHA2_512;
            default -> throw new OperatorCreationException(
                key.algorithm().displayName() + " key: expected ecdsa-with-SHA256/384/512, found " + oid);
          };
    }
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    return new ContentVerifier() {
      @Override
      public AlgorithmIdentifier getAlgorithmIdentifier() {
        return sigAlg;
      }

      @Override
      public OutputStream getOutputStream() {
        return data;
      }

      @Override
      public boolean verify(byte[] signature) {
        try {
          if (hash == null) {
            key.verifyMessage(data.toByteArray(), signature);
          } else {
            key.verifyMessage(hash, data.toByteArray(), signature);
          }
          return true;
        } catch (InvalidSignatureException e) {
          return false;
        }
      }
    };
  }

  /** As {@link #digests(CryptoBackend)} with the default backend. */
  static DigestCalculatorProvider digests() {
    return digests(CryptoBackend.jca());
  }

  /** SHA-256/384/512 with the backend's digests; SHA-1 (ESSCertID v1 certificate hashes) with the JDK's. */
  static DigestCalculatorProvider digests(CryptoBackend crypto) {
    return new DigestCalculatorProvider() {
      @Override
      public DigestCalculator get(AlgorithmIdentifier algorithm) throws OperatorCreationException {
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        MessageDigest md;
        if (oid.equals(NISTObjectIdentifiers.id_sha256)) {
          md = crypto.newDigest(HashAlgorithm.SHA2_256);
        } else if (oid.equals(NISTObjectIdentifiers.id_sha384)) {
          md = crypto.newDigest(HashAlgorithm.SHA2_384);
        } else if (oid.equals(NISTObjectIdentifiers.id_sha512)) {
          md = crypto.newDigest(HashAlgorithm.SHA2_512);
        } else if (oid.equals(OIWObjectIdentifiers.idSHA1)) {
          try {
            md = MessageDigest.getInstance("SHA-1");
          } catch (NoSuchAlgorithmException e) {
            throw new OperatorCreationException("SHA-1 is in every JDK", e);
          }
        } else {
          throw new OperatorCreationException("digest: expected SHA-1, SHA-256, SHA-384 or SHA-512, found " + oid);
        }
        MessageDigest digest = md;
        OutputStream out =
            new OutputStream() {
              @Override
              public void write(int b) {
                digest.update((byte) b);
              }

              @Override
              public void write(byte[] b, int off, int len) {
                digest.update(b, off, len);
              }
            };
        return new DigestCalculator() {
          @Override
          public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
          }

          @Override
          public OutputStream getOutputStream() {
            return out;
          }

          @Override
          public byte[] getDigest() {
            return digest.digest();
          }
        };
      }
    };
  }
}

package dev.sigil.verifier.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** Reading and writing public keys (PEM or DER SubjectPublicKeyInfo), always through BouncyCastle. */
public final class PublicKeys {
  private PublicKeys() {}

  /** Parses a {@code PUBLIC KEY} PEM block. */
  public static PublicKey fromPem(String pem) throws KeyParseException {
    Object obj;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      obj = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new KeyParseException("public key PEM: malformed (" + e.getMessage() + ")");
    }
    if (obj == null) {
      throw new KeyParseException("public key: expected a PEM block \"PUBLIC KEY\", found no PEM block");
    }
    if (!(obj instanceof SubjectPublicKeyInfo spki)) {
      throw new KeyParseException(
          "public key: expected a PEM block \"PUBLIC KEY\", found " + obj.getClass().getSimpleName());
    }
    try {
      return fromDer(spki.getEncoded());
    } catch (IOException e) {
      throw new KeyParseException("public key: malformed SubjectPublicKeyInfo (" + e.getMessage() + ")");
    }
  }

  /** Parses DER SubjectPublicKeyInfo. */
  public static PublicKey fromDer(byte[] der) throws KeyParseException {
    SubjectPublicKeyInfo spki;
    try {
      spki = SubjectPublicKeyInfo.getInstance(der);
    } catch (RuntimeException e) {
      throw new KeyParseException("public key: malformed SubjectPublicKeyInfo (" + e.getMessage() + ")");
    }
    String oid = spki.getAlgorithm().getAlgorithm().getId();
    String alg =
        switch (oid) {
          case "1.2.840.10045.2.1" -> "EC";
          case "1.2.840.113549.1.1.1" -> "RSA";
          case "1.3.101.112" -> "Ed25519";
          default -> throw new KeyParseException(
              "public key: expected an EC, RSA or Ed25519 key, found algorithm OID " + oid);
        };
    try {
      // The JDK's key factories parse as well and load far faster than the BouncyCastle provider; signatures are
      // still verified with BouncyCastle's lightweight API (SignatureVerifier).
      return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new KeyParseException("public key: invalid " + alg + " key (" + e.getMessage() + ")");
    }
  }

  /** The key's type as Sigstore names it: "Ed25519" for EdDSA keys on that curve, else the JCA algorithm. */
  public static String describeType(PublicKey key) {
    if (key instanceof java.security.interfaces.EdECPublicKey ed) {
      return ed.getParams().getName();
    }
    return key.getAlgorithm();
  }

  /** PEM text ({@code -----BEGIN PUBLIC KEY-----}) for a key, ending in a newline. */
  public static String toPem(PublicKey key) {
    java.io.StringWriter out = new java.io.StringWriter();
    try (PemWriter w = new PemWriter(out)) {
      w.writeObject(new PemObject("PUBLIC KEY", key.getEncoded()));
    } catch (IOException e) {
      throw new IllegalStateException("writing to a StringWriter cannot fail", e);
    }
    return out.toString();
  }

  /** The hint cosign and Sigil put in key-based bundles: base64 of SHA-256 over the DER public key. */
  public static String hint(PublicKey key) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is in every JDK", e);
    }
  }
}

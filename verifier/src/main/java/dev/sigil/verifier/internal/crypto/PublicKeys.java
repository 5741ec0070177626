package dev.sigil.verifier.internal.crypto;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.CryptoBackend;
import dev.sigil.verifier.crypto.KeyParseException;
import dev.sigil.verifier.internal.pem.Pem;
import dev.sigil.verifier.internal.pem.PemException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/** Reading and writing public keys (PEM or DER SubjectPublicKeyInfo). */
public final class PublicKeys {
  private PublicKeys() {}

  /**
   * Parses the first PEM block of {@code pem}, which must be a {@code PUBLIC KEY} (SubjectPublicKeyInfo) or an
   * {@code RSA PUBLIC KEY} (PKCS #1), read as BouncyCastle's {@code PEMParser} reads it ({@link Pem.Mode#LENIENT}):
   * text before the block is skipped, header lines ({@code Name: value}) are ignored, the body is base64 with any
   * line breaks. {@code PublicKeysTest} holds it to {@code PEMParser} on well-formed and damaged inputs.
   */
  public static PublicKey fromPem(String pem) throws KeyParseException {
    return fromPem(pem, CryptoBackend.jca());
  }

  /** As {@link #fromPem(String)}, the key parsed by {@code backend}. */
  public static PublicKey fromPem(String pem, CryptoBackend backend) throws KeyParseException {
    Pem.Block block;
    try {
      block = Pem.decodeFirst(pem.getBytes(StandardCharsets.UTF_8), Pem.Mode.LENIENT);
    } catch (PemException e) {
      throw switch (e.problem()) {
        case MALFORMED_BEGIN -> new KeyParseException("public key PEM: " + e.getMessage());
        case NO_END -> new KeyParseException("public key PEM: malformed (" + e.getMessage() + ")");
        default -> new KeyParseException("public key PEM: malformed (invalid base64: " + e.getMessage() + ")");
      };
    }
    if (block == null) {
      throw new KeyParseException("public key: expected a PEM block \"PUBLIC KEY\", found no PEM block");
    }
    String type = block.label();
    if (!type.equals("PUBLIC KEY") && !type.equals("RSA PUBLIC KEY")) {
      throw new KeyParseException("public key: expected a PEM block \"PUBLIC KEY\", found a \"" + type + "\" block");
    }
    SubjectPublicKeyInfo spki; // re-encoded as DER, as PEMParser's reading does
    try {
      spki =
          type.equals("PUBLIC KEY")
              ? SubjectPublicKeyInfo.getInstance(block.bytes())
              : new SubjectPublicKeyInfo(
                  new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                  org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(block.bytes()));
      return backend.parsePublicKey(spki.getEncoded(ASN1Encoding.DER));
    } catch (IOException | RuntimeException e) {
      throw new KeyParseException("public key PEM: malformed (" + e.getMessage() + ")");
    }
  }

  /** Parses DER SubjectPublicKeyInfo with the default backend. */
  public static PublicKey fromDer(byte[] der) throws KeyParseException {
    return CryptoBackend.jca().parsePublicKey(der);
  }

  /** The 32-byte RFC 8032 encoding of an Ed25519 key, from its SubjectPublicKeyInfo. */
  public static byte[] ed25519Raw(PublicKey key) {
    byte[] raw = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getOctets();
    if (raw.length != 32) {
      throw new IllegalArgumentException("Ed25519 public key: expected 32 bytes, found " + raw.length);
    }
    return raw;
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
    return Pem.encode("PUBLIC KEY", key.getEncoded());
  }

  /** The hint cosign and Sigil put in key-based bundles: base64 of SHA-256 over the DER public key. */
  public static String hint(PublicKey key) {
    return Base64.getEncoder().encodeToString(CryptoBackend.jca().digest(HashAlgorithm.SHA2_256, key.getEncoded()));
  }
}

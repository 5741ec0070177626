package dev.sigil.verifier.internal.crypto;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.CryptoBackend;
import dev.sigil.verifier.crypto.KeyParseException;
import java.io.IOException;
import java.security.PublicKey;
import java.util.Base64;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** Reading and writing public keys (PEM or DER SubjectPublicKeyInfo). */
public final class PublicKeys {
  private PublicKeys() {}

  /**
   * Parses the first PEM block of {@code pem}, which must be a {@code PUBLIC KEY} (SubjectPublicKeyInfo) or an
   * {@code RSA PUBLIC KEY} (PKCS #1), as BouncyCastle's {@code PEMParser} reads them: text before the block is
   * skipped, header lines ({@code Name: value}) are ignored, the body is base64 with any line breaks.
   *
   * <p>Read here rather than with {@code PEMParser}: its {@code PemReader} starts java.util.logging on first use,
   * which scans the class path for services (~35 ms of a one-shot {@code verify-blob --key}, profiled).
   * {@code PublicKeysTest} holds this reader to {@code PEMParser} on well-formed and damaged inputs.
   */
  public static PublicKey fromPem(String pem) throws KeyParseException {
    return fromPem(pem, CryptoBackend.jca());
  }

  /** As {@link #fromPem(String)}, the key parsed by {@code backend}. */
  public static PublicKey fromPem(String pem, CryptoBackend backend) throws KeyParseException {
    // Line ends may be LF, CRLF or CR, as PEMParser accepts them all.
    String[] lines = pem.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    int i = 0;
    String type = null;
    for (; i < lines.length && type == null; i++) {
      String line = lines[i];
      if (line.startsWith("-----BEGIN ")) {
        String rest = line.substring("-----BEGIN ".length()).trim();
        int dash = rest.indexOf('-');
        if (dash > 0 && rest.endsWith("-----") && rest.length() - dash == 5) {
          type = rest.substring(0, dash);
        } else {
          throw new KeyParseException("public key PEM: malformed BEGIN line \"" + abbreviate(line) + "\"");
        }
      }
    }
    if (type == null) {
      throw new KeyParseException("public key: expected a PEM block \"PUBLIC KEY\", found no PEM block");
    }
    String endMarker = "-----END " + type + "-----";
    StringBuilder body = new StringBuilder();
    boolean ended = false;
    for (; i < lines.length; i++) {
      String line = lines[i];
      if (line.indexOf(':') >= 0) {
        continue; // an RFC 1421 header, as PEMParser skips them
      }
      if (line.startsWith(endMarker)) {
        ended = true;
        break;
      }
      body.append(line.trim());
    }
    if (!ended) {
      throw new KeyParseException("public key PEM: malformed (" + endMarker + " not found)");
    }
    if (!type.equals("PUBLIC KEY") && !type.equals("RSA PUBLIC KEY")) {
      throw new KeyParseException("public key: expected a PEM block \"PUBLIC KEY\", found a \"" + type + "\" block");
    }
    byte[] der;
    try {
      StringBuilder b64 = new StringBuilder(body.length());
      for (int k = 0; k < body.length(); k++) {
        char c = body.charAt(k);
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f') {
          b64.append(c);
        }
      }
      if (b64.length() % 4 != 0) {
        // java.util.Base64 accepts missing padding; PEMParser (and RFC 7468's strict form) do not
        throw new IllegalArgumentException("length " + b64.length() + " is not a multiple of 4");
      }
      der = Base64.getDecoder().decode(b64.toString());
    } catch (IllegalArgumentException e) {
      throw new KeyParseException("public key PEM: malformed (invalid base64: " + e.getMessage() + ")");
    }
    SubjectPublicKeyInfo spki;
    try {
      if (type.equals("PUBLIC KEY")) {
        spki = SubjectPublicKeyInfo.getInstance(der);
      } else {
        spki =
            new SubjectPublicKeyInfo(
                new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                    org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption,
                    org.bouncycastle.asn1.DERNull.INSTANCE),
                org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(der));
      }
      der = spki.getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
    } catch (IOException | RuntimeException e) {
      throw new KeyParseException("public key PEM: malformed (" + e.getMessage() + ")");
    }
    return backend.parsePublicKey(der);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
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
    return Base64.getEncoder().encodeToString(CryptoBackend.jca().digest(HashAlgorithm.SHA2_256, key.getEncoded()));
  }
}

package dev.sigil.sandbox.rekor;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.trust.PublicKeyDetails;
import dev.sigil.verifier.trust.TransparencyLogInstance;
import dev.sigil.verifier.trust.ValidityPeriod;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Keys, signatures and proposals for tests. */
final class Fixtures {
  static final String HOST = "localhost:3000";
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  private Fixtures() {}

  static TransparencyLog.Options options() {
    return TransparencyLog.Options.defaults(HOST).withClock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  static KeyPair ecKey(String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair p256() {
    return ecKey("secp256r1");
  }

  static KeyPair keyPair(String alg, int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
      if (bits > 0) {
        g.initialize(bits);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] sha(String alg, byte[] data) {
    try {
      return MessageDigest.getInstance(alg).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A signature over {@code message} with the JCA scheme named (e.g. SHA256withECDSA over the artifact). */
  static byte[] sign(String scheme, PrivateKey key, byte[] message) {
    try {
      Signature s = Signature.getInstance(scheme);
      s.initSign(key);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  static String b64(String s) {
    return b64(s.getBytes(StandardCharsets.UTF_8));
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  static String pem(String type, byte[] der) {
    return dev.sigil.sandbox.keys.KeyFiles.pemString(type, der);
  }

  static X509Certificate selfSigned(KeyPair kp, String sigAlg) {
    try {
      Instant start = NOW.minus(Duration.ofMinutes(1));
      var b = new JcaX509v3CertificateBuilder(
          new X500Name("CN=sigil test"), BigInteger.valueOf(42), Date.from(start),
          Date.from(start.plus(Duration.ofMinutes(10))), new X500Name("CN=sigil test"), kp.getPublic());
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder(sigAlg).build(kp.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A hashedrekord 0.0.1 proposal as cosign sends it. */
  static String hashedRekord(String alg, String digestHex, byte[] signature, String pem) {
    return "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":\"" + alg
        + "\",\"value\":\"" + digestHex + "\"}},\"signature\":{\"content\":\"" + b64(signature)
        + "\",\"publicKey\":{\"content\":\"" + b64(pem) + "\"}}}}";
  }

  /** A valid hashedrekord proposal for {@code artifact}, signed with a fresh P-256 key. */
  static Signed signedArtifact(byte[] artifact) {
    KeyPair kp = p256();
    byte[] digest = sha("SHA-256", artifact);
    byte[] sig = sign("SHA256withECDSA", kp.getPrivate(), artifact);
    String json = hashedRekord("sha256", hex(digest), sig, pem("PUBLIC KEY", kp.getPublic().getEncoded()));
    return new Signed(kp, digest, sig, json.getBytes(StandardCharsets.UTF_8));
  }

  record Signed(KeyPair key, byte[] digest, byte[] signature, byte[] proposal) {}

  /** A dsse 0.0.1 proposal. */
  static String dsse(String envelope, List<String> verifierPems) {
    StringBuilder v = new StringBuilder();
    for (String p : verifierPems) {
      v.append(v.length() == 0 ? "" : ",").append('"').append(b64(p)).append('"');
    }
    return "{\"apiVersion\":\"0.0.1\",\"kind\":\"dsse\",\"spec\":{\"proposedContent\":{\"envelope\":"
        + jsonString(envelope) + ",\"verifiers\":[" + v + "]}}}";
  }

  static String envelope(String payloadType, byte[] payload, List<byte[]> sigs) {
    StringBuilder s = new StringBuilder();
    for (byte[] sig : sigs) {
      s.append(s.length() == 0 ? "" : ",").append("{\"keyid\":\"\",\"sig\":\"").append(b64(sig)).append("\"}");
    }
    return "{\"payloadType\":\"" + payloadType + "\",\"payload\":\"" + b64(payload) + "\",\"signatures\":[" + s + "]}";
  }

  static String jsonString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static TransparencyLogInstance instance(TransparencyLog log) {
    return new TransparencyLogInstance(
        "http://" + log.hostname(),
        HashAlgorithm.SHA2_256,
        PublicKeyDetails.PKIX_ECDSA_P256_SHA_256,
        log.publicKey(),
        ValidityPeriod.startingAt(NOW.minus(Duration.ofDays(1))),
        log.logId(),
        Optional.empty(),
        "");
  }
}

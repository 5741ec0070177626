package dev.sigil.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Hostile inputs of at most {@link #MAX_BYTES} for the verifier and the CLI: bundles made from a real seed bundle by
 * replacing one part with something an attacker controls (thousands of certificates, huge fields, deep nesting,
 * expensive keys), and the certificates they need. Deterministic apart from key generation. Shared by the verifier's
 * and the CLI's tests and by {@code benchmarks/HostileInputCosts}, so that the cases measured are the cases tested.
 */
public final class HostileInputs {
  /** The largest bundle Sigil reads (BundleParser.MAX_BUNDLE_BYTES). */
  public static final int MAX_BYTES = 16 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Provider BC = new BouncyCastleProvider();
  private static final Instant T0 = Instant.parse("2024-03-19T17:26:00Z");

  private HostileInputs() {}

  /**
   * One named hostile input builder over a seed bundle.
   *
   * @param valid whether the result is still a valid bundle (junk where unknown fields are ignored, signature lines
   *     of unknown keys): a verifier must then accept it, in bounded time; every other case must be refused
   */
  public record Case(String name, String description, boolean valid, Function<byte[], byte[]> build) {
    Case(String name, String description, Function<byte[], byte[]> build) {
      this(name, description, false, build);
    }
  }

  /**
   * Every hostile bundle this project measures, each built from {@code seed} (a keyless message-signature bundle,
   * e.g. sigstore-conformance's happy-path v0.3). Each result is at most {@link #MAX_BYTES}.
   */
  public static List<Case> cases() {
    List<Case> out = new ArrayList<>();
    out.add(new Case("chain-2000", "2,000 self-issued non-CA certificates, none self-signed",
        seed -> withCertificateChain(seed, selfIssuedNonCa(2000))));
    out.add(new Case("chain-16MiB", "self-issued non-CA certificates filling 16 MiB",
        seed -> certificateFlood(seed, MAX_BYTES)));
    out.add(new Case("chain-10-rsa-exponent", "10 self-issued RSA-3072 certificates with 3071-bit public exponents",
        seed -> withCertificateChain(seed, bigExponentChain(10))));
    out.add(new Case("leaf-11MiB-extension", "one leaf with an 11 MiB non-critical extension",
        seed -> withCertificateChain(seed, List.of(leafWithExtensions(1, 11 << 20, false)))));
    out.add(new Case("leaf-200k-critical-extensions", "one leaf with 200,000 unknown critical extensions",
        seed -> withCertificateChain(seed, List.of(leafWithExtensions(200_000, 8, true)))));
    out.add(new Case("leaf-300k-sans", "one leaf with 300,000 URI subject alternative names",
        seed -> withCertificateChain(seed, List.of(leafWithSans(300_000)))));
    out.add(new Case("pathlen-2^31-intermediate", "a leaf under a bundle intermediate with pathLenConstraint 2^31",
        seed -> withCertificateChain(seed, pathLenChain(BigInteger.ONE.shiftLeft(31)))));
    out.add(new Case("signature-12MB", "a 12 MB message signature",
        seed -> edit(seed, b -> ((ObjectNode) b.get("messageSignature")).put("signature", base64(12_000_000)))));
    out.add(new Case("timestamps-32x380KiB", "32 distinct 380 KiB RFC 3161 timestamps",
        seed -> edit(seed, b -> timestamps(b, 32, 380 << 10))));
    out.add(new Case("timestamps-32-identical", "32 identical 380 KiB RFC 3161 timestamps",
        seed -> edit(seed, b -> identicalTimestamps(b, 32, 380 << 10))));
    out.add(new Case("tlog-32-replayed", "the seed's log entry 32 times, each proof padded to 64 hashes",
        seed -> edit(seed, b -> replayEntries(b, 32))));
    out.add(new Case("tlog-checkpoint-100-signatures", "32 entries whose checkpoint carries 100 signature lines", true,
        seed -> edit(seed, b -> checkpointSignatures(b, 32, 100))));
    out.add(new Case("tlog-body-11MiB", "an 11 MiB canonicalized body",
        seed -> edit(seed, b -> entry(b).put("canonicalizedBody", bodyOfSize(11 << 20)))));
    out.add(new Case("json-depth-8M", "8 million nested arrays in an unknown field",
        seed -> withUnknownField(seed, "[".repeat((MAX_BYTES - seed.length) / 2 - 64) + "]".repeat((MAX_BYTES - seed.length) / 2 - 64))));
    out.add(new Case("json-colliding-keys", "an unknown object filling 16 MiB with keys of one String hash code",
        HostileInputs::collidingKeys));
    out.add(new Case("json-long-number", "a 16 MB integer as logIndex",
        seed -> replaceLogIndex(seed, "1".repeat(MAX_BYTES - seed.length - 64))));
    out.add(new Case("dsse-statement-380k-subjects", "a DSSE envelope signed by the attacker's own leaf over an in-toto"
        + " statement of 380,000 subjects (its signature verifies, so the statement is read)",
        seed -> selfSignedDsse(seed, 380_000)));
    out.add(new Case("json-1M-strings", "an unknown array of 1,000,000 escaped strings", true,
        seed -> withUnknownField(seed, manyStrings(1_000_000))));
    return out;
  }

  // ---- certificates ----

  /**
   * {@code n} distinct certificates whose subject equals their issuer and that are not CAs, all signed by one other
   * key, so that none is self-signed: a verifier that checks each one's signature to see whether it is a root
   * does {@code n} signature verifications.
   */
  public static List<byte[]> selfIssuedNonCa(int n) {
    KeyPair signer = ec();
    KeyPair subject = ec();
    ContentSigner cs = signer(signer.getPrivate(), "SHA256withECDSA");
    List<byte[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      X500Name name = new X500Name("CN=self-issued-" + i + ",O=hostile");
      X509v3CertificateBuilder b = builder(name, name, BigInteger.valueOf(i + 1), subject.getPublic());
      try {
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        out.add(b.build(cs).getEncoded());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** Self-issued non-CA certificates, copies of 2,000 distinct ones, filling a bundle to about {@code bytes}. */
  public static byte[] certificateFlood(byte[] seed, int bytes) {
    List<byte[]> distinct = selfIssuedNonCa(2000);
    List<byte[]> all = new ArrayList<>();
    long size = seed.length + 64;
    for (int i = 0; ; i++) {
      byte[] next = distinct.get(i % distinct.size());
      size += base64Length(next.length) + "{\"rawBytes\":\"\"},".length();
      if (size > bytes) {
        break;
      }
      all.add(next);
    }
    return withCertificateChain(seed, all);
  }

  /**
   * A certificate with a basicConstraints pathLenConstraint of {@code pathLen} (cA true), self-signed by {@code keys}
   * when {@code issuer} is null. BouncyCastle's provider reads it; its {@code getBasicConstraints()} throws
   * ArithmeticException for a pathLen of 2^31 or more.
   */
  public static byte[] caWithPathLen(String subject, BigInteger pathLen, KeyPair keys, String issuer, KeyPair issuerKeys) {
    return caWithPathLen(subject, pathLen, keys, issuer, issuerKeys, T0);
  }

  /** As {@link #caWithPathLen(String, BigInteger, KeyPair, String, KeyPair)}, valid for a day from {@code notBefore}. */
  public static byte[] caWithPathLen(
      String subject, BigInteger pathLen, KeyPair keys, String issuer, KeyPair issuerKeys, Instant notBefore) {
    X500Name s = new X500Name(subject);
    X500Name i = issuer == null ? s : new X500Name(issuer);
    KeyPair signing = issuerKeys == null ? keys : issuerKeys;
    X509v3CertificateBuilder b =
        builder(i, s, BigInteger.valueOf(System.nanoTime() & 0x7fffffffL), keys.getPublic(), notBefore, 86400);
    try {
      // BasicConstraints(int) takes an int: encode the SEQUENCE { BOOLEAN TRUE, INTEGER pathLen } by hand.
      ASN1EncodableVector v = new ASN1EncodableVector();
      v.add(org.bouncycastle.asn1.ASN1Boolean.TRUE);
      v.add(new ASN1Integer(pathLen));
      b.addExtension(Extension.basicConstraints, true, new DERSequence(v));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return b.build(signer(signing.getPrivate(), "SHA256withECDSA")).getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Fulcio-like leaf (digitalSignature, codeSigning) issued by {@code issuer}'s name and key. */
  public static byte[] leaf(String subject, PublicKey key, String issuer, KeyPair issuerKeys) {
    return leaf(subject, key, issuer, issuerKeys, T0);
  }

  /** As {@link #leaf(String, PublicKey, String, KeyPair)}, valid for a day from {@code notBefore}. */
  public static byte[] leaf(String subject, PublicKey key, String issuer, KeyPair issuerKeys, Instant notBefore) {
    X509v3CertificateBuilder b =
        builder(
            new X500Name(issuer),
            new X500Name(subject),
            BigInteger.valueOf(System.nanoTime() & 0x7fffffffL),
            key,
            notBefore,
            86400);
    try {
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
      return b.build(signer(issuerKeys.getPrivate(), "SHA256withECDSA")).getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A leaf and an intermediate CA (bundle order) whose pathLenConstraint is {@code pathLen}. */
  public static List<byte[]> pathLenChain(BigInteger pathLen) {
    KeyPair root = ec();
    KeyPair intermediate = ec();
    byte[] mid = caWithPathLen("CN=intermediate,O=hostile", pathLen, intermediate, "CN=root,O=hostile", root);
    byte[] leaf = leaf("CN=leaf,O=hostile", ec().getPublic(), "CN=intermediate,O=hostile", intermediate);
    return List.of(leaf, mid);
  }

  /**
   * {@code n} self-issued, self-signed-looking RSA-3072 certificates with 3071-bit public exponents (the JDK reads
   * RSA keys of up to 3072 bits with any exponent): one RSA verification with such a key costs ~100 ms.
   */
  public static List<byte[]> bigExponentChain(int n) {
    List<byte[]> out = new ArrayList<>(n);
    KeyPair signer = ec();
    PublicKey key = bigExponentRsaKey();
    for (int i = 0; i < n; i++) {
      X500Name name = new X500Name("CN=rsa-" + i + ",O=hostile");
      X509v3CertificateBuilder b = builder(name, name, BigInteger.valueOf(i + 1), key);
      try {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
        out.add(b.build(signer(signer.getPrivate(), "SHA256withECDSA")).getEncoded());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** An RSA-3072 public key with a 3071-bit odd public exponent (not a usable key pair; verification only). */
  public static PublicKey bigExponentRsaKey() {
    Random r = new Random(3072);
    BigInteger p = BigInteger.probablePrime(1536, r);
    BigInteger q = BigInteger.probablePrime(1536, r);
    BigInteger e = new BigInteger(3071, r).setBit(3070).setBit(0);
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(p.multiply(q), e));
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** A leaf with {@code count} extensions of {@code size} bytes each (unknown OIDs, critical or not). */
  public static byte[] leafWithExtensions(int count, int size, boolean critical) {
    KeyPair issuer = ec();
    X509v3CertificateBuilder b =
        builder(new X500Name("CN=issuer,O=hostile"), new X500Name("CN=leaf,O=hostile"), BigInteger.TEN, ec().getPublic());
    try {
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
      byte[] value = new byte[size];
      for (int i = 0; i < count; i++) {
        b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999." + (i / 40000) + "." + i), critical, new DEROctetString(value));
      }
      return b.build(signer(issuer.getPrivate(), "SHA256withECDSA")).getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A leaf with {@code count} URI subject alternative names. */
  public static byte[] leafWithSans(int count) {
    KeyPair issuer = ec();
    X509v3CertificateBuilder b =
        builder(new X500Name("CN=issuer,O=hostile"), new X500Name("CN=leaf,O=hostile"), BigInteger.TEN, ec().getPublic());
    GeneralName[] names = new GeneralName[count];
    for (int i = 0; i < count; i++) {
      names[i] = new GeneralName(GeneralName.uniformResourceIdentifier, "https://h/" + i);
    }
    try {
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
      b.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(names));
      return b.build(signer(issuer.getPrivate(), "SHA256withECDSA")).getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- bundle edits ----

  /** The seed with its verification material's certificate(s) replaced by an x509CertificateChain of {@code ders}. */
  public static byte[] withCertificateChain(byte[] seed, List<byte[]> ders) {
    return edit(
        seed,
        b -> {
          ObjectNode m = (ObjectNode) b.get("verificationMaterial");
          m.remove("certificate");
          m.remove("publicKey");
          ArrayNode certs = m.putObject("x509CertificateChain").putArray("certificates");
          for (byte[] der : ders) {
            certs.addObject().put("rawBytes", Base64.getEncoder().encodeToString(der));
          }
        });
  }

  /** Applies {@code change} to the seed's JSON tree and serialises it. */
  public static byte[] edit(byte[] seed, java.util.function.Consumer<ObjectNode> change) {
    try {
      ObjectNode b = (ObjectNode) JSON.readTree(seed);
      change.accept(b);
      return JSON.writeValueAsBytes(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode entry(ObjectNode bundle) {
    return (ObjectNode) bundle.get("verificationMaterial").get("tlogEntries").get(0);
  }

  private static void timestamps(ObjectNode b, int n, int size) {
    ArrayNode ts =
        ((ObjectNode) b.get("verificationMaterial")).putObject("timestampVerificationData").putArray("rfc3161Timestamps");
    for (int i = 0; i < n; i++) {
      ts.addObject().put("signedTimestamp", Base64.getEncoder().encodeToString(derSequence(size, i)));
    }
  }

  private static void identicalTimestamps(ObjectNode b, int n, int size) {
    ArrayNode ts =
        ((ObjectNode) b.get("verificationMaterial")).putObject("timestampVerificationData").putArray("rfc3161Timestamps");
    String one = Base64.getEncoder().encodeToString(derSequence(size, 0));
    for (int i = 0; i < n; i++) {
      ts.addObject().put("signedTimestamp", one);
    }
  }

  /** A DER SEQUENCE of {@code size} bytes holding one OCTET STRING, distinct per {@code tag} in its last byte. */
  private static byte[] derSequence(int size, int tag) {
    byte[] content = new byte[size - 16];
    content[content.length - 1] = (byte) tag;
    try {
      return new DERSequence(new ASN1Encodable[] {new ASN1Integer(0), new DEROctetString(content)}).getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void replayEntries(ObjectNode b, int n) {
    ArrayNode entries = (ArrayNode) b.get("verificationMaterial").get("tlogEntries");
    ObjectNode first = (ObjectNode) entries.get(0);
    ArrayNode hashes = (ArrayNode) first.get("inclusionProof").get("hashes");
    while (hashes.size() < 64) {
      hashes.add(hashes.get(hashes.size() % Math.max(1, hashes.size())).asText());
    }
    entries.removeAll();
    for (int i = 0; i < n; i++) {
      entries.add(first.deepCopy());
    }
  }

  private static void checkpointSignatures(ObjectNode b, int entries, int signatures) {
    ArrayNode list = (ArrayNode) b.get("verificationMaterial").get("tlogEntries");
    ObjectNode first = (ObjectNode) list.get(0);
    ObjectNode checkpoint = (ObjectNode) first.get("inclusionProof").get("checkpoint");
    String envelope = checkpoint.get("envelope").asText();
    StringBuilder sb = new StringBuilder(envelope);
    String lastLine = envelope.substring(envelope.lastIndexOf('\n', envelope.length() - 2) + 1);
    while (countSignatureLines(sb) < signatures) {
      sb.append(lastLine.replace("\u2014 ", "\u2014 x" + countSignatureLines(sb)));
    }
    checkpoint.put("envelope", sb.toString());
    list.removeAll();
    for (int i = 0; i < entries; i++) {
      list.add(first.deepCopy());
    }
  }

  private static int countSignatureLines(CharSequence s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\u2014') {
        n++;
      }
    }
    return n;
  }

  /** A canonicalized body of about {@code size} bytes: a hashedrekord-shaped JSON object with a long field. */
  private static String bodyOfSize(int size) {
    String json = "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"pad\":\"" + "A".repeat(size) + "\"}}";
    return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.US_ASCII));
  }

  /** The seed with one more top-level field, {@code "zz": <raw JSON>}, spliced in as text. */
  private static byte[] withUnknownField(byte[] seed, String rawJson) {
    String s = new String(seed, StandardCharsets.UTF_8);
    int close = s.lastIndexOf('}');
    return (s.substring(0, close) + ",\"zz\":" + rawJson + "}").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] replaceLogIndex(byte[] seed, String digits) {
    String s = new String(seed, StandardCharsets.UTF_8);
    int at = s.indexOf("\"logIndex\"");
    int colon = s.indexOf(':', at);
    int end = s.indexOf(',', colon);
    return (s.substring(0, colon + 1) + digits + s.substring(end)).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * An unknown top-level object whose keys all share one String hash code ("Aa" and "BB" hash alike, so do all
   * strings of n such pairs).
   */
  private static byte[] collidingKeys(byte[] seed) {
    StringBuilder sb = new StringBuilder("{");
    int n = 0;
    int budget = MAX_BYTES - seed.length - 64;
    for (int i = 0; ; i++) {
      StringBuilder k = new StringBuilder(40);
      for (int bit = 0; bit < 20; bit++) {
        k.append(((i >> bit) & 1) == 0 ? "Aa" : "BB");
      }
      if (sb.length() + k.length() + 8 > budget) {
        break;
      }
      if (n++ > 0) {
        sb.append(',');
      }
      sb.append('"').append(k).append("\":0");
    }
    sb.append('}');
    return withUnknownField(seed, sb.toString());
  }

  private static String manyStrings(int n) {
    StringBuilder sb = new StringBuilder(n * 14);
    sb.append('[');
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append("\"\\u00e9\\n\\t\\\"x\"");
    }
    return sb.append(']').toString();
  }

  /**
   * The seed turned into a DSSE bundle whose envelope is signed by a leaf the attacker made (a key of its own, an
   * issuer no one trusts): the signature verifies, so a verifier that reads the statement before it checks the chain
   * reads all {@code subjects} of it.
   */
  public static byte[] selfSignedDsse(byte[] seed, int subjects) {
    KeyPair keys = ec();
    byte[] leaf = leaf("CN=attacker,O=hostile", keys.getPublic(), "CN=attacker-ca,O=hostile", ec());
    StringBuilder st = new StringBuilder("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[");
    for (int i = 0; i < subjects; i++) {
      st.append(i == 0 ? "" : ",").append("{\"name\":\"\",\"digest\":{\"a\":\"\"}}");
    }
    st.append("],\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{}}");
    byte[] payload = st.toString().getBytes(StandardCharsets.UTF_8);
    String type = "application/vnd.in-toto+json";
    byte[] sig;
    try {
      java.io.ByteArrayOutputStream pae = new java.io.ByteArrayOutputStream();
      pae.writeBytes(("DSSEv1 " + type.length() + " " + type + " " + payload.length + " ").getBytes(StandardCharsets.UTF_8));
      pae.writeBytes(payload);
      java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
      s.initSign(keys.getPrivate());
      s.update(pae.toByteArray());
      sig = s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    byte[] withLeaf = withCertificateChain(seed, List.of(leaf));
    return edit(
        withLeaf,
        b -> {
          b.remove("messageSignature");
          ObjectNode env = b.putObject("dsseEnvelope");
          env.put("payload", Base64.getEncoder().encodeToString(payload));
          env.put("payloadType", type);
          env.putArray("signatures").addObject().put("sig", Base64.getEncoder().encodeToString(sig));
        });
  }

  /** Standard base64 of {@code bytes} zero bytes. */
  public static String base64(int bytes) {
    return Base64.getEncoder().encodeToString(new byte[bytes]);
  }

  private static int base64Length(int bytes) {
    return (bytes + 2) / 3 * 4;
  }

  // ---- plumbing ----

  public static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, BigInteger serial, PublicKey key) {
    return builder(issuer, subject, serial, key, T0, 600);
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, BigInteger serial, PublicKey key, Instant notBefore, long seconds) {
    return new X509v3CertificateBuilder(
        issuer,
        serial,
        Date.from(notBefore),
        Date.from(notBefore.plusSeconds(seconds)),
        subject,
        SubjectPublicKeyInfo.getInstance(key.getEncoded()));
  }

  private static ContentSigner signer(PrivateKey key, String alg) {
    try {
      return new JcaContentSignerBuilder(alg).setProvider(BC).build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }
}

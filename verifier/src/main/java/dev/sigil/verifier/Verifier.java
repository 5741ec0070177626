package dev.sigil.verifier;

import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.Bundle.DsseEnvelope;
import dev.sigil.verifier.bundle.Bundle.MessageSignature;
import dev.sigil.verifier.bundle.BundleVersion;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.crypto.Digests;
import dev.sigil.verifier.internal.crypto.InvalidSignatureException;
import dev.sigil.verifier.internal.json.JsonNode;
import dev.sigil.verifier.internal.crypto.SignatureVerifier;
import dev.sigil.verifier.internal.crypto.UnsupportedKeyException;
import dev.sigil.verifier.internal.tlog.EntryVerifier;
import dev.sigil.verifier.internal.tlog.RekorBody;
import dev.sigil.verifier.internal.tlog.Result;
import dev.sigil.verifier.trust.TrustedRoot;
import dev.sigil.verifier.internal.util.Lazy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies Sigstore bundles offline against a trusted root. Construct once and reuse: log keys, note verifiers, CA
 * chains and timestamp authorities are prepared at construction. Thread-safe; performs no I/O. Every call returns a
 * {@link VerificationResult} listing each check; expected failures (a bad signature, a wrong signer, a proof that
 * does not match) are results, not exceptions.
 */
public final class Verifier {
  static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
  private static final String STATEMENT_V1 = "https://in-toto.io/Statement/v1";
  private static final String STATEMENT_V01 = "https://in-toto.io/Statement/v0.1";
  /** As sigstore-go and sigstore-python: more timestamps than this is a malformed (or hostile) bundle. */
  static final int MAX_TIMESTAMPS = 32;

  private final VerifierOptions options;
  private final EntryVerifier entries;
  private final Lazy<CertificateChecks> certificates;
  private final Lazy<TimestampChecks> timestamps;
  private final KeyCache leafKeys = new KeyCache(1024);

  private Verifier(TrustedRoot root, VerifierOptions options) {
    this.options = options;
    this.entries = new EntryVerifier(root.tlogs());
    this.certificates =
        new Lazy<>() {
          @Override
          protected CertificateChecks compute() {
            return new CertificateChecks(root, options.ctlogThreshold(), options.verifiedLeafCache());
          }
        };
    this.timestamps =
        new Lazy<>() {
          @Override
          protected TimestampChecks compute() {
            return new TimestampChecks(root);
          }
        };
  }

  /** A verifier trusting exactly this root, with default options. */
  public static Verifier create(TrustedRoot root) {
    return new Verifier(root, VerifierOptions.defaults());
  }

  public static Verifier create(TrustedRoot root, VerifierOptions options) {
    return new Verifier(root, options);
  }

  /** A verifier with an empty trusted root: key-based bundles only, and only if the log is waived. */
  public Verifier() {
    this(TrustedRoot.empty(), VerifierOptions.defaults());
  }

  /** Everything a bundle's log entries and signature must agree on. */
  private record Signed(byte[] signature, RekorBody.Expected expected) {}

  /** Verifies one bundle against one artifact under one policy. */
  public VerificationResult verify(Bundle bundle, Artifact artifact, VerificationPolicy policy) {
    Run run = new Run();
    run.pass("bundle", "a Sigstore bundle", bundle.mediaType());
    Bundle.VerificationMaterial material = bundle.verificationMaterial();

    // 1. Who is supposed to have signed, and with which key.
    SignatureVerifier sv;
    X509Certificate leaf = null;
    List<X509Certificate> chain = List.of();
    byte[] verifierDer;
    if (material.isKeyBased()) {
      if (policy.key().isEmpty()) {
        return run.fail(
            "verification material",
            "a certificate (the policy names a certificate identity)",
            "a public-key bundle; verify it with the key");
      }
      sv = policy.key().get();
      verifierDer = sv.encoded();
      run.signer = "key " + sv.algorithm().displayName() + " " + sv.hint();
    } else {
      if (policy.identity().isEmpty()) {
        return run.fail(
            "verification material",
            "a public-key bundle (a key was given)",
            "a certificate; verify it by identity (--certificate-identity and --certificate-oidc-issuer)");
      }
      Result<List<X509Certificate>> parsed = certificates.get().parseCached(material.certificateChain());
      if (!parsed.isOk()) {
        return run.fail("certificate", "a DER X.509 certificate", parsed.reason());
      }
      chain = parsed.value();
      leaf = chain.get(0);
      Result<String> shape = certificates.get().checkBundleChain(chain, bundle.version());
      if (!shape.isOk()) {
        return run.fail("certificate chain", "a leaf certificate, optionally with intermediates, and no root", shape.reason());
      }
      try {
        sv = leafKeys.verifier(leaf.getPublicKey());
      } catch (UnsupportedKeyException e) {
        return run.fail("certificate key", "an ECDSA, Ed25519 or RSA key", e.getMessage());
      } catch (RuntimeException e) {
        // X509Certificate.getPublicKey() throws unchecked exceptions for malformed keys (BouncyCastle:
        // IllegalStateException "failed to recover public key").
        return run.fail("certificate key", "a well-formed public key", "a malformed one (" + e.getMessage() + ")");
      }
      verifierDer = CertificateChecks.der(leaf);
    }

    // 2. The signature over the artifact (or the DSSE envelope and its subject).
    Optional<Signed> signed =
        bundle.messageSignature().isPresent()
            ? verifyMessageSignature(bundle.messageSignature().get(), artifact, sv, verifierDer, leaf != null, run)
            : verifyDsse(bundle.dsseEnvelope().orElseThrow(), artifact, sv, verifierDer, leaf != null, run);
    if (signed.isEmpty()) {
      return run.result();
    }

    // 3. RFC 3161 timestamps over the signature. Like sigstore-go and sigstore-python, a timestamp that does not
    //    verify is not counted (and reported), rather than failing the bundle; duplicates and floods are rejected.
    List<SigningTime> times = new ArrayList<>();
    List<byte[]> stamps = material.rfc3161Timestamps();
    if (stamps.size() > MAX_TIMESTAMPS) {
      return run.fail("timestamps", "at most " + MAX_TIMESTAMPS + " RFC 3161 timestamps", stamps.size());
    }
    for (int i = 0; i < stamps.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (java.util.Arrays.equals(stamps.get(i), stamps.get(j))) {
          return run.fail("timestamp " + (i + 1), "distinct RFC 3161 timestamps", "a duplicate of timestamp " + (j + 1));
        }
      }
      Result<SigningTime> t = timestamps.get().verify(stamps.get(i), signed.get().signature());
      if (!t.isOk()) {
        run.skip("timestamp " + (i + 1), "not counted: it does not verify (" + t.reason() + ")");
        continue;
      }
      run.pass("timestamp " + (i + 1), "a valid RFC 3161 timestamp", t.value().describe());
      times.add(t.value());
    }
    if (!stamps.isEmpty() && times.isEmpty()) {
      return run.fail(
          "timestamps",
          "at least 1 RFC 3161 timestamp from a trusted authority",
          "none of " + stamps.size() + " verifies (" + run.lastSkipReason() + ")");
    }

    // 4. Transparency-log entries.
    Instant now = options.clock().instant();
    int verifiedEntries = 0;
    boolean anyV2 = false;
    List<EntryVerifier.VerifiedEntry> verified = new ArrayList<>();
    for (Bundle.TransparencyLogEntry e : material.tlogEntries()) {
      boolean requireProof = bundle.version() != BundleVersion.V0_1;
      Result<EntryVerifier.VerifiedEntry> r = entries.verify(e, signed.get().expected(), requireProof, now);
      if (!r.isOk()) {
        if (!policy.transparencyLogRequired()) {
          run.skip("transparency log entry " + e.logIndex(), "not verified (" + r.reason() + "); log waived by the caller");
          continue;
        }
        return run.fail("transparency log entry " + e.logIndex(), "an entry verified against a trusted log", r.reason());
      }
      verifiedEntries++;
      anyV2 |= r.value().rekorV2();
      verified.add(r.value());
      run.logEntries.add(r.value().summary());
      run.pass("transparency log entry " + e.logIndex(), "an entry verified against a trusted log", r.value().summary());
      Optional<Instant> integrated = r.value().integratedTime();
      if (integrated.isPresent()) {
        times.add(new SigningTime(integrated.get(), SigningTime.Source.TRANSPARENCY_LOG, r.value().log().baseUrl()));
      }
    }
    if (!policy.transparencyLogRequired()) {
      run.skip("transparency log", "the caller chose to ignore the transparency log (unsafe)");
    } else if (verifiedEntries < options.tlogThreshold()) {
      return run.fail(
          "transparency log",
          "at least " + options.tlogThreshold()
              + " verified transparency-log entry (pass --insecure-ignore-tlog to accept a bundle without one)",
          material.tlogEntries().isEmpty() ? "none in the bundle" : verifiedEntries + " verified");
    }
    List<SigningTime> tsaTimes = new ArrayList<>();
    for (SigningTime t : times) {
      if (t.source() == SigningTime.Source.TIMESTAMP_AUTHORITY) {
        tsaTimes.add(t);
      }
    }
    if (anyV2 && tsaTimes.isEmpty()) {
      return run.fail(
          "signing time", "a verified RFC 3161 timestamp (Rekor v2 entries carry no integrated time)", "none");
    }
    for (EntryVerifier.VerifiedEntry v : verified) {
      if (v.rekorV2()) {
        for (SigningTime t : tsaTimes) {
          if (!v.log().validAt(t.time())) {
            return run.fail(
                "transparency log validity",
                "the log key valid at the signing time " + t.time() + " (" + v.log().validFor().describe() + ")",
                "it was not");
          }
        }
      }
    }
    run.times.addAll(times);

    // 5. The certificate: chain, SCT and identity, at every verified signing time.
    if (leaf != null) {
      if (times.isEmpty()) {
        return run.fail(
            "signing time",
            "a verified signing time (log integrated time or RFC 3161 timestamp) to check the certificate at",
            "none");
      }
      X509Certificate issuer = null;
      for (SigningTime t : times) {
        Result<X509Certificate> c = certificates.get().verifyChain(leaf, chain.subList(1, chain.size()), t.time());
        if (!c.isOk()) {
          return run.fail("certificate chain", "a certificate from a trusted CA, valid at " + t.describe(), c.reason());
        }
        issuer = c.value();
      }
      run.pass("certificate chain", "a certificate from a trusted CA", "valid at " + times.size() + " verified time(s)");
      Result<String> sct = certificates.get().verifySct(leaf, issuer);
      if (!sct.isOk()) {
        return run.fail("certificate transparency", "an SCT from a trusted CT log", sct.reason());
      }
      run.pass("certificate transparency", "an SCT from a trusted CT log", sct.value());
      CertificateChecks.IdentityOutcome match =
          certificates.get().matchIdentity(leaf, policy.identity().orElseThrow());
      if (match.failure() != null) {
        run.checks.add(match.failure());
        return run.result();
      }
      CertificateChecks.Identity id = match.identity();
      run.signer = id.subject();
      run.issuer = id.issuer();
      run.claims = id.claims();
      run.pass("identity", "the expected signer", id.subject() + " from " + id.issuer());
    }
    return run.result();
  }

  /** Accumulates checks and facts for one verification. */
  private static final class Run {
    final List<Check> checks = new ArrayList<>();
    final List<SigningTime> times = new ArrayList<>();
    final List<String> logEntries = new ArrayList<>();
    String signer;
    String issuer;
    Map<String, String> claims = Map.of();
    String statementType;

    void pass(String name, String expected, String found) {
      checks.add(Check.passed(name, expected, found));
    }

    void skip(String name, String why) {
      checks.add(Check.skipped(name, why));
    }

    VerificationResult fail(String name, String expected, int found) {
      return fail(name, expected, Integer.toString(found));
    }

    String lastSkipReason() {
      for (int i = checks.size() - 1; i >= 0; i--) {
        if (checks.get(i).outcome() == Check.Outcome.SKIPPED) {
          return checks.get(i).found();
        }
      }
      return "";
    }

    VerificationResult fail(String name, String expected, String found) {
      checks.add(Check.failed(name, expected, found));
      return result();
    }

    VerificationResult result() {
      boolean ok = Check.first(checks, Check.Outcome.FAILED) == null;
      return new VerificationResult(
          ok,
          checks,
          Optional.ofNullable(signer),
          Optional.ofNullable(issuer),
          claims,
          times,
          logEntries,
          Optional.ofNullable(statementType));
    }
  }

  private static Optional<Signed> verifyMessageSignature(
      MessageSignature ms, Artifact artifact, SignatureVerifier sv, byte[] verifierDer, boolean isCert, Run run) {
    HashAlgorithm alg =
        ms.messageDigest().isPresent()
            ? ms.messageDigest().get().algorithm()
            : sv.algorithm().hash().orElse(HashAlgorithm.SHA2_256);
    Optional<byte[]> actual = artifact.digest(alg);
    if (actual.isEmpty()) {
      run.fail(
          "artifact digest",
          "the artifact's " + alg + " digest, as the bundle uses",
          "only " + artifact.algorithms() + " (pass the file instead of a digest)");
      return Optional.empty();
    }
    if (ms.messageDigest().isPresent()) {
      byte[] claimed = ms.messageDigest().get().digest();
      if (!MessageDigest.isEqual(claimed, actual.get())) {
        run.fail("artifact digest", hex(alg, actual.get()) + " (the artifact)", hex(alg, claimed) + " in the bundle");
        return Optional.empty();
      }
      run.pass("artifact digest", hex(alg, actual.get()), "bundle digest matches the artifact");
    }
    byte[] signature = ms.signature();
    try {
      if (sv.supportsPrehashed()) {
        sv.verifyDigest(alg, actual.get(), signature);
      } else {
        Optional<byte[]> content = artifact.content();
        if (content.isEmpty()) {
          run.fail(
              "signature",
              "the artifact's bytes (" + sv.algorithm().displayName() + " signs the whole message)",
              "only a digest (pass the file, not a digest)");
          return Optional.empty();
        }
        sv.verifyMessage(content.get(), signature);
      }
    } catch (InvalidSignatureException e) {
      run.fail("signature", "a valid signature over " + hex(alg, actual.get()), e.getMessage());
      return Optional.empty();
    }
    run.pass("signature", "a valid signature", sv.algorithm().displayName() + " signature verifies");
    String algName = alg.name().toLowerCase(Locale.ROOT).replace("sha2_", "sha");
    return Optional.of(
        new Signed(
            signature,
            new RekorBody.Expected(
                RekorBody.Kind.MESSAGE_SIGNATURE, algName, actual.get(), new byte[0], signature, verifierDer, isCert)));
  }

  /** Verifies a DSSE envelope and its in-toto subject. */
  private Optional<Signed> verifyDsse(
      DsseEnvelope env, Artifact artifact, SignatureVerifier sv, byte[] verifierDer, boolean isCert, Run run) {
    if (env.signatures().size() != 1) {
      run.fail("DSSE signatures", "exactly 1 signature", env.signatures().size() + " signatures");
      return Optional.empty();
    }
    byte[] payload = env.payload();
    byte[] pae = pae(env.payloadType(), payload);
    byte[] signature = env.signatures().get(0).sig();
    try {
      sv.verifyMessage(pae, signature);
    } catch (InvalidSignatureException e) {
      run.fail("DSSE signature", "a valid signature over the envelope's PAE", e.getMessage());
      return Optional.empty();
    }
    run.pass("DSSE signature", "a valid signature", sv.algorithm().displayName() + " signature verifies");
    if (!IN_TOTO_PAYLOAD_TYPE.equals(env.payloadType())) {
      run.fail("DSSE payload type", IN_TOTO_PAYLOAD_TYPE, "\"" + env.payloadType() + "\"");
      return Optional.empty();
    }
    JsonNode statement;
    try {
      statement = JsonNode.parse(payload);
    } catch (IOException e) {
      run.fail("in-toto statement", "a JSON in-toto Statement", "malformed JSON");
      return Optional.empty();
    }
    String type = statement == null ? "" : statement.path("_type").asText("");
    if (!STATEMENT_V1.equals(type) && !STATEMENT_V01.equals(type)) {
      run.fail("in-toto statement", STATEMENT_V1, "_type \"" + type + "\"");
      return Optional.empty();
    }
    if (!subjectMatches(statement.path("subject"), artifact, run)) {
      return Optional.empty();
    }
    run.statementType = type;
    return Optional.of(
        new Signed(
            signature,
            new RekorBody.Expected(
                RekorBody.Kind.DSSE, "sha256", Digests.sha256(pae), Digests.sha256(payload), signature, verifierDer, isCert)));
  }

  private static boolean subjectMatches(JsonNode subjects, Artifact artifact, Run run) {
    if (!subjects.isArray() || subjects.isEmpty()) {
      run.fail("in-toto subject", "at least one subject", "none");
      return false;
    }
    for (JsonNode s : subjects) {
      for (Iterator<Map.Entry<String, JsonNode>> it = s.path("digest").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> d = it.next();
        HashAlgorithm alg =
            switch (d.getKey()) {
              case "sha256" -> HashAlgorithm.SHA2_256;
              case "sha384" -> HashAlgorithm.SHA2_384;
              case "sha512" -> HashAlgorithm.SHA2_512;
              default -> null;
            };
        Optional<byte[]> have = alg == null ? Optional.empty() : artifact.digest(alg);
        if (have.isPresent() && HexFormat.of().formatHex(have.get()).equalsIgnoreCase(d.getValue().asText(""))) {
          run.pass(
              "in-toto subject",
              "a subject with the artifact's digest",
              "subject \"" + s.path("name").asText("") + "\" " + d.getKey() + ":" + d.getValue().asText(""));
          return true;
        }
      }
    }
    run.fail("in-toto subject", "a subject with digest " + artifact, subjects.size() + " subject(s), none with that digest");
    return false;
  }

  /** DSSE pre-authentication encoding; lengths count UTF-8 bytes, not characters. */
  public static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static String hex(HashAlgorithm alg, byte[] d) {
    return alg.name().toLowerCase(Locale.ROOT).replace("sha2_", "sha") + ":" + HexFormat.of().formatHex(d);
  }
}

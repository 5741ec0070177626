package dev.sigil.verifier;

import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.DigestAlgorithm;
import dev.sigil.attestations.DigestSet;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.Subject;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.entity.DsseEnvelope;
import dev.sigil.verifier.entity.MessageSignature;
import dev.sigil.verifier.entity.SignatureContent;
import dev.sigil.verifier.entity.SignedEntity;
import dev.sigil.verifier.entity.TransparencyLogEntry;
import dev.sigil.verifier.entity.VerificationContent;
import dev.sigil.verifier.internal.Outcome;
import dev.sigil.verifier.internal.certificate.CertificateChainVerifier;
import dev.sigil.verifier.internal.crypto.Digests;
import dev.sigil.verifier.internal.crypto.InvalidSignatureException;
import dev.sigil.verifier.internal.crypto.SignatureVerifier;
import dev.sigil.verifier.internal.crypto.UnsupportedKeyException;
import dev.sigil.verifier.internal.tlog.EntryVerifier;
import dev.sigil.verifier.internal.tlog.RekorBody;
import dev.sigil.verifier.internal.util.Lazy;
import dev.sigil.verifier.trust.TrustedMaterial;
import dev.sigil.verifier.trust.TrustedPublicKey;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies signed entities (Sigstore bundles, cosign's legacy image signatures, DSSE attestations) offline against
 * trusted material. Built once from {@link TrustedMaterial} and {@link VerifierOptions} (deployment facts); each call
 * takes a {@link VerificationPolicy} (what was signed and by whom). Thread-safe; performs no I/O. Every call returns a
 * {@link VerificationResult}: expected failures (a bad signature, a wrong signer, a proof that does not match, input
 * a certificate library cannot process) are {@link VerificationResult.Rejected} results with a {@link Reason}, never
 * exceptions.
 *
 * <p>Checks, in order, stopping at the first failure: the verification material against the policy; the signature
 * over the artifact (or the DSSE PAE, then the in-toto subject); each RFC 3161 timestamp; each transparency-log entry
 * (body, signed entry timestamp, inclusion proof to a signed checkpoint); the thresholds; and for certificates the
 * chain to a trusted CA at every verified signing time, the SCTs and the identity. Signing times always come from a
 * verified timestamp or log entry, never from the clock.
 */
public final class Verifier {
  static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
  /** Fulcio chains are a leaf and one or two intermediates; anything much longer is malformed or hostile. */
  static final int MAX_CERTIFICATES = CertificateChainVerifier.MAX_BUNDLE_CERTIFICATES;
  /**
   * The largest certificate and the largest RFC 3161 timestamp read, in DER bytes, checked before either is parsed.
   * Fulcio leaves are 1-3 KiB and TSA responses with their chain 2-6 KiB; ASN.1 parsing costs grow with the number of
   * elements, and a 16 MiB certificate of 200,000 tiny extensions cost ~1.4 s to parse before this cap.
   */
  static final int MAX_DER_BYTES = 64 * 1024;
  /** The most trusted keys tried for a key-based entity that names none of them by hint. */
  static final int MAX_KEYS_TRIED = 16;

  private final VerifierOptions options;
  private final EntryVerifier entries;
  private final Lazy<CertificateChecks> certificates;
  private final Lazy<TimestampChecks> timestamps;
  private final List<TrustedPublicKey> keys;
  private final KeyCache keyVerifiers = new KeyCache(1024);

  private Verifier(TrustedMaterial material, VerifierOptions options) {
    this.options = options;
    this.entries = new EntryVerifier(material.tlogs());
    this.keys = List.copyOf(material.publicKeys());
    this.certificates =
        new Lazy<>() {
          @Override
          protected CertificateChecks compute() {
            return new CertificateChecks(material, options.sctThreshold(), options.verifiedLeafCache());
          }
        };
    this.timestamps =
        new Lazy<>() {
          @Override
          protected TimestampChecks compute() {
            return new TimestampChecks(material);
          }
        };
  }

  /** A verifier trusting exactly this material, with default options. */
  public static Verifier create(TrustedMaterial material) {
    return new Verifier(material, VerifierOptions.defaults());
  }

  /** A verifier trusting exactly this material, with these options. */
  public static Verifier create(TrustedMaterial material, VerifierOptions options) {
    return new Verifier(material, options);
  }

  /** The options this verifier was built with. */
  public VerifierOptions options() {
    return options;
  }

  /** Everything an entity's log entries and signature must agree on. */
  /** {@code dsse} is the envelope whose statement is read last (null for a message signature). */
  private record Signed(byte[] signature, RekorBody.Expected expected, DsseEnvelope dsse) {}

  /** The key or certificate an entity is verified with. */
  private static final class Material {
    List<SignatureVerifier> candidates = List.of();
    List<TrustedPublicKey> candidateKeys = List.of();
    X509Certificate leaf;
    List<X509Certificate> chain = List.of();
    /** What the log entry must name: the key's SubjectPublicKeyInfo or the leaf's DER, once the signature verified. */
    byte[] verifierDer;
    TrustedPublicKey key;
  }

  /**
   * Verifies one entity under one policy. Never throws for bad input: whatever the entity holds, the answer is a
   * result.
   */
  public VerificationResult verify(SignedEntity entity, VerificationPolicy policy) {
    Run run = new Run(entity.mediaType());
    try {
      return verify(entity, policy, run);
    } catch (RuntimeException e) {
      // A certificate, key or ASN.1 library failed on input nothing before it refused (BouncyCastle's
      // getBasicConstraints throws ArithmeticException for a path length of 2^31 or more, for one). The input is
      // rejected, never the caller's thread.
      return run.fail(
          Check.Step.VERIFICATION_MATERIAL,
          Reason.UNPROCESSABLE_INPUT,
          "input the certificate and key libraries can process",
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  private VerificationResult verify(SignedEntity entity, VerificationPolicy policy, Run run) {
    // 1. Who is supposed to have signed, and with which key. Cheap shape checks first: nothing an attacker sent is
    //    parsed or has its signature checked before the counts are known to be sane.
    if (entity.tlogEntries().size() > VerifierOptions.MAX_TLOG_ENTRIES) {
      return run.fail(
          Check.Step.TRANSPARENCY_LOG,
          Reason.TLOG_ENTRY_MALFORMED,
          "at most " + VerifierOptions.MAX_TLOG_ENTRIES + " transparency-log entries",
          Integer.toString(entity.tlogEntries().size()));
    }
    if (entity.rfc3161Timestamps().size() > VerifierOptions.MAX_TIMESTAMPS) {
      return run.fail(
          Check.Step.TIMESTAMPS,
          Reason.TIMESTAMPS_MALFORMED,
          "at most " + VerifierOptions.MAX_TIMESTAMPS + " RFC 3161 timestamps",
          Integer.toString(entity.rfc3161Timestamps().size()));
    }
    for (int i = 0; i < entity.rfc3161Timestamps().size(); i++) {
      if (entity.rfc3161Timestamps().get(i).length > MAX_DER_BYTES) {
        return run.fail(
            Check.Step.TIMESTAMPS,
            Reason.TIMESTAMPS_MALFORMED,
            "RFC 3161 timestamps of at most " + MAX_DER_BYTES + " bytes",
            "timestamp " + (i + 1) + " of " + entity.rfc3161Timestamps().get(i).length + " bytes");
      }
    }
    Material m = new Material();
    VerificationContent content = entity.verificationContent();
    if (content instanceof VerificationContent.PublicKeyHint hint) {
      if (policy.expectsCertificate()) {
        return run.fail(
            Check.Step.VERIFICATION_MATERIAL,
            Reason.MATERIAL_MISMATCH,
            "a certificate (the policy names a certificate identity)",
            "a public-key signature");
      }
      VerificationResult r = trustedKeys(hint.hint(), m, run);
      if (r != null) {
        return r;
      }
    } else {
      VerificationContent.CertificateChain certs = (VerificationContent.CertificateChain) content;
      if (policy.expectsPublicKey()) {
        return run.fail(
            Check.Step.VERIFICATION_MATERIAL,
            Reason.MATERIAL_MISMATCH,
            "a public-key signature (the policy names a trusted key)",
            "a certificate");
      }
      VerificationResult r = certificate(certs, m, run);
      if (r != null) {
        return r;
      }
    }

    // 2. The signature over the artifact (or the DSSE envelope and its subject).
    SignatureContent signature = entity.signatureContent();
    Optional<Signed> signed =
        signature instanceof MessageSignature ms
            ? verifyMessageSignature(ms, policy.artifact(), m, run)
            : verifyDsse((DsseEnvelope) signature, m, run);
    if (signed.isEmpty()) {
      return run.result();
    }

    // 3. RFC 3161 timestamps over the signature. Like sigstore-go and sigstore-python, a timestamp that does not
    //    verify is not counted (and reported), rather than failing the entity; duplicates are rejected.
    List<SigningTime> times = new ArrayList<>();
    List<byte[]> stamps = entity.rfc3161Timestamps();
    int verifiedStamps = 0;
    for (int i = 0; i < stamps.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (Arrays.equals(stamps.get(i), stamps.get(j))) {
          return run.fail(
              Check.Step.TIMESTAMPS,
              Reason.TIMESTAMPS_MALFORMED,
              "distinct RFC 3161 timestamps",
              "timestamp " + (i + 1) + " repeats timestamp " + (j + 1));
        }
      }
      Outcome<SigningTime> t = timestamps.get().verify(stamps.get(i), signed.get().signature());
      if (!t.isOk()) {
        run.skip(Check.Step.TIMESTAMP, t.reason(), "timestamp " + (i + 1) + " not counted: it does not verify (" + t.detail() + ")");
        continue;
      }
      verifiedStamps++;
      run.pass(Check.Step.TIMESTAMP, "a valid RFC 3161 timestamp", "timestamp " + (i + 1) + ": " + t.value().describe());
      times.add(t.value());
    }
    if (!stamps.isEmpty() && verifiedStamps == 0) {
      return run.fail(
          Check.Step.TIMESTAMPS,
          Reason.TIMESTAMP_THRESHOLD,
          "at least 1 RFC 3161 timestamp from a trusted authority",
          "none of " + stamps.size() + " verifies (" + run.lastSkipReason() + ")");
    }
    if (verifiedStamps < options.timestampThreshold()) {
      return run.fail(
          Check.Step.TIMESTAMPS,
          Reason.TIMESTAMP_THRESHOLD,
          "at least " + options.timestampThreshold() + " verified RFC 3161 timestamp(s)",
          verifiedStamps + " verified");
    }

    // 4. Transparency-log entries.
    Instant now = options.clock().instant();
    int verifiedEntries = 0;
    int integratedTimes = 0;
    boolean anyV2 = false;
    List<EntryVerifier.VerifiedEntry> verified = new ArrayList<>();
    for (TransparencyLogEntry e : entity.tlogEntries()) {
      Outcome<EntryVerifier.VerifiedEntry> r =
          entries.verify(e, signed.get().expected(), entity.inclusionProofRequired(), now);
      if (!r.isOk()) {
        if (!policy.transparencyLogRequired()) {
          run.skip(
              Check.Step.TRANSPARENCY_LOG_ENTRY,
              Reason.WAIVED,
              "entry " + e.logIndex() + " not verified (" + r.detail() + "); log waived by the caller");
          continue;
        }
        return run.fail(
            Check.Step.TRANSPARENCY_LOG_ENTRY,
            r.reason(),
            "an entry verified against a trusted log",
            "entry " + e.logIndex() + ": " + r.detail());
      }
      EntryVerifier.VerifiedEntry v = r.value();
      verifiedEntries++;
      anyV2 |= v.rekorV2();
      verified.add(v);
      run.logEntries.add(
          new VerifiedLogEntry(
              HexFormat.of().formatHex(v.log().logId()),
              v.log().baseUrl(),
              e.logIndex(),
              v.rekorV2(),
              v.integratedTime(),
              v.summary()));
      run.pass(Check.Step.TRANSPARENCY_LOG_ENTRY, "an entry verified against a trusted log", v.summary());
      if (v.integratedTime().isPresent()) {
        integratedTimes++;
        times.add(new SigningTime(v.integratedTime().get(), SigningTime.Source.TRANSPARENCY_LOG, v.log().baseUrl()));
      }
    }
    if (!policy.transparencyLogRequired()) {
      run.skip(Check.Step.TRANSPARENCY_LOG, Reason.WAIVED, "the caller chose to ignore the transparency log (unsafe)");
    } else {
      if (verifiedEntries < options.transparencyLogThreshold()) {
        return run.fail(
            Check.Step.TRANSPARENCY_LOG,
            Reason.TLOG_THRESHOLD,
            "at least " + options.transparencyLogThreshold() + " verified transparency-log entry",
            entity.tlogEntries().isEmpty() ? "none in the entity" : verifiedEntries + " verified");
      }
      if (integratedTimes < options.integratedTimeThreshold()) {
        return run.fail(
            Check.Step.SIGNING_TIME,
            Reason.SIGNING_TIME_MISSING,
            "at least " + options.integratedTimeThreshold() + " log integrated time(s) covered by a signed entry timestamp",
            integratedTimes + " verified");
      }
    }
    List<SigningTime> tsaTimes = new ArrayList<>();
    for (SigningTime t : times) {
      if (t.source() == SigningTime.Source.TIMESTAMP_AUTHORITY) {
        tsaTimes.add(t);
      }
    }
    if (anyV2 && tsaTimes.isEmpty()) {
      return run.fail(
          Check.Step.SIGNING_TIME,
          Reason.SIGNING_TIME_MISSING,
          "a verified RFC 3161 timestamp (Rekor v2 entries carry no integrated time)",
          "none");
    }
    for (EntryVerifier.VerifiedEntry v : verified) {
      if (v.rekorV2()) {
        for (SigningTime t : tsaTimes) {
          if (!v.log().validAt(t.time())) {
            return run.fail(
                Check.Step.TRANSPARENCY_LOG_VALIDITY,
                Reason.TLOG_KEY_NOT_VALID,
                "the log key valid at the signing time " + t.time() + " (" + v.log().validFor().describe() + ")",
                "it was not");
          }
        }
      }
    }
    run.times.addAll(times);

    // 5. Who signed: a trusted key (valid at every verified time), or the certificate's chain, SCTs and identity.
    if (m.leaf == null) {
      TrustedPublicKey key = m.key;
      if (!key.validFor().equals(dev.sigil.verifier.trust.ValidityPeriod.unbounded())) {
        if (times.isEmpty()) {
          return run.fail(
              Check.Step.SIGNING_TIME,
              Reason.SIGNING_TIME_MISSING,
              "a verified signing time to check the key's validity " + key.validFor().describe() + " at",
              "none");
        }
        for (SigningTime t : times) {
          if (!key.validFor().contains(t.time())) {
            return run.fail(
                Check.Step.PUBLIC_KEY,
                Reason.UNTRUSTED_KEY,
                "a key valid at " + t.describe() + " (" + key.validFor().describe() + ")",
                "it was not");
          }
        }
      }
      KeySigner signer =
          new KeySigner(key.hint(), m.candidates.get(0).algorithm().displayName(), key.fingerprint());
      return verified(signer, signed.get(), policy.artifact(), run);
    }
    if (times.size() < options.observerTimestampThreshold()) {
      return run.fail(
          Check.Step.SIGNING_TIME,
          Reason.SIGNING_TIME_MISSING,
          "at least " + options.observerTimestampThreshold()
              + " verified signing time(s) (log integrated time or RFC 3161 timestamp) to check the certificate at",
          times.isEmpty() ? "none" : times.size() + " verified");
    }
    X509Certificate issuer = null;
    for (SigningTime t : times) {
      Outcome<X509Certificate> c = certificates.get().verifyChain(m.leaf, m.chain.subList(1, m.chain.size()), t.time());
      if (!c.isOk()) {
        return run.fail(
            Check.Step.CERTIFICATE_CHAIN, c.reason(), "a certificate from a trusted CA, valid at " + t.describe(), c.detail());
      }
      issuer = c.value();
    }
    run.pass(Check.Step.CERTIFICATE_CHAIN, "a certificate from a trusted CA", "valid at " + times.size() + " verified time(s)");
    if (options.sctThreshold() > 0) {
      Outcome<String> sct = certificates.get().verifySct(m.leaf, issuer);
      if (!sct.isOk()) {
        return run.fail(Check.Step.CERTIFICATE_TRANSPARENCY, sct.reason(), "an SCT from a trusted CT log", sct.detail());
      }
      run.pass(Check.Step.CERTIFICATE_TRANSPARENCY, "an SCT from a trusted CT log", sct.value());
    }
    Outcome<CertificateSigner> who = certificates.get().signer(m.leaf);
    if (!who.isOk()) {
      return run.fail(Check.Step.IDENTITY, who.reason(), "a well-formed Fulcio certificate", who.detail());
    }
    CertificateSigner signer = who.value();
    if (policy.anySignerUnsafe()) {
      run.skip(Check.Step.IDENTITY, Reason.WAIVED, "the caller accepts any identity (unsafe); found " + signer.describe());
      return verified(signer, signed.get(), policy.artifact(), run);
    }
    List<Check> closest = null;
    for (IdentityMatcher matcher : policy.identities()) {
      List<Check> checks = matcher.evaluate(signer);
      if (Check.first(checks, Check.Outcome.FAILED) == null) {
        run.checks.addAll(checks);
        return verified(signer, signed.get(), policy.artifact(), run);
      }
      if (closest == null) {
        closest = checks;
      }
    }
    for (Check c : closest) {
      run.checks.add(c);
      if (c.outcome() == Check.Outcome.FAILED) {
        break;
      }
    }
    if (policy.identities().size() > 1) {
      Check first = Check.first(run.checks, Check.Outcome.FAILED);
      run.checks.set(
          run.checks.indexOf(first),
          Check.failed(
              Check.Step.IDENTITY,
              first.reason().orElseThrow(),
              "one of " + policy.identities().size() + " identities, the first: " + first.expected(),
              first.found()));
    }
    return run.result();
  }

  /** Finds the trusted keys an entity signed with a key may be verified with; null on success, else the rejection. */
  private VerificationResult trustedKeys(Optional<String> hint, Material m, Run run) {
    List<TrustedPublicKey> candidates = new ArrayList<>();
    if (hint.isPresent()) {
      for (TrustedPublicKey k : keys) {
        if (k.hint().isPresent() && k.hint().get().equals(hint.get())) {
          candidates.add(k);
        }
      }
    }
    if (candidates.isEmpty()) {
      for (TrustedPublicKey k : keys) {
        if (k.hint().isEmpty() && candidates.size() < MAX_KEYS_TRIED) {
          candidates.add(k);
        }
      }
    }
    if (candidates.isEmpty()) {
      return run.fail(
          Check.Step.PUBLIC_KEY,
          Reason.UNTRUSTED_KEY,
          "a trusted public key" + (hint.isPresent() ? " named \"" + hint.get() + "\"" : ""),
          keys.isEmpty() ? "the trusted material lists no public keys" : "none of " + keys.size() + " trusted keys matches");
    }
    List<SignatureVerifier> verifiers = new ArrayList<>();
    for (TrustedPublicKey k : candidates) {
      try {
        verifiers.add(keyVerifiers.verifier(k.key()));
      } catch (UnsupportedKeyException e) {
        return run.fail(Check.Step.PUBLIC_KEY, Reason.UNSUPPORTED_KEY, "an ECDSA, Ed25519 or RSA key", e.getMessage());
      }
    }
    m.candidates = verifiers;
    m.candidateKeys = candidates;
    return null;
  }

  /** Parses and shape-checks an entity's certificates; null on success, else the rejection. */
  private VerificationResult certificate(VerificationContent.CertificateChain certs, Material m, Run run) {
    List<byte[]> ders = certs.certificates();
    if (ders.size() > MAX_CERTIFICATES) {
      return run.fail(
          Check.Step.CERTIFICATE,
          Reason.CERTIFICATE_CHAIN_SHAPE,
          "at most " + MAX_CERTIFICATES + " certificates (a leaf and its intermediates)",
          Integer.toString(ders.size()));
    }
    for (int i = 0; i < ders.size(); i++) {
      if (ders.get(i).length > MAX_DER_BYTES) {
        return run.fail(
            Check.Step.CERTIFICATE,
            Reason.CERTIFICATE_MALFORMED,
            "certificates of at most " + MAX_DER_BYTES + " bytes",
            "certificate " + (i + 1) + " of " + ders.get(i).length + " bytes");
      }
    }
    Outcome<List<X509Certificate>> parsed = certificates.get().parseCached(certs.rootAllowed() ? ders.subList(0, 1) : ders);
    if (!parsed.isOk()) {
      return run.fail(Check.Step.CERTIFICATE, parsed.reason(), "a DER X.509 certificate", parsed.detail());
    }
    m.chain = parsed.value();
    m.leaf = m.chain.get(0);
    for (int i = 0; i < m.chain.size(); i++) {
      String problem = keyShape(m.chain.get(i));
      if (problem != null) {
        return run.fail(
            Check.Step.CERTIFICATE_KEY,
            Reason.UNSUPPORTED_KEY,
            "an ECDSA, Ed25519 or RSA key with a public exponent below 2^31",
            "certificate " + (i + 1) + ": " + problem);
      }
    }
    if (!certs.rootAllowed()) {
      Outcome<String> shape = certificates.get().checkBundleChain(m.chain);
      if (!shape.isOk()) {
        return run.fail(
            Check.Step.CERTIFICATE,
            shape.reason(),
            "a leaf certificate, optionally with intermediates, and no root",
            shape.detail());
      }
    }
    try {
      m.candidates = List.of(keyVerifiers.verifier(m.leaf.getPublicKey()));
    } catch (UnsupportedKeyException e) {
      return run.fail(Check.Step.CERTIFICATE_KEY, Reason.UNSUPPORTED_KEY, "an ECDSA, Ed25519 or RSA key", e.getMessage());
    }
    m.verifierDer = CertificateChecks.der(m.leaf);
    return null;
  }

  /**
   * What is wrong with a certificate's key before any signature is checked with it, or null. RSA public exponents
   * must be below 2^31, as Go's crypto/rsa (behind cosign and sigstore-go) requires: the JDK reads RSA keys of up to
   * 3072 bits with exponents as long as the modulus, and one verification with such a key costs ~100 ms.
   */
  private static String keyShape(X509Certificate c) {
    java.security.PublicKey key;
    try {
      key = c.getPublicKey();
    } catch (RuntimeException e) {
      return null; // an undecodable key: the checks after this one report it
    }
    if (key instanceof java.security.interfaces.RSAPublicKey rsa && rsa.getPublicExponent().bitLength() > 31) {
      return "an RSA key with a " + rsa.getPublicExponent().bitLength() + "-bit public exponent";
    }
    return null;
  }

  /** Accumulates checks and facts for one verification. */
  private static final class Run {
    final String mediaType;
    final List<Check> checks = new ArrayList<>();
    final List<SigningTime> times = new ArrayList<>();
    final List<VerifiedLogEntry> logEntries = new ArrayList<>();

    Run(String mediaType) {
      this.mediaType = mediaType;
    }

    void pass(Check.Step step, String expected, String found) {
      checks.add(Check.passed(step, expected, found));
    }

    void skip(Check.Step step, Reason reason, String why) {
      checks.add(Check.skipped(step, reason, why));
    }

    String lastSkipReason() {
      for (int i = checks.size() - 1; i >= 0; i--) {
        if (checks.get(i).outcome() == Check.Outcome.SKIPPED) {
          return checks.get(i).found();
        }
      }
      return "";
    }

    VerificationResult fail(Check.Step step, Reason reason, String expected, String found) {
      checks.add(Check.failed(step, reason, expected, found));
      return result();
    }

    VerificationResult result() {
      Check failure = Check.first(checks, Check.Outcome.FAILED);
      return new VerificationResult.Rejected(failure, checks);
    }

    VerificationResult verified(Signer signer, Statement statement) {
      return new VerificationResult.Verified(
          mediaType, signer, times, logEntries, Optional.ofNullable(statement), checks);
    }
  }

  private static Optional<Signed> verifyMessageSignature(
      MessageSignature ms, Optional<Artifact> artifact, Material m, Run run) {
    HashAlgorithm alg =
        ms.messageDigest().isPresent()
            ? ms.messageDigest().get().algorithm()
            : m.candidates.get(0).algorithm().hash().orElse(HashAlgorithm.SHA2_256);
    byte[] digest;
    if (artifact.isPresent()) {
      Optional<byte[]> actual = artifact.get().digest(alg);
      if (actual.isEmpty()) {
        run.fail(
            Check.Step.ARTIFACT_DIGEST,
            Reason.ARTIFACT_DIGEST_UNAVAILABLE,
            "the artifact's " + alg + " digest, as the signature uses",
            "only " + artifact.get().algorithms());
        return Optional.empty();
      }
      digest = actual.get();
      if (ms.messageDigest().isPresent()) {
        byte[] claimed = ms.messageDigest().get().digest();
        if (!MessageDigest.isEqual(claimed, digest)) {
          run.fail(
              Check.Step.ARTIFACT_DIGEST,
              Reason.ARTIFACT_DIGEST_MISMATCH,
              hex(alg, digest) + " (the artifact)",
              hex(alg, claimed) + " in the entity");
          return Optional.empty();
        }
        run.pass(Check.Step.ARTIFACT_DIGEST, hex(alg, digest), "the entity's digest matches the artifact");
      }
    } else {
      if (ms.messageDigest().isEmpty()) {
        run.fail(
            Check.Step.ARTIFACT_DIGEST,
            Reason.ARTIFACT_DIGEST_UNAVAILABLE,
            "a digest recorded in the entity (no artifact was given)",
            "none");
        return Optional.empty();
      }
      digest = ms.messageDigest().get().digest();
      run.skip(Check.Step.ARTIFACT_DIGEST, Reason.WAIVED, "no artifact compared (unsafe); the entity names " + hex(alg, digest));
    }
    byte[] signature = ms.signature();
    InvalidSignatureException last = null;
    for (int i = 0; i < m.candidates.size(); i++) {
      SignatureVerifier sv = m.candidates.get(i);
      try {
        if (sv.supportsPrehashed()) {
          sv.verifyDigest(alg, digest, signature);
        } else {
          Optional<byte[]> content = artifact.isPresent() ? artifact.get().content() : Optional.empty();
          if (content.isEmpty()) {
            run.fail(
                Check.Step.SIGNATURE,
                Reason.ARTIFACT_CONTENT_REQUIRED,
                "the artifact's bytes (" + sv.algorithm().displayName() + " signs the whole message)",
                "only a digest");
            return Optional.empty();
          }
          sv.verifyMessage(content.get(), signature);
        }
        chosen(m, i);
        run.pass(Check.Step.SIGNATURE, "a valid signature", sv.algorithm().displayName() + " signature verifies");
        return Optional.of(
            new Signed(
                signature,
                new RekorBody.Expected(
                    RekorBody.Kind.MESSAGE_SIGNATURE,
                    name(alg),
                    digest,
                    new byte[0],
                    signature,
                    m.verifierDer,
                    m.leaf != null),
                null));
      } catch (InvalidSignatureException e) {
        last = e;
      }
    }
    run.fail(
        Check.Step.SIGNATURE,
        Reason.SIGNATURE_INVALID,
        "a valid signature over " + hex(alg, digest) + keysTried(m),
        last.getMessage());
    return Optional.empty();
  }

  /** Records which candidate key verified: the one the log entry must name. */
  private static void chosen(Material m, int i) {
    SignatureVerifier sv = m.candidates.get(i);
    m.candidates = List.of(sv);
    if (m.leaf == null) {
      m.key = m.candidateKeys.get(i);
      m.verifierDer = sv.encoded();
    }
  }

  private static String keysTried(Material m) {
    return m.leaf == null && m.candidates.size() > 1 ? " by one of " + m.candidates.size() + " trusted keys" : "";
  }

  /** Verifies a DSSE envelope and its in-toto subject. */
  private static Optional<Signed> verifyDsse(DsseEnvelope env, Material m, Run run) {
    if (env.signatures().size() != 1) {
      run.fail(
          Check.Step.SIGNATURE,
          Reason.DSSE_SIGNATURE_COUNT,
          "exactly 1 DSSE signature",
          env.signatures().size() + " signatures");
      return Optional.empty();
    }
    byte[] payload = env.payload();
    byte[] pae = dev.sigil.attestations.dsse.DsseEnvelope.pae(env.payloadType(), payload);
    byte[] signature = env.signatures().get(0).sig();
    InvalidSignatureException last = null;
    boolean ok = false;
    for (int i = 0; i < m.candidates.size() && !ok; i++) {
      try {
        m.candidates.get(i).verifyMessage(pae, signature);
        chosen(m, i);
        ok = true;
      } catch (InvalidSignatureException e) {
        last = e;
      }
    }
    if (!ok) {
      run.fail(
          Check.Step.SIGNATURE,
          Reason.SIGNATURE_INVALID,
          "a valid signature over the envelope's PAE" + keysTried(m),
          last.getMessage());
      return Optional.empty();
    }
    run.pass(Check.Step.SIGNATURE, "a valid signature", m.candidates.get(0).algorithm().displayName() + " DSSE signature verifies");
    if (!IN_TOTO_PAYLOAD_TYPE.equals(env.payloadType())) {
      run.fail(Check.Step.DSSE_PAYLOAD_TYPE, Reason.PAYLOAD_TYPE_UNSUPPORTED, IN_TOTO_PAYLOAD_TYPE, "\"" + env.payloadType() + "\"");
      return Optional.empty();
    }
    return Optional.of(
        new Signed(
            signature,
            new RekorBody.Expected(
                RekorBody.Kind.DSSE,
                "sha256",
                Digests.sha256(pae),
                Digests.sha256(payload),
                signature,
                m.verifierDer,
                m.leaf != null),
            env));
  }

  /**
   * The entity verified: for a DSSE envelope, its in-toto statement is read and its subject compared with the
   * artifact now, last, once the signer is known to be trusted and the one the policy names. Reading a statement
   * costs in proportion to its size (a 12 MB one of 380,000 subjects cost ~2 s of CPU, garbage collection included,
   * when it was read right after the envelope's signature, which any self-made certificate passes).
   */
  private static VerificationResult verified(Signer signer, Signed signed, Optional<Artifact> artifact, Run run) {
    if (signed.dsse() == null) {
      return run.verified(signer, null);
    }
    Statement statement;
    try {
      statement = Statement.parse(signed.dsse().payload());
    } catch (AttestationException e) {
      return run.fail(
          Check.Step.IN_TOTO_STATEMENT, Reason.STATEMENT_MALFORMED, "an in-toto Statement (v1 or v0.1)", e.getMessage());
    }
    if (artifact.isPresent()) {
      if (!subjectMatches(statement, artifact.get(), run)) {
        return run.result();
      }
    } else {
      run.skip(
          Check.Step.IN_TOTO_SUBJECT,
          Reason.WAIVED,
          "no artifact compared (unsafe); " + statement.subjects().size() + " subject(s)");
    }
    return run.verified(signer, statement);
  }

  /**
   * A subject matches only by digests of the same algorithm (sha256, sha384, sha512), all shared ones agreeing
   * ({@link DigestSet#matches}).
   */
  private static boolean subjectMatches(Statement statement, Artifact artifact, Run run) {
    Map<String, String> have = new LinkedHashMap<>();
    for (HashAlgorithm h : artifact.algorithms()) {
      have.put(name(h), HexFormat.of().formatHex(artifact.digest(h).orElseThrow()));
    }
    DigestSet digests = new DigestSet(have);
    List<Subject> matching = statement.subjectsMatching(digests);
    if (!matching.isEmpty()) {
      run.pass(
          Check.Step.IN_TOTO_SUBJECT,
          "a subject with the artifact's digest",
          "subject \"" + matching.get(0).name() + "\" " + matching.get(0).digest());
      return true;
    }
    Set<DigestAlgorithm> named = statement.subjectAlgorithms();
    boolean shared = false;
    for (DigestAlgorithm a : named) {
      shared |= digests.get(a).isPresent();
    }
    String found = statement.subjects().size() + " subject(s), none with that digest";
    if (!shared) {
      StringBuilder algs = new StringBuilder();
      for (DigestAlgorithm a : named) {
        algs.append(algs.length() == 0 ? "" : ", ").append(a.inTotoName());
      }
      found =
          statement.subjects().size() + " subject(s) named by "
              + (named.isEmpty() ? "no sha256, sha384 or sha512 digest" : algs + " only")
              + ", an algorithm the artifact's digest is not in";
    }
    run.fail(Check.Step.IN_TOTO_SUBJECT, Reason.SUBJECT_MISMATCH, "a subject with digest " + artifact, found);
    return false;
  }

  private static String name(HashAlgorithm alg) {
    return alg.name().toLowerCase(Locale.ROOT).replace("sha2_", "sha");
  }

  private static String hex(HashAlgorithm alg, byte[] d) {
    return name(alg) + ":" + HexFormat.of().formatHex(d);
  }
}

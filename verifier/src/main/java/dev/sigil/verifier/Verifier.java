package dev.sigil.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.Bundle.DsseEnvelope;
import dev.sigil.verifier.bundle.Bundle.MessageSignature;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.InvalidSignatureException;
import dev.sigil.verifier.crypto.SignatureVerifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies Sigstore bundles. Construct once and reuse; thread-safe; performs no I/O. Every call returns a
 * {@link VerificationResult} listing each check; expected failures (a bad signature, a wrong key) are results, not
 * exceptions.
 */
public final class Verifier {
  static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
  private static final String STATEMENT_V1 = "https://in-toto.io/Statement/v1";
  private static final String STATEMENT_V01 = "https://in-toto.io/Statement/v0.1";

  private final ObjectMapper mapper = new ObjectMapper();

  public Verifier() {}

  /** Verifies one bundle against one artifact under one policy. */
  public VerificationResult verify(Bundle bundle, Artifact artifact, VerificationPolicy policy) {
    List<Check> checks = new ArrayList<>();
    checks.add(Check.passed("bundle", "a Sigstore bundle", bundle.mediaType()));
    Optional<String> statementType = Optional.empty();

    Optional<SignatureVerifier> key = policy.key();
    if (key.isEmpty()) {
      checks.add(Check.failed("verification key", "a public key or a certificate identity", "neither was given"));
      return done(checks, Optional.empty(), statementType);
    }
    if (!bundle.verificationMaterial().isKeyBased()) {
      checks.add(
          Check.failed(
              "verification material",
              "a key-based bundle (publicKey) for verification with --key",
              "a certificate; verify it by identity instead"));
      return done(checks, Optional.empty(), statementType);
    }
    SignatureVerifier sv = key.get();
    String signer = "key " + sv.algorithm().displayName() + " " + dev.sigil.verifier.crypto.PublicKeys.hint(sv.publicKey());

    if (bundle.messageSignature().isPresent()) {
      if (!verifyMessageSignature(bundle.messageSignature().get(), artifact, sv, checks)) {
        return done(checks, Optional.of(signer), statementType);
      }
    } else {
      Optional<String> type = verifyDsse(bundle.dsseEnvelope().orElseThrow(), artifact, sv, checks);
      if (type.isEmpty()) {
        return done(checks, Optional.of(signer), statementType);
      }
      statementType = type;
    }

    List<Bundle.TransparencyLogEntry> entries = bundle.verificationMaterial().tlogEntries();
    if (!policy.transparencyLogRequired()) {
      checks.add(
          Check.skipped("transparency log", "the caller chose to ignore the transparency log (unsafe)"));
    } else if (entries.isEmpty()) {
      checks.add(
          Check.failed(
              "transparency log",
              "at least 1 verified transparency-log entry (pass --insecure-ignore-tlog to accept a bundle without one)",
              "none in the bundle"));
    } else {
      checks.add(
          Check.failed(
              "transparency log",
              "a transparency-log entry this verifier can check against a trusted root",
              entries.size() + " entr" + (entries.size() == 1 ? "y" : "ies")
                  + ", but no trusted root with log keys is configured (pass --insecure-ignore-tlog to skip)"));
    }
    return done(checks, Optional.of(signer), statementType);
  }

  private static VerificationResult done(List<Check> checks, Optional<String> signer, Optional<String> type) {
    boolean ok = checks.stream().noneMatch(c -> c.outcome() == Check.Outcome.FAILED);
    return new VerificationResult(ok, checks, signer, type);
  }

  private static boolean verifyMessageSignature(
      MessageSignature ms, Artifact artifact, SignatureVerifier sv, List<Check> checks) {
    HashAlgorithm alg =
        ms.messageDigest().map(Bundle.MessageDigest::algorithm).orElse(sv.algorithm().hash().orElse(HashAlgorithm.SHA2_256));
    Optional<byte[]> actual = artifact.digest(alg);
    if (actual.isEmpty()) {
      checks.add(
          Check.failed(
              "artifact digest",
              "the artifact's " + alg + " digest, as the bundle uses",
              "only " + artifact.algorithms() + " (pass the file instead of a digest)"));
      return false;
    }
    if (ms.messageDigest().isPresent()) {
      byte[] claimed = ms.messageDigest().get().digest();
      if (!java.security.MessageDigest.isEqual(claimed, actual.get())) {
        checks.add(
            Check.failed(
                "artifact digest",
                hex(alg, actual.get()) + " (the artifact)",
                hex(alg, claimed) + " in the bundle"));
        return false;
      }
      checks.add(Check.passed("artifact digest", hex(alg, actual.get()), "bundle digest matches the artifact"));
    }
    try {
      if (sv.supportsPrehashed()) {
        sv.verifyDigest(alg, actual.get(), ms.signature());
      } else {
        Optional<byte[]> content = artifact.content();
        if (content.isEmpty()) {
          checks.add(
              Check.failed(
                  "signature",
                  "the artifact's bytes (" + sv.algorithm().displayName() + " signs the whole message)",
                  "only a digest (pass the file, not a digest)"));
          return false;
        }
        sv.verifyMessage(content.get(), ms.signature());
      }
    } catch (InvalidSignatureException e) {
      checks.add(Check.failed("signature", "a valid signature over " + hex(alg, actual.get()), e.getMessage()));
      return false;
    }
    checks.add(Check.passed("signature", "a valid signature", sv.algorithm().displayName() + " signature verifies"));
    return true;
  }

  /** Verifies a DSSE envelope and its in-toto subject; returns the payload type on success. */
  private Optional<String> verifyDsse(DsseEnvelope env, Artifact artifact, SignatureVerifier sv, List<Check> checks) {
    if (env.signatures().size() != 1) {
      checks.add(
          Check.failed("DSSE signatures", "exactly 1 signature", env.signatures().size() + " signatures"));
      return Optional.empty();
    }
    byte[] pae = pae(env.payloadType(), env.payload());
    try {
      sv.verifyMessage(pae, env.signatures().get(0).sig());
    } catch (InvalidSignatureException e) {
      checks.add(Check.failed("DSSE signature", "a valid signature over the envelope's PAE", e.getMessage()));
      return Optional.empty();
    }
    checks.add(Check.passed("DSSE signature", "a valid signature", sv.algorithm().displayName() + " signature verifies"));
    if (!IN_TOTO_PAYLOAD_TYPE.equals(env.payloadType())) {
      checks.add(
          Check.failed("DSSE payload type", IN_TOTO_PAYLOAD_TYPE, "\"" + env.payloadType() + "\""));
      return Optional.empty();
    }
    JsonNode statement;
    try {
      statement = mapper.readTree(env.payload());
    } catch (IOException e) {
      checks.add(Check.failed("in-toto statement", "a JSON in-toto Statement", "malformed JSON"));
      return Optional.empty();
    }
    String type = statement == null ? "" : statement.path("_type").asText("");
    if (!STATEMENT_V1.equals(type) && !STATEMENT_V01.equals(type)) {
      checks.add(Check.failed("in-toto statement", STATEMENT_V1, "_type \"" + type + "\""));
      return Optional.empty();
    }
    JsonNode subjects = statement.path("subject");
    if (!subjects.isArray() || subjects.isEmpty()) {
      checks.add(Check.failed("in-toto subject", "at least one subject", "none"));
      return Optional.empty();
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
          checks.add(
              Check.passed(
                  "in-toto subject",
                  "a subject with the artifact's digest",
                  "subject \"" + s.path("name").asText("") + "\" " + d.getKey() + ":" + d.getValue().asText()));
          return Optional.of(type);
        }
      }
    }
    checks.add(
        Check.failed(
            "in-toto subject",
            "a subject with digest " + artifact,
            subjects.size() + " subject(s), none with that digest"));
    return Optional.empty();
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
    return alg.name().toLowerCase(java.util.Locale.ROOT).replace("sha2_", "sha") + ":" + HexFormat.of().formatHex(d);
  }
}

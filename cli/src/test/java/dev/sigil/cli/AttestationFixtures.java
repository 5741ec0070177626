package dev.sigil.cli;

import dev.sigil.attestations.dsse.DsseEnvelope;
import dev.sigil.sandbox.Sandbox;
import dev.sigil.sandbox.fulcio.IssuedCertificate;
import dev.sigil.sandbox.fulcio.UnsupportedSubjectKeyException;
import dev.sigil.sandbox.oidc.VerifiedIdentity;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleVersion;
import dev.sigil.verifier.bundle.BundleWriter;
import dev.sigil.verifier.entity.DsseSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.tsp.TimeStampRequestGenerator;

/**
 * Attestation bundles made in the test, so every field can be chosen: an in-toto statement over chosen subjects and
 * predicate, signed as a DSSE envelope with an ECDSA P-256 key (a key-based v0.3 bundle without a log entry, verified
 * with {@code --key} and {@code --insecure-ignore-tlog}) or keyless with a sandbox certificate carrying chosen GitHub
 * Actions claims and a sandbox RFC 3161 timestamp (verified with the sandbox's trusted root).
 */
final class AttestationFixtures {
  static final String IN_TOTO = "application/vnd.in-toto+json";
  static final String SLSA_V1 = "https://slsa.dev/provenance/v1";
  static final String GITHUB_ISSUER = "https://token.actions.githubusercontent.com";

  private AttestationFixtures() {}

  static KeyPair ecKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the public key as PEM and returns the path. */
  static Path writePublicKey(PublicKey key, Path file) {
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    return write(file, pem.getBytes(StandardCharsets.US_ASCII));
  }

  static Path write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String hex(String jcaAlgorithm, byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(jcaAlgorithm).digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An in-toto Statement v1 with one subject (digest given as JSON object text) and the predicate JSON text. */
  static String statement(String subjectName, String digestJson, String predicateType, String predicateJson) {
    return "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":" + quote(subjectName)
        + ",\"digest\":" + digestJson + "}],\"predicateType\":" + quote(predicateType) + ",\"predicate\":"
        + predicateJson + "}";
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /**
   * A SLSA v1 provenance predicate as GitHub Actions' workflow build type states it (the shape npm's provenance and
   * {@code sigil provenance} have), for {@code repo} ({@code org/name}) at {@code ref} and {@code commit}.
   */
  static String githubProvenance(String repo, String ref, String commit, String workflowPath, String builderId) {
    return "{\"buildDefinition\":{\"buildType\":\"https://actions.github.io/buildtypes/workflow/v1\","
        + "\"externalParameters\":{\"workflow\":{\"ref\":" + quote(ref) + ",\"repository\":"
        + quote("https://github.com/" + repo) + ",\"path\":" + quote(workflowPath) + "}},"
        + "\"internalParameters\":{\"github\":{\"event_name\":\"push\",\"repository_id\":\"123\","
        + "\"repository_owner_id\":\"456\",\"runner_environment\":\"github-hosted\"}},"
        + "\"resolvedDependencies\":[{\"uri\":" + quote("git+https://github.com/" + repo + "@" + ref)
        + ",\"digest\":{\"gitCommit\":" + quote(commit) + "}}]},"
        + "\"runDetails\":{\"builder\":{\"id\":" + quote(builderId) + "},\"metadata\":{\"invocationId\":"
        + quote("https://github.com/" + repo + "/actions/runs/42/attempts/1")
        + ",\"startedOn\":\"2026-01-02T03:04:05Z\",\"finishedOn\":\"2026-01-02T03:09:05Z\"}}}";
  }

  static byte[] sign(PrivateKey key, String payloadType, byte[] payload) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(key);
      s.update(DsseEnvelope.pae(payloadType, payload));
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A key-based v0.3 bundle of a DSSE envelope with this payload and signature (no log entry). */
  static byte[] keyBundle(String payloadType, byte[] payload, byte[] signature) {
    return bundle(List.of(), List.of(), payloadType, payload, signature);
  }

  /** A key-based v0.3 bundle over {@code payload}, signed by {@code key}. */
  static byte[] keyBundle(KeyPair key, String payloadType, byte[] payload) {
    return keyBundle(payloadType, payload, sign(key.getPrivate(), payloadType, payload));
  }

  static byte[] bundle(
      List<byte[]> certificates, List<byte[]> timestamps, String payloadType, byte[] payload, byte[] signature) {
    Bundle b =
        new Bundle(
            BundleVersion.V0_3,
            "application/vnd.dev.sigstore.bundle.v0.3+json",
            new Bundle.VerificationMaterial(Optional.empty(), certificates, List.of(), timestamps),
            Optional.empty(),
            Optional.of(
                new dev.sigil.verifier.entity.DsseEnvelope(
                    payload, payloadType, List.of(new DsseSignature(signature, "")))));
    return new BundleWriter().write(b);
  }

  /**
   * A keyless bundle: a sandbox certificate for a GitHub Actions identity with these OIDC claims (the workflow
   * {@code job_workflow_ref} becomes the SAN), the statement signed with its ephemeral key, and a sandbox timestamp
   * over the signature.
   */
  static byte[] keylessBundle(Sandbox sandbox, Map<String, Object> claims, byte[] statement) {
    try {
      KeyPair ephemeral = ecKey();
      VerifiedIdentity id = new VerifiedIdentity(GITHUB_ISSUER, "repo:" + claims.get("repository"), Optional.empty(), claims);
      IssuedCertificate cert = sandbox.certificateAuthority().issue(id, ephemeral.getPublic(), Instant.now());
      byte[] sig = sign(ephemeral.getPrivate(), IN_TOTO, statement);
      TimeStampRequestGenerator g = new TimeStampRequestGenerator();
      g.setCertReq(true);
      byte[] req =
          g.generate(
                  NISTObjectIdentifiers.id_sha256,
                  MessageDigest.getInstance("SHA-256").digest(sig),
                  BigInteger.valueOf(System.nanoTime()).setBit(0))
              .getEncoded();
      byte[] tsr = sandbox.timestampAuthority().respond(req);
      return bundle(List.of(cert.leaf().getEncoded()), List.of(tsr), IN_TOTO, statement, sig);
    } catch (IOException | GeneralSecurityException | UnsupportedSubjectKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** GitHub Actions OIDC claims of a release workflow run of {@code repo} at {@code ref} and {@code sha}. */
  static Map<String, Object> githubClaims(String repo, String ref, String sha) {
    return Map.ofEntries(
        Map.entry("repository", repo),
        Map.entry("ref", ref),
        Map.entry("sha", sha),
        Map.entry("event_name", "push"),
        Map.entry("job_workflow_ref", repo + "/.github/workflows/release.yml@" + ref),
        Map.entry("job_workflow_sha", sha),
        Map.entry("workflow_ref", repo + "/.github/workflows/release.yml@" + ref),
        Map.entry("workflow_sha", sha),
        Map.entry("repository_id", "123"),
        Map.entry("repository_owner", repo.substring(0, repo.indexOf('/'))),
        Map.entry("repository_owner_id", "456"),
        Map.entry("runner_environment", "github-hosted"),
        Map.entry("run_id", "42"),
        Map.entry("run_attempt", "1"),
        Map.entry("workflow", "Release"));
  }
}

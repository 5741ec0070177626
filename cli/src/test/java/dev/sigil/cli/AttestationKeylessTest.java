package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyless GitHub Actions attestations made on an in-process sandbox: a certificate with GitHub's Fulcio claims and a
 * timestamp, over a SLSA v1 provenance that agrees with those claims, or contradicts them. A provenance that says
 * another source, ref, commit or builder than the certificate that signed it fails, with or without SLSA flags.
 */
class AttestationKeylessTest {
  static final String REPO = "acme/app";
  static final String REF = "refs/tags/v1.2.3";
  static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  static final String SAN = "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3";

  @TempDir static Path dir;
  static Sandbox sandbox;
  static Path artifact;
  static String subject;

  @BeforeAll
  static void start() throws Exception {
    sandbox = Sandbox.start(dir.resolve("sandbox"), 0);
    byte[] content = "release artifact\n".getBytes(StandardCharsets.UTF_8);
    artifact = AttestationFixtures.write(dir.resolve("app.tgz"), content);
    subject = "{\"sha512\":\"" + AttestationFixtures.hex("SHA-512", content) + "\"}";
  }

  @AfterAll
  static void stop() throws Exception {
    sandbox.close();
  }

  /** A keyless bundle for the claims of a release of acme/app at v1.2.3, over a provenance with these facts. */
  static Path bundle(String name, String repo, String ref, String sha, String builder) {
    String provenance = AttestationFixtures.githubProvenance(repo, ref, sha, ".github/workflows/release.yml", builder);
    byte[] statement =
        AttestationFixtures.statement("app.tgz", subject, AttestationFixtures.SLSA_V1, provenance).getBytes(StandardCharsets.UTF_8);
    return AttestationFixtures.write(
        dir.resolve(name),
        AttestationFixtures.keylessBundle(sandbox, AttestationFixtures.githubClaims(REPO, REF, SHA), statement));
  }

  static Cli.Run verify(Path bundle, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "verify-blob-attestation", "--trusted-root", sandbox.trustedRootFile().toString(), "--insecure-ignore-tlog",
                "--certificate-identity", SAN, "--certificate-oidc-issuer", AttestationFixtures.GITHUB_ISSUER,
                "--bundle", bundle.toString()));
    args.addAll(Arrays.asList(extra));
    args.add(artifact.toString());
    return new Cli().run(args.toArray(String[]::new));
  }

  @Test
  void provenanceAgreeingWithItsCertificateVerifies() throws Exception {
    Path b = bundle("agree.json", REPO, REF, SHA, "https://github.com/actions/runner/github-hosted");
    Cli.Run r = verify(b, "--type", "slsaprovenance1", "--source-uri", "github.com/acme/app", "--source-tag", "v1.2.3").expect(0);
    for (String c :
        new String[] {
          "slsa source-uri: ok", "slsa source-ref: ok", "slsa certificate-source-uri: ok (git+https://github.com/acme/app)",
          "slsa certificate-source-ref: ok (refs/tags/v1.2.3)", "slsa certificate-source-digest: ok (" + SHA + ")",
          "slsa certificate-builder-id: ok (github-hosted)", "slsa certificate-build-config: ok (.github/workflows/release.yml)",
          "slsa certificate-run-invocation: ok (42/attempts/1)", "slsa certificate-build-trigger: ok (push)",
          "slsa certificate-repository-id: ok (123)", "slsa certificate-runner-environment: ok (github-hosted)"
        }) {
      assertTrue(r.out().contains("  " + c), c + " in\n" + r.out());
    }
    assertTrue(r.out().contains("attested by " + SAN + " (issuer " + AttestationFixtures.GITHUB_ISSUER + ")"), r.out());
    // The workflow as builder (what `sigil provenance` writes) is compared with the certificate's build signer.
    Path w = bundle("agree-workflow.json", REPO, REF, SHA, SAN);
    assertTrue(verify(w).expect(0).out().contains("slsa certificate-builder-id: ok (" + SAN + ")"));
  }

  @Test
  void provenanceContradictingItsCertificateFailsEvenWithoutFlags() throws Exception {
    Object[][] cases = {
      {"other-repo.json", "acme/evil", REF, SHA, "https://github.com/actions/runner/github-hosted", "slsa certificate-source-uri", "git+https://github.com/acme/app", "git+https://github.com/acme/evil"},
      {"other-ref.json", REPO, "refs/heads/main", SHA, "https://github.com/actions/runner/github-hosted", "slsa certificate-source-ref", REF, "refs/heads/main"},
      {"other-sha.json", REPO, REF, "f".repeat(40), "https://github.com/actions/runner/github-hosted", "slsa certificate-source-digest", SHA, "f".repeat(40)},
      {"self-hosted.json", REPO, REF, SHA, "https://github.com/actions/runner/self-hosted", "slsa certificate-builder-id", "github-hosted", "self-hosted"},
      {"other-workflow.json", REPO, REF, SHA, "https://github.com/acme/app/.github/workflows/evil.yml@refs/tags/v1.2.3", "slsa certificate-builder-id", SAN, "https://github.com/acme/app/.github/workflows/evil.yml@refs/tags/v1.2.3"},
    };
    for (Object[] c : cases) {
      Path b = bundle((String) c[0], (String) c[1], (String) c[2], (String) c[3], (String) c[4]);
      Cli.Run r = verify(b).expect(1);
      assertTrue(
          r.err().contains("Verification failed: " + c[5] + ": expected " + c[6]) && r.err().contains("found " + c[7]),
          c[0] + ":\n" + r.err());
      assertFalse(r.out().contains("Verified OK"), r.out());
      JsonNode j = new ObjectMapper().readTree(verify(b, "--output", "json").expect(1).out());
      assertEquals("PROVENANCE_CERTIFICATE_MISMATCH", j.get("reason").asText(), c[0].toString());
    }
  }

  @Test
  void aSourceUriMatchingTheProvenanceButNotTheCertificateFails() {
    // The provenance names acme/evil (and so does the flag); the certificate was issued to a run of acme/app.
    Path b = bundle("lying.json", "acme/evil", REF, SHA, "https://github.com/actions/runner/github-hosted");
    Cli.Run r = verify(b, "--source-uri", "github.com/acme/evil").expect(1);
    assertTrue(r.out().contains("  slsa source-uri: ok (git+https://github.com/acme/evil)"), r.out());
    assertTrue(r.err().contains("Verification failed: slsa certificate-source-uri: expected git+https://github.com/acme/app, found git+https://github.com/acme/evil"), r.err());
  }

  @Test
  void theIdentityIsStillTheVerifiersToCheck() {
    Path b = bundle("agree.json", REPO, REF, SHA, "https://github.com/actions/runner/github-hosted");
    Cli.Run r = new Cli().run("verify-blob-attestation", "--trusted-root", sandbox.trustedRootFile().toString(), "--insecure-ignore-tlog",
        "--certificate-identity", "https://github.com/acme/app/.github/workflows/other.yml@refs/tags/v1.2.3",
        "--certificate-oidc-issuer", AttestationFixtures.GITHUB_ISSUER, "--bundle", b.toString(), artifact.toString()).expect(1);
    assertTrue(r.errorLine().startsWith("Verification failed: certificate SAN: expected"), r.err());
  }
}

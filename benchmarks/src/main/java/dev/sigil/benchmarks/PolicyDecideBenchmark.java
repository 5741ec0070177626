package dev.sigil.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.images.Candidate;
import dev.sigil.images.ImageEvidence;
import dev.sigil.images.Scheme;
import dev.sigil.oci.Digest;
import dev.sigil.policy.Decision;
import dev.sigil.policy.PolicyEngine;
import dev.sigil.policy.PolicyLoader;
import dev.sigil.verifier.cosign.CosignSignature;
import dev.sigil.verifier.trust.PublicGood;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Deciding for one image whose 2 signatures and 2 attestations are already verified, against 20 policies that all
 * match it (keyless and key authorities, thresholds, attestation requirements with CEL conditions and SLSA
 * shorthands). The evidence is real: cosign 2.5 signatures and an attestation made against Sigil's sandbox (the
 * verifier's test fixtures). Verification happens once in setup ({@code PolicyEngine.verify}); the benchmark measures
 * {@code decide}. Target: at most 50 us per decision.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PolicyDecideBenchmark {
  private PolicyEngine engine;
  private PolicyEngine.VerifiedEvidence verified;

  @Setup
  public void setUp() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Path dir = Files.createTempDirectory("sigil-policy-bench");
    JsonNode layers = json.readTree(resource("layers.json"));
    Files.write(dir.resolve("sandbox.json"), resource("trusted_root.json"));
    Files.write(dir.resolve("cosign.pub"), resource("cosign.pub"));
    byte[] sig0 = Base64.getDecoder().decode(layers.get("image1.sig").get(0).get("payload").asText());
    String repo = json.readTree(sig0).at("/critical/identity/docker-reference").asText();
    String host = repo.substring(0, repo.indexOf('/'));
    List<Candidate> sigs = new ArrayList<>();
    for (JsonNode l : layers.get("image1.sig")) {
      byte[] p = Base64.getDecoder().decode(l.get("payload").asText());
      sigs.add(new Candidate(Scheme.COSIGN_SIGNATURE_TAG, "bench", CosignSignature.ofSignatureLayer(p, annotations(l)),
          Optional.of(p), Optional.empty()));
    }
    List<Candidate> atts = new ArrayList<>();
    JsonNode att = layers.get("image1.att").get(0);
    byte[] envelope = Base64.getDecoder().decode(att.get("payload").asText());
    for (String where : List.of("bench-1", "bench-2")) {
      atts.add(new Candidate(Scheme.COSIGN_ATTESTATION_TAG, where,
          CosignSignature.ofAttestationLayer(envelope, annotations(att)), Optional.empty(),
          Optional.of("https://slsa.dev/provenance/v1")));
    }
    Digest digest = Digest.parse(layers.get("image1").asText());
    ImageEvidence evidence =
        new ImageEvidence(repo + "@" + digest, Optional.of(repo), digest, Optional.empty(), sigs, atts, List.of());
    String ci = "{subject: ci@example.com, issuerRegExp: \"http://127\\\\.0\\\\.0\\\\.1:[0-9]+/oidc/.*\"}";
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      yaml.append("apiVersion: policy.sigil.dev/v1alpha1\nkind: ImagePolicy\nmetadata: {name: p").append(i)
          .append("}\nspec:\n  images: [{glob: \"").append(host).append("/**\"}]\n");
      switch (i % 4) {
        case 0 -> yaml.append("  authorities:\n  - name: key\n    key: {file: cosign.pub}\n    insecureIgnoreTlog: true\n");
        case 1 -> yaml.append("  authorities:\n  - name: ci\n    keyless:\n      trustedRoot: {file: sandbox.json}\n")
            .append("      identities: [").append(ci).append("]\n");
        case 2 -> yaml.append("  threshold: 2\n  authorities:\n  - name: key\n    key: {file: cosign.pub}\n")
            .append("    insecureIgnoreTlog: true\n  - name: ci\n    keyless:\n      trustedRoot: {file: sandbox.json}\n")
            .append("      identities: [{subject: eve@example.com, issuer: \"https://x.example\"}, ").append(ci).append("]\n");
        default -> yaml.append("  authorities:\n  - name: ci\n    keyless:\n      trustedRoot: {file: sandbox.json}\n")
            .append("      identities: [").append(ci).append("]\n    attestations:\n    - name: prov\n")
            .append("      predicateType: slsaprovenance1\n      slsa: {builderId: \"https://ci.example.com/builder\"}\n")
            .append("      conditions:\n      - {name: b, expression: 'predicate.runDetails.builder.id.startsWith(\"https://ci.\")")
            .append(" && signer.subject == \"ci@example.com\"', message: ours}\n");
      }
      yaml.append("---\n");
    }
    Path file = dir.resolve("policies.yaml");
    Files.writeString(file, yaml.toString());
    engine = PolicyEngine.compile(new PolicyLoader().load(List.of(file)), PublicGood.trustedRoot());
    verified = engine.verify(evidence);
    Decision d = decide();
    if (!d.allowed() || d.policies().size() != 20) {
      throw new IllegalStateException("benchmark input does not decide as intended: " + d.explanation());
    }
  }

  private static Map<String, String> annotations(JsonNode l) {
    Map<String, String> a = new HashMap<>();
    l.get("annotations").fields().forEachRemaining(e -> a.put(e.getKey(), e.getValue().asText()));
    return a;
  }

  private static byte[] resource(String name) throws Exception {
    try (InputStream in = PolicyDecideBenchmark.class.getResourceAsStream("/bench/policy/" + name)) {
      return in.readAllBytes();
    }
  }

  @Benchmark
  public Decision decide() {
    return engine.decide(verified);
  }
}

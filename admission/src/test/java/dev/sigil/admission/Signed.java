package dev.sigil.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sigil.testkit.Peers;
import dev.sigil.testkit.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Images on a real registry (loopback), signed and attested with cosign 2.5 and a key (no transparency log), for the
 * integration tests: {@code signed} (signature and a SLSA provenance attestation), {@code signedOnly} (signature, no
 * attestation), {@code unsigned}. Skips loudly (or fails under SIGIL_REQUIRE_PEERS=1) when cosign or the registry is
 * missing.
 */
final class Signed implements AutoCloseable {
  final Path dir;
  final TestRegistry registry;
  final String repo;
  final String signed;
  final String signedOnly;
  final String unsigned;
  final String signedDigest;
  final Path publicKey;
  private final Path cosign;
  private int n;

  private Signed(Path dir, TestRegistry registry, Path cosign) throws Exception {
    this.dir = dir;
    this.registry = registry;
    this.cosign = cosign;
    this.repo = registry.address() + "/acme/api";
    this.signedDigest = registry.pushImage("acme/api:v1", "one");
    this.signed = repo + "@" + signedDigest;
    this.signedOnly = repo + "@" + registry.pushImage("acme/api:v2", "two");
    this.unsigned = repo + "@" + registry.pushImage("acme/api:v3", "three");
    cosign("generate-key-pair", "--output-key-prefix", "ck");
    this.publicKey = dir.resolve("ck.pub");
    sign(signed);
    sign(signedOnly);
    Files.writeString(dir.resolve("prov.json"),
        "{\"buildDefinition\":{\"buildType\":\"https://example.com/t\",\"externalParameters\":{}},"
            + "\"runDetails\":{\"builder\":{\"id\":\"https://ci.example.com/b\"}}}");
    cosign("attest", "--key", "ck.key", "--tlog-upload=false", "--allow-insecure-registry", "--type",
        "slsaprovenance1", "--predicate", "prov.json", signed);
  }

  static Signed start(Path dir) throws Exception {
    Path cosign = Peers.cosign();
    TestRegistry registry = TestRegistry.start(dir.resolve("registry"));
    try {
      return new Signed(dir, registry, cosign);
    } catch (Exception | Error e) {
      registry.close();
      throw e;
    }
  }

  /** Pushes a new image and signs it; returns {@code repo@digest}. */
  String pushSigned(String name) throws Exception {
    String image = registry.address() + "/acme/" + name + "@" + registry.pushImage("acme/" + name + ":v" + (++n), name + n);
    sign(image);
    return image;
  }

  void sign(String image) throws Exception {
    cosign("sign", "--key", "ck.key", "--tlog-upload=false", "--allow-insecure-registry", image);
  }

  private void cosign(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(cosign.toString());
    cmd.addAll(List.of(args));
    Peers.Result r = Peers.run(cmd, Map.of("COSIGN_PASSWORD", "pw", "COSIGN_YES", "true"), dir, 120);
    assertEquals(0, r.exitCode(), r::describe);
  }

  /** A policy requiring the key's signature on {@code registry/acme/**} (and, with {@code attested}, provenance). */
  String policy(String name, String mode, boolean attested) {
    return "apiVersion: policy.sigil.dev/v1alpha1\nkind: ImagePolicy\nmetadata: {name: " + name + "}\nspec:\n"
        + "  images: [{glob: \"" + registry.address() + "/acme/**\"}]\n"
        + (mode == null ? "" : "  mode: " + mode + "\n")
        + "  authorities:\n  - name: release-key\n    key: {file: " + publicKey + "}\n    insecureIgnoreTlog: true\n"
        + (attested ? "    attestations:\n    - {name: provenance, predicateType: slsaprovenance1}\n" : "");
  }

  @Override
  public void close() throws Exception {
    registry.close();
  }
}

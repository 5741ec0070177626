package dev.sigil.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleParseException;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.crypto.CryptoBackend;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import dev.sigil.verifier.trust.TrustedMaterial;
import dev.sigil.verifier.trust.TrustedRoot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two crypto backends give the same verdict, with the same reason, on the passing sigstore-conformance cases of
 * MutationTest and on mutants of them: every base64 value of the bundle (signatures, certificates, keys, proofs, log
 * bodies, timestamps) with a bit flipped at nine places from its first to its last byte, the trusted root read with
 * each backend and the bundle verified with each.
 */
class BackendAgreementTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BundleParser PARSER = new BundleParser();
  private static final String IDENTITY =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
          + "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  private static final String ISSUER = "https://token.actions.githubusercontent.com";

  record Setup(Verifier verifier, VerificationPolicy policy) {}

  @ParameterizedTest
  @ValueSource(
      strings = {
        "happy-path-v0.3",
        "happy-path-v0.2",
        "happy-path-intoto-in-dsse-v3",
        "rekor2-happy-path",
        "rekor2-dsse-happy-path",
        "managed-key-happy-path",
        "intoto-with-custom-trust-root"
      })
  void bothBackendsGiveTheSameVerdictOnEveryMutant(String name) throws Exception {
    String dir = "/mutation/" + name + "/";
    Setup jca = setup(dir, CryptoBackend.jca());
    Setup fast = setup(dir, CryptoBackend.fastStart());
    JsonNode original = JSON.readTree(resource(dir + "bundle.sigstore.json").orElseThrow());
    List<byte[]> mutants = new ArrayList<>();
    mutants.add(JSON.writeValueAsBytes(original));
    mutate(original, original, mutants);
    int verified = 0;
    for (byte[] m : mutants) {
      String a = verdict(jca, m);
      String b = verdict(fast, m);
      assertEquals(a, b, name + ": the backends disagree on a mutant");
      verified += a.equals("verified") ? 1 : 0;
    }
    assertEquals("verified", verdict(jca, mutants.get(0)), name + " verifies");
    assertTrue(mutants.size() > 20, name + ": " + mutants.size() + " mutants");
    System.out.println("BackendAgreementTest " + name + ": " + mutants.size() + " bundles, " + verified
        + " verified by both, the rest rejected by both with the same reason");
  }

  private static String verdict(Setup s, byte[] bundleJson) {
    Bundle b;
    try {
      b = PARSER.parse(bundleJson);
    } catch (BundleParseException e) {
      return "parse";
    }
    VerificationResult r = s.verifier().verify(b, s.policy());
    return r instanceof VerificationResult.Rejected rej ? rej.reason().name() : "verified";
  }

  /** Every textual base64 value under {@code node}, with a bit flipped at up to nine evenly spread bytes. */
  private static void mutate(JsonNode root, JsonNode node, List<byte[]> out) throws IOException {
    if (node.isArray()) {
      for (JsonNode child : node) {
        mutate(root, child, out);
      }
      return;
    }
    if (!node.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode value = field.getValue();
      byte[] decoded = value.isTextual() ? base64(value.textValue()) : null;
      if (decoded != null && decoded.length > 0) {
        for (int k = 0, last = -1; k <= 8; k++) {
          int at = (decoded.length - 1) * k / 8;
          if (at == last) {
            continue;
          }
          last = at;
          byte[] changed = decoded.clone();
          changed[at] ^= 0x01;
          ((ObjectNode) node).set(field.getKey(), new TextNode(Base64.getEncoder().encodeToString(changed)));
          out.add(JSON.writeValueAsBytes(root));
        }
        ((ObjectNode) node).set(field.getKey(), value);
      } else {
        mutate(root, value, out);
      }
    }
  }

  private static byte[] base64(String s) {
    if (s.length() < 8 || s.length() % 4 != 0) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Setup setup(String dir, CryptoBackend crypto) throws Exception {
    byte[] rootJson =
        resource(dir + "trusted_root.json")
            .orElseGet(() -> resource("/mutation/public-good-trusted_root.json").orElseThrow());
    TrustedMaterial trusted = TrustedRoot.parse(rootJson, crypto);
    Artifact artifact =
        Artifact.ofContent(
            resource(dir + "artifact").orElseGet(() -> resource("/mutation/a.txt").orElseThrow()), crypto);
    Optional<byte[]> key = resource(dir + "key.pub");
    VerificationPolicy policy;
    if (key.isPresent()) {
      trusted =
          TrustedMaterial.combine(
              trusted,
              PublicKeyMaterial.of(PublicKeys.fromPem(new String(key.get(), StandardCharsets.US_ASCII), crypto)));
      policy = VerificationPolicy.publicKey(artifact);
    } else {
      String identity =
          resource(dir + "identity").map(b -> new String(b, StandardCharsets.UTF_8).strip()).orElse(IDENTITY);
      String issuer = resource(dir + "issuer").map(b -> new String(b, StandardCharsets.UTF_8).strip()).orElse(ISSUER);
      policy = VerificationPolicy.identity(artifact, IdentityMatcher.exact(identity, issuer));
    }
    return new Setup(Verifier.create(trusted, VerifierOptions.builder().cryptoBackend(crypto).build()), policy);
  }

  private static Optional<byte[]> resource(String path) {
    try (InputStream in = BackendAgreementTest.class.getResourceAsStream(path)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

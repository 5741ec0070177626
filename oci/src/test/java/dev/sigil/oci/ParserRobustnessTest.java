package dev.sigil.oci;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sigil.oci.cosign.SimpleSigningPayload;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated inputs (fixed seed, bounded count) reach the parsers: only their documented exceptions may come out, never a
 * runtime exception from underneath.
 */
class ParserRobustnessTest {
  private static final int ROUNDS = 3000;

  private static byte[] mutate(byte[] seed, Random r) {
    byte[] b = seed.clone();
    int edits = 1 + r.nextInt(4);
    for (int i = 0; i < edits && b.length > 0; i++) {
      int at = r.nextInt(b.length);
      switch (r.nextInt(4)) {
        case 0 -> b[at] = (byte) r.nextInt(256);
        case 1 -> b[at] = (byte) "{}[]\":,0-e\\".charAt(r.nextInt(11));
        case 2 -> b = java.util.Arrays.copyOf(b, at);
        default -> {
          byte[] c = new byte[b.length + 1];
          System.arraycopy(b, 0, c, 0, at);
          c[at] = (byte) "{\"[1".charAt(r.nextInt(4));
          System.arraycopy(b, at, c, at + 1, b.length - at);
          b = c;
        }
      }
    }
    return b;
  }

  @Test
  void manifestsAndPayloadsThrowOnlyOciException() {
    List<byte[]> seeds = List.of(
        TestFiles.bytes("cosign/sig-manifest-2-layers.json"), TestFiles.bytes("cosign/bundle-referrer-manifest.json"),
        TestFiles.bytes("cosign/bundle-fallback-index.json"));
    Random r = new Random(11);
    int parsed = 0;
    for (int i = 0; i < ROUNDS; i++) {
      byte[] in = mutate(seeds.get(i % seeds.size()), r);
      try {
        Manifests.parse(in, i % 2 == 0 ? null : MediaTypes.OCI_MANIFEST);
        parsed++;
      } catch (OciException expected) {
        // documented
      } catch (RuntimeException e) {
        fail("Manifests.parse threw " + e + " for " + new String(in, StandardCharsets.UTF_8), e);
      }
    }
    byte[] payload = TestFiles.bytes("cosign/payload-optional.json");
    for (int i = 0; i < ROUNDS; i++) {
      byte[] in = mutate(payload, r);
      try {
        SimpleSigningPayload.parse(in);
        parsed++;
      } catch (OciException expected) {
        // documented
      } catch (RuntimeException e) {
        fail("SimpleSigningPayload.parse threw " + e + " for " + new String(in, StandardCharsets.UTF_8), e);
      }
    }
    assertTrue(parsed > 0, "some mutations should still parse");
  }

  @Test
  void referencesThrowOnlyInvalidReferenceException() {
    List<String> seeds = List.of("127.0.0.1:5000/test/app:v1@sha256:" + "a".repeat(64), "nginx",
        "oci-layout:/tmp/lay:t", "[::1]:5000/a/b_c/d-e:tag");
    Random r = new Random(7);
    for (int i = 0; i < ROUNDS; i++) {
      String in = new String(mutate(seeds.get(i % seeds.size()).getBytes(StandardCharsets.UTF_8), r),
          StandardCharsets.UTF_8);
      try {
        ImageReference ref = ImageReference.parse(in);
        assertTrue(ImageReference.parse(ref.toString()).equals(ref), "round trip of " + in);
      } catch (InvalidReferenceException expected) {
        // documented
      } catch (RuntimeException e) {
        fail("ImageReference.parse threw " + e + " for " + in, e);
      }
    }
  }
}

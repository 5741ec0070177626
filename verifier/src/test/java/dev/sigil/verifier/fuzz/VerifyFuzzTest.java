/*
 * A structure-aware fuzz target for Verifier.verify itself, with Jazzer. Raw-byte fuzzing of the bundle JSON
 * (ParserFuzzTest#bundleParse) spends nearly every input in the parser; this target starts from real bundles that
 * verify, and lets a FuzzedDataProvider choose which field to change and how (bit flips, truncation, splicing,
 * replacement, extra list elements, changed numbers), so that most inputs reach the signature, timestamp, log, chain,
 * SCT and identity checks.
 *
 * Property: nothing escapes Verifier.verify (no exception, no error), and every result is well-formed: verified iff
 * no check failed; a rejection names a failed check with a reason, a step, an expected and a found; a verified result
 * names the seed's signer (a mutation can never verify as someone else) and at least one verified signing time.
 *
 * In the build: the surefire execution "fuzz-verify" (verifier/pom.xml) fuzzes it for maxDuration (20 s). By hand,
 * for longer, as ParserFuzzTest describes, with --target_class=dev.sigil.verifier.fuzz.VerifyFuzzTest
 * --target_method=verifyStructured and the seed directory VerifyFuzzTestInputs/verifyStructured.
 */
package dev.sigil.verifier.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sigil.verifier.CertificateSigner;
import dev.sigil.verifier.Check;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleParseException;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.bundle.BundleWriter;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.entity.DsseEnvelope;
import dev.sigil.verifier.entity.DsseSignature;
import dev.sigil.verifier.entity.InclusionProof;
import dev.sigil.verifier.entity.MessageDigest;
import dev.sigil.verifier.entity.MessageSignature;
import dev.sigil.verifier.entity.TransparencyLogEntry;
import dev.sigil.verifier.trust.PublicGood;
import dev.sigil.verifier.trust.TrustedMaterial;
import dev.sigil.verifier.trust.TrustedRoot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

class VerifyFuzzTest {
  /** A bundle that verifies, the verifier for its root, and the policy naming its signer. */
  private record Seed(String name, Bundle bundle, Verifier verifier, VerificationPolicy policy, String san, String issuer) {}

  private static final List<Seed> SEEDS = seeds();

  private static List<Seed> seeds() {
    TrustedRoot publicGood = PublicGood.trustedRoot();
    TrustedRoot rekor2 = root("conformance-rekor2-happy-path.json");
    TrustedRoot rekor2Dsse = root("conformance-rekor2-dsse-happy-path.json");
    TrustedRoot custom = root("conformance-intoto-with-custom-trust-root.json");
    List<Seed> out = new ArrayList<>();
    add(out, "happy-path-v0.3.json", publicGood);
    add(out, "happy-path-v0.2.json", publicGood);
    add(out, "happy-path-intoto-in-dsse-v3.json", publicGood);
    add(out, "rekor2-happy-path.json", rekor2);
    add(out, "rekor2-dsse-happy-path.json", rekor2Dsse);
    add(out, "rekor2-timestamp-with-embedded-cert.json", rekor2);
    add(out, "intoto-with-custom-trust-root.json", custom);
    if (out.size() < 5) {
      throw new IllegalStateException("only " + out.size() + " seeds verify: " + out);
    }
    return List.copyOf(out);
  }

  /** Adds the seed if it verifies (any signer, no artifact): its signer becomes the policy's identity. */
  private static void add(List<Seed> out, String file, TrustedMaterial root) {
    Bundle b;
    try {
      b = new BundleParser().parse(resource("ParserFuzzTestInputs/bundleParse/" + file));
    } catch (BundleParseException e) {
      throw new IllegalStateException(file + ": " + e.getMessage(), e);
    }
    Verifier v = Verifier.create(root);
    VerificationResult r =
        v.verify(b, VerificationPolicy.builder().withoutArtifactUnsafe().withoutIdentityUnsafe().build());
    if (!(r instanceof VerificationResult.Verified ok) || !(ok.signer() instanceof CertificateSigner s)) {
      return;
    }
    String issuer = s.issuer().orElseThrow();
    VerificationPolicy p =
        VerificationPolicy.builder()
            .withoutArtifactUnsafe()
            .identity(IdentityMatcher.exact(s.subjectAlternativeName(), issuer))
            .build();
    out.add(new Seed(file, b, v, p, s.subjectAlternativeName(), issuer));
  }

  @FuzzTest(maxDuration = "20s")
  void verifyStructured(FuzzedDataProvider data) {
    Seed seed = SEEDS.get(data.consumeInt(0, SEEDS.size() - 1));
    Bundle b = seed.bundle();
    int mutations = data.consumeInt(1, 3);
    for (int i = 0; i < mutations; i++) {
      b = mutate(b, data);
    }
    if (data.consumeBoolean()) {
      // Through the writer and the parser too: what verify sees is what a file would hold.
      try {
        b = new BundleParser().parse(new BundleWriter().write(b));
      } catch (BundleParseException e) {
        assertNotNull(e.getMessage());
        return;
      } catch (RuntimeException e) {
        // the writer may refuse what only a Bundle built in memory can hold; not verify's concern
        return;
      }
    }
    check(seed, seed.verifier().verify(b, seed.policy()));
  }

  private static Bundle mutate(Bundle b, FuzzedDataProvider d) {
    Bundle.VerificationMaterial m = b.verificationMaterial();
    List<byte[]> certs = new ArrayList<>(m.certificateChain());
    List<TransparencyLogEntry> entries = new ArrayList<>(m.tlogEntries());
    List<byte[]> stamps = new ArrayList<>(m.rfc3161Timestamps());
    Optional<MessageSignature> ms = b.messageSignature();
    Optional<DsseEnvelope> dsse = b.dsseEnvelope();
    switch (d.consumeInt(0, 9)) {
      case 0 -> {
        if (!certs.isEmpty()) {
          int i = d.consumeInt(0, certs.size() - 1);
          certs.set(i, bytes(certs.get(i), d));
        }
      }
      case 1 -> list(certs, d);
      case 2 -> {
        if (!stamps.isEmpty() && d.consumeBoolean()) {
          int i = d.consumeInt(0, stamps.size() - 1);
          stamps.set(i, bytes(stamps.get(i), d));
        } else {
          list(stamps, d);
        }
      }
      case 3, 4, 5 -> {
        if (!entries.isEmpty()) {
          int i = d.consumeInt(0, entries.size() - 1);
          entries.set(i, entry(entries.get(i), d));
        }
      }
      case 6 -> {
        if (!entries.isEmpty() && d.consumeBoolean()) {
          entries.add(entries.get(d.consumeInt(0, entries.size() - 1)));
        } else if (!entries.isEmpty()) {
          entries.remove(d.consumeInt(0, entries.size() - 1));
        }
      }
      case 7 -> {
        if (ms.isPresent()) {
          MessageSignature s = ms.get();
          ms =
              Optional.of(
                  d.consumeBoolean()
                      ? new MessageSignature(s.messageDigest(), bytes(s.signature(), d))
                      : new MessageSignature(
                          s.messageDigest().isEmpty() || d.consumeBoolean()
                              ? Optional.empty()
                              : Optional.of(
                                  new MessageDigest(
                                      d.pickValue(HashAlgorithm.values()),
                                      bytes(s.messageDigest().get().digest(), d))),
                          s.signature()));
        }
      }
      case 8 -> {
        if (dsse.isPresent()) {
          DsseEnvelope e = dsse.get();
          List<DsseSignature> sigs = new ArrayList<>(e.signatures());
          dsse =
              Optional.of(
                  switch (d.consumeInt(0, 3)) {
                    case 0 -> new DsseEnvelope(bytes(e.payload(), d), e.payloadType(), sigs);
                    case 1 -> new DsseEnvelope(e.payload(), d.consumeString(40), sigs);
                    case 2 -> {
                      if (!sigs.isEmpty()) {
                        sigs.set(0, new DsseSignature(bytes(sigs.get(0).sig(), d), sigs.get(0).keyId()));
                      }
                      yield new DsseEnvelope(e.payload(), e.payloadType(), sigs);
                    }
                    default -> {
                      if (!sigs.isEmpty() && d.consumeBoolean()) {
                        sigs.add(sigs.get(0));
                      } else if (!sigs.isEmpty()) {
                        sigs.remove(0);
                      }
                      yield new DsseEnvelope(e.payload(), e.payloadType(), sigs);
                    }
                  });
        }
      }
      default -> {
        // the material's kind: a certificate bundle becomes key-based, or the reverse
        if (!certs.isEmpty()) {
          certs.clear();
        } else {
          certs.add(d.consumeBytes(600));
        }
      }
    }
    return new Bundle(
        b.version(),
        b.mediaType(),
        new Bundle.VerificationMaterial(m.publicKeyHint(), certs, entries, stamps),
        ms,
        dsse);
  }

  private static TransparencyLogEntry entry(TransparencyLogEntry e, FuzzedDataProvider d) {
    long logIndex = e.logIndex();
    byte[] keyId = e.logKeyId();
    String kind = e.kind();
    String version = e.kindVersion();
    long time = e.integratedTime();
    Optional<byte[]> set = e.signedEntryTimestamp();
    Optional<InclusionProof> proof = e.inclusionProof();
    byte[] body = e.canonicalizedBody();
    switch (d.consumeInt(0, 8)) {
      case 0 -> logIndex = number(logIndex, d);
      case 1 -> keyId = bytes(keyId, d);
      case 2 -> {
        kind = d.pickValue(new String[] {"hashedrekord", "dsse", "intoto", d.consumeString(12)});
        version = d.pickValue(new String[] {"0.0.1", "0.0.2", d.consumeString(8)});
      }
      case 3 -> time = number(time, d);
      case 4 -> set = set.isPresent() && d.consumeBoolean() ? Optional.empty() : Optional.of(bytes(set.orElse(new byte[0]), d));
      case 5 -> body = d.consumeBoolean() ? bytes(body, d) : json(body, d);
      default -> {
        if (proof.isPresent()) {
          proof = Optional.of(proof(proof.get(), d));
        } else {
          proof = Optional.empty();
        }
      }
    }
    return new TransparencyLogEntry(logIndex, keyId, kind, version, time, set, proof, body);
  }

  private static InclusionProof proof(InclusionProof p, FuzzedDataProvider d) {
    long index = p.logIndex();
    byte[] root = p.rootHash();
    long size = p.treeSize();
    List<byte[]> hashes = new ArrayList<>(p.hashes());
    Optional<String> checkpoint = p.checkpoint();
    switch (d.consumeInt(0, 5)) {
      case 0 -> index = number(index, d);
      case 1 -> size = number(size, d);
      case 2 -> root = bytes(root, d);
      case 3 -> {
        if (!hashes.isEmpty() && d.consumeBoolean()) {
          int i = d.consumeInt(0, hashes.size() - 1);
          hashes.set(i, bytes(hashes.get(i), d));
        } else {
          list(hashes, d);
        }
      }
      default -> {
        if (checkpoint.isPresent()) {
          String text = checkpoint.get();
          byte[] raw = bytes(text.getBytes(StandardCharsets.UTF_8), d);
          checkpoint = Optional.of(new String(raw, StandardCharsets.UTF_8));
        }
      }
    }
    return new InclusionProof(index, root, size, hashes, checkpoint);
  }

  /** A changed number: near the old one, a boundary, or anything. */
  private static long number(long v, FuzzedDataProvider d) {
    return switch (d.consumeInt(0, 3)) {
      case 0 -> v + d.consumeInt(-2, 2);
      case 1 -> d.pickValue(new Long[] {0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, (long) Integer.MAX_VALUE + 1});
      case 2 -> v ^ (1L << d.consumeInt(0, 63));
      default -> d.consumeLong();
    };
  }

  /** A changed byte string: bit flips, a byte set, truncation, extension, splice, or fresh bytes. */
  private static byte[] bytes(byte[] v, FuzzedDataProvider d) {
    byte[] out = v.clone();
    switch (d.consumeInt(0, 5)) {
      case 0 -> {
        if (out.length > 0) {
          int flips = d.consumeInt(1, 4);
          for (int i = 0; i < flips; i++) {
            out[d.consumeInt(0, out.length - 1)] ^= (byte) (1 << d.consumeInt(0, 7));
          }
        }
      }
      case 1 -> {
        if (out.length > 0) {
          out[d.consumeInt(0, out.length - 1)] = d.consumeByte();
        }
      }
      case 2 -> out = java.util.Arrays.copyOf(out, d.consumeInt(0, out.length));
      case 3 -> {
        byte[] extra = d.consumeBytes(64);
        byte[] longer = java.util.Arrays.copyOf(out, out.length + extra.length);
        System.arraycopy(extra, 0, longer, out.length, extra.length);
        out = longer;
      }
      case 4 -> {
        if (out.length > 0) {
          int at = d.consumeInt(0, out.length - 1);
          byte[] piece = d.consumeBytes(16);
          System.arraycopy(piece, 0, out, at, Math.min(piece.length, out.length - at));
        }
      }
      default -> out = d.consumeBytes(d.consumeInt(0, 2048));
    }
    return out;
  }

  /** A changed JSON body: one field's value replaced, as text, so the body still parses more often than not. */
  private static byte[] json(byte[] body, FuzzedDataProvider d) {
    String s = new String(body, StandardCharsets.UTF_8);
    int quote = s.indexOf(":\"", d.consumeInt(0, Math.max(0, s.length() - 1)));
    if (quote < 0) {
      return bytes(body, d);
    }
    int end = s.indexOf('"', quote + 2);
    if (end < 0) {
      return bytes(body, d);
    }
    return (s.substring(0, quote + 2) + d.consumeString(64).replace("\"", "").replace("\\", "") + s.substring(end))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Adds a copy or fresh bytes, removes or duplicates an element. */
  private static void list(List<byte[]> l, FuzzedDataProvider d) {
    switch (d.consumeInt(0, 2)) {
      case 0 -> l.add(l.isEmpty() || d.consumeBoolean() ? d.consumeBytes(512) : l.get(d.consumeInt(0, l.size() - 1)));
      case 1 -> {
        if (!l.isEmpty()) {
          l.remove(d.consumeInt(0, l.size() - 1));
        }
      }
      default -> {
        if (!l.isEmpty()) {
          int n = d.consumeInt(1, 40);
          byte[] one = l.get(d.consumeInt(0, l.size() - 1));
          for (int i = 0; i < n; i++) {
            l.add(one);
          }
        }
      }
    }
  }

  private static void check(Seed seed, VerificationResult r) {
    assertNotNull(r);
    assertFalse(r.checks().isEmpty(), "a result lists its checks");
    for (Check c : r.checks()) {
      assertNotNull(c.step());
      assertNotNull(c.expected());
      assertNotNull(c.found());
      assertEquals(c.outcome() != Check.Outcome.PASSED, c.reason().isPresent(), () -> "reason iff not passed: " + c);
    }
    boolean anyFailed = r.checks().stream().anyMatch(c -> c.outcome() == Check.Outcome.FAILED);
    assertEquals(!anyFailed, r.isVerified(), "verified iff no check failed");
    if (r instanceof VerificationResult.Verified v) {
      CertificateSigner signer = (CertificateSigner) v.signer();
      assertEquals(seed.san(), signer.subjectAlternativeName(), seed.name() + ": verified as someone else");
      assertEquals(seed.issuer(), signer.issuer().orElseThrow(), seed.name() + ": verified with another issuer");
      assertFalse(v.signingTimes().isEmpty(), "a verified certificate bundle has a verified signing time");
    } else {
      VerificationResult.Rejected rej = (VerificationResult.Rejected) r;
      assertNotNull(rej.reason());
      assertEquals(Check.Outcome.FAILED, rej.failure().outcome());
      assertTrue(r.checks().contains(rej.failure()), "the failure is one of the checks");
    }
  }

  private static TrustedRoot root(String name) {
    try {
      return TrustedRoot.parse(resource("ParserFuzzTestInputs/trustedRootParse/" + name));
    } catch (Exception e) {
      throw new IllegalStateException(name + ": " + e.getMessage(), e);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = VerifyFuzzTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

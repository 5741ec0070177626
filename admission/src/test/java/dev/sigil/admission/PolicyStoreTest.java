package dev.sigil.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sigil.policy.PolicyException;
import dev.sigil.verifier.trust.PublicGood;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy set in force: reloaded only when whole, recompiled when the trust root's version changes. */
class PolicyStoreTest {
  @TempDir Path dir;

  static String policy(String name) {
    return "apiVersion: policy.sigil.dev/v1alpha1\nkind: ImagePolicy\nmetadata: {name: " + name + "}\nspec:\n"
        + "  images: [{glob: \"r.example/**\"}]\n  authorities:\n  - {name: s, static: {action: pass}}\n";
  }

  @Test
  void aNewTrustRootVersionRecompilesTheEngineAndChangesTheCacheKey() throws Exception {
    Files.writeString(dir.resolve("p.yaml"), policy("p"));
    AtomicReference<TrustRootSource.Current> root =
        new AtomicReference<>(new TrustRootSource.Current(PublicGood.trustedRoot(), "v1"));
    PolicyStore store = PolicyStore.load(dir, root::get);
    PolicyStore.Snapshot first = store.current();
    assertEquals("v1", first.trustVersion());
    assertSame(first, store.current(), "same version, same engine");
    root.set(new TrustRootSource.Current(PublicGood.trustedRoot(), "v2"));
    PolicyStore.Snapshot second = store.current();
    assertEquals("v2", second.trustVersion());
    assertNotSame(first.engine(), second.engine());
    assertEquals(first.set().hash(), second.set().hash());
  }

  @Test
  void reloadsAppliesWholeSetsAndRefusesBrokenOnesOnce() throws Exception {
    Files.writeString(dir.resolve("p.yaml"), policy("p"));
    PolicyStore store = PolicyStore.load(dir, TrustRootSource.embedded());
    String hash = store.current().set().hash();
    assertInstanceOf(PolicyStore.Unchanged.class, store.poll());
    Files.writeString(dir.resolve("q.yaml"), "kind: ImagePolicy\n");
    assertInstanceOf(PolicyStore.Refused.class, store.poll());
    assertInstanceOf(PolicyStore.Unchanged.class, store.poll(), "a refused set is reported once");
    assertEquals(hash, store.current().set().hash());
    Files.writeString(dir.resolve("q.yaml"), policy("q"));
    PolicyStore.Reload r = store.poll();
    assertInstanceOf(PolicyStore.Applied.class, r);
    assertEquals(2, store.current().set().policies().size());
  }

  static String keyPolicy(String file) {
    return "apiVersion: policy.sigil.dev/v1alpha1\nkind: ImagePolicy\nmetadata: {name: k}\nspec:\n"
        + "  images: [{glob: \"r.example/**\"}]\n  authorities:\n  - {name: release, key: {file: " + file + "}}\n";
  }

  static String publicKeyPem() throws Exception {
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return "-----BEGIN PUBLIC KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            .encodeToString(g.generateKeyPair().getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  @Test
  void aRotatedKeyFileIsAChangeWithTheSamePolicyFiles() throws Exception {
    Files.createDirectories(dir.resolve("keys"));
    Files.writeString(dir.resolve("keys/release.pub"), publicKeyPem());
    Files.writeString(dir.resolve("p.yaml"), keyPolicy("keys/release.pub"));
    PolicyStore store = PolicyStore.load(dir, TrustRootSource.embedded());
    String hash = store.current().set().hash();
    assertEquals(java.util.List.of(dir.resolve("keys/release.pub").toAbsolutePath()), store.current().set().references());
    assertInstanceOf(PolicyStore.Unchanged.class, store.poll());

    // The key is rotated in place: the decisions cached under the old key must not be answered from.
    Files.writeString(dir.resolve("keys/release.pub"), publicKeyPem());
    assertInstanceOf(PolicyStore.Applied.class, store.poll());
    String rotated = store.current().set().hash();
    org.junit.jupiter.api.Assertions.assertNotEquals(hash, rotated, "the policy-set hash covers the key's bytes");
    assertInstanceOf(PolicyStore.Unchanged.class, store.poll());

    // A key file that disappears is refused once, and the set in force stays.
    Files.delete(dir.resolve("keys/release.pub"));
    assertInstanceOf(PolicyStore.Refused.class, store.poll());
    assertInstanceOf(PolicyStore.Unchanged.class, store.poll(), "a refused set is reported once");
    assertEquals(rotated, store.current().set().hash());
  }

  @Test
  void aPolicyNamingANewKeyFileWatchesThatFileFromThenOn() throws Exception {
    Files.writeString(dir.resolve("p.yaml"), policy("p"));
    PolicyStore store = PolicyStore.load(dir, TrustRootSource.embedded());
    Files.writeString(dir.resolve("a.pub"), publicKeyPem());
    Files.writeString(dir.resolve("p.yaml"), keyPolicy("a.pub"));
    assertInstanceOf(PolicyStore.Applied.class, store.poll());
    assertInstanceOf(PolicyStore.Unchanged.class, store.poll());
    assertInstanceOf(PolicyStore.Unchanged.class, store.poll());
    String hash = store.current().set().hash();
    Files.writeString(dir.resolve("a.pub"), publicKeyPem());
    assertInstanceOf(PolicyStore.Applied.class, store.poll());
    org.junit.jupiter.api.Assertions.assertNotEquals(hash, store.current().set().hash());
  }

  @Test
  void anEmptyDirectoryIsRefusedAtStart() {
    assertThrows(PolicyException.class, () -> PolicyStore.load(dir, TrustRootSource.embedded()));
  }
}

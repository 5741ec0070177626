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

  @Test
  void anEmptyDirectoryIsRefusedAtStart() {
    assertThrows(PolicyException.class, () -> PolicyStore.load(dir, TrustRootSource.embedded()));
  }
}

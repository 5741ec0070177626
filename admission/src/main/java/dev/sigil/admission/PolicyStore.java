package dev.sigil.admission;

import dev.sigil.policy.PolicyEngine;
import dev.sigil.policy.PolicyException;
import dev.sigil.policy.PolicyLoader;
import dev.sigil.policy.PolicySet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The policy set in force and the engine compiled from it, reloaded when the directory's files change. A set that
 * does not load is refused whole and the previous one stays in force. The engine is compiled again when the trust
 * root's version changes.
 *
 * <p>Thread-safe: readers take {@link #current()}, an immutable snapshot; reloads are serialised.
 */
final class PolicyStore {
  /**
   * What reviews are decided against.
   *
   * @param trustVersion the trust root version the engine was compiled with: part of every cache key
   */
  record Snapshot(PolicySet set, PolicyEngine engine, String trustVersion) {}

  /** The outcome of one {@link #poll()}. */
  sealed interface Reload permits Unchanged, Applied, Refused {}

  record Unchanged() implements Reload {}

  record Applied(PolicySet set) implements Reload {}

  record Refused(List<String> problems) implements Reload {}

  private final Path dir;
  private final TrustRootSource trust;
  private volatile Snapshot current;
  /** The fingerprint last looked at, applied or refused: a refused set is reported once, not on every poll. */
  private String seen;

  private PolicyStore(Path dir, TrustRootSource trust) {
    this.dir = dir;
    this.trust = trust;
  }

  /**
   * Loads the directory's policies.
   *
   * @throws PolicyException when they do not load (every problem listed), or the directory cannot be read
   */
  static PolicyStore load(Path dir, TrustRootSource trust) throws PolicyException {
    PolicyStore s = new PolicyStore(Objects.requireNonNull(dir, "dir"), Objects.requireNonNull(trust, "trust"));
    // Taken before the load: a file changed meanwhile is seen on the next poll.
    String files = s.policyFilesFingerprint();
    PolicySet set = s.loadSet();
    TrustRootSource.Current t = trust.current();
    s.current = new Snapshot(set, PolicyEngine.compile(set, t.root()), t.version());
    s.seen = watched(files, set);
    return s;
  }

  /** The snapshot in force, compiled against the current trust root. */
  Snapshot current() {
    Snapshot s = current;
    TrustRootSource.Current t = trust.current();
    if (!t.version().equals(s.trustVersion())) {
      synchronized (this) {
        s = current;
        if (!t.version().equals(s.trustVersion())) {
          s = new Snapshot(s.set(), PolicyEngine.compile(s.set(), t.root()), t.version());
          current = s;
        }
      }
    }
    return s;
  }

  /** Loads the directory again if its files changed; applies the new set only if all of it loads. */
  synchronized Reload poll() {
    String files;
    try {
      files = policyFilesFingerprint();
    } catch (PolicyException e) {
      return refuse("unreadable: " + e.getMessage(), e.problems());
    }
    String fp = watched(files, current.set());
    if (fp.equals(seen)) {
      return new Unchanged();
    }
    PolicySet set;
    try {
      set = loadSet();
    } catch (PolicyException e) {
      return refuse(fp, e.problems());
    }
    seen = watched(files, set);
    if (set.hash().equals(current.set().hash())) {
      return new Unchanged();
    }
    TrustRootSource.Current t = trust.current();
    current = new Snapshot(set, PolicyEngine.compile(set, t.root()), t.version());
    return new Applied(set);
  }

  private Reload refuse(String fp, List<String> problems) {
    if (fp.equals(seen)) {
      return new Unchanged();
    }
    seen = fp;
    return new Refused(problems);
  }

  private PolicySet loadSet() throws PolicyException {
    PolicySet set = new PolicyLoader().load(List.of(dir));
    if (set.policies().isEmpty()) {
      throw new PolicyException(dir + ": expected at least one ImagePolicy (*.yaml, *.yml), found none");
    }
    return set;
  }

  /** The policy files' fingerprint. */
  private String policyFilesFingerprint() throws PolicyException {
    try {
      return Fingerprint.of(Fingerprint.policyFiles(dir));
    } catch (IOException e) {
      throw new PolicyException(dir + ": cannot read the policy directory: " + e);
    }
  }

  /**
   * What a poll compares: the policy files and the files a set names (keys, trusted roots), so a rotated key is a
   * change.
   */
  private static String watched(String policyFiles, PolicySet set) {
    return policyFiles + Fingerprint.ofReferenced(set.references());
  }

  Path directory() {
    return dir;
  }
}

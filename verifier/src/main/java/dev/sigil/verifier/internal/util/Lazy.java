package dev.sigil.verifier.internal.util;

import java.util.function.Supplier;

/**
 * A value computed on first use, at most once, thread-safely. Lets the verifier defer preparing trust material a
 * given run never needs (a CLI that verifies one key-based bundle need not verify CA chains or TSA certificates, nor
 * prepare the keys of logs its bundle does not name).
 *
 * <p>Subclassed (an anonymous class per use) rather than given a lambda: these are built on the one-shot path, which
 * links no lambda (docs/fast-start.md).
 */
public abstract class Lazy<T> implements Supplier<T> {
  private volatile T value;

  /** Computes the value; called at most once. Must not return null. */
  protected abstract T compute();

  @Override
  public final T get() {
    T v = value;
    if (v == null) {
      synchronized (this) {
        v = value;
        if (v == null) {
          v = compute();
          value = v;
        }
      }
    }
    return v;
  }
}

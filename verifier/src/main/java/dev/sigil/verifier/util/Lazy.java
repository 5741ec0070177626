package dev.sigil.verifier.util;

import java.util.function.Supplier;

/**
 * A value computed on first use, at most once, thread-safely. Lets the verifier defer preparing trust material a
 * given run never needs (a CLI that verifies one key-based bundle need not verify CA chains or TSA certificates, nor
 * prepare the keys of logs its bundle does not name).
 */
public final class Lazy<T> implements Supplier<T> {
  private final Supplier<T> compute;
  private volatile T value;

  public Lazy(Supplier<T> compute) {
    this.compute = compute;
  }

  @Override
  public T get() {
    T v = value;
    if (v == null) {
      synchronized (this) {
        v = value;
        if (v == null) {
          v = compute.get();
          value = v;
        }
      }
    }
    return v;
  }
}

package dev.sigil.verifier;

import java.util.function.Supplier;

/**
 * A value computed on first use, at most once, thread-safely. Lets a {@link Verifier} defer preparing trust material
 * a given run never needs (a CLI that verifies one key-based bundle need not verify CA chains or TSA certificates).
 */
final class Lazy<T> implements Supplier<T> {
  private final Supplier<T> compute;
  private volatile T value;

  Lazy(Supplier<T> compute) {
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

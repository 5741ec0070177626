package dev.sigil.verifier.internal;

import dev.sigil.verifier.Reason;
import java.util.Objects;

/**
 * The one outcome shape of the verifier's internals: {@link Ok} with a value, or {@link Failed} with a stable
 * {@link Reason} and a detail saying what was checked, what was expected and what was found. Expected failures (a
 * malformed note, a proof that does not match, an untrusted signer) are outcomes, never exceptions.
 *
 * @param <T> the value an {@link Ok} carries
 */
public sealed interface Outcome<T> permits Outcome.Ok, Outcome.Failed {

  static <T> Outcome<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Outcome<T> failure(Reason reason, String detail) {
    return new Failed<>(reason, detail);
  }

  boolean isOk();

  /**
   * The value of an {@link Ok}.
   *
   * @throws IllegalStateException if this is a {@link Failed} (a programming error: check {@link #isOk()} first)
   */
  T value();

  /**
   * The reason of a {@link Failed}.
   *
   * @throws IllegalStateException if this is an {@link Ok}
   */
  Reason reason();

  /**
   * The detail of a {@link Failed}.
   *
   * @throws IllegalStateException if this is an {@link Ok}
   */
  String detail();

  /** This failure as an outcome of another type (same reason and detail). */
  default <U> Outcome<U> propagate() {
    return new Failed<>(reason(), detail());
  }

  /** This failure with its detail prefixed (e.g. by the step that failed). */
  default <U> Outcome<U> propagate(String prefix) {
    return new Failed<>(reason(), prefix + detail());
  }

  record Ok<T>(T value) implements Outcome<T> {
    public Ok {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean isOk() {
      return true;
    }

    @Override
    public Reason reason() {
      throw new IllegalStateException("an Ok outcome has no failure reason");
    }

    @Override
    public String detail() {
      throw new IllegalStateException("an Ok outcome has no failure detail");
    }
  }

  record Failed<T>(Reason reason, String detail) implements Outcome<T> {
    public Failed {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public boolean isOk() {
      return false;
    }

    @Override
    public T value() {
      throw new IllegalStateException("no value, the outcome is a failure: " + reason + ": " + detail);
    }
  }
}

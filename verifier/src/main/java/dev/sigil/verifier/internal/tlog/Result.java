package dev.sigil.verifier.internal.tlog;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of a parse or verification whose failure is expected and ordinary (a malformed note, a proof that does
 * not match): either {@link Ok} with a value, or {@link Failure} with a reason that says what was checked, what was
 * expected and what was found. Nothing in this package signals such failures by throwing.
 *
 * @param <T> the value an {@link Ok} carries
 */
public sealed interface Result<T> permits Result.Ok, Result.Failure {

  /** A success carrying {@code value}. */
  static <T> Result<T> ok(T value) {
    return new Ok<>(value);
  }

  /** A failure explained by {@code reason}. */
  static <T> Result<T> failure(String reason) {
    return new Failure<>(reason);
  }

  /** Whether this is an {@link Ok}. */
  boolean isOk();

  /**
   * The value of an {@link Ok}.
   *
   * @throws IllegalStateException if this is a {@link Failure} (a programming error: check {@link #isOk()} first)
   */
  T value();

  /**
   * The reason of a {@link Failure}.
   *
   * @throws IllegalStateException if this is an {@link Ok}
   */
  String reason();

  /** Applies {@code f} to an Ok's value; a Failure passes through unchanged. */
  default <U> Result<U> map(Function<? super T, ? extends U> f) {
    if (this instanceof Ok<T> ok) {
      return new Ok<>(f.apply(ok.value()));
    }
    return new Failure<>(reason());
  }

  /** Chains a further step that may itself fail; a Failure passes through unchanged. */
  default <U> Result<U> flatMap(Function<? super T, Result<U>> f) {
    if (this instanceof Ok<T> ok) {
      return Objects.requireNonNull(f.apply(ok.value()), "flatMap function returned null");
    }
    return new Failure<>(reason());
  }

  /** The Ok's value, or the exception {@code toException} builds from the failure reason. */
  default <E extends Exception> T orElseThrow(Function<String, E> toException) throws E {
    if (this instanceof Ok<T> ok) {
      return ok.value();
    }
    throw toException.apply(reason());
  }

  /** A success. */
  record Ok<T>(T value) implements Result<T> {
    public Ok {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean isOk() {
      return true;
    }

    @Override
    public String reason() {
      throw new IllegalStateException("an Ok result has no failure reason");
    }
  }

  /** A failure, with a reason naming what was checked, what was expected and what was found. */
  record Failure<T>(String reason) implements Result<T> {
    public Failure {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public boolean isOk() {
      return false;
    }

    @Override
    public T value() {
      throw new IllegalStateException("no value, the result is a failure: " + reason);
    }
  }
}

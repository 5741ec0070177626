package dev.sigil.admission.kube;

/**
 * A request body that is not an AdmissionReview v1 request this webhook can answer: not JSON, the wrong
 * {@code apiVersion} or {@code kind}, no {@code request.uid}, an {@code object} that does not match its {@code kind}.
 * The message says what was expected and what was found, in one line, for the HTTP 400 answer.
 */
public final class MalformedReviewException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedReviewException(String message) {
    super(message);
  }
}

package dev.sigil.verifier.internal.pem;

/** Text that is not the PEM its reader expects; {@link #problem()} says what kind, the message says where. */
public final class PemException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What was wrong. */
  public enum Problem {
    /** A BEGIN line without a well-formed label. */
    MALFORMED_BEGIN,
    /** A block whose END line is missing. */
    NO_END,
    /** An END line for another label, or with trailing text ({@link Pem.Mode#STRICT}). */
    END_MISMATCH,
    /** A BEGIN line inside a block ({@link Pem.Mode#STRICT}). */
    NESTED_BEGIN,
    /** An RFC 1421 header line ({@code Name: value}) inside a block ({@link Pem.Mode#STRICT}). */
    HEADER,
    /** A body that is not base64 (in {@link Pem.Mode#STRICT}: not canonical, padded base64). */
    BAD_BASE64,
    /** A block with no content. */
    EMPTY
  }

  private final Problem problem;
  private final String label;

  PemException(Problem problem, String label, String message) {
    super(message);
    this.problem = problem;
    this.label = label;
  }

  public Problem problem() {
    return problem;
  }

  /** The label of the block the problem is in; empty for a malformed BEGIN line. */
  public String label() {
    return label;
  }
}

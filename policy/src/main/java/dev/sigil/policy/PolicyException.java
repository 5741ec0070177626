package dev.sigil.policy;

import java.util.List;

/**
 * A policy set that cannot be loaded: a file that is not YAML, a document of an unknown kind, an unknown or missing
 * field, a glob, regular expression or CEL expression that does not compile. Each problem names the file, the document
 * and the field (with its line and column where known), what was expected and what was found. A set with any problem
 * is never applied, not even in part.
 */
public final class PolicyException extends Exception {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public PolicyException(List<String> problems) {
    super(problems.size() == 1 ? problems.get(0) : problems.size() + " problems: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public PolicyException(String problem) {
    this(List.of(problem));
  }

  /** Every problem found, each naming its file, document and field. */
  public List<String> problems() {
    return problems;
  }
}

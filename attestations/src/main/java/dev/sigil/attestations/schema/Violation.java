package dev.sigil.attestations.schema;

import java.util.Objects;

/**
 * One way a document fails its schema: where ({@code pointer}, an RFC 6901 JSON pointer from the statement root,
 * {@code ""} for the root itself), which rule ({@code keyword}: a JSON Schema keyword such as {@code required},
 * {@code type}, {@code format}, {@code pattern}, or {@code typed} for checks of the typed parse), what was expected and
 * what was found. Wording may change; pointer and keyword are stable.
 */
public record Violation(String pointer, String keyword, String expected, String found) {
  public Violation {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(keyword, "keyword");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(found, "found");
  }

  /** "{pointer}: expected {expected}, found {found}". */
  public String message() {
    return (pointer.isEmpty() ? "(document)" : pointer) + ": expected " + expected + ", found " + found;
  }

  @Override
  public String toString() {
    return message() + " [" + keyword + "]";
  }
}

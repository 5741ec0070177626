package dev.sigil.attestations;

import java.util.Objects;

/**
 * Malformed or unacceptable attestation input: a statement, predicate, DSSE envelope, digest or CI environment that
 * does not have the shape its specification requires. The {@link #reason() reason} is a stable code; {@link
 * #pointer() pointer} is the RFC 6901 JSON pointer of the offending value ({@code ""} for the whole document, or the
 * name of an environment variable for {@link Reason#INVALID_ENVIRONMENT}); the message says what was expected and what
 * was found, and its wording may change.
 *
 * <p>Nothing else escapes the parsers of this module: Jackson, Base64 and date-time exceptions are wrapped.
 */
public final class AttestationException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why input was refused. The codes are stable. */
  public enum Reason {
    /** Larger than the stated bound for its kind (see the {@code MAX_*} constants). */
    TOO_LARGE,
    /** Not well-formed JSON in UTF-8 (syntax, encoding, a byte-order mark, trailing content, nesting too deep). */
    MALFORMED_JSON,
    /** The same key twice in one JSON object (at any depth). */
    DUPLICATE_KEY,
    /** A required field is absent (or {@code null}). */
    MISSING_FIELD,
    /** A field has the wrong JSON type (for example a number where a string is required). */
    WRONG_TYPE,
    /** A field has the right type but a value its specification does not allow. */
    INVALID_VALUE,
    /** A digest value that is not lowercase hex of the algorithm's length. */
    INVALID_DIGEST,
    /** A base64 field that is not canonical standard or URL-safe base64. */
    INVALID_BASE64,
    /** A statement {@code _type} other than in-toto Statement v1 or v0.1. */
    UNSUPPORTED_STATEMENT_TYPE,
    /** The document violates the JSON Schema shipped for its type (see {@code schema.SchemaValidator}). */
    SCHEMA_VIOLATION,
    /** A CI environment lacks a variable provenance needs, or has an unusable value. */
    INVALID_ENVIRONMENT
  }

  private final Reason reason;
  private final String pointer;

  public AttestationException(Reason reason, String pointer, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.pointer = Objects.requireNonNull(pointer, "pointer");
  }

  public AttestationException(Reason reason, String pointer, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.pointer = Objects.requireNonNull(pointer, "pointer");
  }

  /** The stable reason code. */
  public Reason reason() {
    return reason;
  }

  /** Where: a JSON pointer into the document ({@code ""} is the root), or an environment variable name. */
  public String pointer() {
    return pointer;
  }

  /** A field of the wrong JSON type: "{pointer}: expected {expected}, found {kind of found}". */
  static AttestationException wrongType(String pointer, String expected, com.fasterxml.jackson.databind.JsonNode found) {
    return new AttestationException(
        Reason.WRONG_TYPE, pointer, at(pointer) + "expected " + expected + ", found " + StrictJson.describe(found));
  }

  /** A required field that is absent. */
  static AttestationException missing(String pointer, String expected) {
    return new AttestationException(Reason.MISSING_FIELD, pointer, at(pointer) + "expected " + expected + ", found none");
  }

  /** A value that the specification does not allow. */
  static AttestationException invalid(String pointer, String expected, String found) {
    return new AttestationException(
        Reason.INVALID_VALUE, pointer, at(pointer) + "expected " + expected + ", found " + found);
  }

  /** The prefix naming where a problem is ("/subject/0/digest: "), or nothing for the whole document. */
  static String at(String pointer) {
    return pointer.isEmpty() ? "" : pointer + ": ";
  }
}

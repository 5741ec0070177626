package dev.sigil.verifier;

import java.util.Objects;

/**
 * One entry of a certificate's subject alternative name extension, as Sigil reads it.
 *
 * @param type what kind of name this is
 * @param value the name as text: the address, the URI, the username, the DNS name, or the IP address
 */
public record SubjectAlternativeName(Type type, String value) {

  /** The kinds of SAN entry Sigil reads; other kinds (directoryName, x400Address, ...) are ignored. */
  public enum Type {
    /** rfc822Name: what Fulcio issues for email identities. */
    EMAIL("email"),
    /** uniformResourceIdentifier: what Fulcio issues for CI workload identities (e.g. a GitHub workflow ref). */
    URI("URI"),
    /**
     * otherName of type {@code 1.3.6.1.4.1.57264.1.7} holding a UTF8String: what Fulcio issues for username
     * identities.
     */
    USERNAME("username"),
    /** dNSName. */
    DNS("DNS"),
    /** iPAddress, as the JDK prints it. */
    IP_ADDRESS("IP");

    private final String label;

    Type(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public SubjectAlternativeName {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }

  /** {@code <type> <value>}, e.g. {@code URI https://github.com/...}. */
  public String describe() {
    return type.label() + " " + value;
  }
}

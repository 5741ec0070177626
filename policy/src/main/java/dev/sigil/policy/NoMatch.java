package dev.sigil.policy;

/** What happens to an image that no policy matches. */
public enum NoMatch {
  /** Denied (the default: secure by default, as policy-controller's {@code no-match-policy: deny}). */
  DENY,
  /** Allowed. */
  ALLOW,
  /** Allowed with a warning. */
  WARN
}

package dev.sigil.policy;

/** What a failing policy does. */
public enum Mode {
  /** A failing policy denies the image. */
  ENFORCE,
  /** A failing policy allows the image with a warning: for rolling a policy out before enforcing it. */
  WARN
}

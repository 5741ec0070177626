package dev.sigil.policy;

import java.util.Objects;

/**
 * A CEL condition over a verified attestation, compiled (parsed and type-checked) when the policy set was loaded.
 *
 * @param name the condition's name, for reports
 * @param expression the CEL source
 * @param message what a person is told when the condition is false
 */
public record Condition(String name, String expression, String message, Cel.Program program) {
  public Condition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(expression, "expression");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(program, "program");
  }
}

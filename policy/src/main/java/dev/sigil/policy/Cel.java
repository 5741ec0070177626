package dev.sigil.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * CEL for policy conditions (dev.cel): one environment, compiled once, with the variables a condition may use, and
 * bounded evaluation.
 *
 * <p>Variables: {@code predicate} (the verified predicate, as JSON), {@code predicateType} (string), {@code statement}
 * (the whole in-toto statement), {@code subjects} (its subjects), {@code signer} (map: {@code kind} "key" or
 * "certificate", {@code subject}, {@code issuer}, {@code key} (fingerprint), {@code claims} (Fulcio claims by field
 * name)), and {@code image} (map: {@code name}, {@code repository}, {@code digest}). A condition must type-check to a
 * boolean (or to dyn, checked at evaluation).
 *
 * <p>Bounds: expressions of at most {@value #MAX_EXPRESSION_CHARS} characters and parse depth 32; comprehensions of
 * at most {@value #MAX_ITERATIONS} iterations each; regular expressions of bounded program size; and at most
 * {@value #MAX_STEPS} evaluation steps per condition (counted by an evaluation listener), beyond which the condition
 * fails with an error. An erroring condition denies.
 */
public final class Cel {
  static final int MAX_EXPRESSION_CHARS = 4096;
  static final int MAX_ITERATIONS = 10_000;
  static final int MAX_STEPS = 100_000;

  private static final CelOptions OPTIONS =
      CelOptions.current()
          .maxExpressionCodePointSize(MAX_EXPRESSION_CHARS)
          .maxParseRecursionDepth(32)
          .comprehensionMaxIterations(MAX_ITERATIONS)
          .maxRegexProgramSize(1000)
          .build();

  private static final CelType JSON_MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);

  private final CelCompiler compiler;
  private final CelRuntime runtime;

  Cel() {
    this.compiler =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("predicate", SimpleType.DYN)
            .addVar("predicateType", SimpleType.STRING)
            .addVar("statement", JSON_MAP)
            .addVar("subjects", ListType.create(SimpleType.DYN))
            .addVar("signer", JSON_MAP)
            .addVar("image", MapType.create(SimpleType.STRING, SimpleType.STRING))
            .build();
    this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
  }

  /** A compiled condition: immutable and thread-safe. */
  public static final class Program {
    private final CelRuntime.Program program;

    private Program(CelRuntime.Program program) {
      this.program = program;
    }

    /**
     * Evaluates the condition; never throws for an expression that errs or exceeds its bounds.
     *
     * @return the outcome: true, false, or an error
     */
    public Result evaluate(Map<String, Object> variables) {
      int[] steps = {0};
      try {
        Object v =
            program.trace(
                variables,
                (expr, result) -> {
                  if (++steps[0] > MAX_STEPS) {
                    throw new BudgetExceeded();
                  }
                });
        if (v instanceof Boolean b) {
          return b ? Result.TRUE : Result.FALSE;
        }
        return Result.error("expected a boolean result, found " + (v == null ? "null" : v.getClass().getSimpleName()));
      } catch (BudgetExceeded e) {
        return Result.error("evaluation exceeded " + MAX_STEPS + " steps");
      } catch (CelEvaluationException e) {
        return Result.error(e.getMessage());
      } catch (RuntimeException e) {
        return Result.error(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      }
    }
  }

  /** The outcome of one condition. */
  public record Result(boolean value, String error) {
    static final Result TRUE = new Result(true, null);
    static final Result FALSE = new Result(false, null);

    static Result error(String message) {
      return new Result(false, Objects.requireNonNull(message));
    }

    public boolean isError() {
      return error != null;
    }
  }

  private static final class BudgetExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BudgetExceeded() {
      super(null, null, false, false);
    }
  }

  /**
   * Parses and type-checks an expression.
   *
   * @throws IllegalArgumentException with CEL's error (position and reason) if it does not compile or is not boolean
   */
  Program compile(String expression) {
    if (expression.length() > MAX_EXPRESSION_CHARS) {
      throw new IllegalArgumentException(
          "expected a CEL expression of at most " + MAX_EXPRESSION_CHARS + " characters, found " + expression.length());
    }
    CelValidationResult r = compiler.compile(expression);
    CelAbstractSyntaxTree ast;
    try {
      ast = r.getAst();
    } catch (CelValidationException e) {
      throw new IllegalArgumentException("CEL expression does not compile: " + oneLine(r.getErrorString()));
    }
    CelType type = ast.getResultType();
    if (!type.equals(SimpleType.BOOL) && !type.equals(SimpleType.DYN)) {
      throw new IllegalArgumentException("expected a boolean CEL expression, found one of type " + type.name());
    }
    try {
      return new Program(runtime.createProgram(ast));
    } catch (CelEvaluationException e) {
      throw new IllegalArgumentException("CEL expression cannot be planned: " + oneLine(e.getMessage()));
    }
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.strip().replace("\n", " | ");
  }

  /** JSON as CEL values: maps, lists, strings, longs, doubles, booleans, and null as CEL's null. */
  static Object value(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return com.google.protobuf.NullValue.NULL_VALUE;
    }
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        m.put(e.getKey(), value(e.getValue()));
      }
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>(n.size());
      for (JsonNode e : n) {
        l.add(value(e));
      }
      return l;
    }
    if (n.isTextual()) {
      return n.textValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return n.longValue();
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    return n.asText();
  }
}

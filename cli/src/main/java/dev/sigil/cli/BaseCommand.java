package dev.sigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** Shared plumbing of every command: global flags, the terminal, and JSON output. */
abstract class BaseCommand implements Callable<Integer> {
  /** Built only when JSON output is asked for: jackson-databind costs ~100 ms to initialise. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  @Mixin GlobalOptions global;

  Terminal terminal;

  /**
   * Runs the command; returns the exit code or throws a {@link CliException}, or the tuf module's
   * {@link dev.sigil.tuf.TrustException} (which {@link Sigil} maps to an exit code by its kind).
   */
  abstract int execute() throws CliException, dev.sigil.tuf.TrustException;

  /**
   * Runs the command. An {@link Error} other than running out of memory (a class that fails to initialise, a linkage
   * error between libraries) becomes an ordinary failure, reported in one line with exit 3 like any internal error:
   * never a stack trace unless --debug asks for one.
   */
  @Override
  public final Integer call() throws Exception {
    try {
      return execute();
    } catch (OutOfMemoryError e) {
      throw e;
    } catch (Error e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      throw new IllegalStateException(
          e.getClass().getSimpleName() + (root == e ? "" : " caused by " + root.getClass().getSimpleName())
              + (root.getMessage() == null ? "" : ": " + root.getMessage()),
          e);
    }
  }

  ObjectNode jsonObject() {
    return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
  }

  void printJson(ObjectNode node) {
    terminal.out().println(toJson(node));
    terminal.out().flush();
  }

  /**
   * The tree as ObjectMapper with INDENT_OUTPUT writes it, through jackson-core's generator: building an ObjectMapper
   * costs a one-shot {@code --output json} run ~100 ms, and these trees hold only objects, arrays, strings, numbers,
   * booleans and nulls (anything else goes to ObjectMapper). {@code JsonOutputTest} compares the two byte for byte.
   */
  static String toJson(com.fasterxml.jackson.databind.JsonNode node) {
    java.io.StringWriter out = new java.io.StringWriter();
    try (com.fasterxml.jackson.core.JsonGenerator g = JsonOut.FACTORY.createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      if (!write(g, node)) {
        return Json.MAPPER.writeValueAsString(node);
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("writing JSON to a string cannot fail", e);
    }
    return out.toString();
  }

  /** Writes {@code node}; false (leaving the generator mid-way) if it holds a node kind not handled here. */
  private static boolean write(com.fasterxml.jackson.core.JsonGenerator g, com.fasterxml.jackson.databind.JsonNode n)
      throws java.io.IOException {
    if (n.isObject()) {
      g.writeStartObject();
      for (java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e : n.properties()) {
        g.writeFieldName(e.getKey());
        if (!write(g, e.getValue())) {
          return false;
        }
      }
      g.writeEndObject();
    } else if (n.isArray()) {
      g.writeStartArray();
      for (com.fasterxml.jackson.databind.JsonNode e : n) {
        if (!write(g, e)) {
          return false;
        }
      }
      g.writeEndArray();
    } else if (n.isTextual()) {
      g.writeString(n.textValue());
    } else if (n.isBoolean()) {
      g.writeBoolean(n.booleanValue());
    } else if (n.isNull()) {
      g.writeNull();
    } else if (n.isInt() || n.isShort()) {
      g.writeNumber(n.intValue());
    } else if (n.isLong()) {
      g.writeNumber(n.longValue());
    } else {
      return false;
    }
    return true;
  }

  /** jackson-core's factory, without databind's ObjectMapper. */
  private static final class JsonOut {
    static final com.fasterxml.jackson.core.JsonFactory FACTORY = new com.fasterxml.jackson.core.JsonFactory();
  }

  /** Progress of hashing the command's inputs, shown on standard error when it is a terminal and they are large. */
  HashProgress progress(String task) {
    return new TerminalProgress(terminal, global.json(), task);
  }

  void info(String line) {
    if (!global.json()) {
      terminal.out().println(line);
    }
  }

  void warn(String line) {
    terminal.err().println("WARNING: " + line);
  }

  void verbose(String line) {
    if (global.verbose && !global.json()) {
      terminal.err().println(line);
    }
  }
}

package dev.sigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** Shared plumbing of every command: global flags, the terminal, and JSON output. */
abstract class BaseCommand implements Callable<Integer> {
  /** Built only when JSON output is asked for (jackson-databind is not on the one-shot path, docs/fast-start.md). */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  @Mixin GlobalOptions global;

  Terminal terminal;

  /** Runs the command; returns the exit code or throws a {@link CliException}. */
  abstract int execute() throws CliException;

  @Override
  public final Integer call() throws CliException {
    return execute();
  }

  ObjectNode jsonObject() {
    return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
  }

  void printJson(ObjectNode node) {
    terminal.out().println(toJson(node));
    terminal.out().flush();
  }

  /**
   * The tree as ObjectMapper with INDENT_OUTPUT writes it, through jackson-core's generator (no ObjectMapper on the
   * one-shot path, docs/fast-start.md); these trees hold only objects, arrays, strings, numbers, booleans and nulls
   * (anything else goes to ObjectMapper). {@code JsonOutputTest} compares the two byte for byte.
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

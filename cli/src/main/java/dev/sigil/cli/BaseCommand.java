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

  /** Runs the command; returns the exit code or throws a {@link CliException}. */
  abstract int execute() throws CliException;

  @Override
  public final Integer call() throws CliException {
    return execute();
  }

  ObjectNode jsonObject() {
    return Json.MAPPER.createObjectNode();
  }

  void printJson(ObjectNode node) {
    try {
      terminal.out().println(Json.MAPPER.writeValueAsString(node));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("serializing a JSON tree cannot fail", e);
    }
    terminal.out().flush();
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

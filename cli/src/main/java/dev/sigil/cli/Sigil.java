package dev.sigil.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The {@code sigil} command. {@link #run} returns the exit code so tests can drive the CLI in-process;
 * {@code System.exit} appears only in {@link #main}. Errors are mapped to exit codes and one-line messages here,
 * and nowhere else.
 */
@Command(
    name = "sigil",
    mixinStandardHelpOptions = true,
    // --help (and --version) on every subcommand too.
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = VersionCommand.Provider.class,
    description = "Sign and verify software artifacts, Sigstore-compatible.",
    subcommands = {
      GenerateKeyPairCommand.class,
      SignBlobCommand.class,
      VerifyBlobCommand.class,
      AttestBlobCommand.class,
      ProvenanceCommand.class,
      SignImageCommand.class,
      AttestImageCommand.class,
      VerifyBlobAttestationCommand.class,
      InspectCommand.class,
      VerifyImageCommand.class,
      VerifyImageAttestationCommand.class,
      TreeCommand.class,
      PolicyCommands.class,
      AdmissionCommand.class,
      TrustedRootCommand.class,
      VersionCommand.class,
      BenchCommand.class,
      SandboxCommand.class,
      QuickstartCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:verification failed (the artifact is not trusted)",
      "2:bad usage or bad input (flags, unreadable or malformed files, wrong password)",
      "3:environment or remote-service failure"
    })
public final class Sigil implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required (see sigil --help)");
  }

  public static void main(String[] args) {
    int code = run(Terminal.system(), args);
    System.exit(code);
  }

  /**
   * Runs one command line against the given terminal and returns its exit code. A verify command whose arguments
   * {@link FastVerify} fully understands runs without picocli (start-up time); everything else, including every usage
   * error and {@code --help}, goes through picocli.
   */
  public static int run(Terminal terminal, String... args) {
    BaseCommand fast = FastVerify.parse(args);
    if (fast != null) {
      fast.terminal = terminal;
      return execute(terminal, fast);
    }
    return runWithPicocli(terminal, args);
  }

  /** Runs a command that was parsed without picocli, handling failures exactly as picocli's path does. */
  static int execute(Terminal terminal, BaseCommand command) {
    int code;
    try {
      code = command.call();
    } catch (OutOfMemoryError e) {
      terminal.err().println("Error: out of memory; give the JVM more heap, e.g. SIGIL_JAVA_OPTS=-Xmx512m");
      code = ExitCode.ENVIRONMENT;
    } catch (Exception e) {
      code = failure(terminal, command, e);
    }
    terminal.out().flush();
    terminal.err().flush();
    return code;
  }

  /** As {@link #run}, always through picocli (tests compare the two paths). */
  static int runWithPicocli(Terminal terminal, String... args) {
    CommandLine cl = commandLine(terminal);
    int code;
    try {
      code = cl.execute(args);
    } catch (OutOfMemoryError e) {
      terminal.err().println("Error: out of memory; give the JVM more heap, e.g. SIGIL_JAVA_OPTS=-Xmx512m");
      code = ExitCode.ENVIRONMENT;
    }
    terminal.out().flush();
    terminal.err().flush();
    return code;
  }

  /** The picocli command line, configured as every run uses it. */
  static CommandLine commandLine(Terminal terminal) {
    CommandLine cl = new CommandLine(new Sigil(), new Factory(terminal));
    cl.setOut(terminal.out());
    cl.setErr(terminal.err());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(new UsageErrors(terminal));
    cl.setExecutionExceptionHandler(new Failures(terminal));
    return cl;
  }

  /** A command that is not a {@link BaseCommand} but prints or reads the environment. */
  interface NeedsTerminal {
    void terminal(Terminal t);
  }

  /** Hands every command the terminal (picocli creates the command objects). */
  private record Factory(Terminal terminal) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      K obj = CommandLine.defaultFactory().create(cls);
      if (obj instanceof BaseCommand b) {
        b.terminal = terminal;
      } else if (obj instanceof NeedsTerminal n) {
        n.terminal(terminal);
      }
      return obj;
    }
  }

  /** Bad flags or arguments: exit 2 with one line and a pointer to help. */
  private record UsageErrors(Terminal terminal) implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
      CommandLine cmd = ex.getCommandLine();
      report(terminal, cmd.getCommand(), ExitCode.BAD_INPUT, "usage: " + ex.getMessage());
      if (!wantsJson(cmd.getCommand())) {
        terminal.err().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
      }
      return ExitCode.BAD_INPUT;
    }
  }

  /** Command failures: a known CliException keeps its code; anything else is an internal error (exit 3). */
  private record Failures(Terminal terminal) implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
      return failure(terminal, cmd.getCommand(), ex);
    }
  }

  /**
   * A command failed: a known CliException keeps its code, a TrustException (tuf module) gets the code of its kind;
   * anything else is an internal error (exit 3).
   */
  private static int failure(Terminal terminal, Object command, Exception ex) {
    boolean debug = command instanceof BaseCommand b && b.global.debug;
    if (ex instanceof CliException ce) {
      report(terminal, command, ce.exitCode(), ce.getMessage());
      if (debug && ce.getCause() != null) {
        ce.getCause().printStackTrace(terminal.err());
      }
      return ce.exitCode();
    }
    if (ex instanceof dev.sigil.tuf.TrustException te) {
      int code = ExitCode.of(te.kind());
      report(terminal, command, code, te.getMessage());
      if (debug) {
        te.printStackTrace(terminal.err());
      }
      return code;
    }
    report(
        terminal,
        command,
        ExitCode.ENVIRONMENT,
        "internal error: " + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage())
            + (debug ? "" : " (run with --debug for details)"));
    if (debug) {
      ex.printStackTrace(terminal.err());
    }
    return ExitCode.ENVIRONMENT;
  }

  private static boolean wantsJson(Object command) {
    return command instanceof BaseCommand b && b.global != null && b.global.json();
  }

  private static void report(Terminal t, Object command, int code, String message) {
    if (wantsJson(command)) {
      BaseCommand b = (BaseCommand) command;
      ObjectNode n = b.jsonObject();
      n.put("ok", false);
      n.put("exitCode", code);
      n.put("error", message);
      b.printJson(n);
    } else {
      t.err().println("Error: " + message);
    }
    t.err().flush();
  }

  /** For tests: a terminal over the given writers and environment, with no console. */
  public static Terminal terminal(PrintWriter out, PrintWriter err, java.util.Map<String, String> env) {
    return new Terminal(out, err, env, java.util.Optional.empty());
  }

  /** For tests: as {@link #terminal(PrintWriter, PrintWriter, java.util.Map)}, reading {@code in} as standard input. */
  public static Terminal terminal(
      PrintWriter out, PrintWriter err, java.util.Map<String, String> env, java.io.InputStream in) {
    return new Terminal(out, err, env, java.util.Optional.empty(), StandardError.NOT_A_TERMINAL, in);
  }
}

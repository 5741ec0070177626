package dev.sigil.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the arguments of {@code verify-blob} / {@code verify-bundle} without picocli, because the verify command is
 * what CI gates and the conformance suite run once per process, and picocli's command model (it reflects over every
 * command's annotations) is the largest cost of such a run (docs/fast-start.md). It is a fast path, not a second
 * parser: it accepts only argument lists it understands completely (known options, each at most once, as
 * {@code --name value} or {@code --name=value}, and one positional argument) and returns null for anything else, which
 * then goes to picocli, so help, version and every usage error keep one wording. {@code FastVerifyTest} checks that it
 * knows exactly the options picocli's model of the command has, and that both paths give the same exit codes and
 * output.
 */
final class FastVerify {
  /** Options that take one value. */
  static final Set<String> VALUED =
      Set.of(
          "--bundle",
          "--key",
          "--trusted-root",
          "--output",
          "--certificate-identity",
          "--certificate-identity-regexp",
          "--certificate-oidc-issuer",
          "--certificate-oidc-issuer-regexp",
          "--certificate-github-workflow-trigger",
          "--certificate-github-workflow-sha",
          "--certificate-github-workflow-name",
          "--certificate-github-workflow-repository",
          "--certificate-github-workflow-ref");

  /** Options that take no value. */
  static final Set<String> FLAGS = Set.of("--verbose", "--debug", "--insecure-ignore-tlog");

  /** Options the fast path leaves to picocli whenever they appear. */
  static final Set<String> LEFT_TO_PICOCLI = Set.of("-h", "--help", "-V", "--version");

  private FastVerify() {}

  /** The verify command with its options set, or null when picocli should handle these arguments. */
  static VerifyBlobCommand parse(String[] args) {
    if (args.length < 2 || !("verify-blob".equals(args[0]) || "verify-bundle".equals(args[0]))) {
      return null;
    }
    VerifyBlobCommand cmd = new VerifyBlobCommand();
    cmd.global = new GlobalOptions();
    cmd.identityOptions = new IdentityOptions();
    Set<String> seen = new HashSet<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.isEmpty() || arg.charAt(0) == '@') {
        return null; // picocli reads @argument files
      }
      if (arg.charAt(0) != '-') {
        if (cmd.artifactArg != null) {
          return null;
        }
        cmd.artifactArg = arg;
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq > 0 ? arg.substring(0, eq) : arg;
      if (!seen.add(name)) {
        return null;
      }
      if (FLAGS.contains(name)) {
        if (eq > 0) {
          return null;
        }
        if (name.equals("--insecure-ignore-tlog")
            && i + 1 < args.length
            && (args[i + 1].equalsIgnoreCase("true") || args[i + 1].equalsIgnoreCase("false"))) {
          return null; // its value is optional; picocli decides whether the next argument is it
        }
        setFlag(cmd, name);
        continue;
      }
      if (!VALUED.contains(name)) {
        return null;
      }
      String value;
      if (eq > 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("-") && !args[i + 1].startsWith("@")) {
        value = args[++i];
      } else {
        return null;
      }
      if (value.isEmpty() || !setValue(cmd, name, value)) {
        return null;
      }
    }
    if (cmd.artifactArg == null || cmd.bundlePath == null) {
      return null;
    }
    return cmd;
  }

  private static void setFlag(VerifyBlobCommand cmd, String name) {
    switch (name) {
      case "--verbose" -> cmd.global.verbose = true;
      case "--debug" -> cmd.global.debug = true;
      case "--insecure-ignore-tlog" -> cmd.ignoreTlog = true;
      default -> throw new IllegalStateException("unreachable: " + name);
    }
  }

  /** Sets one option; false when the value does not convert (picocli then reports it). */
  private static boolean setValue(VerifyBlobCommand cmd, String name, String value) {
    IdentityOptions id = cmd.identityOptions;
    switch (name) {
      case "--bundle" -> {
        cmd.bundlePath = path(value);
        return cmd.bundlePath != null;
      }
      case "--key" -> {
        cmd.keyPath = path(value);
        return cmd.keyPath != null;
      }
      case "--trusted-root" -> {
        cmd.trustedRootPath = path(value);
        return cmd.trustedRootPath != null;
      }
      case "--output" -> {
        String v = value.toLowerCase(Locale.ROOT);
        if (v.equals("text")) {
          cmd.global.output = GlobalOptions.Format.text;
        } else if (v.equals("json")) {
          cmd.global.output = GlobalOptions.Format.json;
        } else {
          return false;
        }
      }
      case "--certificate-identity" -> id.identity = value;
      case "--certificate-identity-regexp" -> id.identityRegexp = value;
      case "--certificate-oidc-issuer" -> id.issuer = value;
      case "--certificate-oidc-issuer-regexp" -> id.issuerRegexp = value;
      case "--certificate-github-workflow-trigger" -> id.workflowTrigger = value;
      case "--certificate-github-workflow-sha" -> id.workflowSha = value;
      case "--certificate-github-workflow-name" -> id.workflowName = value;
      case "--certificate-github-workflow-repository" -> id.workflowRepository = value;
      case "--certificate-github-workflow-ref" -> id.workflowRef = value;
      default -> throw new IllegalStateException("unreachable: " + name);
    }
    return true;
  }

  /** The path {@code value} names, or null when it is not a valid path. */
  private static Path path(String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      return null;
    }
  }
}

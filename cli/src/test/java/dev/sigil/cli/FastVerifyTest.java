package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The verify fast path ({@link FastVerify}) against picocli: it must know exactly the options picocli's model of the
 * command has, take only argument lists it fully understands, and give the same exit code and the same output as
 * picocli's path for every argument list, accepted or not.
 */
class FastVerifyTest {
  static final String ID = ConformanceTest.DEFAULT_IDENTITY;
  static final String ISSUER = ConformanceTest.DEFAULT_ISSUER;

  @Test
  void knowsExactlyTheOptionsPicocliHas() {
    CommandSpec spec = Sigil.commandLine(quiet()).getSubcommands().get("verify-blob").getCommandSpec();
    assertEquals(Set.of("verify-bundle"), Set.of(spec.aliases()));
    Set<String> valued = new TreeSet<>();
    Set<String> flags = new TreeSet<>();
    Set<String> other = new TreeSet<>();
    for (OptionSpec o : spec.options()) {
      for (String name : o.names()) {
        if (o.usageHelp() || o.versionHelp()) {
          other.add(name);
        } else if (o.arity().max() == 0 || (o.arity().min() == 0 && o.arity().max() == 1)) {
          flags.add(name);
        } else {
          assertEquals(1, o.arity().min(), name);
          assertEquals(1, o.arity().max(), name);
          valued.add(name);
        }
      }
    }
    assertEquals(new TreeSet<>(FastVerify.VALUED), valued, "options with one value");
    assertEquals(new TreeSet<>(FastVerify.FLAGS), flags, "flags");
    assertEquals(new TreeSet<>(FastVerify.LEFT_TO_PICOCLI), other, "help options");
    assertEquals(1, spec.positionalParameters().size(), "one positional parameter");
  }

  static Stream<Arguments> argumentLists() throws Exception {
    Path cases = ConformanceTest.casesDir();
    String bundle = cases.resolve("happy-path-v0.3/bundle.sigstore.json").toString();
    String keyBundle = cases.resolve("managed-key-happy-path/bundle.sigstore.json").toString();
    String key = cases.resolve("managed-key-happy-path/key.pub").toString();
    String artifact = cases.resolve("a.txt").toString();
    String digest = "sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf";
    List<Arguments> out = new ArrayList<>();
    // Taken by the fast path.
    out.add(fast("verify-bundle", "--bundle", bundle, "--certificate-identity", ID, "--certificate-oidc-issuer", ISSUER, artifact));
    out.add(fast("verify-blob", "--bundle=" + bundle, "--certificate-identity=" + ID, "--certificate-oidc-issuer=" + ISSUER, artifact));
    out.add(fast("verify-bundle", artifact, "--bundle", bundle, "--certificate-identity-regexp", ".*beacon.*",
        "--certificate-oidc-issuer-regexp", "https://token\\.actions\\..*"));
    out.add(fast("verify-bundle", "--bundle", bundle, "--certificate-identity", ID, "--certificate-oidc-issuer", ISSUER,
        "--certificate-github-workflow-trigger", "workflow_dispatch", "--certificate-github-workflow-name", "nope", artifact));
    out.add(fast("verify-bundle", "--output", "json", "--bundle", bundle, "--certificate-identity", ID, "--certificate-oidc-issuer", ISSUER, digest));
    out.add(fast("verify-bundle", "--output=JSON", "--bundle", bundle, "--certificate-identity", "someone", "--certificate-oidc-issuer", ISSUER, artifact));
    out.add(fast("verify-bundle", "--verbose", "--debug", "--bundle", bundle, "--certificate-identity", ID, "--certificate-oidc-issuer", ISSUER, artifact));
    out.add(fast("verify-bundle", "--insecure-ignore-tlog", "--bundle", bundle, "--certificate-identity", ID, "--certificate-oidc-issuer", ISSUER, artifact));
    out.add(fast("verify-blob", "--bundle", keyBundle, "--key", key, artifact));
    out.add(fast("verify-blob", "--bundle", keyBundle, "--key", key, "--certificate-identity", ID, artifact));
    out.add(fast("verify-blob", "--bundle", keyBundle, artifact));
    out.add(fast("verify-blob", "--bundle", bundle, "--certificate-identity", ID, artifact));
    out.add(fast("verify-blob", "--bundle", bundle + ".missing", "--certificate-identity", ID, "--certificate-oidc-issuer", ISSUER, artifact));
    out.add(fast("verify-blob", "--bundle", bundle, "--certificate-identity-regexp", "(", "--certificate-oidc-issuer", ISSUER, artifact));
    out.add(fast("verify-blob", "--bundle", bundle, "--trusted-root", artifact, "--certificate-identity", ID, "--certificate-oidc-issuer", ISSUER, artifact));
    out.add(fast("verify-blob", "--bundle", bundle, "--certificate-identity", ID, "--certificate-oidc-issuer", ISSUER, "sha256:abc"));
    out.add(fast("verify-blob", "--output", "json", "--bundle", bundle, "--key", artifact, artifact));
    // Left to picocli.
    out.add(picocli("verify-bundle", "--help"));
    out.add(picocli("verify-bundle", "--bundle", bundle, "-h"));
    out.add(picocli("verify-bundle", "--version"));
    out.add(picocli("verify-bundle", "--bundle", bundle, "--frobnicate", artifact));
    out.add(picocli("verify-bundle", "--bundle", bundle, "--bundle", bundle, "--key", key, artifact));
    out.add(picocli("verify-bundle", "--bundle", bundle, "--key", key));
    out.add(picocli("verify-bundle", "--bundle", bundle, "--key", key, artifact, artifact));
    out.add(picocli("verify-bundle", "--key", key, artifact));
    out.add(picocli("verify-bundle", "--bundle", bundle, "--key", key, "--output", "xml", artifact));
    out.add(picocli("verify-bundle", "--bundle", bundle, "--key", key, "--verbose=true", artifact));
    out.add(picocli("verify-bundle", "--bundle", bundle, "--key", key, "--insecure-ignore-tlog", "false", artifact));
    out.add(picocli("verify-bundle", "--bundle", bundle, "--key", key, "--insecure-ignore-tlog=true", artifact));
    out.add(picocli("verify-bundle", "--bundle", bundle, "--key", artifact, "--key"));
    out.add(picocli("verify-bundle", "--bundle", "--key", key, artifact));
    out.add(picocli("verify-bundle", "--bundle=", "--key", key, artifact));
    out.add(picocli("verify-bundle", "@" + artifact));
    out.add(picocli("verify-bundle", "--bundle", bundle, "--key", key, "--", artifact));
    out.add(picocli("verify-bundle"));
    out.add(picocli("verify-bundle", "--bundle", "bad\0path", "--key", key, artifact));
    return out.stream();
  }

  private static Arguments fast(String... args) {
    return Arguments.of(true, List.of(args));
  }

  private static Arguments picocli(String... args) {
    return Arguments.of(false, List.of(args));
  }

  @ParameterizedTest(name = "[{index}] fast={0}")
  @MethodSource("argumentLists")
  void bothPathsAgree(boolean fastPath, List<String> args) {
    String[] a = args.toArray(String[]::new);
    if (fastPath) {
      assertNotNull(FastVerify.parse(a), "expected the fast path to take " + args);
    } else {
      assertNull(FastVerify.parse(a), "expected the fast path to leave " + args + " to picocli");
    }
    Outcome viaRun = run(a, false);
    Outcome viaPicocli = run(a, true);
    assertEquals(viaPicocli, viaRun, "Sigil.run and picocli disagree on " + args);
    assertTrue(!viaRun.err().contains("\tat "), viaRun.err());
  }

  @Test
  void fastPathSetsEveryOptionAsPicocliDoes() throws Exception {
    // Every option at once, read by both parsers, then compared field by field.
    Path cases = ConformanceTest.casesDir();
    String[] args = {
      "verify-bundle", "--bundle", cases.resolve("happy-path-v0.3/bundle.sigstore.json").toString(),
      "--key=k.pub", "--trusted-root", "tr.json", "--output", "Json", "--verbose", "--debug", "--insecure-ignore-tlog",
      "--certificate-identity", "i", "--certificate-identity-regexp", "ir", "--certificate-oidc-issuer", "o",
      "--certificate-oidc-issuer-regexp", "or", "--certificate-github-workflow-trigger", "t",
      "--certificate-github-workflow-sha", "s", "--certificate-github-workflow-name", "n",
      "--certificate-github-workflow-repository", "r", "--certificate-github-workflow-ref", "f", "a.txt"
    };
    VerifyBlobCommand fast = FastVerify.parse(args);
    assertNotNull(fast);
    CommandLine cl = Sigil.commandLine(quiet());
    CommandLine.ParseResult pr = cl.parseArgs(args);
    VerifyBlobCommand slow = (VerifyBlobCommand) pr.subcommand().commandSpec().userObject();
    assertEquals(describe(slow), describe(fast));
    Set<String> seen = new HashSet<>();
    for (String s : describe(fast).split("\n")) {
      seen.add(s);
    }
    assertTrue(seen.size() >= 18, describe(fast));
  }

  /** Every option field of the command, one per line. */
  private static String describe(VerifyBlobCommand c) {
    IdentityOptions i = c.identityOptions;
    return String.join(
        "\n",
        "bundle=" + c.bundlePath, "key=" + c.keyPath, "root=" + c.trustedRootPath, "ignoreTlog=" + c.ignoreTlog,
        "artifact=" + c.artifactArg, "verbose=" + c.global.verbose, "debug=" + c.global.debug,
        "output=" + c.global.output, "identity=" + i.identity, "identityRegexp=" + i.identityRegexp,
        "issuer=" + i.issuer, "issuerRegexp=" + i.issuerRegexp, "trigger=" + i.workflowTrigger,
        "sha=" + i.workflowSha, "name=" + i.workflowName, "repository=" + i.workflowRepository,
        "ref=" + i.workflowRef, "identityAny=" + i.any());
  }

  private static Terminal quiet() {
    return Sigil.terminal(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Map.of());
  }

  record Outcome(int code, String out, String err) {}

  private static Outcome run(String[] args, boolean picocliOnly) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
      Terminal t = Sigil.terminal(o, e, Map.of());
      code = picocliOnly ? Sigil.runWithPicocli(t, args) : Sigil.run(t, args);
    }
    return new Outcome(code, out.toString(), err.toString());
  }
}

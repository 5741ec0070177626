package dev.sigil.cli;

import dev.sigil.admission.AdmissionHandler;
import dev.sigil.admission.AdmissionServer;
import dev.sigil.admission.kube.AdmissionReviews;
import dev.sigil.admission.kube.WorkloadKind;
import dev.sigil.tuf.TrustException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link AdmissionCommand.Review}: one AdmissionReview answered by the webhook's own handler (the handler
 * {@code admission serve} serves, built from the same flags), without a server. Loaded only when that command runs.
 */
final class AdmissionReviewer {
  /** {@code request.userInfo.username} of the requests --image builds. */
  static final String USER = "sigil-admission-review";

  private AdmissionReviewer() {}

  static int run(AdmissionCommand.Review cmd, Terminal terminal) throws CliException, TrustException {
    boolean building = cmd.images != null && !cmd.images.isEmpty();
    if (cmd.input != null && building) {
      throw CliException.badInput("REVIEW.json and --image: expected one of them, found both");
    }
    if (cmd.input == null && !building) {
      throw CliException.badInput(
          "expected an AdmissionReview file (or - for standard input) or --image IMAGE, found neither");
    }
    if (cmd.input != null && (cmd.namespace != null || cmd.kind != null)) {
      throw CliException.badInput("--namespace and --kind shape the request --image builds; a review file names its "
          + "own (found them with " + cmd.input + ")");
    }
    WorkloadKind kind = building ? kind(cmd.kind == null ? "Pod" : cmd.kind) : null;
    String namespace = cmd.namespace == null ? "default" : cmd.namespace;
    if (building && !isDnsLabel(namespace)) {
      throw CliException.badInput("--namespace: expected a namespace name (a DNS label: up to 63 of a-z 0-9 -, "
          + "starting and ending with a letter or digit), found \"" + namespace + "\"");
    }
    AdmissionFlags f = cmd.admission;
    AdmissionServe.check(f);
    String source = building ? "--image" : cmd.input.equals("-") ? "standard input" : "review " + cmd.input;
    byte[] body = building
        ? new AdmissionReviews().createRequest(kind, namespace, cmd.images, USER)
        : read(cmd.input, f.maxRequestBytes, terminal);
    AdmissionServer.Builder b = AdmissionServe.configure(f, AdmissionServe.fixedTrust(f, terminal)).localLayouts(true);
    AdmissionServe.quietCacheFailures(); // the review says what failed, in one line
    AdmissionHandler.Answer answer;
    try (AdmissionHandler handler = b.buildHandler()) {
      // Completes by the deadline at the latest: the handler denies what is undecided then.
      answer = handler.review(cmd.mutate, body).join();
    } catch (AdmissionServer.StartException e) {
      throw new CliException(
          e.kind() == AdmissionServer.StartException.Kind.BAD_INPUT ? ExitCode.BAD_INPUT : ExitCode.ENVIRONMENT,
          e.getMessage(), e);
    }
    AdmissionHandler.Reply reply = answer.reply();
    if (answer.verdict().isEmpty()) {
      throw refused(source, reply, f.maxRequestBytes);
    }
    AdmissionHandler.Verdict v = answer.verdict().get();
    if (cmd.global.json()) {
      terminal.out().println(new String(reply.body(), StandardCharsets.UTF_8));
    } else {
      print(terminal, v, cmd.mutate);
    }
    terminal.out().flush();
    return v.allowed() ? ExitCode.OK : ExitCode.VERIFICATION_FAILED;
  }

  /** The CLI's error for a body the handler refused without deciding (the webhook's 400 and 413 answers). */
  private static CliException refused(String source, AdmissionHandler.Reply reply, int max) {
    String text = new String(reply.body(), StandardCharsets.UTF_8).strip();
    return switch (reply.status()) {
      case 400 -> CliException.badInput(source + ": " + text);
      case 413 -> CliException.badInput(
          source + ": expected an AdmissionReview of at most " + max + " bytes (--max-request-bytes), found more");
      default -> CliException.environment(source + ": the webhook answered " + reply.status() + " (" + text + ")", null);
    };
  }

  /** Reads the review, at most {@code max + 1} bytes (the handler refuses more, as the server does). */
  private static byte[] read(String input, int max, Terminal terminal) throws CliException {
    if (input.equals("-")) {
      try {
        return terminal.in().readNBytes(max + 1);
      } catch (IOException e) {
        throw CliException.badInput("standard input: could not be read (" + e.getMessage() + ")");
      }
    }
    Path path = Path.of(input);
    InputFiles.requireRegularFile(path, "review");
    try (InputStream in = Files.newInputStream(path)) {
      return in.readNBytes(max + 1);
    } catch (IOException e) {
      throw InputFiles.unreadable(path, "review", e);
    }
  }

  static WorkloadKind kind(String name) throws CliException {
    List<String> names = new ArrayList<>();
    for (WorkloadKind k : WorkloadKind.values()) {
      if (k.kind().equalsIgnoreCase(name)) {
        return k;
      }
      names.add(k.kind());
    }
    throw CliException.badInput("--kind: expected " + String.join(", ", names) + ", found \"" + name + "\"");
  }

  private static boolean isDnsLabel(String s) {
    if (s.isEmpty() || s.length() > 63 || s.startsWith("-") || s.endsWith("-")) {
      return false;
    }
    for (char c : s.toCharArray()) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /**
   * The verdict for people: {@code Allowed:} or {@code Denied:} and the object, each image with where the object uses
   * it and the engine's explanation, the warnings, and (mutate) the patch.
   */
  static void print(Terminal terminal, AdmissionHandler.Verdict v, boolean mutate) {
    java.io.PrintWriter out = terminal.out();
    out.println((v.allowed() ? "Allowed: " : "Denied: ") + v.object()
        + v.skipped().map(s -> " (not verified: " + s + ")").orElse(""));
    boolean named = false;
    for (AdmissionHandler.ImageVerdict i : v.images()) {
      out.println("  " + (i.allowed() ? "allowed " : "denied  ") + i.image() + " (" + i.where() + ")");
      out.println("    " + i.detail());
      named |= !i.allowed();
    }
    if (!v.allowed() && !named) {
      out.println("  " + v.message());
    }
    for (String w : v.warnings()) {
      out.println("Warning: " + w);
    }
    if (mutate && v.allowed()) {
      if (v.patch().isEmpty()) {
        out.println("Patch: none (every image is already pinned by digest, or nothing was verified)");
      }
      for (AdmissionReviews.Replace r : v.patch()) {
        out.println("Patch: replace " + r.path() + " with " + r.value());
      }
    }
  }
}

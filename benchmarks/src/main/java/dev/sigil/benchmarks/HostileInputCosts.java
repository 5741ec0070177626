package dev.sigil.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.sigil.testkit.HostileInputs;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.bundle.BundleParseException;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.trust.PublicGood;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU cost of every hostile bundle of {@link HostileInputs} (each at most 16 MiB): parse and verify against the
 * public-good root with an identity policy, as {@code sigil verify-bundle} does, single thread. The peer in the same
 * run is {@code baseline-happy-path}, the real 5 KiB happy-path v0.3 bundle.
 *
 * <p>CPU time, not wall time: the machines this project runs on are shared (load averages of 20 on 2 cores while
 * this was written), and wall time there measures the neighbours. For each input: the first (cold) run, then after 5
 * warm-up runs the median and the largest of 10 runs, as the calling thread's CPU time and as the whole process's
 * (which adds garbage collection and JIT compilation on other threads). The largest process figure over all inputs
 * is the bound SECURITY.md states.
 *
 * <pre>
 *   mvn -B -q -pl benchmarks -am package -DskipTests
 *   java -Xmx2g -cp benchmarks/target/benchmarks.jar dev.sigil.benchmarks.HostileInputCosts [name-prefix]
 * </pre>
 */
public final class HostileInputCosts {
  private static final String SAN =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
          + "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  private static final String ISSUER = "https://token.actions.githubusercontent.com";
  private static final int WARMUP = 5;
  private static final int RUNS = 10;

  private HostileInputCosts() {}

  public static void main(String[] args) {
    String only = args.length > 0 ? args[0] : "";
    byte[] seed = resource("bench/happy-path-v0.3/bundle.sigstore.json");
    Map<String, byte[]> inputs = new LinkedHashMap<>();
    inputs.put("baseline-happy-path", seed);
    for (HostileInputs.Case c : HostileInputs.cases()) {
      if (c.name().startsWith(only)) {
        inputs.put(c.name(), c.build().apply(seed));
      }
    }
    Verifier verifier = Verifier.create(PublicGood.trustedRoot());
    VerificationPolicy policy =
        VerificationPolicy.identity(Artifact.ofContent(resource("bench/a.txt")), IdentityMatcher.exact(SAN, ISSUER));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.out.printf(
        "%-32s %9s %-22s %10s | %10s %10s | %10s %10s%n",
        "input", "KiB", "outcome", "cold ms", "thread med", "thread max", "proc med", "proc max");
    double worst = 0;
    String worstName = "";
    for (Map.Entry<String, byte[]> in : inputs.entrySet()) {
      byte[] bytes = in.getValue();
      long[] thread = new long[RUNS];
      long[] process = new long[RUNS];
      long cold = 0;
      String outcome = "";
      for (int i = 0; i < 1 + WARMUP + RUNS; i++) {
        long t0 = threads.getCurrentThreadCpuTime();
        long p0 = os.getProcessCpuTime();
        outcome = run(bytes, verifier, policy);
        long t = threads.getCurrentThreadCpuTime() - t0;
        long p = os.getProcessCpuTime() - p0;
        if (i == 0) {
          cold = p;
        } else if (i > WARMUP) {
          thread[i - WARMUP - 1] = t;
          process[i - WARMUP - 1] = p;
        }
      }
      Arrays.sort(thread);
      Arrays.sort(process);
      double procMax = process[RUNS - 1] / 1e6;
      if (!in.getKey().startsWith("baseline") && procMax > worst) {
        worst = procMax;
        worstName = in.getKey();
      }
      System.out.printf(
          "%-32s %9d %-22s %10.1f | %10.1f %10.1f | %10.1f %10.1f%n",
          in.getKey(), bytes.length / 1024, outcome, cold / 1e6, thread[RUNS / 2] / 1e6, thread[RUNS - 1] / 1e6,
          process[RUNS / 2] / 1e6, procMax);
    }
    System.out.printf("worst warm process CPU per input: %.1f ms (%s)%n", worst, worstName);
  }

  /** Parse and verify; the outcome as a short word (parse error, the rejection's reason, or verified). */
  private static String run(byte[] bytes, Verifier verifier, VerificationPolicy policy) {
    try {
      VerificationResult r = verifier.verify(new BundleParser().parse(bytes), policy);
      return r instanceof VerificationResult.Rejected rej ? rej.reason().name() : "VERIFIED";
    } catch (BundleParseException e) {
      return "PARSE_ERROR";
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = HostileInputCosts.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

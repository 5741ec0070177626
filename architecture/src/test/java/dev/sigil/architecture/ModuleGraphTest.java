package dev.sigil.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module graph of docs/ARCHITECTURE.md, as a test over every module's main classes: each module's packages may
 * use only the modules the graph allows; the verifier's {@code internal} packages are used by no other module except
 * where listed below, with the reason; and modules form no cycle.
 *
 * <pre>
 * cli, admission -> policy -> images, attestations -> verifier (-> its internals)
 * images -> oci;  signer -> verifier, oci, attestations;  tuf -> verifier;  oci and attestations stand apart
 * sandbox -> verifier (and signer, for self-checks)
 * </pre>
 */
class ModuleGraphTest {
  static JavaClasses classes;

  /** Module (top-level package under dev.sigil) -> the other modules it may use. */
  static final Map<String, Set<String>> ALLOWED =
      Map.ofEntries(
          Map.entry("attestations", Set.of()),
          Map.entry("oci", Set.of()),
          Map.entry("testkit", Set.of()),
          Map.entry("verifier", Set.of("attestations")),
          Map.entry("tuf", Set.of("verifier")),
          Map.entry("images", Set.of("oci", "verifier", "attestations")),
          Map.entry("signer", Set.of("verifier", "oci", "attestations")),
          Map.entry("policy", Set.of("verifier", "images", "oci", "attestations")),
          Map.entry("sandbox", Set.of("verifier", "signer")),
          Map.entry("admission", Set.of("policy", "images", "oci", "verifier", "attestations", "tuf")),
          Map.entry(
              "cli",
              Set.of("verifier", "attestations", "oci", "images", "signer", "policy", "sandbox", "tuf", "admission")));

  /**
   * Other modules that may use the verifier's internal packages, each with the packages and why. The sandbox is a
   * Sigstore: it builds what the verifier checks with the same Merkle tree, signed notes, Rekor bodies and keys. The
   * signer makes the same Rekor bodies and reads keys as the verifier does. The CLI reads key files and chooses the
   * fast-start crypto.
   */
  static final Map<String, Set<String>> INTERNAL_ALLOWED =
      Map.of(
          "sandbox", Set.of("", "tlog", "crypto", "certificate", "json", "pem", "util"),
          "signer", Set.of("tlog", "crypto", "certificate", "pem", "json"),
          "cli", Set.of("crypto", "faststart", "pem", "tlog"));

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.sigil");
  }

  @Test
  void modulesUseOnlyWhatTheGraphAllows() {
    List<String> all = new ArrayList<>(ALLOWED.keySet());
    for (Map.Entry<String, Set<String>> e : ALLOWED.entrySet()) {
      List<String> forbidden = new ArrayList<>();
      for (String other : all) {
        if (!other.equals(e.getKey()) && !e.getValue().contains(other)) {
          forbidden.add("dev.sigil." + other + "..");
        }
      }
      if (forbidden.isEmpty()) {
        continue;
      }
      noClasses()
          .that()
          .resideInAPackage("dev.sigil." + e.getKey() + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(forbidden.toArray(new String[0]))
          .because("docs/ARCHITECTURE.md: " + e.getKey() + " may use only " + e.getValue())
          .allowEmptyShould(true)
          .check(classes);
    }
  }

  @Test
  void verifierInternalsStayInsideTheVerifier() {
    for (String module : ALLOWED.keySet()) {
      if (module.equals("verifier")) {
        continue;
      }
      Set<String> allowed = INTERNAL_ALLOWED.getOrDefault(module, Set.of());
      List<String> forbidden = new ArrayList<>();
      for (String pkg : List.of("certificate", "crypto", "json", "timestamp", "tlog", "util", "pem", "faststart", "")) {
        if (!allowed.contains(pkg)) {
          forbidden.add(pkg.isEmpty() ? "dev.sigil.verifier.internal" : "dev.sigil.verifier.internal." + pkg + "..");
        }
      }
      noClasses()
          .that()
          .resideInAPackage("dev.sigil." + module + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(forbidden.toArray(new String[0]))
          .because("the verifier's internals are not an API; " + module + " may use only " + allowed)
          .allowEmptyShould(true)
          .check(classes);
    }
  }

  @Test
  void modulesFormNoCycle() {
    slices().matching("dev.sigil.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void verifierInternalPackagesFormNoCycle() {
    slices().matching("dev.sigil.verifier.internal.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theWebhookHoldsNoCryptoAndAssemblesNoTrust() {
    // dev.sigil.admission.tls reads the HTTPS server's own certificate and key (PEM, through BouncyCastle's PEM
    // parser, as the admission issue asks): transport security, not artifact verification, and the only place.
    noClasses()
        .that()
        .resideInAPackage("dev.sigil.admission..")
        .and()
        .resideOutsideOfPackage("dev.sigil.admission.tls..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.bouncycastle..", "java.security.cert..", "dev.sigil.verifier.internal..",
            "dev.sigil.verifier.entity..", "dev.sigil.verifier.bundle..")
        .because("the webhook adapts: decode, ask the policy engine, encode (STYLE rule 11)")
        .allowEmptyShould(true)
        .check(classes);
  }
}

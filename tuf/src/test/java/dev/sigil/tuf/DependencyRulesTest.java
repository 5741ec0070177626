package dev.sigil.tuf;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module's dependency rules, held by ArchUnit over its compiled classes: sigstore-java stays behind the TUF client
 * class, the classes one-shot verification loads reach neither it nor the network code, and the module uses only the
 * verifier's public trust types.
 */
class DependencyRulesTest {
  static JavaClasses main;

  @BeforeAll
  static void load() throws Exception {
    // The module's own classes directory, not a class path scan.
    Path classes = Path.of(TufTrustedRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPath(classes);
  }

  @Test
  void onlyTheTufClientUsesSigstoreJava() {
    noClasses().that().resideOutsideOfPackage("dev.sigil.tuf.internal")
        .or().haveNameNotMatching("dev\\.sigil\\.tuf\\.internal\\.(SigstoreTuf|JdkFetcher)(\\$.*)?")
        .should().dependOnClassesThat().resideInAPackage("dev.sigstore..")
        .because("sigstore-java is loaded only by an update, and its types never reach the API")
        .check(main);
  }

  @Test
  void whatOneShotVerificationLoadsStaysOffTheNetwork() {
    noClasses().that().haveSimpleNameStartingWith("TrustedRoot").and().haveSimpleNameNotStartingWith("TrustedRootRefresher")
        .or().haveSimpleNameStartingWith("TrustException")
        .should().dependOnClassesThat().haveNameMatching(
            "dev\\.sigil\\.tuf\\.(TufTrustedRoot|TrustedRootRefresher|internal\\.SigstoreTuf|internal\\.JdkFetcher)(\\$.*)?")
        .orShould().dependOnClassesThat().resideInAnyPackage("dev.sigstore..", "java.net.http..")
        .because("sigil verify-blob resolves its trusted root through these on every run")
        .check(main);
  }

  @Test
  void usesOnlyTheVerifiersPublicTrustTypes() {
    classes().that().resideInAPackage("dev.sigil.tuf..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("dev.sigil.tuf..", "dev.sigil.verifier.trust",
            "dev.sigstore..", "com.fasterxml.jackson..", "java..", "javax.net..")
        .because("data flows cli/admission -> tuf -> verifier, through the verifier's API only")
        .check(main);
  }
}

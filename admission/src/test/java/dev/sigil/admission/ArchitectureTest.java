package dev.sigil.admission;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The webhook is an adapter: it decodes, asks the policy engine, and encodes. It holds no verification and no policy
 * code, and assembles no trust beyond handing the engine a trusted root: these rules keep it that way.
 */
class ArchitectureTest {
  static JavaClasses main;

  @BeforeAll
  static void load() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.sigil.admission");
  }

  @Test
  void noVerificationInTheWebhook() {
    // The verifier's API beyond the trusted root type is the engine's business, and its internals nobody's but its own.
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "dev.sigil.verifier", "dev.sigil.verifier.bundle..", "dev.sigil.verifier.cosign..",
            "dev.sigil.verifier.entity..", "dev.sigil.verifier.internal..", "dev.sigil.attestations..",
            "dev.sigil.signer..")
        .because("the policy engine decides and the verifier verifies; the webhook only adapts")
        .check(main);
  }

  @Test
  void noCryptoExceptTheServingCertificate() {
    noClasses().that().resideOutsideOfPackage("dev.sigil.admission.tls..").and().doNotHaveSimpleName("AdmissionServer")
        .should().dependOnClassesThat(
            com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(
                    "org.bouncycastle..", "java.security..", "javax.crypto..")
                .and(com.tngtech.archunit.base.DescribedPredicate.not(
                    com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf(
                        java.security.MessageDigest.class, java.security.NoSuchAlgorithmException.class))))
        .because("key material is read in one place, for TLS only (hashing files to notice changes is not crypto)")
        .check(main);
  }

  @Test
  void noPolicyDecisionsOfItsOwn() {
    // Only the engine's API: compile, match, verify, decide, and the values it returns.
    noClasses().should().callMethodWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
            com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                com.tngtech.archunit.base.DescribedPredicate.describe("images' verifier",
                    c -> c.getName().equals("dev.sigil.images.ImageVerifier")))))
        .because("images are verified through the policy engine, never directly")
        .check(main);
  }
}

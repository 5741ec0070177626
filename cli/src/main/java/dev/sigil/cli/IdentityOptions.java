package dev.sigil.cli;

import dev.sigil.verifier.IdentityMatcher;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Option;

/** The certificate-identity flags of the verify commands (cosign's names). */
final class IdentityOptions {
  @Option(names = "--certificate-identity", paramLabel = "SAN", description = "Expected signer identity (exact SAN).")
  String identity;

  @Option(names = "--certificate-identity-regexp", paramLabel = "REGEX",
      description = "Expected signer identity as a regular expression (must match the whole SAN).")
  String identityRegexp;

  @Option(names = "--certificate-oidc-issuer", paramLabel = "URL", description = "Expected OIDC issuer (exact).")
  String issuer;

  @Option(names = "--certificate-oidc-issuer-regexp", paramLabel = "REGEX",
      description = "Expected OIDC issuer as a regular expression (must match the whole issuer).")
  String issuerRegexp;

  @Option(names = "--certificate-github-workflow-trigger", paramLabel = "EVENT", description = "Expected GitHub workflow trigger.")
  String workflowTrigger;

  @Option(names = "--certificate-github-workflow-sha", paramLabel = "SHA", description = "Expected GitHub workflow commit SHA.")
  String workflowSha;

  @Option(names = "--certificate-github-workflow-name", paramLabel = "NAME", description = "Expected GitHub workflow name.")
  String workflowName;

  @Option(names = "--certificate-github-workflow-repository", paramLabel = "REPO", description = "Expected GitHub repository.")
  String workflowRepository;

  @Option(names = "--certificate-github-workflow-ref", paramLabel = "REF", description = "Expected GitHub ref.")
  String workflowRef;

  boolean any() {
    return identity != null || identityRegexp != null || issuer != null || issuerRegexp != null
        || workflowTrigger != null || workflowSha != null || workflowName != null || workflowRepository != null
        || workflowRef != null;
  }

  IdentityMatcher matcher() throws CliException {
    if (identity == null && identityRegexp == null) {
      throw CliException.badInput(
          "usage: expected --certificate-identity or --certificate-identity-regexp, found neither");
    }
    if (issuer == null && issuerRegexp == null) {
      throw CliException.badInput(
          "usage: expected --certificate-oidc-issuer or --certificate-oidc-issuer-regexp, found neither");
    }
    try {
      IdentityMatcher.Builder b = IdentityMatcher.builder();
      if (identity != null) {
        b.subjectAlternativeName(identity);
      }
      if (identityRegexp != null) {
        b.subjectAlternativeNameRegex(identityRegexp);
      }
      if (issuer != null) {
        b.issuer(issuer);
      }
      if (issuerRegexp != null) {
        b.issuerRegex(issuerRegexp);
      }
      if (workflowTrigger != null) {
        b.githubWorkflowTrigger(workflowTrigger);
      }
      if (workflowSha != null) {
        b.githubWorkflowSha(workflowSha);
      }
      if (workflowName != null) {
        b.githubWorkflowName(workflowName);
      }
      if (workflowRepository != null) {
        b.githubWorkflowRepository(workflowRepository);
      }
      if (workflowRef != null) {
        b.githubWorkflowRef(workflowRef);
      }
      return b.build();
    } catch (PatternSyntaxException e) {
      throw CliException.badInput("regular expression: " + e.getDescription() + " in \"" + e.getPattern() + "\"");
    } catch (IllegalArgumentException e) {
      throw CliException.badInput("certificate identity: " + e.getMessage());
    }
  }
}

package dev.sigil.verifier;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * An immutable expectation of who signed: constraints on a Fulcio certificate's subject alternative name, its OIDC
 * issuer, and optionally other Fulcio extension claims. Thread-safe; build once with {@link #builder()} and reuse.
 *
 * <p>Every matcher constrains both the SAN and the issuer: {@link Builder#build()} refuses a matcher without either,
 * because a matcher missing one accepts signers nobody chose (any workflow of any repository the issuer vouches for,
 * or the same name from any identity provider). This is what cosign and sigstore-go require too.
 *
 * <p><b>Regular expressions must match the whole value</b> ({@link java.util.regex.Matcher#matches()}, as if
 * anchored with {@code ^...$}). This is deliberately stricter than cosign's {@code --certificate-identity-regexp} and
 * sigstore-go, which search for the pattern anywhere in the value, so that {@code https://github.com/org/repo/.*}
 * cannot be satisfied by {@code https://evil.example/?https://github.com/org/repo/x}. Patterns written for cosign
 * that rely on substring search need an explicit {@code .*} where they mean "anything".
 *
 * <p>A SAN constraint is satisfied when any of the certificate's SAN entries (email, URI, username, DNS, IP) satisfies
 * it, as cosign does; Fulcio issues exactly one.
 */
public final class IdentityMatcher {
  private final List<Constraint> constraints;

  private IdentityMatcher(List<Constraint> constraints) {
    this.constraints = List.copyOf(constraints);
  }

  /** A matcher requiring exactly this SAN and exactly this issuer. */
  public static IdentityMatcher exact(String subjectAlternativeName, String issuer) {
    return builder().subjectAlternativeName(subjectAlternativeName).issuer(issuer).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks a verified certificate against every constraint, one {@link Check} per constraint (step
   * {@link Check.Step#SUBJECT_ALTERNATIVE_NAME}, {@link Check.Step#OIDC_ISSUER} or {@link Check.Step#FULCIO_EXTENSION}); never throws for a non-matching certificate.
   */
  public List<Check> evaluate(CertificateSigner certificate) {
    Objects.requireNonNull(certificate, "certificate");
    List<Check> checks = new ArrayList<>(constraints.size());
    for (Constraint c : constraints) {
      checks.add(c.evaluate(certificate));
    }
    return List.copyOf(checks);
  }

  /** Whether the certificate satisfies every constraint. */
  public boolean matches(CertificateSigner certificate) {
    for (Check c : evaluate(certificate)) {
      if (c.outcome() != Check.Outcome.PASSED) {
        return false;
      }
    }
    return true;
  }

  /** One line per constraint, e.g. {@code certificate SAN = https://...}. */
  public List<String> describeConstraints() {
    return constraints.stream().map(Constraint::describe).toList();
  }

  @Override
  public String toString() {
    return "IdentityMatcher" + describeConstraints();
  }

  /**
   * Collects constraints. Not thread-safe; {@link #build()} returns an immutable matcher. Each setter replaces a
   * previous value of the same kind.
   */
  public static final class Builder {
    private String sanExact;
    private Pattern sanRegex;
    private String issuerExact;
    private Pattern issuerRegex;
    private final Map<FulcioExtension, String> claims = new EnumMap<>(FulcioExtension.class);

    private Builder() {}

    /** The certificate must carry a SAN entry equal to {@code value}. */
    public Builder subjectAlternativeName(String value) {
      this.sanExact = requireNonEmpty(value, "subject alternative name");
      return this;
    }

    /**
     * The certificate must carry a SAN entry that {@code regex} matches in full (anchored; see the class comment).
     *
     * @throws IllegalArgumentException if the pattern does not compile
     */
    public Builder subjectAlternativeNameRegex(String regex) {
      this.sanRegex = compile(regex, "subject alternative name regex");
      return this;
    }

    /** The certificate's OIDC issuer must equal {@code value}. */
    public Builder issuer(String value) {
      this.issuerExact = requireNonEmpty(value, "issuer");
      return this;
    }

    /**
     * The certificate's OIDC issuer must be matched in full by {@code regex} (anchored; see the class comment).
     *
     * @throws IllegalArgumentException if the pattern does not compile
     */
    public Builder issuerRegex(String regex) {
      this.issuerRegex = compile(regex, "issuer regex");
      return this;
    }

    /**
     * The certificate must carry this Fulcio extension with exactly this value.
     *
     * @throws IllegalArgumentException for the issuer extensions (use {@link #issuer(String)}) or an empty value
     */
    public Builder extension(FulcioExtension extension, String value) {
      Objects.requireNonNull(extension, "extension");
      if (extension.isIssuer()) {
        throw new IllegalArgumentException(
            "extension claim: expected a non-issuer Fulcio extension, found "
                + extension.describe()
                + "; constrain the issuer with issuer(...) or issuerRegex(...)");
      }
      claims.put(extension, requireNonEmpty(value, "extension " + extension.claimName()));
      return this;
    }

    /**
     * The certificate must carry the Fulcio extension with this name, sigstore-go's field name (e.g.
     * {@code sourceRepositoryURI}) or the kebab-case claim name (e.g. {@code source-repository-uri}), with exactly
     * this value.
     *
     * @throws IllegalArgumentException if no Fulcio extension has that name
     */
    public Builder extension(String claimName, String value) {
      Objects.requireNonNull(claimName, "claimName");
      Optional<FulcioExtension> e = FulcioExtension.byName(claimName);
      if (e.isEmpty()) {
        throw new IllegalArgumentException(
            "extension claim: expected one of "
                + java.util.Arrays.stream(FulcioExtension.values())
                    .filter(x -> !x.isIssuer())
                    .map(FulcioExtension::fieldName)
                    .collect(Collectors.joining(", "))
                + ", found \""
                + claimName
                + "\"");
      }
      return extension(e.get(), value);
    }

    /** cosign's {@code --certificate-github-workflow-trigger}: deprecated extension 1.2. */
    public Builder githubWorkflowTrigger(String value) {
      return extension(FulcioExtension.GITHUB_WORKFLOW_TRIGGER, value);
    }

    /** cosign's {@code --certificate-github-workflow-sha}: deprecated extension 1.3. */
    public Builder githubWorkflowSha(String value) {
      return extension(FulcioExtension.GITHUB_WORKFLOW_SHA, value);
    }

    /** cosign's {@code --certificate-github-workflow-name}: deprecated extension 1.4. */
    public Builder githubWorkflowName(String value) {
      return extension(FulcioExtension.GITHUB_WORKFLOW_NAME, value);
    }

    /** cosign's {@code --certificate-github-workflow-repository}: deprecated extension 1.5. */
    public Builder githubWorkflowRepository(String value) {
      return extension(FulcioExtension.GITHUB_WORKFLOW_REPOSITORY, value);
    }

    /** cosign's {@code --certificate-github-workflow-ref}: deprecated extension 1.6. */
    public Builder githubWorkflowRef(String value) {
      return extension(FulcioExtension.GITHUB_WORKFLOW_REF, value);
    }

    /**
     * The matcher.
     *
     * @throws IllegalArgumentException if there is no SAN constraint or no issuer constraint
     */
    public IdentityMatcher build() {
      boolean hasSan = sanExact != null || sanRegex != null;
      boolean hasIssuer = issuerExact != null || issuerRegex != null;
      if (!hasSan || !hasIssuer) {
        throw new IllegalArgumentException(
            "identity matcher: expected both a subject alternative name constraint and an issuer constraint, found "
                + (hasSan ? "" : "no SAN constraint")
                + (!hasSan && !hasIssuer ? " and " : "")
                + (hasIssuer ? "" : "no issuer constraint")
                + "; a matcher without them would accept signers nobody chose");
      }
      List<Constraint> cs = new ArrayList<>();
      if (sanExact != null) {
        cs.add(new SanExact(sanExact));
      }
      if (sanRegex != null) {
        cs.add(new SanRegex(sanRegex));
      }
      if (issuerExact != null) {
        cs.add(new IssuerExact(issuerExact));
      }
      if (issuerRegex != null) {
        cs.add(new IssuerRegex(issuerRegex));
      }
      for (Map.Entry<FulcioExtension, String> c : claims.entrySet()) {
        cs.add(new ExtensionExact(c.getKey(), c.getValue()));
      }
      return new IdentityMatcher(cs);
    }

    private static String requireNonEmpty(String value, String what) {
      Objects.requireNonNull(value, what);
      if (value.isEmpty()) {
        throw new IllegalArgumentException(what + ": expected a non-empty value, found an empty string");
      }
      return value;
    }

    private static Pattern compile(String regex, String what) {
      requireNonEmpty(regex, what);
      try {
        return Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            what + ": expected a java.util.regex pattern, found \"" + regex + "\" (" + e.getDescription() + ")", e);
      }
    }
  }

  private sealed interface Constraint permits SanExact, SanRegex, IssuerExact, IssuerRegex, ExtensionExact {
    Check evaluate(CertificateSigner cert);

    String describe();
  }

  private static String sansFound(CertificateSigner cert) {
    List<SubjectAlternativeName> sans = cert.subjectAlternativeNames();
    if (sans.isEmpty()) {
      return "no subject alternative name";
    }
    StringBuilder sb = new StringBuilder();
    for (SubjectAlternativeName s : sans) {
      sb.append(sb.length() == 0 ? "" : ", ").append(s.describe());
    }
    return sb.toString();
  }

  private static String issuerFound(CertificateSigner cert) {
    return cert.issuer().orElse("no issuer extension (1.3.6.1.4.1.57264.1.8 or .1.1)");
  }

  private record SanExact(String expected) implements Constraint {
    @Override
    public Check evaluate(CertificateSigner cert) {
      boolean ok = false;
      for (SubjectAlternativeName s : cert.subjectAlternativeNames()) {
        ok |= s.value().equals(expected);
      }
      return ok
          ? Check.passed(Check.Step.SUBJECT_ALTERNATIVE_NAME, expected, sansFound(cert))
          : Check.failed(Check.Step.SUBJECT_ALTERNATIVE_NAME, Reason.IDENTITY_MISMATCH, expected, sansFound(cert));
    }

    @Override
    public String describe() {
      return "certificate SAN = " + expected;
    }
  }

  private record SanRegex(Pattern pattern) implements Constraint {
    @Override
    public Check evaluate(CertificateSigner cert) {
      boolean ok = false;
      for (SubjectAlternativeName s : cert.subjectAlternativeNames()) {
        ok = ok || pattern.matcher(s.value()).matches();
      }
      String expected = "a SAN matching /" + pattern.pattern() + "/ in full";
      return ok
          ? Check.passed(Check.Step.SUBJECT_ALTERNATIVE_NAME, expected, sansFound(cert))
          : Check.failed(Check.Step.SUBJECT_ALTERNATIVE_NAME, Reason.IDENTITY_MISMATCH, expected, sansFound(cert));
    }

    @Override
    public String describe() {
      return "certificate SAN matches /" + pattern.pattern() + "/ in full";
    }
  }

  private record IssuerExact(String expected) implements Constraint {
    @Override
    public Check evaluate(CertificateSigner cert) {
      Optional<String> issuer = cert.issuer();
      boolean ok = issuer.isPresent() && expected.equals(issuer.get());
      return ok
          ? Check.passed(Check.Step.OIDC_ISSUER, expected, issuerFound(cert))
          : Check.failed(Check.Step.OIDC_ISSUER, Reason.ISSUER_MISMATCH, expected, issuerFound(cert));
    }

    @Override
    public String describe() {
      return "certificate OIDC issuer = " + expected;
    }
  }

  private record IssuerRegex(Pattern pattern) implements Constraint {
    @Override
    public Check evaluate(CertificateSigner cert) {
      Optional<String> issuer = cert.issuer();
      boolean ok = issuer.isPresent() && pattern.matcher(issuer.get()).matches();
      String expected = "an issuer matching /" + pattern.pattern() + "/ in full";
      return ok
          ? Check.passed(Check.Step.OIDC_ISSUER, expected, issuerFound(cert))
          : Check.failed(Check.Step.OIDC_ISSUER, Reason.ISSUER_MISMATCH, expected, issuerFound(cert));
    }

    @Override
    public String describe() {
      return "certificate OIDC issuer matches /" + pattern.pattern() + "/ in full";
    }
  }

  private record ExtensionExact(FulcioExtension extension, String expected) implements Constraint {
    @Override
    public Check evaluate(CertificateSigner cert) {
      Optional<String> actual = cert.extension(extension);
      String what = expected + " in " + extension.describe();
      String found = actual.orElse("extension absent");
      return actual.isPresent() && expected.equals(actual.get())
          ? Check.passed(Check.Step.FULCIO_EXTENSION, what, found)
          : Check.failed(Check.Step.FULCIO_EXTENSION, Reason.CLAIM_MISMATCH, what, found);
    }

    @Override
    public String describe() {
      return "certificate extension " + extension.describe() + " = " + expected;
    }
  }
}

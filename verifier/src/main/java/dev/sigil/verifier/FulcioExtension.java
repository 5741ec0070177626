package dev.sigil.verifier;

import java.util.Optional;

/**
 * The X.509 extensions Fulcio puts in signing certificates, under Sigstore's private enterprise number
 * {@code 1.3.6.1.4.1.57264.1}, each with sigstore-go's lowerCamelCase field name (what policies use) and the
 * kebab-case claim name Sigil's CLI uses.
 *
 * <p>Source: Fulcio {@code docs/oid-info.md}. {@code .1} to {@code .6} are deprecated and hold the value as raw bytes
 * (no DER); {@code .8} onwards hold a DER {@code UTF8String}. {@code .7} is not an extension but the otherName type
 * of a username SAN (see {@link SubjectAlternativeName.Type#USERNAME}).
 */
public enum FulcioExtension {
  /** 1.1, deprecated in favour of {@link #ISSUER}. */
  ISSUER_V1(1, "issuerV1", "issuer-v1", Encoding.RAW, true),
  /** 1.2, GitHub {@code event_name}; deprecated in favour of {@link #BUILD_TRIGGER}. */
  GITHUB_WORKFLOW_TRIGGER(2, "githubWorkflowTrigger", "github-workflow-trigger", Encoding.RAW, true),
  /** 1.3, GitHub {@code sha}; deprecated in favour of {@link #SOURCE_REPOSITORY_DIGEST}. */
  GITHUB_WORKFLOW_SHA(3, "githubWorkflowSHA", "github-workflow-sha", Encoding.RAW, true),
  /** 1.4, GitHub {@code workflow}; deprecated in favour of the build-config extensions. */
  GITHUB_WORKFLOW_NAME(4, "githubWorkflowName", "github-workflow-name", Encoding.RAW, true),
  /** 1.5, GitHub {@code repository}; deprecated in favour of {@link #SOURCE_REPOSITORY_URI}. */
  GITHUB_WORKFLOW_REPOSITORY(5, "githubWorkflowRepository", "github-workflow-repository", Encoding.RAW, true),
  /** 1.6, GitHub {@code ref}; deprecated in favour of {@link #SOURCE_REPOSITORY_REF}. */
  GITHUB_WORKFLOW_REF(6, "githubWorkflowRef", "github-workflow-ref", Encoding.RAW, true),
  /** 1.8, the OIDC issuer ("Issuer (V2)"). */
  ISSUER(8, "issuer", "issuer", Encoding.DER_UTF8_STRING, false),
  BUILD_SIGNER_URI(9, "buildSignerURI", "build-signer-uri", Encoding.DER_UTF8_STRING, false),
  BUILD_SIGNER_DIGEST(10, "buildSignerDigest", "build-signer-digest", Encoding.DER_UTF8_STRING, false),
  RUNNER_ENVIRONMENT(11, "runnerEnvironment", "runner-environment", Encoding.DER_UTF8_STRING, false),
  SOURCE_REPOSITORY_URI(12, "sourceRepositoryURI", "source-repository-uri", Encoding.DER_UTF8_STRING, false),
  SOURCE_REPOSITORY_DIGEST(13, "sourceRepositoryDigest", "source-repository-digest", Encoding.DER_UTF8_STRING, false),
  SOURCE_REPOSITORY_REF(14, "sourceRepositoryRef", "source-repository-ref", Encoding.DER_UTF8_STRING, false),
  SOURCE_REPOSITORY_IDENTIFIER(15, "sourceRepositoryIdentifier", "source-repository-identifier", Encoding.DER_UTF8_STRING, false),
  SOURCE_REPOSITORY_OWNER_URI(16, "sourceRepositoryOwnerURI", "source-repository-owner-uri", Encoding.DER_UTF8_STRING, false),
  SOURCE_REPOSITORY_OWNER_IDENTIFIER(17, "sourceRepositoryOwnerIdentifier", "source-repository-owner-identifier", Encoding.DER_UTF8_STRING, false),
  BUILD_CONFIG_URI(18, "buildConfigURI", "build-config-uri", Encoding.DER_UTF8_STRING, false),
  BUILD_CONFIG_DIGEST(19, "buildConfigDigest", "build-config-digest", Encoding.DER_UTF8_STRING, false),
  BUILD_TRIGGER(20, "buildTrigger", "build-trigger", Encoding.DER_UTF8_STRING, false),
  RUN_INVOCATION_URI(21, "runInvocationURI", "run-invocation-uri", Encoding.DER_UTF8_STRING, false),
  SOURCE_REPOSITORY_VISIBILITY_AT_SIGNING(
      22, "sourceRepositoryVisibilityAtSigning", "source-repository-visibility-at-signing", Encoding.DER_UTF8_STRING, false),
  /** 1.23, listed in oid-info.md after 1.22 (GitHub deployment environment). */
  DEPLOYMENT_ENVIRONMENT(23, "deploymentEnvironment", "deployment-environment", Encoding.DER_UTF8_STRING, false);

  /** The arc every Fulcio extension lives under. */
  public static final String FULCIO_ARC = "1.3.6.1.4.1.57264.1";

  /** How an extension's value (the contents of its {@code extnValue} OCTET STRING) is encoded. */
  public enum Encoding {
    /** The value bytes are the string itself (UTF-8), with no ASN.1 wrapping. */
    RAW,
    /** The value bytes are one DER {@code UTF8String} (tag 0x0C) and nothing else. */
    DER_UTF8_STRING
  }

  private final int arc;
  private final String oid;
  private final String fieldName;
  private final String claimName;
  private final Encoding encoding;
  private final boolean deprecated;

  FulcioExtension(int arc, String fieldName, String claimName, Encoding encoding, boolean deprecated) {
    this.arc = arc;
    this.fieldName = fieldName;
    this.oid = FULCIO_ARC + "." + arc;
    this.claimName = claimName;
    this.encoding = encoding;
    this.deprecated = deprecated;
  }

  /** The dotted OID, e.g. {@code 1.3.6.1.4.1.57264.1.12}. */
  public String oid() {
    return oid;
  }

  /** The last OID arc, e.g. 12 for {@code 1.3.6.1.4.1.57264.1.12}. */
  public int arc() {
    return arc;
  }

  /**
   * The lowerCamelCase name sigstore-go gives this claim ({@code certificate.Extensions}), e.g.
   * {@code sourceRepositoryURI}: the name policies use.
   */
  public String fieldName() {
    return fieldName;
  }

  /** The kebab-case name Sigil uses in {@link FulcioCertificate#extensions()} and {@link IdentityMatcher}. */
  public String claimName() {
    return claimName;
  }

  public Encoding encoding() {
    return encoding;
  }

  public boolean deprecated() {
    return deprecated;
  }

  /** Whether this is one of the two OIDC issuer extensions (1.1 or 1.8), which are reported apart from the rest. */
  public boolean isIssuer() {
    return this == ISSUER || this == ISSUER_V1;
  }

  /** The extension with this kebab-case claim name. */
  public static Optional<FulcioExtension> byClaimName(String claimName) {
    for (FulcioExtension e : values()) {
      if (e.claimName.equals(claimName)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** The extension with this lowerCamelCase field name ({@link #fieldName()}) or kebab-case claim name. */
  public static Optional<FulcioExtension> byName(String name) {
    for (FulcioExtension e : values()) {
      if (e.fieldName.equals(name) || e.claimName.equals(name)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** The extension with this dotted OID. */
  public static Optional<FulcioExtension> byOid(String oid) {
    for (FulcioExtension e : values()) {
      if (e.oid.equals(oid)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** {@code claim-name (oid)}, for messages. */
  public String describe() {
    return claimName + " (" + oid + ")";
  }
}

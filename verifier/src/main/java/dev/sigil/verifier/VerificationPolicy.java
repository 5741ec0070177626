package dev.sigil.verifier;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller expects of one entity, per call: what was signed (an {@link Artifact}) and who must have signed it
 * (one of several certificate identities, or a trusted public key). Build with {@link #builder()}: {@code build()}
 * refuses a policy that names no artifact or no signer unless that was waived by name. Every waiver is an
 * {@code ...Unsafe} method. Immutable and thread-safe.
 */
public final class VerificationPolicy {
  /** Who must have signed. */
  enum SignerExpectation {
    IDENTITY,
    PUBLIC_KEY,
    ANY_UNSAFE
  }

  private final Artifact artifact;
  private final SignerExpectation signer;
  private final List<IdentityMatcher> identities;
  private final boolean transparencyLogRequired;

  private VerificationPolicy(Builder b) {
    this.artifact = b.artifact;
    this.signer = b.signer;
    this.identities = List.copyOf(b.identities);
    this.transparencyLogRequired = b.transparencyLogRequired;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A policy for {@code artifact}, signed by a certificate whose identity {@code identity} matches. */
  public static VerificationPolicy identity(Artifact artifact, IdentityMatcher identity) {
    return builder().artifact(artifact).identity(identity).build();
  }

  /** A policy for {@code artifact}, signed by a public key from the verifier's trusted material. */
  public static VerificationPolicy publicKey(Artifact artifact) {
    return builder().artifact(artifact).publicKey().build();
  }

  /** The artifact the entity must be a signature of; empty when waived ({@link Builder#withoutArtifactUnsafe()}). */
  public Optional<Artifact> artifact() {
    return Optional.ofNullable(artifact);
  }

  /** The certificate identities the signer must match, any one of them; empty unless a certificate is expected. */
  public List<IdentityMatcher> identities() {
    return identities;
  }

  /** Whether the entity must be signed with a trusted public key (rather than a certificate). */
  public boolean expectsPublicKey() {
    return signer == SignerExpectation.PUBLIC_KEY;
  }

  /** Whether the entity must carry a certificate whose identity matches one of {@link #identities()}. */
  public boolean expectsCertificate() {
    return signer == SignerExpectation.IDENTITY;
  }

  /** Whether any trusted signer is accepted, key or certificate ({@link Builder#withoutIdentityUnsafe()}). */
  public boolean anySignerUnsafe() {
    return signer == SignerExpectation.ANY_UNSAFE;
  }

  /** Whether the verifier's transparency-log requirement applies ({@code false}: waived by the caller). */
  public boolean transparencyLogRequired() {
    return transparencyLogRequired;
  }

  /** A builder. Not thread-safe. */
  public static final class Builder {
    private Artifact artifact;
    private boolean artifactWaived;
    private SignerExpectation signer;
    private final java.util.ArrayList<IdentityMatcher> identities = new java.util.ArrayList<>();
    private boolean transparencyLogRequired = true;

    private Builder() {}

    /** The entity must be a signature of this artifact (by digest, or by content for Ed25519). */
    public Builder artifact(Artifact a) {
      this.artifact = Objects.requireNonNull(a, "artifact");
      return this;
    }

    /**
     * Verify the signature over whatever the entity says was signed, without comparing it with an artifact. Unsafe:
     * the result says a signature exists, not that it covers anything the caller holds. For message signatures the
     * entity must record a digest; for DSSE envelopes the in-toto subject is not compared.
     */
    public Builder withoutArtifactUnsafe() {
      this.artifactWaived = true;
      return this;
    }

    /** The entity must carry a certificate whose identity this matcher accepts (several calls: any one of them). */
    public Builder identity(IdentityMatcher m) {
      expect(SignerExpectation.IDENTITY);
      identities.add(Objects.requireNonNull(m, "identity"));
      return this;
    }

    /** The entity must be signed by one of the public keys in the verifier's trusted material. */
    public Builder publicKey() {
      expect(SignerExpectation.PUBLIC_KEY);
      return this;
    }

    /**
     * Accept any signer the trusted material vouches for: any public key it lists, or any certificate from a trusted
     * CA whatever identity it names. Unsafe: anyone the CA issues certificates to (on public-good Sigstore, anyone
     * with an email address) can make a signature this accepts.
     */
    public Builder withoutIdentityUnsafe() {
      expect(SignerExpectation.ANY_UNSAFE);
      return this;
    }

    /**
     * Accept entities with no verified transparency-log entry. Unsafe: without a log entry nobody can audit that the
     * signature was ever made, and a stolen key can sign in secret. This is cosign's {@code --insecure-ignore-tlog}.
     */
    public Builder withoutTransparencyLogUnsafe() {
      this.transparencyLogRequired = false;
      return this;
    }

    private void expect(SignerExpectation e) {
      if (signer != null && signer != e) {
        throw new IllegalStateException(
            "signer: expected one of identity(...), publicKey() and withoutIdentityUnsafe(), found both "
                + signer
                + " and "
                + e);
      }
      signer = e;
    }

    /**
     * The policy.
     *
     * @throws IllegalStateException if neither an artifact nor {@link #withoutArtifactUnsafe()} was given, both
     *     were, or no signer expectation was given
     */
    public VerificationPolicy build() {
      if ((artifact == null) == !artifactWaived) {
        throw new IllegalStateException(
            "artifact: expected exactly one of artifact(...) and withoutArtifactUnsafe(), found "
                + (artifact == null ? "neither" : "both"));
      }
      if (signer == null) {
        throw new IllegalStateException(
            "signer: expected one of identity(...), publicKey() and withoutIdentityUnsafe(), found none");
      }
      return new VerificationPolicy(this);
    }
  }
}

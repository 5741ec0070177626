package dev.sigil.images;

import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageReference;
import dev.sigil.oci.InvalidReferenceException;
import dev.sigil.oci.OciException;
import dev.sigil.oci.RegistryReference;
import dev.sigil.oci.cosign.SimpleSigningPayload;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.bundle.HashAlgorithm;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an image signature means. Verifies every candidate in {@link ImageEvidence} through a {@link Verifier}, then
 * checks what the verified content names:
 *
 * <ul>
 *   <li>a legacy signature's simple-signing payload must name this image's manifest digest
 *       ({@code critical.image.docker-manifest-digest}) and, for registry images, the same repository
 *       ({@code critical.identity.docker-reference}, compared without tag or digest: containers/image writes a tag);
 *   <li>an attestation's (or a DSSE-bundle signature's) in-toto statement must have a subject with the image's
 *       digest (the verifier checks it, as for blobs), and a bundle signature's predicate type must be cosign's
 *       signing type.
 * </ul>
 *
 * <p>Pure: no I/O, no state. Every candidate gets an {@link Outcome}, accepted or refused with the reason.
 */
public final class ImageVerifier {
  private ImageVerifier() {}

  /**
   * Who must have signed, and whether the transparency log is required; per call, like a {@link VerificationPolicy}
   * without its artifact (the artifact differs per candidate: a payload, or the image digest).
   */
  public static final class Requirement {
    private final List<IdentityMatcher> identities;
    private final boolean publicKey;
    private final boolean anySigner;
    private final boolean tlogRequired;

    private Requirement(List<IdentityMatcher> identities, boolean publicKey, boolean anySigner, boolean tlogRequired) {
      this.identities = List.copyOf(identities);
      this.publicKey = publicKey;
      this.anySigner = anySigner;
      this.tlogRequired = tlogRequired;
    }

    /** Signed by a certificate whose identity any one of these matchers accepts. */
    public static Requirement identities(List<IdentityMatcher> identities) {
      if (identities.isEmpty()) {
        throw new IllegalArgumentException("identities: expected at least one, found none");
      }
      return new Requirement(identities, false, false, true);
    }

    /** Signed by a public key from the verifier's trusted material. */
    public static Requirement publicKey() {
      return new Requirement(List.of(), true, false, true);
    }

    /** Any signer the trusted material vouches for; the caller matches signers itself (the policy engine does). */
    public static Requirement anySignerUnsafe() {
      return new Requirement(List.of(), false, true, true);
    }

    /** The same, accepting entries without a verified transparency-log entry (cosign's --insecure-ignore-tlog). */
    public Requirement withoutTransparencyLogUnsafe() {
      return new Requirement(identities, publicKey, anySigner, false);
    }

    public boolean transparencyLogRequired() {
      return tlogRequired;
    }

    VerificationPolicy policy(Artifact artifact) {
      VerificationPolicy.Builder b = VerificationPolicy.builder().artifact(artifact);
      if (publicKey) {
        b.publicKey();
      } else if (anySigner) {
        b.withoutIdentityUnsafe();
      } else {
        for (IdentityMatcher m : identities) {
          b.identity(m);
        }
      }
      if (!tlogRequired) {
        b.withoutTransparencyLogUnsafe();
      }
      return b.build();
    }
  }

  /** Why a candidate was refused, beyond the verifier's own reasons. */
  public enum Refusal {
    /** The verifier rejected it; {@link Refused#verification()} holds the failed check and its reason code. */
    VERIFICATION_FAILED,
    /** A legacy signature's payload is not a simple-signing payload. */
    PAYLOAD_MALFORMED,
    /** The verified payload names another image's digest (a signature copied from another image). */
    DIGEST_MISMATCH,
    /** The verified payload names another repository. */
    REPOSITORY_MISMATCH,
    /** A bundle under the signature scheme whose verified statement is not cosign's signing predicate. */
    PREDICATE_TYPE_MISMATCH
  }

  /** What happened to one candidate. */
  public sealed interface Outcome permits Accepted, Refused {
    Candidate candidate();

    /** One line: where it was found, and accepted (by whom) or why not. */
    String describe();
  }

  /**
   * The candidate verified and names this image.
   *
   * @param payload for legacy signatures, the verified simple-signing payload
   */
  public record Accepted(Candidate candidate, VerificationResult.Verified verification, Optional<SimpleSigningPayload> payload)
      implements Outcome {
    public Accepted {
      Objects.requireNonNull(candidate, "candidate");
      Objects.requireNonNull(verification, "verification");
      Objects.requireNonNull(payload, "payload");
    }

    @Override
    public String describe() {
      return candidate.describe() + ": accepted, signed by " + verification.signer().describe();
    }
  }

  /**
   * The candidate was refused.
   *
   * @param verification the verifier's rejection, when {@code refusal} is {@link Refusal#VERIFICATION_FAILED}
   * @param detail what was expected and what was found
   */
  public record Refused(
      Candidate candidate, Refusal refusal, Optional<VerificationResult.Rejected> verification, String detail)
      implements Outcome {
    public Refused {
      Objects.requireNonNull(candidate, "candidate");
      Objects.requireNonNull(refusal, "refusal");
      Objects.requireNonNull(verification, "verification");
      Objects.requireNonNull(detail, "detail");
    }

    /** The reason code: the verifier's for verification failures, else the image-level refusal. */
    public String code() {
      return verification.isPresent() ? verification.get().reason().name() : refusal.name();
    }

    @Override
    public String describe() {
      return candidate.describe() + ": refused (" + code() + "): " + detail;
    }
  }

  /** Every signature and attestation of one image, each accepted or refused. */
  public record ImageVerification(ImageEvidence evidence, List<Outcome> signatures, List<Outcome> attestations) {
    public ImageVerification {
      Objects.requireNonNull(evidence, "evidence");
      signatures = List.copyOf(signatures);
      attestations = List.copyOf(attestations);
    }

    /** The signatures that verified and name this image. */
    public List<Accepted> acceptedSignatures() {
      return accepted(signatures);
    }

    /** The attestations that verified and name this image, any predicate type. */
    public List<Accepted> acceptedAttestations() {
      return accepted(attestations);
    }

    /** The accepted attestations whose verified statement has this predicate type. */
    public List<Accepted> acceptedAttestations(String predicateType) {
      List<Accepted> out = new ArrayList<>();
      for (Accepted a : accepted(attestations)) {
        if (a.verification().statement().isPresent()
            && a.verification().statement().get().predicateType().equals(predicateType)) {
          out.add(a);
        }
      }
      return out;
    }

    private static List<Accepted> accepted(List<Outcome> outcomes) {
      List<Accepted> out = new ArrayList<>();
      for (Outcome o : outcomes) {
        if (o instanceof Accepted a) {
          out.add(a);
        }
      }
      return out;
    }
  }

  /** Verifies every signature and attestation of the image. */
  public static ImageVerification verify(ImageEvidence evidence, Verifier verifier, Requirement requirement) {
    return new ImageVerification(
        evidence, verifySignatures(evidence, verifier, requirement), verifyAttestations(evidence, verifier, requirement));
  }

  /** Verifies the image's signatures only. */
  public static List<Outcome> verifySignatures(ImageEvidence evidence, Verifier verifier, Requirement requirement) {
    List<Outcome> out = new ArrayList<>();
    for (Candidate c : evidence.signatures()) {
      out.add(signature(evidence, c, verifier, requirement));
    }
    return out;
  }

  /** Verifies the image's attestations only. */
  public static List<Outcome> verifyAttestations(ImageEvidence evidence, Verifier verifier, Requirement requirement) {
    List<Outcome> out = new ArrayList<>();
    Artifact image = imageArtifact(evidence.digest());
    for (Candidate c : evidence.attestations()) {
      VerificationResult r = verifier.verify(c.entity(), requirement.policy(image));
      out.add(
          r instanceof VerificationResult.Verified v
              ? new Accepted(c, v, Optional.empty())
              : refused(c, (VerificationResult.Rejected) r));
    }
    return out;
  }

  private static Outcome signature(ImageEvidence evidence, Candidate c, Verifier verifier, Requirement requirement) {
    if (c.payload().isEmpty()) {
      // A bundle: a DSSE statement of cosign's signing predicate about the image, or a message signature over the
      // image's manifest digest.
      VerificationResult r = verifier.verify(c.entity(), requirement.policy(imageArtifact(evidence.digest())));
      if (r instanceof VerificationResult.Rejected rej) {
        return refused(c, rej);
      }
      VerificationResult.Verified v = (VerificationResult.Verified) r;
      if (v.statement().isPresent()
          && !ImageFetcher.COSIGN_SIGN_PREDICATE.equals(v.statement().get().predicateType())) {
        return new Refused(
            c,
            Refusal.PREDICATE_TYPE_MISMATCH,
            Optional.empty(),
            "expected predicate type " + ImageFetcher.COSIGN_SIGN_PREDICATE + ", found "
                + v.statement().get().predicateType());
      }
      return new Accepted(c, v, Optional.empty());
    }
    byte[] payload = c.payload().get();
    VerificationResult r = verifier.verify(c.entity(), requirement.policy(Artifact.ofContent(payload)));
    if (r instanceof VerificationResult.Rejected rej) {
      return refused(c, rej);
    }
    SimpleSigningPayload p;
    try {
      p = SimpleSigningPayload.parse(payload);
    } catch (OciException e) {
      return new Refused(c, Refusal.PAYLOAD_MALFORMED, Optional.empty(), e.getMessage());
    }
    if (!p.manifestDigest().equals(evidence.digest())) {
      return new Refused(
          c,
          Refusal.DIGEST_MISMATCH,
          Optional.empty(),
          "expected a payload naming " + evidence.digest() + ", found one naming " + p.manifestDigest()
              + " (a signature of another image)");
    }
    if (evidence.repository().isPresent()) {
      Optional<String> named = repository(p.dockerReference());
      if (named.isEmpty() || !named.get().equals(evidence.repository().get())) {
        return new Refused(
            c,
            Refusal.REPOSITORY_MISMATCH,
            Optional.empty(),
            "expected a payload naming repository " + evidence.repository().get() + ", found \""
                + p.dockerReference() + "\"");
      }
    }
    return new Accepted(c, (VerificationResult.Verified) r, Optional.of(p));
  }

  /**
   * The repository a docker-reference names, normalised as Docker does ({@code index.docker.io} and {@code docker.io}
   * are one registry), without tag or digest.
   */
  static Optional<String> repository(String dockerReference) {
    try {
      ImageReference ref = ImageReference.parse(dockerReference);
      if (ref instanceof RegistryReference r) {
        String name = r.name();
        return Optional.of(name.startsWith("index.docker.io/") ? "docker.io/" + name.substring(16) : name);
      }
      return Optional.empty();
    } catch (InvalidReferenceException e) {
      return Optional.empty();
    }
  }

  private static Refused refused(Candidate c, VerificationResult.Rejected r) {
    return new Refused(c, Refusal.VERIFICATION_FAILED, Optional.of(r), r.failure().describe());
  }

  static Artifact imageArtifact(Digest digest) {
    if (!Digest.SHA256.equals(digest.algorithm())) {
      return Artifact.ofDigest(HashAlgorithm.SHA2_512, HexFormat.of().parseHex(digest.hex()));
    }
    return Artifact.ofDigest(HashAlgorithm.SHA2_256, HexFormat.of().parseHex(digest.hex()));
  }
}

package dev.sigil.signer.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.DigestSet;
import dev.sigil.attestations.Statement;
import dev.sigil.oci.Descriptor;
import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageIndex;
import dev.sigil.oci.ImageReference;
import dev.sigil.oci.ImageStore;
import dev.sigil.oci.Manifest;
import dev.sigil.oci.MediaTypes;
import dev.sigil.oci.OciException;
import dev.sigil.oci.cosign.BundleReferrers;
import dev.sigil.oci.cosign.CosignAttachments;
import dev.sigil.oci.cosign.NewLayer;
import dev.sigil.oci.cosign.SimpleSigningPayload;
import dev.sigil.signer.SignedMessage;
import dev.sigil.signer.SignedStatement;
import dev.sigil.signer.SigningException;
import dev.sigil.signer.SigningSession;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.bundle.BundleWriter;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.cosign.CosignFormatException;
import dev.sigil.verifier.cosign.CosignSignature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Signs and attests images in an {@link ImageStore} (a registry repository or an OCI layout) in the formats cosign
 * reads:
 *
 * <ul>
 *   <li>{@link Storage#COSIGN_TAG}: a layer appended to the manifest at {@code sha256-<hex>.sig} (a simple-signing
 *       payload, signed as a message, cosign 2.5's {@code sign}) or {@code .att} (a DSSE envelope over an in-toto
 *       statement, cosign 2.5's {@code attest}); existing layers are kept, and signing the same payload twice adds
 *       nothing;
 *   <li>{@link Storage#BUNDLE_REFERRER}: a Sigstore bundle v0.3 attached as an OCI 1.1 referrer (cosign 3's default and
 *       {@code --new-bundle-format}); a signature is a DSSE statement of predicate type {@value #COSIGN_SIGN_PREDICATE}
 *       whose subject is the image digest, with an empty predicate.
 * </ul>
 *
 * <p>Everything is verified with the session's trust ({@link SigningSession#requireVerified}) before it is stored.
 * Thread-safe if the session and store are.
 */
public final class ImageSigner {
  /** cosign 3's predicate type for an image signature made as a DSSE bundle ({@code pkg/types/predicate.go}). */
  public static final String COSIGN_SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";
  /** The most manifests one {@link #resolve} returns (an index and its platform manifests). */
  public static final int MAX_TARGETS = 1000;
  /** How deep nested indexes are followed. */
  public static final int MAX_INDEX_DEPTH = 4;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Where a signature or attestation is stored. */
  public enum Storage {
    /** cosign's tag scheme: a layer of the manifest at {@code sha256-<hex>.sig} or {@code .att}. */
    COSIGN_TAG,
    /** A Sigstore bundle as an OCI 1.1 referrer of the image (or under the referrers fallback tag). */
    BUNDLE_REFERRER
  }

  /**
   * One manifest to sign.
   *
   * @param manifest its descriptor (media type, digest, size)
   * @param identity the name signatures give it: the simple-signing {@code docker-reference} and an attestation
   *     subject's {@code name} (cosign: the repository, {@code registry/repo}, without tag or digest)
   */
  public record Target(Descriptor manifest, String identity) {
    public Target {
      Objects.requireNonNull(manifest, "manifest");
      Objects.requireNonNull(identity, "identity");
    }

    public Digest digest() {
      return manifest.digest();
    }
  }

  /**
   * What a reference resolved to.
   *
   * @param targets the manifest, then (recursive) each manifest of an index, depth first
   * @param resolvedFrom when the reference named no digest: how the digest was found (e.g. {@code tag "v1"}); the
   *     caller should warn that a tag can move
   */
  public record Resolved(List<Target> targets, Optional<String> resolvedFrom) {
    public Resolved {
      targets = List.copyOf(targets);
      Objects.requireNonNull(resolvedFrom, "resolvedFrom");
    }
  }

  /**
   * What was stored for one target.
   *
   * @param location the tag ({@code sha256-<hex>.sig}) or the referrer manifest's digest
   * @param added false when an identical layer was already there (nothing changed)
   */
  public record Stored(Target target, Storage storage, String location, boolean added) {
    /** Where it went, e.g. {@code layer appended to sha256-<hex>.sig}. */
    public String describe() {
      return storage == Storage.COSIGN_TAG
          ? "layer " + (added ? "appended to " : "already present (identical) at ") + location
          : "bundle attached as referrer " + location;
    }
  }

  private final SigningSession session;
  private final Clock clock;

  /** @param clock for the referrer's {@code org.opencontainers.image.created} annotation */
  public ImageSigner(SigningSession session, Clock clock) {
    this.session = Objects.requireNonNull(session, "session");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Resolves a reference to the manifests to sign: its digest when it names one (the manifest must exist), else the
   * manifest its tag names now (or a layout's only manifest); with {@code recursive}, an index and every manifest it
   * lists (nested indexes too, up to {@link #MAX_INDEX_DEPTH} deep and {@link #MAX_TARGETS} manifests), each digest
   * once.
   *
   * @throws OciException {@code NOT_FOUND} naming the store when the tag or digest does not exist; registry failures
   */
  public static Resolved resolve(ImageStore store, ImageReference ref, String identity, boolean recursive)
      throws OciException {
    Optional<Manifest> found = store.fetchManifest(ref);
    if (found.isEmpty()) {
      throw new OciException(OciException.Reason.NOT_FOUND,
          store.location() + ": expected an image tagged \"" + ref.tag().orElse("") + "\", found no such tag");
    }
    Manifest m = found.get();
    Optional<String> from = Optional.empty();
    if (ref.digest().isEmpty()) {
      from = Optional.of(ref.tag().map(t -> "tag \"" + t + "\"").orElse("the layout's only manifest"));
    }
    List<Target> out = new ArrayList<>();
    out.add(new Target(m.descriptor(), identity));
    if (recursive && m instanceof ImageIndex index) {
      children(store, index, identity, out, 1);
    }
    // An index may list one manifest twice (or itself, nested): each digest is signed once.
    Map<Digest, Target> unique = new LinkedHashMap<>();
    for (Target t : out) {
      unique.putIfAbsent(t.digest(), t);
    }
    return new Resolved(List.copyOf(unique.values()), from);
  }

  private static void children(ImageStore store, ImageIndex index, String identity, List<Target> out, int depth)
      throws OciException {
    for (Descriptor d : index.manifests()) {
      if (out.size() >= MAX_TARGETS) {
        throw new OciException(OciException.Reason.TOO_LARGE, store.location() + ": index " + index.digest()
            + ": expected at most " + MAX_TARGETS + " manifests to sign, found more");
      }
      Descriptor plain = Descriptor.of(d.mediaType(), d.digest(), d.size());
      out.add(new Target(plain, identity));
      if (MediaTypes.OCI_INDEX.equals(d.mediaType()) || MediaTypes.DOCKER_MANIFEST_LIST.equals(d.mediaType())) {
        if (depth >= MAX_INDEX_DEPTH) {
          throw new OciException(OciException.Reason.TOO_LARGE, store.location() + ": index " + d.digest()
              + ": expected indexes nested at most " + MAX_INDEX_DEPTH + " deep, found deeper");
        }
        Manifest child = store.fetchManifest(d.digest());
        if (child instanceof ImageIndex nested) {
          children(store, nested, identity, out, depth + 1);
        }
      }
    }
  }

  /**
   * Signs one manifest and stores the signature.
   *
   * @param annotations cosign's {@code -a key=value} pairs: the payload's {@code optional} map (tag scheme), or the
   *     statement subject's {@code annotations} (bundles)
   * @throws SigningException if signing, logging or the self-check fails (nothing stored)
   * @throws OciException if the store refuses (the signature may then be logged but not stored)
   */
  public Stored sign(ImageStore store, Target target, Map<String, String> annotations, Storage storage)
      throws SigningException, OciException {
    if (storage == Storage.BUNDLE_REFERRER) {
      Statement statement = signatureStatement(target.digest(), annotations);
      return referrer(store, target, session.signStatement(statement, true));
    }
    requireLegacyLog(storage);
    Map<String, Object> optional = new LinkedHashMap<>(annotations);
    byte[] payload = new SimpleSigningPayload(target.identity(), target.digest(), optional).toJson();
    SignedMessage signed = session.signMessage(payload);
    NewLayer layer = CosignLayers.signature(signed);
    try {
      session.requireVerified(
          CosignSignature.ofSignatureLayer(layer.payload(), layer.annotations()), Artifact.ofContent(payload),
          "image signature of " + target.digest());
    } catch (CosignFormatException e) {
      throw new SigningException("the new signature layer does not read back as cosign's format: " + e.getMessage());
    }
    CosignAttachments.AppendResult r = new CosignAttachments(store).appendSignature(target.digest(), layer);
    return new Stored(target, storage, r.tag(), r.appended());
  }

  /**
   * Attests one manifest: an in-toto statement v1 whose subject is the image (name {@link Target#identity()}, its
   * digest), with this predicate type and predicate, signed as DSSE and stored.
   *
   * @throws SigningException if the statement is invalid, or signing, logging or the self-check fails
   * @throws OciException if the store refuses
   */
  public Stored attest(ImageStore store, Target target, String predicateType, JsonNode predicate, Storage storage)
      throws SigningException, OciException {
    Statement statement;
    try {
      statement = Statement.builder()
          .subject(target.identity(), digestSet(target.digest()))
          .predicateType(predicateType)
          .predicate(predicate)
          .build();
    } catch (AttestationException | IllegalArgumentException e) {
      throw new SigningException("attestation of " + target.digest() + ": " + e.getMessage());
    }
    if (storage == Storage.BUNDLE_REFERRER) {
      return referrer(store, target, session.signStatement(statement, true));
    }
    requireLegacyLog(storage);
    // cosign's legacy .att layers timestamp the whole envelope, which bundle verifiers do not read: no timestamp.
    SignedStatement signed = session.signStatement(statement, false);
    NewLayer layer = CosignLayers.attestation(signed);
    try {
      session.requireVerified(
          CosignSignature.ofAttestationLayer(layer.payload(), layer.annotations()), artifact(target.digest()),
          "attestation of " + target.digest());
    } catch (CosignFormatException e) {
      throw new SigningException("the new attestation layer does not read back as cosign's format: " + e.getMessage());
    }
    CosignAttachments.AppendResult r = new CosignAttachments(store).appendAttestation(target.digest(), layer);
    return new Stored(target, storage, r.tag(), r.appended());
  }

  /**
   * Whether this session's signatures can be stored this way, before anything is signed or logged: cosign's
   * {@code .sig}/{@code .att} layers carry a log entry only as a Rekor v1 SET bundle, so a session that logs only to
   * Rekor v2 must store Sigstore bundles (referrers) instead.
   *
   * @throws SigningException naming the log and the storage to use instead
   */
  public void checkStorage(Storage storage) throws SigningException {
    if (storage == Storage.COSIGN_TAG) {
      requireLegacyLog(storage);
    }
  }

  private void requireLegacyLog(Storage storage) throws SigningException {
    if (session.logs() && session.transparencyLogs().stream().noneMatch(l -> l.majorApiVersion() == 1)) {
      throw new SigningException("cosign's .sig and .att tag layers can carry only a Rekor v1 entry (with a signed"
          + " entry timestamp), and this signature goes to Rekor v2 (" + session.rekor().orElseThrow().baseUrl()
          + "); store it as a Sigstore bundle referrer (--new-bundle-format)");
    }
  }

  private Stored referrer(ImageStore store, Target target, SignedStatement signed)
      throws SigningException, OciException {
    var bundle = signed.toBundle();
    session.requireVerified(bundle, artifact(target.digest()), "bundle for " + target.digest());
    byte[] json = new BundleWriter().write(bundle);
    Descriptor d = new BundleReferrers(store).attach(
        target.manifest(), json, BundleReferrers.CONTENT_DSSE, signed.statement().predicateType(), clock.instant());
    return new Stored(target, Storage.BUNDLE_REFERRER, d.digest().toString(), true);
  }

  /**
   * cosign 3's signing statement: {@code {"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{ALG:HEX}
   * [,"annotations":{...}]}],"predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{}}}.
   */
  static Statement signatureStatement(Digest digest, Map<String, String> annotations) throws SigningException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("_type", Statement.TYPE_V1);
    ObjectNode subject = root.putArray("subject").addObject();
    subject.putObject("digest").put(digest.algorithm(), digest.hex());
    if (!annotations.isEmpty()) {
      ObjectNode a = subject.putObject("annotations");
      annotations.forEach(a::put);
    }
    root.put("predicateType", COSIGN_SIGN_PREDICATE);
    root.putObject("predicate");
    try {
      return Statement.parse(MAPPER.writeValueAsBytes(root));
    } catch (AttestationException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new SigningException("signing statement for " + digest + ": " + e.getMessage());
    }
  }

  static DigestSet digestSet(Digest d) {
    return DigestSet.of(d.algorithm(), d.hex());
  }

  static Artifact artifact(Digest d) {
    HashAlgorithm h = Digest.SHA512.equals(d.algorithm()) ? HashAlgorithm.SHA2_512 : HashAlgorithm.SHA2_256;
    return Artifact.ofDigest(h, HexFormat.of().parseHex(d.hex()));
  }
}

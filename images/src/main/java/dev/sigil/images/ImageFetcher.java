package dev.sigil.images;

import dev.sigil.oci.Descriptor;
import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageReference;
import dev.sigil.oci.ImageStore;
import dev.sigil.oci.LayoutReference;
import dev.sigil.oci.OciException;
import dev.sigil.oci.RegistryReference;
import dev.sigil.oci.cosign.AttachedLayer;
import dev.sigil.oci.cosign.Attachment;
import dev.sigil.oci.cosign.BundleReferrers;
import dev.sigil.oci.cosign.CosignAttachments;
import dev.sigil.oci.cosign.UnreadableLayer;
import dev.sigil.oci.registry.RegistryClient;
import dev.sigil.oci.stores.ImageStores;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleParseException;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.cosign.CosignFormatException;
import dev.sigil.verifier.cosign.CosignSignature;
import dev.sigil.verifier.entity.DsseEnvelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Finds what is attached to an image (cosign's {@code .sig} and {@code .att} tags, and Sigstore bundle referrers),
 * without being told which scheme was used, and reads it into {@link ImageEvidence}. The three lookups run in
 * parallel. Every read is bounded (signature payloads {@value #MAX_SIGNATURE_PAYLOAD} bytes, attestations and bundles
 * {@value #MAX_ATTESTATION_BYTES}); what cannot be read is reported as {@link Unreadable}, never silently dropped.
 * Registry calls time out and retry as the {@link RegistryClient}'s options say.
 *
 * <p>Thread-safe. Owns a small thread pool for the parallel lookups: close it when done.
 */
public final class ImageFetcher implements AutoCloseable {
  /** The largest simple-signing payload read (cosign's are a few hundred bytes). */
  public static final int MAX_SIGNATURE_PAYLOAD = 64 * 1024;
  /** The largest attestation envelope or bundle read. */
  public static final int MAX_ATTESTATION_BYTES = BundleParser.MAX_BUNDLE_BYTES;
  /** cosign's predicate type for image signatures made as DSSE bundles ({@code cosign sign --new-bundle-format}). */
  public static final String COSIGN_SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";

  private final RegistryClient registries;
  private final ExecutorService pool;

  /** A fetcher using these registry settings, with its own pool of {@code threads} threads for parallel lookups. */
  public ImageFetcher(RegistryClient registries, int threads) {
    this.registries = Objects.requireNonNull(registries, "registries");
    if (threads < 1) {
      throw new IllegalArgumentException("threads: expected at least 1, found " + threads);
    }
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "sigil-image-fetch");
              t.setDaemon(true);
              return t;
            });
  }

  /** A fetcher with three threads: one per lookup of one image. */
  public ImageFetcher(RegistryClient registries) {
    this(registries, 3);
  }

  /** The store an image reference points at (a registry repository or an OCI layout). */
  public ImageStore store(ImageReference ref) {
    return ImageStores.open(ref, registries);
  }

  /**
   * Resolves the reference to a digest (a tag is looked up once; the caller should warn that it named a tag), checks
   * the image exists, and reads everything attached to it.
   *
   * @throws OciException if the image cannot be resolved or a registry fails (not found, unauthorized, timeout...)
   */
  public ImageEvidence fetch(ImageReference ref) throws OciException {
    ImageStore store = store(ref);
    Optional<String> tag = tag(ref);
    Optional<Digest> given = digest(ref);
    Digest digest;
    if (given.isPresent()) {
      digest = given.get();
      store.fetchManifest(digest); // the image must exist: NOT_FOUND otherwise
    } else {
      String t = tag.orElse("latest");
      Optional<Descriptor> d = store.resolveTag(t);
      if (d.isEmpty()) {
        throw new OciException(OciException.Reason.NOT_FOUND, store.location() + ": no tag \"" + t + "\"");
      }
      digest = d.get().digest();
    }
    return fetch(store, ref, digest, given.isPresent() ? Optional.empty() : Optional.of(tag.orElse("latest")));
  }

  /** Reads everything attached to {@code digest} in {@code store}; the digest is not resolved again. */
  public ImageEvidence fetch(ImageStore store, ImageReference ref, Digest digest, Optional<String> resolvedFromTag)
      throws OciException {
    CosignAttachments cosign = new CosignAttachments(store);
    BundleReferrers referrers = new BundleReferrers(store);
    CompletableFuture<Attachment> sigs =
        supply(() -> cosign.readSignatures(digest, MAX_SIGNATURE_PAYLOAD));
    CompletableFuture<Attachment> atts =
        supply(() -> cosign.readAttestations(digest, MAX_ATTESTATION_BYTES));
    CompletableFuture<BundleReferrers.Found> bundles = supply(() -> referrers.find(digest, MAX_ATTESTATION_BYTES));
    List<Candidate> signatures = new ArrayList<>();
    List<Candidate> attestations = new ArrayList<>();
    List<Unreadable> unreadable = new ArrayList<>();
    legacy(join(sigs), Scheme.COSIGN_SIGNATURE_TAG, signatures, unreadable);
    legacy(join(atts), Scheme.COSIGN_ATTESTATION_TAG, attestations, unreadable);
    bundles(join(bundles), signatures, attestations, unreadable);
    Optional<String> repository =
        ref instanceof RegistryReference r ? Optional.of(r.name()) : Optional.empty();
    return new ImageEvidence(
        name(ref, digest), repository, digest, resolvedFromTag, signatures, attestations, unreadable);
  }

  private static String name(ImageReference ref, Digest digest) {
    if (ref instanceof RegistryReference r) {
      return r.name() + "@" + digest;
    }
    return "oci-layout:" + ((LayoutReference) ref).path() + "@" + digest;
  }

  private static Optional<String> tag(ImageReference ref) {
    return ref instanceof RegistryReference r ? r.tag() : ((LayoutReference) ref).tag();
  }

  private static Optional<Digest> digest(ImageReference ref) {
    return ref instanceof RegistryReference r ? r.digest() : ((LayoutReference) ref).digest();
  }

  private static void legacy(Attachment a, Scheme scheme, List<Candidate> into, List<Unreadable> unreadable) {
    for (AttachedLayer layer : a.layers()) {
      String where = a.tag() + " layer " + layer.descriptor().digest();
      try {
        CosignSignature entity =
            scheme == Scheme.COSIGN_SIGNATURE_TAG
                ? CosignSignature.ofSignatureLayer(layer.payload(), layer.descriptor().annotations())
                : CosignSignature.ofAttestationLayer(layer.payload(), layer.descriptor().annotations());
        into.add(
            new Candidate(
                scheme,
                where,
                entity,
                scheme == Scheme.COSIGN_SIGNATURE_TAG ? Optional.of(layer.payload()) : Optional.empty(),
                layer.predicateType()));
      } catch (CosignFormatException e) {
        unreadable.add(new Unreadable(scheme, where, e.getMessage()));
      }
    }
    for (UnreadableLayer u : a.unreadable()) {
      unreadable.add(new Unreadable(scheme, a.tag() + " layer " + u.descriptor().digest(), u.reason().getMessage()));
    }
  }

  private static void bundles(
      BundleReferrers.Found found, List<Candidate> signatures, List<Candidate> attestations, List<Unreadable> unreadable) {
    BundleParser parser = new BundleParser();
    for (BundleReferrers.AttachedBundle b : found.bundles()) {
      String where = "referrer " + b.manifest().digest() + " (" + found.source() + ")";
      Bundle bundle;
      try {
        bundle = parser.parse(b.bundle());
      } catch (BundleParseException e) {
        unreadable.add(new Unreadable(Scheme.BUNDLE_REFERRER, where, "bundle: " + e.getMessage()));
        continue;
      }
      Optional<String> predicateType = Optional.ofNullable(b.predicateType()).filter(s -> !s.isEmpty());
      if (predicateType.isEmpty() && bundle.dsseEnvelope().isPresent()) {
        predicateType = Statements.predicateType(bundle.dsseEnvelope().get());
      }
      Candidate c = new Candidate(Scheme.BUNDLE_REFERRER, where, bundle, Optional.empty(), predicateType);
      boolean signature =
          bundle.messageSignature().isPresent() || predicateType.filter(COSIGN_SIGN_PREDICATE::equals).isPresent();
      (signature ? signatures : attestations).add(c);
    }
    for (UnreadableLayer u : found.unreadable()) {
      unreadable.add(new Unreadable(Scheme.BUNDLE_REFERRER, "referrer " + u.descriptor().digest(), u.reason().getMessage()));
    }
  }

  private interface Lookup<T> {
    T get() throws OciException;
  }

  private <T> CompletableFuture<T> supply(Lookup<T> lookup) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return lookup.get();
          } catch (OciException e) {
            throw new CompletionException(e);
          }
        },
        pool);
  }

  private static <T> T join(CompletableFuture<T> f) throws OciException {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof OciException oe) {
        throw oe;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  /** Reads the predicate type of an unverified DSSE statement, for routing only. */
  static final class Statements {
    private Statements() {}

    static Optional<String> predicateType(DsseEnvelope env) {
      try {
        com.fasterxml.jackson.databind.JsonNode n =
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(env.payload());
        return n != null && n.path("predicateType").isTextual()
            ? Optional.of(n.path("predicateType").asText())
            : Optional.empty();
      } catch (java.io.IOException e) {
        return Optional.empty();
      }
    }
  }
}

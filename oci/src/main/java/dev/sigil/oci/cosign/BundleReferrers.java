package dev.sigil.oci.cosign;

import dev.sigil.oci.Annotations;
import dev.sigil.oci.Descriptor;
import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageManifest;
import dev.sigil.oci.ImageStore;
import dev.sigil.oci.Manifest;
import dev.sigil.oci.MediaTypes;
import dev.sigil.oci.OciException;
import dev.sigil.oci.OciException.Reason;
import dev.sigil.oci.Referrers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sigstore bundles stored as OCI 1.1 referrers of an image, as cosign 2.5 writes them with {@code --new-bundle-format}:
 * an image manifest with {@code artifactType} {@code application/vnd.dev.sigstore.bundle.v0.3+json}, the empty config
 * ({@code application/vnd.oci.empty.v1+json}, {@code {}}), one layer holding the bundle JSON, {@code subject} the image,
 * and the annotations {@code dev.sigstore.bundle.content} ({@code dsse-envelope} or {@code message-signature}),
 * {@code dev.sigstore.bundle.predicateType} (attestations) and {@code org.opencontainers.image.created}. The store
 * makes it findable through the referrers API or the fallback tag. Bytes only: bundles are not verified here.
 */
public final class BundleReferrers {
  public static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);
  public static final String CONTENT_DSSE = "dsse-envelope";
  public static final String CONTENT_MESSAGE_SIGNATURE = "message-signature";

  /** A bundle found attached to an image: the referrer manifest and the bundle bytes (digest-checked). */
  public record AttachedBundle(ImageManifest manifest, Descriptor layer, byte[] bundle) {
    public AttachedBundle {
      Objects.requireNonNull(manifest, "manifest");
      Objects.requireNonNull(layer, "layer");
      bundle = bundle.clone();
    }

    @Override
    public byte[] bundle() {
      return bundle.clone();
    }

    /** {@code dev.sigstore.bundle.predicateType}, or null. */
    public String predicateType() {
      return manifest.annotations().get(CosignAnnotations.BUNDLE_PREDICATE_TYPE);
    }
  }

  /** The result of reading: the bundles, and referrers that claimed to be bundles but could not be read (with why). */
  public record Found(List<AttachedBundle> bundles, List<UnreadableLayer> unreadable, Referrers.Source source) {
    public Found {
      bundles = List.copyOf(bundles);
      unreadable = List.copyOf(unreadable);
    }
  }

  private final ImageStore store;

  public BundleReferrers(ImageStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * Attaches a bundle to {@code subject}.
   *
   * @param content {@link #CONTENT_DSSE} or {@link #CONTENT_MESSAGE_SIGNATURE}
   * @param predicateType the in-toto predicate type for DSSE bundles, or null
   * @param created the creation time written to {@code org.opencontainers.image.created} (seconds precision)
   * @return the referrer manifest's descriptor
   */
  public Descriptor attach(Descriptor subject, byte[] bundleJson, String content, String predicateType, Instant created)
      throws OciException {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(created, "created");
    Descriptor config = store.pushBlob(EMPTY_CONFIG, MediaTypes.OCI_EMPTY);
    Descriptor layer = store.pushBlob(bundleJson, MediaTypes.SIGSTORE_BUNDLE_V03);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(CosignAnnotations.BUNDLE_CONTENT, content);
    if (predicateType != null) {
      annotations.put(CosignAnnotations.BUNDLE_PREDICATE_TYPE, predicateType);
    }
    annotations.put(Annotations.CREATED,
        DateTimeFormatter.ISO_INSTANT.format(created.truncatedTo(ChronoUnit.SECONDS)));
    Descriptor subjectRef = Descriptor.of(subject.mediaType(), subject.digest(), subject.size());
    ImageManifest m = ImageManifest.create(MediaTypes.OCI_MANIFEST, config, List.of(layer), annotations, subjectRef,
        MediaTypes.SIGSTORE_BUNDLE_V03);
    return store.pushManifest(m, null);
  }

  /**
   * The bundles attached to {@code subject}. Referrers listed with the bundle artifact type are read; so are those
   * listed with the empty config type or none, because cosign's fallback index lists its bundle manifests with
   * {@code artifactType} {@code application/vnd.oci.empty.v1+json}; each manifest's own {@code artifactType} decides.
   *
   * @param maxBundleBytes refuse bundle layers longer than this
   */
  public Found find(Digest subject, long maxBundleBytes) throws OciException {
    Referrers refs = store.referrers(subject, null);
    List<AttachedBundle> out = new ArrayList<>();
    List<UnreadableLayer> unreadable = new ArrayList<>();
    for (Descriptor d : refs.manifests()) {
      String t = d.artifactType();
      if (t != null && !t.equals(MediaTypes.SIGSTORE_BUNDLE_V03) && !t.equals(MediaTypes.OCI_EMPTY)) {
        continue;
      }
      Manifest m;
      try {
        m = store.fetchManifest(d.digest());
      } catch (OciException e) {
        if (e.retryable()) {
          throw e;
        }
        unreadable.add(new UnreadableLayer(d, e));
        continue;
      }
      if (!(m instanceof ImageManifest im) || !MediaTypes.SIGSTORE_BUNDLE_V03.equals(im.artifactType())) {
        continue;
      }
      if (im.subject() == null || !im.subject().digest().equals(subject)) {
        unreadable.add(new UnreadableLayer(d, new OciException(Reason.INVALID_CONTENT,
            store.location() + ": referrer " + d.digest() + " is listed for " + subject + " but its subject is "
                + (im.subject() == null ? "absent" : im.subject().digest()))));
        continue;
      }
      for (Descriptor layer : im.layers()) {
        if (!layer.mediaType().equals(MediaTypes.SIGSTORE_BUNDLE_V03)) {
          continue;
        }
        try {
          if (layer.size() > maxBundleBytes) {
            throw new OciException(Reason.TOO_LARGE, store.location() + ": bundle " + layer.digest() + " is "
                + layer.size() + " bytes; the limit is " + maxBundleBytes);
          }
          out.add(new AttachedBundle(im, layer, store.fetchBlob(layer.digest(), maxBundleBytes)));
        } catch (OciException e) {
          if (e.retryable()) {
            throw e;
          }
          unreadable.add(new UnreadableLayer(layer, e));
        }
      }
    }
    return new Found(out, unreadable, refs.source());
  }
}

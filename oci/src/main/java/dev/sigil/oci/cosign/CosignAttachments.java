package dev.sigil.oci.cosign;

import dev.sigil.oci.Descriptor;
import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageManifest;
import dev.sigil.oci.ImageStore;
import dev.sigil.oci.Manifest;
import dev.sigil.oci.MediaTypes;
import dev.sigil.oci.OciException;
import dev.sigil.oci.OciException.Reason;
import dev.sigil.oci.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * cosign's tag-based storage of signatures ({@code sha256-<hex>.sig}) and attestations ({@code .att}) in an
 * {@link ImageStore}: read every layer with its annotations and payload, and append a layer the way cosign does.
 * Bytes only: nothing here verifies a signature.
 *
 * <p>Appending keeps every existing layer byte-for-byte in its descriptor (existing signatures are never dropped), adds
 * the new one last, and is idempotent: a layer with the same payload digest, media type and annotations is not added
 * twice. The manifest and its config are written as cosign 2.5 writes them: an OCI image manifest with an
 * {@code application/vnd.oci.image.config.v1+json} config whose {@code rootfs.diff_ids} list the layer digests, with
 * zero {@code created} times (an existing manifest keeps its media types, as cosign's append does). Two writers
 * appending at once can lose one signature (read-modify-write of a tag), as with cosign.
 */
public final class CosignAttachments {
  /** What a tag holds: signatures (simple signing) or attestations (DSSE). */
  public enum Kind {
    SIGNATURES(CosignTags.SIGNATURE_SUFFIX),
    ATTESTATIONS(CosignTags.ATTESTATION_SUFFIX);

    private final String suffix;

    Kind(String suffix) {
      this.suffix = suffix;
    }

    public String tag(Digest image) {
      return image.tagPrefix() + suffix;
    }
  }

  /** The result of an append: the manifest now at the tag, and whether a layer was added (false: it was there). */
  public record AppendResult(Descriptor manifest, String tag, boolean appended) {}

  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private final ImageStore store;

  public CosignAttachments(ImageStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** The signatures attached to {@code image}; layer payloads over {@code maxPayloadBytes} are reported unreadable. */
  public Attachment readSignatures(Digest image, long maxPayloadBytes) throws OciException {
    return read(Kind.SIGNATURES, image, maxPayloadBytes);
  }

  /** The attestations attached to {@code image}; layer payloads over {@code maxPayloadBytes} are reported unreadable. */
  public Attachment readAttestations(Digest image, long maxPayloadBytes) throws OciException {
    return read(Kind.ATTESTATIONS, image, maxPayloadBytes);
  }

  /**
   * Reads the tag of {@code kind} for {@code image}. A missing tag gives an empty attachment; a tag that holds an index
   * or a manifest that does not parse is an error ({@code INVALID_CONTENT}); a layer whose blob is missing, too large or
   * has the wrong digest is listed in {@link Attachment#unreadable()}.
   */
  public Attachment read(Kind kind, Digest image, long maxPayloadBytes) throws OciException {
    String tag = kind.tag(image);
    Optional<Manifest> m = store.fetchManifestByTag(tag);
    if (m.isEmpty()) {
      return new Attachment(image, tag, Optional.empty(), List.of(), List.of());
    }
    if (!(m.get() instanceof ImageManifest manifest)) {
      throw new OciException(Reason.INVALID_CONTENT,
          store.location() + ": tag " + tag + " holds a " + m.get().mediaType() + ", not an image manifest");
    }
    List<AttachedLayer> layers = new ArrayList<>();
    List<UnreadableLayer> unreadable = new ArrayList<>();
    for (Descriptor layer : manifest.layers()) {
      if (layer.size() > maxPayloadBytes) {
        unreadable.add(new UnreadableLayer(layer, new OciException(Reason.TOO_LARGE,
            store.location() + ": layer " + layer.digest() + " of " + tag + " is " + layer.size()
                + " bytes; the limit is " + maxPayloadBytes)));
        continue;
      }
      try {
        byte[] payload = store.fetchBlob(layer.digest(), maxPayloadBytes);
        if (payload.length != layer.size()) {
          throw new OciException(Reason.INVALID_CONTENT, store.location() + ": layer " + layer.digest() + " of "
              + tag + " is " + payload.length + " bytes, its descriptor says " + layer.size());
        }
        layers.add(new AttachedLayer(layer, payload));
      } catch (OciException e) {
        if (e.retryable()) {
          throw e;
        }
        unreadable.add(new UnreadableLayer(layer, e));
      }
    }
    return new Attachment(image, tag, Optional.of(manifest), layers, unreadable);
  }

  /** Appends a signature layer to {@code image}'s {@code .sig} tag (see the class comment). */
  public AppendResult appendSignature(Digest image, NewLayer layer) throws OciException {
    return append(Kind.SIGNATURES, image, layer);
  }

  /** Appends an attestation layer to {@code image}'s {@code .att} tag (see the class comment). */
  public AppendResult appendAttestation(Digest image, NewLayer layer) throws OciException {
    return append(Kind.ATTESTATIONS, image, layer);
  }

  public AppendResult append(Kind kind, Digest image, NewLayer layer) throws OciException {
    String tag = kind.tag(image);
    Optional<Manifest> existing = store.fetchManifestByTag(tag);
    String manifestType = MediaTypes.OCI_MANIFEST;
    String configType = MediaTypes.OCI_CONFIG;
    List<Descriptor> layers = new ArrayList<>();
    Map<String, String> manifestAnnotations = Map.of();
    Descriptor newLayer = Descriptor.of(layer.mediaType(), layer.payload()).withAnnotations(layer.annotations());
    if (existing.isPresent()) {
      if (!(existing.get() instanceof ImageManifest m)) {
        throw new OciException(Reason.INVALID_CONTENT,
            store.location() + ": tag " + tag + " holds a " + existing.get().mediaType() + ", not an image manifest");
      }
      for (Descriptor d : m.layers()) {
        if (d.digest().equals(newLayer.digest()) && d.mediaType().equals(newLayer.mediaType())
            && d.annotations().equals(newLayer.annotations())) {
          return new AppendResult(m.descriptor(), tag, false);
        }
      }
      manifestType = m.mediaType();
      configType = m.config().mediaType();
      layers.addAll(m.layers());
      manifestAnnotations = m.annotations();
    }
    store.pushBlob(layer.payload(), layer.mediaType());
    layers.add(newLayer);
    byte[] config = configFor(layers);
    Descriptor configDescriptor = store.pushBlob(config, configType);
    ImageManifest manifest =
        ImageManifest.create(manifestType, configDescriptor, layers, manifestAnnotations, null, null);
    Descriptor pushed = store.pushManifest(manifest, tag);
    return new AppendResult(pushed, tag, true);
  }

  /** cosign's config for a signature image: empty platform, zero times, one history entry and diff_id per layer. */
  static byte[] configFor(List<Descriptor> layers) {
    return Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("architecture", "");
      g.writeStringField("created", ZERO_TIME);
      g.writeArrayFieldStart("history");
      for (int i = 0; i < layers.size(); i++) {
        g.writeStartObject();
        g.writeStringField("created", ZERO_TIME);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("os", "");
      g.writeObjectFieldStart("rootfs");
      g.writeStringField("type", "layers");
      g.writeArrayFieldStart("diff_ids");
      for (Descriptor d : layers) {
        g.writeString(d.digest().toString());
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeObjectFieldStart("config");
      g.writeEndObject();
      g.writeEndObject();
    });
  }
}

package dev.sigil.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.oci.Descriptor;
import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageIndex;
import dev.sigil.oci.ImageStore;
import dev.sigil.oci.Manifest;
import dev.sigil.oci.Manifests;
import dev.sigil.oci.MediaTypes;
import dev.sigil.oci.OciException;
import dev.sigil.oci.OciException.Reason;
import dev.sigil.oci.Referrers;
import dev.sigil.oci.RegistryException;
import dev.sigil.oci.RegistryReference;
import dev.sigil.oci.internal.Json;
import dev.sigil.oci.registry.RegistryCaller.Request;
import dev.sigil.oci.registry.RegistryCaller.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One repository in a registry, over the OCI distribution API (v1.1): manifests, blobs, tags and referrers, with the
 * referrers fallback tag schema for registries without the API. Obtain from {@link RegistryClient#repository}. Bounds:
 * manifests, tag pages and referrers pages at {@link Manifests#MAX_MANIFEST_BYTES}, at most 100 pages per listing,
 * blobs at the caller's {@code maxBytes}. Thread-safe; construction does no I/O.
 */
public final class RegistryStore implements ImageStore {
  private static final String MANIFEST_ACCEPT = String.join(", ",
      MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST);
  private static final int MAX_PAGES = 100;
  private static final Pattern LINK_NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  private final RegistryCaller caller;

  RegistryStore(RegistryCaller caller) {
    this.caller = caller;
  }

  public String registry() {
    return caller.registry;
  }

  public String repository() {
    return caller.repository;
  }

  @Override
  public String location() {
    return caller.location();
  }

  private String base() {
    return "/v2/" + caller.repository;
  }

  private static String checkTag(String tag) {
    if (!RegistryReference.isValidTag(tag)) {
      throw new IllegalArgumentException("invalid tag \"" + tag + "\"");
    }
    return tag;
  }

  @Override
  public Optional<Descriptor> resolveTag(String tag) throws OciException {
    checkTag(tag);
    Request r = Request.head(base() + "/manifests/" + tag, Map.of("Accept", MANIFEST_ACCEPT),
        "resolving tag " + tag + " in " + location());
    Response resp = caller.call(r);
    if (resp.status() == 404) {
      return Optional.empty();
    }
    if (!resp.ok()) {
      throw caller.failure(r, resp);
    }
    Optional<String> digest = resp.header("Docker-Content-Digest");
    Optional<String> type = resp.header("Content-Type");
    long size = resp.headers().firstValueAsLong("Content-Length").orElse(-1L);
    if (digest.isEmpty() || type.isEmpty() || size < 0) {
      return fetchManifestByTag(tag).map(Manifest::descriptor);
    }
    try {
      return Optional.of(Descriptor.of(Manifests.stripParameters(type.get()), Digest.parse(digest.get().trim()), size));
    } catch (IllegalArgumentException e) {
      throw caller.error(Reason.PROTOCOL, resp.status(), r.what() + ": bad Docker-Content-Digest: " + e.getMessage(),
          false, e);
    }
  }

  @Override
  public Optional<Manifest> fetchManifestByTag(String tag) throws OciException {
    checkTag(tag);
    Request r = Request.get(base() + "/manifests/" + tag, Map.of("Accept", MANIFEST_ACCEPT),
        Manifests.MAX_MANIFEST_BYTES, "fetching manifest " + tag + " from " + location());
    Response resp = caller.call(r);
    if (resp.status() == 404) {
      return Optional.empty();
    }
    if (!resp.ok()) {
      throw caller.failure(r, resp);
    }
    byte[] bytes = resp.body();
    Digest computed = Digest.sha256(bytes);
    Optional<String> announced = resp.header("Docker-Content-Digest");
    if (announced.isPresent()) {
      Digest a;
      try {
        a = Digest.parse(announced.get().trim());
      } catch (IllegalArgumentException e) {
        throw caller.error(Reason.PROTOCOL, resp.status(), r.what() + ": bad Docker-Content-Digest: " + e.getMessage(),
            false, e);
      }
      if (!a.matches(bytes)) {
        throw caller.error(Reason.DIGEST_MISMATCH, resp.status(),
            r.what() + ": the registry announced " + a + " but sent bytes hashing to "
                + Digest.compute(a.algorithm(), bytes), false, null);
      }
    }
    return Optional.of(parse(r, resp, bytes, computed));
  }

  @Override
  public Manifest fetchManifest(Digest digest) throws OciException {
    Request r = Request.get(base() + "/manifests/" + digest, Map.of("Accept", MANIFEST_ACCEPT),
        Manifests.MAX_MANIFEST_BYTES, "fetching manifest " + digest + " from " + location());
    Response resp = caller.call(r);
    if (!resp.ok()) {
      throw caller.failure(r, resp);
    }
    byte[] bytes = resp.body();
    if (!digest.matches(bytes)) {
      throw caller.error(Reason.DIGEST_MISMATCH, resp.status(),
          r.what() + ": the registry sent bytes hashing to " + Digest.compute(digest.algorithm(), bytes)
              + ", not the digest asked for", false, null);
    }
    return parse(r, resp, bytes, digest);
  }

  private Manifest parse(Request r, Response resp, byte[] bytes, Digest digest) throws RegistryException {
    try {
      return Manifests.parseVerified(bytes, resp.header("Content-Type").orElse(null), digest);
    } catch (OciException e) {
      throw caller.error(e.reason(), resp.status(), r.what() + ": " + e.getMessage(), false, e);
    }
  }

  @Override
  public byte[] fetchBlob(Digest digest, long maxBytes) throws OciException {
    Request r = Request.get(base() + "/blobs/" + digest, Map.of(), maxBytes,
        "fetching blob " + digest + " from " + location());
    Response resp = caller.call(r);
    if (!resp.ok()) {
      throw caller.failure(r, resp);
    }
    if (!digest.matches(resp.body())) {
      throw caller.error(Reason.DIGEST_MISMATCH, resp.status(),
          r.what() + ": the registry sent bytes hashing to " + Digest.compute(digest.algorithm(), resp.body()), false,
          null);
    }
    return resp.body();
  }

  @Override
  public boolean hasBlob(Digest digest) throws OciException {
    Request r = Request.head(base() + "/blobs/" + digest, Map.of(), "checking blob " + digest + " in " + location());
    Response resp = caller.call(r);
    if (resp.status() == 404) {
      return false;
    }
    if (!resp.ok()) {
      throw caller.failure(r, resp);
    }
    return true;
  }

  @Override
  public Descriptor pushBlob(byte[] content, String mediaType) throws OciException {
    Descriptor d = Descriptor.of(mediaType, content);
    if (hasBlobForPush(d.digest())) {
      return d;
    }
    RegistryException last = null;
    for (int session = 0; session < 2; session++) {
      Request post = new Request("POST", base() + "/blobs/uploads/", Map.of(), new byte[0], true, 64 << 10,
          "starting the upload of blob " + d.digest() + " to " + location());
      Response started = caller.call(post);
      if (started.status() != 202) {
        throw started.ok() ? caller.error(Reason.PROTOCOL, started.status(), post.what() + ": expected HTTP 202", false,
            null) : caller.failure(post, started);
      }
      String location = started.header("Location").orElseThrow(
          () -> caller.error(Reason.PROTOCOL, 202, post.what() + ": no Location for the upload", false, null));
      URI upload = started.uri().resolve(location);
      String sep = upload.getRawQuery() == null ? "?" : "&";
      Request put = new Request("PUT", upload + sep + "digest=" + URLEncoder.encode(d.digest().toString(),
          StandardCharsets.UTF_8), Map.of("Content-Type", "application/octet-stream"), content, true, 64 << 10,
          "uploading blob " + d.digest() + " to " + location());
      Response done = caller.call(put);
      if (done.status() == 201 || done.status() == 204) {
        return d;
      }
      last = caller.failure(put, done);
      if (done.status() != 404) {
        throw last;
      }
    }
    throw last;
  }

  private boolean hasBlobForPush(Digest digest) throws OciException {
    Request r = new Request("HEAD", base() + "/blobs/" + digest, Map.of(), null, true, 0,
        "checking blob " + digest + " in " + location());
    Response resp = caller.call(r);
    return resp.ok();
  }

  @Override
  public Descriptor pushManifest(Manifest manifest, String tag) throws OciException {
    String ref = tag != null ? checkTag(tag) : manifest.digest().toString();
    Request put = new Request("PUT", base() + "/manifests/" + ref, Map.of("Content-Type", manifest.mediaType()),
        manifest.bytes(), true, 64 << 10, "pushing manifest " + manifest.digest()
            + (tag != null ? " as tag " + tag : "") + " to " + location());
    Response resp = caller.call(put);
    if (resp.status() != 201 && !resp.ok()) {
      throw caller.failure(put, resp);
    }
    Optional<String> stored = resp.header("Docker-Content-Digest");
    if (stored.isPresent() && stored.get().trim().startsWith(manifest.digest().algorithm() + ":")
        && !stored.get().trim().equals(manifest.digest().toString())) {
      throw caller.error(Reason.DIGEST_MISMATCH, resp.status(),
          put.what() + ": the registry stored it as " + stored.get().trim(), false, null);
    }
    Descriptor subject = manifest.subject();
    if (subject != null && resp.header("OCI-Subject").isEmpty()) {
      addToFallbackIndex(subject.digest(), referrerDescriptor(manifest));
    }
    return manifest.descriptor();
  }

  /** The descriptor a referrers list carries for {@code m}: its effective artifactType and its annotations. */
  static Descriptor referrerDescriptor(Manifest m) {
    return new Descriptor(m.mediaType(), m.digest(), m.size(), m.annotations(), m.effectiveArtifactType(), null);
  }

  /**
   * Adds {@code referrer} to the index at the subject's fallback tag ({@code <alg>-<hex>}), keeping what is there (fields
   * this module does not model included). Read-modify-write: two writers racing may lose one entry, as with every
   * client of the tag schema.
   */
  private void addToFallbackIndex(Digest subject, Descriptor referrer) throws OciException {
    String tag = subject.tagPrefix();
    Optional<Manifest> existing = fetchManifestByTag(tag);
    byte[] bytes;
    Descriptor entry = referrer;
    byte[] entryJson = Json.write(g -> Manifests.writeDescriptor(g, entry));
    if (existing.isPresent()) {
      if (!(existing.get() instanceof ImageIndex idx)) {
        throw caller.error(Reason.INVALID_CONTENT, 200, "updating referrers of " + subject + " in " + location()
            + ": tag " + tag + " holds a " + existing.get().mediaType() + ", not an index", false, null);
      }
      if (idx.manifests().stream().anyMatch(m -> m.digest().equals(referrer.digest()))) {
        return;
      }
      try {
        ObjectNode root = (ObjectNode) Json.parse(idx.bytes());
        ((ArrayNode) root.get("manifests")).add(Json.parse(entryJson));
        bytes = Json.write(root);
      } catch (Json.MalformedJsonException | ClassCastException e) {
        throw caller.error(Reason.INVALID_CONTENT, 200, "updating the referrers index at " + tag + ": " + e, false, e);
      }
    } else {
      bytes = Json.write(g -> {
        g.writeStartObject();
        g.writeNumberField("schemaVersion", 2);
        g.writeStringField("mediaType", MediaTypes.OCI_INDEX);
        g.writeArrayFieldStart("manifests");
        Manifests.writeDescriptor(g, entry);
        g.writeEndArray();
        g.writeEndObject();
      });
    }
    Manifests.parse(bytes, MediaTypes.OCI_INDEX);
    Request put = new Request("PUT", base() + "/manifests/" + tag, Map.of("Content-Type", MediaTypes.OCI_INDEX), bytes,
        true, 64 << 10, "pushing the referrers index " + tag + " to " + location());
    Response resp = caller.call(put);
    if (resp.status() != 201 && !resp.ok()) {
      throw caller.failure(put, resp);
    }
  }

  @Override
  public List<String> listTags() throws OciException {
    List<String> tags = new ArrayList<>();
    String next = base() + "/tags/list?n=1000";
    for (int page = 0; next != null; page++) {
      if (page >= MAX_PAGES) {
        throw caller.error(Reason.TOO_LARGE, 200, "listing tags of " + location() + ": more than " + MAX_PAGES
            + " pages", false, null);
      }
      Request r = Request.get(next, Map.of("Accept", "application/json"), Manifests.MAX_MANIFEST_BYTES,
          "listing tags of " + location());
      Response resp = caller.call(r);
      if (!resp.ok()) {
        throw caller.failure(r, resp);
      }
      try {
        JsonNode n = Json.parse(resp.body());
        JsonNode t = n.get("tags");
        if (t != null && t.isArray()) {
          for (JsonNode v : t) {
            if (v.isTextual()) {
              tags.add(v.asText());
            }
          }
        } else if (t != null && !t.isNull()) {
          throw caller.error(Reason.PROTOCOL, resp.status(), r.what() + ": tags is not an array", false, null);
        }
      } catch (Json.MalformedJsonException e) {
        throw caller.error(Reason.PROTOCOL, resp.status(), r.what() + ": " + e.getMessage(), false, e);
      }
      next = nextLink(resp);
    }
    return List.copyOf(tags);
  }

  @Override
  public Referrers referrers(Digest subject, String artifactType) throws OciException {
    Boolean api = caller.client().referrersApi.get(caller.registry);
    if (!Boolean.FALSE.equals(api)) {
      Optional<List<Descriptor>> viaApi = referrersApi(subject, artifactType);
      if (viaApi.isPresent()) {
        return new Referrers(viaApi.get(), Referrers.Source.REFERRERS_API);
      }
    }
    Optional<Manifest> index = fetchManifestByTag(subject.tagPrefix());
    if (index.isEmpty()) {
      return new Referrers(List.of(), Referrers.Source.FALLBACK_TAG);
    }
    if (!(index.get() instanceof ImageIndex idx)) {
      throw caller.error(Reason.INVALID_CONTENT, 200, "listing referrers of " + subject + " in " + location()
          + ": fallback tag " + subject.tagPrefix() + " holds a " + index.get().mediaType() + ", not an index", false,
          null);
    }
    return new Referrers(filter(idx.manifests(), artifactType), Referrers.Source.FALLBACK_TAG);
  }


  /** The referrers API's answer, or empty when the registry does not have the API (404, 400, 405, 501). */
  private Optional<List<Descriptor>> referrersApi(Digest subject, String artifactType) throws OciException {
    List<Descriptor> out = new ArrayList<>();
    String next = base() + "/referrers/" + subject
        + (artifactType == null ? "" : "?artifactType=" + URLEncoder.encode(artifactType, StandardCharsets.UTF_8));
    boolean filtered = artifactType == null;
    for (int page = 0; next != null; page++) {
      if (page >= MAX_PAGES) {
        throw caller.error(Reason.TOO_LARGE, 200, "listing referrers of " + subject + ": more than " + MAX_PAGES
            + " pages", false, null);
      }
      Request r = Request.get(next, Map.of("Accept", MediaTypes.OCI_INDEX), Manifests.MAX_MANIFEST_BYTES,
          "listing referrers of " + subject + " in " + location());
      Response resp = caller.call(r);
      int s = resp.status();
      if (page == 0 && (s == 404 || s == 400 || s == 405 || s == 501)) {
        // A registry without the API answers its router's plain 404; a distribution error body (NAME_UNKNOWN for a
        // repository that does not exist yet) does not prove the API is missing, so that answer is not remembered.
        boolean errorBody = resp.header("Content-Type").map(t -> t.contains("json")).orElse(false)
            && new String(resp.body(), StandardCharsets.UTF_8).contains("\"errors\"");
        if (!errorBody) {
          caller.client().referrersApi.put(caller.registry, Boolean.FALSE);
        }
        return Optional.empty();
      }
      if (!resp.ok()) {
        throw caller.failure(r, resp);
      }
      caller.client().referrersApi.put(caller.registry, Boolean.TRUE);
      Manifest m;
      try {
        m = Manifests.parse(resp.body(), MediaTypes.OCI_INDEX);
      } catch (OciException e) {
        throw caller.error(e.reason(), s, r.what() + ": " + e.getMessage(), false, e);
      }
      if (!(m instanceof ImageIndex idx)) {
        throw caller.error(Reason.PROTOCOL, s, r.what() + ": the answer is not an index", false, null);
      }
      out.addAll(idx.manifests());
      if (artifactType != null && resp.header("OCI-Filters-Applied").map(h -> h.contains("artifactType")).orElse(false)) {
        filtered = true;
      }
      next = nextLink(resp);
    }
    return Optional.of(filtered ? out : filter(out, artifactType));
  }

  private static List<Descriptor> filter(List<Descriptor> all, String artifactType) {
    if (artifactType == null) {
      return all;
    }
    return all.stream().filter(d -> artifactType.equals(d.artifactType())).toList();
  }

  private static String nextLink(Response resp) {
    Optional<String> link = resp.header("Link");
    if (link.isEmpty()) {
      return null;
    }
    Matcher m = LINK_NEXT.matcher(link.get());
    if (!m.find()) {
      return null;
    }
    return resp.uri().resolve(m.group(1)).toString();
  }

  @Override
  public String toString() {
    return "RegistryStore[" + location() + "]";
  }
}

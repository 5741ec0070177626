package dev.sigil.attestations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An in-toto ResourceDescriptor ({@code spec/v1/resource_descriptor.md}): a pointer to, or the content of, an artifact
 * or resource. At least one of {@code uri}, {@code digest} and {@code content} is set. {@code content} is kept as the
 * base64 text it was written as (checked canonical); {@link #contentBytes()} decodes it. {@code annotations} is an
 * object (empty if absent); accessors return copies.
 */
public record ResourceDescriptor(
    Optional<String> name,
    Optional<String> uri,
    DigestSet digest,
    Optional<String> content,
    Optional<String> downloadLocation,
    Optional<String> mediaType,
    ObjectNode annotations) {

  public ResourceDescriptor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(downloadLocation, "downloadLocation");
    Objects.requireNonNull(mediaType, "mediaType");
    annotations = annotations == null ? StrictJson.newObject() : annotations.deepCopy();
    if (uri.isEmpty() && digest.isEmpty() && content.isEmpty()) {
      throw new IllegalArgumentException("a resource descriptor needs a uri, a digest or content");
    }
  }

  /** A descriptor with a URI and digests only (the common form of a resolved dependency). */
  public static ResourceDescriptor of(String uri, DigestSet digest) {
    return new ResourceDescriptor(
        Optional.empty(), Optional.of(uri), digest, Optional.empty(), Optional.empty(), Optional.empty(), null);
  }

  @Override
  public ObjectNode annotations() {
    return annotations.deepCopy();
  }

  /** The decoded content, if any. */
  public Optional<byte[]> contentBytes() {
    if (content.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(StrictJson.decodeBase64(content.get(), ""));
    } catch (AttestationException e) {
      throw new IllegalStateException("content was checked when this descriptor was made", e);
    }
  }

  static ResourceDescriptor parse(JsonNode node, String pointer) throws AttestationException {
    ObjectNode o = Fields.requireObject(node, pointer, "a ResourceDescriptor object");
    Optional<String> name = Fields.optionalString(o, "name", pointer);
    Optional<String> uri = Fields.optionalString(o, "uri", pointer);
    DigestSet digest = Fields.digestSet(o.get("digest"), StrictJson.pointer(pointer, "digest"), false);
    Optional<String> content = Fields.optionalString(o, "content", pointer);
    if (content.isPresent()) {
      StrictJson.decodeBase64(content.get(), StrictJson.pointer(pointer, "content"));
    }
    Optional<String> download = Fields.optionalString(o, "downloadLocation", pointer);
    Optional<String> mediaType = Fields.optionalString(o, "mediaType", pointer);
    ObjectNode annotations = Fields.optionalObject(o, "annotations", pointer);
    if (uri.isEmpty() && digest.isEmpty() && content.isEmpty()) {
      throw AttestationException.missing(pointer, "at least one of uri, digest or content");
    }
    return new ResourceDescriptor(name, uri, digest, content, download, mediaType, annotations);
  }

  static List<ResourceDescriptor> parseList(ObjectNode parent, String field, String base) throws AttestationException {
    ArrayNode a = Fields.optionalArray(parent, field, base);
    String pointer = StrictJson.pointer(base, field);
    List<ResourceDescriptor> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(parse(a.get(i), StrictJson.pointer(pointer, i)));
    }
    return Collections.unmodifiableList(out);
  }

  /** This descriptor as JSON, fields in spec order, absent ones omitted. */
  public ObjectNode toJson() {
    ObjectNode o = StrictJson.newObject();
    name.ifPresent(v -> o.put("name", v));
    uri.ifPresent(v -> o.put("uri", v));
    if (!digest.isEmpty()) {
      ObjectNode d = o.putObject("digest");
      digest.entries().forEach(d::put);
    }
    content.ifPresent(v -> o.put("content", v));
    downloadLocation.ifPresent(v -> o.put("downloadLocation", v));
    mediaType.ifPresent(v -> o.put("mediaType", v));
    if (!annotations.isEmpty()) {
      o.set("annotations", annotations.deepCopy());
    }
    return o;
  }

  static ArrayNode toJson(List<ResourceDescriptor> list) {
    ArrayNode a = StrictJson.newArray();
    for (ResourceDescriptor d : list) {
      a.add(d.toJson());
    }
    return a;
  }
}

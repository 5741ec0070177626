package dev.sigil.oci;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.oci.OciException.Reason;
import dev.sigil.oci.internal.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and writes manifests and descriptors. Parsing is strict about what it reads (types, digests, sizes,
 * duplicate keys) and ignores fields it does not model; the exact bytes are kept, so nothing is lost.
 */
public final class Manifests {
  private Manifests() {}

  /** Manifests and indexes larger than this (4 MiB, the bound the distribution registry applies) are refused. */
  public static final int MAX_MANIFEST_BYTES = 4 << 20;

  /**
   * Parses a manifest or index and computes its SHA-256 digest.
   *
   * @param mediaTypeHint the media type the bytes came with (a {@code Content-Type}, a descriptor), or null. When both
   *     it and the document's own {@code mediaType} are present they must agree; when neither is, an index is
   *     recognised by its {@code manifests} array and anything else is read as an OCI image manifest.
   */
  public static Manifest parse(byte[] bytes, String mediaTypeHint) throws OciException {
    return parse(bytes, mediaTypeHint, Digest.sha256(bytes));
  }

  /**
   * Parses bytes received for {@code expected}: refuses them unless they hash to it (with its algorithm).
   */
  public static Manifest parseVerified(byte[] bytes, String mediaTypeHint, Digest expected) throws OciException {
    if (!expected.matches(bytes)) {
      throw new OciException(
          Reason.DIGEST_MISMATCH,
          "manifest content does not match the digest asked for: expected " + expected + ", received "
              + Digest.compute(expected.algorithm(), bytes) + " (" + bytes.length + " bytes)");
    }
    return parse(bytes, mediaTypeHint, expected);
  }

  private static Manifest parse(byte[] bytes, String hint, Digest digest) throws OciException {
    if (bytes.length > MAX_MANIFEST_BYTES) {
      throw new OciException(
          Reason.TOO_LARGE, "manifest is " + bytes.length + " bytes; the limit is " + MAX_MANIFEST_BYTES);
    }
    JsonNode root;
    try {
      root = Json.parse(bytes);
    } catch (Json.MalformedJsonException e) {
      throw new OciException(Reason.INVALID_CONTENT, "manifest " + digest + " is not JSON: " + e.getMessage());
    }
    if (!root.isObject()) {
      throw invalid(digest, "is not a JSON object");
    }
    String hintType = hint == null ? null : stripParameters(hint);
    if (hintType != null && hintType.isEmpty()) {
      hintType = null;
    }
    JsonNode sv = root.get("schemaVersion");
    if (sv == null || !sv.isIntegralNumber()) {
      throw invalid(digest, "has no integer schemaVersion");
    }
    if (sv.asInt() != 2 || MediaTypes.DOCKER_MANIFEST_V1_SIGNED.equals(hintType)) {
      throw new OciException(
          Reason.UNSUPPORTED,
          "manifest " + digest + " has schemaVersion " + sv.asText() + "; only schema 2 (OCI, Docker v2) is supported");
    }
    String own = optionalString(root, "mediaType", digest);
    if (own != null && hintType != null && !own.equals(hintType) && !"application/json".equals(hintType)
        && !"application/octet-stream".equals(hintType)) {
      throw invalid(digest, "says mediaType " + own + " but was served as " + hintType);
    }
    String type = own != null ? own : hintType;
    if (type == null || "application/json".equals(type) || "application/octet-stream".equals(type)) {
      type = root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }
    Map<String, String> annotations = annotations(root.get("annotations"), digest, "annotations");
    String artifactType = optionalString(root, "artifactType", digest);
    Descriptor subject = root.has("subject") && !root.get("subject").isNull()
        ? descriptor(root.get("subject"), digest, "subject") : null;
    if (MediaTypes.isIndex(type)) {
      JsonNode ms = root.get("manifests");
      if (ms == null || !ms.isArray()) {
        throw invalid(digest, "is an index without a manifests array");
      }
      List<Descriptor> list = new ArrayList<>(ms.size());
      for (int i = 0; i < ms.size(); i++) {
        list.add(descriptor(ms.get(i), digest, "manifests[" + i + "]"));
      }
      return new ImageIndex(type, list, annotations, artifactType, subject, digest, bytes);
    }
    if (MediaTypes.isImageManifest(type)) {
      JsonNode c = root.get("config");
      if (c == null) {
        throw invalid(digest, "is an image manifest without a config");
      }
      Descriptor config = descriptor(c, digest, "config");
      JsonNode ls = root.get("layers");
      List<Descriptor> layers = new ArrayList<>();
      if (ls != null && !ls.isNull()) {
        if (!ls.isArray()) {
          throw invalid(digest, "has layers that are not an array");
        }
        for (int i = 0; i < ls.size(); i++) {
          layers.add(descriptor(ls.get(i), digest, "layers[" + i + "]"));
        }
      }
      return new ImageManifest(type, config, layers, annotations, artifactType, subject, digest, bytes);
    }
    throw new OciException(Reason.UNSUPPORTED, "manifest " + digest + " has unsupported media type " + type);
  }

  /** Reads one descriptor object; {@code where} names it in messages. */
  public static Descriptor descriptor(JsonNode n, Digest in, String where) throws OciException {
    if (n == null || !n.isObject()) {
      throw invalid(in, where + " is not a descriptor object");
    }
    String mediaType = optionalString(n, "mediaType", in);
    if (mediaType == null || mediaType.isEmpty()) {
      throw invalid(in, where + " has no mediaType");
    }
    String d = optionalString(n, "digest", in);
    Digest digest;
    try {
      digest = Digest.parse(d);
    } catch (IllegalArgumentException e) {
      throw new OciException(
          d != null && d.indexOf(':') > 0 && !d.startsWith("sha256:") && !d.startsWith("sha512:")
              ? Reason.UNSUPPORTED : Reason.INVALID_CONTENT,
          "manifest " + in + ": " + where + ": " + e.getMessage());
    }
    JsonNode s = n.get("size");
    if (s == null || !s.isIntegralNumber() || !s.canConvertToLong() || s.asLong() < 0) {
      throw invalid(in, where + " has no valid size");
    }
    Platform platform = null;
    JsonNode p = n.get("platform");
    if (p != null && !p.isNull()) {
      if (!p.isObject()) {
        throw invalid(in, where + ".platform is not an object");
      }
      String os = optionalString(p, "os", in);
      String arch = optionalString(p, "architecture", in);
      if (os == null || arch == null) {
        throw invalid(in, where + ".platform needs os and architecture");
      }
      platform = new Platform(os, arch, optionalString(p, "variant", in));
    }
    return new Descriptor(
        mediaType, digest, s.asLong(), annotations(n.get("annotations"), in, where + ".annotations"),
        optionalString(n, "artifactType", in), platform);
  }

  /** Writes one descriptor object (go-containerregistry's field order; annotation keys sorted, as Go writes maps). */
  public static void writeDescriptor(JsonGenerator g, Descriptor d) throws IOException {
    g.writeStartObject();
    g.writeStringField("mediaType", d.mediaType());
    g.writeNumberField("size", d.size());
    g.writeStringField("digest", d.digest().toString());
    writeAnnotations(g, d.annotations());
    if (d.platform() != null) {
      g.writeObjectFieldStart("platform");
      g.writeStringField("architecture", d.platform().architecture());
      g.writeStringField("os", d.platform().os());
      if (d.platform().variant() != null) {
        g.writeStringField("variant", d.platform().variant());
      }
      g.writeEndObject();
    }
    if (d.artifactType() != null) {
      g.writeStringField("artifactType", d.artifactType());
    }
    g.writeEndObject();
  }

  static byte[] writeImageManifest(
      String mediaType, Descriptor config, List<Descriptor> layers, Map<String, String> annotations,
      Descriptor subject, String artifactType) {
    return Json.write(
        g -> {
          g.writeStartObject();
          g.writeNumberField("schemaVersion", 2);
          g.writeStringField("mediaType", mediaType);
          g.writeFieldName("config");
          writeDescriptor(g, config);
          g.writeArrayFieldStart("layers");
          for (Descriptor l : layers) {
            writeDescriptor(g, l);
          }
          g.writeEndArray();
          writeAnnotations(g, annotations);
          if (subject != null) {
            g.writeFieldName("subject");
            writeDescriptor(g, subject);
          }
          if (artifactType != null) {
            g.writeStringField("artifactType", artifactType);
          }
          g.writeEndObject();
        });
  }

  static byte[] writeIndex(String mediaType, List<Descriptor> manifests, Map<String, String> annotations) {
    return Json.write(
        g -> {
          g.writeStartObject();
          g.writeNumberField("schemaVersion", 2);
          g.writeStringField("mediaType", mediaType);
          g.writeArrayFieldStart("manifests");
          for (Descriptor m : manifests) {
            writeDescriptor(g, m);
          }
          g.writeEndArray();
          writeAnnotations(g, annotations);
          g.writeEndObject();
        });
  }

  private static void writeAnnotations(JsonGenerator g, Map<String, String> a) throws IOException {
    if (a.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart("annotations");
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(a).entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  private static Map<String, String> annotations(JsonNode n, Digest in, String where) throws OciException {
    if (n == null || n.isNull()) {
      return Map.of();
    }
    if (!n.isObject()) {
      throw invalid(in, where + " is not an object");
    }
    LinkedHashMap<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      if (!e.getValue().isTextual()) {
        throw invalid(in, where + "[\"" + Digest.clip(e.getKey()) + "\"] is not a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private static String optionalString(JsonNode n, String field, Digest in) throws OciException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw invalid(in, "field " + field + " is not a string");
    }
    return v.asText();
  }

  /** {@code type/subtype; charset=...} without its parameters, lower-cased. */
  public static String stripParameters(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim().toLowerCase(java.util.Locale.ROOT);
  }

  private static OciException invalid(Digest d, String what) {
    return new OciException(Reason.INVALID_CONTENT, "manifest " + d + " " + what);
  }
}

package dev.sigil.oci;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image in a registry, normalised as Docker normalises it ({@code distribution/reference}'s
 * {@code ParseNormalizedNamed}): {@code nginx} is {@code docker.io/library/nginx:latest}.
 *
 * <p>Rules: the first path component is the registry when it contains {@code .} or {@code :}, is {@code localhost},
 * or has an upper-case letter; otherwise the registry is {@code docker.io}. {@code index.docker.io} is written
 * {@code docker.io}; one-component Docker Hub names get {@code library/}. Repository path components are lowercase
 * {@code [a-z0-9]+} joined by {@code .}, {@code _}, {@code __} or runs of {@code -}; the whole name is at most 255
 * characters. A tag is {@code [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}}; a digest is {@code sha256:} + 64 or {@code sha512:}
 * + 128 lowercase hex digits. A reference with neither tag nor digest gets the tag {@code latest}. A bare 64-hex
 * string is refused, as Docker refuses it.
 *
 * @param registry the registry host (and port) as named, e.g. {@code docker.io}, {@code 127.0.0.1:5000}
 * @param repository the repository path, e.g. {@code library/nginx}
 * @param tag the tag, empty when only a digest was given
 * @param digest the digest, if any
 */
public record RegistryReference(String registry, String repository, Optional<String> tag, Optional<Digest> digest)
    implements ImageReference {
  public static final String DOCKER_HUB = "docker.io";
  static final String DOCKER_HUB_LEGACY = "index.docker.io";
  static final String DOCKER_HUB_ENDPOINT = "registry-1.docker.io";
  private static final int NAME_MAX = 255;

  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern DOMAIN_COMPONENT = Pattern.compile("[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]");
  private static final Pattern IPV6 = Pattern.compile("\\[[a-fA-F0-9:]+\\]");
  private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

  public RegistryReference {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(digest, "digest");
    if (tag.isEmpty() && digest.isEmpty()) {
      throw new IllegalArgumentException("a registry reference needs a tag or a digest");
    }
  }

  /** Parses with Docker's rules (see the class comment). */
  public static RegistryReference parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidReferenceException(String.valueOf(text), "empty reference");
    }
    if (HEX64.matcher(text).matches()) {
      throw new InvalidReferenceException(text, "a 64-hex string is not a repository name (did you mean @sha256:" + "...?)");
    }
    String rest = text;
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      String d = rest.substring(at + 1);
      try {
        digest = Digest.parse(d);
      } catch (IllegalArgumentException e) {
        throw new InvalidReferenceException(text, e.getMessage());
      }
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new InvalidReferenceException(
            text, "invalid tag \"" + Digest.clip(tag) + "\" (1-128 of A-Z a-z 0-9 _ . -, not starting with . or -)");
      }
    }
    if (rest.isEmpty()) {
      throw new InvalidReferenceException(text, "missing repository name");
    }
    String registry;
    String path;
    int slash = rest.indexOf('/');
    String first = slash < 0 ? rest : rest.substring(0, slash);
    if (slash < 0
        || (first.indexOf('.') < 0 && first.indexOf(':') < 0 && !first.equals("localhost")
            && first.toLowerCase(java.util.Locale.ROOT).equals(first))) {
      registry = DOCKER_HUB;
      path = rest;
    } else {
      registry = first;
      path = rest.substring(slash + 1);
      checkRegistry(text, registry);
    }
    if (registry.equals(DOCKER_HUB_LEGACY)) {
      registry = DOCKER_HUB;
    }
    if (registry.equals(DOCKER_HUB) && path.indexOf('/') < 0) {
      path = "library/" + path;
    }
    if (!path.toLowerCase(java.util.Locale.ROOT).equals(path)) {
      throw new InvalidReferenceException(text, "repository name \"" + Digest.clip(path) + "\" must be lowercase");
    }
    for (String component : path.split("/", -1)) {
      if (!PATH_COMPONENT.matcher(component).matches()) {
        throw new InvalidReferenceException(
            text,
            component.isEmpty()
                ? "empty path component in repository name"
                : "invalid repository path component \"" + Digest.clip(component)
                    + "\" (lowercase letters and digits, separated by . _ __ or -)");
      }
    }
    if (registry.length() + 1 + path.length() > NAME_MAX) {
      throw new InvalidReferenceException(text, "repository name must not be more than " + NAME_MAX + " characters");
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
    return new RegistryReference(registry, path, Optional.ofNullable(tag), Optional.ofNullable(digest));
  }

  private static void checkRegistry(String text, String registry) {
    String host = registry;
    int portAt = -1;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close > 0 && close + 1 < host.length() && host.charAt(close + 1) == ':') {
        portAt = close + 1;
      }
    } else {
      portAt = host.lastIndexOf(':');
    }
    if (portAt >= 0) {
      String port = host.substring(portAt + 1);
      host = host.substring(0, portAt);
      if (port.isEmpty() || !port.chars().allMatch(c -> c >= '0' && c <= '9') || port.length() > 5
          || Integer.parseInt(port) > 65535) {
        throw new InvalidReferenceException(text, "invalid registry port \"" + Digest.clip(port) + "\"");
      }
    }
    if (IPV6.matcher(host).matches()) {
      return;
    }
    for (String c : host.split("\\.", -1)) {
      if (!DOMAIN_COMPONENT.matcher(c).matches()) {
        throw new InvalidReferenceException(text, "invalid registry host \"" + Digest.clip(registry) + "\"");
      }
    }
  }

  @Override
  public RegistryReference withDigest(Digest newDigest) {
    return new RegistryReference(registry, repository, tag, Optional.of(newDigest));
  }

  /** The same repository with another tag and no digest. */
  public RegistryReference withTag(String newTag) {
    if (!TAG.matcher(newTag).matches()) {
      throw new InvalidReferenceException(newTag, "invalid tag");
    }
    return new RegistryReference(registry, repository, Optional.of(newTag), Optional.empty());
  }

  /** {@code registry/repository}, e.g. {@code docker.io/library/nginx}, {@code 127.0.0.1:5000/test/app}. */
  public String name() {
    return registry + "/" + repository;
  }

  /** The host[:port] to connect to: {@code docker.io} is served at {@code registry-1.docker.io}. */
  public String endpointHost() {
    return endpointHost(registry);
  }

  /** The host[:port] serving {@code registry}. */
  public static String endpointHost(String registry) {
    return registry.equals(DOCKER_HUB) || registry.equals(DOCKER_HUB_LEGACY) ? DOCKER_HUB_ENDPOINT : registry;
  }

  /** {@code @digest} when there is one, else {@code :tag}: the reference the registry is asked for. */
  public String tagOrDigest() {
    return digest.map(Digest::toString).orElseGet(tag::get);
  }

  /** Whether {@code tag} is a valid tag: {@code [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}}. */
  public static boolean isValidTag(String tag) {
    return tag != null && TAG.matcher(tag).matches();
  }

  @Override
  public String toString() {
    return name() + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
  }
}

package dev.sigil.policy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A glob over image repositories ({@code registry/repository}, no tag or digest): {@code *} matches within one path
 * segment, {@code **} across segments, {@code ?} one character of a segment. A pattern without a registry is
 * normalised as Docker normalises names ({@code nginx} is {@code docker.io/library/nginx}, {@code acme/*} is
 * {@code docker.io/acme/*}); so is {@code index.docker.io}. A pattern that starts with a wildcard is taken as is.
 */
public final class ImageGlob {
  private final String glob;
  private final String normalised;
  private final Pattern pattern;

  private ImageGlob(String glob, String normalised, Pattern pattern) {
    this.glob = glob;
    this.normalised = normalised;
    this.pattern = pattern;
  }

  /**
   * Compiles a glob.
   *
   * @throws IllegalArgumentException if it is empty, holds a tag or digest, or characters no repository name has
   */
  public static ImageGlob compile(String glob) {
    Objects.requireNonNull(glob, "glob");
    if (glob.isEmpty()) {
      throw new IllegalArgumentException("expected a glob such as registry.example.com/acme/**, found an empty string");
    }
    if (glob.contains("@")) {
      throw new IllegalArgumentException(
          "expected a repository glob without a digest (globs match registry/repository), found \"" + glob + "\"");
    }
    int lastSlash = glob.lastIndexOf('/');
    if (glob.indexOf(':', lastSlash + 1) >= 0 && lastSlash >= 0) {
      throw new IllegalArgumentException(
          "expected a repository glob without a tag (globs match registry/repository), found \"" + glob + "\"");
    }
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == '/'
              || c == ':' || c == '*' || c == '?' || (c >= 'A' && c <= 'Z' && i < Math.max(glob.indexOf('/'), 0));
      if (!ok) {
        throw new IllegalArgumentException(
            "expected lowercase letters, digits, . - _ / and the wildcards * ** ?, found '" + c + "' in \"" + glob + "\"");
      }
    }
    String normalised = normalise(glob);
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < normalised.length(); i++) {
      char c = normalised.charAt(i);
      if (c == '*') {
        if (i + 1 < normalised.length() && normalised.charAt(i + 1) == '*') {
          re.append(".*");
          i++;
        } else {
          re.append("[^/]*");
        }
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new ImageGlob(glob, normalised, Pattern.compile(re.toString()));
  }

  /** Docker's normalisation of a repository name or glob (a leading wildcard is left alone). */
  static String normalise(String name) {
    if (name.startsWith("*") || name.startsWith("?")) {
      return name;
    }
    int slash = name.indexOf('/');
    String first = slash < 0 ? name : name.substring(0, slash);
    boolean registry = first.contains(".") || first.contains(":") || first.equals("localhost");
    if (!registry) {
      return "docker.io/" + (slash < 0 ? "library/" : "") + name;
    }
    if (first.equals("index.docker.io") || first.equals("registry-1.docker.io")) {
      return "docker.io" + name.substring(first.length());
    }
    return name;
  }

  /** Whether the repository {@code registry/repository} (normalised) matches. */
  public boolean matches(String repository) {
    return pattern.matcher(normalise(repository)).matches();
  }

  /** The glob as written. */
  public String glob() {
    return glob;
  }

  @Override
  public String toString() {
    return glob.equals(normalised) ? glob : glob + " (" + normalised + ")";
  }
}

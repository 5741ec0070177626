package dev.sigil.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A content digest as OCI and Docker write it, {@code algorithm:hex}. Only the two registered algorithms are accepted:
 * {@code sha256} (64 lowercase hex digits) and {@code sha512} (128), as go-digest validates them.
 */
public record Digest(String algorithm, String hex) {
  public static final String SHA256 = "sha256";
  public static final String SHA512 = "sha512";

  public Digest {
    String problem = problem(algorithm, hex);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /**
   * Parses {@code sha256:<64 hex>} or {@code sha512:<128 hex>}.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code text}
   */
  public static Digest parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("digest is missing");
    }
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("invalid digest \"" + clip(text) + "\": expected algorithm:hex");
    }
    String alg = text.substring(0, colon);
    String hex = text.substring(colon + 1);
    String problem = problem(alg, hex);
    if (problem != null) {
      throw new IllegalArgumentException("invalid digest \"" + clip(text) + "\": " + problem);
    }
    return new Digest(alg, hex);
  }

  /** The SHA-256 digest of {@code bytes}. */
  public static Digest sha256(byte[] bytes) {
    return compute(SHA256, bytes);
  }

  /** The digest of {@code bytes} with {@code algorithm} ({@code sha256} or {@code sha512}). */
  public static Digest compute(String algorithm, byte[] bytes) {
    return new Digest(algorithm, HexFormat.of().formatHex(messageDigest(algorithm).digest(bytes)));
  }

  /** Whether {@code bytes} hash to this digest, with this digest's algorithm. */
  public boolean matches(byte[] bytes) {
    return MessageDigest.isEqual(
        HexFormat.of().parseHex(hex), messageDigest(algorithm).digest(bytes));
  }

  /** A fresh {@link MessageDigest} for this digest's algorithm, for streaming. */
  public MessageDigest newMessageDigest() {
    return messageDigest(algorithm);
  }

  /**
   * The tag naming things attached to this digest: {@code <alg>-<hex>}, the hex cut to 64 characters (the OCI
   * referrers fallback tag schema; cosign's {@code .sig}/{@code .att}/{@code .sbom} tags add a suffix). For sha256 the
   * whole digest is kept.
   */
  public String tagPrefix() {
    return algorithm + "-" + (hex.length() > 64 ? hex.substring(0, 64) : hex);
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }

  private static MessageDigest messageDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(SHA512.equals(algorithm) ? "SHA-512" : "SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm, e);
    }
  }

  private static String problem(String alg, String hex) {
    if (alg == null || hex == null) {
      return "algorithm and hex are required";
    }
    int want;
    if (SHA256.equals(alg)) {
      want = 64;
    } else if (SHA512.equals(alg)) {
      want = 128;
    } else {
      return "unsupported digest algorithm \"" + clip(alg) + "\" (sha256 and sha512 are supported)";
    }
    if (hex.length() != want) {
      return alg + " needs " + want + " hex digits, found " + hex.length();
    }
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return alg + " hex must be lowercase 0-9a-f";
      }
    }
    return null;
  }

  static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}

package dev.sigil.attestations;

import dev.sigil.attestations.AttestationException.Reason;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An in-toto DigestSet: algorithm name to encoded digest, for one artifact (in-toto attestation spec v1,
 * {@code spec/v1/digest_set.md}). Immutable; entries are sorted by algorithm name.
 *
 * <p>Values of the algorithms the spec names as lowercase hex ({@code sha256}, {@code sha224}, {@code sha384},
 * {@code sha512}, {@code sha512_224}, {@code sha512_256}, {@code sha3_*}, {@code sha1}, {@code md5}, {@code dirHash},
 * and the git object ids {@code gitCommit}, {@code gitTree}, {@code gitBlob}, {@code gitTag} as SHA-1 or SHA-256) must be
 * lowercase hex of the algorithm's length; this is stricter than in-toto-golang, which also accepts uppercase hex.
 * Other algorithm names (for example {@code arn}) are kept unchecked, as the spec requires, and never match anything.
 *
 * <p>Matching ({@link #matches}) uses only {@link DigestAlgorithm SHA-256, SHA-384 and SHA-512}.
 */
public record DigestSet(Map<String, String> entries) {
  /** The empty DigestSet (allowed in resource descriptors, never in subjects). */
  public static final DigestSet EMPTY = new DigestSet(Map.of());

  private static final Map<String, int[]> HEX_LENGTHS = hexLengths();

  private static Map<String, int[]> hexLengths() {
    Map<String, int[]> m = new TreeMap<>();
    m.put("md5", new int[] {32});
    m.put("sha1", new int[] {40});
    m.put("sha224", new int[] {56});
    m.put("sha512_224", new int[] {56});
    m.put("sha3_224", new int[] {56});
    m.put("sha256", new int[] {64});
    m.put("sha512_256", new int[] {64});
    m.put("sha3_256", new int[] {64});
    m.put("dirHash", new int[] {64});
    m.put("sha384", new int[] {96});
    m.put("sha3_384", new int[] {96});
    m.put("sha512", new int[] {128});
    m.put("sha3_512", new int[] {128});
    for (String git : new String[] {"gitCommit", "gitTree", "gitBlob", "gitTag"}) {
      m.put(git, new int[] {40, 64});
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * A DigestSet of these entries.
   *
   * @throws IllegalArgumentException if an entry of a known hex algorithm is not lowercase hex of its length, or a
   *     name or value is empty
   */
  public DigestSet {
    TreeMap<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> e : entries.entrySet()) {
      String problem = problem(e.getKey(), e.getValue());
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      copy.put(e.getKey(), e.getValue());
    }
    entries = Collections.unmodifiableMap(copy);
  }

  /** A DigestSet with one entry. */
  public static DigestSet of(String algorithm, String value) {
    return new DigestSet(Map.of(algorithm, value));
  }

  /** A DigestSet with one SHA-2 entry; {@code hex} may be in either case and is stored lowercase. */
  public static DigestSet of(DigestAlgorithm algorithm, String hex) {
    return of(algorithm.inTotoName(), hex.toLowerCase(Locale.ROOT));
  }

  /**
   * Parses an artifact digest given as {@code ALGORITHM:HEX} ({@code sha256:}, {@code sha384:} or {@code sha512:}),
   * hex in either case, as the CLI accepts digests in place of files.
   */
  public static DigestSet parseArtifactDigest(String s) throws AttestationException {
    int colon = s.indexOf(':');
    Optional<DigestAlgorithm> alg = colon < 0 ? Optional.empty() : DigestAlgorithm.fromInTotoName(s.substring(0, colon));
    if (alg.isEmpty()) {
      throw new AttestationException(
          Reason.INVALID_DIGEST,
          "",
          "expected sha256:HEX, sha384:HEX or sha512:HEX, found " + StrictJson.quote(s));
    }
    String hex = s.substring(colon + 1);
    if (hex.length() != alg.get().hexLength() || !isHex(hex, true)) {
      throw new AttestationException(
          Reason.INVALID_DIGEST,
          "",
          "expected " + alg.get().hexLength() + " hex digits after " + alg.get().inTotoName() + ":, found "
              + StrictJson.quote(hex));
    }
    return of(alg.get(), hex);
  }

  /** Why {@code value} is not acceptable for {@code algorithm}, or null if it is. */
  static String problem(String algorithm, String value) {
    if (algorithm.isEmpty()) {
      return "expected a digest algorithm name, found an empty one";
    }
    if (value.isEmpty()) {
      return "expected a digest value for " + algorithm + ", found an empty one";
    }
    int[] lengths = HEX_LENGTHS.get(algorithm);
    if (lengths == null) {
      return null;
    }
    if (!isHex(value, false)) {
      return "expected lowercase hex for " + algorithm + ", found " + StrictJson.quote(value);
    }
    for (int l : lengths) {
      if (value.length() == l) {
        return null;
      }
    }
    return "expected "
        + (lengths.length == 1 ? lengths[0] : lengths[0] + " or " + lengths[1])
        + " hex digits for "
        + algorithm
        + ", found "
        + value.length();
  }

  private static boolean isHex(String s, boolean anyCase) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (anyCase && c >= 'A' && c <= 'F');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The value for {@code algorithm}, if present. */
  public Optional<String> get(String algorithm) {
    return Optional.ofNullable(entries.get(algorithm));
  }

  /** The hex value for a SHA-2 {@code algorithm}, if present. */
  public Optional<String> get(DigestAlgorithm algorithm) {
    return get(algorithm.inTotoName());
  }

  /** The SHA-2 algorithms present, the ones an artifact can be matched by. */
  public Set<DigestAlgorithm> matchableAlgorithms() {
    EnumSet<DigestAlgorithm> s = EnumSet.noneOf(DigestAlgorithm.class);
    for (DigestAlgorithm a : DigestAlgorithm.values()) {
      if (entries.containsKey(a.inTotoName())) {
        s.add(a);
      }
    }
    return s;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * Whether this DigestSet and {@code artifact} name the same bytes: they share at least one of SHA-256, SHA-384 and
   * SHA-512, and every such shared algorithm has the same value (hex compared without regard to case). Other
   * algorithms are ignored. A disagreement in any shared SHA-2 algorithm is a mismatch even if another agrees: this is
   * stricter than the in-toto guideline (digest_set.md: "matching if ANY acceptable field matches"), which cannot
   * happen for honest inputs.
   */
  public boolean matches(DigestSet artifact) {
    boolean any = false;
    for (DigestAlgorithm a : DigestAlgorithm.values()) {
      String mine = entries.get(a.inTotoName());
      String theirs = artifact.entries.get(a.inTotoName());
      if (mine == null || theirs == null) {
        continue;
      }
      if (mine.length() != a.hexLength() || !mine.equalsIgnoreCase(theirs)) {
        return false;
      }
      any = true;
    }
    return any;
  }

  /** {@code alg:value} pairs joined with commas, e.g. {@code sha256:ab12..., sha512:cd34...}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : entries.entrySet()) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(e.getKey()).append(':').append(e.getValue());
    }
    return b.toString();
  }
}

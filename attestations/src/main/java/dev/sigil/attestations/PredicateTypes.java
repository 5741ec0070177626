package dev.sigil.attestations;

import dev.sigil.attestations.AttestationException.Reason;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Predicate type URIs, and cosign's short names for them.
 *
 * <p>{@link #COSIGN_SHORT_NAMES} is cosign 2.5's {@code PredicateTypeMap} ({@code cmd/cosign/cli/options/predicate.go},
 * unchanged in cosign 3), checked against {@code cosign attest-blob --type X} output: {@code custom} is cosign's own
 * {@value #COSIGN_CUSTOM} (cosign then wraps the predicate file as {@code {"Data": "<file text>", "Timestamp": ...}}),
 * {@code slsaprovenance} is v0.2, {@code spdx} and {@code spdxjson} share one URI ({@code spdx} embeds the file as a
 * JSON string, {@code spdxjson} as JSON), {@code openvex} is the unversioned {@value #OPENVEX}.
 */
public final class PredicateTypes {
  public static final String SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1";
  public static final String SLSA_PROVENANCE_V02 = "https://slsa.dev/provenance/v0.2";
  public static final String SLSA_VSA_V1 = "https://slsa.dev/verification_summary/v1";
  public static final String SPDX = "https://spdx.dev/Document";
  public static final String CYCLONEDX = "https://cyclonedx.org/bom";
  /** in-toto-golang's {@code PredicateLinkV1} (an in-toto 0.9 link), cosign's {@code link}. */
  public static final String IN_TOTO_LINK_V1 = "https://in-toto.io/Link/v1";
  public static final String COSIGN_CUSTOM = "https://cosign.sigstore.dev/attestation/v1";
  public static final String COSIGN_VULN = "https://cosign.sigstore.dev/attestation/vuln/v1";
  /** The OpenVEX namespace as cosign writes it; versioned forms ({@code .../ns/v0.2.0}) are recognised too. */
  public static final String OPENVEX = "https://openvex.dev/ns";

  /** cosign's {@code --type} short names, in cosign's order, to URIs. */
  public static final Map<String, String> COSIGN_SHORT_NAMES = shortNames();

  private static Map<String, String> shortNames() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("custom", COSIGN_CUSTOM);
    m.put("slsaprovenance", SLSA_PROVENANCE_V02);
    m.put("slsaprovenance02", SLSA_PROVENANCE_V02);
    m.put("slsaprovenance1", SLSA_PROVENANCE_V1);
    m.put("spdx", SPDX);
    m.put("spdxjson", SPDX);
    m.put("cyclonedx", CYCLONEDX);
    m.put("link", IN_TOTO_LINK_V1);
    m.put("vuln", COSIGN_VULN);
    m.put("openvex", OPENVEX);
    return Collections.unmodifiableMap(m);
  }

  private PredicateTypes() {}

  /**
   * The predicate type URI for a {@code --type} value: a cosign short name, or else an absolute URI taken as is.
   * cosign accepts anything Go's {@code url.ParseRequestURI} does, which includes bare absolute paths such as
   * {@code /x}; Sigil requires a scheme.
   */
  public static String resolve(String typeOrUri) throws AttestationException {
    String uri = COSIGN_SHORT_NAMES.get(typeOrUri);
    if (uri != null) {
      return uri;
    }
    try {
      if (new URI(typeOrUri).isAbsolute()) {
        return typeOrUri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new AttestationException(
        Reason.INVALID_VALUE,
        "",
        "expected a predicate type (" + String.join("|", COSIGN_SHORT_NAMES.keySet()) + ") or an absolute URI, found "
            + StrictJson.quote(typeOrUri));
  }

  /**
   * The predicate cosign writes for {@code --type custom}: the predicate file's text (not parsed) as {@code Data} and
   * the time as {@code Timestamp} (RFC 3339, whole seconds, UTC), cosign 2.5 {@code pkg/cosign/attestation}
   * {@code CosignPredicate}. For every other type cosign embeds the file as JSON (for {@code spdx} as a JSON string,
   * which only a v0.1 statement can carry; Sigil writes v1 statements, whose predicate is an object).
   */
  public static com.fasterxml.jackson.databind.node.ObjectNode cosignCustomPredicate(
      String predicateFileText, java.time.Instant time) {
    com.fasterxml.jackson.databind.node.ObjectNode o = StrictJson.newObject();
    o.put("Data", predicateFileText);
    o.put("Timestamp", Timestamps.format(time));
    return o;
  }

  /** A human name for a predicate type URI Sigil knows, e.g. "SLSA provenance v1". */
  public static Optional<String> describe(String uri) {
    switch (uri) {
      case SLSA_PROVENANCE_V1:
        return Optional.of("SLSA provenance v1");
      case SLSA_PROVENANCE_V02:
        return Optional.of("SLSA provenance v0.2");
      case SLSA_VSA_V1:
        return Optional.of("SLSA verification summary v1");
      case IN_TOTO_LINK_V1:
        return Optional.of("in-toto link (v0.9)");
      case COSIGN_CUSTOM:
        return Optional.of("cosign custom predicate");
      case COSIGN_VULN:
        return Optional.of("cosign vulnerability scan");
      default:
        break;
    }
    if (uri.equals(SPDX) || uri.startsWith(SPDX + "/")) {
      return Optional.of("SPDX document");
    }
    if (uri.equals(CYCLONEDX) || uri.startsWith(CYCLONEDX + "/")) {
      return Optional.of("CycloneDX BOM");
    }
    if (uri.equals(OPENVEX) || uri.startsWith(OPENVEX + "/")) {
      return Optional.of("OpenVEX document");
    }
    return Optional.empty();
  }
}

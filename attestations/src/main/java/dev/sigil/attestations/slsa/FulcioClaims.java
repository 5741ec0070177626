package dev.sigil.attestations.slsa;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Fulcio certificate claims (extensions under {@code 1.3.6.1.4.1.57264.1}, Fulcio {@code docs/oid-info.md}) given as
 * a plain map, so this module needs no X.509 code. Keys may be Fulcio's names in any of the spellings in use:
 * {@code sourceRepositoryURI}, {@code SourceRepositoryURI}, the verifier's {@code source-repository-uri}, or the OID
 * {@code 1.3.6.1.4.1.57264.1.12}; they are matched ignoring case and non-alphanumeric characters.
 */
public final class FulcioClaims {
  public static final String BUILD_SIGNER_URI = "buildSignerURI";
  public static final String BUILD_SIGNER_DIGEST = "buildSignerDigest";
  public static final String RUNNER_ENVIRONMENT = "runnerEnvironment";
  public static final String SOURCE_REPOSITORY_URI = "sourceRepositoryURI";
  public static final String SOURCE_REPOSITORY_DIGEST = "sourceRepositoryDigest";
  public static final String SOURCE_REPOSITORY_REF = "sourceRepositoryRef";
  public static final String SOURCE_REPOSITORY_IDENTIFIER = "sourceRepositoryIdentifier";
  public static final String SOURCE_REPOSITORY_OWNER_URI = "sourceRepositoryOwnerURI";
  public static final String SOURCE_REPOSITORY_OWNER_IDENTIFIER = "sourceRepositoryOwnerIdentifier";
  public static final String BUILD_CONFIG_URI = "buildConfigURI";
  public static final String BUILD_CONFIG_DIGEST = "buildConfigDigest";
  public static final String BUILD_TRIGGER = "buildTrigger";
  public static final String RUN_INVOCATION_URI = "runInvocationURI";
  public static final String ISSUER = "issuer";

  private static final Map<String, String> OID_ARCS = oidArcs();

  private static Map<String, String> oidArcs() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("8", ISSUER);
    m.put("9", BUILD_SIGNER_URI);
    m.put("10", BUILD_SIGNER_DIGEST);
    m.put("11", RUNNER_ENVIRONMENT);
    m.put("12", SOURCE_REPOSITORY_URI);
    m.put("13", SOURCE_REPOSITORY_DIGEST);
    m.put("14", SOURCE_REPOSITORY_REF);
    m.put("15", SOURCE_REPOSITORY_IDENTIFIER);
    m.put("16", SOURCE_REPOSITORY_OWNER_URI);
    m.put("17", SOURCE_REPOSITORY_OWNER_IDENTIFIER);
    m.put("18", BUILD_CONFIG_URI);
    m.put("19", BUILD_CONFIG_DIGEST);
    m.put("20", BUILD_TRIGGER);
    m.put("21", RUN_INVOCATION_URI);
    return Collections.unmodifiableMap(m);
  }

  private final Map<String, String> byKey;

  private FulcioClaims(Map<String, String> byKey) {
    this.byKey = byKey;
  }

  /** The claims in {@code raw}, whatever spelling its keys use. Empty values count as absent. */
  public static FulcioClaims of(Map<String, String> raw) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : raw.entrySet()) {
      if (e.getValue() == null || e.getValue().isEmpty()) {
        continue;
      }
      String k = e.getKey();
      if (k.startsWith("1.3.6.1.4.1.57264.1.")) {
        k = OID_ARCS.getOrDefault(k.substring("1.3.6.1.4.1.57264.1.".length()), k);
      }
      m.put(key(k), e.getValue());
    }
    return new FulcioClaims(Collections.unmodifiableMap(m));
  }

  private static String key(String name) {
    StringBuilder b = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        b.append(c);
      }
    }
    return b.toString().toLowerCase(Locale.ROOT);
  }

  /** The claim named {@code name} (one of this class's constants, or any spelling of it). */
  public Optional<String> get(String name) {
    return Optional.ofNullable(byKey.get(key(name)));
  }

  public boolean isEmpty() {
    return byKey.isEmpty();
  }
}

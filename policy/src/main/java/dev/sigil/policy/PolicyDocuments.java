package dev.sigil.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The YAML documents a policy file holds, as written (before validation). Field names are the format's; unknown fields
 * are refused by the loader.
 */
final class PolicyDocuments {
  private PolicyDocuments() {}

  static final String API_VERSION = "policy.sigil.dev/v1alpha1";

  record Metadata(String name, Map<String, String> labels, Map<String, String> annotations) {}

  /** {@code kind: ImagePolicy}. */
  record ImagePolicyDoc(String apiVersion, String kind, Metadata metadata, Spec spec) {}

  record Spec(
      List<Glob> images,
      List<Glob> exclude,
      String mode,
      Integer threshold,
      List<AuthorityDoc> authorities) {}

  record Glob(String glob) {}

  record AuthorityDoc(
      String name,
      KeyRef key,
      KeylessDoc keyless,
      @JsonProperty("static") StaticDoc staticAction,
      Boolean insecureIgnoreTlog,
      RootRef trustedRoot,
      List<AttestationDoc> attestations) {}

  record KeyRef(String data, String file) {}

  record RootRef(String name, String file) {}

  record KeylessDoc(RootRef trustedRoot, List<IdentityDoc> identities, Map<String, String> claims) {}

  record IdentityDoc(String issuer, String subject, String issuerRegExp, String subjectRegExp) {}

  record StaticDoc(String action) {}

  record AttestationDoc(String name, String predicateType, SlsaDoc slsa, List<ConditionDoc> conditions) {}

  record SlsaDoc(String builderId, String sourceRepository, String sourceRef) {}

  record ConditionDoc(String name, String expression, String message) {}

  /** {@code kind: PolicySettings}: one per set. */
  record SettingsDoc(String apiVersion, String kind, Metadata metadata, String noMatch, List<NamedRoot> trustedRoots) {}

  record NamedRoot(String name, String file) {}
}

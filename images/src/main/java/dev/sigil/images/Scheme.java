package dev.sigil.images;

/** Where a signature or attestation was found, which is also the format it is in. */
public enum Scheme {
  /** cosign's legacy signature tag {@code sha256-<hex>.sig}: simple-signing payloads with annotations. */
  COSIGN_SIGNATURE_TAG("tag .sig"),
  /** cosign's legacy attestation tag {@code sha256-<hex>.att}: DSSE envelopes with annotations. */
  COSIGN_ATTESTATION_TAG("tag .att"),
  /** A Sigstore bundle attached as an OCI 1.1 referrer (through the referrers API or its fallback tag). */
  BUNDLE_REFERRER("referrer");

  private final String label;

  Scheme(String label) {
    this.label = label;
  }

  /** Short words for reports, e.g. {@code tag .sig}. */
  public String label() {
    return label;
  }
}

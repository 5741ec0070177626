package dev.sigil.oci.cosign;

/** The layer annotations cosign reads and writes on signature and attestation layers. */
public final class CosignAnnotations {
  private CosignAnnotations() {}

  /** Base64 of the signature over the layer's payload (empty for attestations: the DSSE envelope carries it). */
  public static final String SIGNATURE = "dev.cosignproject.cosign/signature";
  /** PEM of the signing certificate (keyless). */
  public static final String CERTIFICATE = "dev.sigstore.cosign/certificate";
  /** PEM of the certificate chain (keyless). */
  public static final String CHAIN = "dev.sigstore.cosign/chain";
  /** JSON of the Rekor bundle ({@code SignedEntryTimestamp} and {@code Payload}). */
  public static final String BUNDLE = "dev.sigstore.cosign/bundle";
  /** JSON holding the base64 RFC 3161 timestamp response ({@code SignedRFC3161Timestamp}). */
  public static final String RFC3161_TIMESTAMP = "dev.sigstore.cosign/rfc3161timestamp";
  /** The in-toto predicate type of an attestation layer. */
  public static final String PREDICATE_TYPE = "predicateType";

  /** Annotations of a Sigstore bundle referrer manifest (cosign {@code --new-bundle-format}). */
  public static final String BUNDLE_CONTENT = "dev.sigstore.bundle.content";
  public static final String BUNDLE_PREDICATE_TYPE = "dev.sigstore.bundle.predicateType";
}

package dev.sigil.verifier.trust;

import dev.sigil.verifier.crypto.CryptoBackend;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Sigstore trust material a verifier starts from ({@code dev.sigstore.trustroot.v1.TrustedRoot}): certificate
 * authorities, transparency logs, certificate transparency logs and timestamp authorities, with their keys and
 * certificates parsed once. Immutable.
 *
 * <p>Read one with {@link #parse(byte[])}. Log IDs are unique within {@link #tlogs()} and within {@link #ctlogs()}
 * (the parser refuses duplicates, so lookups are unambiguous).
 *
 * @param mediaType the document's media type, one of {@link #MEDIA_TYPES}
 * @param certificateAuthorities Fulcio-style CAs, in document order
 * @param tlogs transparency logs (Rekor), in document order
 * @param ctlogs certificate transparency logs, in document order
 * @param timestampAuthorities RFC 3161 timestamp authorities, in document order
 */
public record TrustedRoot(
    String mediaType,
    List<CertificateAuthority> certificateAuthorities,
    List<TransparencyLogInstance> tlogs,
    List<TransparencyLogInstance> ctlogs,
    List<CertificateAuthority> timestampAuthorities)
    implements TrustedMaterial {

  /** The media type current Sigstore trusted roots carry. */
  public static final String MEDIA_TYPE_0_1 = "application/vnd.dev.sigstore.trustedroot+json;version=0.1";

  /** Every media type Sigil reads: the 0.1 form above and the newer {@code .v0.1+json} / {@code .v0.2+json} forms. */
  public static final List<String> MEDIA_TYPES =
      List.of(
          MEDIA_TYPE_0_1,
          "application/vnd.dev.sigstore.trustedroot.v0.1+json",
          "application/vnd.dev.sigstore.trustedroot.v0.2+json");

  /** Documents larger than this are refused before parsing (real trusted roots are a few tens of KiB). */
  public static final int MAX_TRUSTED_ROOT_BYTES = 8 * 1024 * 1024;

  public TrustedRoot {
    Objects.requireNonNull(mediaType, "mediaType");
    certificateAuthorities = List.copyOf(certificateAuthorities);
    tlogs = List.copyOf(tlogs);
    ctlogs = List.copyOf(ctlogs);
    timestampAuthorities = List.copyOf(timestampAuthorities);
    requireUniqueLogIds("tlogs", tlogs);
    requireUniqueLogIds("ctlogs", ctlogs);
  }

  /** A trusted root that trusts nothing. */
  public static TrustedRoot empty() {
    return new TrustedRoot(MEDIA_TYPE_0_1, List.of(), List.of(), List.of(), List.of());
  }

  /**
   * Parses a trusted root from its protobuf-JSON form. Strict about structure, types, keys and certificates (every
   * error names a JSON path); lenient only where protobuf JSON is: field names in lowerCamelCase or snake_case, enums
   * by name or number, base64 in the standard or URL alphabet with or without padding, null as absent, and unknown
   * fields ignored (for forward compatibility).
   *
   * @throws TrustedRootException if the document is not a usable trusted root
   */
  public static TrustedRoot parse(byte[] json) throws TrustedRootException {
    return parse(json, CryptoBackend.jca());
  }

  /**
   * As {@link #parse(byte[])}, with the certificates and keys read by {@code crypto} (the backend the verifier that
   * uses this root will verify with).
   */
  public static TrustedRoot parse(byte[] json, CryptoBackend crypto) throws TrustedRootException {
    return TrustedRootReader.read(json, crypto);
  }

  /** The transparency log with this log ID, if the root trusts one. */
  public Optional<TransparencyLogInstance> tlogByLogId(byte[] logId) {
    return byLogId(tlogs, logId);
  }

  /** The certificate transparency log with this log ID, if the root trusts one. */
  public Optional<TransparencyLogInstance> ctlogByLogId(byte[] logId) {
    return byLogId(ctlogs, logId);
  }

  /** Whether the root trusts nothing at all. */
  public boolean isEmpty() {
    return certificateAuthorities.isEmpty() && tlogs.isEmpty() && ctlogs.isEmpty() && timestampAuthorities.isEmpty();
  }

  private static Optional<TransparencyLogInstance> byLogId(List<TransparencyLogInstance> logs, byte[] logId) {
    if (logId == null) {
      return Optional.empty();
    }
    for (TransparencyLogInstance log : logs) {
      if (log.hasLogId(logId)) {
        return Optional.of(log);
      }
    }
    return Optional.empty();
  }

  private static void requireUniqueLogIds(String what, List<TransparencyLogInstance> logs) {
    List<byte[]> seen = new ArrayList<>();
    for (TransparencyLogInstance log : logs) {
      byte[] id = log.logId();
      for (byte[] s : seen) {
        if (java.util.Arrays.equals(s, id)) {
          throw new IllegalArgumentException(
              what + ": expected unique log IDs, found " + HexFormat.of().formatHex(id) + " twice");
        }
      }
      seen.add(id);
    }
  }
}

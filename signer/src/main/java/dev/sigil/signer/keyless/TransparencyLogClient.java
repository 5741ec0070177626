package dev.sigil.signer.keyless;

import dev.sigil.signer.SigningException;
import dev.sigil.verifier.entity.TransparencyLogEntry;
import java.net.URI;

/**
 * A transparency log a signer uploads to: Rekor v1 ({@link RekorClient}) or Rekor v2 ({@link RekorV2Client}). Either
 * takes the same proposed entries and returns the logged entry as a bundle carries it; which entry kinds it writes is
 * the client's business. Implementations are thread-safe and do no I/O in their constructors.
 */
public sealed interface TransparencyLogClient permits RekorClient, RekorV2Client {
  /** The log's base URL (as a signing config or trusted root names it). */
  URI baseUrl();

  /** The Rekor API generation: 1 or 2. */
  int majorApiVersion();

  /**
   * Whether the entries this log returns carry a signing time of their own (Rekor v1's SET-covered integrated time).
   * A Rekor v2 entry carries none: a signature logged only there needs an RFC 3161 timestamp to be verifiable.
   */
  default boolean provesSigningTime() {
    return majorApiVersion() == 1;
  }

  /**
   * Uploads the entry and returns the logged entry, once the log has included it.
   *
   * @throws SigningException for a network error, a refusal (status and the log's message) or a malformed response
   */
  TransparencyLogEntry upload(RekorClient.ProposedEntry entry) throws SigningException;
}

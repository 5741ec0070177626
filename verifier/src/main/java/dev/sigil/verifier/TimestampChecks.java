package dev.sigil.verifier;

import dev.sigil.verifier.crypto.CryptoBackend;
import dev.sigil.verifier.internal.Outcome;
import dev.sigil.verifier.internal.timestamp.TimestampResult;
import dev.sigil.verifier.internal.timestamp.TimestampVerifier;
import dev.sigil.verifier.internal.timestamp.TrustedTimestampAuthority;
import dev.sigil.verifier.internal.timestamp.VerifiedTimestamp;
import dev.sigil.verifier.trust.CertificateAuthority;
import dev.sigil.verifier.trust.TrustedMaterial;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Adapts the trusted root's timestamp authorities to {@link TimestampVerifier}; built once per verifier. */
final class TimestampChecks {
  private final TimestampVerifier verifier;
  private final boolean any;

  TimestampChecks(TrustedMaterial root, CryptoBackend crypto) {
    List<TrustedTimestampAuthority> tsas = new ArrayList<>();
    for (CertificateAuthority ca : root.timestampAuthorities()) {
      tsas.add(
          new TrustedTimestampAuthority(
              ca.certChain(), ca.validFor().startInstant().orElse(Instant.EPOCH), ca.validFor().endInstant()));
    }
    this.verifier = new TimestampVerifier(tsas, crypto);
    this.any = !tsas.isEmpty();
  }

  Outcome<SigningTime> verify(byte[] signedTimestamp, byte[] signature) {
    if (!any) {
      return Outcome.failure(
          Reason.TIMESTAMP_UNTRUSTED, "a timestamp authority in the trusted material, found none (it lists no TSAs)");
    }
    TimestampResult r = verifier.verify(signedTimestamp, signature);
    if (r instanceof TimestampResult.Verified v) {
      VerifiedTimestamp t = v.timestamp();
      return Outcome.ok(new SigningTime(t.genTime(), SigningTime.Source.TIMESTAMP_AUTHORITY, t.authoritySubject()));
    }
    TimestampResult.Rejected rej = (TimestampResult.Rejected) r;
    return Outcome.failure(
        switch (rej.reason()) {
          case MALFORMED, NOT_GRANTED, UNSUPPORTED_ALGORITHM -> Reason.TIMESTAMP_MALFORMED;
          case UNTRUSTED_SIGNER, INVALID_CHAIN -> Reason.TIMESTAMP_UNTRUSTED;
          case CERTIFICATE_NOT_VALID_AT_GEN_TIME, OUTSIDE_AUTHORITY_VALIDITY, INVALID_SIGNATURE, MESSAGE_IMPRINT_MISMATCH ->
              Reason.TIMESTAMP_INVALID;
        },
        rej.detail());
  }
}

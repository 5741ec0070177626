package dev.sigil.verifier;

import dev.sigil.verifier.internal.tlog.Result;
import dev.sigil.verifier.internal.timestamp.TimestampResult;
import dev.sigil.verifier.internal.timestamp.TimestampVerifier;
import dev.sigil.verifier.internal.timestamp.TrustedTimestampAuthority;
import dev.sigil.verifier.internal.timestamp.VerifiedTimestamp;
import dev.sigil.verifier.trust.CertificateAuthority;
import dev.sigil.verifier.trust.TrustedRoot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Adapts the trusted root's timestamp authorities to {@link TimestampVerifier}; built once per verifier. */
final class TimestampChecks {
  private final TimestampVerifier verifier;
  private final boolean any;

  TimestampChecks(TrustedRoot root) {
    List<TrustedTimestampAuthority> tsas = new ArrayList<>();
    for (CertificateAuthority ca : root.timestampAuthorities()) {
      tsas.add(
          new TrustedTimestampAuthority(
              ca.certChain(), ca.validFor().startInstant().orElse(Instant.EPOCH), ca.validFor().endInstant()));
    }
    this.verifier = new TimestampVerifier(tsas);
    this.any = !tsas.isEmpty();
  }

  Result<SigningTime> verify(byte[] signedTimestamp, byte[] signature) {
    if (!any) {
      return Result.failure("a timestamp authority in the trusted root, found none (the root lists no TSAs)");
    }
    TimestampResult r = verifier.verify(signedTimestamp, signature);
    if (r instanceof TimestampResult.Verified v) {
      VerifiedTimestamp t = v.timestamp();
      return Result.ok(new SigningTime(t.genTime(), SigningTime.Source.TIMESTAMP_AUTHORITY, t.authoritySubject()));
    }
    TimestampResult.Rejected rej = (TimestampResult.Rejected) r;
    return Result.failure(rej.detail());
  }
}

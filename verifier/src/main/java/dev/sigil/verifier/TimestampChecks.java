package dev.sigil.verifier;

import dev.sigil.verifier.internal.Outcome;
import dev.sigil.verifier.internal.timestamp.TimestampVerifier;
import dev.sigil.verifier.internal.timestamp.TrustedTimestampAuthority;
import dev.sigil.verifier.internal.timestamp.VerifiedTimestamp;
import dev.sigil.verifier.trust.CertificateAuthority;
import dev.sigil.verifier.trust.TrustedMaterial;
import java.util.ArrayList;
import java.util.List;

/**
 * Adapts the trusted root's timestamp authorities to {@link TimestampVerifier}, whose failures already carry
 * {@link Reason} codes; built once per verifier.
 */
final class TimestampChecks {
  private final TimestampVerifier verifier;
  private final boolean any;

  TimestampChecks(TrustedMaterial root) {
    List<TrustedTimestampAuthority> tsas = new ArrayList<>();
    for (CertificateAuthority ca : root.timestampAuthorities()) {
      tsas.add(
          new TrustedTimestampAuthority(ca.certChain(), ca.validFor()));
    }
    this.verifier = new TimestampVerifier(tsas);
    this.any = !tsas.isEmpty();
  }

  Outcome<SigningTime> verify(byte[] signedTimestamp, byte[] signature) {
    if (!any) {
      return Outcome.failure(
          Reason.TIMESTAMP_UNTRUSTED, "a timestamp authority in the trusted material, found none (it lists no TSAs)");
    }
    Outcome<VerifiedTimestamp> r = verifier.verify(signedTimestamp, signature);
    if (!r.isOk()) {
      return r.propagate();
    }
    VerifiedTimestamp t = r.value();
    return Outcome.ok(new SigningTime(t.genTime(), SigningTime.Source.TIMESTAMP_AUTHORITY, t.authoritySubject()));
  }
}

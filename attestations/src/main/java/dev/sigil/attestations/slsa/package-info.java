/**
 * SLSA checks on an already-verified provenance, as slsa-verifier makes them: {@link
 * dev.sigil.attestations.slsa.SlsaChecks#check} against {@link dev.sigil.attestations.slsa.SlsaExpectations} (source
 * URI, ref, builder id), and {@link dev.sigil.attestations.slsa.SlsaChecks#compareWithCertificate} against the Fulcio
 * claims of the signing certificate. Each check is a {@link dev.sigil.attestations.slsa.SlsaCheck} (name, expected,
 * found, passed) in a {@link dev.sigil.attestations.slsa.SlsaReport}. {@link dev.sigil.attestations.slsa.ProvenanceSummary}
 * is the common view of v1 and v0.2 provenance that the checks and {@code sigil inspect} read.
 */
package dev.sigil.attestations.slsa;

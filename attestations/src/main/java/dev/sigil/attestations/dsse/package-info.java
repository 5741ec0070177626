/**
 * DSSE envelopes (secure-systems-lab/dsse v1.0.2) and the pre-authentication encoding every DSSE signature covers:
 * {@link dev.sigil.attestations.dsse.DsseEnvelope}, {@link dev.sigil.attestations.dsse.DsseSignature}, and {@link
 * dev.sigil.attestations.dsse.DsseSigner} for callers that sign. Envelopes may carry several signatures by different
 * keys; deciding how many must verify is the verifier's policy.
 */
package dev.sigil.attestations.dsse;

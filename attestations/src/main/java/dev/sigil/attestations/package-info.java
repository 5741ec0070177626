/**
 * in-toto attestations as immutable values: the {@link dev.sigil.attestations.Statement} (in-toto Statement v1; v0.1
 * read), its {@link dev.sigil.attestations.Subject subjects} and {@link dev.sigil.attestations.DigestSet digest sets},
 * and typed {@link dev.sigil.attestations.Predicate predicates} ({@link dev.sigil.attestations.SlsaProvenanceV1 SLSA
 * provenance v1}, {@link dev.sigil.attestations.SlsaProvenanceV02 v0.2}, anything else as {@link
 * dev.sigil.attestations.GenericPredicate untyped JSON}), with cosign's predicate-type names ({@link
 * dev.sigil.attestations.PredicateTypes}).
 *
 * <p>This module models, parses, writes and validates shape. It never verifies a signature: the verifier does, and
 * hands the verified payload bytes to {@link dev.sigil.attestations.Statement#parse}. Everything here is pure (no
 * I/O but reading the shipped schemas from the class path), immutable and thread-safe.
 *
 * <p>Bounds on hostile input: statements at most {@link dev.sigil.attestations.Statement#MAX_PAYLOAD_BYTES} (16 MiB),
 * DSSE envelopes {@link dev.sigil.attestations.dsse.DsseEnvelope#MAX_ENVELOPE_BYTES} (24 MiB) with at most {@link
 * dev.sigil.attestations.dsse.DsseEnvelope#MAX_SIGNATURES} signatures, JSON nesting {@link
 * dev.sigil.attestations.StrictJson#MAX_DEPTH}, numbers 1000 characters. Parsing is linear in the input. Every refusal
 * is an {@link dev.sigil.attestations.AttestationException} with a stable reason and a JSON pointer; no Jackson,
 * Base64 or date-time exception escapes.
 *
 * <p>Packages: {@code dsse} (envelopes, PAE), {@code schema} (JSON Schema validation), {@code provenance} (SLSA v1
 * provenance from CI environments), {@code slsa} (slsa-verifier's checks and the certificate comparison). They depend
 * on this package; it depends on none of them.
 */
package dev.sigil.attestations;

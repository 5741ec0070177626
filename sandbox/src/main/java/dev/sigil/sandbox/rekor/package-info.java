/**
 * The storage and cryptographic core of an embedded, Rekor v1-compatible transparency log.
 *
 * <ul>
 *   <li>{@link dev.sigil.sandbox.rekor.TransparencyLog}: the durable append-only log (crash-safe file, group-committed
 *       fsyncs, genesis entry at index 0, signed checkpoints, SETs, inclusion and consistency proofs).
 *   <li>{@link dev.sigil.sandbox.rekor.ProposedEntries}: strict validation and Rekor-identical canonicalization of
 *       {@code hashedrekord 0.0.1} and {@code dsse 0.0.1} proposals.
 *   <li>{@link dev.sigil.sandbox.rekor.LogEntry}: an entry with everything a Rekor {@code LogEntry} response and a
 *       bundle's {@code tlogEntries[]} need ({@link dev.sigil.sandbox.rekor.LogEntry#toBundleEntry()}).
 *   <li>{@link dev.sigil.sandbox.rekor.SignedCheckpoint}, {@link dev.sigil.sandbox.rekor.LogKey}.
 * </ul>
 *
 * <p>Everything here is checked against the verifier module: proofs with {@code MerkleTree}, checkpoints with {@code
 * NoteVerifier.forRekorV1}, SETs with {@code RekorBody.setPayload}, whole entries with {@code EntryVerifier}. The HTTP
 * API ({@code /api/v1/log}, {@code /api/v1/log/entries}, {@code /api/v1/log/proof}, ...) is a separate layer on top.
 */
package dev.sigil.sandbox.rekor;

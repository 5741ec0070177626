package dev.sigil.verifier.entity;

/** What an entity signs: a message signature over an artifact digest, or a DSSE envelope. */
public sealed interface SignatureContent permits MessageSignature, DsseEnvelope {}

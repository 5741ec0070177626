package dev.sigil.attestations.dsse;

import java.security.GeneralSecurityException;

/**
 * Something that signs DSSE pre-authentication encodings with one key: the signer module's keys, a KMS, a test key.
 * {@link DsseEnvelope#sign} calls it once with the PAE bytes.
 */
public interface DsseSigner {
  /** The key id hint to record with the signature ({@code ""} for none). Never a secret. */
  String keyid();

  /** Signs {@code pae} (the whole encoding; the signer hashes it as its algorithm requires). */
  byte[] sign(byte[] pae) throws GeneralSecurityException;
}

package dev.sigil.verifier.entity;

import java.util.List;
import java.util.Objects;

/** A DSSE envelope: payload bytes, payload type and signatures over PAE(type, payload). */
public record DsseEnvelope(byte[] payload, String payloadType, List<DsseSignature> signatures) implements SignatureContent {
  public DsseEnvelope {
    payload = payload.clone();
    Objects.requireNonNull(payloadType, "payloadType");
    signatures = List.copyOf(signatures);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}

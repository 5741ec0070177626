package dev.sigil.verifier;

import dev.sigil.verifier.crypto.SignatureVerifier;
import dev.sigil.verifier.crypto.UnsupportedKeyException;
import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signature verifiers for signing-certificate keys, by their DER encoding. Safe to cache: a verifier is a pure
 * function of the key bytes. Worth caching: BouncyCastle prepares per-key point tables on first use, so a fresh P-256
 * key verifies in ~280 us and a known one in ~100 us (measured here), and an admission webhook or a CI gate sees the
 * same signatures again and again. Bounded: when full it is cleared rather than grown.
 */
final class KeyCache {
  private final int capacity;
  private final ConcurrentHashMap<ByteBuffer, SignatureVerifier> verifiers = new ConcurrentHashMap<>();

  KeyCache(int capacity) {
    this.capacity = capacity;
  }

  SignatureVerifier verifier(PublicKey key) throws UnsupportedKeyException {
    byte[] der = key.getEncoded();
    if (der == null) {
      return SignatureVerifier.of(key);
    }
    ByteBuffer k = ByteBuffer.wrap(der);
    SignatureVerifier v = verifiers.get(k);
    if (v == null) {
      v = SignatureVerifier.of(key);
      if (verifiers.size() >= capacity) {
        verifiers.clear();
      }
      verifiers.putIfAbsent(k, v);
    }
    return v;
  }
}

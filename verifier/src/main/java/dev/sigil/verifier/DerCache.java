package dev.sigil.verifier;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values computed from DER bytes (keys, certificates), kept by those exact bytes. Only for pure functions of the
 * bytes. Bounded: when full it is cleared rather than grown; capacity 0 keeps nothing. Thread-safe.
 */
final class DerCache<V> {
  private final int capacity;
  private final ConcurrentHashMap<ByteBuffer, V> values = new ConcurrentHashMap<>();

  DerCache(int capacity) {
    this.capacity = capacity;
  }

  /** The value kept for exactly these bytes, or null. */
  V get(byte[] der) {
    return capacity == 0 ? null : values.get(ByteBuffer.wrap(der));
  }

  /** Keeps {@code value} for {@code der}, which the cache then owns (pass a copy nobody else changes). */
  void put(byte[] der, V value) {
    if (capacity == 0) {
      return;
    }
    if (values.size() >= capacity) {
      values.clear();
    }
    values.putIfAbsent(ByteBuffer.wrap(der), value);
  }

  int size() {
    return values.size();
  }
}

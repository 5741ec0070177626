package dev.sigil.verifier.trust;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Everything a {@link dev.sigil.verifier.Verifier} trusts, each item with its validity window: certificate
 * authorities (Fulcio), transparency logs (Rekor), certificate transparency logs, timestamp authorities, and public
 * keys for key-based verification. Verification never fetches trusted material: it is assembled before, from a
 * {@code trusted_root.json} ({@link TrustedRoot}), a set of keys ({@link PublicKeyMaterial}), or several of those at
 * once ({@link #combine}).
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface TrustedMaterial {
  /** Certificate authorities that issue signing certificates. */
  List<CertificateAuthority> certificateAuthorities();

  /** Transparency logs (Rekor v1 and v2). Log IDs are unique. */
  List<TransparencyLogInstance> tlogs();

  /** Certificate transparency logs. Log IDs are unique. */
  List<TransparencyLogInstance> ctlogs();

  /** RFC 3161 timestamp authorities. */
  List<CertificateAuthority> timestampAuthorities();

  /** Public keys trusted for key-based signatures. */
  default List<TrustedPublicKey> publicKeys() {
    return List.of();
  }

  /** The trusted public key named by {@code hint}, if any. */
  default Optional<TrustedPublicKey> publicKey(String hint) {
    for (TrustedPublicKey k : publicKeys()) {
      if (k.hint().isPresent() && k.hint().get().equals(hint)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /**
   * All of these at once, in order: for example the public-good root beside a private one, plus a release key. A
   * log ID listed twice with the same key is kept once; with different keys it is refused.
   *
   * @throws IllegalArgumentException if two of them trust the same log ID with different keys
   */
  static TrustedMaterial combine(TrustedMaterial... materials) {
    return combine(Arrays.asList(materials));
  }

  /** As {@link #combine(TrustedMaterial...)}. */
  static TrustedMaterial combine(List<? extends TrustedMaterial> materials) {
    List<CertificateAuthority> cas = new ArrayList<>();
    List<TransparencyLogInstance> tlogs = new ArrayList<>();
    List<TransparencyLogInstance> ctlogs = new ArrayList<>();
    List<CertificateAuthority> tsas = new ArrayList<>();
    List<TrustedPublicKey> keys = new ArrayList<>();
    for (TrustedMaterial m : materials) {
      addDistinct(cas, m.certificateAuthorities());
      addLogs("tlogs", tlogs, m.tlogs());
      addLogs("ctlogs", ctlogs, m.ctlogs());
      addDistinct(tsas, m.timestampAuthorities());
      addDistinct(keys, m.publicKeys());
    }
    return new Collection(cas, tlogs, ctlogs, tsas, keys);
  }

  private static <T> void addDistinct(List<T> into, List<T> from) {
    for (T t : from) {
      if (!into.contains(t)) {
        into.add(t);
      }
    }
  }

  private static void addLogs(String what, List<TransparencyLogInstance> into, List<TransparencyLogInstance> from) {
    for (TransparencyLogInstance log : from) {
      TransparencyLogInstance same = null;
      for (TransparencyLogInstance have : into) {
        if (Arrays.equals(have.logId(), log.logId())) {
          same = have;
        }
      }
      if (same == null) {
        into.add(log);
      } else if (!same.publicKey().equals(log.publicKey())) {
        throw new IllegalArgumentException(
            what + ": log ID " + java.util.HexFormat.of().formatHex(log.logId()) + " is trusted with two different keys");
      }
    }
  }

  /** Several sources of trusted material as one; see {@link #combine}. */
  record Collection(
      List<CertificateAuthority> certificateAuthorities,
      List<TransparencyLogInstance> tlogs,
      List<TransparencyLogInstance> ctlogs,
      List<CertificateAuthority> timestampAuthorities,
      List<TrustedPublicKey> publicKeys)
      implements TrustedMaterial {
    public Collection {
      certificateAuthorities = List.copyOf(certificateAuthorities);
      tlogs = List.copyOf(tlogs);
      ctlogs = List.copyOf(ctlogs);
      timestampAuthorities = List.copyOf(timestampAuthorities);
      publicKeys = List.copyOf(publicKeys);
    }
  }
}

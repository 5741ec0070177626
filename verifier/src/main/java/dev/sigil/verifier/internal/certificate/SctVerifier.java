package dev.sigil.verifier.internal.certificate;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.crypto.Digests;
import dev.sigil.verifier.internal.crypto.InvalidSignatureException;
import dev.sigil.verifier.internal.crypto.KeyAlgorithm;
import dev.sigil.verifier.internal.crypto.SignatureVerifier;
import dev.sigil.verifier.internal.crypto.UnsupportedKeyException;
import java.io.ByteArrayOutputStream;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies the signed certificate timestamps (SCTs) embedded in a signing certificate (extension
 * {@code 1.3.6.1.4.1.11129.2.4.2}) against trusted certificate transparency logs, per RFC 6962 section 3.2: each SCT
 * is the log's signature over
 *
 * <pre>
 * sct_version (1 byte, 0) || signature_type (1 byte, 0 = certificate_timestamp) || timestamp (uint64, ms)
 *   || entry_type (uint16, 1 = precert_entry) || issuer_key_hash (32 bytes: SHA-256 of the issuer's DER SPKI)
 *   || tbs_certificate (uint24 length + the leaf's DER TBSCertificate with the SCT-list extension removed)
 *   || extensions (uint16 length + bytes)
 * </pre>
 *
 * <p>The certificate passes when SCTs from at least {@code threshold} distinct trusted logs verify, each log being
 * trusted at the SCT's own timestamp ({@code [validFrom, validUntil]}, closed). SCTs naming logs the caller does not
 * trust are skipped, as sigstore-go does. Build once and reuse; immutable and thread-safe. Log keys are prepared at
 * construction; a log whose key is unsupported is set aside and listed by {@link #unusableLogs()}.
 */
public final class SctVerifier {
  private static final int HASH_SHA256 = 4;
  private static final int HASH_SHA384 = 5;
  private static final int HASH_SHA512 = 6;
  private static final int HASH_INTRINSIC = 8;
  private static final int SIG_RSA = 1;
  private static final int SIG_ECDSA = 3;
  private static final int SIG_ED25519 = 7;

  private final List<Log> logs;
  private final List<String> unusable;
  private final int threshold;

  private SctVerifier(List<Log> logs, List<String> unusable, int threshold) {
    this.logs = List.copyOf(logs);
    this.unusable = List.copyOf(unusable);
    this.threshold = threshold;
  }

  /** A verifier requiring one valid SCT. */
  public static SctVerifier of(List<TrustedCtLog> logs) {
    return of(logs, 1);
  }

  /**
   * A verifier requiring valid SCTs from at least {@code threshold} distinct trusted logs.
   *
   * @throws IllegalArgumentException if {@code threshold < 1}
   */
  public static SctVerifier of(List<TrustedCtLog> logs, int threshold) {
    Objects.requireNonNull(logs, "logs");
    if (threshold < 1) {
      throw new IllegalArgumentException("SCT threshold: expected at least 1, found " + threshold);
    }
    List<Log> usable = new ArrayList<>();
    List<String> unusable = new ArrayList<>();
    for (int i = 0; i < logs.size(); i++) {
      TrustedCtLog log = Objects.requireNonNull(logs.get(i), "logs[" + i + "]");
      try {
        usable.add(new Log(log, SignatureVerifier.longLived(log.key())));
      } catch (UnsupportedKeyException e) {
        unusable.add("CT log " + log.logIdBase64() + ": " + e.getMessage());
      }
    }
    return new SctVerifier(usable, unusable, threshold);
  }

  public int threshold() {
    return threshold;
  }

  /** Why each trusted log that cannot be used was set aside (empty when all are usable). */
  public List<String> unusableLogs() {
    return unusable;
  }

  /** Verifies the SCTs of a chain {@link CertificateChainVerifier} accepted, with the issuer it found. */
  public SctVerification verify(VerifiedChain chain) {
    Objects.requireNonNull(chain, "chain");
    return verify(chain.leaf(), chain.issuer());
  }

  /**
   * Verifies the SCTs embedded in {@code leaf}.
   *
   * @param leaf the signing certificate
   * @param issuer the CA certificate that issued it (its key is what {@code issuer_key_hash} commits to); take it from
   *     a verified chain, never from the bundle unverified
   */
  public SctVerification verify(X509Certificate leaf, X509Certificate issuer) {
    Objects.requireNonNull(leaf, "leaf");
    Objects.requireNonNull(issuer, "issuer");
    List<SignedCertificateTimestamp> scts;
    byte[] precertTbs;
    byte[] issuerKeyHash;
    try {
      Precertificate pre = Precertificate.of(leaf);
      if (pre.sctList() == null) {
        return rejected(
            List.of(),
            "SCTs: expected an embedded SCT list (extension "
                + SignedCertificateTimestamp.SCT_LIST_OID
                + ") in the leaf certificate, found none");
      }
      scts = SignedCertificateTimestamp.parseList(pre.sctList());
      precertTbs = pre.tbs();
      issuerKeyHash =
          Digests.digest(HashAlgorithm.SHA2_256, Precertificate.subjectPublicKeyInfo(issuer));
    } catch (MalformedCertificateException e) {
      return rejected(List.of(), "SCTs: " + e.getMessage());
    }

    List<SctVerification.Sct> outcomes = new ArrayList<>();
    Set<String> verifiedLogs = new LinkedHashSet<>();
    for (int i = 0; i < scts.size(); i++) {
      SignedCertificateTimestamp sct = scts.get(i);
      SctVerification.Sct outcome = check(i + 1, sct, precertTbs, issuerKeyHash);
      outcomes.add(outcome);
      if (outcome.verified()) {
        verifiedLogs.add(outcome.logId());
      }
    }
    List<String> ids = List.copyOf(verifiedLogs);
    if (ids.size() >= threshold) {
      return new SctVerification(
          true,
          threshold,
          ids,
          outcomes,
          "SCTs: verified from " + ids.size() + " trusted CT log(s) " + ids + " (threshold " + threshold + ")");
    }
    StringBuilder sb =
        new StringBuilder("SCTs: expected valid SCTs from at least ")
            .append(threshold)
            .append(" distinct trusted CT log(s), found ")
            .append(ids.size());
    for (SctVerification.Sct o : outcomes) {
      if (!o.verified()) {
        sb.append("; SCT ").append(o.index()).append(": ").append(o.detail());
      }
    }
    return new SctVerification(false, threshold, ids, outcomes, sb.toString());
  }

  private SctVerification rejected(List<SctVerification.Sct> outcomes, String summary) {
    return new SctVerification(false, threshold, List.of(), outcomes, summary);
  }

  private SctVerification.Sct check(int index, SignedCertificateTimestamp sct, byte[] tbs, byte[] issuerKeyHash) {
    if (sct.version() != 0) {
      return new SctVerification.Sct(
          index, "", Optional.empty(), false, "version: expected v1 (0), found " + sct.version());
    }
    String id = sct.logIdBase64();
    Optional<java.time.Instant> time = Optional.of(sct.time());
    Log log = null;
    for (Log l : logs) {
      if (l.log.hasLogId(sct.logId())) {
        log = l;
        break;
      }
    }
    if (log == null) {
      return new SctVerification.Sct(
          index, id, time, false, "log ID: expected a trusted CT log, found unknown log " + id);
    }
    if (!log.log.windowContains(sct.time())) {
      return new SctVerification.Sct(
          index,
          id,
          time,
          false,
          "timestamp: expected inside log "
              + id
              + "'s trusted window "
              + log.log.describeWindow()
              + ", found "
              + sct.time());
    }
    byte[] signed = signedData(sct, tbs, issuerKeyHash);
    try {
      verifySignature(log.verifier, sct, signed);
    } catch (InvalidSignatureException | RuntimeException e) {
      return new SctVerification.Sct(
          index, id, time, false, "signature: expected it to verify with log " + id + "'s key, found it does not (" + e.getMessage() + ")");
    }
    return new SctVerification.Sct(
        index, id, time, true, "verified with log " + id + " at " + dev.sigil.verifier.internal.util.Instants.iso(sct.time()));
  }

  private static void verifySignature(SignatureVerifier key, SignedCertificateTimestamp sct, byte[] signed)
      throws InvalidSignatureException {
    KeyAlgorithm alg = key.algorithm();
    int h = sct.hashAlgorithm();
    int s = sct.signatureAlgorithm();
    if (s == SIG_ED25519 && h == HASH_INTRINSIC && alg == KeyAlgorithm.ED25519) {
      key.verifyMessage(signed, sct.signature());
      return;
    }
    HashAlgorithm hash =
        switch (h) {
          case HASH_SHA256 -> HashAlgorithm.SHA2_256;
          case HASH_SHA384 -> HashAlgorithm.SHA2_384;
          case HASH_SHA512 -> HashAlgorithm.SHA2_512;
          default -> null;
        };
    boolean keyFits =
        (s == SIG_ECDSA
                && (alg == KeyAlgorithm.ECDSA_P256
                    || alg == KeyAlgorithm.ECDSA_P384
                    || alg == KeyAlgorithm.ECDSA_P521))
            || (s == SIG_RSA && alg == KeyAlgorithm.RSA_PKCS1V15);
    if (hash == null || !keyFits) {
      throw new InvalidSignatureException(
          "algorithm: expected (hash, signature) fitting the log's "
              + alg.displayName()
              + " key, found ("
              + h
              + ", "
              + s
              + ")");
    }
    key.verifyDigest(hash, key.digest(hash, signed), sct.signature());
  }

  /** The RFC 6962 section 3.2 digitally-signed input for a precertificate SCT. */
  static byte[] signedData(SignedCertificateTimestamp sct, byte[] tbs, byte[] issuerKeyHash) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(tbs.length + 64 + sct.extensions().length);
    out.write(0); // sct_version v1
    out.write(0); // signature_type certificate_timestamp
    long ts = sct.timestamp();
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (ts >>> shift) & 0xff);
    }
    out.write(0); // entry_type precert_entry, uint16
    out.write(1);
    out.write(issuerKeyHash, 0, issuerKeyHash.length);
    out.write((tbs.length >>> 16) & 0xff); // uint24 length
    out.write((tbs.length >>> 8) & 0xff);
    out.write(tbs.length & 0xff);
    out.write(tbs, 0, tbs.length);
    byte[] ext = sct.extensions();
    out.write((ext.length >>> 8) & 0xff);
    out.write(ext.length & 0xff);
    out.write(ext, 0, ext.length);
    return out.toByteArray();
  }

  private record Log(TrustedCtLog log, SignatureVerifier verifier) {}
}

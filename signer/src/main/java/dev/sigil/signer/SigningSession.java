package dev.sigil.signer;

import dev.sigil.attestations.Statement;
import dev.sigil.attestations.dsse.DsseEnvelope;
import dev.sigil.attestations.dsse.DsseSigner;
import dev.sigil.signer.keyless.FulcioClient;
import dev.sigil.signer.keyless.IdToken;
import dev.sigil.signer.keyless.KeylessSigner;
import dev.sigil.signer.keyless.RekorClient;
import dev.sigil.signer.keyless.TimestampClient;
import dev.sigil.signer.keyless.TransparencyLogClient;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.entity.SignedEntity;
import dev.sigil.verifier.entity.TransparencyLogEntry;
import dev.sigil.verifier.internal.crypto.KeyAlgorithm;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import dev.sigil.verifier.trust.TrustedMaterial;
import java.io.IOException;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * One signer for one run: a key (optionally with a transparency log and a timestamp authority), or an ephemeral key
 * with one Fulcio certificate. It signs any number of payloads ({@link #signMessage}) and in-toto statements
 * ({@link #signStatement}, as DSSE envelopes), logs each in every configured transparency log (Rekor v1: {@code
 * hashedrekord 0.0.1} for messages, {@code dsse 0.0.1} for envelopes; Rekor v2: see {@link RekorV2Client}), timestamps
 * each with every configured TSA, and verifies what it assembles with {@link #requireVerified} before callers write it
 * anywhere. A Rekor v2 entry carries no signing time, so a session that logs to a Rekor v2 log must have a TSA: the
 * factories refuse one without.
 *
 * <p>A keyless session holds its ephemeral private key in memory only, for the session's life (Fulcio certificates
 * are valid for ten minutes: sign, then drop the session). Neither the key nor the identity token is ever written,
 * logged or put in a message. Thread-safe if its clients are (they are).
 */
public final class SigningSession {
  private final SigningKey key;
  private final List<X509Certificate> chain;
  private final Optional<KeylessSigner.Identity> identity;
  private final List<TransparencyLogClient> logs;
  private final List<TimestampClient> tsas;
  private final Verifier verifier;

  private SigningSession(
      SigningKey key,
      List<X509Certificate> chain,
      Optional<KeylessSigner.Identity> identity,
      List<TransparencyLogClient> logs,
      List<TimestampClient> tsas,
      TrustedMaterial trusted) {
    this.key = key;
    this.chain = List.copyOf(chain);
    this.identity = identity;
    this.logs = List.copyOf(logs);
    this.tsas = List.copyOf(tsas);
    this.verifier = Verifier.create(trusted);
  }

  /**
   * Refuses a Rekor v2 log without a timestamp authority: its entries prove no signing time, so what is signed could
   * not be verified.
   *
   * @throws IllegalArgumentException naming the log
   */
  public static void requireTimestampsForRekorV2(List<? extends TransparencyLogClient> logs, List<TimestampClient> tsas) {
    if (!tsas.isEmpty()) {
      return;
    }
    for (TransparencyLogClient l : logs) {
      if (!l.provesSigningTime()) {
        throw new IllegalArgumentException("the Rekor v" + l.majorApiVersion() + " log " + l.baseUrl()
            + " records no signing time, so an RFC 3161 timestamp is required, and no timestamp authority is"
            + " configured");
      }
    }
  }

  /** Signs with a key; nothing is logged or timestamped (verifiers must waive the log). No I/O. */
  public static SigningSession withKey(SigningKey key) {
    Objects.requireNonNull(key, "key");
    return new SigningSession(
        key, List.of(), Optional.empty(), List.of(), List.of(), PublicKeyMaterial.of(key.publicKey()));
  }

  /**
   * Signs with a key and logs every signature in {@code rekor} (and timestamps it with {@code tsa} when present). No
   * I/O until something is signed.
   *
   * @param root the trusted root holding the log's key (and the TSA's), for the self-checks
   */
  public static SigningSession withLoggedKey(
      SigningKey key, TransparencyLogClient rekor, Optional<TimestampClient> tsa, TrustedMaterial root) {
    Objects.requireNonNull(rekor, "rekor");
    Objects.requireNonNull(tsa, "tsa");
    return withLoggedKey(key, List.of(rekor), tsa.map(List::of).orElse(List.of()), root);
  }

  /**
   * Signs with a key and logs every signature in each of {@code logs} (at least one), timestamping it with each of
   * {@code tsas}. No I/O until something is signed.
   *
   * @throws IllegalArgumentException if a Rekor v2 log is given without a TSA
   */
  public static SigningSession withLoggedKey(
      SigningKey key, List<? extends TransparencyLogClient> logs, List<TimestampClient> tsas, TrustedMaterial root) {
    Objects.requireNonNull(key, "key");
    if (logs.isEmpty()) {
      throw new IllegalArgumentException("logs: expected at least one transparency log, found none");
    }
    requireTimestampsForRekorV2(logs, tsas);
    return new SigningSession(
        key, List.of(), Optional.empty(), List.copyOf(logs), tsas,
        TrustedMaterial.combine(root, PublicKeyMaterial.of(key.publicKey())));
  }

  /**
   * Starts a keyless session: generates an ephemeral ECDSA P-256 key and asks Fulcio for a certificate for the token's
   * identity (network I/O). Every signature is logged in {@code rekor}.
   *
   * @param root the trusted root of these services (CA, CT log, Rekor, TSA), for the self-checks
   * @throws SigningException if Fulcio refuses or answers with a certificate for another key or without an identity
   */
  public static SigningSession startKeyless(
      FulcioClient fulcio, IdToken token, TransparencyLogClient rekor, Optional<TimestampClient> tsa,
      TrustedMaterial root, SecureRandom random) throws SigningException {
    Objects.requireNonNull(rekor, "rekor");
    Objects.requireNonNull(tsa, "tsa");
    return startKeyless(fulcio, token, List.of(rekor), tsa.map(List::of).orElse(List.of()), root, random);
  }

  /**
   * As {@link #startKeyless(FulcioClient, IdToken, TransparencyLogClient, Optional, TrustedMaterial, SecureRandom)},
   * logging every signature in each of {@code logs} and timestamping it with each of {@code tsas}.
   *
   * @throws IllegalArgumentException if no log is given, or a Rekor v2 log without a TSA (before Fulcio is asked)
   */
  public static SigningSession startKeyless(
      FulcioClient fulcio, IdToken token, List<? extends TransparencyLogClient> logs, List<TimestampClient> tsas,
      TrustedMaterial root, SecureRandom random) throws SigningException {
    Objects.requireNonNull(fulcio, "fulcio");
    Objects.requireNonNull(token, "token");
    if (logs.isEmpty()) {
      throw new IllegalArgumentException("logs: expected at least one transparency log, found none");
    }
    requireTimestampsForRekorV2(logs, tsas);
    SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, random);
    byte[] pop = FulcioClient.proofOfPossession(key, token);
    List<X509Certificate> chain = fulcio.requestCertificate(token, key.publicKey(), pop);
    X509Certificate leaf = chain.get(0);
    if (!Arrays.equals(leaf.getPublicKey().getEncoded(), key.publicKey().getEncoded())) {
      throw new SigningException(
          "Fulcio at " + fulcio.baseUrl() + ": expected a certificate for the ephemeral public key that was sent, "
              + "found one for another key (subject " + leaf.getSubjectX500Principal() + ")");
    }
    KeylessSigner.Identity id = KeylessSigner.Identity.of(leaf, fulcio.baseUrl());
    return new SigningSession(key, chain, Optional.of(id), List.copyOf(logs), tsas, root);
  }

  /** Whether signatures carry a Fulcio certificate (rather than naming a public key). */
  public boolean isKeyless() {
    return identity.isPresent();
  }

  /** The certificate's identity, for keyless sessions. */
  public Optional<KeylessSigner.Identity> identity() {
    return identity;
  }

  /** Whether signatures are logged. */
  public boolean logs() {
    return !logs.isEmpty();
  }

  /** The first log signatures go to, if any. */
  public Optional<TransparencyLogClient> rekor() {
    return logs.stream().findFirst();
  }

  /** Every log signatures go to, in the order entries appear in bundles. */
  public List<TransparencyLogClient> transparencyLogs() {
    return logs;
  }

  /** Whether every log this session writes to records a signing time (Rekor v1), or it writes to none. */
  public boolean logsProveSigningTime() {
    return logs.stream().allMatch(TransparencyLogClient::provesSigningTime);
  }

  /** The first timestamp authority, if any. */
  public Optional<TimestampClient> timestampAuthority() {
    return tsas.stream().findFirst();
  }

  /** Every timestamp authority, in the order timestamps appear in bundles. */
  public List<TimestampClient> timestampAuthorities() {
    return tsas;
  }

  /** The signing key's algorithm (never its material). */
  public KeyAlgorithm algorithm() {
    return key.algorithm();
  }

  /** What verifies this session's signatures: a public key, or a certificate chain (leaf first). */
  public sealed interface Material permits KeyMaterial, CertificateMaterial {}

  /**
   * A public key.
   *
   * @param hint the key's hint as bundles carry it
   * @param pem the key in PEM
   */
  public record KeyMaterial(String hint, String pem) implements Material {}

  /**
   * A Fulcio certificate and the chain Fulcio returned with it.
   *
   * @param leafDer the signing certificate
   * @param chainDer the rest of the chain as Fulcio returned it (intermediates, root), never trusted as such
   */
  public record CertificateMaterial(byte[] leafDer, List<byte[]> chainDer) implements Material {
    public CertificateMaterial {
      leafDer = leafDer.clone();
      chainDer = List.copyOf(chainDer);
    }

    @Override
    public byte[] leafDer() {
      return leafDer.clone();
    }

    /** The leaf as one PEM block. */
    public String leafPem() {
      return pem("CERTIFICATE", leafDer);
    }

    /** The chain as consecutive PEM blocks, or empty when Fulcio returned only the leaf. */
    public Optional<String> chainPem() {
      if (chainDer.isEmpty()) {
        return Optional.empty();
      }
      StringBuilder sb = new StringBuilder();
      for (byte[] c : chainDer) {
        sb.append(pem("CERTIFICATE", c));
      }
      return Optional.of(sb.toString());
    }
  }

  /** This session's verification material. */
  public Material material() throws SigningException {
    if (chain.isEmpty()) {
      return new KeyMaterial(PublicKeys.hint(key.publicKey()), PublicKeys.toPem(key.publicKey()));
    }
    try {
      List<byte[]> rest = new ArrayList<>();
      for (int i = 1; i < chain.size(); i++) {
        rest.add(chain.get(i).getEncoded());
      }
      return new CertificateMaterial(chain.get(0).getEncoded(), rest);
    } catch (CertificateEncodingException e) {
      throw new SigningException("the Fulcio certificate does not re-encode (" + e.getMessage() + ")");
    }
  }

  /**
   * Signs {@code payload} as a message (cosign's image signatures sign their simple-signing payload this way): ECDSA
   * and RSA over the payload's digest with the key's hash (SHA-256 for P-256 and keyless), Ed25519 over the payload.
   * Logged as {@code hashedrekord 0.0.1} over that digest; the timestamp covers the signature bytes.
   *
   * @throws SigningException if a service fails, or an Ed25519 key is asked to log (a hashedrekord entry verifies a
   *     signature over a digest, which Ed25519 does not make)
   */
  public SignedMessage signMessage(byte[] payload) throws SigningException {
    byte[] data = payload.clone();
    KeyAlgorithm alg = key.algorithm();
    if (alg == KeyAlgorithm.ED25519 && !logs.isEmpty()) {
      throw new SigningException(
          "key algorithm: expected an ECDSA or RSA key for a Rekor hashedrekord entry (it verifies a signature over a"
              + " digest), found Ed25519; sign without a log upload, or use an ECDSA key");
    }
    HashAlgorithm hash = alg == KeyAlgorithm.ED25519 ? HashAlgorithm.SHA2_256 : alg.hash().orElseThrow();
    byte[] digest = digest(hash, data);
    byte[] signature;
    try {
      signature = alg == KeyAlgorithm.ED25519 ? DigestSigner.signMessage(key, data) : DigestSigner.signDigest(key, hash, digest);
    } catch (GeneralSecurityException e) {
      throw new SigningException("signing with the " + alg.displayName() + " key failed: " + e.getMessage());
    }
    Material m = material();
    List<TransparencyLogEntry> entries = upload(new RekorClient.HashedRekord(signature, hash, digest, verifierPem(m)));
    List<byte[]> timestamps = new ArrayList<>();
    for (TimestampClient t : tsas) {
      timestamps.add(t.timestamp(signature));
    }
    return new SignedMessage(data, hash, digest, signature, m, entries, timestamps);
  }

  /**
   * Signs the statement's exact bytes as a DSSE envelope (payload type {@value Statement#PAYLOAD_TYPE}, signature over
   * the PAE, no key id), logged as {@code dsse 0.0.1}.
   *
   * @param timestamp whether to ask the TSAs (when configured) for a timestamp over the signature; cosign's legacy
   *     {@code .att} layers timestamp other bytes (the whole envelope), so callers writing those pass false
   * @throws SigningException if a service fails, or {@code timestamp} is false while a log is Rekor v2 (its entry
   *     would prove no signing time)
   */
  public SignedStatement signStatement(Statement statement, boolean timestamp) throws SigningException {
    Objects.requireNonNull(statement, "statement");
    if (!timestamp && !logsProveSigningTime()) {
      throw new SigningException("a Rekor v2 entry records no signing time and this attestation is not to be"
          + " timestamped over its signature (cosign's .att layers cannot carry such a timestamp); store it as a"
          + " Sigstore bundle instead");
    }
    DsseEnvelope envelope;
    try {
      envelope = DsseEnvelope.sign(Statement.PAYLOAD_TYPE, statement.payload(), List.of(new KeySigner(key)));
    } catch (GeneralSecurityException e) {
      throw new SigningException("signing with the " + key.algorithm().displayName() + " key failed: " + e.getMessage());
    }
    Material m = material();
    List<TransparencyLogEntry> entries = upload(new RekorClient.Dsse(envelope.toJson(), List.of(verifierPem(m))));
    List<byte[]> timestamps = new ArrayList<>();
    if (timestamp) {
      for (TimestampClient t : tsas) {
        timestamps.add(t.timestamp(envelope.signatures().get(0).sig()));
      }
    }
    return new SignedStatement(statement, envelope, m, entries, timestamps);
  }

  /** Uploads to every log, in order. A log that cannot take this entry (e.g. its key type) is a SigningException. */
  private List<TransparencyLogEntry> upload(RekorClient.ProposedEntry entry) throws SigningException {
    List<TransparencyLogEntry> out = new ArrayList<>(logs.size());
    for (TransparencyLogClient l : logs) {
      try {
        out.add(l.upload(entry));
      } catch (IllegalArgumentException e) {
        throw new SigningException("Rekor v" + l.majorApiVersion() + " log " + l.baseUrl() + ": " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * Verifies what this session made, as a verifier with this session's trust would (its key, or the trusted root and
   * the certificate's exact identity; the log required when the session logs), and returns the result.
   *
   * @param artifact what the entity must sign: a payload's content, or the digest a statement's subject names
   * @throws SigningException naming the first failed check: nothing that fails here may be written
   */
  public VerificationResult.Verified requireVerified(SignedEntity entity, Artifact artifact, String what)
      throws SigningException {
    VerificationPolicy.Builder b = VerificationPolicy.builder().artifact(artifact);
    if (identity.isPresent()) {
      b.identity(IdentityMatcher.exact(identity.get().subjectAlternativeName(), identity.get().issuer()));
    } else {
      b.publicKey();
    }
    if (logs.isEmpty()) {
      b.withoutTransparencyLogUnsafe();
    }
    VerificationResult r = verifier.verify(entity, b.build());
    if (r instanceof VerificationResult.Rejected rejected) {
      throw new SigningException(
          "self-check of the new " + what + " failed, nothing written: " + rejected.failure().describe()
              + (logs.isEmpty() ? "" : " (is the trusted root the one of these services?)"));
    }
    return (VerificationResult.Verified) r;
  }

  private static String verifierPem(Material m) {
    return m instanceof KeyMaterial k ? k.pem() : ((CertificateMaterial) m).leafPem();
  }

  private static byte[] digest(HashAlgorithm h, byte[] data) {
    try {
      return MessageDigest.getInstance(h.jcaName()).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-2 is in every JDK", e);
    }
  }

  static String pem(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter w = new PemWriter(out)) {
      w.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new IllegalStateException("writing to a StringWriter cannot fail", e);
    }
    return out.toString();
  }

  /** The session key as a DSSE signer: the whole PAE, hashed as the key's algorithm requires. */
  private record KeySigner(SigningKey key) implements DsseSigner {
    @Override
    public String keyid() {
      return "";
    }

    @Override
    public byte[] sign(byte[] pae) throws GeneralSecurityException {
      return DigestSigner.signMessage(key, pae);
    }
  }

  @Override
  public String toString() {
    return "SigningSession[" + key.algorithm().displayName()
        + identity.map(i -> ", keyless as " + i.subjectAlternativeName()).orElse(", key")
        + (logs.isEmpty() ? ", no log" : ", logs=" + logs.stream().map(l -> l.baseUrl() + " (v" + l.majorApiVersion()
            + ")").toList())
        + (tsas.isEmpty() ? "" : ", tsas=" + tsas.stream().map(TimestampClient::url).toList()) + "]";
  }
}

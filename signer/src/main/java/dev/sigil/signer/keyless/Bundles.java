package dev.sigil.signer.keyless;

import dev.sigil.verifier.entity.TransparencyLogEntry;
import dev.sigil.verifier.entity.MessageDigest;
import dev.sigil.verifier.entity.MessageSignature;
import dev.sigil.signer.SigningException;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleVersion;
import dev.sigil.verifier.bundle.HashAlgorithm;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** Assembling v0.3 message-signature bundles and checking them before they leave the signer. */
final class Bundles {
  private Bundles() {}

  static Bundle messageSignature(
      Optional<String> publicKeyHint,
      List<byte[]> certificates,
      List<TransparencyLogEntry> entries,
      List<byte[]> timestamps,
      HashAlgorithm hash,
      byte[] digest,
      byte[] signature) {
    return new Bundle(
        BundleVersion.V0_3,
        BundleVersion.V0_3.mediaType(),
        new Bundle.VerificationMaterial(publicKeyHint, certificates, entries, timestamps),
        Optional.of(new MessageSignature(Optional.of(new MessageDigest(hash, digest)), signature)),
        Optional.empty());
  }

  /** Verifies the bundle; a failure becomes a {@link SigningException} naming the first failed check. */
  /** Uploads to every log, in order; a log that cannot take the entry (e.g. its key type) is a SigningException. */
  static List<TransparencyLogEntry> upload(List<TransparencyLogClient> logs, RekorClient.ProposedEntry entry)
      throws SigningException {
    List<TransparencyLogEntry> out = new java.util.ArrayList<>(logs.size());
    for (TransparencyLogClient l : logs) {
      try {
        out.add(l.upload(entry));
      } catch (IllegalArgumentException e) {
        throw new SigningException("Rekor v" + l.majorApiVersion() + " log " + l.baseUrl() + ": " + e.getMessage());
      }
    }
    return out;
  }

  static void selfCheck(Verifier verifier, Bundle bundle, VerificationPolicy policy, String what)
      throws SigningException {
    VerificationResult r = verifier.verify(bundle, policy);
    if (r instanceof VerificationResult.Rejected rejected) {
      throw new SigningException(
          "self-check of the new " + what + " bundle failed, nothing returned: "
              + rejected.failure().describe()
              + " (is the verifier built on the trusted root of these services?)");
    }
  }

  static String certificatePem(byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter w = new PemWriter(out)) {
      w.writeObject(new PemObject("CERTIFICATE", der));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("writing to a StringWriter cannot fail", e);
    }
    return out.toString();
  }
}

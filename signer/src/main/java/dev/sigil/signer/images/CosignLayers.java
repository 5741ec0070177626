package dev.sigil.signer.images;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sigil.oci.cosign.NewLayer;
import dev.sigil.signer.SignedMessage;
import dev.sigil.signer.SignedStatement;
import dev.sigil.signer.SigningSession;
import dev.sigil.verifier.entity.TransparencyLogEntry;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * cosign's legacy layers ({@code sha256-<hex>.sig} and {@code .att}) from what a {@link SigningSession} signed, with the
 * annotations exactly as cosign 2.5 writes them:
 *
 * <ul>
 *   <li>{@code dev.cosignproject.cosign/signature}: the base64 signature over the payload (empty for attestations,
 *       whose envelope carries it);
 *   <li>{@code dev.sigstore.cosign/certificate} and {@code /chain}: the Fulcio certificate and the chain Fulcio
 *       returned (keyless);
 *   <li>{@code dev.sigstore.cosign/bundle}: the Rekor entry as cosign's {@code bundle.RekorBundle}, {@code
 *       {"SignedEntryTimestamp":B64,"Payload":{"body":B64,"integratedTime":N,"logIndex":N,"logID":HEX}}} (when
 *       logged);
 *   <li>{@code dev.sigstore.cosign/rfc3161timestamp}: {@code {"SignedRFC3161Timestamp":B64}} of the TSA's response
 *       over the signature bytes (signatures only; see {@link SigningSession#signStatement}).
 * </ul>
 */
public final class CosignLayers {
  private static final JsonFactory JSON = new JsonFactory();

  private CosignLayers() {}

  /** A simple-signing signature layer. */
  public static NewLayer signature(SignedMessage m) {
    Cert c = cert(m.material());
    return NewLayer.signature(
        m.payload(),
        Base64.getEncoder().encodeToString(m.signature()),
        c.leaf,
        c.chain,
        firstWithSet(m.logEntries()),
        m.timestamps().isEmpty() ? null : rfc3161Timestamp(m.timestamps().get(0)));
  }

  /** A DSSE attestation layer ({@code application/vnd.dsse.envelope.v1+json}) with its {@code predicateType}. */
  public static NewLayer attestation(SignedStatement s) {
    Cert c = cert(s.material());
    return NewLayer.attestation(
        s.envelope().toJson(),
        s.statement().predicateType(),
        c.leaf,
        c.chain,
        firstWithSet(s.logEntries()));
  }

  /**
   * The annotation for the first entry with a signed entry timestamp (Rekor v1), or null: cosign's layers carry one
   * entry, and a Rekor v2 entry has no form there.
   */
  private static String firstWithSet(java.util.List<TransparencyLogEntry> entries) {
    for (TransparencyLogEntry e : entries) {
      if (e.signedEntryTimestamp().isPresent()) {
        return rekorBundle(e);
      }
    }
    return null;
  }

  /** cosign's {@code dev.sigstore.cosign/bundle} annotation for a Rekor v1 entry with a signed entry timestamp. */
  public static String rekorBundle(TransparencyLogEntry e) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField(
          "SignedEntryTimestamp", Base64.getEncoder().encodeToString(e.signedEntryTimestamp().orElseThrow(
              () -> new IllegalArgumentException("a Rekor v1 entry without a signed entry timestamp"))));
      g.writeObjectFieldStart("Payload");
      g.writeStringField("body", Base64.getEncoder().encodeToString(e.canonicalizedBody()));
      g.writeNumberField("integratedTime", e.integratedTime());
      g.writeNumberField("logIndex", e.logIndex());
      g.writeStringField("logID", HexFormat.of().formatHex(e.logKeyId()));
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  /** cosign's {@code dev.sigstore.cosign/rfc3161timestamp} annotation for a {@code TimeStampResp}. */
  public static String rfc3161Timestamp(byte[] timeStampResp) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("SignedRFC3161Timestamp", Base64.getEncoder().encodeToString(timeStampResp));
      g.writeEndObject();
    });
  }

  private record Cert(String leaf, String chain) {}

  private static Cert cert(SigningSession.Material m) {
    if (m instanceof SigningSession.CertificateMaterial c) {
      Optional<String> chain = c.chainPem();
      return new Cert(c.leafPem(), chain.orElse(null));
    }
    return new Cert(null, null);
  }

  private interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  private static String write(Writer w) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      w.write(g);
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to a string cannot fail", e);
    }
    return out.toString();
  }

}

package dev.sigil.verifier.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.verifier.entity.DsseEnvelope;
import dev.sigil.verifier.entity.DsseSignature;
import dev.sigil.verifier.entity.InclusionProof;
import dev.sigil.verifier.entity.MessageSignature;
import dev.sigil.verifier.entity.TransparencyLogEntry;
import dev.sigil.verifier.bundle.Bundle.VerificationMaterial;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Writes bundles in the protobuf-JSON form the other Sigstore clients read: camelCase fields, bytes as standard
 * base64, 64-bit integers as strings. v0.3 bundles carry a single leaf {@code certificate}; older versions an
 * {@code x509CertificateChain}.
 */
public final class BundleWriter {
  private final ObjectMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  /** The bundle as pretty-printed JSON, UTF-8, ending in a newline. */
  public byte[] write(Bundle bundle) {
    ObjectNode root = mapper.createObjectNode();
    root.put("mediaType", bundle.mediaType());
    root.set("verificationMaterial", material(bundle.version(), bundle.verificationMaterial()));
    bundle.messageSignature().ifPresent(m -> root.set("messageSignature", messageSignature(m)));
    bundle.dsseEnvelope().ifPresent(d -> root.set("dsseEnvelope", dsse(d)));
    try {
      return (mapper.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("serializing a JSON tree cannot fail", e);
    }
  }

  private ObjectNode material(BundleVersion version, VerificationMaterial m) {
    ObjectNode n = mapper.createObjectNode();
    if (m.isKeyBased()) {
      n.putObject("publicKey").put("hint", m.publicKeyHint().orElse(""));
    } else if (version == BundleVersion.V0_3) {
      n.putObject("certificate").put("rawBytes", b64(m.certificateChain().get(0)));
    } else {
      ArrayNode certs = n.putObject("x509CertificateChain").putArray("certificates");
      m.certificateChain().forEach(c -> certs.addObject().put("rawBytes", b64(c)));
    }
    ArrayNode entries = n.putArray("tlogEntries");
    m.tlogEntries().forEach(e -> entries.add(tlogEntry(e)));
    ObjectNode tvd = n.putObject("timestampVerificationData");
    if (!m.rfc3161Timestamps().isEmpty()) {
      ArrayNode ts = tvd.putArray("rfc3161Timestamps");
      m.rfc3161Timestamps().forEach(t -> ts.addObject().put("signedTimestamp", b64(t)));
    }
    return n;
  }

  private ObjectNode tlogEntry(TransparencyLogEntry e) {
    ObjectNode n = mapper.createObjectNode();
    n.put("logIndex", Long.toString(e.logIndex()));
    n.putObject("logId").put("keyId", b64(e.logKeyId()));
    n.putObject("kindVersion").put("kind", e.kind()).put("version", e.kindVersion());
    n.put("integratedTime", Long.toString(e.integratedTime()));
    e.signedEntryTimestamp()
        .ifPresent(s -> n.putObject("inclusionPromise").put("signedEntryTimestamp", b64(s)));
    e.inclusionProof().ifPresent(p -> n.set("inclusionProof", proof(p)));
    n.put("canonicalizedBody", b64(e.canonicalizedBody()));
    return n;
  }

  private ObjectNode proof(InclusionProof p) {
    ObjectNode n = mapper.createObjectNode();
    n.put("logIndex", Long.toString(p.logIndex()));
    n.put("rootHash", b64(p.rootHash()));
    n.put("treeSize", Long.toString(p.treeSize()));
    ArrayNode hashes = n.putArray("hashes");
    p.hashes().forEach(h -> hashes.add(b64(h)));
    p.checkpoint().ifPresent(c -> n.putObject("checkpoint").put("envelope", c));
    return n;
  }

  private ObjectNode messageSignature(MessageSignature m) {
    ObjectNode n = mapper.createObjectNode();
    m.messageDigest()
        .ifPresent(
            d ->
                n.putObject("messageDigest")
                    .put("algorithm", d.algorithm().name())
                    .put("digest", b64(d.digest())));
    n.put("signature", b64(m.signature()));
    return n;
  }

  private ObjectNode dsse(DsseEnvelope d) {
    ObjectNode n = mapper.createObjectNode();
    n.put("payload", b64(d.payload()));
    n.put("payloadType", d.payloadType());
    ArrayNode sigs = n.putArray("signatures");
    for (DsseSignature s : d.signatures()) {
      ObjectNode o = sigs.addObject();
      o.put("sig", b64(s.sig()));
      if (!s.keyId().isEmpty()) {
        o.put("keyid", s.keyId());
      }
    }
    return n;
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}

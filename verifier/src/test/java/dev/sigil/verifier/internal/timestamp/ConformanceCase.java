package dev.sigil.verifier.internal.timestamp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One sigstore-conformance {@code bundle-verify} case, copied under {@code src/test/resources/timestamp/conformance/}
 * (see PROVENANCE.md there), read with plain Jackson: this test deliberately does not depend on Sigil's bundle or
 * trusted-root parsers.
 */
record ConformanceCase(String name, JsonNode bundle, JsonNode trustedRoot) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static ConformanceCase load(String name) {
    JsonNode bundle = read("/timestamp/conformance/" + name + "/bundle.sigstore.json")
        .orElseThrow(() -> new IllegalStateException("no bundle for case " + name));
    JsonNode root = read("/timestamp/conformance/" + name + "/trusted_root.json")
        .or(() -> read("/timestamp/public-good-trusted_root.json"))
        .orElseThrow();
    return new ConformanceCase(name, bundle, root);
  }

  private static Optional<JsonNode> read(String resource) {
    try (InputStream in = ConformanceCase.class.getResourceAsStream(resource)) {
      return in == null ? Optional.empty() : Optional.of(JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first {@code rfc3161Timestamps[].signedTimestamp}, decoded. */
  byte[] signedTimestamp() {
    JsonNode ts = bundle.path("verificationMaterial").path("timestampVerificationData").path("rfc3161Timestamps");
    return Base64.getDecoder().decode(ts.get(0).path("signedTimestamp").asText());
  }

  /** What the timestamp covers: {@code messageSignature.signature} or the DSSE envelope's first signature. */
  byte[] signatureBytes() {
    JsonNode sig = bundle.has("messageSignature")
        ? bundle.path("messageSignature").path("signature")
        : bundle.path("dsseEnvelope").path("signatures").get(0).path("sig");
    return Base64.getDecoder().decode(sig.asText());
  }

  /** The first certificate of the bundle's verification material (the signing certificate), if any. */
  Optional<X509Certificate> signingCertificate() {
    JsonNode vm = bundle.path("verificationMaterial");
    JsonNode raw = vm.has("certificate")
        ? vm.path("certificate").path("rawBytes")
        : vm.path("x509CertificateChain").path("certificates").path(0).path("rawBytes");
    return raw.isMissingNode() ? Optional.empty() : Optional.of(certificate(raw.asText()));
  }

  /** {@code timestampAuthorities[]} of the case's trusted root, as the verifier's input. */
  List<TrustedTimestampAuthority> timestampAuthorities() {
    List<TrustedTimestampAuthority> out = new ArrayList<>();
    for (JsonNode ta : trustedRoot.path("timestampAuthorities")) {
      List<X509Certificate> chain = new ArrayList<>();
      for (JsonNode c : ta.path("certChain").path("certificates")) {
        chain.add(certificate(c.path("rawBytes").asText()));
      }
      JsonNode validFor = ta.path("validFor");
      Instant start = Instant.parse(validFor.path("start").asText());
      Optional<Instant> end = validFor.hasNonNull("end")
          ? Optional.of(Instant.parse(validFor.path("end").asText()))
          : Optional.empty();
      out.add(new TrustedTimestampAuthority(chain, start, end));
    }
    return out;
  }

  static X509Certificate certificate(String base64Der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Der)));
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.sigil.verifier.internal.certificate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.verifier.internal.crypto.PublicKeys;
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

/** Reads the copied Sigstore test data (bundles and trusted roots) with Jackson; no dependency on Sigil's parsers. */
final class Fixtures {
  static final String BEACON_SAN =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
          + "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  static final String GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  static JsonNode json(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/certificate/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource certificate/" + name);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static X509Certificate cert(byte[] der) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IllegalStateException("test certificate does not parse", e);
    }
  }

  static byte[] der(X509Certificate cert) {
    try {
      return cert.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The bundle's certificates: the single {@code certificate}, or every entry of {@code x509CertificateChain}. */
  static List<X509Certificate> bundleCertificates(String bundleFile) {
    JsonNode vm = json(bundleFile).get("verificationMaterial");
    List<X509Certificate> out = new ArrayList<>();
    if (vm.has("certificate")) {
      out.add(cert(Base64.getDecoder().decode(vm.get("certificate").get("rawBytes").asText())));
    } else {
      for (JsonNode c : vm.get("x509CertificateChain").get("certificates")) {
        out.add(cert(Base64.getDecoder().decode(c.get("rawBytes").asText())));
      }
    }
    return out;
  }

  static X509Certificate leaf(String bundleFile) {
    return bundleCertificates(bundleFile).get(0);
  }

  static X509Certificate happyLeaf() {
    return leaf("happy-path-v0.3.sigstore.json");
  }

  /** notBefore + 1 minute: inside the leaf's 10-minute validity. */
  static Instant signingTime(X509Certificate leaf) {
    return leaf.getNotBefore().toInstant().plusSeconds(60);
  }

  static List<TrustedCertificateAuthority> authorities(String trustedRootFile) {
    List<TrustedCertificateAuthority> out = new ArrayList<>();
    for (JsonNode ca : json(trustedRootFile).get("certificateAuthorities")) {
      List<X509Certificate> chain = new ArrayList<>();
      for (JsonNode c : ca.get("certChain").get("certificates")) {
        chain.add(cert(Base64.getDecoder().decode(c.get("rawBytes").asText())));
      }
      JsonNode validFor = ca.get("validFor");
      out.add(
          new TrustedCertificateAuthority(
              chain,
              validFor.has("start") ? Instant.parse(validFor.get("start").asText()) : Instant.MIN,
              validFor.has("end") ? Optional.of(Instant.parse(validFor.get("end").asText())) : Optional.empty()));
    }
    return out;
  }

  static List<TrustedCtLog> ctLogs(String trustedRootFile) {
    List<TrustedCtLog> out = new ArrayList<>();
    for (JsonNode log : json(trustedRootFile).get("ctlogs")) {
      JsonNode pk = log.get("publicKey");
      JsonNode validFor = pk.get("validFor");
      try {
        out.add(
            new TrustedCtLog(
                Base64.getDecoder().decode(log.get("logId").get("keyId").asText()),
                PublicKeys.fromDer(Base64.getDecoder().decode(pk.get("rawBytes").asText())),
                Instant.parse(validFor.get("start").asText()),
                validFor.has("end") ? Optional.of(Instant.parse(validFor.get("end").asText())) : Optional.empty()));
      } catch (dev.sigil.verifier.crypto.KeyParseException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  static List<TrustedCertificateAuthority> publicGoodAuthorities() {
    return authorities("public-good-trusted_root.json");
  }

  static List<TrustedCtLog> publicGoodCtLogs() {
    return ctLogs("public-good-trusted_root.json");
  }

  /** A copy of {@code der} with one byte XORed. */
  static byte[] flip(byte[] der, int index) {
    byte[] copy = der.clone();
    copy[index] ^= 0x01;
    return copy;
  }

  /** The offset of {@code needle} in {@code haystack}, or -1. */
  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

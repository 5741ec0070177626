package dev.sigil.attestations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.attestations.dsse.DsseEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test resources under {@code dev/sigil/attestations/}. */
public final class Fixtures {
  private Fixtures() {}

  public static byte[] bytes(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/dev/sigil/attestations/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The DSSE envelope of a Sigstore bundle resource. */
  public static DsseEnvelope envelope(String bundlePath) throws AttestationException {
    JsonNode bundle = StrictJson.parseObject(bytes(bundlePath), 1 << 26);
    return DsseEnvelope.fromJson(bundle.get("dsseEnvelope"), "/dsseEnvelope");
  }

  /** The in-toto statement inside a Sigstore bundle resource. */
  public static Statement statement(String bundlePath) throws AttestationException {
    return envelope(bundlePath).statement();
  }

  /** A minimal valid v1 statement with one sha256 subject, with {@code predicate} spliced in (JSON text). */
  public static String statementJson(String predicateType, String predicate) {
    return "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":{\"sha256\":\""
        + "ab".repeat(32)
        + "\"}}],\"predicateType\":\""
        + predicateType
        + "\""
        + (predicate == null ? "" : ",\"predicate\":" + predicate)
        + "}";
  }
}

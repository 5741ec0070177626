package dev.sigil.oci.cosign;

import static dev.sigil.oci.TestFiles.bytes;
import static dev.sigil.oci.TestFiles.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.oci.Digest;
import dev.sigil.oci.OciException;
import dev.sigil.oci.OciException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SimpleSigningPayloadTest {
  private static final String REF = "127.0.0.1:5123/test/app";

  @Test
  void writesExactlyWhatCosignWrote() throws OciException {
    byte[] withOptional = bytes("cosign/payload-optional.json");
    SimpleSigningPayload p = SimpleSigningPayload.parse(withOptional);
    assertEquals(REF, p.dockerReference());
    assertEquals(Map.of("team", "x"), p.optional());
    assertArrayEquals(withOptional, p.toJson());
    byte[] nullOptional = bytes("cosign/payload-null.json");
    SimpleSigningPayload q = SimpleSigningPayload.parse(nullOptional);
    assertEquals(Map.of(), q.optional());
    assertArrayEquals(nullOptional, SimpleSigningPayload.of(REF, q.manifestDigest()).toJson());
  }

  @Test
  void escapesAndSortsAsGo() {
    Map<String, Object> opt = new LinkedHashMap<>();
    opt.put("z", "a<b>&c\u2028");
    opt.put("a", List.of(1L, true, "é"));
    String json = new String(
        new SimpleSigningPayload("r.io/x", Digest.sha256(new byte[0]), opt).toJson(), StandardCharsets.UTF_8);
    assertTrue(json.endsWith("\"optional\":{\"a\":[1,true,\"é\"],\"z\":\"a\\u003cb\\u003e\\u0026c\\u2028\"}}"), json);
  }

  @Test
  void acceptsContainersImageOptionalFields() throws OciException {
    String json = "{\"critical\":{\"identity\":{\"docker-reference\":\"r.io/x:v1\"},\"image\":{\"docker-manifest-digest\":"
        + "\"sha256:" + "0".repeat(64) + "\"},\"type\":\"cosign container image signature\"},"
        + "\"optional\":{\"creator\":\"containers/image 5.34\",\"timestamp\":1733530000}}";
    SimpleSigningPayload p = SimpleSigningPayload.parse(utf8(json));
    assertEquals(1733530000L, p.optional().get("timestamp"));
    assertEquals("r.io/x:v1", p.dockerReference());
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{}|critical is missing",
    "[]|payload is not an object",
    "{\"critical\":{},\"optional\":null}|is missing",
    "{\"critical\":%C%,\"optional\":null,\"extra\":1}|unknown field \"extra\"",
    "{\"critical\":%C%,\"optional\":[]}|optional is not an object",
    "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"sha256:%H%\"},\"type\":\"cosign container image signature\",\"x\":1}}|unknown field \"x\"",
    "{\"critical\":{\"identity\":{\"docker-reference\":\"r\",\"k\":1},\"image\":{\"docker-manifest-digest\":\"sha256:%H%\"},\"type\":\"cosign container image signature\"}}|critical.identity has unknown field",
    "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"sha256:%H%\"},\"type\":\"atomic container signature\"}}|critical.type is",
    "{\"critical\":{\"identity\":{\"docker-reference\":1},\"image\":{\"docker-manifest-digest\":\"sha256:%H%\"},\"type\":\"cosign container image signature\"}}|docker-reference is not a string",
    "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"sha256:12\"},\"type\":\"cosign container image signature\"}}|docker-manifest-digest: invalid digest",
    "{\"critical\":%C%,\"critical\":%C%}|Duplicate field",
    "{\"critical\":%C%} trailing|malformed JSON",
  })
  void rejectsStrictly(String row) {
    String critical = "{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"sha256:"
        + "0".repeat(64) + "\"},\"type\":\"cosign container image signature\"}";
    String[] parts = row.split("\\|");
    String json = parts[0].replace("%C%", critical).replace("%H%", "0".repeat(64));
    OciException e = assertThrows(OciException.class, () -> SimpleSigningPayload.parse(utf8(json)));
    assertEquals(Reason.INVALID_CONTENT, e.reason());
    assertTrue(e.getMessage().contains(parts[1]), e.getMessage());
  }

  @Test
  void boundsSize() {
    OciException e = assertThrows(OciException.class,
        () -> SimpleSigningPayload.parse(new byte[SimpleSigningPayload.MAX_PAYLOAD_BYTES + 1]));
    assertEquals(Reason.TOO_LARGE, e.reason());
  }
}

package dev.sigil.signer.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Signing configs are read by the verifier's one strict JSON reader: strict UTF-8, strict integers. */
class SigningConfigStrictJsonTest {
  private static final String CONFIG =
      "{\"mediaType\":\"" + SigningConfig.MEDIA_TYPE + "\",\"caUrls\":[{\"url\":\"https://fulcio.example\","
          + "\"majorApiVersion\":1,\"validFor\":{\"start\":\"2021-01-01T00:00:00Z\"},\"operator\":\"OPERATOR\"}]}";

  private static String error(byte[] json) {
    return assertThrows(SigningConfigException.class, () -> SigningConfig.parse(json)).getMessage();
  }

  @Test
  void strictUtf8() throws Exception {
    SigningConfig.parse(CONFIG.getBytes(StandardCharsets.UTF_8));
    byte[] bom = ("\ufeff" + CONFIG).getBytes(StandardCharsets.UTF_8);
    assertTrue(error(bom).contains("byte-order mark"), error(bom));
    byte[] surrogate = CONFIG.replace("OPERATOR", "op\\ud800").getBytes(StandardCharsets.UTF_8);
    assertTrue(error(surrogate).contains("unpaired surrogate"), error(surrogate));
    byte[] overlong = CONFIG.replace("OPERATOR", "op##").getBytes(StandardCharsets.UTF_8);
    int at = CONFIG.indexOf("OPERATOR") + 2;
    overlong[at] = (byte) 0xE0;
    overlong[at + 1] = (byte) 0x80;
    byte[] withThird = new byte[overlong.length + 1];
    System.arraycopy(overlong, 0, withThird, 0, at + 2);
    withThird[at + 2] = (byte) 0xAF;
    System.arraycopy(overlong, at + 2, withThird, at + 3, overlong.length - at - 2);
    assertTrue(error(withThird).contains("overlong"), error(withThird));
    byte[] invalid = CONFIG.replace("OPERATOR", "op#").getBytes(StandardCharsets.UTF_8);
    invalid[CONFIG.indexOf("OPERATOR") + 2] = (byte) 0xFF;
    assertTrue(error(invalid).contains("invalid UTF-8"), error(invalid));
  }

  @Test
  void integersInTheirStrictForm() {
    for (String bad : new String[] {"1.0", "1e0", "\"1\"", "\"+1\"", "01"}) {
      String e = error(CONFIG.replace("\"majorApiVersion\":1", "\"majorApiVersion\":" + bad).getBytes(StandardCharsets.UTF_8));
      assertTrue(e.startsWith("caUrls[0].majorApiVersion: expected a positive integer") || e.startsWith("signing config: expected JSON"), e);
    }
  }
}

package dev.sigil.signer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.signer.config.SigningConfig.Selector;
import dev.sigil.signer.config.SigningConfig.Service;
import dev.sigil.signer.config.SigningConfig.ServiceConfiguration;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SigningConfigTest {
  private static final Instant NOW = Instant.parse("2025-09-01T00:00:00Z");

  private static byte[] resource(String name) throws Exception {
    try (InputStream in = SigningConfigTest.class.getResourceAsStream("/keyless/" + name)) {
      return in.readAllBytes();
    }
  }

  private static String error(String json) {
    return assertThrows(SigningConfigException.class, () -> SigningConfig.parse(json.getBytes(StandardCharsets.UTF_8)))
        .getMessage();
  }

  private static final String SERVICE =
      "{\"url\":\"https://rekor.example\",\"majorApiVersion\":1,\"validFor\":{\"start\":\"2021-01-01T00:00:00Z\"},"
          + "\"operator\":\"ex\"}";

  private static String config(String rekorEntries, String rekorConfig) {
    return "{\"mediaType\":\"" + SigningConfig.MEDIA_TYPE + "\",\"rekorTlogUrls\":[" + rekorEntries + "]"
        + (rekorConfig == null ? "" : ",\"rekorTlogConfig\":" + rekorConfig) + "}";
  }

  @Test
  void publicGoodSelectsSigstoreDev() throws Exception {
    SigningConfig pg = SigningConfig.publicGood();
    assertEquals(URI.create("https://fulcio.sigstore.dev"), pg.selectCa(NOW).url());
    assertEquals(List.of(URI.create("https://rekor.sigstore.dev")),
        pg.selectRekorTlogs(NOW).selected().stream().map(Service::url).toList());
    assertEquals(List.of(URI.create("https://timestamp.sigstore.dev/api/v1/timestamp")),
        pg.selectTsas(NOW).selected().stream().map(Service::url).toList());
    assertEquals(Optional.of(URI.create("https://oauth2.sigstore.dev/auth")), pg.selectOidc(NOW).map(Service::url));
    assertEquals(Selector.ANY, pg.rekorTlogConfig().selector());
    // The TSA only became valid on 2025-07-04.
    SigningConfigException e =
        assertThrows(SigningConfigException.class, () -> pg.selectTsas(Instant.parse("2025-01-01T00:00:00Z")));
    assertTrue(e.getMessage().startsWith("tsaUrls: expected a usable TSA service (API v1, valid at 2025-01-01T00:00:00Z),"
        + " found 0 of 1; https://timestamp.sigstore.dev/api/v1/timestamp: not valid at 2025-01-01T00:00:00Z"),
        e.getMessage());
  }

  @Test
  void sigstageExampleParses() throws Exception {
    SigningConfig c = SigningConfig.parse(resource("sigstage.signing_config.v0.2.json"));
    assertEquals(URI.create("https://fulcio.sigstage.dev"), c.selectCa(NOW).url());
    assertEquals(Instant.parse("2022-04-14T21:38:40Z"), c.caUrls().get(0).validFor().start());
    assertEquals("sigstore.dev", c.caUrls().get(0).operator());
  }

  @Test
  void rekorV2IsPreferredOverTheSameOperatorsV1AndExpiredCasAreNotChosen() throws Exception {
    SigningConfig c = SigningConfig.parse(resource("signingconfig-with-rekor-v2.json"));
    SigningConfig.Selection s = c.selectRekorTlogs(NOW);
    assertEquals(List.of(URI.create("https://rekor-v2.example.com")), s.selected().stream().map(Service::url).toList());
    assertEquals(2, s.selected().get(0).majorApiVersion());
    assertEquals(1, s.skipped().size());
    assertEquals(URI.create("https://rekor.example.com"), s.skipped().get(0).service().url());
    assertTrue(s.skipped().get(0).reason().startsWith("a newer service of the same operator"), s.skipped().toString());
    assertEquals(URI.create("https://fulcio.example.com"), c.selectCa(NOW).url());
    assertEquals(URI.create("https://fulcio-old.example.com"), c.selectCa(Instant.parse("2022-06-01T00:00:00Z")).url());
    // The end is exclusive.
    assertEquals(URI.create("https://fulcio.example.com"), c.selectCa(Instant.parse("2023-04-14T21:38:40Z")).url());
  }

  @Test
  void rekorApiVersionsThisSignerDoesNotSpeakAreSkippedAndOperatorsOnV1AndV2AreBothSelectedByAll() throws Exception {
    String v1 = SERVICE;
    String v2 = SERVICE.replace("rekor.example", "log2.example").replace("\"ex\"", "\"other\"")
        .replace("\"majorApiVersion\":1", "\"majorApiVersion\":2");
    String v3 = SERVICE.replace("rekor.example", "log3.example").replace("\"ex\"", "\"third\"")
        .replace("\"majorApiVersion\":1", "\"majorApiVersion\":3");
    SigningConfig all = SigningConfig.parse(config(v1 + "," + v2 + "," + v3, "{\"selector\":\"ALL\"}")
        .getBytes(StandardCharsets.UTF_8));
    SigningConfig.Selection s = all.selectRekorTlogs(NOW);
    assertEquals(List.of(URI.create("https://log2.example"), URI.create("https://rekor.example")),
        s.selected().stream().map(Service::url).toList(), "v2 first: the preferred version leads");
    assertEquals("Rekor API v3 is not supported (expected v1 or v2)", s.skipped().get(0).reason());
    SigningConfig any = SigningConfig.parse(config(v1 + "," + v2, "{\"selector\":\"ANY\"}")
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(URI.create("https://log2.example"), any.selectRekorTlogs(NOW).selected().get(0).url());
    SigningConfig onlyV3 = SigningConfig.parse(config(v3, "{\"selector\":\"ANY\"}").getBytes(StandardCharsets.UTF_8));
    SigningConfigException e = assertThrows(SigningConfigException.class, () -> onlyV3.selectRekorTlogs(NOW));
    assertTrue(e.getMessage().contains("(API v1 or v2, valid at") && e.getMessage().contains("Rekor API v3"),
        e.getMessage());
  }

  @Test
  void selectorsAllAnyExact() throws Exception {
    String a = SERVICE;
    String b = SERVICE.replace("rekor.example", "rekor2.example").replace("\"ex\"", "\"other\"");
    String sameOperatorNewer =
        SERVICE.replace("rekor.example", "rekor3.example").replace("2021-01-01", "2024-01-01");
    SigningConfig all = SigningConfig.parse(config(a + "," + b + "," + sameOperatorNewer, "{\"selector\":\"ALL\"}")
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of(URI.create("https://rekor3.example"), URI.create("https://rekor2.example")),
        all.selectRekorTlogs(NOW).selected().stream().map(Service::url).toList());
    SigningConfig exact2 = SigningConfig.parse(config(a + "," + b, "{\"selector\":\"EXACT\",\"count\":2}")
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(2, exact2.selectRekorTlogs(NOW).selected().size());
    SigningConfig exact3 = SigningConfig.parse(config(a + "," + b, "{\"selector\":\"EXACT\",\"count\":3}")
        .getBytes(StandardCharsets.UTF_8));
    SigningConfigException e = assertThrows(SigningConfigException.class, () -> exact3.selectRekorTlogs(NOW));
    assertTrue(e.getMessage().startsWith(
        "rekorTlogUrls: expected 3 usable Rekor service(s) from distinct operators (API v1 or v2, valid at "
            + NOW + "), found 2 of 2"), e.getMessage());
    SigningConfig any = SigningConfig.parse(config(a + "," + b, "{\"selector\":\"ANY\"}").getBytes(StandardCharsets.UTF_8));
    SigningConfig.Selection s = any.selectRekorTlogs(NOW);
    assertEquals(1, s.selected().size());
    assertTrue(s.skipped().get(0).reason().startsWith("not needed: selector ANY"));
  }

  @Test
  void emptyListsAreAllowedUntilNeeded() throws Exception {
    SigningConfig c = SigningConfig.parse(("{\"mediaType\":\"" + SigningConfig.MEDIA_TYPE + "\"}")
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of(), c.selectTsas(NOW).selected());
    assertEquals(Optional.empty(), c.selectOidc(NOW));
    assertEquals("caUrls: expected a usable Fulcio service (API v1, valid at " + NOW + "), found 0 of 0",
        assertThrows(SigningConfigException.class, () -> c.selectCa(NOW)).getMessage());
  }

  @Test
  void roundTripsThroughJson() throws Exception {
    SigningConfig c = SigningConfig.parse(resource("signingconfig-with-rekor-v2.json"));
    assertEquals(c, SigningConfig.parse(c.toJson()));
    SigningConfig built =
        new SigningConfig(
            List.of(Service.of(URI.create("http://127.0.0.1:8080"), 1, Instant.parse("2025-01-01T00:00:00Z"), "sandbox")),
            List.of(),
            List.of(Service.of(URI.create("http://127.0.0.1:8080"), 1, Instant.parse("2025-01-01T00:00:00Z"), "sandbox")),
            List.of(),
            ServiceConfiguration.exact(1),
            ServiceConfiguration.any());
    String json = new String(built.toJson(), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"count\" : 1"), json);
    assertEquals(built, SigningConfig.parse(built.toJson()));
  }

  @Test
  void strictParseNamesTheField() {
    assertEquals("signing config: expected a JSON object, found ARRAY", error("[]"));
    assertTrue(error("{").startsWith("signing config: expected JSON, found malformed input"));
    assertEquals("mediaType: expected \"" + SigningConfig.MEDIA_TYPE + "\", found no mediaType", error("{}"));
    assertTrue(error("{\"mediaType\":\"application/vnd.dev.sigstore.signingconfig.v0.1+json\"}")
        .endsWith("(v0.1 signing configs, with single caUrl/tlogUrls strings, are not supported)"));
    assertEquals("caUrl: unknown field; expected one of [caUrls, mediaType, oidcUrls, rekorTlogConfig, rekorTlogUrls, "
        + "tsaConfig, tsaUrls]", error("{\"mediaType\":\"" + SigningConfig.MEDIA_TYPE + "\",\"caUrl\":\"x\"}"));
    assertEquals("rekorTlogConfig: expected an object with a selector (ALL, ANY or EXACT), found no value",
        error(config(SERVICE, null)));
    assertEquals("rekorTlogConfig.selector: expected ALL, ANY or EXACT, found \"SOME\"",
        error(config(SERVICE, "{\"selector\":\"SOME\"}")));
    assertEquals("rekorTlogConfig.count: expected a positive integer for selector EXACT, found no value",
        error(config(SERVICE, "{\"selector\":\"EXACT\"}")));
    assertEquals("rekorTlogConfig.count: expected no count for selector ANY, found 2",
        error(config(SERVICE, "{\"selector\":\"ANY\",\"count\":2}")));
    String any = "{\"selector\":\"ANY\"}";
    assertEquals("rekorTlogUrls[1].validFor.start: expected an RFC 3339 timestamp (e.g. 2025-04-09T00:00:00Z), "
        + "found \"yesterday\"", error(config(SERVICE + "," + SERVICE.replace("2021-01-01T00:00:00Z", "yesterday"), any)));
    assertEquals("rekorTlogUrls[0].majorApiVersion: expected a positive integer, found \"1\"",
        error(config(SERVICE.replace("\"majorApiVersion\":1", "\"majorApiVersion\":\"1\""), any)));
    assertEquals("rekorTlogUrls[0].url: expected an absolute http(s) URL, found \"ftp://rekor.example\"",
        error(config(SERVICE.replace("https://", "ftp://"), any)));
    assertEquals("rekorTlogUrls[0].operator: expected a non-empty string, found \"\"",
        error(config(SERVICE.replace("\"ex\"", "\"\""), any)));
    assertEquals("rekorTlogUrls[0].validFor.stop: unknown field; expected one of [end, start]",
        error(config(SERVICE.replace("\"start\"", "\"stop\""), any)));
    assertEquals("rekorTlogUrls[0].validity: expected end after start 2021-01-01T00:00:00Z, found end "
        + "2020-01-01T00:00:00Z",
        error(config(SERVICE.replace("\"2021-01-01T00:00:00Z\"}", "\"2021-01-01T00:00:00Z\",\"end\":\"2020-01-01T00:00:00Z\"}"), any)));
    assertEquals("rekorTlogUrls: expected an array of services, found object {}",
        error("{\"mediaType\":\"" + SigningConfig.MEDIA_TYPE + "\",\"rekorTlogUrls\":{}}"));
    assertTrue(error("{\"mediaType\":\"" + SigningConfig.MEDIA_TYPE + "\",\"mediaType\":\"x\"}")
        .contains("Duplicate field 'mediaType'"));
  }
}

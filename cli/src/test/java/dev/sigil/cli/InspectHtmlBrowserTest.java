package dev.sigil.cli;

import static dev.sigil.cli.AttestationFixtures.IN_TOTO;
import static dev.sigil.cli.AttestationFixtures.SLSA_V1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sigil inspect --html}: the page is self-contained and safe with hostile input, checked on the file and in a
 * real headless Chromium ({@link HeadlessChromium}): it loads, its SVG graph is in the DOM, it causes no console
 * message at all (no script error, no Content-Security-Policy refusal, so nothing tried to load or run), and a
 * screenshot shows the page (many colours, the graph nodes' fills). The detectors themselves are checked on pages
 * made to trip them, so these tests can fail.
 */
class InspectHtmlBrowserTest {
  /** Fills of the graph's source node and of a verified attestation node (InspectHtml). */
  static final int SOURCE_FILL = 0xddf4ff;
  static final int VERIFIED_FILL = 0xdafbe1;

  static final String HOSTILE =
      "<script>alert(1)</script> \"><img src=x onerror=alert(2)> ]]> <!-- --> '</title></style><svg onload=alert(3)>"
          + " </pre></details><script src=https://evil.example/x.js></script> javascript:alert(4) &amp; \u202e";

  @TempDir static Path dir;
  static HeadlessChromium chromium;
  static KeyPair key;
  static Path pub;

  @BeforeAll
  static void setUp() {
    chromium = new HeadlessChromium(dir);
    key = AttestationFixtures.ecKey();
    pub = AttestationFixtures.writePublicKey(key.getPublic(), dir.resolve("k.pub"));
  }

  static Path copy(String resource, String to) throws Exception {
    try (InputStream in = InspectHtmlBrowserTest.class.getResourceAsStream("/" + resource)) {
      return AttestationFixtures.write(dir.resolve(to), in.readAllBytes());
    }
  }

  static int count(String haystack, String needle) {
    Matcher m = Pattern.compile(Pattern.quote(needle), Pattern.CASE_INSENSITIVE).matcher(haystack);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** What must hold of the page file whatever the input: self-contained, one graph, no active content. */
  static void assertSelfContained(String html) {
    assertEquals(0, count(html, "<script"), "no script element");
    assertEquals(1, count(html, "<svg"), "exactly one svg element: the graph");
    assertEquals(0, count(html, "<img"), "no img element");
    assertEquals(0, count(html, "<link"), "no link element");
    assertEquals(0, count(html, "<iframe"), "no iframe element");
    // Every '<' from the input is escaped, so each '<' here opens real markup: none may reference anything.
    assertFalse(Pattern.compile("<[a-z][^>]*\\s(src|href|action|data|srcset)\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "no element references anything");
    assertFalse(html.contains("]]>"), "no raw CDATA end");
    assertTrue(html.contains("Content-Security-Policy\" content=\"default-src 'none'"), "a CSP that forbids every load");
  }

  @Test
  void npmProvenancePageLoadsWithItsGraphAndNoConsoleMessages() throws Exception {
    Path npm = copy("attestations/corpus/sigstore.js-2.0.0-provenance.sigstore.json", "npm.json");
    Path html = dir.resolve("npm.html");
    new Cli().run("inspect", npm.toString(), "--html", html.toString(),
        "--certificate-identity", VerifyBlobAttestationTest.NPM_SAN, "--certificate-oidc-issuer", VerifyBlobAttestationTest.GHA,
        "--artifact", VerifyBlobAttestationTest.NPM_DIGEST).expect(0);
    String page = HeadlessChromium.read(html);
    assertSelfContained(page);

    HeadlessChromium.Load load = chromium.dumpDom(html);
    assertTrue(load.dom().contains("<svg"), "the graph is in the DOM");
    assertTrue(load.dom().contains("id=\"graph\""), load.dom());
    assertTrue(load.dom().contains("github.com/sigstore/sigstore-js"), "the source node names the repository");
    assertTrue(load.dom().contains("class=\"status s-verified\""), "the status banner says verified");
    assertTrue(load.dom().contains("<details>"), "raw documents folded away");
    assertEquals(0, count(load.dom(), "<script"), load.dom());
    assertTrue(load.console().isEmpty(), () -> "console messages: " + load.console());

    HeadlessChromium.Screenshot shot = chromium.screenshot(html);
    assertTrue(shot.console().isEmpty(), () -> "console messages: " + shot.console());
    assertTrue(shot.distinctColours() > 50, "distinct colours: " + shot.distinctColours());
    assertTrue(shot.inkFraction() > 0.05, "non-white fraction: " + shot.inkFraction());
    assertTrue(shot.pixelsOf(SOURCE_FILL) > 2000, "the source node is drawn: " + shot.pixelsOf(SOURCE_FILL) + " px");
    assertTrue(shot.pixelsOf(VERIFIED_FILL) > 2000, "the verified banner and node are drawn: " + shot.pixelsOf(VERIFIED_FILL) + " px");
  }

  @Test
  void hostileInputIsShownAsTextNeverAsMarkup() throws Exception {
    String q = AttestationFixtures.quote(HOSTILE);
    // Well-formed provenance: the hostile text in every field that is free text (URI fields must parse as URIs).
    String wellFormed =
        "{\"buildDefinition\":{\"buildType\":\"https://e.com/t?a='&b=1\",\"externalParameters\":{" + q + ":" + q + "},"
            + "\"internalParameters\":{\"github\":{\"event_name\":" + q + "}},"
            + "\"resolvedDependencies\":[{\"name\":" + q + ",\"uri\":\"git+https://github.com/acme/app@refs/tags/v1\","
            + "\"digest\":{\"gitCommit\":\"" + "01".repeat(20) + "\"}}]},"
            + "\"runDetails\":{\"builder\":{\"id\":\"https://e.com/b#'&x\"},\"metadata\":{\"invocationId\":" + q + "}}}";
    // Malformed provenance: the hostile text in URI fields, so it also reaches the page through error messages.
    String malformed =
        "{\"buildDefinition\":{\"buildType\":" + q + ",\"externalParameters\":{}},"
            + "\"runDetails\":{\"builder\":{\"id\":" + q + "}}}";
    byte[] content = "x".getBytes(StandardCharsets.UTF_8);
    Path file = AttestationFixtures.write(dir.resolve("x.bin"), content);
    String subject = "{\"sha256\":\"" + AttestationFixtures.hex("SHA-256", content) + "\"}";
    int n = 0;
    for (String predicate : new String[] {wellFormed, malformed}) {
      byte[] statement = AttestationFixtures.statement(HOSTILE, subject, SLSA_V1, predicate).getBytes(StandardCharsets.UTF_8);
      // The input's own name is hostile too: it is shown in the title and heading.
      Path bundle = AttestationFixtures.write(dir.resolve("<script>" + n + "'\".json"), AttestationFixtures.keyBundle(key, IN_TOTO, statement));
      for (boolean verify : new boolean[] {false, true}) {
        Path html = dir.resolve("hostile-" + n + "-" + verify + ".html");
        int expected = verify && predicate == malformed ? 1 : 0;
        if (verify) {
          new Cli().run("inspect", bundle.toString(), "--html", html.toString(), "--key", pub.toString(), "--insecure-ignore-tlog",
              "--artifact", file.toString()).expect(expected);
        } else {
          new Cli().run("inspect", bundle.toString(), "--html", html.toString()).expect(expected);
        }
        String page = HeadlessChromium.read(html);
        assertSelfContained(page);
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the hostile text is shown, escaped");
        assertTrue(page.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), "quotes are escaped");
        assertTrue(page.contains("]]&gt;"), "the CDATA end is escaped");

        HeadlessChromium.Load load = chromium.dumpDom(html);
        String dom = load.dom().toLowerCase(Locale.ROOT);
        assertEquals(0, count(dom, "<script"), "no script element in the DOM");
        assertEquals(0, count(dom, "<img"), "no img element in the DOM");
        assertEquals(1, count(dom, "<svg"), "one svg element in the DOM");
        assertFalse(Pattern.compile("<[^>]*\\son(error|load)\\s*=").matcher(dom).find(), "no event-handler attribute in the DOM");
        assertTrue(load.dom().contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the DOM holds the text, not the element");
        assertTrue(load.console().isEmpty(), () -> "console messages: " + load.console());

        HeadlessChromium.Screenshot shot = chromium.screenshot(html);
        assertTrue(shot.console().isEmpty(), () -> "console messages: " + shot.console());
        assertTrue(shot.distinctColours() > 50 && shot.inkFraction() > 0.05, "the page is drawn");
      }
      n++;
    }
  }

  // ------------------------------------------------------------------ the detectors trip on what they look for

  @Test
  void theConsoleDetectorSeesScriptErrorsAndBlockedLoads() throws Exception {
    Path script = Files.writeString(dir.resolve("script.html"),
        "<!DOCTYPE html><html><body><p>x</p><script>console.error('detector-check'); nosuch();</script></body></html>");
    HeadlessChromium.Load s = chromium.dumpDom(script);
    assertTrue(s.console().stream().anyMatch(l -> l.contains("detector-check")), s.log());
    assertTrue(s.console().stream().anyMatch(l -> l.contains("nosuch is not defined")), s.log());

    // Under the page's own CSP an injected external load is refused, and the refusal is a console message.
    Path blocked = Files.writeString(dir.resolve("blocked.html"),
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
            + " style-src 'unsafe-inline'; img-src data:\"></head><body><img src=\"http://127.0.0.1:9/x.png\">"
            + "<script>console.log('ran')</script></body></html>");
    HeadlessChromium.Load b = chromium.dumpDom(blocked);
    assertTrue(b.console().stream().anyMatch(l -> l.contains("Content Security Policy")), b.log());
    assertFalse(b.console().stream().anyMatch(l -> l.contains("\"ran\"")), "the CSP stops inline scripts: " + b.console());
  }

  @Test
  void theScreenshotCheckSeesABlankPage() throws Exception {
    Path blank = Files.writeString(dir.resolve("blank.html"), "<!DOCTYPE html><html><body style=\"background:#fff\"></body></html>");
    HeadlessChromium.Screenshot shot = chromium.screenshot(blank);
    assertEquals(1, shot.distinctColours());
    assertEquals(0.0, shot.inkFraction());
    assertEquals(0, shot.pixelsOf(SOURCE_FILL));
    assertEquals(HeadlessChromium.WIDTH, shot.image().getWidth());
  }
}

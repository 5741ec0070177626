package dev.sigil.signer.keyless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.signer.SigningException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenSourcesTest {
  private static final String EXPLICIT = TestPki.jwt("{\"iss\":\"https://i\",\"sub\":\"explicit\"}");
  private static final String ENV = TestPki.jwt("{\"iss\":\"https://i\",\"sub\":\"env\"}");
  private static final String FILE = TestPki.jwt("{\"iss\":\"https://i\",\"sub\":\"file\"}");
  private static final String GHA = TestPki.jwt("{\"iss\":\"https://token.actions.githubusercontent.com\",\"sub\":\"repo:o/r\"}");
  private static final String BEARER = "very-secret-request-token";

  @TempDir Path dir;

  private Path file() throws Exception {
    Path f = dir.resolve("token");
    Files.writeString(f, FILE + "\n");
    return f;
  }

  @Test
  void explicitComesFirst() throws Exception {
    TokenSources.Resolved r =
        new TokenSources(Map.of(TokenSources.ENV_TOKEN, ENV)).resolve(Optional.of(EXPLICIT), Optional.of(file()));
    assertEquals("explicit", r.token().subject());
    assertEquals("the explicitly given token", r.source());
  }

  @Test
  void thenTheEnvironmentThenTheFile() throws Exception {
    TokenSources.Resolved r =
        new TokenSources(Map.of(TokenSources.ENV_TOKEN, ENV)).resolve(Optional.empty(), Optional.of(file()));
    assertEquals("env", r.token().subject());
    assertEquals("the SIGSTORE_ID_TOKEN environment variable", r.source());
    r = new TokenSources(Map.of(TokenSources.ENV_TOKEN, " ")).resolve(Optional.of(""), Optional.of(file()));
    assertEquals("file", r.token().subject());
  }

  @Test
  void thenGitHubActions() throws Exception {
    try (FakeServer s = new FakeServer(r -> FakeServer.Reply.json(200, "{\"count\":1,\"value\":\"" + GHA + "\"}"))) {
      Map<String, String> env =
          Map.of(
              TokenSources.ENV_ACTIONS_URL, s.base() + "/idtoken?api-version=2.0",
              TokenSources.ENV_ACTIONS_TOKEN, BEARER);
      TokenSources.Resolved r = new TokenSources(env).resolve(Optional.empty(), Optional.empty());
      assertEquals("repo:o/r", r.token().subject());
      FakeServer.Received got = s.received.get(0);
      assertEquals("GET", got.method());
      assertEquals("/idtoken", got.uri().getPath());
      assertEquals("api-version=2.0&audience=sigstore", got.uri().getQuery());
      assertEquals("bearer " + BEARER, got.header("Authorization"));
    }
  }

  @Test
  void gitHubActionsErrorsHideTheRequestTokenAndTheBody() throws Exception {
    try (FakeServer s = new FakeServer(r -> FakeServer.Reply.json(403, "{\"message\":\"no id-token permission\"}"))) {
      Map<String, String> env =
          Map.of(TokenSources.ENV_ACTIONS_URL, s.base() + "/idtoken?secretish=1", TokenSources.ENV_ACTIONS_TOKEN, BEARER);
      SigningException e =
          assertThrows(SigningException.class, () -> new TokenSources(env).resolve(Optional.empty(), Optional.empty()));
      assertTrue(e.getMessage().contains("found HTTP 403: \"no id-token permission\""), e.getMessage());
      assertFalse(e.getMessage().contains(BEARER));
      assertFalse(e.getMessage().contains("secretish"));
    }
    try (FakeServer s = new FakeServer(r -> FakeServer.Reply.json(200, "{\"token\":\"" + GHA + "\"}"))) {
      Map<String, String> env =
          Map.of(TokenSources.ENV_ACTIONS_URL, s.base() + "/idtoken", TokenSources.ENV_ACTIONS_TOKEN, BEARER);
      SigningException e =
          assertThrows(SigningException.class, () -> new TokenSources(env).resolve(Optional.empty(), Optional.empty()));
      assertTrue(e.getMessage().contains("value: expected a non-empty string, found no such field"), e.getMessage());
      assertFalse(e.getMessage().contains(GHA));
    }
  }

  @Test
  void noSourceListsWhatWasTried() {
    SigningException e =
        assertThrows(SigningException.class,
            () -> new TokenSources(Map.of(TokenSources.ENV_ACTIONS_URL, "https://x")).resolve(Optional.empty(), Optional.empty()));
    assertEquals(
        "identity token: expected one from an explicit value, SIGSTORE_ID_TOKEN, a token file or GitHub Actions, "
            + "found none (no explicit token; SIGSTORE_ID_TOKEN unset; no token file; not in GitHub Actions with "
            + "id-token: write (ACTIONS_ID_TOKEN_REQUEST_URL or ACTIONS_ID_TOKEN_REQUEST_TOKEN unset))",
        e.getMessage());
  }

  @Test
  void badTokensNameTheirSourceButNotTheirContent() throws Exception {
    String bad = "header.bm90LWpzb24.sig";
    SigningException e =
        assertThrows(SigningException.class,
            () -> new TokenSources(Map.of(TokenSources.ENV_TOKEN, bad)).resolve(Optional.empty(), Optional.empty()));
    assertTrue(e.getMessage().endsWith("[token from the SIGSTORE_ID_TOKEN environment variable]"), e.getMessage());
    assertFalse(e.getMessage().contains(bad));
    Path missing = dir.resolve("nope");
    e = assertThrows(SigningException.class,
        () -> new TokenSources(Map.of()).resolve(Optional.empty(), Optional.of(missing)));
    assertEquals("identity token file " + missing + ": cannot be read (NoSuchFileException)", e.getMessage());
  }

  @Test
  void toStringHidesValues() {
    assertEquals("TokenSources[1 environment variables, values hidden]",
        new TokenSources(Map.of(TokenSources.ENV_TOKEN, ENV)).toString());
  }
}

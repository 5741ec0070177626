package dev.sigil.signer.keyless;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.signer.SigningException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the OIDC identity token to sign with, trying in order:
 *
 * <ol>
 *   <li>a token given explicitly;
 *   <li>the {@value #ENV_TOKEN} environment variable;
 *   <li>a file holding the token;
 *   <li>GitHub Actions: {@code GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=sigstore} with
 *       {@code Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN}, answering {@code {"value": JWT}}.
 * </ol>
 *
 * <p>The environment is a parameter (nothing here reads {@link System#getenv()}). Tokens, the Actions request token
 * and the request URL's query never appear in messages. The constructor does no I/O.
 */
public final class TokenSources {
  public static final String ENV_TOKEN = "SIGSTORE_ID_TOKEN";
  public static final String ENV_ACTIONS_URL = "ACTIONS_ID_TOKEN_REQUEST_URL";
  public static final String ENV_ACTIONS_TOKEN = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
  public static final String AUDIENCE = "sigstore";
  /** Token files larger than this are refused. */
  static final int MAX_TOKEN_FILE = 64 * 1024;

  private final Map<String, String> env;
  private final Http http;

  public TokenSources(Map<String, String> env) {
    this(env, Timeouts.defaults());
  }

  public TokenSources(Map<String, String> env, Timeouts timeouts) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    this.http = new Http(timeouts);
  }

  /** A token and where it came from (e.g. "the SIGSTORE_ID_TOKEN environment variable"). */
  public record Resolved(IdToken token, String source) {
    public Resolved {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * The first token found, parsed (not verified, see {@link IdToken}).
   *
   * @throws SigningException if no source yields a token, a source yields something that is not a JWT, the file
   *     cannot be read, or the GitHub Actions request fails
   */
  public Resolved resolve(Optional<String> explicit, Optional<Path> file) throws SigningException {
    Objects.requireNonNull(explicit, "explicit");
    Objects.requireNonNull(file, "file");
    List<String> tried = new ArrayList<>();
    if (explicit.isPresent() && !explicit.get().isBlank()) {
      return parse(explicit.get(), "the explicitly given token");
    }
    tried.add("no explicit token");
    String fromEnv = env.get(ENV_TOKEN);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return parse(fromEnv, "the " + ENV_TOKEN + " environment variable");
    }
    tried.add(ENV_TOKEN + " unset");
    if (file.isPresent()) {
      return parse(readFile(file.get()), "the file " + file.get());
    }
    tried.add("no token file");
    String url = env.get(ENV_ACTIONS_URL);
    String bearer = env.get(ENV_ACTIONS_TOKEN);
    if (url != null && !url.isBlank() && bearer != null && !bearer.isBlank()) {
      return parse(gitHubActions(url, bearer), "GitHub Actions (" + ENV_ACTIONS_URL + ")");
    }
    tried.add("not in GitHub Actions with id-token: write (" + ENV_ACTIONS_URL + " or " + ENV_ACTIONS_TOKEN
        + " unset)");
    throw new SigningException(
        "identity token: expected one from an explicit value, " + ENV_TOKEN + ", a token file or GitHub Actions, "
            + "found none (" + String.join("; ", tried) + ")");
  }

  private static Resolved parse(String jwt, String source) throws SigningException {
    try {
      return new Resolved(IdToken.parse(jwt), source);
    } catch (SigningException e) {
      throw new SigningException(e.getMessage() + " [token from " + source + "]");
    }
  }

  private static String readFile(Path file) throws SigningException {
    try {
      long size = Files.size(file);
      if (size > MAX_TOKEN_FILE) {
        throw new SigningException(
            "identity token file " + file + ": expected at most " + MAX_TOKEN_FILE + " bytes, found " + size);
      }
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new SigningException(
          "identity token file " + file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  private String gitHubActions(String url, String bearer) throws SigningException {
    URI uri;
    try {
      uri = URI.create(url + (url.contains("?") ? "&" : "?") + "audience=" + AUDIENCE);
    } catch (IllegalArgumentException e) {
      throw new SigningException(ENV_ACTIONS_URL + ": expected a URL, found an unparsable value");
    }
    if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())) {
      throw new SigningException(ENV_ACTIONS_URL + ": expected an http(s) URL, found scheme " + uri.getScheme());
    }
    String shown = uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
    String sent = "an ID token request for audience " + AUDIENCE + " (request token not shown)";
    Http.Response r =
        http.send("GitHub Actions token service", "GET", uri, null, null, "application/json", sent, "bearer " + bearer);
    if (r.status() != 200) {
      throw new SigningException(
          "GitHub Actions token service at " + shown + ": " + sent + " was refused: expected HTTP 200, found HTTP "
              + r.status() + Http.serverMessage(r));
    }
    // The body holds a token: never quote it, nor any part of it.
    String problem;
    try {
      JsonNode n = Json.parseObject(r.body());
      JsonNode v = n.get("value");
      if (v != null && v.isTextual() && !v.textValue().isEmpty()) {
        return v.textValue();
      }
      problem =
          "value: expected a non-empty string, found "
              + (v == null ? "no such field" : v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    } catch (Json.ShapeException e) {
      problem = "expected a JSON object with a value field, found something else";
    }
    throw new SigningException(
        "GitHub Actions token service at " + shown + ": unusable response (HTTP 200, " + r.body().length
            + " bytes, not shown): " + problem);
  }

  @Override
  public String toString() {
    return "TokenSources[" + env.size() + " environment variables, values hidden]";
  }
}

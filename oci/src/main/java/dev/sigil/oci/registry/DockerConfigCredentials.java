package dev.sigil.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.oci.OciException;
import dev.sigil.oci.OciException.Reason;
import dev.sigil.oci.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Credentials as docker and podman store them in {@code config.json}: {@code credHelpers} (per registry), then
 * {@code auths} ({@code auth} = base64 {@code user:password}, or {@code identitytoken}, or {@code username} and
 * {@code password}), then {@code credsStore}. Helpers run as {@code docker-credential-<name> get} with the server URL
 * on stdin and must answer within the timeout with {@code {"Username":..,"Secret":..}}; a {@code <token>} user means
 * the secret is an identity token. Registry keys match with or without scheme and path
 * ({@code https://index.docker.io/v1/} is Docker Hub).
 *
 * <p>The file is read on every lookup (no caching, no I/O in the constructor). Nothing read is logged.
 */
public final class DockerConfigCredentials implements CredentialSource {
  private static final int MAX_CONFIG_BYTES = 1 << 20;
  private static final int MAX_HELPER_OUTPUT = 64 << 10;
  private static final Pattern HELPER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  static final String DOCKER_HUB_SERVER_URL = "https://index.docker.io/v1/";

  private final Path configFile;
  private final Path helperDirectory;
  private final Duration helperTimeout;
  /** A config held in memory (a Kubernetes pull secret): only {@code auths}, never a helper. */
  private final byte[] inline;

  /**
   * @param configFile the {@code config.json} to read (absent is fine: no credentials)
   * @param helperDirectory where {@code docker-credential-*} helpers are, or null to find them on {@code PATH}
   * @param helperTimeout how long a helper may take
   */
  public DockerConfigCredentials(Path configFile, Path helperDirectory, Duration helperTimeout) {
    this.configFile = Objects.requireNonNull(configFile, "configFile");
    this.helperDirectory = helperDirectory;
    this.helperTimeout = Objects.requireNonNull(helperTimeout, "helperTimeout");
    this.inline = null;
  }

  private DockerConfigCredentials(byte[] inline, String origin) {
    this.configFile = Path.of(origin);
    this.helperDirectory = null;
    this.helperTimeout = Duration.ZERO;
    this.inline = inline.clone();
  }

  /**
   * Credentials from a config held in memory, such as a Kubernetes pull secret's {@code .dockerconfigjson}: only its
   * {@code auths} entries are used. {@code credHelpers} and {@code credsStore} are ignored, so a config written by
   * someone else can never make this process run a program.
   *
   * @param origin names the config in messages (e.g. {@code secret shop/regcred}); never its content
   */
  public static DockerConfigCredentials fromJson(byte[] json, String origin) {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(origin, "origin");
    return new DockerConfigCredentials(json, origin);
  }

  /** {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}; helpers from {@code PATH}. */
  public static DockerConfigCredentials fromEnvironment() {
    String dir = System.getenv("DOCKER_CONFIG");
    Path file = dir != null && !dir.isBlank()
        ? Path.of(dir, "config.json")
        : Path.of(System.getProperty("user.home"), ".docker", "config.json");
    return new DockerConfigCredentials(file, null, Duration.ofSeconds(30));
  }

  public Path configFile() {
    return configFile;
  }

  @Override
  public Optional<Credentials> lookup(String registry) throws OciException {
    JsonNode root = readConfig();
    if (root == null) {
      return Optional.empty();
    }
    JsonNode helpers = inline == null ? root.get("credHelpers") : null;
    if (helpers != null && helpers.isObject()) {
      for (Map.Entry<String, JsonNode> e : helpers.properties()) {
        if (sameRegistry(e.getKey(), registry) && e.getValue().isTextual()) {
          return runHelper(e.getValue().asText(), registry);
        }
      }
    }
    JsonNode auths = root.get("auths");
    if (auths != null && auths.isObject()) {
      for (Map.Entry<String, JsonNode> e : auths.properties()) {
        if (!sameRegistry(e.getKey(), registry) || !e.getValue().isObject()) {
          continue;
        }
        Optional<Credentials> c = fromAuthEntry(e.getValue(), registry);
        if (c.isPresent()) {
          return c;
        }
      }
    }
    JsonNode store = inline == null ? root.get("credsStore") : null;
    if (store != null && store.isTextual() && !store.asText().isEmpty()) {
      return runHelper(store.asText(), registry);
    }
    return Optional.empty();
  }

  private JsonNode readConfig() throws OciException {
    byte[] bytes;
    if (inline != null) {
      if (inline.length > MAX_CONFIG_BYTES) {
        throw new OciException(
            Reason.CREDENTIALS, "docker config " + configFile + " is larger than " + MAX_CONFIG_BYTES + " bytes");
      }
      return parseConfig(inline);
    }
    try {
      if (Files.size(configFile) > MAX_CONFIG_BYTES) {
        throw new OciException(
            Reason.CREDENTIALS, "docker config " + configFile + " is larger than " + MAX_CONFIG_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(configFile);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new OciException(Reason.CREDENTIALS, "cannot read docker config " + configFile + ": " + e, false, e);
    }
    return parseConfig(bytes);
  }

  private JsonNode parseConfig(byte[] bytes) throws OciException {
    try {
      JsonNode n = Json.parse(bytes);
      if (!n.isObject()) {
        throw new OciException(Reason.CREDENTIALS, "docker config " + configFile + " is not a JSON object");
      }
      return n;
    } catch (Json.MalformedJsonException e) {
      throw new OciException(Reason.CREDENTIALS, "docker config " + configFile + ": " + e.getMessage());
    }
  }

  private Optional<Credentials> fromAuthEntry(JsonNode entry, String registry) throws OciException {
    String identityToken = text(entry, "identitytoken");
    if (identityToken != null && !identityToken.isEmpty()) {
      return Optional.of(new Credentials.IdentityToken(identityToken));
    }
    String auth = text(entry, "auth");
    if (auth != null && !auth.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new OciException(
            Reason.CREDENTIALS, "docker config " + configFile + ": the auth entry for " + registry + " is not base64");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new OciException(
            Reason.CREDENTIALS,
            "docker config " + configFile + ": the auth entry for " + registry + " is not base64 of user:password");
      }
      return Optional.of(new Credentials.Basic(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }
    String user = text(entry, "username");
    String password = text(entry, "password");
    if (user != null && password != null && !user.isEmpty()) {
      return Optional.of(new Credentials.Basic(user, password));
    }
    return Optional.empty();
  }

  private Optional<Credentials> runHelper(String name, String registry) throws OciException {
    if (!HELPER_NAME.matcher(name).matches()) {
      throw new OciException(Reason.CREDENTIALS, "docker config " + configFile + ": invalid credential helper name");
    }
    String exe = "docker-credential-" + name;
    String command = helperDirectory == null ? exe : helperDirectory.resolve(exe).toString();
    String serverUrl = isDockerHub(registry) ? DOCKER_HUB_SERVER_URL : registry;
    Process p;
    try {
      p = new ProcessBuilder(command, "get").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new OciException(
          Reason.CREDENTIALS, "credential helper " + exe + " (for " + registry + ") could not be started: " + e.getMessage(),
          false, e);
    }
    try {
      try (OutputStream in = p.getOutputStream()) {
        in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out = readBounded(p.getInputStream());
      if (!p.waitFor(helperTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new OciException(
            Reason.CREDENTIALS, "credential helper " + exe + " did not answer for " + registry + " within " + helperTimeout);
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        if (text.toLowerCase(Locale.ROOT).contains("credentials not found")) {
          return Optional.empty();
        }
        throw new OciException(
            Reason.CREDENTIALS, "credential helper " + exe + " failed for " + registry + " (exit " + p.exitValue() + ")");
      }
      JsonNode n;
      try {
        n = Json.parse(out);
      } catch (Json.MalformedJsonException e) {
        throw new OciException(Reason.CREDENTIALS, "credential helper " + exe + " printed no JSON for " + registry);
      }
      String user = text(n, "Username");
      String secret = text(n, "Secret");
      if (secret == null || secret.isEmpty()) {
        return Optional.empty();
      }
      if ("<token>".equals(user)) {
        return Optional.of(new Credentials.IdentityToken(secret));
      }
      return Optional.of(new Credentials.Basic(user == null ? "" : user, secret));
    } catch (IOException e) {
      p.destroyForcibly();
      throw new OciException(
          Reason.CREDENTIALS, "credential helper " + exe + " for " + registry + ": " + e.getMessage(), false, e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new OciException(Reason.CREDENTIALS, "interrupted while running " + exe, false, e);
    }
  }

  private static byte[] readBounded(InputStream in) throws IOException {
    byte[] b = in.readNBytes(MAX_HELPER_OUTPUT + 1);
    if (b.length > MAX_HELPER_OUTPUT) {
      throw new IOException("output longer than " + MAX_HELPER_OUTPUT + " bytes");
    }
    return b;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  /** Whether a config key ({@code https://host:port/v1/}, {@code host}) names {@code registry}. */
  static boolean sameRegistry(String key, String registry) {
    String k = hostOf(key);
    String r = hostOf(registry);
    if (isDockerHub(k) && isDockerHub(r)) {
      return true;
    }
    return k.equalsIgnoreCase(r);
  }

  private static String hostOf(String s) {
    String h = s.trim();
    int scheme = h.indexOf("://");
    if (scheme >= 0) {
      h = h.substring(scheme + 3);
    }
    int slash = h.indexOf('/');
    return slash >= 0 ? h.substring(0, slash) : h;
  }

  static boolean isDockerHub(String registry) {
    String h = hostOf(registry).toLowerCase(Locale.ROOT);
    return h.equals("docker.io") || h.equals("index.docker.io") || h.equals("registry-1.docker.io");
  }
}

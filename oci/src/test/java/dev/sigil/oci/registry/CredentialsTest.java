package dev.sigil.oci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.oci.OciException;
import dev.sigil.oci.OciException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
  @TempDir Path tmp;

  private DockerConfigCredentials config(String json) throws Exception {
    Path f = tmp.resolve("config.json");
    Files.writeString(f, json);
    return new DockerConfigCredentials(f, tmp.resolve("bin"), Duration.ofSeconds(10));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A fake {@code docker-credential-NAME} that prints {@code out} and exits with {@code code}. */
  private void helper(String name, String out, int code) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path exe = bin.resolve("docker-credential-" + name);
    Files.writeString(exe, "#!/bin/sh\nread server\necho \"$server\" > '" + tmp.resolve(name + ".stdin") + "'\n"
        + "cat <<'EOF'\n" + out + "\nEOF\nexit " + code + "\n");
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void authsBase64WithColonInPassword() throws Exception {
    DockerConfigCredentials c = config("{\"auths\":{\"https://r.example:5000/v2/\":{\"auth\":\"" + b64("u:p:a:ss") + "\"}}}");
    assertEquals(Optional.of(new Credentials.Basic("u", "p:a:ss")), c.lookup("r.example:5000"));
    assertEquals(Optional.empty(), c.lookup("r.example"));
  }

  @Test
  void dockerHubAliasesAndIdentityToken() throws Exception {
    DockerConfigCredentials c = config("{\"auths\":{\"https://index.docker.io/v1/\":{\"identitytoken\":\"rt\"},"
        + "\"ghcr.io\":{\"username\":\"a\",\"password\":\"b\"}}}");
    assertEquals(Optional.of(new Credentials.IdentityToken("rt")), c.lookup("docker.io"));
    assertEquals(Optional.of(new Credentials.IdentityToken("rt")), c.lookup("registry-1.docker.io"));
    assertEquals(Optional.of(new Credentials.Basic("a", "b")), c.lookup("ghcr.io"));
  }

  @Test
  void credHelpersThenAuthsThenCredsStore() throws Exception {
    helper("perhost", "{\"ServerURL\":\"r1\",\"Username\":\"hu\",\"Secret\":\"hs\"}", 0);
    helper("store", "{\"ServerURL\":\"x\",\"Username\":\"<token>\",\"Secret\":\"tok\"}", 0);
    DockerConfigCredentials c = config("{\"credHelpers\":{\"r1.example\":\"perhost\"},\"credsStore\":\"store\","
        + "\"auths\":{\"r2.example\":{\"auth\":\"" + b64("a:b") + "\"},\"docker.io\":{}}}");
    assertEquals(Optional.of(new Credentials.Basic("hu", "hs")), c.lookup("r1.example"));
    assertEquals("r1.example", Files.readString(tmp.resolve("perhost.stdin")).trim());
    assertEquals(Optional.of(new Credentials.Basic("a", "b")), c.lookup("r2.example"));
    assertEquals(Optional.of(new Credentials.IdentityToken("tok")), c.lookup("docker.io"));
    assertEquals("https://index.docker.io/v1/", Files.readString(tmp.resolve("store.stdin")).trim());
  }

  @Test
  void helperNotFoundAndFailures() throws Exception {
    helper("none", "credentials not found in native keychain", 1);
    assertEquals(Optional.empty(), config("{\"credsStore\":\"none\"}").lookup("r.example"));
    helper("broken", "boom", 3);
    OciException e = assertThrows(OciException.class, () -> config("{\"credsStore\":\"broken\"}").lookup("r.example"));
    assertEquals(Reason.CREDENTIALS, e.reason());
    assertTrue(e.getMessage().contains("docker-credential-broken failed for r.example (exit 3)"), e.getMessage());
    OciException missing = assertThrows(OciException.class, () -> config("{\"credsStore\":\"absent\"}").lookup("r"));
    assertTrue(missing.getMessage().contains("could not be started"), missing.getMessage());
    OciException bad = assertThrows(OciException.class, () -> config("{\"credsStore\":\"../x\"}").lookup("r"));
    assertTrue(bad.getMessage().contains("invalid credential helper name"), bad.getMessage());
  }

  @Test
  void absentMalformedAndBadEntries() throws Exception {
    DockerConfigCredentials absent = new DockerConfigCredentials(tmp.resolve("nope.json"), null, Duration.ofSeconds(1));
    assertEquals(Optional.empty(), absent.lookup("r"));
    assertEquals(Reason.CREDENTIALS, assertThrows(OciException.class, () -> config("{").lookup("r")).reason());
    OciException notB64 = assertThrows(OciException.class, () -> config("{\"auths\":{\"r\":{\"auth\":\"%%%\"}}}").lookup("r"));
    assertTrue(notB64.getMessage().contains("not base64"), notB64.getMessage());
    OciException noColon = assertThrows(OciException.class,
        () -> config("{\"auths\":{\"r\":{\"auth\":\"" + b64("nocolon") + "\"}}}").lookup("r"));
    assertFalse(noColon.getMessage().contains("nocolon"), "secret material leaked: " + noColon.getMessage());
  }

  @Test
  void toStringRedacts() {
    assertFalse(new Credentials.Basic("u", "hunter2").toString().contains("hunter2"));
    assertFalse(new Credentials.IdentityToken("tok-123").toString().contains("tok-123"));
  }

  @Test
  void explicitCredentialsApplyToTheirRegistryOnly() throws Exception {
    CredentialSource s = CredentialSource.of("docker.io", new Credentials.Basic("u", "p"));
    assertTrue(s.lookup("index.docker.io").isPresent());
    assertTrue(s.lookup("ghcr.io").isEmpty());
  }

  @Test
  void challengeParsing() {
    Challenge c = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
        + "scope=\"repository:samalba/my-app:pull,push\"").orElseThrow();
    assertTrue(c.isBearer());
    assertEquals("https://auth.docker.io/token", c.param("realm"));
    assertEquals("repository:samalba/my-app:pull,push", c.param("scope"));
    Challenge spaced = Challenge.parse("bearer  Realm = \"a\\\"b\" , service=svc").orElseThrow();
    assertEquals("a\"b", spaced.param("realm"));
    assertEquals("svc", spaced.param("service"));
    assertTrue(Challenge.parse("Basic realm=\"Registry\"").orElseThrow().isBasic());
    assertTrue(Challenge.parse("Negotiate abc").isEmpty());
    assertTrue(Challenge.parse(null).isEmpty());
  }

  @Test
  void optionsValidate() {
    assertThrows(IllegalArgumentException.class, () -> RegistryOptions.builder().maxAttempts(0).build());
    assertThrows(IllegalArgumentException.class, () -> RegistryOptions.builder().requestTimeout(Duration.ZERO).build());
    assertThrows(IllegalArgumentException.class,
        () -> RegistryOptions.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build());
    RegistryOptions d = RegistryOptions.defaults();
    assertFalse(d.allowInsecureRegistry());
    assertEquals(4, d.maxAttempts());
    assertEquals(d, d.toBuilder().build());
  }

  @Test
  void inMemoryConfigReadsAuthsAndNeverRunsAHelper() throws Exception {
    helper("evil", "{\"Username\":\"x\",\"Secret\":\"y\"}", 0);
    DockerConfigCredentials c = DockerConfigCredentials.fromJson(
        ("{\"auths\":{\"r.example\":{\"auth\":\"" + b64("u:p") + "\"}},\"credHelpers\":{\"h.example\":\"evil\"},"
            + "\"credsStore\":\"evil\"}").getBytes(StandardCharsets.UTF_8), "secret shop/regcred");
    assertEquals(Optional.of(new Credentials.Basic("u", "p")), c.lookup("r.example"));
    assertEquals(Optional.empty(), c.lookup("h.example"));
    assertEquals(Optional.empty(), c.lookup("other.example"));
    assertFalse(Files.exists(tmp.resolve("evil.stdin")), "a helper ran");
    OciException e = assertThrows(OciException.class,
        () -> DockerConfigCredentials.fromJson("[1]".getBytes(StandardCharsets.UTF_8), "secret shop/bad").lookup("r"));
    assertEquals(Reason.CREDENTIALS, e.reason());
    assertTrue(e.getMessage().contains("secret shop/bad"), e.getMessage());
  }
}

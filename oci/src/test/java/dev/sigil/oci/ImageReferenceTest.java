package dev.sigil.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
  private static final String H64 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  private static final String D = "sha256:" + H64;

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        // input | registry | repository | tag | digest | endpoint host | canonical
        "nginx | docker.io | library/nginx | latest | - | registry-1.docker.io | docker.io/library/nginx:latest",
        "nginx:1.25 | docker.io | library/nginx | 1.25 | - | registry-1.docker.io | docker.io/library/nginx:1.25",
        "library/nginx | docker.io | library/nginx | latest | - | registry-1.docker.io | docker.io/library/nginx:latest",
        "docker.io/nginx | docker.io | library/nginx | latest | - | registry-1.docker.io | docker.io/library/nginx:latest",
        "index.docker.io/library/nginx | docker.io | library/nginx | latest | - | registry-1.docker.io | docker.io/library/nginx:latest",
        "user/app | docker.io | user/app | latest | - | registry-1.docker.io | docker.io/user/app:latest",
        "ghcr.io/org/app:v1 | ghcr.io | org/app | v1 | - | ghcr.io | ghcr.io/org/app:v1",
        "localhost/app | localhost | app | latest | - | localhost | localhost/app:latest",
        "localhost:5000/a/b/c:t | localhost:5000 | a/b/c | t | - | localhost:5000 | localhost:5000/a/b/c:t",
        "127.0.0.1:5000/test/app@" + D + " | 127.0.0.1:5000 | test/app | - | " + D + " | 127.0.0.1:5000 | 127.0.0.1:5000/test/app@" + D,
        "host:5000/repo:tag@" + D + " | host:5000 | repo | tag | " + D + " | host:5000 | host:5000/repo:tag@" + D,
        "[::1]:5000/app | [::1]:5000 | app | latest | - | [::1]:5000 | [::1]:5000/app:latest",
        "Registry/app | Registry | app | latest | - | Registry | Registry/app:latest",
        "host:5000 | docker.io | library/host | 5000 | - | registry-1.docker.io | docker.io/library/host:5000",
        "a.b/c__d/e-f/g.h_i:_T.-x | a.b | c__d/e-f/g.h_i | _T.-x | - | a.b | a.b/c__d/e-f/g.h_i:_T.-x",
        "r.io/a---b | r.io | a---b | latest | - | r.io | r.io/a---b:latest",
        "app@sha512:" + "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0"
            + " | docker.io | library/app | - | sha512:b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0"
            + " | registry-1.docker.io | docker.io/library/app@sha512:b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0",
      })
  void parsesAsDocker(String in, String registry, String repo, String tag, String digest, String endpoint, String canonical) {
    RegistryReference r = assertInstanceOf(RegistryReference.class, ImageReference.parse(in));
    assertEquals(registry, r.registry());
    assertEquals(repo, r.repository());
    assertEquals(Optional.ofNullable(tag), r.tag());
    assertEquals(Optional.ofNullable(digest).map(Digest::parse), r.digest());
    assertEquals(endpoint, r.endpointHost());
    assertEquals(canonical, r.toString());
    assertEquals(r, ImageReference.parse(r.toString()), "canonical form reads back");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | empty reference",
        H64 + " | 64-hex string is not a repository name",
        "Nginx | must be lowercase",
        "docker.io/Library/nginx | must be lowercase",
        "ghcr.io/Org/app | must be lowercase",
        "app:-x | invalid tag",
        "app:.x | invalid tag",
        "app: | invalid tag",
        "app:%T129% | invalid tag",
        "app@sha256:abc | sha256 needs 64 hex digits",
        "app@sha256:%A64% | lowercase",
        "app@md5:%a32% | unsupported digest algorithm",
        "app@" + H64 + " | expected algorithm:hex",
        "a//b | empty path component",
        "r.io/a/ | empty path component",
        "r.io/-a | invalid repository path component",
        "r.io/a..b | invalid repository path component",
        "r.io/a___b | invalid repository path component",
        "r.io/a b | invalid repository path component",
        "host:99999/app | invalid registry port",
        "host:/app | invalid registry port",
        "-bad.io/app | invalid registry host",
        "bad_host.io/app | invalid registry host",
        ":tag | missing repository name",
        "@" + D + " | missing repository name",
      })
  void rejectsWithReason(String raw, String reason) {
    String in = raw.replace("%T129%", "t".repeat(129)).replace("%A64%", "A".repeat(64)).replace("%a32%", "a".repeat(32));
    InvalidReferenceException e = assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(in));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(e.getMessage().startsWith("invalid image reference \""), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void rejectsOverlongNames() {
    String name = "r.io/" + "a".repeat(251);
    InvalidReferenceException e = assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(name));
    assertTrue(e.getMessage().contains("not be more than 255"), e.getMessage());
    ImageReference.parse("r.io/" + "a".repeat(250));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "oci-layout:/tmp/lay | /tmp/lay | - | -",
        "oci-layout:/tmp/lay:v1 | /tmp/lay | v1 | -",
        "oci-layout:lay:t | lay | t | -",
        "oci-layout:/tmp/lay@" + D + " | /tmp/lay | - | " + D,
        "oci-layout:/tmp/lay:v1@" + D + " | /tmp/lay | v1 | " + D,
        "oci-layout:/mnt/c:d/lay:v1 | /mnt/c:d/lay | v1 | -",
        "oci-layout:/mnt/c:d/lay | /mnt/c:d/lay | - | -",
        "oci-layout:/a@b/lay | /a@b/lay | - | -",
        "oci-layout:./rel/x:sha256-" + H64 + ".sig | ./rel/x | sha256-" + H64 + ".sig | -",
      })
  void parsesLayouts(String in, String path, String tag, String digest) {
    LayoutReference r = assertInstanceOf(LayoutReference.class, ImageReference.parse(in));
    assertEquals(Path.of(path), r.path());
    assertEquals(Optional.ofNullable(tag), r.tag());
    assertEquals(Optional.ofNullable(digest).map(Digest::parse), r.digest());
    assertEquals(r, ImageReference.parse(r.toString()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "oci-layout: | missing layout directory",
        "oci-layout::t | missing layout directory",
        "oci-layout:/tmp/lay:-t | invalid tag",
        "oci-layout:/tmp/lay: | invalid tag",
        "oci-layout:/tmp/lay@sha256:12 | sha256 needs 64 hex digits",
      })
  void rejectsBadLayouts(String in, String reason) {
    InvalidReferenceException e = assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(in));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void withDigestPinsAndKeepsTag() {
    RegistryReference r = RegistryReference.parse("r.io/app:v1");
    RegistryReference p = r.withDigest(Digest.parse(D));
    assertEquals("r.io/app:v1@" + D, p.toString());
    assertEquals(D, p.tagOrDigest());
    assertEquals("v1", r.tagOrDigest());
    assertEquals("r.io/app:v2", r.withTag("v2").toString());
  }
}

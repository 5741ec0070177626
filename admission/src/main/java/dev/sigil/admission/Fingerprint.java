package dev.sigil.admission;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * SHA-256 over files' names and contents: how reloading notices a change. Content, not modification times: Kubernetes
 * mounts ConfigMaps and Secrets as symbolic links swapped atomically ({@code ..data}), cert-manager rewrites files in
 * place, and either can keep a timestamp. Links are followed.
 */
final class Fingerprint {
  private Fingerprint() {}

  /** The policy files of a directory, as {@code PolicyLoader} selects them: {@code *.yaml} and {@code *.yml}, by name. */
  static List<Path> policyFiles(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(f -> Files.isRegularFile(f) && (f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")))
          .sorted()
          .forEach(out::add);
    }
    return out;
  }

  /** The fingerprint of these files (a missing or unreadable file throws). */
  static String of(List<Path> files) throws IOException {
    MessageDigest md = sha256();
    for (Path f : files) {
      md.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(Files.readAllBytes(f));
      md.update((byte) 0);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * The fingerprint of files a policy set names: as {@link #of}, but a file that cannot be read counts as absent (the
   * reload that follows says why), so a deleted key is a change, not an unreadable directory.
   */
  static String ofReferenced(List<Path> files) {
    MessageDigest md = sha256();
    for (Path f : files) {
      md.update(f.toString().getBytes(StandardCharsets.UTF_8));
      try {
        md.update((byte) 0);
        md.update(Files.readAllBytes(f));
      } catch (IOException e) {
        md.update((byte) 1);
      }
      md.update((byte) 0);
    }
    return files.isEmpty() ? "" : "+" + HexFormat.of().formatHex(md.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}

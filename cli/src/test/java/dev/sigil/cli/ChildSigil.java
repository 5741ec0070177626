package dev.sigil.cli;

import dev.sigil.signer.SigningKey;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** Runs the CLI in a JVM of its own (the test class path), for what in-process runs cannot show: heap, terminal. */
final class ChildSigil {
  private ChildSigil() {}

  /** {@code java <jvmOptions> -cp <test class path> dev.sigil.cli.Sigil <args>}. */
  static List<String> command(List<String> jvmOptions, String... args) {
    return command(System.getProperty("java.class.path"), jvmOptions, args);
  }

  /** {@code java <jvmOptions> -cp <classPath> dev.sigil.cli.Sigil <args>}. */
  static List<String> command(String classPath, List<String> jvmOptions, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", classPath, "dev.sigil.cli.Sigil"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * The test class path as the shaded sigil.jar has it: without jar signatures (the shade plugin drops them), whose
   * checking would load the JCA and the JDK's digests on its own. Signed jars are copied to {@code dir} unsigned.
   */
  static String unsignedClassPath(Path dir) throws IOException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> out = new ArrayList<>();
    for (String entry : cp.split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry);
      if (!entry.endsWith(".jar") || !Files.isRegularFile(p)) {
        out.add(entry);
        continue;
      }
      try (java.util.jar.JarFile jar = new java.util.jar.JarFile(p.toFile(), false)) {
        if (jar.stream().noneMatch(e -> isSignature(e.getName()))) {
          out.add(entry);
          continue;
        }
        Path copy = dir.resolve(out.size() + "-" + p.getFileName());
        try (java.util.jar.JarOutputStream w = new java.util.jar.JarOutputStream(Files.newOutputStream(copy))) {
          for (java.util.jar.JarEntry e : java.util.Collections.list(jar.entries())) {
            if (isSignature(e.getName()) || e.getName().equals("META-INF/MANIFEST.MF")) {
              continue;
            }
            w.putNextEntry(new java.util.jar.JarEntry(e.getName()));
            try (java.io.InputStream in = jar.getInputStream(e)) {
              in.transferTo(w);
            }
            w.closeEntry();
          }
        }
        out.add(copy.toString());
      }
    }
    return String.join(java.io.File.pathSeparator, out);
  }

  private static boolean isSignature(String name) {
    return name.startsWith("META-INF/") && (name.endsWith(".SF") || name.endsWith(".RSA") || name.endsWith(".DSA")
        || name.endsWith(".EC"));
  }

  /** bin/sigil's fast-start profile (C1 only: hashes at C1 speed, slow enough to watch). */
  static List<String> fastStart(String... more) {
    List<String> o = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dsigil.profile=fast-start"));
    o.addAll(List.of(more));
    return o;
  }

  /** A sparse file of {@code size} bytes, ending in a few non-zero bytes. */
  static Path sparse(Path file, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
      f.seek(size - 5);
      f.write("tail!".getBytes(StandardCharsets.US_ASCII));
    }
    return file;
  }

  /**
   * An unencrypted PKCS#8 key pair at {@code prefix}.key / .pub: decrypting a cosign-format key runs scrypt, which
   * needs 64 MiB of heap by itself.
   */
  static void plainKeyPair(String prefix, SigningKey.Type type) throws IOException {
    SigningKey key = SigningKey.generate(type, new SecureRandom());
    StringWriter pem = new StringWriter();
    try (PemWriter w = new PemWriter(pem)) {
      w.writeObject(new PemObject("PRIVATE KEY", key.privateKey().getEncoded()));
    }
    Files.writeString(Path.of(prefix + ".key"), pem.toString());
    Files.writeString(Path.of(prefix + ".pub"), PublicKeys.toPem(key.publicKey()));
  }

  /** Single-quotes {@code s} for sh. */
  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}

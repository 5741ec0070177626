package dev.sigil.cli;

import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.DigestSet;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.ArtifactDigests;
import dev.sigil.verifier.bundle.HashAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The artifact a verify command is given as {@code FILE_OR_DIGEST}: an existing file, hashed as a stream in one pass
 * with every algorithm asked for; else a digest {@code sha256:HEX}, {@code sha384:HEX} or {@code sha512:HEX}. The one
 * place the CLI hashes artifacts, so how it hashes (buffering, progress, several files) can change here alone.
 */
final class ArtifactInputs {
  private ArtifactInputs() {}

  /**
   * The artifact {@code arg} names.
   *
   * @param algorithms what to hash a file with (ignored for a digest, which has its own algorithm)
   * @throws CliException (exit 2) if {@code arg} is neither a readable file nor a well-formed digest
   */
  static Artifact resolve(String arg, Set<HashAlgorithm> algorithms) throws CliException {
    return resolve(arg, algorithms, HashProgress.NONE);
  }

  /** As {@link #resolve(String, Set)}, reporting the hashing of a large file to {@code progress}. */
  static Artifact resolve(String arg, Set<HashAlgorithm> algorithms, HashProgress progress) throws CliException {
    Path path = pathOrNull(arg);
    if (path == null || !Files.exists(path)) {
      Optional<Artifact> ref = Artifact.parseDigestReference(arg);
      if (ref.isPresent()) {
        return ref.get();
      }
      if (arg.indexOf(':') > 0 && (path == null || path.getParent() == null)) {
        try {
          DigestSet.parseArtifactDigest(arg);
        } catch (AttestationException e) {
          throw CliException.badInput(
              "artifact " + arg + ": expected an existing file or a digest; as a digest, " + e.getMessage());
        }
      }
      if (path == null) {
        throw CliException.badInput("artifact " + arg + ": expected an existing file or a digest, found neither");
      }
    }
    return digestFile(path, algorithms, progress);
  }

  /** The digest {@code arg} names when it is not an existing file and reads as one; else empty. */
  static Optional<Artifact> digestReference(String arg) {
    Path path = pathOrNull(arg);
    return path != null && Files.exists(path) ? Optional.empty() : Artifact.parseDigestReference(arg);
  }

  /** Hashes a file with each of {@code algorithms}, reading it once (the launcher's profile picks the digests). */
  static Artifact digestFile(Path path, Set<HashAlgorithm> algorithms, HashProgress progress) throws CliException {
    InputFiles.requireRegularFile(path, "artifact");
    return FileHasher.forThisProcess().hash(path, algorithms, progress).artifact();
  }

  /** The file name an argument names, for progress lines ({@code app.tar} for {@code build/out/app.tar}). */
  static String displayName(String arg) {
    Path p = pathOrNull(arg);
    return p == null || p.getFileName() == null ? arg : p.getFileName().toString();
  }

  private static Path pathOrNull(String arg) {
    try {
      return Path.of(arg);
    } catch (InvalidPathException e) {
      return null;
    }
  }
}

package dev.sigil.oci.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.oci.Annotations;
import dev.sigil.oci.Descriptor;
import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageIndex;
import dev.sigil.oci.ImageReference;
import dev.sigil.oci.ImageStore;
import dev.sigil.oci.Manifest;
import dev.sigil.oci.Manifests;
import dev.sigil.oci.MediaTypes;
import dev.sigil.oci.OciException;
import dev.sigil.oci.OciException.Reason;
import dev.sigil.oci.Referrers;
import dev.sigil.oci.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/<alg>/<hex>}) as an
 * {@link ImageStore}: tags are {@code org.opencontainers.image.ref.name} annotations of {@code index.json} entries,
 * and referrers are found by reading the manifests {@code index.json} lists and keeping those whose {@code subject}
 * is the digest (layouts have no API). Manifests pushed without a tag are still listed in {@code index.json}, untagged,
 * so they survive garbage collection ({@code umoci gc}) and are found as referrers.
 *
 * <p>Writes are atomic: blobs and {@code index.json} are written to a temporary file in the same directory and
 * renamed into place, so a reader never sees half a file. Updates of {@code index.json} hold an exclusive lock on the
 * {@code oci-layout} file, which serialises them across processes that use this class and across instances in one JVM;
 * other tools (umoci, skopeo) do not take it. Bounds: {@code index.json} and
 * manifests at {@link Manifests#MAX_MANIFEST_BYTES}, at most {@value #MAX_INDEX_ENTRIES} entries scanned for referrers.
 */
public final class LayoutStore implements ImageStore {
  static final String LAYOUT_FILE = "oci-layout";
  static final String INDEX_FILE = "index.json";
  static final int MAX_INDEX_ENTRIES = 10_000;
  static final long LOCK_WAIT_MS = 30_000;
  private static final byte[] LAYOUT_CONTENT = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private final Path dir;
  private final Object writeLock = new Object();

  private LayoutStore(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  /** The layout at {@code dir}; nothing is read until a method is called. */
  public static LayoutStore open(Path dir) {
    return new LayoutStore(dir);
  }

  /** The layout at {@code dir}, created (directory, {@code oci-layout}, empty {@code index.json}) if absent. */
  public static LayoutStore create(Path dir) throws OciException {
    LayoutStore s = new LayoutStore(dir);
    try {
      Files.createDirectories(dir.resolve("blobs").resolve(Digest.SHA256));
      if (!Files.exists(dir.resolve(LAYOUT_FILE))) {
        s.atomicWrite(dir.resolve(LAYOUT_FILE), LAYOUT_CONTENT);
      }
      if (!Files.exists(dir.resolve(INDEX_FILE))) {
        s.atomicWrite(dir.resolve(INDEX_FILE),
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw s.io("creating the layout", e);
    }
    s.checkLayout();
    return s;
  }

  public Path path() {
    return dir;
  }

  @Override
  public String location() {
    return ImageReference.LAYOUT_PREFIX + dir;
  }

  @Override
  public Optional<Descriptor> resolveTag(String tag) throws OciException {
    if (!dev.sigil.oci.RegistryReference.isValidTag(tag)) {
      throw new IllegalArgumentException("invalid tag \"" + tag + "\"");
    }
    List<Descriptor> hits = new ArrayList<>();
    for (Descriptor d : index().manifests()) {
      if (tag.equals(d.annotations().get(Annotations.REF_NAME))) {
        hits.add(d);
      }
    }
    if (hits.size() > 1) {
      throw new OciException(Reason.INVALID_CONTENT,
          location() + ": tag " + tag + " names " + hits.size() + " manifests in index.json");
    }
    return hits.stream().findFirst();
  }

  @Override
  public Optional<Manifest> fetchManifestByTag(String tag) throws OciException {
    Optional<Descriptor> d = resolveTag(tag);
    if (d.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(fetchManifest(d.get().digest(), d.get().mediaType()));
  }

  @Override
  public Manifest fetchManifest(Digest digest) throws OciException {
    String hint = null;
    for (Descriptor d : index().manifests()) {
      if (d.digest().equals(digest)) {
        hint = d.mediaType();
        break;
      }
    }
    return fetchManifest(digest, hint);
  }

  /**
   * A reference's manifest: by digest, by tag, or (neither given) the only manifest in {@code index.json}.
   */
  @Override
  public Optional<Manifest> fetchManifest(ImageReference ref) throws OciException {
    if (ref.digest().isEmpty() && ref.tag().isEmpty()) {
      List<Descriptor> all = index().manifests();
      if (all.size() != 1) {
        throw new OciException(Reason.NOT_FOUND, location() + ": no tag or digest given and index.json lists "
            + all.size() + " manifests; name one with :tag or @digest");
      }
      return Optional.of(fetchManifest(all.get(0).digest(), all.get(0).mediaType()));
    }
    return ImageStore.super.fetchManifest(ref);
  }

  private Manifest fetchManifest(Digest digest, String hint) throws OciException {
    byte[] bytes = readBlob(digest, Manifests.MAX_MANIFEST_BYTES, "manifest");
    try {
      return Manifests.parseVerified(bytes, hint, digest);
    } catch (OciException e) {
      throw new OciException(e.reason(), location() + ": " + e.getMessage(), false, e);
    }
  }

  @Override
  public byte[] fetchBlob(Digest digest, long maxBytes) throws OciException {
    return readBlob(digest, maxBytes, "blob");
  }

  @Override
  public boolean hasBlob(Digest digest) throws OciException {
    checkLayout();
    return Files.isRegularFile(blobPath(digest));
  }

  @Override
  public Descriptor pushBlob(byte[] content, String mediaType) throws OciException {
    checkLayout();
    Descriptor d = Descriptor.of(mediaType, content);
    writeBlob(d.digest(), content);
    return d;
  }

  @Override
  public Descriptor pushManifest(Manifest manifest, String tag) throws OciException {
    if (tag != null && !dev.sigil.oci.RegistryReference.isValidTag(tag)) {
      throw new IllegalArgumentException("invalid tag \"" + tag + "\"");
    }
    checkLayout();
    for (Descriptor needed : referencedBlobs(manifest)) {
      if (!Files.isRegularFile(blobPath(needed.digest()))) {
        throw new OciException(Reason.NOT_FOUND, location() + ": manifest " + manifest.digest() + " names "
            + needed.digest() + ", which is not in the layout");
      }
    }
    writeBlob(manifest.digest(), manifest.bytes());
    Map<String, String> annotations = new LinkedHashMap<>();
    if (tag != null) {
      annotations.put(Annotations.REF_NAME, tag);
    }
    Descriptor entry = new Descriptor(manifest.mediaType(), manifest.digest(), manifest.size(), annotations,
        manifest.artifactType(), null);
    byte[] entryJson = Json.write(g -> Manifests.writeDescriptor(g, entry));
    updateIndex(entries -> {
      for (int i = entries.size() - 1; i >= 0; i--) {
        JsonNode e = entries.get(i);
        String name = e.path("annotations").path(Annotations.REF_NAME).asText(null);
        boolean sameDigest = manifest.digest().toString().equals(e.path("digest").asText());
        if (tag != null && tag.equals(name)) {
          entries.remove(i);
        } else if (sameDigest && name == null) {
          entries.remove(i);
        } else if (tag == null && sameDigest) {
          return;
        }
      }
      entries.add(Json.parse(entryJson));
    });
    return manifest.descriptor();
  }

  private static List<Descriptor> referencedBlobs(Manifest m) {
    if (m instanceof dev.sigil.oci.ImageManifest im) {
      List<Descriptor> out = new ArrayList<>(im.layers());
      out.add(im.config());
      return out;
    }
    return ((ImageIndex) m).manifests();
  }

  @Override
  public List<String> listTags() throws OciException {
    List<String> tags = new ArrayList<>();
    for (Descriptor d : index().manifests()) {
      String name = d.annotations().get(Annotations.REF_NAME);
      if (name != null && !tags.contains(name)) {
        tags.add(name);
      }
    }
    return List.copyOf(tags);
  }

  @Override
  public Referrers referrers(Digest subject, String artifactType) throws OciException {
    List<Descriptor> entries = index().manifests();
    if (entries.size() > MAX_INDEX_ENTRIES) {
      throw new OciException(Reason.TOO_LARGE, location() + ": index.json lists " + entries.size()
          + " manifests; at most " + MAX_INDEX_ENTRIES + " are scanned for referrers");
    }
    List<Descriptor> out = new ArrayList<>();
    List<Digest> seen = new ArrayList<>();
    for (Descriptor d : entries) {
      if (!MediaTypes.isManifest(d.mediaType()) || d.size() > Manifests.MAX_MANIFEST_BYTES || seen.contains(d.digest())) {
        continue;
      }
      seen.add(d.digest());
      Manifest m = fetchManifest(d.digest(), d.mediaType());
      if (m.subject() != null && m.subject().digest().equals(subject)) {
        String type = m.effectiveArtifactType();
        if (artifactType == null || artifactType.equals(type)) {
          out.add(new Descriptor(m.mediaType(), m.digest(), m.size(), m.annotations(), type, null));
        }
      }
    }
    return new Referrers(out, Referrers.Source.LAYOUT_SCAN);
  }

  /** The parsed {@code index.json}. */
  public ImageIndex index() throws OciException {
    checkLayout();
    byte[] bytes = readBounded(dir.resolve(INDEX_FILE), Manifests.MAX_MANIFEST_BYTES, "index.json");
    try {
      Manifest m = Manifests.parse(bytes, MediaTypes.OCI_INDEX);
      if (!(m instanceof ImageIndex idx)) {
        throw new OciException(Reason.INVALID_CONTENT, location() + ": index.json is not an image index");
      }
      return idx;
    } catch (OciException e) {
      throw new OciException(e.reason(), location() + ": index.json: " + e.getMessage(), false, e);
    }
  }

  private void checkLayout() throws OciException {
    Path f = dir.resolve(LAYOUT_FILE);
    byte[] b = readBounded(f, 64 << 10, LAYOUT_FILE);
    try {
      JsonNode n = Json.parse(b);
      String v = n.path("imageLayoutVersion").asText("");
      if (!v.startsWith("1.")) {
        throw new OciException(Reason.UNSUPPORTED, location() + ": unsupported imageLayoutVersion \"" + v + "\"");
      }
    } catch (Json.MalformedJsonException e) {
      throw new OciException(Reason.INVALID_CONTENT, location() + ": oci-layout is not JSON");
    }
  }

  private byte[] readBlob(Digest digest, long maxBytes, String what) throws OciException {
    checkLayout();
    byte[] bytes = readBounded(blobPath(digest), maxBytes, what + " " + digest);
    if (!digest.matches(bytes)) {
      throw new OciException(Reason.DIGEST_MISMATCH, location() + ": " + what + " " + digest
          + " hashes to " + Digest.compute(digest.algorithm(), bytes));
    }
    return bytes;
  }

  private byte[] readBounded(Path f, long maxBytes, String what) throws OciException {
    try (InputStream in = Files.newInputStream(f)) {
      long cap = Math.min(maxBytes, Integer.MAX_VALUE - 16L);
      byte[] b = in.readNBytes((int) cap);
      if (b.length == cap && in.read() != -1) {
        throw new OciException(Reason.TOO_LARGE, location() + ": " + what + " is larger than " + maxBytes + " bytes");
      }
      return b;
    } catch (NoSuchFileException e) {
      throw new OciException(Reason.NOT_FOUND, location() + ": " + what + " not found"
          + (f.getFileName().toString().equals(LAYOUT_FILE) ? " (not an OCI image layout)" : ""), false, e);
    } catch (IOException e) {
      throw io("reading " + what, e);
    }
  }

  private Path blobPath(Digest d) {
    return dir.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
  }

  private void writeBlob(Digest digest, byte[] content) throws OciException {
    Path target = blobPath(digest);
    if (Files.isRegularFile(target)) {
      return;
    }
    try {
      Files.createDirectories(target.getParent());
      atomicWrite(target, content);
    } catch (IOException e) {
      throw io("writing blob " + digest, e);
    }
  }

  /** An edit of {@code index.json}'s {@code manifests} array, run under the lock. */
  @FunctionalInterface
  private interface IndexEdit {
    void apply(ArrayNode manifests) throws Json.MalformedJsonException;
  }

  @SuppressWarnings("try") // the lock is held for the block, not referenced in it
  private void updateIndex(IndexEdit edit) throws OciException {
    synchronized (writeLock) {
      try (FileChannel ch = FileChannel.open(dir.resolve(LAYOUT_FILE), StandardOpenOption.READ, StandardOpenOption.WRITE);
          FileLock lock = lock(ch)) {
        Path indexFile = dir.resolve(INDEX_FILE);
        byte[] bytes = readBounded(indexFile, Manifests.MAX_MANIFEST_BYTES, "index.json");
        JsonNode root = Json.parse(bytes);
        if (!(root instanceof ObjectNode obj) || !(obj.get("manifests") instanceof ArrayNode arr)) {
          throw new OciException(Reason.INVALID_CONTENT, location() + ": index.json has no manifests array");
        }
        edit.apply(arr);
        byte[] updated = Json.write(obj);
        Manifests.parse(updated, MediaTypes.OCI_INDEX);
        atomicWrite(indexFile, updated);
      } catch (Json.MalformedJsonException e) {
        throw new OciException(Reason.INVALID_CONTENT, location() + ": index.json: " + e.getMessage());
      } catch (IOException e) {
        throw io("updating index.json", e);
      }
    }
  }

  /**
   * Waits (up to {@value #LOCK_WAIT_MS} ms) for the exclusive lock on {@code oci-layout}. File locks belong to the
   * whole JVM, so another store instance of this process holding it shows up as {@link OverlappingFileLockException}
   * and is waited for like another process.
   */
  private FileLock lock(FileChannel ch) throws IOException {
    long deadline = System.nanoTime() + LOCK_WAIT_MS * 1_000_000L;
    while (true) {
      try {
        FileLock l = ch.tryLock();
        if (l != null) {
          return l;
        }
      } catch (OverlappingFileLockException e) {
        // held by another LayoutStore of this JVM
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("oci-layout stayed locked for " + LOCK_WAIT_MS + " ms");
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted waiting for the layout lock");
      }
    }
  }

  /** Writes {@code content} to a temporary file beside {@code target}, forces it to disk, and renames it over. */
  private void atomicWrite(Path target, byte[] content) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (FileAlreadyExistsException e) {
      throw new IOException("temporary file collision at " + tmp, e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private OciException io(String what, IOException e) {
    return new OciException(Reason.IO, location() + ": " + what + ": " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage()), false, e);
  }

  @Override
  public String toString() {
    return "LayoutStore[" + dir + "]";
  }
}

package dev.sigil.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.oci.ImageReference;
import dev.sigil.oci.ImageStore;
import dev.sigil.oci.LayoutReference;
import dev.sigil.oci.OciException;
import dev.sigil.oci.RegistryReference;
import dev.sigil.oci.stores.ImageStores;
import dev.sigil.signer.SigningException;
import dev.sigil.signer.SigningSession;
import dev.sigil.signer.images.ImageSigner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@code sign} and {@code attest} do with images, outside the picocli-reflected command classes. */
final class ImageSigning {
  private final BaseCommand cmd;
  private final List<String> images;
  private final Path key;
  private final boolean tlogUpload;
  private final boolean newBundleFormat;
  private final boolean recursive;
  private final String containerIdentity;
  private final RegistryFlags registry;
  private final SigningServices services;

  ImageSigning(BaseCommand cmd, List<String> images, Path key, boolean tlogUpload, boolean newBundleFormat,
      boolean recursive, String containerIdentity, RegistryFlags registry, SignBlobCommand.Services svc,
      SignBlobCommand.Tokens tok) {
    this.cmd = cmd;
    this.images = images;
    this.key = key;
    this.tlogUpload = tlogUpload;
    this.newBundleFormat = newBundleFormat;
    this.recursive = recursive;
    this.containerIdentity = containerIdentity;
    this.registry = registry;
    this.services = new SigningServices(cmd, svc, tok);
  }

  /** One image named on the command line, resolved. */
  private record Job(String image, ImageStore store, ImageSigner.Resolved resolved) {}

  /** One signing step, for {@link #run}. */
  private interface Step {
    ImageSigner.Stored apply(ImageSigner signer, ImageStore store, ImageSigner.Target target)
        throws SigningException, OciException;
  }

  int sign(Map<String, String> annotations) throws CliException {
    services.checkFlags(key, tlogUpload);
    ImageSigner.Storage storage = storage();
    return run("Signed", (signer, store, t) -> signer.sign(store, t, annotations, storage));
  }

  int attest(Path predicateFile, String type) throws CliException {
    services.checkFlags(key, tlogUpload);
    Predicates.Predicate p = Predicates.read(predicateFile, type, Instant.now());
    ImageSigner.Storage storage = storage();
    return run("Attested", (signer, store, t) -> signer.attest(store, t, p.type(), p.json(), storage));
  }

  private ImageSigner.Storage storage() {
    return newBundleFormat ? ImageSigner.Storage.BUNDLE_REFERRER : ImageSigner.Storage.COSIGN_TAG;
  }

  private int run(String verb, Step step) throws CliException {
    List<ImageReference> refs = new ArrayList<>();
    for (String image : images) {
      refs.add(RegistryFlags.reference(image));
    }
    // Every image is resolved before anything is signed: a missing image or an unreachable registry costs no
    // certificate and no log entry.
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      String image = images.get(i);
      ImageReference ref = refs.get(i);
      ImageStore store = ImageStores.open(ref, registry.client(ref));
      try {
        ImageSigner.Resolved r = ImageSigner.resolve(store, ref, identity(ref), recursive);
        if (r.resolvedFrom().isPresent()) {
          cmd.warn(image + ": signing " + r.resolvedFrom().get() + ", which resolved to " + r.targets().get(0).digest()
              + "; name the digest (@" + r.targets().get(0).digest() + ") to sign exactly this image");
        }
        jobs.add(new Job(image, store, r));
      } catch (OciException e) {
        throw RegistryFlags.failure(image, e);
      }
    }
    SigningServices.Opened opened = services.open(key, tlogUpload);
    SigningSession session = opened.session();
    ImageSigner signer = new ImageSigner(session, Clock.systemUTC());
    try {
      signer.checkStorage(storage());
    } catch (SigningException e) {
      // The flags and the signing services do not fit together: nothing was signed or logged.
      throw CliException.badInput(e.getMessage());
    }
    List<ImageSigner.Stored> done = new ArrayList<>();
    List<String> doneImages = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Job job : jobs) {
      for (ImageSigner.Target t : job.resolved().targets()) {
        if (!seen.add(job.store().location() + "@" + t.digest())) {
          continue;
        }
        try {
          done.add(step.apply(signer, job.store(), t));
          doneImages.add(job.image());
        } catch (OciException e) {
          throw RegistryFlags.failure(job.image(), e);
        } catch (SigningException e) {
          throw new CliException(session.logs() ? ExitCode.ENVIRONMENT : ExitCode.BAD_INPUT,
              job.image() + " (" + t.digest() + "): " + e.getMessage());
        }
      }
    }
    report(verb, session, done, doneImages);
    return ExitCode.OK;
  }

  /** The name signatures give the image: the flag, else registry/repository, else the layout as named. */
  private String identity(ImageReference ref) {
    if (containerIdentity != null) {
      return containerIdentity;
    }
    if (ref instanceof RegistryReference r) {
      return r.name();
    }
    return ImageReference.LAYOUT_PREFIX + ((LayoutReference) ref).path();
  }

  private void report(String verb, SigningSession session, List<ImageSigner.Stored> done, List<String> doneImages) {
    String noLog = "no transparency-log upload was made (key mode without --tlog-upload); verifiers will need"
        + " --insecure-ignore-tlog";
    if (cmd.global.json()) {
      ObjectNode n = cmd.jsonObject();
      n.put("ok", true);
      ArrayNode list = n.putArray("stored");
      for (int i = 0; i < done.size(); i++) {
        ImageSigner.Stored s = done.get(i);
        list.addObject()
            .put("image", doneImages.get(i))
            .put("digest", s.target().digest().toString())
            .put("storage", s.storage().name())
            .put("location", s.location())
            .put("added", s.added());
      }
      session.identity().ifPresent(id -> n.put("identity", id.subjectAlternativeName()).put("issuer", id.issuer()));
      n.put("tlogUpload", session.logs());
      if (!session.logs()) {
        n.put("warning", noLog);
      }
      cmd.printJson(n);
    } else {
      String who = session.identity().map(id -> "as " + id.subjectAlternativeName() + " (issuer " + id.issuer() + ")")
          .orElse("with " + session.algorithm().displayName() + " key");
      for (int i = 0; i < done.size(); i++) {
        ImageSigner.Stored s = done.get(i);
        String image = doneImages.get(i);
        String digest = s.target().digest().toString();
        cmd.info(verb + " " + image + (image.endsWith(digest) ? "" : " (" + digest + ")") + " " + who + ": "
            + s.describe());
      }
      if (session.logs()) {
        cmd.info("Transparency log: " + session.rekor().orElseThrow().baseUrl() + "; every entry verified before"
            + " it was stored");
      }
    }
    if (!session.logs()) {
      cmd.warn(noLog);
    }
  }
}

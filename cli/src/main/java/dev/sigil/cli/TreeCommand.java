package dev.sigil.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.oci.Descriptor;
import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageReference;
import dev.sigil.oci.ImageStore;
import dev.sigil.oci.LayoutReference;
import dev.sigil.oci.OciException;
import dev.sigil.oci.RegistryReference;
import dev.sigil.oci.cosign.AttachmentTree;
import dev.sigil.oci.registry.RegistryClient;
import dev.sigil.oci.stores.ImageStores;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sigil tree IMAGE}: what is attached to an image (signatures, attestations, SBOMs, referrers), unverified. */
@Command(
    name = "tree",
    description = "List what is attached to an image and under which scheme (nothing is verified).")
final class TreeCommand extends BaseCommand {
  @Parameters(paramLabel = "IMAGE",
      description = "registry/repository[:tag][@sha256:...], or oci-layout:PATH[:tag|@sha256:...]")
  String image;

  @Mixin RegistryFlags registry;

  @Override
  int execute() throws CliException {
    ImageReference ref = RegistryFlags.reference(image);
    RegistryClient client = registry.client(ref);
    AttachmentTree.Tree tree;
    try {
      ImageStore store = ImageStores.open(ref, client);
      Optional<Digest> digest =
          ref instanceof RegistryReference r ? r.digest() : ((LayoutReference) ref).digest();
      if (digest.isEmpty()) {
        Optional<String> tag = ref instanceof RegistryReference r ? r.tag() : ((LayoutReference) ref).tag();
        Optional<Descriptor> d = store.resolveTag(tag.orElse("latest"));
        if (d.isEmpty()) {
          throw new OciException(OciException.Reason.NOT_FOUND, store.location() + ": no tag \"" + tag.orElse("latest") + "\"");
        }
        digest = Optional.of(d.get().digest());
      } else {
        store.fetchManifest(digest.get());
      }
      tree = AttachmentTree.of(store, digest.get());
    } catch (OciException e) {
      throw RegistryFlags.failure(image, e);
    }
    if (global.json()) {
      ObjectNode n = jsonObject();
      n.put("image", image);
      n.put("digest", tree.subject().toString());
      n.put("referrersSource", tree.referrersSource().name());
      ArrayNode entries = n.putArray("attached");
      for (AttachmentTree.Entry e : tree.entries()) {
        ObjectNode o = entries.addObject();
        o.put("scheme", e.scheme().name());
        o.put("tag", e.tag().orElse(null));
        o.put("manifest", e.manifest().digest().toString());
        o.put("artifactType", e.artifactType());
        ArrayNode layers = o.putArray("layers");
        for (Descriptor l : e.layers()) {
          ObjectNode lo = layers.addObject();
          lo.put("mediaType", l.mediaType());
          lo.put("digest", l.digest().toString());
          lo.put("size", l.size());
          l.annotation("predicateType").ifPresent(t -> lo.put("predicateType", t));
        }
      }
      printJson(n);
      return ExitCode.OK;
    }
    terminal.out().println(image + " (" + tree.subject() + ")");
    if (tree.entries().isEmpty()) {
      terminal.out().println("└── nothing attached");
    }
    for (int i = 0; i < tree.entries().size(); i++) {
      AttachmentTree.Entry e = tree.entries().get(i);
      boolean last = i == tree.entries().size() - 1;
      terminal.out().println((last ? "└── " : "├── ") + label(e));
      for (int j = 0; j < e.layers().size(); j++) {
        Descriptor l = e.layers().get(j);
        String branch = (last ? "    " : "│   ") + (j == e.layers().size() - 1 ? "└── " : "├── ");
        terminal.out().println(branch + describe(l));
      }
    }
    return ExitCode.OK;
  }

  private static String label(AttachmentTree.Entry e) {
    String what =
        switch (e.scheme()) {
          case SIGNATURE_TAG -> "signatures";
          case ATTESTATION_TAG -> "attestations";
          case SBOM_TAG -> "SBOMs";
          case REFERRER -> "referrer";
        };
    return what + (e.tag().isPresent() ? " (tag " + e.tag().get() + ")" : " " + e.manifest().digest())
        + (e.artifactType() == null ? "" : " [" + e.artifactType() + "]");
  }

  private static String describe(Descriptor l) {
    StringBuilder sb = new StringBuilder(l.mediaType()).append(' ').append(l.digest());
    for (Map.Entry<String, String> a : l.annotations().entrySet()) {
      if (a.getKey().equals("predicateType") || a.getKey().equals("dev.sigstore.bundle.predicateType")) {
        sb.append(" predicateType=").append(a.getValue());
      } else if (a.getKey().equals("dev.sigstore.cosign/certificate")) {
        sb.append(" (keyless)");
      } else if (a.getKey().equals("dev.sigstore.cosign/bundle")) {
        sb.append(" (logged)");
      }
    }
    return sb.toString();
  }
}

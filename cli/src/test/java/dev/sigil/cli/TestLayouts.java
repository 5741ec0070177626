package dev.sigil.cli;

import dev.sigil.oci.Descriptor;
import dev.sigil.oci.ImageManifest;
import dev.sigil.oci.MediaTypes;
import dev.sigil.oci.layout.LayoutStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Images in OCI layouts for CLI tests. */
final class TestLayouts {
  private TestLayouts() {}

  /** Pushes a one-layer linux/amd64 image whose layer is {@code content}, tagged {@code tag}; returns its digest. */
  static String push(LayoutStore store, String content, String tag) throws Exception {
    Descriptor layer = store.pushBlob(content.getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.layer.v1.tar");
    Descriptor config = store.pushBlob(("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_CONFIG);
    return store.pushManifest(
        ImageManifest.create(MediaTypes.OCI_MANIFEST, config, List.of(layer), Map.of(), null, null), tag)
        .digest().toString();
  }
}

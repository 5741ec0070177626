package dev.sigil.oci.cosign;

import dev.sigil.oci.Descriptor;
import dev.sigil.oci.OciException;
import java.util.Objects;

/**
 * A layer listed in a signature or attestation manifest whose payload could not be read (blob missing, larger than the
 * bound, wrong digest). Reported rather than thrown, so the other layers still count.
 */
public record UnreadableLayer(Descriptor descriptor, OciException reason) {
  public UnreadableLayer {
    Objects.requireNonNull(descriptor, "descriptor");
    Objects.requireNonNull(reason, "reason");
  }
}

/**
 * OCI image layouts on disk ({@code oci-layout}, {@code index.json}, {@code blobs/}) as an {@link
 * dev.sigil.oci.ImageStore}, read and written atomically, with referrers found by scanning; everything works offline.
 */
package dev.sigil.oci.layout;

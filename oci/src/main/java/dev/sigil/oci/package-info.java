/**
 * Image references, digests, descriptors and manifests (exact bytes plus parsed view), and {@link
 * dev.sigil.oci.ImageStore}, the one interface for where images live. Bytes only: this module checks digests and sizes
 * and never verifies a signature (that is the verifier's job, through the images module). Signatures here use only JDK
 * types and this module's own.
 */
package dev.sigil.oci;

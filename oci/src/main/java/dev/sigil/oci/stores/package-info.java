/**
 * Opening the {@link dev.sigil.oci.ImageStore} an {@link dev.sigil.oci.ImageReference} points into.
 */
package dev.sigil.oci.stores;

/**
 * Internal helpers of the oci module (JSON codec); not API.
 */
package dev.sigil.oci.internal;

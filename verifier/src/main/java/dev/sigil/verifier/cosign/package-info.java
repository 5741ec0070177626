/**
 * cosign's legacy storage format for image signatures and attestations (layers of the {@code .sig} and {@code .att}
 * tags, with their annotations), read as {@link dev.sigil.verifier.entity.SignedEntity signed entities}. Reading only;
 * the {@link dev.sigil.verifier.Verifier} verifies, and the images module fetches the layers and checks what a
 * verified payload names.
 */
package dev.sigil.verifier.cosign;

/**
 * JSON Schema validation of in-toto statements and SLSA provenance v1 against schemas shipped as resources in this
 * package ({@code in-toto-statement-v1.schema.json}, {@code slsa-provenance-v1.schema.json}; their {@code $comment}
 * names the spec text each was written from), with networknt json-schema-validator 3. Entry point: {@link
 * dev.sigil.attestations.schema.SchemaValidator}; every {@link dev.sigil.attestations.schema.Violation} points at a
 * field and says what was expected and found.
 */
package dev.sigil.attestations.schema;

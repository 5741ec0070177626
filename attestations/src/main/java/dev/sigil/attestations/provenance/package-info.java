/**
 * Making SLSA provenance v1: {@link dev.sigil.attestations.provenance.ProvenanceBuilder} turns a CI environment
 * (GitHub Actions, GitLab CI) or a caller's generic description, the build's subjects and a clock into a validated
 * statement. Pure: the caller passes the environment map and hashes the artifacts.
 */
package dev.sigil.attestations.provenance;

#!/usr/bin/env bash
# Regenerates the cosign-made attestation bundles beside this script with the peer cosign (2.5):
#   ../shared/tools/peers install && eval "$(../shared/tools/peers env)" && bash make-fixtures.sh
# Each bundle is `cosign attest-blob --new-bundle-format --tlog-upload=false --type T` over artifact.txt with a fresh
# key (only its public half, cosign.pub, is kept). CosignFixturesTest reads them; CosignPeerTest makes new ones live.
set -euo pipefail
cd "$(dirname "$0")"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export COSIGN_PASSWORD=fixture
"$COSIGN_BIN" generate-key-pair --output-key-prefix "$T/k" >/dev/null 2>&1
cp "$T/k.pub" cosign.pub
printf 'artifact\n' > artifact.txt
attest() { # type predicate-file output
  "$COSIGN_BIN" attest-blob --yes --key "$T/k.key" --new-bundle-format --tlog-upload=false \
    --type "$1" --predicate "$2" --bundle "$3" artifact.txt >/dev/null 2>&1
}
attest slsaprovenance1 predicate-slsa1.json slsaprovenance1.sigstore.json
attest slsaprovenance02 predicate-slsa02.json slsaprovenance02.sigstore.json
attest spdx predicate-sbom.json spdx.sigstore.json
attest spdxjson predicate-sbom.json spdxjson.sigstore.json
attest cyclonedx predicate-sbom.json cyclonedx.sigstore.json
attest openvex predicate-sbom.json openvex.sigstore.json
attest vuln predicate-vuln.json vuln.sigstore.json
attest custom predicate-sbom.json custom.sigstore.json
attest https://example.com/predicate/v1 predicate-sbom.json uri.sigstore.json

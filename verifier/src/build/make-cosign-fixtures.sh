#!/usr/bin/env bash
# Regenerates verifier/src/test/resources/cosign/: image signatures and attestations made by cosign 2.5 in cosign's
# legacy storage format (the .sig/.att tags), against a real registry and Sigil's sandbox (a private Sigstore), read
# back with the registry API and saved as payload + annotations. Run from the project root after
# `mvn -B -q -DskipTests package`, with the peers installed (../shared/tools/peers install).
set -euo pipefail
root=$(pwd)
out=$root/verifier/src/test/resources/cosign
eval "$(../shared/tools/peers env)"
work=$(mktemp -d)
export REGISTRY_DIR=$work/reg COSIGN_PASSWORD=fixture COSIGN_YES=true
free_port() { python3 -c "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])"; }
rp=$(free_port); sp=$(free_port); reg=127.0.0.1:$rp
../shared/tools/registry start "$rp" >/dev/null
bin/sigil sandbox serve --port "$sp" --data "$work/sb" > "$work/sandbox.log" 2>&1 &
sb=$!
trap '../shared/tools/registry stop "$rp"; kill $sb 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$sp/trusted_root.json" -o "$work/tr.json" && break; sleep 0.2; done
../shared/acceptance/trust2pem "$work/tr.json" "$work/pem"
d1=$(../shared/tools/registry image fixture/app:v1 one "$rp")
d2=$(../shared/tools/registry image fixture/app:v2 two "$rp")
tok=$(bin/sigil sandbox token --sandbox "http://127.0.0.1:$sp" --subject ci@example.com | tail -1)
export SIGSTORE_ROOT_FILE=$work/pem/fulcio_chain.pem SIGSTORE_REKOR_PUBLIC_KEY=$work/pem/rekor.pub \
  SIGSTORE_CT_LOG_PUBLIC_KEY_FILE=$work/pem/ctlog.pub
svc=(--fulcio-url "http://127.0.0.1:$sp" --rekor-url "http://127.0.0.1:$sp" --allow-insecure-registry)
(cd "$work" && "$COSIGN_BIN" generate-key-pair --output-key-prefix ck >/dev/null)
printf '{"buildDefinition":{"buildType":"https://example.com/t","externalParameters":{}},"runDetails":{"builder":{"id":"https://ci.example.com/builder"}}}' > "$work/prov.json"
# keyless: certificate, chain, Rekor bundle (SET) and an RFC 3161 timestamp
"$COSIGN_BIN" sign "${svc[@]}" --identity-token "$tok" --timestamp-server-url "http://127.0.0.1:$sp/api/v1/timestamp" "$reg/fixture/app@$d1" > "$work/cosign.log" 2>&1 || { cat "$work/cosign.log"; exit 1; }
# key-based, logged in Rekor (Rekor bundle annotation, no certificate)
"$COSIGN_BIN" sign --key "$work/ck.key" --rekor-url "http://127.0.0.1:$sp" --allow-insecure-registry "$reg/fixture/app@$d2" > "$work/cosign.log" 2>&1 || { cat "$work/cosign.log"; exit 1; }
# key-based, not logged
"$COSIGN_BIN" sign --key "$work/ck.key" --tlog-upload=false --allow-insecure-registry "$reg/fixture/app@$d1" > "$work/cosign.log" 2>&1 || { cat "$work/cosign.log"; exit 1; }
# keyless attestation (an intoto entry in Rekor)
"$COSIGN_BIN" attest "${svc[@]}" --identity-token "$tok" --type slsaprovenance1 --predicate "$work/prov.json" "$reg/fixture/app@$d1" > "$work/cosign.log" 2>&1 || { cat "$work/cosign.log"; exit 1; }
# key-based attestation, not logged
"$COSIGN_BIN" attest --key "$work/ck.key" --tlog-upload=false --allow-insecure-registry --type slsaprovenance1 --predicate "$work/prov.json" "$reg/fixture/app@$d2" > "$work/cosign.log" 2>&1 || { cat "$work/cosign.log"; exit 1; }
mkdir -p "$out"
python3 - "$reg" "$d1" "$d2" "$out" <<'PY'
import json, sys, base64, urllib.request
reg, d1, d2, out = sys.argv[1:]
def get(path, accept=None):
    req = urllib.request.Request(f"http://{reg}{path}")
    if accept: req.add_header("Accept", accept)
    return urllib.request.urlopen(req).read()
def layers(digest, suffix):
    tag = digest.replace(":", "-") + suffix
    m = json.loads(get(f"/v2/fixture/app/manifests/{tag}", "application/vnd.oci.image.manifest.v1+json"))
    res = []
    for l in m["layers"]:
        blob = get(f"/v2/fixture/app/blobs/{l['digest']}")
        res.append({"mediaType": l["mediaType"], "payload": base64.b64encode(blob).decode(), "annotations": l.get("annotations", {})})
    return res
fixtures = {"image1": d1, "image2": d2,
            "image1.sig": layers(d1, ".sig"), "image2.sig": layers(d2, ".sig"),
            "image1.att": layers(d1, ".att"), "image2.att": layers(d2, ".att")}
json.dump(fixtures, open(f"{out}/layers.json", "w"), indent=1, sort_keys=True)
PY
cp "$work/tr.json" "$out/trusted_root.json"
cp "$work/ck.pub" "$out/cosign.pub"
echo "wrote $out"

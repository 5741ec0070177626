#!/usr/bin/env bash
# Makes the webhook's serving certificate with openssl (a private CA, and a certificate for the Service's DNS names),
# then writes what kustomize needs: tls/ca.crt, tls/tls.crt, tls/tls.key, tls/secret.yaml (Secret sigil-admission-tls)
# and ca-bundle-patch.yaml (caBundle for both webhook configurations). Nothing leaves this directory.
#
#   deploy/gen-certs.sh [NAMESPACE] [SERVICE] [DAYS]      then: kubectl apply -k deploy/   (see README)
#
# Rotation: run it again and apply again (the server reloads the certificate from the Secret's files); or let
# cert-manager issue it (README).
set -euo pipefail
NS=${1:-sigil-system}; SVC=${2:-sigil-admission}; DAYS=${3:-365}
D=$(cd "$(dirname "$0")" && pwd); OUT=$D/tls
mkdir -p "$OUT"; umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$DAYS" \
  -subj "/CN=sigil-admission-ca" -keyout "$OUT/ca.key" -out "$OUT/ca.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$SVC.$NS.svc" \
  -keyout "$OUT/tls.key" -out "$OUT/tls.csr" 2>/dev/null
printf 'subjectAltName=DNS:%s,DNS:%s.%s,DNS:%s.%s.svc,DNS:%s.%s.svc.cluster.local\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n' \
  "$SVC" "$SVC" "$NS" "$SVC" "$NS" "$SVC" "$NS" > "$OUT/ext.cnf"
openssl x509 -req -in "$OUT/tls.csr" -CA "$OUT/ca.crt" -CAkey "$OUT/ca.key" -CAcreateserial -days "$DAYS" \
  -extfile "$OUT/ext.cnf" -out "$OUT/tls.crt" 2>/dev/null
rm -f "$OUT/tls.csr" "$OUT/ext.cnf" "$OUT/ca.srl"
b64() { base64 < "$1" | tr -d '\n'; }
cat > "$OUT/secret.yaml" <<Y
apiVersion: v1
kind: Secret
metadata:
  name: $SVC-tls
  namespace: $NS
type: kubernetes.io/tls
data:
  tls.crt: $(b64 "$OUT/tls.crt")
  tls.key: $(b64 "$OUT/tls.key")
Y
CA=$(b64 "$OUT/ca.crt")
cat > "$D/ca-bundle-patch.yaml" <<Y
- op: replace
  path: /webhooks/0/clientConfig/caBundle
  value: $CA
Y
# Wire the Secret and the caBundle patch into the kustomization (once).
K=$D/kustomization.yaml
if ! grep -q 'ca-bundle-patch.yaml' "$K"; then
  python3 - "$K" <<'PY'
import sys
p = sys.argv[1]; s = open(p).read()
s = s.replace("- webhooks.yaml\n", "- webhooks.yaml\n- tls/secret.yaml\n", 1)
s += """patches:
- path: ca-bundle-patch.yaml
  target: {group: admissionregistration.k8s.io, kind: ValidatingWebhookConfiguration, name: sigil-admission}
- path: ca-bundle-patch.yaml
  target: {group: admissionregistration.k8s.io, kind: MutatingWebhookConfiguration, name: sigil-admission}
"""
open(p, "w").write(s)
PY
fi
echo "wrote $OUT/{ca.crt,tls.crt,tls.key,secret.yaml} and $D/ca-bundle-patch.yaml; kustomization.yaml references them"
echo "the CA key $OUT/ca.key signs only this certificate: keep it out of version control, or delete it"

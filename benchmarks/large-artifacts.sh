#!/usr/bin/env bash
# Large artifacts against cosign, in one run: sign-blob and verify-blob --key of a 1 GiB file, verify-blob of a small
# keyless bundle (the conformance suite's happy-path-v0.3), and `java -version` as the empty JVM, each in bin/sigil's
# run profiles; then a 1 GiB sign and verify in a 64 MiB heap. Runs are interleaved (round after round of every
# command) and medians reported, so load from elsewhere on the machine hits every command alike.
#
# usage: benchmarks/large-artifacts.sh [ROUNDS_LARGE [ROUNDS_SMALL]]   (default 5 and 21; after
#        `mvn -B -q -DskipTests package`; cosign and the public-good root from ../shared, or SIGIL_SHARED=dir;
#        WORK=dir keeps the 1 GiB file and keys there between runs)
#
# Profiles measured (see bin/sigil and docs/launcher.md):
#   auto        bin/sigil as shipped: fast-start for inputs up to 16 MiB in all, throughput above
#   fast-start  forced: C1 only, the verifier's own SHA-2 (what every run was before: -XX:TieredStopAtLevel=1)
#   throughput  forced: full JIT, the JDK's SHA-2 (what "no JIT cap at all" costs small runs)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sigil="$root/bin/sigil"
rounds_large=${1:-5}
rounds_small=${2:-21}
[ -f "$root/cli/target/sigil.jar" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
shared=${SIGIL_SHARED:-$root/../shared} # beside the checkout, as CI lays it out
if [ -z "${COSIGN_BIN:-}" ] && [ -x "$shared/tools/peers" ]; then
  eval "$("$shared/tools/peers" env)"
fi
[ -x "${COSIGN_BIN:-}" ] || { echo "cosign not found: run ../shared/tools/peers install, then eval \"\$(../shared/tools/peers env)\"" >&2; exit 2; }
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
cd "$work"
export SIGIL_PASSWORD=bench COSIGN_PASSWORD=bench
unset SIGIL_JAVA_OPTS

fast="-XX:TieredStopAtLevel=1 -Dsigil.profile=fast-start"
full="-XX:TieredStopAtLevel=4 -Dsigil.profile=throughput"
cases="$root/cli/src/test/resources/conformance/bundle-verify"
id="https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
issuer="https://token.actions.githubusercontent.com"

echo "# large-artifacts.sh: $(date -u +%FT%TZ), $(nproc) CPUs, $(uname -r), $(java -version 2>&1 | head -1)," \
  "cosign $("$COSIGN_BIN" version 2>&1 | awk '/GitVersion/ {print $2}'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# work dir $work; 1 GiB rounds $rounds_large, small rounds $rounds_small"

if [ ! -f big.bin ] || [ "$(wc -c <big.bin)" != 1073741824 ]; then
  head -c 1073741824 /dev/urandom >big.bin
fi
cat big.bin >/dev/null # in the page cache for every command alike
[ -f k.key ] || "$sigil" generate-key-pair --output-key-prefix k >/dev/null
[ -f ck.key ] || "$COSIGN_BIN" generate-key-pair --output-key-prefix ck >/dev/null 2>&1
echo '{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}' >empty-root.json
public_root="$shared/corpus/trust/public-good-trusted_root.json"
[ -f "$public_root" ] || { echo "missing $public_root (cosign needs the public-good root offline)" >&2; exit 2; }

# run NAME COMMAND...: times one run (ms) into the list for NAME; a failing command stops the script.
declare -A times
declare -a order
run() {
  local name=$1; shift
  local start end
  start=$(date +%s%N)
  if ! "$@" >"$work/last.out" 2>"$work/last.err"; then
    echo "FAILED: $name: $*" >&2
    cat "$work/last.out" "$work/last.err" >&2
    exit 1
  fi
  end=$(date +%s%N)
  [ -n "${times[$name]+x}" ] || order+=("$name")
  times[$name]="${times[$name]:-} $(((end - start) / 1000000))"
}
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
minimum() { tr ' ' '\n' <<<"$1" | grep . | sort -n | head -1; }

with() { # with "OPTS" COMMAND...: runs COMMAND with SIGIL_JAVA_OPTS=OPTS
  local opts=$1; shift
  SIGIL_JAVA_OPTS="$opts" "$@"
}

small_args=(verify-blob --bundle "$cases/happy-path-v0.3/bundle.sigstore.json" --certificate-identity "$id"
  --certificate-oidc-issuer "$issuer" "$cases/a.txt")
for ((r = 0; r < rounds_small; r++)); do
  run "small: java -version" java -version
  run "small: cosign verify-blob" "$COSIGN_BIN" verify-blob --new-bundle-format --trusted-root "$public_root" \
    --bundle "$cases/happy-path-v0.3/bundle.sigstore.json" --certificate-identity "$id" \
    --certificate-oidc-issuer "$issuer" "$cases/a.txt"
  run "small: sigil auto" "$sigil" "${small_args[@]}"
  run "small: sigil fast-start" with "$fast" "$sigil" "${small_args[@]}"
  run "small: sigil throughput" with "$full" "$sigil" "${small_args[@]}"
done

printf x >tiny.bin
for ((r = 0; r < rounds_large; r++)); do
  # Signing one byte: the fixed cost (start-up, scrypt, signing), to tell from what 1 GiB adds.
  run "1 B sign: cosign" "$COSIGN_BIN" sign-blob --key ck.key --tlog-upload=false --new-bundle-format \
    --bundle tiny-c.json tiny.bin
  run "1 B sign: sigil auto" "$sigil" sign-blob --key k.key --bundle tiny-s.json tiny.bin
  run "1 GiB sign: cosign" "$COSIGN_BIN" sign-blob --key ck.key --tlog-upload=false --new-bundle-format \
    --bundle cb.json big.bin
  run "1 GiB sign: sigil auto" "$sigil" sign-blob --key k.key --bundle b.json big.bin
  run "1 GiB sign: sigil throughput" with "$full" "$sigil" sign-blob --key k.key --bundle b.json big.bin
  run "1 GiB verify: cosign" "$COSIGN_BIN" verify-blob --key ck.pub --bundle cb.json --new-bundle-format \
    --insecure-ignore-tlog=true --trusted-root empty-root.json big.bin
  run "1 GiB verify: sigil auto" "$sigil" verify-blob --key k.pub --bundle b.json --insecure-ignore-tlog big.bin
  run "1 GiB verify: sigil throughput" with "$full" "$sigil" verify-blob --key k.pub --bundle b.json \
    --insecure-ignore-tlog big.bin
  if ((r < 2)); then # C1 hashes at about a tenth of the speed: two rounds show it
    run "1 GiB sign: sigil fast-start" with "$fast" "$sigil" sign-blob --key k.key --bundle b.json big.bin
    run "1 GiB verify: sigil fast-start" with "$fast" "$sigil" verify-blob --key k.pub --bundle b.json \
      --insecure-ignore-tlog big.bin
  fi
done

# Interop on the large file: each verifies the other's bundle (cosign verifies Sigil's key with Sigil's bundle).
"$COSIGN_BIN" verify-blob --key k.pub --bundle b.json --new-bundle-format --insecure-ignore-tlog=true \
  --trusted-root empty-root.json big.bin >/dev/null 2>&1 || { echo "cosign rejected Sigil's 1 GiB bundle" >&2; exit 1; }
"$sigil" verify-blob --key ck.pub --bundle cb.json --insecure-ignore-tlog big.bin >/dev/null 2>&1 ||
  { echo "Sigil rejected cosign's 1 GiB bundle" >&2; exit 1; }
echo "# interop: cosign verifies Sigil's 1 GiB bundle and Sigil verifies cosign's"

echo
echo "| command | median ms | min ms | runs |"
echo "|---|---:|---:|---:|"
for name in "${order[@]}"; do
  echo "| $name | $(median "${times[$name]}") | $(minimum "${times[$name]}") | $(wc -w <<<"${times[$name]}") |"
done | sort
ratio() { awk -v a="$(median "${times[$1]}")" -v b="$(median "${times[$2]}")" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "small verify, sigil auto / cosign: $(ratio "small: sigil auto" "small: cosign verify-blob")x (goal: at most 4x)"
echo "1 GiB sign, sigil auto / cosign: $(ratio "1 GiB sign: sigil auto" "1 GiB sign: cosign")x (goal: at most 1x)"
echo "1 GiB verify, sigil auto / cosign: $(ratio "1 GiB verify: sigil auto" "1 GiB verify: cosign")x (goal: at most 1x)"
added() { echo $(($(median "${times[$1]}") - $(median "${times[$2]}"))); }
echo "what 1 GiB adds to signing (1 GiB sign - 1 B sign): sigil $(added "1 GiB sign: sigil auto" "1 B sign: sigil auto") ms," \
  "cosign $(added "1 GiB sign: cosign" "1 B sign: cosign") ms"

# A 1 GiB round trip in a 64 MiB heap: the key is unencrypted PKCS#8 (openssl), since decrypting a cosign-format key
# runs scrypt, which needs 64 MiB by itself; that case must fail with a message naming scrypt.
echo
if command -v openssl >/dev/null 2>&1; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out plain.key 2>/dev/null
  openssl pkey -in plain.key -pubout -out plain.pub 2>/dev/null
  gnutime=""
  [ -x /usr/bin/time ] && gnutime="/usr/bin/time -f %M"
  for step in sign verify; do
    if [ $step = sign ]; then
      cmd=("$sigil" sign-blob --key plain.key --bundle heap.json big.bin)
    else
      cmd=("$sigil" verify-blob --key plain.pub --bundle heap.json --insecure-ignore-tlog big.bin)
    fi
    start=$(date +%s%N)
    if SIGIL_JAVA_OPTS=-Xmx64m $gnutime "${cmd[@]}" >heap.out 2>heap.err; then
      rss=$([ -n "$gnutime" ] && tail -1 heap.err || echo "?")
      echo "64 MiB heap: 1 GiB $step OK in $((($(date +%s%N) - start) / 1000000)) ms, peak RSS ${rss} KiB"
    else
      echo "64 MiB heap: 1 GiB $step FAILED:" >&2
      cat heap.out heap.err >&2
      exit 1
    fi
  done
  if SIGIL_JAVA_OPTS=-Xmx64m "$sigil" sign-blob --key k.key --bundle enc.json big.bin >enc.out 2>enc.err; then
    echo "64 MiB heap: an encrypted key was expected to need more heap (scrypt), but signing succeeded" >&2
    exit 1
  fi
  echo "64 MiB heap, encrypted key: $(grep -o 'scrypt[^;]*' enc.err | head -1) (exit code as expected: not 0)"
else
  echo "openssl not found: skipping the 64 MiB heap round trip" >&2
fi
[ -n "${WORK:-}" ] || rm -rf "$work"

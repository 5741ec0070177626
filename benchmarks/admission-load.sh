#!/usr/bin/env bash
# Load benchmark of the admission webhook (not a unit test). Run from the project root after
# `mvn -B -q -DskipTests package`:
#
#   benchmarks/admission-load.sh                 # Jetty (what `sigil admission serve` runs)
#   SERVERS="jetty jdk netty" benchmarks/admission-load.sh   # the same handler on each candidate HTTP server
#
# For each server: a real registry on loopback with cosign-signed images, a policy requiring the signature, the
# server in a JVM with -Xmx256m, then
#   1. cached decisions: wrk, 2 threads, 32 keep-alive HTTPS connections, posting one AdmissionReview v1 (HTTP/1.1);
#   2. the same over HTTP/2 with h2load (Jetty only: the JDK server has no HTTP/2; the Netty variant here is HTTP/1.1);
#   3. first-seen signed images: reviews of images the server has never seen, one at a time on one keep-alive
#      connection (each fetches the signature from the registry and verifies it), client-side latency;
#   4. the server's resident memory (VmRSS, VmHWM) after the runs;
#   5. SIGTERM under load: the exit code, and whether any request was dropped without an answer.
# The machine's load average is printed before and after each run: figures from a busy machine are low.
# Env: DURATION (s, default 15), WARMUP (s of wrk before measuring, default 60: on a busy 2-core machine the JIT
# needs about that long to settle), ROUNDS (measured wrk runs, 1), CONNECTIONS (32), FRESH (first-seen images, 20),
# H2 (1: also h2load), JAVA_OPTS (default -Xmx256m -XX:+UseG1GC).
set -euo pipefail
PROJ=$(pwd); SHARED=${SHARED:-$(cd "$PROJ/.." && pwd)/shared}
[ -x "$SHARED/tools/registry" ] || SHARED=/work/shared
DURATION=${DURATION:-15}; WARMUP=${WARMUP:-60}; ROUNDS=${ROUNDS:-1}; CONNECTIONS=${CONNECTIONS:-32}; FRESH=${FRESH:-20}; SERVERS=${SERVERS:-jetty}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m -XX:+UseG1GC}
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v h2load >/dev/null || apt-get install -y -qq nghttp2-client >/dev/null
"$SHARED/tools/peers" check >/dev/null 2>&1 || "$SHARED/tools/peers" install >/dev/null
eval "$("$SHARED/tools/peers" env)"
[ -f cli/target/sigil.jar ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }

T=$(mktemp -d); export REGISTRY_DIR=$T/reg COSIGN_PASSWORD=bench COSIGN_YES=true
free_port() { python3 -c "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])"; }
RP=$(free_port); R=127.0.0.1:$RP; SPID=
cleanup() { [ -n "$SPID" ] && kill "$SPID" 2>/dev/null; "$SHARED/tools/registry" stop "$RP" >/dev/null 2>&1 || true; rm -rf "$T"; }
trap cleanup EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
# CPU time a process has used, in clock ticks (user + system): per-request CPU cost is what a busy shared machine
# distorts least, so each run reports it beside throughput.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

echo "# machine: $(nproc) cores, load average $(load); $(java -version 2>&1 | head -1)"
"$SHARED/tools/registry" start "$RP" >/dev/null
cd "$T"
"$COSIGN_BIN" generate-key-pair --output-key-prefix k >/dev/null 2>&1
SIGNED=$("$SHARED/tools/registry" image bench/app:v1 hot "$RP")
"$COSIGN_BIN" sign --key k.key --tlog-upload=false --allow-insecure-registry "$R/bench/app@$SIGNED" >/dev/null 2>&1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout tls.key -out tls.crt -days 1 \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 >/dev/null 2>&1
mkdir pol; cat > pol/bench.yaml <<Y
apiVersion: policy.sigil.dev/v1alpha1
kind: ImagePolicy
metadata: {name: bench}
spec:
  images: [{glob: "$R/bench/**"}]
  authorities:
  - name: release-key
    key: {file: $T/k.pub}
    insecureIgnoreTlog: true
Y
python3 "$SHARED/acceptance/admission-review.py" Pod "$R/bench/app@$SIGNED" > review.json
printf 'wrk.method="POST"\nwrk.headers["Content-Type"]="application/json"\nlocal f=io.open("%s/review.json","rb"); wrk.body=f:read("*a"); f:close()\n' "$T" > post.lua

if [[ " $SERVERS " == *" jdk "* || " $SERVERS " == *" netty "* ]]; then
  (cd "$PROJ" && mvn -B -q -o -pl admission -am -DskipTests test-compile dependency:build-classpath \
     -Dmdep.outputFile="$T/cp.txt" -Dmdep.includeScope=test >/dev/null)
  CP="$PROJ/admission/target/classes:$PROJ/admission/target/test-classes:$(cat "$T/cp.txt")"
fi

# First-seen images: pushed and signed before any server runs, FRESH per server.
n=0
for s in $SERVERS; do
  : > "fresh-$s.txt"
  for i in $(seq 1 "$FRESH"); do
    n=$((n+1)); d=$("$SHARED/tools/registry" image "bench/fresh$n:v1" "fresh $n $RANDOM" "$RP")
    "$COSIGN_BIN" sign --key k.key --tlog-upload=false --allow-insecure-registry "$R/bench/fresh$n@$d" >/dev/null 2>&1
    echo "$R/bench/fresh$n@$d" >> "fresh-$s.txt"
  done
done

latency() {  # latency URL FILE: one review per image in FILE, sequentially on one keep-alive connection
  python3 - "$1" "$2" "$SHARED/acceptance/admission-review.py" <<'PY'
import http.client, json, ssl, subprocess, sys, time, statistics, urllib.parse
u = urllib.parse.urlparse(sys.argv[1]); imgs = open(sys.argv[2]).read().split()
c = http.client.HTTPSConnection(u.hostname, u.port, context=ssl._create_unverified_context())
c.request("GET", "/healthz"); c.getresponse().read()
out = []
for img in imgs:
    body = subprocess.run([sys.executable, sys.argv[3], "Pod", img], capture_output=True, check=True).stdout
    t = time.perf_counter(); c.request("POST", "/validate", body, {"Content-Type": "application/json"})
    r = json.loads(c.getresponse().read()); ms = (time.perf_counter() - t) * 1000
    assert r["response"]["allowed"] is True, r
    out.append(ms)
out.sort()
print("first-seen signed image: n=%d p50 %.1f ms, p90 %.1f ms, max %.1f ms (goal p50 <= 60 ms)" % (
    len(out), statistics.median(out), out[int(len(out) * 0.9) - 1], out[-1]))
PY
}

for s in $SERVERS; do
  P=$(free_port); : > "audit-$s.log"
  case $s in
    jetty) SIGIL_JAVA_OPTS="$JAVA_OPTS" "$PROJ/bin/sigil" admission serve --policies pol --tls-cert tls.crt --tls-key tls.key \
             --address 127.0.0.1 --port "$P" --audit-log "audit-$s.log" > "srv-$s.log" 2>&1 & SPID=$! ;;
    jdk|netty) java $JAVA_OPTS -Dsun.net.httpserver.nodelay=true -cp "$CP" dev.sigil.admission.ServerComparison "$s" "$P" pol \
             tls.crt tls.key "audit-$s.log" > "srv-$s.log" 2>&1 & SPID=$! ;;
  esac
  URL=https://127.0.0.1:$P
  for _ in $(seq 1 300); do curl -skf "$URL/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -sk -H 'Content-Type: application/json' --data @review.json "$URL/validate" | grep -q '"allowed":true' \
    || { echo "$s: the signed image was not allowed"; cat "srv-$s.log"; exit 1; }
  echo "## $s"
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s post.lua "$URL/validate" >/dev/null 2>&1   # JIT warm-up
  for round in $(seq 1 "$ROUNDS"); do
  echo "load before: $(load)"
  t0=$(ticks "$SPID")
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s post.lua "$URL/validate" > "wrk-$s.txt" 2>&1
  t1=$(ticks "$SPID")
  echo "load after:  $(load)"
  reqs=$(awk '/requests in/{print $1}' "wrk-$s.txt")
  cpu=$(python3 -c "print('%.0f' % (($t1 - $t0) * 1e6 / $(getconf CLK_TCK) / max(1, $reqs)))")
  rps=$(awk '/Requests\/sec/{print $2}' "wrk-$s.txt"); p50=$(awk '$1=="50%"{print $2}' "wrk-$s.txt")
  p99=$(awk '$1=="99%"{print $2}' "wrk-$s.txt"); errs=$(grep -E 'Non-2xx|Socket errors' "wrk-$s.txt" || true)
  echo "cached, HTTP/1.1, wrk $CONNECTIONS connections ${DURATION}s: $rps reviews/s, p50 $p50, p99 $p99 (goal >= 3000/s, p99 <= 5ms) ${errs:+[$errs]}; server CPU $cpu us/review"
  done
  if [ "$s" = jetty ] && [ "${H2:-1}" = 1 ]; then
    h2load -n $((DURATION * 4000)) -c "$CONNECTIONS" -m 1 -t 2 -d review.json -H 'content-type: application/json' \
      "$URL/validate" > "h2-$s.txt" 2>&1 || true
    echo "cached, HTTP/2, h2load $CONNECTIONS connections: $(grep -E '^finished in' "h2-$s.txt" | sed 's/finished in //'); $(grep -E '^requests:' "h2-$s.txt"); $(grep -E '^time for request:' "h2-$s.txt" | tr -s ' ')"
  fi
  [ "$FRESH" -gt 0 ] && latency "$URL" "fresh-$s.txt"
  echo "resident memory: $(grep -E 'VmRSS|VmHWM' /proc/$SPID/status | tr -s ' \t' ' ' | tr '\n' ' ')(JVM $JAVA_OPTS)"
  # SIGTERM under load: every request the server read must be answered (wrk "read" errors would be drops; "connect"
  # errors are connections refused once the port is closed).
  wrk -t2 -c"$CONNECTIONS" -d8s -s post.lua "$URL/validate" > "wrk-term-$s.txt" 2>&1 & WPID=$!
  sleep 3; kill -TERM "$SPID"; code=0; wait "$SPID" 2>/dev/null || code=$?; SPID=; wait "$WPID" || true
  echo "SIGTERM under load: exit $code; $(grep -E 'requests in' "wrk-term-$s.txt" | sed 's/^ *//'); $(grep -E 'Socket errors|Non-2xx' "wrk-term-$s.txt" | sed 's/^ *//' | tr '\n' ' ')"
  echo "audit lines: $(wc -l < "audit-$s.log")"
done
echo "# load average at the end: $(load)"

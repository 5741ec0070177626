#!/bin/sh
# Builds the AppCDS archive bin/sigil starts with: a static archive (-Xshare:dump) of the classes a few training runs
# load, so that the JVM maps them pre-parsed and pre-verified instead of reading them from the 35 MB jar.
#
# Static, not dynamic (-XX:ArchiveClassesAtExit): picocli 4.7.7 is compiled to class-file version 49, which JDK 17's
# dynamic archives skip but its static archives store. The training runs cover the fast verify path (keyless, key,
# Rekor v2 with a timestamp, a failure printed as JSON, a --trusted-root that does not exist), picocli's path (help
# of the root and of sign-blob), and key-based generate-key-pair, sign-blob and verify-blob, in bin/sigil's fast-start
# profile and, for signing and verifying, its throughput profile too (large artifacts).
#
# usage: appcds.sh JAVA JAR CONFORMANCE_DIR OUT_JSA   (run by the cli module's package phase)
set -eu
java=$1 jar=$2 cases=$3 out=$4
work=$(dirname "$out")/appcds
rm -rf "$work" && mkdir -p "$work"
id="https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
issuer="https://token.actions.githubusercontent.com"
n=0
profile="-XX:TieredStopAtLevel=1 -Dsigil.profile=fast-start" # bin/sigil's profiles (see there)
train() { # expected-exit args...
  want=$1; shift
  n=$((n + 1))
  set +e
  SIGIL_PASSWORD=training "$java" -XX:+UseSerialGC $profile -Xshare:auto \
    -XX:DumpLoadedClassList="$work/$n.classlist" -cp "$jar" dev.sigil.cli.Sigil "$@" >"$work/$n.log" 2>&1
  got=$?
  set -e
  if [ "$got" != "$want" ]; then
    echo "appcds.sh: training run $n ($*) exited $got, expected $want:" >&2
    cat "$work/$n.log" >&2
    exit 1
  fi
}
train 0 verify-bundle --bundle "$cases/happy-path-v0.3/bundle.sigstore.json" \
  --certificate-identity "$id" --certificate-oidc-issuer "$issuer" "$cases/a.txt"
train 0 verify-blob --bundle "$cases/managed-key-happy-path/bundle.sigstore.json" \
  --key "$cases/managed-key-happy-path/key.pub" "$cases/a.txt"
train 0 verify-bundle --bundle "$cases/rekor2-happy-path/bundle.sigstore.json" \
  --trusted-root "$cases/rekor2-happy-path/trusted_root.json" \
  --certificate-identity "$id" --certificate-oidc-issuer "$issuer" "$cases/a.txt"
train 1 verify-bundle --output json --bundle "$cases/happy-path-v0.3/bundle.sigstore.json" \
  --certificate-identity "someone-else" --certificate-oidc-issuer "$issuer" "$cases/a.txt"
# A failure of the tuf module (a --trusted-root that does not exist): its reason codes and the exit-code mapping.
train 2 verify-bundle --bundle "$cases/happy-path-v0.3/bundle.sigstore.json" --trusted-root "$cases/no-such-trusted-root.json" \
  --certificate-identity "$id" --certificate-oidc-issuer "$issuer" "$cases/a.txt"
train 0 --help
train 0 sign-blob --help
# Key-based signing and verifying, in both profiles: a large artifact runs the throughput one (the JDK's SHA-2).
train 0 generate-key-pair --output-key-prefix "$work/k"
train 0 sign-blob --key "$work/k.key" --bundle "$work/k.sigstore.json" "$cases/a.txt"
profile="-Dsigil.profile=throughput"
train 0 sign-blob --key "$work/k.key" --bundle "$work/k.sigstore.json" "$cases/a.txt"
train 0 verify-blob --key "$work/k.pub" --bundle "$work/k.sigstore.json" --insecure-ignore-tlog "$cases/a.txt"
# One list, first occurrence of each line kept (the header comments repeat). Its name must not match the glob: the
# redirection can create it before cat expands "*.classlist", and cat would then read the list being written.
cat "$work"/*.classlist | awk '!seen[$0]++' >"$work/merged.list"
rm -f "$out"
"$java" -XX:+UseSerialGC -Xshare:dump -XX:SharedClassListFile="$work/merged.list" \
  -XX:SharedArchiveFile="$out" -cp "$jar" >"$work/dump.log" 2>&1 || {
  echo "appcds.sh: -Xshare:dump failed:" >&2
  tail -20 "$work/dump.log" >&2
  exit 1
}
echo "appcds.sh: $(grep -vc '^[#@]' "$work/merged.list") classes from $n training runs -> $out"

#!/usr/bin/env bash
# Installs what the real-editor tests need; `npm test` runs it as `pretest` (scripts/pretest.mjs).
#
#   * Debian packages: chromium (the browser the tests drive), ripgrep (seeds @vscode/ripgrep, see below),
#     libkrb5-dev + pkg-config (code-server's kerberos module builds from source), plus make/g++/python3 for
#     node-gyp. Installed with apt-get when running as root; otherwise the script stops and names them.
#   * code-server (VS Code server + web workbench) from the npm registry, pinned to the release whose Node
#     matches this machine's, into .vscode-test/code-server (git-ignored), with its own package.json: the
#     project's own dependencies are untouched.
#
# Nothing is downloaded from anywhere but npm and Debian. Idempotent: when the pinned version is present
# (and was built for this Node ABI) it returns in well under a second. Full log: .vscode-test/install.log.
# On success it writes .vscode-test/harness.json, which the test runners read (test/harness/paths.ts).
#
# Usage: scripts/install-test-harness.sh [--check]     --check: only report what is missing (exit 1 if so)
# Env:   LIM_HARNESS_DIR (default <repo>/.vscode-test)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HARNESS_DIR="${LIM_HARNESS_DIR:-$ROOT/.vscode-test}"
CS_DIR="$HARNESS_DIR/code-server"
LOG="$HARNESS_DIR/install.log"
STAMP="$HARNESS_DIR/harness.json"
ERROR_FILE="$HARNESS_DIR/install-error.txt"
CHECK_ONLY=0
[ "${1:-}" = "--check" ] && CHECK_ONLY=1

say() { printf '[test harness] %s\n' "$*"; }
mkdir -p "$HARNESS_DIR"

fail() {
  local msg="$1"
  say "FAILED: $msg" >&2
  if [ -s "$LOG" ]; then
    say "last lines of $LOG:" >&2
    tail -n 40 "$LOG" | sed 's/^/    /' >&2
  fi
  printf '%s\n' "$msg" > "$ERROR_FILE"
  exit 1
}

# ── which code-server fits this Node ────────────────────────────────────────────────────────────────────
# code-server's postinstall refuses any Node major other than the one it was built for. Only the Node 20
# row below is exercised in this project's CI; the others are untested.
command -v node >/dev/null || fail "node is not on PATH"
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
NODE_ABI="$(node -p 'process.versions.modules')"
case "$NODE_MAJOR" in
  20) CS_VERSION=4.100.3; VSCODE_VERSION=1.100.3; RG_PKG_VERSION=1.15.11; RG_TAG=v13.0.0-10; SMOKE_DRIVER=false ;;
  22) CS_VERSION=4.117.0; VSCODE_VERSION=1.117.0; RG_PKG_VERSION=1.17.1;  RG_TAG=v15.0.1;    SMOKE_DRIVER=false ;;
  24) CS_VERSION=4.139.1; VSCODE_VERSION=1.139.1; RG_PKG_VERSION=;        RG_TAG=;           SMOKE_DRIVER=true ;;
  *) fail "no code-server release is known to install on Node $NODE_MAJOR; use Node 20 (see docs/testing.md)" ;;
esac
CS_BIN="$CS_DIR/node_modules/.bin/code-server"

# ── what is missing ─────────────────────────────────────────────────────────────────────────────────────
missing_debs=()
for p in chromium ripgrep libkrb5-dev pkg-config; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing_debs+=("$p")
done
for tool in make:make g++:g++ python3:python3; do
  command -v "${tool%%:*}" >/dev/null || missing_debs+=("${tool##*:}")
done

installed_cs_version() {
  node -e 'try{console.log(require(process.argv[1]).version)}catch{}' "$CS_DIR/node_modules/code-server/package.json" 2>/dev/null
}
stamp_ok() {
  [ -x "$CS_BIN" ] && [ -f "$STAMP" ] && [ "$(installed_cs_version)" = "$CS_VERSION" ] &&
    node -e 'const s=require(process.argv[1]);process.exit(s.codeServer===process.argv[2]&&s.nodeAbi===process.argv[3]?0:1)' \
      "$STAMP" "$CS_VERSION" "$NODE_ABI" 2>/dev/null
}

if [ ${#missing_debs[@]} -eq 0 ] && stamp_ok; then
  rm -f "$ERROR_FILE"
  say "ready: code-server $CS_VERSION (VS Code $VSCODE_VERSION) in ${CS_DIR#"$ROOT"/}, $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
  exit 0
fi

if [ "$CHECK_ONLY" = 1 ]; then
  [ ${#missing_debs[@]} -gt 0 ] && say "missing Debian packages: ${missing_debs[*]}"
  stamp_ok || say "code-server $CS_VERSION is not installed in ${CS_DIR#"$ROOT"/}"
  say "run: bash scripts/install-test-harness.sh   (or npm run test:setup)"
  exit 1
fi

# One installer at a time: other people's `npm test` may start in the same working tree.
exec 9>"$HARNESS_DIR/.install.lock"
if ! flock -w 900 9; then fail "another install held $HARNESS_DIR/.install.lock for 15 minutes"; fi
: > "$LOG"
T0=$(date +%s)

# ── Debian packages ─────────────────────────────────────────────────────────────────────────────────────
if [ ${#missing_debs[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    fail "missing Debian packages: ${missing_debs[*]}. Install them with: sudo apt-get install -y ${missing_debs[*]}   then re-run npm test"
  fi
  say "apt-get install ${missing_debs[*]} (log: ${LOG#"$ROOT"/})"
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing_debs[@]}"; } >>"$LOG" 2>&1 ||
    fail "apt-get install ${missing_debs[*]} failed"
  say "Debian packages installed in $(( $(date +%s) - T0 )) s"
fi

# ── code-server ─────────────────────────────────────────────────────────────────────────────────────────
if ! stamp_ok; then
  T1=$(date +%s)
  say "installing code-server $CS_VERSION from npm into ${CS_DIR#"$ROOT"/} (about a minute; log: ${LOG#"$ROOT"/})"
  mkdir -p "$CS_DIR"
  WORK_TMP="$HARNESS_DIR/tmp"
  rm -rf "$WORK_TMP"; mkdir -p "$WORK_TMP"
  # @vscode/ripgrep's postinstall downloads rg from GitHub unless it finds this cached tarball first; give it
  # Debian's rg instead (the cache lives in $TMPDIR, which here is our own scratch folder).
  if [ -n "$RG_PKG_VERSION" ]; then
    rg_cache="$WORK_TMP/vscode-ripgrep-cache-$RG_PKG_VERSION"
    mkdir -p "$rg_cache" "$WORK_TMP/rg"
    cp /usr/bin/rg "$WORK_TMP/rg/rg"
    tar czf "$rg_cache/ripgrep-$RG_TAG-x86_64-unknown-linux-musl.tar.gz" -C "$WORK_TMP/rg" rg
  fi
  [ -f "$CS_DIR/package.json" ] || echo '{ "name": "lim-lens-code-server-host", "private": true }' > "$CS_DIR/package.json"
  nodedir_env=()
  # native modules need Node's headers; use the system's rather than letting node-gyp fetch them.
  node_prefix="$(dirname "$(dirname "$(command -v node)")")"
  [ -f "$node_prefix/include/node/node.h" ] && nodedir_env=("npm_config_nodedir=$node_prefix")
  # npm_config_unsafe_perm: code-server's postinstall refuses to run as root without it.
  # npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which must not stop to ask.
  ( cd "$CS_DIR" && env TMPDIR="$WORK_TMP" npm_config_unsafe_perm=true npm_config_yes=true "${nodedir_env[@]}" \
      npm install --no-audit --no-fund --foreground-scripts --loglevel=warn "code-server@$CS_VERSION" ) >>"$LOG" 2>&1 ||
    fail "npm install code-server@$CS_VERSION failed"
  rm -rf "$WORK_TMP"
  [ "$(installed_cs_version)" = "$CS_VERSION" ] || fail "code-server $CS_VERSION did not end up in $CS_DIR"
  # A quick start proves the native modules load under this Node.
  version_line="$(XDG_CONFIG_HOME="$HARNESS_DIR/tmp-xdg" XDG_DATA_HOME="$HARNESS_DIR/tmp-xdg" "$CS_BIN" --config "$HARNESS_DIR/tmp-xdg/config.yaml" --version 2>>"$LOG" | grep -E '^[0-9]+\.[0-9]+\.[0-9]+ ' | head -n 1)" ||
    fail "code-server --version failed"
  rm -rf "$HARNESS_DIR/tmp-xdg"
  case "$version_line" in "$CS_VERSION "*) ;; *) fail "code-server --version printed '$version_line', expected $CS_VERSION" ;; esac
  cat > "$STAMP" <<EOF
{
  "codeServer": "$CS_VERSION",
  "vscode": "$VSCODE_VERSION",
  "nodeAbi": "$NODE_ABI",
  "nodeMajor": $NODE_MAJOR,
  "codeServerBin": "$CS_BIN",
  "chromium": "/usr/bin/chromium",
  "smokeTestDriverFlag": $SMOKE_DRIVER,
  "installSeconds": $(( $(date +%s) - T1 ))
}
EOF
  say "code-server $CS_VERSION installed in $(( $(date +%s) - T1 )) s"
fi

rm -f "$ERROR_FILE"
say "ready in $(( $(date +%s) - T0 )) s: code-server $CS_VERSION (VS Code $VSCODE_VERSION), $(/usr/bin/chromium --version 2>/dev/null)"

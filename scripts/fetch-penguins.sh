#!/usr/bin/env bash
# Puts the Palmer penguins data (CC0; 344 rows) at data/downloads/penguins.json.
# It comes from the npm package vega-datasets, fetched with npm's ordinary client; no other
# network access. Run once on a login node: compute nodes need no network afterwards.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/data/downloads/penguins.json"
[ -s "$dest" ] && { echo "$dest already present"; exit 0; }
command -v npm >/dev/null || { echo "error: npm is needed to fetch vega-datasets (apt-get install npm)" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent vega-datasets@3.2.1 >/dev/null && tar xzf vega-datasets-3.2.1.tgz package/data/penguins.json)
mkdir -p "$(dirname "$dest")"
mv "$tmp/package/data/penguins.json" "$dest"
echo "wrote $dest"

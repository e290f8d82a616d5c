#!/usr/bin/env bash
# Builds the npm package `hegui` into wasm/pkg/:
#   hegui_bg.wasm        the module (release, size-oriented profile `wasm-release`)
#   hegui.js, hegui.d.ts wasm-bindgen's ESM glue (--target web)
#   hegui.cjs, .d.cts    wasm-bindgen's CommonJS glue (--target nodejs), same .wasm
#   hegui-dict.txt       the word-boundary dictionary (crates/hegui-core/data/boundary-dict.txt),
#                        loaded beside the module instead of embedded in it
#   index.js, index.d.ts the ESM entry: loads the module and the dictionary itself (fetch
#                        in browsers, the files in Node), so `import { Scanner } from "hegui"`
#                        just works
#   index.cjs            the CommonJS entry: the Node glue, given the dictionary
#   package.json, README.md
# Installs the wasm32 target and the wasm-bindgen-cli whose version the lock file pins.
# Needs cargo, rustup, node (to read `cargo metadata`) and git.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$version" ]; then
  echo "build.sh: no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
if ! command -v wasm-bindgen >/dev/null || [ "$(wasm-bindgen --version | cut -d' ' -f2)" != "$version" ]; then
  echo "build.sh: installing wasm-bindgen-cli $version (a few minutes)" >&2
  cargo install -q wasm-bindgen-cli --version "$version"
fi
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true

# The reduced dictionary follows the default packs' terms: regenerate it first, so the
# package always matches the packs it embeds (commit the file when it changes).
wasm/dict/generate.sh
if ! git diff --quiet -- crates/hegui-core/data/boundary-dict.txt 2>/dev/null; then
  echo "build.sh: crates/hegui-core/data/boundary-dict.txt was regenerated (the packs changed); commit it" >&2
fi

cargo build --locked -q --profile wasm-release -p hegui-wasm --target wasm32-unknown-unknown
target_dir=${CARGO_TARGET_DIR:-target}
input="$target_dir/wasm32-unknown-unknown/wasm-release/hegui_wasm.wasm"

pkg=wasm/pkg
rm -rf "$pkg" "$pkg.node"
wasm-bindgen --target web --out-dir "$pkg" --out-name hegui --remove-name-section --remove-producers-section "$input"
wasm-bindgen --target nodejs --out-dir "$pkg.node" --out-name hegui --remove-name-section --remove-producers-section "$input"
if ! cmp -s "$pkg/hegui_bg.wasm" "$pkg.node/hegui_bg.wasm"; then
  echo "build.sh: the web and nodejs targets produced different modules" >&2
  exit 1
fi
mv "$pkg.node/hegui.js" "$pkg/hegui.cjs"
mv "$pkg.node/hegui.d.ts" "$pkg/hegui.d.cts"
rm -rf "$pkg.node" "$pkg/hegui_bg.wasm.d.ts"
cp wasm/js/index.js wasm/js/index.cjs wasm/js/index.d.ts wasm/README.md "$pkg/"
cp crates/hegui-core/data/boundary-dict.txt "$pkg/hegui-dict.txt"
crate_version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
sed "s/\"version\": \"0.0.0\"/\"version\": \"$crate_version\"/" wasm/js/package.json > "$pkg/package.json"

for file in hegui_bg.wasm hegui-dict.txt; do
  gzipped=$(gzip -9c "$pkg/$file" | wc -c)
  echo "wasm/pkg: $file $(wc -c < "$pkg/$file") bytes, $gzipped gzip -9"
  # The module's size budget (wasm/README.md, "Size"): 1 MB gzip.
  if [ "$file" = hegui_bg.wasm ] && [ "$gzipped" -gt 1000000 ]; then
    echo "build.sh: hegui_bg.wasm is $gzipped bytes gzip, over its budget of 1,000,000" >&2
    exit 1
  fi
done

#!/usr/bin/env bash
# Regenerates crates/hegui-core/data/jieba-dict.txt and boundary-dict.txt from jieba-rs's
# dictionary and the default packs (`--check`: fail if a committed file is stale). See
# dict/generate.rs.
set -euo pipefail
cd "$(dirname "$0")/../.."
manifest=$(cargo metadata --format-version 1 --locked 2>/dev/null |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const p=JSON.parse(s).packages.find(p=>p.name==="jieba-rs");console.log(p.manifest_path)})')
dict="$(dirname "$manifest")/src/data/dict.txt"
cargo run --locked -q -p hegui-wasm --example boundary-dict -- \
  "$dict" crates/hegui-core/data "$@"

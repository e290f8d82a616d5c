// hegui's WebAssembly package under Node, for bench/compare.
//
//   node wasm.mjs CORPUS PASSES PKG_DIR
//
// PKG_DIR is wasm/pkg (made by wasm/build.sh). Prints one JSON object per line (see
// render.py): the build of a Scanner with the default packs, `scan` (findings as JS
// objects) and `verdict` (no finding objects) over every line, passes interleaved, each
// figure the median over the passes.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import harness from "./harness.cjs";

const { readCorpus, emit, median, now, measureRows } = harness;

const [corpus, passesArg, pkgDir] = process.argv.slice(2);
const passes = Number(passesArg) || 5;
const pkg = path.resolve(pkgDir);
const { Scanner } = await import(pathToFileURL(path.join(pkg, "index.js")).href);
const version = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")).version;
const wasmBytes = fs.statSync(path.join(pkg, "hegui_bg.wasm")).size;

const text = readCorpus(corpus);

const builds = [];
let scanner;
for (let i = 0; i < passes; i++) {
  scanner?.free();
  const start = now();
  scanner = new Scanner();
  builds.push((now() - start) * 1e3);
}
emit({
  kind: "build",
  id: "build.wasm",
  what: `hegui wasm ${version} new Scanner() (default packs; module ${(wasmBytes / 1e6).toFixed(2)} MB)`,
  ms: Number(median(builds).toFixed(2)),
});
const rows = [
  { id: "f", what: `hegui wasm ${version} under Node ${process.version}: scanner.scan(text)`, scan: (l) => scanner.scan(l).findings.length },
  { id: "f2", what: `hegui wasm ${version} under Node ${process.version}: scanner.verdict(text) (no finding objects)`, scan: (l) => (scanner.verdict(l) === "pass" ? 0 : 1) },
];
measureRows(rows, text, passes, "wasm.mjs");

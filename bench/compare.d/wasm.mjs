// hegui's WebAssembly package under Node, for bench/compare: row (f).
//
//   node wasm.mjs CORPUS PASSES PKG_DIR
//
// PKG_DIR is wasm/pkg (made by wasm/build.sh). Alone, prints one JSON object per line
// (see render.py): the build of a Scanner with the default packs, `scan` (findings as
// JS objects) and `verdict` (no finding objects) over every line, passes interleaved,
// each figure the median over the passes. bench/compare takes the rows from
// `wasmRows` into node.cjs instead, so that they take turns with the npm filters' in
// one process.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import harness from "./harness.cjs";

const { readCorpus, emit, median, now, measureRows } = harness;

/**
 * The rows of the package in `pkgDir` for `measureRows`, after building its Scanner
 * `passes` times (the median build is emitted).
 */
export async function wasmRows(pkgDir, passes) {
  const pkg = path.resolve(pkgDir);
  const { Scanner } = await import(pathToFileURL(path.join(pkg, "index.js")).href);
  const version = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")).version;
  const wasmBytes = fs.statSync(path.join(pkg, "hegui_bg.wasm")).size;
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
  return [
    { id: "f", what: `hegui wasm ${version} under Node ${process.version}: scanner.scan(text)`, scan: (l) => scanner.scan(l).findings.length },
    { id: "f2", what: `hegui wasm ${version} under Node ${process.version}: scanner.verdict(text) (no finding objects)`, scan: (l) => (scanner.verdict(l) === "pass" ? 0 : 1) },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [corpus, passesArg, pkgDir] = process.argv.slice(2);
  const passes = Number(passesArg) || 5;
  measureRows(await wasmRows(pkgDir, passes), readCorpus(corpus), passes, "wasm.mjs");
}

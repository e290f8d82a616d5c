// npm rows of bench/compare: multi-pattern filters from npm over the same terms, and
// with PKG_DIR hegui's WebAssembly package (rows f, from wasm.mjs) beside them.
//
//   node node.cjs CORPUS TERMS PASSES DEPS_DIR [PKG_DIR]
//
// DEPS_DIR holds node_modules with the packages (bench/.deps/node). Prints one JSON object
// per line (see render.py). Every library scans the same in-memory array of lines with its
// default "find all matches" call; passes are interleaved so machine load hits every row
// alike — the package's rows too, in this process — and each figure is the median over
// the passes.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");
const { pathToFileURL } = require("node:url");

const [corpus, termsPath, passesArg, depsDir, pkgDir] = process.argv.slice(2);
const passes = Number(passesArg) || 5;
const need = createRequire(path.resolve(depsDir, "package.json"));
const version = (name) =>
  JSON.parse(fs.readFileSync(path.resolve(depsDir, "node_modules", name, "package.json"), "utf8")).version;

const { readCorpus, emit, median, now, measureRows } = require("./harness.cjs");
const { npmFilters } = require("./filters.cjs");

const text = readCorpus(corpus);
const terms = fs.readFileSync(termsPath, "utf8").split("\n").filter((t) => t.length > 0);

const libraries = npmFilters(need);

const rows = [];
for (const lib of libraries) {
  const builds = [];
  let scan;
  for (let i = 0; i < passes; i++) {
    const start = now();
    scan = lib.build(terms);
    builds.push((now() - start) * 1e3);
  }
  emit({
    kind: "build",
    id: `build.npm.${lib.name}`,
    what: `npm ${lib.name} ${version(lib.name)} over the terms`,
    ms: Number(median(builds).toFixed(2)),
  });
  rows.push({
    id: `npm.${lib.name}`,
    what: `Node ${process.version} npm ${lib.name} ${version(lib.name)}: ${lib.call}`,
    scan,
  });
}
(async () => {
  if (pkgDir) {
    const { wasmRows } = await import(pathToFileURL(path.join(__dirname, "wasm.mjs")).href);
    rows.push(...(await wasmRows(pkgDir, passes)));
  }
  measureRows(rows, text, passes, "node.cjs");
})().catch((e) => {
  console.error(e);
  process.exit(1);
});

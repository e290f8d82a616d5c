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

const [corpus, passesArg, pkgDir] = process.argv.slice(2);
const passes = Number(passesArg) || 5;
const pkg = path.resolve(pkgDir);
const { Scanner } = await import(pathToFileURL(path.join(pkg, "index.js")).href);
const version = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")).version;
const wasmBytes = fs.statSync(path.join(pkg, "hegui_bg.wasm")).size;

const lines = fs.readFileSync(corpus, "utf8").split("\n").filter((l) => l.length > 0);
const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l, "utf8"), 0);
const emit = (o) => console.log(JSON.stringify(o));
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const now = () => Number(process.hrtime.bigint()) / 1e9;

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
for (const row of rows) {
  row.secs = [];
  row.counts = [];
  for (const l of lines.slice(0, 1000)) row.scan(l);
}
for (let p = 0; p < passes; p++) {
  for (const row of rows) {
    const start = now();
    let n = 0;
    for (const l of lines) n += row.scan(l);
    row.secs.push(now() - start);
    row.counts.push(n);
  }
}
let ok = true;
for (const row of rows) {
  const t = median(row.secs);
  emit({
    kind: "row",
    id: row.id,
    what: row.what,
    mbps: Number((bytes / 1e6 / t).toFixed(3)),
    ns_per_msg: Math.round((t * 1e9) / lines.length),
    runs_mbps: row.secs.map((s) => Number((bytes / 1e6 / s).toFixed(3))),
    count: row.counts[0],
  });
  ok &&= row.counts.every((c) => c === row.counts[0]);
}
if (!ok) {
  console.error("wasm.mjs: a pass counted differently from the first");
  process.exit(1);
}

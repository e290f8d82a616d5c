// npm rows of bench/compare: multi-pattern filters from npm over the same terms.
//
//   node node.cjs CORPUS TERMS PASSES DEPS_DIR
//
// DEPS_DIR holds node_modules with the packages (bench/.deps/node). Prints one JSON object
// per line (see render.py). Every library scans the same in-memory array of lines with its
// default "find all matches" call; passes are interleaved so machine load hits every row
// alike; each figure is the median over the passes.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");

const [corpus, termsPath, passesArg, depsDir] = process.argv.slice(2);
const passes = Number(passesArg) || 5;
const need = createRequire(path.resolve(depsDir, "package.json"));
const version = (name) =>
  JSON.parse(fs.readFileSync(path.resolve(depsDir, "node_modules", name, "package.json"), "utf8")).version;

const lines = fs.readFileSync(corpus, "utf8").split("\n").filter((l) => l.length > 0);
const terms = fs.readFileSync(termsPath, "utf8").split("\n").filter((t) => t.length > 0);
const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l, "utf8"), 0);

const emit = (o) => console.log(JSON.stringify(o));
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const now = () => Number(process.hrtime.bigint()) / 1e9;

// name, what is called, build(terms) -> scan(line) -> number of matches
const libraries = [
  {
    name: "fastscan",
    call: "new FastScanner(terms).search(text)",
    build: (t) => {
      const FastScanner = need("fastscan");
      const s = new FastScanner(t);
      return (l) => s.search(l).length;
    },
  },
  {
    name: "mint-filter",
    call: "new Mint(terms).filter(text, { replace: false }).words (distinct words)",
    build: (t) => {
      const m = need("mint-filter");
      const Mint = m.Mint || m.default || m;
      const s = new Mint(t);
      return (l) => s.filter(l, { replace: false }).words.length;
    },
  },
  {
    name: "ahocorasick",
    call: "new AhoCorasick(terms).search(text)",
    build: (t) => {
      const AhoCorasick = need("ahocorasick");
      const s = new AhoCorasick(t);
      return (l) => s.search(l).reduce((n, hit) => n + hit[1].length, 0);
    },
  },
  {
    name: "modern-ahocorasick",
    call: "new AhoCorasick(terms).search(text)",
    build: (t) => {
      const m = need("modern-ahocorasick");
      const AhoCorasick = m.AhoCorasick || m.default || m;
      const s = new AhoCorasick(t);
      return (l) => s.search(l).length;
    },
  },
  {
    name: "@monyone/aho-corasick",
    call: "new AhoCorasick(terms).matchInText(text)",
    build: (t) => {
      const { AhoCorasick } = need("@monyone/aho-corasick");
      const s = new AhoCorasick(t);
      return (l) => s.matchInText(l).length;
    },
  },
];

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
  // Warm the JIT on the first thousand lines.
  for (const l of lines.slice(0, 1000)) scan(l);
  rows.push({ lib, scan, secs: [], counts: [] });
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
    id: `npm.${row.lib.name}`,
    what: `Node ${process.version} npm ${row.lib.name} ${version(row.lib.name)}: ${row.lib.call}`,
    mbps: Number((bytes / 1e6 / t).toFixed(3)),
    ns_per_msg: Math.round((t * 1e9) / lines.length),
    runs_mbps: row.secs.map((s) => Number((bytes / 1e6 / s).toFixed(3))),
    count: row.counts[0],
  });
  ok &&= row.counts.every((c) => c === row.counts[0]);
}
if (!ok) {
  console.error("node.cjs: a pass counted differently from the first");
  process.exit(1);
}

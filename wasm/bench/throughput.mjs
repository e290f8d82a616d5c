// Scan throughput under Node on the lines of ../shared/data/corpus/zh-mixed.txt: the hegui
// package doing the full job (normalise, match, word boundaries, exceptions, negation,
// links, findings as JS objects) beside npm filters doing plain term matching on the
// packs' term list (`hegui rules terms`). Median of PASSES (default 7) passes after a
// warm-up, the engines taking turns chunk by chunk; hegui's ratio to the fastest filter
// is also taken pass by pass.
//
//   cd wasm/bench && npm install && [PASSES=N] node throughput.mjs [lines]
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { Scanner } from "../pkg/index.js";
import { sharedData, runNative } from "../tests/native.mjs";
import { median } from "./stats.mjs";

const require = createRequire(import.meta.url);
const PASSES = Number(process.env.PASSES ?? 7);
const corpus = sharedData("corpus", "zh-mixed.txt");
if (!corpus) {
  console.log("skipped: ../shared/data/corpus/zh-mixed.txt is absent");
  process.exit(0);
}
const limit = Number(process.argv[2] ?? Infinity);
const lines = readFileSync(corpus, "utf8").split("\n").filter(Boolean).slice(0, limit);
const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l), 0);
const terms = runNative(["rules", "terms"], "").split("\n").filter(Boolean);

// The engines take turns on every chunk of 2,000 lines, in an order that rotates from
// chunk to chunk, so that a change in the machine's load, even for a fraction of a
// second, hits them alike; hegui's ratio to the fastest filter is taken pass by pass.
function measureAll(engines) {
  for (const e of engines) {
    const t0 = performance.now();
    e.engine = e.setup();
    e.buildMs = performance.now() - t0;
    e.hits = 0;
    for (const line of lines) e.hits += e.scanOne(e.engine, line); // warm-up, and the hit count
    e.times = [];
  }
  const CHUNK = 2000;
  const chunks = Array.from({ length: Math.ceil(lines.length / CHUNK) }, (_, i) => lines.slice(i * CHUNK, (i + 1) * CHUNK));
  for (let p = 0; p < PASSES; p++) {
    for (const e of engines) {
      e.times.push(0);
      e.passHits = 0;
    }
    for (const [turn, chunk] of chunks.entries()) {
      for (let i = 0; i < engines.length; i++) {
        const e = engines[(i + turn) % engines.length];
        const start = performance.now();
        for (const line of chunk) e.passHits += e.scanOne(e.engine, line);
        e.times[p] += performance.now() - start;
      }
    }
    // A pass that finds what the first did not is a broken engine, not a fast one.
    for (const e of engines) {
      if (e.passHits !== e.hits) {
        console.error(`${e.name}: pass ${p + 1} counted ${e.passHits} hits, the warm-up ${e.hits}`);
        process.exit(1);
      }
    }
  }
  return engines.map(({ name, buildMs, times, hits }) => {
    const ms = median(times);
    return { name, buildMs, ms, times, mbPerS: bytes / 1e6 / (ms / 1e3), usPerLine: (ms * 1e3) / lines.length, hits };
  });
}

// The filters of bench/compare, loaded from this folder's node_modules.
const { npmFilters } = require("../../bench/compare.d/filters.cjs");
const results = measureAll([
  { name: "hegui wasm: scan (full job, findings)", setup: () => new Scanner(), scanOne: (s, l) => s.scan(l).findings.length },
  { name: "hegui wasm: verdict only", setup: () => new Scanner(), scanOne: (s, l) => (s.verdict(l) === "pass" ? 0 : 1) },
  ...npmFilters(require).map((f) => ({ name: f.name, setup: () => f.build(terms), scanOne: (scan, l) => scan(l) })),
]);

console.log(`${lines.length} lines, ${(bytes / 1e6).toFixed(1)} MB, ${terms.length} terms; Node ${process.version}; median of ${PASSES} passes, the engines taking turns every 2,000 lines`);
console.log("engine".padEnd(40), "build ms".padStart(9), "MB/s".padStart(7), "µs/line".padStart(8), "hits".padStart(8));
for (const r of results) {
  console.log(
    r.name.padEnd(40),
    r.buildMs.toFixed(1).padStart(9),
    r.mbPerS.toFixed(1).padStart(7),
    r.usPerLine.toFixed(2).padStart(8),
    String(r.hits).padStart(8),
  );
}
const filters = results.filter((r) => !r.name.startsWith("hegui"));
const fastest = filters.reduce((a, b) => (a.mbPerS > b.mbPerS ? a : b));
// Pass by pass: hegui's time against the fastest filter's time in the same pass.
const ratios = (hegui) => hegui.times.map((t, p) => Math.min(...filters.map((f) => f.times[p])) / t);
for (const hegui of results.slice(0, 2)) {
  const perPass = ratios(hegui);
  console.log(
    `${hegui.name} / fastest JS filter of each pass: ${median(perPass).toFixed(2)}× (passes ${perPass.map((x) => x.toFixed(2)).join(", ")}); ` +
      `of the medians, against ${fastest.name}: ${(hegui.mbPerS / fastest.mbPerS).toFixed(2)}×`,
  );
}
mkdirSync(new URL("./out/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("./out/throughput.json", import.meta.url),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, lines: lines.length, bytes, terms: terms.length, results }, null, 2),
);

// Scan throughput under Node on the lines of ../shared/data/corpus/zh-mixed.txt: the hegui
// package doing the full job (normalise, match, word boundaries, exceptions, negation,
// links, findings as JS objects) beside npm filters doing plain term matching on the
// packs' term list (`hegui rules terms`). Median of PASSES passes after a warm-up.
//
//   cd wasm/bench && npm install && node throughput.mjs [lines]
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { Scanner } from "../pkg/index.js";
import { sharedData, runNative } from "../tests/native.mjs";

const require = createRequire(import.meta.url);
const PASSES = 5;
const corpus = sharedData("corpus", "zh-mixed.txt");
if (!corpus) {
  console.log("skipped: ../shared/data/corpus/zh-mixed.txt is absent");
  process.exit(0);
}
const limit = Number(process.argv[2] ?? Infinity);
const lines = readFileSync(corpus, "utf8").split("\n").filter(Boolean).slice(0, limit);
const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l), 0);
const terms = runNative(["rules", "terms"], "").split("\n").filter(Boolean);

function measure(name, setup, scanOne) {
  const t0 = performance.now();
  const engine = setup();
  const buildMs = performance.now() - t0;
  let hits = 0;
  for (const line of lines) hits += scanOne(engine, line); // warm-up, and the hit count
  const times = [];
  for (let p = 0; p < PASSES; p++) {
    const start = performance.now();
    for (const line of lines) scanOne(engine, line);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(PASSES / 2)];
  return { name, buildMs, ms, mbPerS: bytes / 1e6 / (ms / 1e3), usPerLine: (ms * 1e3) / lines.length, hits };
}

const FastScanner = require("fastscan");
const MintModule = require("mint-filter");
const Mint = MintModule.default ?? MintModule.Mint ?? MintModule;
const NpmAhoCorasick = require("ahocorasick");
const { default: ModernAhoCorasick } = await import("modern-ahocorasick");

const results = [
  measure("hegui wasm: scan (full job, findings)", () => new Scanner(), (s, l) => s.scan(l).findings.length),
  measure("hegui wasm: verdict only", () => new Scanner(), (s, l) => (s.verdict(l) === "pass" ? 0 : 1)),
  measure("fastscan search", () => new FastScanner(terms), (s, l) => s.search(l).length),
  measure("modern-ahocorasick search", () => new ModernAhoCorasick(terms), (s, l) => s.search(l).length),
  measure("ahocorasick search", () => new NpmAhoCorasick(terms), (s, l) => s.search(l).length),
  measure("mint-filter filter", () => new Mint(terms), (s, l) => s.filter(l, { replace: false }).words.length),
];

console.log(`${lines.length} lines, ${(bytes / 1e6).toFixed(1)} MB, ${terms.length} terms; Node ${process.version}; median of ${PASSES}`);
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
const full = results[0];
console.log(`hegui full job / fastest JS filter (${fastest.name}): ${(full.mbPerS / fastest.mbPerS).toFixed(2)}×`);
mkdirSync(new URL("./out/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("./out/throughput.json", import.meta.url),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, lines: lines.length, bytes, terms: terms.length, results }, null, 2),
);

// Shared by the Node scripts of bench/compare (node.cjs, wasm.mjs): the corpus, the
// clock, and the interleaved timing of rows that each scan every line.
"use strict";
const fs = require("node:fs");

/** The corpus lines (empty lines dropped) and their UTF-8 bytes. */
function readCorpus(file) {
  const lines = fs.readFileSync(file, "utf8").split("\n").filter((l) => l.length > 0);
  const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l, "utf8"), 0);
  return { lines, bytes };
}

const emit = (o) => console.log(JSON.stringify(o));
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const now = () => Number(process.hrtime.bigint()) / 1e9;

/**
 * Times `rows` ({ id, what, scan(line) -> matches }) over every line: the JIT warmed on
 * the first thousand lines, passes interleaved so machine load hits every row alike.
 * Emits one "row" record each (median over the passes); exits 1 when a pass counted
 * differently from the first.
 */
function measureRows(rows, { lines, bytes }, passes, script) {
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
    console.error(`${script}: a pass counted differently from the first`);
    process.exit(1);
  }
}

module.exports = { readCorpus, emit, median, now, measureRows };

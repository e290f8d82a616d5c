// Cold start under Node: each run is a fresh process that loads the package, builds the
// default scanner and scans one message — what a page or a serverless function pays
// before its first verdict. Prints the median of RUNS runs (default 11) of each step.
//
//   node wasm/bench/cold-start.mjs [RUNS] [PKG_DIR]     # PKG_DIR defaults to wasm/pkg
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { median } from "./stats.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const runs = Number(process.argv[2] ?? 11);
const pkg = path.resolve(process.argv[3] ?? path.join(here, "..", "pkg"));
const MESSAGE = "转发本文到朋友圈，即可领取红包！本店全网最低价";

// One run, in a child process so that nothing is warm: import (read + compile +
// instantiate), `new Scanner()`, the first `scan`.
const child = `
const t0 = performance.now();
const { Scanner } = await import(${JSON.stringify(pathToFileURL(path.join(pkg, "index.js")).href)});
const t1 = performance.now();
const scanner = new Scanner();
const t2 = performance.now();
const report = scanner.scan(${JSON.stringify(MESSAGE)});
const t3 = performance.now();
if (report.findings.length === 0) throw new Error("the message has findings");
console.log(JSON.stringify({ load: t1 - t0, build: t2 - t1, scan: t3 - t2 }));
`;

const rows = [];
for (let i = 0; i < runs; i++) {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", child], {
    encoding: "utf8",
  });
  rows.push(JSON.parse(out));
}
const fmt = (key) => median(rows.map((r) => r[key])).toFixed(1);
const total = median(rows.map((r) => r.build + r.scan)).toFixed(1);
console.log(
  `median of ${runs} fresh Node ${process.version} processes, ms: load ${fmt("load")}, ` +
    `new Scanner() ${fmt("build")}, first scan ${fmt("scan")}, build + first scan ${total}`,
);

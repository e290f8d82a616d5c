// The first verdict as a user's browser gives it: cold loads of a page in headless
// Chromium with nothing attached to the browser. Driving the browser through the
// DevTools protocol (playwright, as page-timings.mjs and the browser test do) slows the
// page it measures: in a trace, the 900 KB dictionary's body was decoded as text on the
// page's main thread (an unobserved browser does not decode it), and the scripts the
// driver injects are compiled there too, during the load. Here each load is a new
// Chromium process with a new profile, started on a launcher page (bench/launch.html)
// that navigates, once the browser has settled, to the measured page on another site (a
// fresh renderer process, with no cache: the server forbids storing). A script that the
// server appends to the page posts its timings back when both the first verdict and the
// page's `load` have happened. Prints each load and the medians, in ms from navigation
// start, and checks that the page's verdict is the one the package gives under Node for
// the same text and channel.
//
//   node wasm/bench/first-verdict.mjs [LOADS] [PAGE]   (default 9 loads of bench/page.html;
//                                                       PAGE, a path inside wasm/:
//                                                       www/index.html is the demo)
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Scanner } from "../pkg/index.js";
import { median } from "./stats.mjs";
import { serve } from "../tests/server.mjs";

const loads = Number(process.argv[2] ?? 9);
const page = process.argv[3] ?? "bench/page.html";
const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
// The server serves wasm/: a page elsewhere would only time out, a minute per load.
const served = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
if (!existsSync(path.join(served, page))) {
  console.error(`${page}: no such page in ${path.relative(process.cwd(), served) || "."}/ (PAGE is a path inside wasm/, such as bench/page.html)`);
  process.exit(2);
}

// Appended to the measured page. bench/page.html keeps its figures in `timings`, the
// demo in `heguiTimings` and its elements.
const REPORTER = `<script>
addEventListener("load", () => {
  const send = () => {
    const nav = performance.getEntriesByType("navigation")[0];
    const bench = window.timings;
    const demo = window.heguiTimings;
    if (!nav.loadEventEnd || !(bench || demo?.firstVerdict !== undefined)) return setTimeout(send, 5);
    const report = bench
      ? { ready: bench.ready, built: bench.built, verdict: bench.verdict, text: bench.text, channel: null, outcome: bench.outcome, findings: bench.findings }
      : { ready: demo.moduleReady, built: demo.scannerBuilt, verdict: demo.firstVerdict, text: document.getElementById("input").value, channel: document.getElementById("channel").value, outcome: document.getElementById("verdict").dataset.verdict, findings: document.getElementById("findings").children.length };
    fetch("/first-verdict", { method: "POST", body: JSON.stringify({ ...report, load: nav.loadEventStart, dcl: nav.domContentLoadedEventStart }) });
  };
  send();
});
</script>
`;

let received;
const server = await serve({ htmlTail: REPORTER, noStore: true, onPost: (body) => received?.(body) });
// The launcher on localhost, the page on 127.0.0.1 (as in page-timings.mjs): two sites.
const target = `${server.url}/${page}`;
const launcher = `http://localhost:${server.port}/bench/launch.html?to=${encodeURIComponent(target)}`;

/** One cold load: a new browser, killed once the page has reported. */
async function coldLoad() {
  const profile = await mkdtemp(path.join(os.tmpdir(), "hegui-first-verdict-"));
  const report = new Promise((resolve, reject) => {
    received = (body) => {
      try {
        resolve(JSON.parse(body));
      } catch {
        reject(new Error(`${target} posted ${JSON.stringify(body.slice(0, 200))}, not its timings`));
      }
    };
  });
  const browser = spawn(chromium, ["--headless", "--no-sandbox", "--no-first-run", "--no-default-browser-check", `--user-data-dir=${profile}`, launcher], { stdio: "ignore", detached: true });
  let failed = `${chromium} exited before the page reported`;
  const exited = new Promise((resolve) => {
    browser.once("exit", resolve);
    // Not started (no such file…): say so instead of waiting for the timeout.
    browser.once("error", (error) => {
      failed = `${chromium}: ${error.message}`;
      resolve();
    });
  });
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no report from ${target} within 60 s`)), 60_000);
  });
  try {
    return await Promise.race([report, timeout, exited.then(() => Promise.reject(new Error(failed)))]);
  } finally {
    clearTimeout(timer);
    try {
      process.kill(-browser.pid, "SIGKILL");
    } catch {
      // Gone already, or never started.
    }
    await exited;
    await rm(profile, { recursive: true, force: true, maxRetries: 5 });
  }
}

const rows = [];
try {
  for (let i = 0; i < loads; i++) rows.push(await coldLoad());
} finally {
  await server.close();
}

// The page's verdict is the package's.
const scanner = new Scanner();
for (const row of rows) {
  const expected = scanner.scan(row.text, row.channel ?? undefined);
  if (row.outcome !== expected.verdict || row.findings !== expected.findings.length) {
    throw new Error(`the page's first verdict ${row.outcome} with ${row.findings} findings; Node gives ${expected.verdict} with ${expected.findings.length}`);
  }
}

const ms = (x) => x.toFixed(0);
for (const r of rows) {
  console.log(`load ${ms(r.load)}, package ready ${ms(r.ready)}, scanner built ${ms(r.built)}, first verdict ${ms(r.verdict)} (${ms(r.verdict - r.load)} after load; DOMContentLoaded ${ms(r.dcl)})`);
}
const medianOf = (f) => ms(median(rows.map(f)));
console.log(
  `${page}, median of ${loads} cold loads, ms after navigation start: DOMContentLoaded ${medianOf((r) => r.dcl)}, load event ${medianOf((r) => r.load)}, ` +
    `package ready ${medianOf((r) => r.ready)}, scanner built ${medianOf((r) => r.built)}, first verdict ${medianOf((r) => r.verdict)}; ` +
    `first verdict after load ${medianOf((r) => r.verdict - r.load)} (${rows.map((r) => ms(r.verdict - r.load)).join(", ")}); ` +
    `verdict ${rows[0].outcome}, ${rows[0].findings} findings, as under Node`,
);

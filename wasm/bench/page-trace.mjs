// Where the main thread's time to the first verdict goes in headless Chromium: one cold
// load of bench/page.html, traced with V8's WebAssembly events. For each phase (until
// the package is ready, `new Scanner()`, the first scan) it prints the phase's length
// and the time the main thread spent compiling the module's functions on their first
// call (V8 compiles WebAssembly lazily, with Liftoff, on the thread that calls), and,
// given the same module with its name section, the crates and functions whose
// compilation took longest. The protocol that traces the page also slows it (see
// first-verdict.mjs): the phases are longer here than in an unobserved browser.
//
//   node wasm/bench/page-trace.mjs [NAMED_WASM]      (needs wasm/pkg and chromium)
//
// NAMED_WASM: `wasm-bindgen --target web --out-dir DIR
// target/wasm32-unknown-unknown/wasm-release/hegui_wasm.wasm` writes it (build.sh
// removes the names from the package's copy; the function indices are the same).
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { serve } from "../tests/server.mjs";

/** Function index → name, from a module's `name` section. */
function functionNames(bytes) {
  const names = new Map();
  let at = 8;
  const leb = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  const text = (length) => new TextDecoder().decode(bytes.subarray(at, (at += length)));
  while (at < bytes.length) {
    const id = bytes[at++];
    const end = leb() + at;
    if (id === 0 && text(leb()) === "name") {
      while (at < end) {
        const sub = bytes[at++];
        const subEnd = leb() + at;
        if (sub === 1) for (let n = leb(); n > 0; n--) names.set(leb(), text(leb()));
        at = subEnd;
      }
    }
    at = end;
  }
  return names;
}

const names = process.argv[2] ? functionNames(readFileSync(process.argv[2])) : new Map();
const server = await serve();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
let events;
try {
  const page = await (await browser.newContext()).newPage();
  await browser.startTracing(page, {
    categories: ["v8.wasm", "blink.user_timing"],
  });
  await page.goto(`${server.url}/bench/page.html`);
  await page.waitForFunction(() => window.timings);
  events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
} finally {
  await browser.close();
  await server.close();
}

const mark = (name) => events.find((e) => e.name === `hegui:${name}`)?.ts;
const [ready, built, verdict] = ["ready", "built", "verdict"].map(mark);
const phases = [
  ["until the package is ready", -Infinity, ready],
  ["new Scanner()", ready, built],
  ["first scan", built, verdict],
];
const compiles = events.filter((e) => e.name === "wasm.CompileLazy" && e.ph === "X");
const ms = (us) => (us / 1000).toFixed(1);
const crate = (name) => /^(?:<|&(?:mut )?)*([a-z_0-9]+)(?:\[[0-9a-f]+\])?::/.exec(name)?.[1] ?? name.slice(0, 30);
for (const [phase, from, to] of phases) {
  const mine = compiles.filter((e) => e.ts >= from && e.ts < to);
  const total = mine.reduce((sum, e) => sum + e.dur, 0);
  const length = from === -Infinity ? "" : ` ${ms(to - from)} ms,`;
  console.log(`${phase}:${length} lazy compilation on the main thread ${ms(total)} ms (${mine.length} functions)`);
  if (names.size === 0 || mine.length === 0) continue;
  const by = (key) => {
    const sums = new Map();
    for (const e of mine) {
      const k = key(names.get(e.args.func_index) ?? `#${e.args.func_index}`);
      sums.set(k, (sums.get(k) ?? 0) + e.dur);
    }
    return [...sums].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, us]) => `${ms(us)} ${k.slice(0, 90)}`);
  };
  console.log(`  by crate: ${by(crate).join(", ")}`);
  for (const line of by((name) => name.replace(/::h[0-9a-f]{16}$/, ""))) console.log(`  ${line}`);
}

// Where the time to the first verdict goes in headless Chromium: bench/page.html (only
// the package, the default scanner and one scan) and the resource timings of the
// module and the dictionary, each in a fresh browser context. Prints medians.
// Playwright drives the browser through the DevTools protocol, which slows the page it
// measures (first-verdict.mjs says how): for the first verdict as a user's browser
// gives it, use first-verdict.mjs; this script shows where the time goes.
//
//   node wasm/bench/page-timings.mjs [LOADS]      (default 7; needs wasm/pkg and chromium)
import { chromium } from "playwright-core";
import { serve } from "../tests/server.mjs";
import { median } from "./stats.mjs";

const loads = Number(process.argv[2] ?? 7);
const server = await serve();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
const rows = [];
try {
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/bench/page.html`);
    await page.waitForFunction(() => window.timings);
    rows.push(
      await page.evaluate(() => {
        const resource = (name) => performance.getEntriesByType("resource").find((e) => e.name.endsWith(name));
        const wasm = resource("hegui_bg.wasm");
        const dict = resource("hegui-dict.txt");
        const nav = performance.getEntriesByType("navigation")[0];
        return { ...window.timings, load: nav.loadEventStart, wasmStart: wasm.startTime, wasmEnd: wasm.responseEnd, dictEnd: dict ? dict.responseEnd : NaN };
      }),
    );
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
const medianOf = (key) => median(rows.map((r) => r[key])).toFixed(0);
console.log(
  `ms after navigation start, median of ${loads} cold loads: page script ${medianOf("script")}, ` +
    `.wasm fetch ${medianOf("wasmStart")}–${medianOf("wasmEnd")}, dictionary fetched ${medianOf("dictEnd")}, ` +
    `package ready ${medianOf("ready")}, new Scanner() ${medianOf("built")}, first verdict ${medianOf("verdict")}; the page's load event ${medianOf("load")}`,
);

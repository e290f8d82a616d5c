// The demo page in headless Chromium (Debian's `chromium`, driven by playwright-core):
// first verdict after load, highlighting and the finding list for a violating message,
// pass for a clean one; saves screenshots to wasm/tests/out/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";

const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const skip = !existsSync(executablePath) && `${executablePath} is absent`;
const out = new URL("./out/", import.meta.url);
const VIOLATING = "转发本文到朋友圈，即可领取红包！本店全网最低价";
const CLEAN = "本周六上午十点，社区图书馆有亲子阅读活动，欢迎报名参加。";

/** Types `text` into the emptied editor and waits until the page shows its verdict. */
async function type(page, text) {
  const input = page.locator("#input");
  await input.fill("");
  await input.pressSequentially(text, { delay: 5 });
  await page.waitForFunction(
    (t) => document.getElementById("backdrop").textContent === `${t} `,
    text,
  );
}

let server;
let browser;
before(async () => {
  if (skip) return;
  mkdirSync(out, { recursive: true });
  server = await serve();
  browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("first verdict after page load", { skip }, async () => {
  const times = [];
  for (let run = 0; run < 5; run++) {
    // A new context each time: nothing cached from the previous load.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/www/index.html`);
    await page.waitForFunction(() => window.heguiTimings?.firstVerdict !== undefined);
    times.push(await page.evaluate(() => window.heguiTimings));
    await context.close();
  }
  const median = (key) => times.map((t) => t[key]).sort((a, b) => a - b)[2].toFixed(0);
  console.log(
    `ms after navigation start (median of 5 cold loads): module ready ${median("moduleReady")}, ` +
      `scanner built ${median("scannerBuilt")}, first verdict ${median("firstVerdict")}; ` +
      `first verdicts ${times.map((t) => t.firstVerdict.toFixed(0)).join(", ")}`,
  );
  assert.ok(times.every((t) => t.firstVerdict > 0));

  // Reloads in one context: the HTTP cache and V8's cache of compiled wasm code apply.
  const context = await browser.newContext();
  const page = await context.newPage();
  const warm = [];
  for (let run = 0; run < 4; run++) {
    await page.goto(`${server.url}/www/index.html`);
    await page.waitForFunction(() => window.heguiTimings?.firstVerdict !== undefined);
    warm.push(await page.evaluate(() => window.heguiTimings.firstVerdict));
  }
  await context.close();
  console.log(`first verdict on reload, ms: ${warm.map((t) => t.toFixed(0)).join(", ")}`);
});

test("highlights a violating message, passes a clean one", { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(`${server.url}/www/index.html`);
  await page.waitForFunction(() => window.heguiTimings?.firstVerdict !== undefined);

  await type(page, VIOLATING);
  assert.equal(await page.locator("#verdict").getAttribute("data-verdict"), "block");
  const marks = await page.locator("#backdrop mark").allTextContents();
  assert.ok(marks.some((m) => m.includes("转发")), `marks: ${marks}`);
  assert.ok(await page.locator("#backdrop mark.sev-block").count() > 0);
  const items = page.locator("#findings li");
  assert.ok((await items.count()) >= 2);
  const first = items.first();
  assert.ok((await first.locator(".message").textContent()).length > 0);
  assert.ok((await first.locator(".basis").textContent()).length > 0);
  assert.ok((await page.locator("#findings .suggestion").count()) > 0);
  await page.screenshot({ path: new URL("violating.png", out).pathname, fullPage: true });

  await type(page, CLEAN);
  assert.equal(await page.locator("#verdict").getAttribute("data-verdict"), "pass");
  assert.equal(await page.locator("#backdrop mark").count(), 0);
  assert.equal(await items.count(), 0);
  await page.screenshot({ path: new URL("clean.png", out).pathname, fullPage: true });

  // On the SMS channel its profile adds checks: a promotion needs a signature and opt-out.
  await page.selectOption("#channel", "sms");
  await type(page, "双11全场5折，点击领券");
  assert.ok((await page.locator('#findings li[data-rule^="channel.sms"]').count()) > 0);
  await page.screenshot({ path: new URL("sms.png", out).pathname, fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

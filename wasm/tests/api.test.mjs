// The package's API under Node: import and require, default packs, custom packs, errors,
// UTF-16 offsets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Scanner } from "../pkg/index.js";

const require = createRequire(import.meta.url);

const PACK = `
id = "demo"
version = "1"
title = "演示"
[categories.induce-share]
name = "诱导分享"
consequence = "封禁群发功能7天"
[[rule]]
id = "induce-share.reward-for-forward"
kind = "near"
severity = "block"
message = "以奖励诱导用户转发"
suggestion = "删除奖励"
basis = "《微信外部链接内容管理规范》"
all-of = [["转发"], ["红包"]]
within = 10
`;

test("default packs: verdict, findings with UTF-16 offsets, packs", () => {
  const scanner = new Scanner();
  const text = "😀转*发本文到朋友圈，即可领取紅包";
  const report = scanner.scan(text);
  assert.equal(report.verdict, "block");
  const f = report.findings.find((x) => x.category === "induce-share");
  assert.ok(f, JSON.stringify(report));
  assert.equal(text.slice(f.start, f.end), f.text);
  assert.ok(f.start >= 2, "the emoji counts two UTF-16 units");
  assert.ok(f.normalized.includes("separator"));
  assert.equal(typeof f.message, "string");
  assert.equal(typeof f.basis, "string");
  assert.deepEqual(scanner.scan("我最近第一次来北京"), { verdict: "pass", findings: [] });
  assert.equal(scanner.verdict("全 网 最 低 价"), "review");

  const packs = scanner.packs();
  assert.ok(packs.length >= 4);
  const share = packs.find((p) => p.id === "induce-share");
  assert.equal(share.categories["induce-share"].name, "诱导分享");
  assert.ok(share.rules > 0);
});

test("channels: the channel's profile applies; unknown channels throw", () => {
  const scanner = new Scanner();
  const channels = scanner.channels();
  assert.deepEqual(channels.slice(0, 4).map((c) => c.id), ["sms", "wechat_mass", "mp_article", "moments"]);
  const sms = channels.find((c) => c.id === "sms");
  assert.ok(sms.profile && sms.name, JSON.stringify(sms));
  const text = "双11全场5折，点击领券";
  const inSms = scanner.scan(text, "sms").findings.map((f) => f.ruleId);
  assert.ok(inSms.includes("channel.sms-opt-out"), inSms.join(" "));
  assert.ok(!scanner.scan(text).findings.some((f) => f.ruleId.startsWith("channel.")));
  assert.deepEqual(scanner.scan(text, undefined), scanner.scan(text));
  assert.throws(() => scanner.scan(text, "fax"), (e) => e instanceof Error && /unknown channel `fax`/.test(e.message));
  assert.equal(scanner.verdict(text, "sms"), scanner.scan(text, "sms").verdict);
});

test("fromPacks: TOML, JSON and named packs", () => {
  const toml = Scanner.fromPacks([PACK]);
  const report = toml.scan("转发领红包！");
  assert.equal(report.findings[0].ruleId, "induce-share.reward-for-forward");
  assert.equal(report.findings[0].suggestion, "删除奖励");
  assert.deepEqual(toml.packs().map((p) => p.path), ["packs[0]"]);

  const json = JSON.stringify({
    id: "j",
    version: "1",
    title: "J",
    categories: { exaggeration: { name: "虚假宣传", consequence: "限流" } },
    rule: [{ id: "exaggeration.best", kind: "terms", severity: "review", message: "最", basis: "广告法", terms: ["最佳"] }],
  });
  const both = Scanner.fromPacks([json, { path: "mine/share.toml", text: PACK }]);
  assert.equal(both.scan("本店最佳").verdict, "review");
  assert.deepEqual(both.packs().map((p) => p.path), ["packs[0]", "mine/share.toml"]);
});

test("pack errors are Errors with the pack error text", () => {
  assert.throws(() => Scanner.fromPacks(["id = 1"]), (e) => e instanceof Error && /^packs\[0\]:1:6: /.test(e.message));
  assert.throws(
    () => Scanner.fromPacks([{ path: "bad.toml", text: PACK.replace('kind = "near"', 'kind = "nope"') }]),
    (e) => e instanceof Error && e.message.startsWith("bad.toml:"),
  );
  assert.throws(() => Scanner.fromPacks([]), /no rule packs/);
  assert.throws(() => Scanner.fromPacks("not an array"), (e) => e instanceof Error);
});

test("scan: each message's own report, the same through both entries", () => {
  // The entries make the report of a message without findings in JavaScript and take
  // the others from the module (`_scanClean`, `_takeReport`): messages with and
  // without findings in turn must each get their own.
  const scanner = new Scanner();
  const cjs = new (require("../pkg/index.cjs").Scanner)();
  const messages = ["转发本文到朋友圈，即可领取红包", "我最近第一次来北京", "全网最低价，国家级产品", "", "点击 http://t.cn/abc 领取", "好的"];
  for (const text of [...messages, ...messages.slice().reverse()]) {
    const report = scanner.scan(text);
    assert.deepEqual(cjs.scan(text), report, text);
    assert.equal(report.verdict, scanner.verdict(text), text);
    for (const f of report.findings) assert.equal(text.slice(f.start, f.end), f.text, text);
  }
  assert.equal(scanner.scan(messages[1]).findings.length, 0);
  assert.ok(scanner.scan(messages[0]).findings.length > 0);
  assert.throws(() => scanner._takeReport(), (e) => e instanceof Error && /no report kept/.test(e.message));
  assert.throws(() => scanner.scan(messages[0], "fax"), (e) => e instanceof Error && /unknown channel `fax`/.test(e.message));
});

test("require() gives the same API", () => {
  const cjs = require("../pkg/index.cjs");
  const scanner = new cjs.Scanner();
  assert.equal(scanner.scan("转发本文到朋友圈，即可领取红包").verdict, "block");
});

test("the module without its dictionary refuses to build a scanner, and the dictionary is set once", () => {
  // wasm-bindgen's glue alone, in a fresh process: no dictionary has been given.
  const glue = JSON.stringify(fileURLToPath(new URL("../pkg/hegui.cjs", import.meta.url)));
  const code = `
    const hegui = require(${glue});
    try { new hegui.Scanner(); console.log("built"); } catch (e) { console.log(e.message); }
    for (const bad of [5, null, new Uint8Array([0xe7, 0xac, 0x2c])]) {
      try { hegui.setBoundaryDictionary(bad); } catch (e) { console.log(e.message); }
    }
    hegui.setBoundaryDictionary(new TextEncoder().encode("第一次 5\\n"));
    hegui.setBoundaryDictionary("第一次 5\\n");
    try { hegui.setBoundaryDictionary("第一次 6\\n"); } catch (e) { console.log(e.message); }
    try { hegui.setBoundaryDictionary(new TextEncoder().encode("第一次 6\\n")); } catch (e) { console.log(e.message); }
    try { new hegui.Scanner(); console.log("built"); } catch (e) { console.log(e.message); }`;
  const out = execFileSync(process.execPath, ["-e", code], { encoding: "utf8" }).trim().split("\n");
  assert.match(out[0], /boundary dictionary is not loaded/);
  // Neither a string nor bytes, or bytes that are not UTF-8: nothing is set.
  assert.equal(out[1], "the boundary dictionary must be a string or a Uint8Array");
  assert.equal(out[2], "the boundary dictionary must be a string or a Uint8Array");
  assert.equal(out[3], "the boundary dictionary is not UTF-8: invalid byte at offset 0");
  // Set from bytes; the same text as a string is no change, another text in either form throws.
  assert.equal(out[4], "the boundary dictionary is already set");
  assert.equal(out[5], "the boundary dictionary is already set");
  assert.equal(out[6], "built");
});

test("a dictionary that does not parse is an error naming its line", () => {
  const glue = JSON.stringify(fileURLToPath(new URL("../pkg/hegui.cjs", import.meta.url)));
  const code = `
    const hegui = require(${glue});
    hegui.setBoundaryDictionary("# total 9\\n第一次 5\\n第二 x\\n");
    try { new hegui.Scanner(); console.log("built"); } catch (e) { console.log(e.message); }`;
  const out = execFileSync(process.execPath, ["-e", code], { encoding: "utf8" }).trim();
  assert.equal(out, "boundary dictionary:3:1: `x`: invalid digit found in string");
});

test("installed as a dependency, `import` and `require` of \"hegui\" work without flags", () => {
  // A project with the package in node_modules, as `npm install` would leave it.
  const dir = mkdtempSync(path.join(tmpdir(), "hegui-pkg-"));
  try {
    mkdirSync(path.join(dir, "node_modules"));
    symlinkSync(fileURLToPath(new URL("../pkg/", import.meta.url)), path.join(dir, "node_modules", "hegui"), "dir");
    const text = "转发本文到朋友圈，即可领取红包";
    const esm = `import { Scanner } from "hegui"; console.log(new Scanner().scan(${JSON.stringify(text)}).verdict);`;
    const cjs = `const { Scanner } = require("hegui"); console.log(new Scanner().scan(${JSON.stringify(text)}).verdict);`;
    for (const [flag, code] of [["--input-type=module", esm], ["--input-type=commonjs", cjs]]) {
      const out = execFileSync(process.execPath, [flag, "-e", code], { cwd: dir, encoding: "utf8" });
      assert.equal(out.trim(), "block");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The package gives the same findings as the native CLI on every message of the labelled
// dev set (../shared/data/labelled/dev.jsonl), compared as JSON after mapping offsets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Scanner } from "../pkg/index.js";
import { sharedData, nativeScan, toJsFinding, canonical } from "./native.mjs";

const dev = sharedData("labelled", "dev.jsonl");

test("same findings as the native CLI on the dev set", { skip: !dev && "../shared/data/labelled/dev.jsonl is absent" }, () => {
  const messages = readFileSync(dev, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const texts = messages.map((m) => m.text);
  const native = nativeScan(texts);
  const scanner = new Scanner();
  let differences = 0;
  let findings = 0;
  const verdicts = {};
  texts.forEach((text, i) => {
    const wasm = scanner.scan(text);
    for (const f of wasm.findings) assert.equal(text.slice(f.start, f.end), f.text);
    const expected = canonical({ verdict: native[i].verdict, findings: native[i].findings.map(toJsFinding) });
    const actual = canonical(wasm);
    findings += actual.findings.length;
    verdicts[actual.verdict] = (verdicts[actual.verdict] ?? 0) + 1;
    try {
      assert.deepStrictEqual(actual, expected);
    } catch (e) {
      differences += 1;
      if (differences <= 5) console.error(`${messages[i].id}: ${e.message}`);
    }
  });
  console.log(
    `parity: ${texts.length} messages, ${findings} findings, verdicts ${JSON.stringify(verdicts)}, ${differences} differences`,
  );
  assert.equal(differences, 0);
});

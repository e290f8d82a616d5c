// Does the reduced boundary dictionary of the wasm build change anything? Scans every
// message of the shared data sets with the package (reduced dictionary) and with the
// native CLI (jieba's full dictionary) and counts messages whose verdict, or whose
// findings (compared as JSON after mapping offsets), differ.
//
//   node bench/dict-diff.mjs            (from wasm/; needs ../shared/data)
//
// With HEGUI_PACKS=DIR both sides load the packs of DIR instead of their built-in ones
// (for comparing while the packs are being edited: take a copy when building the package).
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { Scanner } from "../pkg/index.js";
import { sharedData, nativeScan, toJsFinding, canonical, packSources } from "../tests/native.mjs";

const jsonl = (field) => (text) => text.split("\n").filter(Boolean).map((l) => JSON.parse(l)[field]);
const lines = (text) => text.split("\n").filter(Boolean);
const tsv = (text) => lines(text).map((l) => l.slice(l.indexOf("\t") + 1));
const SETS = [
  ["labelled/dev.jsonl", jsonl("text")],
  ["labelled/real-cases.jsonl", jsonl("text")],
  ["corpus/zh-mixed.txt", lines],
  ["messages/sms-10k.tsv", tsv],
  ["messages/advertisegen.jsonl", jsonl("summary")],
  ["messages/email-spam.txt", lines],
  ["messages/email-ham.txt", lines],
];

const packs = process.env.HEGUI_PACKS;
const scanner = packs ? Scanner.fromPacks(packSources(packs)) : new Scanner();
let failed = false;
for (const [name, parse] of SETS) {
  const file = sharedData(...name.split("/"));
  if (!file) {
    console.log(`${name}: absent, skipped`);
    continue;
  }
  const texts = parse(readFileSync(file, "utf8")).filter((t) => typeof t === "string");
  const native = nativeScan(texts, packs);
  let verdicts = 0;
  let findings = 0;
  let flagged = 0;
  const examples = [];
  texts.forEach((text, i) => {
    const wasm = canonical(scanner.scan(text));
    const expected = canonical({ verdict: native[i].verdict, findings: native[i].findings.map(toJsFinding) });
    if (expected.verdict !== "pass") flagged += 1;
    if (wasm.verdict !== expected.verdict) verdicts += 1;
    if (!isDeepStrictEqual(wasm, expected)) {
      findings += 1;
      if (examples.length < 5) {
        const ids = (r) => r.findings.map((f) => `${f.ruleId}@${f.start}`).join(" ");
        examples.push(`  ${JSON.stringify(text.slice(0, 80))}\n    native: ${expected.verdict} ${ids(expected)}\n    wasm:   ${wasm.verdict} ${ids(wasm)}`);
      }
    }
  });
  failed ||= findings > 0;
  console.log(`${name}: ${texts.length} messages (${flagged} flagged natively): ${verdicts} verdicts differ, ${findings} messages' findings differ`);
  for (const e of examples) console.log(e);
}
process.exitCode = failed ? 1 : 0;

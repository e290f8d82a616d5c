// The ESM entry of the `hegui` package: instantiates the module once, gives it the
// word-boundary dictionary, then exports the API. Browsers fetch `hegui_bg.wasm`
// (streaming compile) and `hegui-dict.txt` next to this file in parallel; Node reads
// both from disk. No bundler, no flags.
import init, { initSync, setBoundaryDictionary, Scanner } from "./hegui.js";

const wasm = new URL("./hegui_bg.wasm", import.meta.url);
const dict = new URL("./hegui-dict.txt", import.meta.url);
if (wasm.protocol === "file:") {
  const { readFile } = await import("node:fs/promises");
  const [module, bytes] = await Promise.all([readFile(wasm), readFile(dict)]);
  initSync({ module });
  setBoundaryDictionary(bytes);
} else {
  // The file's bytes, not a string: the module reads UTF-8, so the text is neither
  // decoded here nor encoded again on its way in.
  const bytes = fetch(dict).then(async (response) => {
    if (!response.ok) throw new Error(`hegui: ${dict}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  });
  // Awaited below; if the module fails first, that is the error to report.
  bytes.catch(() => {});
  await init({ module_or_path: wasm });
  setBoundaryDictionary(await bytes);
}

// `scan` as the module defines it, with the report of a message without findings (most
// messages) made here: one call into the module instead of three (the report object
// made by the module, and handed over through its table of JavaScript values). The
// same objects, the same errors. Also in index.cjs.
Scanner.prototype.scan = function scan(text, channel) {
  return this._scanClean(text, channel) ? { verdict: "pass", findings: [] } : this._takeReport();
};

export * from "./hegui.js";

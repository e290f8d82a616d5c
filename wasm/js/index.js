// The ESM entry of the `hegui` package: instantiates the module once, gives it the
// word-boundary dictionary, then exports the API. Browsers fetch `hegui_bg.wasm`
// (streaming compile) and `hegui-dict.txt` next to this file in parallel; Node reads
// both from disk. No bundler, no flags.
import init, { initSync, setBoundaryDictionary, Scanner } from "./hegui.js";

const wasm = new URL("./hegui_bg.wasm", import.meta.url);
const dict = new URL("./hegui-dict.txt", import.meta.url);
if (wasm.protocol === "file:") {
  const { readFile } = await import("node:fs/promises");
  const [module, text] = await Promise.all([readFile(wasm), readFile(dict, "utf8")]);
  initSync({ module });
  setBoundaryDictionary(text);
} else {
  const text = fetch(dict).then((response) => {
    if (!response.ok) throw new Error(`hegui: ${dict}: HTTP ${response.status}`);
    return response.text();
  });
  // Awaited below; if the module fails first, that is the error to report.
  text.catch(() => {});
  await init({ module_or_path: wasm });
  setBoundaryDictionary(await text);
}

// `scan` as the module defines it, with the report of a message without findings (most
// messages) made here: one call into the module instead of three (the report object
// made by the module, and handed over through its table of JavaScript values). The
// same objects, the same errors. Also in index.cjs.
Scanner.prototype.scan = function scan(text, channel) {
  return this._scanClean(text, channel) ? { verdict: "pass", findings: [] } : this._takeReport();
};

export * from "./hegui.js";

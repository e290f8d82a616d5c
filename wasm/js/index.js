// The ESM entry of the `hegui` package: instantiates the module once, then exports the
// API. Browsers fetch `hegui_bg.wasm` next to this file (streaming compile); Node reads
// it from disk. No bundler, no flags.
import init, { initSync } from "./hegui.js";

const wasm = new URL("./hegui_bg.wasm", import.meta.url);
if (wasm.protocol === "file:") {
  const { readFile } = await import("node:fs/promises");
  initSync({ module: await readFile(wasm) });
} else {
  await init({ module_or_path: wasm });
}

export * from "./hegui.js";

// JavaScript the module calls (wasm-bindgen copies it into the package, see build.sh).

// The report of a message without findings, most messages: made here in one call out of
// the module, where serde-wasm-bindgen made it with a dozen (a new object, its keys and
// values, two property sets, their references dropped): 15 % of `scan` under Node.
export function cleanReport() {
  return { verdict: "pass", findings: [] };
}

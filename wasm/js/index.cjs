// The CommonJS entry of the `hegui` package: wasm-bindgen's Node glue (which loads the
// module synchronously), given the word-boundary dictionary next to this file.
"use strict";
const { readFileSync } = require("node:fs");
const path = require("node:path");
const hegui = require("./hegui.cjs");

hegui.setBoundaryDictionary(readFileSync(path.join(__dirname, "hegui-dict.txt")));
// `scan` with the report of a message without findings made here (see index.js).
hegui.Scanner.prototype.scan = function scan(text, channel) {
  return this._scanClean(text, channel) ? { verdict: "pass", findings: [] } : this._takeReport();
};
module.exports = hegui;

// Helpers shared by the Node tests and benches: where the shared data lives, how to run
// the native CLI, and the mapping from native findings to the package's shape.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const repo = fileURLToPath(new URL("../../", import.meta.url));

/** `../shared/data` beside the repository (or $HEGUI_SHARED_DATA), or null. */
export function sharedData(...parts) {
  const root = process.env.HEGUI_SHARED_DATA ?? path.join(repo, "..", "shared", "data");
  const file = path.join(root, ...parts);
  return existsSync(file) ? file : null;
}

/**
 * Runs the native CLI (`$HEGUI_BIN`, else `cargo run --release -p hegui-cli`) with `args`
 * and `input` on stdin; returns stdout.
 */
export function runNative(args, input) {
  const [cmd, ...pre] = process.env.HEGUI_BIN
    ? [process.env.HEGUI_BIN]
    : ["cargo", "run", "--release", "--locked", "-q", "-p", "hegui-cli", "--"];
  const out = spawnSync(cmd, [...pre, ...args], {
    cwd: repo,
    input,
    maxBuffer: 1 << 30,
    encoding: "utf8",
    stdio: ["pipe", "pipe", "inherit"],
  });
  if (out.error) throw out.error;
  // `scan` exits 1 when something reaches --fail-on; that is not an error here.
  if (out.status !== 0 && out.status !== 1) {
    throw new Error(`native hegui ${args.join(" ")} exited ${out.status}`);
  }
  return out.stdout;
}

/**
 * Native JSONL scan of `texts`: one `{verdict, findings}` per text, in order. With
 * `packs` (a directory), those packs instead of the built-in ones.
 */
export function nativeScan(texts, packs) {
  const input = texts.map((text, i) => JSON.stringify({ id: i, text })).join("\n") + "\n";
  const packArgs = packs ? ["--packs", packs] : [];
  const lines = runNative(["scan", "--jsonl", "--fail-on", "block", ...packArgs, "-"], input)
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  if (lines.length !== texts.length) {
    throw new Error(`native scan answered ${lines.length} lines for ${texts.length}`);
  }
  return lines;
}

/** A native JSON finding in the package's shape: camelCase, UTF-16 `start`/`end`. */
export function toJsFinding(f) {
  const js = {
    ruleId: f.rule_id,
    category: f.category,
    severity: f.severity,
    message: f.message,
    suggestion: f.suggestion,
    basis: f.basis,
    text: f.text,
    start: f.span.utf16[0],
    end: f.span.utf16[1],
    normalized: f.normalized ?? [],
  };
  if (js.suggestion === undefined || js.suggestion === null) delete js.suggestion;
  return js;
}

/** Key order and absent fields made canonical, for deep comparison. */
export function canonical(report) {
  return {
    verdict: report.verdict,
    findings: report.findings.map((f) => {
      const out = {};
      for (const k of Object.keys(f).sort()) if (f[k] !== undefined) out[k] = f[k];
      return out;
    }),
  };
}

/**
 * The packs of directory `dir` as `{ path, text }` for `Scanner.fromPacks`, sorted by
 * name, or null without `dir`.
 */
export function packSources(dir) {
  if (!dir) return null;
  return readdirSync(dir)
    .filter((f) => /\.(toml|json)$/.test(f))
    .sort()
    .map((f) => ({ path: path.join(dir, f), text: readFileSync(path.join(dir, f), "utf8") }));
}

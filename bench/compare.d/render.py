"""Turns the JSON Lines of one bench/compare run into the Markdown run file.

    render.py WORKDIR|RUN.json OUT.md

Writes OUT.md and, next to it, OUT.json with every record (meta and measurements); given
such a .json instead of WORKDIR it renders that run again. WORKDIR holds meta.json
(written by bench/compare) and the helpers' outputs: rust.jsonl (examples/compare.rs),
python.jsonl, node.jsonl (the npm filters, and the wasm package's rows when it exists),
wasm.jsonl (the package's rows in runs before they joined node.jsonl), cli.jsonl. Each line is one object with a "kind": input, build, row, ratio, latency, rss,
jsonl. Prints the table to stdout too.
"""

import json
import os
import statistics
import sys

# Reference figures of ../shared/perf-notes.md (other text, other term lists: context only).
REFERENCE = {
    "a": "375 (2k terms, DFA)",
    "b": "42",
    "d1": "–",
    "d2": "12",
    "d3": "10",
    "d4": "1.7 (lcut, HMM)",
    "npm.fastscan": "40",
    "npm.mint-filter": "9",
    "npm.ahocorasick": "21",
}

LABELS = {
    "a": "(a) ceiling",
    "a2": "(a′) ceiling, overlapping",
    "b": "(b) jieba-rs",
    "c": "**(c) hegui**",
    "d1": "(d) Python pipeline",
    "d2": "(d) pyahocorasick",
    "d3": "(d′) flashtext alone",
    "d4": "(d′) Python jieba alone",
    "f": "(f) hegui wasm",
    "f2": "(f′) hegui wasm, verdict only",
}


def load(work, name):
    path = os.path.join(work, name)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def turns_note(turns, digits, how="", speeds=""):
    """The ratio of a "ratio" record of turns (`c/a.turns`, `c/d2.turns`) as a note to a
    target's row; empty for a run without the record."""
    if not turns:
        return ""
    runs = turns["runs"]
    return (
        f"; the two taking turns every {int(turns['lines']):,} lines{how}: {turns['median']:.{digits}f}× "
        f"(median of {len(runs)} passes, {min(runs):.{digits}f}–{max(runs):.{digits}f}{speeds})"
    )


def fmt(x, digits=1):
    if x is None:
        return "–"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}" if abs(x) >= 1 else f"{x:.3f}"


def main():
    work, out_path = sys.argv[1], sys.argv[2]
    if work.endswith(".json"):
        # A saved run (bench/runs/*.json): render it again.
        with open(work, encoding="utf-8") as f:
            saved = json.load(f)
        meta, records = saved["meta"], saved["records"]
    else:
        with open(os.path.join(work, "meta.json"), encoding="utf-8") as f:
            meta = json.load(f)
        records = []
        for name in ["rust.jsonl", "python.jsonl", "node.jsonl", "wasm.jsonl", "cli.jsonl"]:
            records += load(work, name)
    by_id = {r["id"]: r for r in records if "id" in r}
    rows = [r for r in records if r["kind"] == "row"]
    builds = [r for r in records if r["kind"] == "build"]
    inp = next(r for r in records if r["kind"] == "input")
    hegui = by_id["c"]

    npm = sorted((r for r in rows if r["id"].startswith("npm.")), key=lambda r: -r["mbps"])
    order = ["a", "a2", "b", "c", "d1", "d2", "d3", "d4"]
    table = [by_id[i] for i in order if i in by_id]
    for n, r in enumerate(npm):
        name = r["id"][4:]
        label = f"(e) fastest npm: {name}" if n == 0 else f"(e′) npm {name}"
        table.append({**r, "label": label})
    table += [by_id[i] for i in ["f", "f2"] if i in by_id]

    md = []
    w = md.append
    w(f"# bench/compare — {meta['date']}")
    w("")
    w(f"Produced by `{meta['command']}` in one run ({meta['elapsed']}).")
    w("")
    w("## Machine and input")
    w("")
    w(f"- Machine: {meta['nproc']} cores, {meta['cpu']}; shared with other jobs while measuring.")
    w("- Load (`uptime`) before each stage:")
    for stage, up in meta["uptime"]:
        w(f"  - {stage}: `{up}`")
    moved = "" if meta["commit"].startswith(meta["head_after"]) else f"; HEAD was `{meta['head_after']}` at the end of the run"
    w(
        f"- Tree built: `{meta['commit']}`{' with uncommitted changes in the working tree' if meta['dirty'] else ''}{moved}."
    )
    w(
        f"- Corpus: `{meta['corpus']}` (sha256 `{meta['corpus_sha256'][:16]}…`): {inp['messages']:,} messages "
        f"(one per line), {inp['bytes'] / 1e6:.2f} MB of UTF-8 text (newlines not counted); mean {inp['bytes'] / inp['messages']:.0f} bytes per message."
    )
    w(
        f"- Terms: the {inp['terms']} lines of `hegui rules terms` (default packs, normalised; sha256 `{meta['terms_sha256'][:16]}…`), "
        "the same list for rows (a), (d), (e)."
    )
    w(
        f"- Every figure is the median of {inp['passes']} passes; within each process (Rust, Python, Node with the wasm package) "
        "the rows' passes are interleaved so load changes hit them alike. MB/s = UTF-8 bytes of the messages ÷ time; "
        "ns/message = time ÷ messages. Matches are counted every pass and must be equal across passes (the run fails otherwise)."
    )
    w("")
    w("## Throughput on the corpus, one message per line")
    w("")
    w("| row | what | MB/s | ns/message | ratio vs hegui: (c) ÷ row (> 1: hegui faster) | matches / findings | MB/s per pass | reference MB/s (perf-notes) |")
    w("|---|---|---:|---:|---:|---:|---|---|")
    for r in table:
        label = r.get("label") or LABELS.get(r["id"], r["id"])
        ratio = hegui["mbps"] / r["mbps"] if r["mbps"] else None
        runs = ", ".join(fmt(x) for x in r["runs_mbps"])
        ref = REFERENCE.get(r["id"], "–")
        w(
            f"| {label} | {r['what']} | {fmt(r['mbps'])} | {r['ns_per_msg']:,} | {fmt(ratio, 2)}× | {r['count']:,} | {runs} | {ref} |"
        )
    if "f" in by_id and by_id["f"]["count"] != hegui["count"]:
        w("")
        w(
            f"Parity: (f) found {by_id['f']['count']:,} findings where (c) found {hegui['count']:,} on the same messages: "
            f"the wasm package ({meta['wasm']}) is built separately (wasm/build.sh, boundary dictionary) and may embed other packs than this tree."
        )
    if "f" not in by_id:
        w(f"| (f) hegui wasm | {meta['wasm']} | – | – | – | – | – | – |")
    w("")
    w(
        "Matches: (a) counts leftmost-longest matches, (a′) every overlapping match, (b) tokens, (c)/(f) findings, "
        "(d) pipeline: flashtext hits that start and end on jieba word boundaries, the others their library's default "
        "“find all” result (mint-filter: distinct words per message)."
    )
    w("")

    w("## Other measurements")
    w("")
    w("| measurement | what | figure |")
    w("|---|---|---|")
    lat = by_id["c600"]
    w(
        f"| per-message latency | {lat['what']}: {lat['messages']:,} messages, {lat['bytes'] / lat['messages']:.0f} bytes mean, each timed alone | "
        f"median {lat['median_ns'] / 1e3:.1f} µs, p90 {lat['p90_ns'] / 1e3:.1f} µs; {fmt(lat['mbps'])} MB/s; {lat['count']:,} findings |"
    )
    for b in builds:
        w(f"| build `{b['id'][6:]}` | {b['what']} | {b['ms']:.1f} ms |")
    for rid in ["rss.lines", "rss.lines.t1", "rss.single"]:
        r = by_id.get(rid)
        if r is None:
            continue
        summary = f"; summary: {' / '.join(r['summary'])}" if r["summary"] else ""
        w(
            f"| peak RSS | `{r['what']}` | median {r['median_mb']:.1f} MB, max {r['max_mb']:.1f} MB ({', '.join(str(x) for x in r['runs_mb'])}); "
            f"wall {r['wall_s']:.2f} s{summary} |"
        )
    rss = by_id["rss.lines"]
    t1, t2 = by_id["jsonl.t1"], by_id["jsonl.t2"]
    for t in (t1, t2):
        w(
            f"| `--jsonl`, {t['threads']} thread{'s' if t['threads'] > 1 else ''} | `{t['what']}` ({t['input_bytes'] / 1e6:.1f} MB of JSON Lines) | "
            f"{fmt(t['mbps_text'])} MB/s of message text ({fmt(t['mbps_input'])} MB/s of input; {t['seconds']:.2f} s batch, {t['wall_s']:.2f} s wall incl. start and build, {t['cpu_s']:.2f} s CPU user + system); "
            f"per pass {', '.join(fmt(x) for x in t['runs_mbps_text'])}; {t['count']:,} findings |"
        )
    speedup = t1["seconds"] / t2["seconds"]
    wall_speedup = t1["wall_s"] / t2["wall_s"]
    paired = by_id.get("jsonl.ratio")
    w(
        f"| `--jsonl` 2 threads ÷ 1 | batch seconds / wall seconds; CPU seconds 2 threads ÷ 1 (> 1: parallel overhead); "
        f"cores used with 2 threads (CPU ÷ wall) | {speedup:.2f}× / {wall_speedup:.2f}×; {t2['cpu_s'] / t1['cpu_s']:.2f}×; {t2['cpu_s'] / t2['wall_s']:.2f} |"
    )
    if paired:
        w(
            f"| `--jsonl` 2 threads ÷ 1, pass by pass | batch seconds of each pass's one-thread run ÷ its two-thread run | "
            f"median {paired['median']:.2f}× ({', '.join(f'{x:.2f}' for x in paired['runs'])}) |"
        )
    w("")

    cores_used = t2["cpu_s"] / t2["wall_s"]
    cores_note = (
        f" — not measurable here: the 2-thread runs got {cores_used:.2f} cores' worth of CPU (CPU ÷ wall), "
        "other jobs held the rest of the machine"
        if cores_used < 1.5
        else ""
    )
    ratio_ca = by_id["c/a"]["median"]
    # The batch's speed-up, like the ceiling's ratio, pass by pass (runs before it was
    # recorded: the ratio of the medians).
    if paired:
        jsonl_ratio = paired["median"]
        jsonl_detail = (
            f"{jsonl_ratio:.2f}× (median of per-pass ratios of batch seconds; the ratio of the medians "
            f"{speedup:.2f}×, of wall times {wall_speedup:.2f}×)"
        )
    else:
        jsonl_ratio = speedup
        jsonl_detail = f"{speedup:.2f}× (batch seconds; {wall_speedup:.2f}× wall)"
    build_ms = by_id["build.scanner.cold"]["ms"]

    def status(ok):
        return "met" if ok else "**not met**"

    w("## Targets")
    w("")
    w("| target | measured in this run | status |")
    w("|---|---|---|")
    # Runs before they were recorded have no ratios of turns.
    ceiling_turns = turns_note(by_id.get("c/a.turns"), 3)
    w(
        f"| full scan ≥ 0.5× the plain aho-corasick ceiling, same run | (c) ÷ (a) = {ratio_ca:.3f}× (median of per-pass ratios; "
        f"{fmt(hegui['mbps'])} vs {fmt(by_id['a']['mbps'])} MB/s){ceiling_turns} | {status(ratio_ca >= 0.5)} |"
    )
    py_turns = by_id.get("c/d2.turns")
    if py_turns and py_turns["hegui_count"] != hegui["count"]:
        sys.exit(f"render.py: hegui found {py_turns['hegui_count']} findings in the turns, {hegui['count']} in row (c)")
    py_turns_note = turns_note(
        py_turns,
        2,
        " (hegui in `compare --serve-chunks`)",
        py_turns
        and f"; hegui {fmt(statistics.median(py_turns['hegui_mbps']))} vs {fmt(statistics.median(py_turns['pyac_mbps']))} MB/s",
    )
    for rid, need, name, note in [
        ("d1", 50, "Python jieba + flashtext pipeline", ""),
        ("d2", 10, "pyahocorasick alone", py_turns_note),
    ]:
        r = by_id[rid]
        x = hegui["mbps"] / r["mbps"]
        w(f"| ≥ {need}× the {name} | {x:.1f}× ({fmt(hegui['mbps'])} vs {fmt(r['mbps'])} MB/s){note} | {status(x >= need)} |")
    w(f"| ≤ 10 µs median per 600-byte message | {lat['median_ns'] / 1e3:.1f} µs ({lat['bytes'] / lat['messages']:.0f}-byte messages) | {status(lat['median_ns'] <= 10_000)} |")
    w(f"| scanner build with default packs ≤ 100 ms | {build_ms:.1f} ms (first build of a process, median of {inp['passes']} processes) | {status(build_ms <= 100)} |")
    w(f"| peak RSS of `hegui scan` ≤ 100 MB | {rss['max_mb']:.1f} MB (max of {len(rss['runs_mb'])}) | {status(rss['max_mb'] <= 100)} |")
    w(
        f"| `--jsonl` on 2 threads ≥ 1.8× one thread | {jsonl_detail}; load average at the start was "
        f"{meta['uptime'][0][1].split('load average:')[-1].strip()} on {meta['nproc']} cores | {status(jsonl_ratio >= 1.8)}{cores_note} |"
    )
    w("")
    w("## Commands")
    w("")
    w("```sh")
    for c in meta["commands"]:
        w(c)
    w("```")
    w("")
    w("## Versions")
    w("")
    for k, v in meta["versions"].items():
        w(f"- {k}: {v}")
    w(f"- wasm: {meta['wasm']}")
    w("")
    w(f"Raw figures: `{os.path.basename(out_path)[:-3]}.json` (every record of this run; `render.py` reads them back).")
    w("")
    text = "\n".join(md)
    with open(out_path[:-3] + ".json", "w", encoding="utf-8") as f:
        json.dump({"meta": meta, "records": records}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()

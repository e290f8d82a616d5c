"""CLI rows of bench/compare: peak RSS of `hegui scan --lines --summary` and the `--jsonl`
batch on 1 vs 2 threads.

    cli.py HEGUI CORPUS PASSES WORKDIR

Prints one JSON object per line (see render.py). The JSON Lines input (one record
{"id", "text"} per corpus line) is written to WORKDIR. Thread counts are interleaved
pass by pass (3 × PASSES passes); each figure is the median over the passes, and the
speed-up is also the median of the passes' own ratios. Scan time is the batch's own
`seconds` from `--summary --format json` (reading, scanning and writing, without the
scanner build); wall time includes process start and the build.
"""

import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time


def emit(**fields):
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def cpu_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(argv):
    start, cpu = time.perf_counter(), cpu_children()
    proc = subprocess.run(argv, capture_output=True, text=True)
    wall = time.perf_counter() - start
    proc.cpu = cpu_children() - cpu
    # Exit 1 means findings at or above --fail-on: a normal outcome here.
    if proc.returncode not in (0, 1):
        sys.exit(f"cli.py: {' '.join(argv)} exited {proc.returncode}: {proc.stderr[-2000:]}")
    return proc, wall


def main():
    hegui, corpus, passes, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    with open(corpus, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if l.strip("\n")]
    text_bytes = sum(len(l.encode("utf-8")) for l in lines)
    jsonl = f"{work}/corpus.jsonl"
    with open(jsonl, "w", encoding="utf-8") as f:
        for i, line in enumerate(lines):
            f.write(json.dumps({"id": i, "text": line}, ensure_ascii=False) + "\n")

    # Peak RSS: the line batch over the whole corpus (default threads: the target), the
    # same on one thread, and one small file (the scanner alone), for comparison.
    campaign = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "campaign.txt")
    for id_, args, what in [
        ("rss.lines", ["--lines", "--summary", corpus], "hegui scan --lines --summary CORPUS (default threads)"),
        ("rss.lines.t1", ["--lines", "--threads", "1", "--summary", corpus], "hegui scan --lines --threads 1 --summary CORPUS"),
        ("rss.single", [campaign], "hegui scan examples/campaign.txt (one small message: the scanner alone)"),
    ]:
        rss, walls, summary = [], [], None
        for _ in range(passes):
            proc, wall = run(["/usr/bin/time", "-v", hegui, "scan", *args])
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
            if not m:
                sys.exit(f"cli.py: no RSS in /usr/bin/time output: {proc.stderr[-2000:]}")
            rss.append(int(m.group(1)) / 1024)
            walls.append(wall)
            summary = proc.stdout.strip().splitlines()[:2] if "--summary" in args else []
        emit(
            kind="rss",
            id=id_,
            what=what + ", /usr/bin/time -v",
            median_mb=round(statistics.median(rss), 1),
            max_mb=round(max(rss), 1),
            runs_mb=[round(r, 1) for r in rss],
            wall_s=round(statistics.median(walls), 2),
            summary=summary,
        )

    # --jsonl on 1 and 2 threads, interleaved: each pass runs one thread, then two, so
    # that the two runs of a pass see the same machine. On this kind of shared host the
    # speed of a run drifts by a third from one minute to the next (the CPU time of a
    # one-thread batch follows its wall time), so the speed-up is also given as the
    # median of the passes' own ratios, as the ceiling's ratio is, over three times as
    # many passes as the other rows (a batch takes a fraction of a second).
    results = {1: [], 2: []}
    for _ in range(3 * passes):
        for threads in (1, 2):
            argv = [hegui, "scan", "--jsonl", jsonl, "--threads", str(threads), "--summary", "--format", "json"]
            proc, wall = run(argv)
            s = json.loads(proc.stdout)
            if s["messages"] != len(lines) or s["errors"]:
                sys.exit(f"cli.py: --jsonl summary {s['messages']} messages, {s['errors']} errors")
            results[threads].append((s["seconds"], wall, s["bytes"], s["findings"], proc.cpu))
    for threads, runs in results.items():
        secs = statistics.median(r[0] for r in runs)
        wall = statistics.median(r[1] for r in runs)
        findings = {r[3] for r in runs}
        emit(
            kind="jsonl",
            id=f"jsonl.t{threads}",
            what=f"hegui scan --jsonl CORPUS.jsonl --threads {threads} --summary --format json",
            threads=threads,
            seconds=round(secs, 3),
            wall_s=round(wall, 3),
            cpu_s=round(statistics.median(r[4] for r in runs), 3),
            mbps_text=round(text_bytes / 1e6 / secs, 2),
            mbps_input=round(runs[0][2] / 1e6 / secs, 2),
            mbps_text_wall=round(text_bytes / 1e6 / wall, 2),
            ns_per_msg=round(secs * 1e9 / len(lines)),
            runs_mbps_text=[round(text_bytes / 1e6 / r[0], 2) for r in runs],
            input_bytes=runs[0][2],
            count=runs[0][3],
            counts_equal=len(findings) == 1,
        )
    ratios = [one[0] / two[0] for one, two in zip(results[1], results[2])]
    emit(
        kind="jsonl",
        id="jsonl.ratio",
        what="batch seconds on 1 thread ÷ on 2 threads, pass by pass",
        median=round(statistics.median(ratios), 3),
        runs=[round(r, 2) for r in ratios],
    )


if __name__ == "__main__":
    main()

"""Python rows of bench/compare: pyahocorasick, flashtext, jieba, jieba + flashtext.

    python.py CORPUS TERMS PASSES [COMPARE]

CORPUS has one message per line, TERMS one term per line (`hegui rules terms`). Prints
one JSON object per line (see render.py). Every library scans the same in-memory list
of lines; passes are interleaved so machine load hits every row alike; each figure is
the median over the passes. A pass that counts other matches than the first is an error.

With COMPARE (the `compare` example of hegui-core), hegui's full scan and pyahocorasick
then take turns every 2,000 lines, hegui in that program's `--serve-chunks` mode: the
ratio of the two rows measured minutes apart, in different processes, moves with the
host's speed between them; taken chunk by chunk, a change of speed hits both alike.
"""

import json
import statistics
import subprocess
import sys
import time
from importlib.metadata import version

import ahocorasick
import jieba
from flashtext import KeywordProcessor


def emit(**fields):
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def median_ms(passes, build):
    times = []
    for _ in range(passes):
        start = time.perf_counter()
        build()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def timed(f, lines):
    """The seconds `f` takes over `lines`, one call a line, and the sum of what it counts."""
    start = time.perf_counter()
    n = 0
    for line in lines:
        n += f(line)
    return time.perf_counter() - start, n


# Messages a side scans at a turn, as the Rust rows' turns do.
TURN_LINES = 2_000


def turns_with_hegui(compare, corpus, lines, passes, pyac):
    """hegui's full scan (in `compare --serve-chunks`) and `pyac` taking turns every
    TURN_LINES lines, the order flipped from one chunk to the next: for each pass,
    hegui's seconds, pyac's seconds, hegui's findings and pyac's matches."""
    server = subprocess.Popen(
        [compare, "--serve-chunks", corpus], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    ready = server.stdout.readline().split()
    if ready != ["ready", str(len(lines))]:
        sys.exit(f"python.py: {compare} --serve-chunks answered {ready!r} for {len(lines)} messages")

    def hegui(start, end):
        server.stdin.write(f"{start} {end}\n")
        server.stdin.flush()
        secs, findings = server.stdout.readline().split()
        return float(secs), int(findings)

    passes_out = []
    for _ in range(passes):
        hegui_secs = pyac_secs = 0.0
        hegui_count = pyac_count = 0
        for k, start in enumerate(range(0, len(lines), TURN_LINES)):
            end = min(start + TURN_LINES, len(lines))
            chunk = lines[start:end]
            for turn in range(2):
                if (k + turn) % 2 == 0:
                    secs, n = hegui(start, end)
                    hegui_secs += secs
                    hegui_count += n
                else:
                    secs, n = timed(pyac, chunk)
                    pyac_secs += secs
                    pyac_count += n
        passes_out.append((hegui_secs, pyac_secs, hegui_count, pyac_count))
    server.stdin.close()
    server.wait()
    return passes_out


def main():
    corpus, terms_path, passes = sys.argv[1], sys.argv[2], int(sys.argv[3])
    compare = sys.argv[4] if len(sys.argv) > 4 else None
    with open(corpus, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if l.strip("\n")]
    with open(terms_path, encoding="utf-8") as f:
        terms = [t.rstrip("\n") for t in f if t.strip("\n")]
    size = sum(len(l.encode("utf-8")) for l in lines)

    def build_pyac():
        automaton = ahocorasick.Automaton()
        for i, term in enumerate(terms):
            automaton.add_word(term, i)
        automaton.make_automaton()
        return automaton

    def build_flashtext():
        processor = KeywordProcessor()
        processor.add_keywords_from_list(terms)
        return processor

    jieba.setLogLevel(60)
    start = time.perf_counter()
    jieba.initialize()
    jieba_init_ms = (time.perf_counter() - start) * 1e3
    for id_, what, ms in [
        ("build.pyahocorasick", f"pyahocorasick {version('pyahocorasick')} Automaton over the terms", median_ms(passes, build_pyac)),
        ("build.flashtext", f"flashtext {version('flashtext')} KeywordProcessor over the terms", median_ms(passes, build_flashtext)),
        ("build.jieba-py", f"jieba {version('jieba')} initialize() (dictionary load, cache)", jieba_init_ms),
    ]:
        emit(kind="build", id=id_, what=what, ms=round(ms, 2))
    automaton = build_pyac()
    processor = build_flashtext()
    lcut = jieba.lcut

    def pyac(line):
        return sum(1 for _ in automaton.iter_long(line))

    def flash(line):
        return len(processor.extract_keywords(line))

    def cut(line):
        return len(lcut(line, HMM=False))

    def pipeline(line):
        # Dictionary hits kept only on jieba word boundaries (what hegui's `terms` rules
        # decide), jieba without HMM like jieba-rs in hegui.
        bounds = {0}
        at = 0
        for word in lcut(line, HMM=False):
            at += len(word)
            bounds.add(at)
        hits = processor.extract_keywords(line, span_info=True)
        return sum(1 for _, s, e in hits if s in bounds and e in bounds)

    rows = [
        ("d1", f"Python jieba {version('jieba')} lcut(HMM=False) + flashtext {version('flashtext')} extract_keywords, hits on word boundaries", pipeline),
        ("d2", f"Python pyahocorasick {version('pyahocorasick')} iter_long (leftmost-longest)", pyac),
        ("d3", f"Python flashtext {version('flashtext')} extract_keywords alone", flash),
        ("d4", f"Python jieba {version('jieba')} lcut(HMM=False) alone", cut),
    ]
    secs = {r[0]: [] for r in rows}
    counts = {r[0]: [] for r in rows}
    for _ in range(passes):
        for id_, _what, f in rows:
            t, n = timed(f, lines)
            secs[id_].append(t)
            counts[id_].append(n)
    ok = True
    for id_, what, _f in rows:
        t = statistics.median(secs[id_])
        emit(
            kind="row",
            id=id_,
            what=what,
            mbps=round(size / 1e6 / t, 3),
            ns_per_msg=round(t * 1e9 / len(lines)),
            runs_mbps=[round(size / 1e6 / s, 3) for s in secs[id_]],
            count=counts[id_][0],
        )
        ok &= len(set(counts[id_])) == 1
    if compare:
        turns = turns_with_hegui(compare, corpus, lines, passes, pyac)
        emit(
            kind="ratio",
            id="c/d2.turns",
            lines=TURN_LINES,
            median=round(statistics.median(p / h for h, p, _, _ in turns), 4),
            runs=[round(p / h, 4) for h, p, _, _ in turns],
            hegui_mbps=[round(size / 1e6 / h, 3) for h, _, _, _ in turns],
            pyac_mbps=[round(size / 1e6 / p, 3) for _, p, _, _ in turns],
            hegui_count=turns[0][2],
            pyac_count=turns[0][3],
        )
        ok &= len({(h, p) for _, _, h, p in turns}) == 1 and turns[0][3] == counts["d2"][0]
    if not ok:
        sys.exit("python.py: a pass counted differently from the first")


if __name__ == "__main__":
    main()

"""Python rows of bench/compare: pyahocorasick, flashtext, jieba, jieba + flashtext.

    python.py CORPUS TERMS PASSES

CORPUS has one message per line, TERMS one term per line (`hegui rules terms`). Prints
one JSON object per line (see render.py). Every library scans the same in-memory list
of lines; passes are interleaved so machine load hits every row alike; each figure is
the median over the passes. A pass that counts other matches than the first is an error.
"""

import json
import statistics
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


def main():
    corpus, terms_path, passes = sys.argv[1], sys.argv[2], int(sys.argv[3])
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
            start = time.perf_counter()
            n = 0
            for line in lines:
                n += f(line)
            secs[id_].append(time.perf_counter() - start)
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
    if not ok:
        sys.exit("python.py: a pass counted differently from the first")


if __name__ == "__main__":
    main()

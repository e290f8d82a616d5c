#!/usr/bin/env bash
# Batch throughput and memory of `hegui scan --jsonl`.
#
#   bench/batch.sh [CORPUS] [LINES]
#
# Builds N JSON Lines records from CORPUS (one message per line; default
# ../shared/data/corpus/zh-mixed.txt), with a malformed line every 10,000 records, then:
#   * checks that N lines in give exactly N lines out, same ids in the same order, and an
#     error record for each malformed line;
#   * measures MB/s with 1 and 2 threads;
#   * measures peak RSS for N and 2N records (memory must stay flat).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/data/corpus/zh-mixed.txt}
lines=${2:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release -q -p hegui-cli
hegui=target/release/hegui

make_input() { # make_input COUNT FILE
  python3 - "$corpus" "$1" "$2" <<'PY'
import json, sys
corpus, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
texts = [l.rstrip("\n") for l in open(corpus, encoding="utf-8") if l.strip()]
with open(out, "w", encoding="utf-8") as f:
    for i in range(count):
        if i % 10000 == 9999:
            f.write('{"id": "bad-%d", "text": \n' % i)  # malformed on purpose
        else:
            f.write(json.dumps({"id": "m%d" % i, "channel": "wechat_mass", "text": texts[i % len(texts)]}, ensure_ascii=False) + "\n")
PY
}

make_input "$lines" "$work/in.jsonl"
make_input $((lines * 2)) "$work/in2.jsonl"
mb=$(python3 -c "import os,sys; print(os.path.getsize(sys.argv[1]) / 1e6)" "$work/in.jsonl")
echo "input: $lines records, $mb MB"

"$hegui" scan --jsonl "$work/in.jsonl" > "$work/out.jsonl" || true
python3 - "$work/in.jsonl" "$work/out.jsonl" <<'PY'
import json, sys
inp = open(sys.argv[1], encoding="utf-8").read().splitlines()
out = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert len(inp) == len(out), (len(inp), len(out))
errors = 0
for n, (i, o) in enumerate(zip(inp, out), 1):
    try:
        want = json.loads(i)["id"]
        assert o.get("id") == want and "verdict" in o, (n, o)
    except json.JSONDecodeError:
        assert o.get("line") == n and "error" in o, (n, o)
        errors += 1
print(f"check: {len(inp)} lines in, {len(out)} lines out, ids in order, {errors} error records")
PY

for threads in 1 2; do
  best=""
  for run in 1 2 3; do
    start=$(date +%s.%N)
    "$hegui" scan --jsonl --threads "$threads" "$work/in.jsonl" > /dev/null || true
    end=$(date +%s.%N)
    secs=$(python3 -c "print($end - $start)")
    best=$(python3 -c "print(min(float(x) for x in '$best $secs'.split()))")
  done
  python3 -c "print(f'threads={$threads}: best of 3 {float($best):.2f} s = {$mb / float($best):.1f} MB/s (wall, incl. start-up)')"
done

for input in in.jsonl in2.jsonl; do
  rss=$( { /usr/bin/time -v "$hegui" scan --jsonl "$work/$input" > /dev/null; } 2>&1 | awk -F': ' '/Maximum resident set size/ {print $2}' || true)
  echo "peak RSS for $input: $((rss / 1024)) MB"
done

#!/usr/bin/env bash
# Load test of `hegui serve` with wrk (Debian package `wrk`): single ~600-byte messages,
# a pack reload in the middle of the run (POST /v1/reload), report requests/s, latency
# percentiles and errors.
#
#   bench/serve-load.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
connections=${2:-16}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 2; }
cargo build --release -q -p hegui-cli
work=$(mktemp -d)
port=18181
target/release/hegui serve --addr 127.0.0.1:$port 2> "$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

# A realistic ~600-byte marketing message (UTF-8), with an exaggerated claim in it.
python3 - "$work/post.lua" <<'PY'
import json, sys
text = ("【好物推荐】双十一年度盛典即将开启，全场商品低至五折，会员叠加优惠券再享满减。"
        "本店精选进口原料，匠心工艺，口感醇厚，深受老顾客好评。限时抢购，数量有限，先到先得。"
        "活动时间11月1日至11月11日，详情请咨询门店客服或关注官方公众号查看活动细则。"
        "全网最低价，错过再等一年！到店出示本消息还可领取精美小礼品一份，每人限领一次，"
        "礼品数量有限，送完即止。如有疑问请拨打客服热线咨询。")
body = json.dumps({"text": text}, ensure_ascii=False)
assert 550 <= len(body.encode()) <= 650, len(body.encode())
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write('wrk.method = "POST"\n')
    f.write('wrk.headers["Content-Type"] = "application/json"\n')
    f.write("wrk.body = %s\n" % json.dumps(body, ensure_ascii=False))
    f.write('''
local bad = 0
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("non-200 responses: %d\\n", summary.errors.status))
  io.write(string.format("p50 %.0f us, p90 %.0f us, p99 %.0f us, max %.0f us\\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
''')
PY

( sleep $((seconds / 2)); code=$(curl -s -o "$work/reload.json" -w '%{http_code}' -X POST "http://127.0.0.1:$port/v1/reload"); echo "reload in the middle of the run: HTTP $code $(head -c 80 "$work/reload.json")" ) &
reloader=$!
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port/v1/scan"
wait $reloader

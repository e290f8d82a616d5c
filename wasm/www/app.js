// The in-browser checker: scans as the user types (debounced), marks the offending spans
// in place with a colour per severity, lists each finding, and shows the verdict.
import { Scanner } from "hegui";

// Milliseconds from navigation start: module instantiated, scanner built, first verdict
// shown. The browser test reads them.
const timings = { moduleReady: performance.now() };
window.heguiTimings = timings;

const $ = (id) => document.getElementById(id);
const input = $("input");
const backdrop = $("backdrop");
const badge = $("verdict");
const list = $("findings");
const status = $("status");
const channel = $("channel");

const VERDICT = { pass: "通过 pass", notice: "提示 notice", review: "需复核 review", block: "禁止发送 block" };
const SEVERITY = { block: "禁止", review: "复核", notice: "提示" };
const RANK = { notice: 1, review: 2, block: 3 };
const STEP = {
  width: "全角", compat: "兼容字符", case: "大小写", traditional: "繁体", homoglyph: "形近字母",
  invisible: "不可见字符", separator: "插入符号", variant: "变体词",
};
const SAMPLE = "转*发本文到朋友圈，即可领取紅包！全网最低价，保本保息，详询 http://47.98.1.1:8080/hb.apk";
const DEBOUNCE_MS = 120;

const scanner = new Scanner();
timings.scannerBuilt = performance.now();
const categories = {};
for (const pack of scanner.packs()) {
  for (const [id, c] of Object.entries(pack.categories)) categories[id] = c.name;
}
$("packs").textContent = scanner.packs().map((p) => `${p.title} ${p.version}`).join("、");
// The channels the packs know; a channel's profile adds its own checks (SMS signature
// and opt-out…) and severities.
const NAMES = { sms: "短信", wechat_mass: "微信群发", mp_article: "公众号图文", moments: "朋友圈" };
channel.replaceChildren(
  ...scanner.channels().map((c) => new Option(c.name ?? NAMES[c.id] ?? c.id, c.id, c.id === "wechat_mass", c.id === "wechat_mass")),
);

function escape(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

/** The text with <mark>s; where findings overlap, the more severe colour wins. */
function highlighted(text, findings) {
  const cuts = new Set([0, text.length]);
  for (const f of findings) cuts.add(f.start).add(f.end);
  const points = [...cuts].sort((a, b) => a - b);
  let html = "";
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i], points[i + 1]];
    const piece = escape(text.slice(from, to));
    const covering = findings.filter((f) => f.start <= from && to <= f.end);
    if (covering.length === 0) {
      html += piece;
      continue;
    }
    const top = covering.reduce((a, b) => (RANK[b.severity] > RANK[a.severity] ? b : a));
    const rules = covering.map((f) => f.ruleId).join(" ");
    html += `<mark class="sev-${top.severity}" data-rules="${rules}">${piece}</mark>`;
  }
  // A final newline needs a character after it to take up its line in the backdrop.
  return html + " ";
}

function item(f) {
  const li = document.createElement("li");
  li.className = `sev-${f.severity}`;
  li.dataset.rule = f.ruleId;
  const steps = f.normalized.length ? `<dt>归一化</dt><dd>${f.normalized.map((s) => STEP[s] ?? s).join("、")}</dd>` : "";
  li.innerHTML = `
    <div class="head"><span class="sev">${SEVERITY[f.severity]}</span>
      <span class="category">${escape(categories[f.category] ?? f.category)}</span>
      <span class="quote">${f.text ? `“${escape(f.text)}”` : "（缺少）"}</span><span class="rule">${escape(f.ruleId)}</span></div>
    <p class="message">${escape(f.message)}</p>
    <dl>${f.suggestion ? `<dt>建议</dt><dd class="suggestion">${escape(f.suggestion)}</dd>` : ""}
      <dt>依据</dt><dd class="basis">${escape(f.basis)}</dd>${steps}</dl>`;
  li.addEventListener("click", () => {
    input.focus();
    input.setSelectionRange(f.start, f.end);
  });
  return li;
}

function channelNote(text) {
  if (channel.value !== "sms") return "";
  const chars = [...text].length;
  const parts = chars <= 70 ? 1 : Math.ceil(chars / 67);
  return ` · 短信 ${chars} 字，按 ${parts} 条计费`;
}

let firstVerdict = true;
function check() {
  const text = input.value;
  const t0 = performance.now();
  const report = scanner.scan(text, channel.value);
  const ms = performance.now() - t0;
  backdrop.innerHTML = highlighted(text, report.findings);
  backdrop.scrollTop = input.scrollTop;
  list.replaceChildren(...report.findings.map(item));
  badge.dataset.verdict = report.verdict;
  badge.textContent = VERDICT[report.verdict];
  const n = report.findings.length;
  status.textContent = `${n ? `${n} 处问题` : "未发现问题"} · 检查用时 ${ms.toFixed(1)} ms${channelNote(text)}`;
  if (firstVerdict) {
    firstVerdict = false;
    timings.firstVerdict = performance.now();
    timings.domContentLoaded = performance.getEntriesByType("navigation")[0]?.domContentLoadedEventEnd;
  }
}

let timer;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(check, DEBOUNCE_MS);
});
input.addEventListener("scroll", () => {
  backdrop.scrollTop = input.scrollTop;
});
channel.addEventListener("change", check);

if (!input.value) input.value = SAMPLE;
check();
input.focus();

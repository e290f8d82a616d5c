//! Scanner build and scan throughput (divan).
//!
//! ```sh
//! cargo bench -p hegui-core --bench scan                 # all
//! cargo bench -p hegui-core --bench scan -- clean        # a filter
//! cargo test -p hegui-core --bench scan                  # every bench once, as a test
//! ```
//!
//! Inputs, each scanned as one message unless said otherwise:
//! * `clean`: ordinary news-like Chinese sentences written for this file (no marketing
//!   claims) — `short` (one sentence), `600b` (sentences up to ≥ 600 bytes), `20k` (an
//!   article of paragraphs, ≥ 20,000 bytes). Every iteration must find nothing.
//! * `hit_dense`: the packs' `fires` examples (`Scanner::rules()`, `rule.def.fires`) joined
//!   with `"\n\n"` — `short` (the first example), `600b` (examples up to ≥ 600 bytes), `all`
//!   (every example of every rule), `20k` (all of them, repeated up to ≥ 20,000 bytes).
//!   Every rule whose example is in the input must be among the findings, and every
//!   iteration must find exactly as many findings as the first scan did.
//! * `corpus`: `../shared/data/corpus/zh-mixed.txt` (or `$HEGUI_CORPUS`), scanned line by
//!   line; the findings of one pass must add up to the sum counted line by line at start.
//!   Skipped when the file is absent.
//!
//! So a speed-up that changes what is detected fails the bench instead of looking good.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use hegui_core::Scanner;

fn main() {
    divan::main();
}

/// Ordinary sentences: weather, transport, culture, schools. No rule may fire on them.
const CLEAN: &[&str] = &[
    "今天上午，市气象台发布天气预报，预计本周后半段将有一次明显的降温过程。",
    "受冷空气影响，北部山区夜间气温可能降至零下五度左右，请市民注意添衣保暖。",
    "市交通部门表示，地铁三号线延长段已完成全部设备调试，计划于下月中旬开通试运营。",
    "新线路共设八座车站，全长约十二公里，将连接城东居住区与高新技术园区。",
    "据统计，今年前三个季度全市接待国内游客两千三百万人次，同比增长百分之六点二。",
    "区图书馆本周末举办古籍修复公开课，邀请专业修复师介绍纸张、装帧和保存方法。",
    "参加活动的读者需提前在图书馆网站预约，每场限额四十人。",
    "农业专家建议，秋收后应及时翻耕土地，清除田间残留秸秆，减少来年病虫害的发生。",
    "学校将于九月一日正式开学，新生报到时请携带录取通知书和户口簿复印件。",
    "社区卫生服务中心提醒，老年人和慢性病患者可就近接种流感疫苗。",
    "昨天下午，市民公园的荷花陆续开放，不少居民带着家人前来散步拍照。",
    "博物馆新馆的陈列以本地出土的陶器和青铜器为主，按年代分为五个展厅。",
    "工作人员介绍，展品说明均配有中英文对照，并提供语音导览服务。",
    "河道整治工程完工后，沿岸新建了步道和休息座椅，夜间照明也进行了更新。",
    "本次运动会共有来自二十个单位的六百余名运动员参加，比赛项目包括田径、游泳和篮球。",
];

static SCANNER: LazyLock<Scanner> = LazyLock::new(Scanner::with_default_packs);

/// One input and what scanning it must give.
struct Case {
    text: String,
    /// Findings of one scan (0 for clean inputs), checked every iteration.
    findings: usize,
}

impl Case {
    /// A clean input: asserts it has no findings.
    fn clean(name: &str, text: String) -> Case {
        let report = SCANNER.scan(&text);
        assert!(
            report.findings.is_empty(),
            "clean input `{name}` has findings: {:?}",
            report
                .findings
                .iter()
                .map(|f| (&*f.rule_id, &f.text))
                .collect::<Vec<_>>()
        );
        Case { text, findings: 0 }
    }

    /// A hit-dense input: asserts every rule in `rules` fires, counts the findings.
    fn hits(name: &str, text: String, rules: &BTreeSet<&str>) -> Case {
        let report = SCANNER.scan(&text);
        let found: BTreeSet<&str> = report.findings.iter().map(|f| &*f.rule_id).collect();
        let missing: Vec<_> = rules.difference(&found).collect();
        assert!(
            missing.is_empty(),
            "hit-dense input `{name}`: rules whose examples it holds did not fire: {missing:?}"
        );
        Case {
            findings: report.findings.len(),
            text,
        }
    }

    fn bench(&self, bencher: Bencher) {
        bencher.counter(BytesCount::of_str(&self.text)).bench(|| {
            let report = SCANNER.scan(black_box(&self.text));
            assert_eq!(report.findings.len(), self.findings);
            report
        });
    }
}

/// `parts` joined with `sep`, as many as it takes to reach `bytes` (cycling), or all of
/// them once when `bytes` is 0.
fn join_up_to(parts: &[&str], sep: &str, bytes: usize) -> (String, usize) {
    let mut out = String::new();
    let mut used = 0;
    for part in parts.iter().cycle() {
        if used > 0 {
            out.push_str(sep);
        }
        out.push_str(part);
        used += 1;
        if (bytes == 0 && used == parts.len()) || (bytes > 0 && out.len() >= bytes) {
            break;
        }
    }
    (out, used)
}

static CLEAN_CASES: LazyLock<Vec<(&'static str, Case)>> = LazyLock::new(|| {
    let paragraphs: Vec<String> = CLEAN.chunks(3).map(|c| c.concat()).collect();
    let paragraphs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    vec![
        ("short", Case::clean("short", CLEAN[0].to_owned())),
        ("600b", Case::clean("600b", join_up_to(CLEAN, "", 600).0)),
        (
            "20k",
            Case::clean("20k", join_up_to(&paragraphs, "\n\n", 20_000).0),
        ),
    ]
});

static HIT_CASES: LazyLock<Vec<(&'static str, Case)>> = LazyLock::new(|| {
    // Every example with the rule it belongs to, in pack order.
    let examples: Vec<(&str, &str)> = SCANNER
        .rules()
        .iter()
        .flat_map(|r| r.def.fires.iter().map(move |f| (r.id(), f.as_str())))
        .collect();
    assert!(
        !examples.is_empty(),
        "the default packs have fires examples"
    );
    let texts: Vec<&str> = examples.iter().map(|e| e.1).collect();
    let case = |name: &'static str, bytes: usize, sep: &str| {
        let (text, used) = join_up_to(&texts, sep, bytes);
        let rules: BTreeSet<&str> = examples
            .iter()
            .take(used.min(examples.len()))
            .map(|e| e.0)
            .collect();
        (name, Case::hits(name, text, &rules))
    };
    let (id, first) = examples[0];
    vec![
        (
            "short",
            Case::hits("short", first.to_owned(), &BTreeSet::from([id])),
        ),
        case("600b", 600, "\n\n"),
        case("all", 0, "\n\n"),
        case("20k", 20_000, "\n\n"),
        // One 200 KB "sentence" (the examples joined by commas, their own sentence
        // breaks aside): the scan must stay linear in the hits of a long message.
        case("200k-commas", 200_000, "，"),
    ]
});

fn find<'a>(cases: &'a [(&'static str, Case)], name: &str) -> &'a Case {
    &cases
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no input `{name}`"))
        .1
}

/// Compiling the default packs (literal dictionary, regexes, link policy, the pack
/// terms added to the segmenter). jieba's dictionary is read once per process, so
/// these samples are builds after the first; `bench/compare` times the first build of
/// fresh processes (`build.scanner.cold`).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn build() -> Scanner {
    Scanner::with_default_packs()
}

#[divan::bench(args = ["short", "600b", "20k"])]
fn clean(bencher: Bencher, size: &str) {
    find(&CLEAN_CASES, size).bench(bencher);
}

#[divan::bench(args = ["short", "600b", "all", "20k", "200k-commas"])]
fn hit_dense(bencher: Bencher, size: &str) {
    find(&HIT_CASES, size).bench(bencher);
}

/// The corpus, one message per line: every line scanned once per iteration.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn corpus(bencher: Bencher) {
    let path = std::env::var("HEGUI_CORPUS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/corpus/zh-mixed.txt"
        )
        .to_owned()
    });
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: corpus {path} missing");
        return;
    };
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    // Counted line by line once; every pass must give the same sum.
    let expected: usize = lines.iter().map(|l| SCANNER.scan(l).findings.len()).sum();
    let bytes: usize = lines.iter().map(|l| l.len()).sum();
    bencher.counter(BytesCount::new(bytes)).bench(|| {
        let found: usize = lines
            .iter()
            .map(|l| SCANNER.scan(black_box(l)).findings.len())
            .sum();
        assert_eq!(found, expected, "corpus findings changed between passes");
    });
}

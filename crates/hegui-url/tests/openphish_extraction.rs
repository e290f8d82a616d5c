//! Extraction of real phishing URLs embedded in Chinese sentences
//! (`shared/data/urls/openphish-before-2026.tsv`; skipped when absent).

mod common;

use hegui_url::extract;

const TEMPLATES: &[(&str, &str)] = &[("点击", "，领取奖品"), ("详情见：", "（分享自微博）")];
const SAMPLE: usize = 10_000;

#[test]
fn openphish_exact_match_rate() {
    let Some(dir) = common::data_dir("openphish_exact_match_rate") else {
        return;
    };
    let text =
        std::fs::read_to_string(dir.join("urls/openphish-before-2026.tsv")).expect("readable");
    let (mut total, mut exact) = (0usize, 0usize);
    let mut misses = Vec::new();
    for url in common::openphish_urls(&text).take(SAMPLE) {
        for (before, after) in TEMPLATES {
            let sentence = format!("{before}{url}{after}");
            let links = extract(&sentence);
            let hit = links.len() == 1
                && links[0].text == url
                && sentence.get(links[0].span.clone()) == Some(url);
            total += 1;
            if hit {
                exact += 1;
            } else if misses.len() < 20 {
                misses.push((
                    sentence,
                    links.into_iter().map(|l| l.text).collect::<Vec<_>>(),
                ));
            }
        }
    }
    let rate = exact as f64 / total as f64;
    println!(
        "openphish exact-match rate: {exact}/{total} = {:.4}%",
        rate * 100.0
    );
    for (sentence, got) in &misses {
        println!("  miss: {sentence:?} -> {got:?}");
    }
    assert!(total >= 2 * SAMPLE, "{total}");
    assert!(rate >= 0.995, "exact-match rate {rate:.4} below 0.995");
}

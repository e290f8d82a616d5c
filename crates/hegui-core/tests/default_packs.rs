//! The default packs compile, every rule's examples behave as written (the same check as
//! `hegui rules test`), and the packs behave as the domain brief asks on sentences written
//! for these tests: the §8 regression seeds, false-positive traps, evasion forms, negation,
//! and the finance context.

use hegui_core::{Report, Scanner, Severity, Step, Verdict};

fn scanner() -> Scanner {
    Scanner::with_default_packs()
}

/// Rule ids that fired on `text`.
fn rules_on(scanner: &Scanner, text: &str) -> Vec<String> {
    scanner
        .scan(text)
        .findings
        .iter()
        .map(|f| f.rule_id.to_string())
        .collect()
}

/// The text of the first finding of `rule` on `text`.
fn span_of(report: &Report, rule: &str) -> Option<String> {
    report
        .findings
        .iter()
        .find(|f| &*f.rule_id == rule)
        .map(|f| f.text.clone())
}

#[test]
fn every_example_of_the_default_packs_holds() {
    let scanner = scanner();
    let run = scanner.check_examples();
    let failures: Vec<String> = run.failures.iter().map(ToString::to_string).collect();
    assert!(
        failures.is_empty(),
        "failing examples:\n{}",
        failures.join("\n")
    );
    assert!(run.checked >= 6 * scanner.rules().len().min(1));
}

#[test]
fn every_default_rule_has_three_fires_and_three_passes() {
    for rule in scanner().rules() {
        assert!(rule.def.fires.len() >= 3, "{} has too few fires", rule.id());
        assert!(
            rule.def.passes.len() >= 3,
            "{} has too few passes",
            rule.id()
        );
    }
}

/// Every content rule carries a disguised `fires` example: one whose finding needed a
/// normalisation step (separator, traditional, variant, width…).
#[test]
fn every_content_rule_fires_on_a_disguised_example() {
    let scanner = scanner();
    for rule in scanner.rules() {
        if rule.def.fires.is_empty() {
            continue; // link checks are configured in [links], not by examples
        }
        let disguised = rule.def.fires.iter().any(|text| {
            scanner
                .scan(text)
                .findings
                .iter()
                .any(|f| &*f.rule_id == rule.id() && !f.normalized.is_empty())
        });
        assert!(disguised, "{} has no disguised fires example", rule.id());
    }
}

#[test]
fn the_rule_families_of_the_issue_exist_with_their_severities() {
    use Severity::{Block, Notice, Review};
    let scanner = scanner();
    let expected = [
        ("induce-share.reward-for-share", Block),
        ("induce-share.referral-reward", Review),
        ("induce-share.like-collection", Block),
        ("induce-share.forced-gate", Block),
        ("induce-share.threat", Block),
        ("induce-share.emotional-plea", Review),
        ("induce-share.induced-follow", Review),
        ("induce-share.induced-download", Review),
        ("induce-share.induced-vote", Review),
        ("induce-share.multi-level", Block),
        ("exaggeration.absolute-term", Review),
        ("exaggeration.extreme-term", Review),
        ("exaggeration.efficacy-guarantee", Block),
        ("exaggeration.medical-claim", Block),
        ("exaggeration.cosmetic-claim", Notice),
        ("exaggeration.missing-health-food-notice", Review),
        ("exaggeration.education-guarantee", Review),
        ("exaggeration.authority-endorsement", Review),
        ("exaggeration.sector-authority", Review),
        ("exaggeration.urgency", Notice),
        ("exaggeration.prize-bait", Notice),
        ("finance.missing-risk-warning", Review),
        ("finance.missing-loan-rate", Review),
        ("finance.guaranteed-return", Block),
        ("finance.loan-promise", Block),
        ("finance.stock-tip", Review),
        ("finance.insurance-hype", Review),
        ("finance.crypto-promotion", Block),
    ];
    for (id, severity) in expected {
        let rule = scanner
            .rules()
            .iter()
            .find(|r| r.id() == id)
            .unwrap_or_else(|| panic!("missing rule {id}"));
        assert_eq!(rule.def.severity, severity, "{id}");
        assert!(
            !rule.def.message.is_empty()
                && rule.def.suggestion.is_some()
                && !rule.def.basis.is_empty(),
            "{id} needs message, suggestion and basis"
        );
    }
}

/// Brief §8 regression seeds: all of them are examples of some rule, and they behave.
#[test]
fn section_8_regression_seeds_are_examples_and_behave() {
    let scanner = scanner();
    let no_hit = [
        "我最近最后还是选了这个方案",
        "第一次下单立减10元",
        "本产品不保本，过往业绩不代表未来表现",
        "最好提前一天预约",
    ];
    let hit = [
        ("全 网 最 低 价", "exaggeration.absolute-term"),
        ("加我薇信领红包", "induce-share.induced-follow"),
    ];
    let examples: Vec<&str> = scanner
        .rules()
        .iter()
        .flat_map(|r| r.def.fires.iter().chain(&r.def.passes))
        .map(String::as_str)
        .collect();
    for text in no_hit {
        assert!(examples.contains(&text), "{text:?} is not an example");
        assert_eq!(scanner.scan(text).verdict, Verdict::Pass, "{text}");
    }
    for (text, rule) in hit {
        let owner = scanner.rules().iter().find(|r| r.id() == rule).expect(rule);
        assert!(owner.def.fires.iter().any(|t| t == text), "{text:?}");
        assert_eq!(span_of(&scanner.scan(text), rule).as_deref(), Some(text));
    }
}

#[test]
fn false_positive_traps_of_section_8_pass() {
    let scanner = scanner();
    let traps = [
        // 最
        "最后，感谢大家的支持",
        "最早9点开门，最晚22点关门",
        "最多可选3件，最低消费100元",
        "最高可借5万元，以审批为准。年化利率（单利）9%起",
        "最佳赏味期为出厂后30天",
        "本品牌迄今最轻的一款跑鞋",
        "我们致力于提供最好的服务",
        // 第一 / 唯一 / 首
        "第一步：打开小程序，第一时间领取会员卡",
        "本季度第一批新品已到店",
        "唯一的要求是准时到场",
        "首单立减5元，首页可查看活动",
        // 国家 / 极 / 绝对 / 万能 / 100% / 特效
        "本产品符合国家标准GB 2760",
        "国家法定节假日正常营业",
        "极简设计，绝对值误差小于0.1mm",
        "万能险与分红险的区别",
        "100%纯棉面料，亲肤透气",
        "电影特效制作班招生",
        "一级能效空调，五星级酒店同款床垫",
        // 分享 / 转发 / 关注 / 红包
        "欢迎分享给需要的朋友",
        "下午三点举办读书分享会",
        "关注健康，从早睡开始",
        "春节发红包是传统习俗",
        // 保本 / 无风险
        "非保本浮动收益型产品，理财非存款，产品有风险，投资须谨慎",
        "无风险利率是资产定价的基础",
        "存款保险保障50万元以内本息",
        "本品不能治疗疾病",
    ];
    for text in traps {
        let report = scanner.scan(text);
        assert!(
            report.verdict < Verdict::Review,
            "{text}: {:?}",
            rules_on(&scanner, text)
        );
    }
}

#[test]
fn evasion_forms_fire_with_the_right_rule_and_original_span() {
    let scanner = scanner();
    let cases = [
        // separators, traditional, homophones, full width, pinyin
        (
            "轉*發本文給好友，免費領取紅包",
            "induce-share.reward-for-share",
            "轉*發本文給好友，免費領取紅包",
        ),
        (
            "转fa朋友圈领hongbao",
            "induce-share.reward-for-share",
            "转fa朋友圈领hongbao",
        ),
        ("进裙抢红包", "induce-share.induced-follow", "进裙抢红包"),
        (
            "不 转 不 是 中 国 人",
            "induce-share.threat",
            "不 转 不 是 中 国 人",
        ),
        ("品质ＮＯ．１", "exaggeration.extreme-term", "ＮＯ．１"),
        ("zui低价，快来抢", "exaggeration.absolute-term", "zui低价"),
        ("销量全国弟一", "exaggeration.absolute-term", "全国弟一"),
        (
            "百分百见效",
            "exaggeration.efficacy-guarantee",
            "百分百见效",
        ),
        (
            "穩|賺不賠的好項目",
            "finance.guaranteed-return",
            "穩|賺不賠",
        ),
        ("保夲理财，年化6%", "finance.guaranteed-return", "保夲"),
        ("加盟0风险，稳定回报", "finance.guaranteed-return", "0风险"),
        ("黑户可贷，１００％下款", "finance.loan-promise", "黑户可贷"),
    ];
    for (text, rule, span) in cases {
        let report = scanner.scan(text);
        assert_eq!(
            span_of(&report, rule).as_deref(),
            Some(span),
            "{text}: {:?}",
            rules_on(&scanner, text)
        );
    }
}

#[test]
fn findings_record_the_normalisation_they_needed() {
    let scanner = scanner();
    let report = scanner.scan("穩賺不賠，加我薇信");
    let finding = &report.findings[0];
    assert_eq!(finding.text, "穩賺不賠");
    assert_eq!(finding.normalized, vec![Step::Traditional], "{finding:?}");

    let report = scanner.scan("加我薇信领红包");
    let finding = &report.findings[0];
    assert_eq!(&*finding.rule_id, "induce-share.induced-follow");
    assert!(finding.normalized.contains(&Step::Variant), "{finding:?}");
}

/// Variants need their context (brief §7 guardrails): 卫星 and 裙 alone are not 微信 / 群.
#[test]
fn variant_guardrails_keep_ordinary_words() {
    let scanner = scanner();
    let normalize = |text: &str| scanner.normalizer().normalize(text).as_str().to_string();
    assert_eq!(normalize("加卫星领红包"), "加微信领红包");
    assert_eq!(normalize("北斗卫星导航系统"), "北斗卫星导航系统");
    assert_eq!(normalize("进裙抢红包"), "进群抢红包");
    assert_eq!(normalize("这条裙子很好看"), "这条裙子很好看");
    assert_eq!(normalize("vxworks系统"), "vxworks系统");
    assert_eq!(normalize("第10名"), "第10名");
    assert_eq!(
        scanner.scan("新款连衣裙，送红包封面").verdict,
        Verdict::Pass
    );
}

#[test]
fn negated_and_quoted_promises_never_fire() {
    let scanner = scanner();
    for text in [
        "本产品不保本，不承诺收益",
        "非保本浮动收益型理财产品",
        "谨防“稳赚不赔”的投资骗局",
        "广告法禁止使用“最佳”“第一”等用语",
        "平台禁止集赞送礼",
        "严禁发布“保过”“押题”等招生广告",
    ] {
        let report = scanner.scan(text);
        assert!(
            report.verdict < Verdict::Block,
            "{text}: {:?}",
            rules_on(&scanner, text)
        );
        assert!(
            !rules_on(&scanner, text)
                .iter()
                .any(|id| id == "finance.guaranteed-return"),
            "{text}"
        );
    }
}

#[test]
fn plain_sharing_following_and_red_packets_pass() {
    let scanner = scanner();
    for text in [
        "欢迎分享",
        "经验分享：新手如何开网店",
        "觉得有用，欢迎转发给需要的朋友",
        "欢迎关注我们的公众号",
        "关注健康，关爱家人",
        "新年红包已发到您的会员账户",
        "到店即可领取小礼品",
    ] {
        let fired = rules_on(&scanner, text);
        assert!(
            !fired.iter().any(|id| id.starts_with("induce-share.")),
            "{text}: {fired:?}"
        );
    }
}

#[test]
fn inducements_fire_as_block_or_review() {
    let scanner = scanner();
    let cases = [
        (
            "转发到3个群，截图发我即送资料包",
            "induce-share.reward-for-share",
        ),
        (
            "邀请好友助力，砍到0元免费领",
            "induce-share.reward-for-share",
        ),
        ("分享后才能查看完整答案", "induce-share.forced-gate"),
        ("转发保平安，不转倒霉一年", "induce-share.threat"),
        ("关注公众号领取新人红包", "induce-share.induced-follow"),
        ("下载APP领现金红包", "induce-share.induced-download"),
        ("投票送礼品，每天可投", "induce-share.induced-vote"),
        ("集满20个赞即送精美台历", "induce-share.like-collection"),
        ("发展下线拿提成，三级分销", "induce-share.multi-level"),
    ];
    for (text, rule) in cases {
        let fired = rules_on(&scanner, text);
        assert!(fired.iter().any(|id| id == rule), "{text}: {fired:?}");
    }
}

#[test]
fn finance_needs_context_and_promotion() {
    let scanner = scanner();
    let fires = [
        (
            "XX稳健理财，年化6%，保本保息，稳赚不赔",
            "finance.guaranteed-return",
        ),
        (
            "日息低至万分之二，秒批秒到账，不看征信",
            "finance.loan-promise",
        ),
        (
            "月缴1元，先保障后付费，重疾险即将停售速抢",
            "finance.insurance-hype",
        ),
        (
            "新发基金，业绩比较基准4%，欢迎认购",
            "finance.missing-risk-warning",
        ),
        (
            "信用贷款3-30万，利息低，电话咨询",
            "finance.missing-loan-rate",
        ),
    ];
    for (text, rule) in fires {
        let fired = rules_on(&scanner, text);
        assert!(fired.iter().any(|id| id == rule), "{text}: {fired:?}");
    }
    // Compliant promotions and finance news.
    for text in [
        "XX理财（R2中低风险），业绩比较基准2.8%–3.5%（非预期收益）。理财非存款，产品有风险，投资须谨慎。发行机构：XX理财有限责任公司",
        "借款年化利率（单利）7.2%–18%，具体以审批为准。XX消费金融有限公司",
        "央行宣布下调贷款市场报价利率10个基点",
        "一季度公募基金规模突破27万亿元",
        "这家店保本价清仓，全场19元",
        "无抵押信用借款，上门办理，欢迎来电",
    ] {
        let fired = rules_on(&scanner, text);
        assert!(
            !fired.iter().any(|id| id.starts_with("finance.")),
            "{text}: {fired:?}"
        );
    }
}

#[test]
fn claims_fire_and_philosophy_or_tips_pass() {
    let scanner = scanner();
    let fires = [
        (
            "本款面膜是全网最好用的补水面膜",
            "exaggeration.absolute-term",
        ),
        (
            "销量全国第一，行业唯一指定品牌",
            "exaggeration.absolute-term",
        ),
        ("顶级工艺，极致体验", "exaggeration.extreme-term"),
        (
            "喝了这款茶，三个月降血压，无效退款",
            "exaggeration.medical-claim",
        ),
        (
            "喝了这款茶，三个月降血压，无效退款",
            "exaggeration.efficacy-guarantee",
        ),
        (
            "名师押题，考不过全额退款，保你上岸",
            "exaggeration.education-guarantee",
        ),
        (
            "国宴特供品质，XX部门指定用酒",
            "exaggeration.authority-endorsement",
        ),
    ];
    for (text, rule) in fires {
        let fired = rules_on(&scanner, text);
        assert!(fired.iter().any(|id| id == rule), "{text}: {fired:?}");
    }
    for text in [
        "我们一直追求做到更好",
        "本店最近上新了三款面膜",
        "这是我们品牌今年推出的第一款无香型面霜",
        "课程含10套历年真题讲解，学习效果因人而异",
        "已通过SGS检测（报告编号A123）",
        "XX牌维生素C片（保健食品）：补充维生素C。本品不能代替药物。",
    ] {
        assert!(
            scanner.scan(text).verdict < Verdict::Review,
            "{text}: {:?}",
            rules_on(&scanner, text)
        );
    }
}

#[test]
fn urgency_is_only_a_notice() {
    let scanner = scanner();
    let report = scanner.scan("万人疯抢，随时涨价，仅此一次");
    assert_eq!(report.verdict, Verdict::Notice, "{report:?}");
    let report = scanner.scan("活动时间：6月1日10:00–6月3日24:00，限时8折");
    assert_eq!(report.verdict, Verdict::Pass, "{report:?}");
}

#[test]
fn issue_examples() {
    let scanner = scanner();
    let text = "转发本文到朋友圈，即可领取红包";
    let report = scanner.scan(text);
    assert_eq!(report.verdict, Verdict::Block);
    let finding = &report.findings[0];
    assert_eq!(&*finding.category, "induce-share");
    assert_eq!(finding.text, text);
    assert_eq!(&text[finding.span.bytes()], text);

    assert_eq!(scanner.scan("我最近第一次来北京").verdict, Verdict::Pass);

    let spaced = "全 网 最 低 价";
    let report = scanner.scan(spaced);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].text, spaced);
    assert_eq!(report.findings[0].span.char, [0, 9]);
}

#[test]
fn the_same_scanner_serves_many_threads() {
    let scanner = scanner();
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let scanner = scanner.clone();
            std::thread::spawn(move || {
                let text = format!("第{i}期：转发领红包");
                scanner.scan(&text).verdict
            })
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().expect("no panic"), Verdict::Block);
    }
}

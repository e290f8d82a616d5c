//! The scanner: compiled once from rule packs, shared across threads, scans many texts.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Weak};

use crate::error::{Location, PackError};
use crate::finding::Span;
use crate::finding::{Finding, SpanCounter};
use crate::matcher::{Dictionary, DictionaryBuilder, RoleHit, Start, NO_RULE};
use crate::message::{Document, Message, MessageError};
use crate::normalize::{variant_fits, Normalized, Normalizer};
use crate::pack::{Boundary, CategoryDef, RuleDef, RulePack, RuleSource};
use crate::report::{PackRef, Report};
use crate::rules::{CompiledRule, Frequency, RawFinding, RegexRegistry, Registries, ScanContext};
use crate::segment::{BoundaryCache, Segmenter, Words};

/// Builds a [`Scanner`] from rule packs.
#[derive(Debug, Default)]
pub struct ScannerBuilder {
    packs: Vec<RulePack>,
    filed_domains: Option<BTreeSet<String>>,
    packs_validated: bool,
    boundary_dictionary: Option<&'static str>,
}

impl ScannerBuilder {
    /// Adds a pack.
    pub fn pack(mut self, pack: RulePack) -> Self {
        self.packs.push(pack);
        self
    }

    /// Adds several packs.
    pub fn packs(mut self, packs: impl IntoIterator<Item = RulePack>) -> Self {
        self.packs.extend(packs);
        self
    }

    /// Replaces the ICP filing list of the `[links]` policy: links to any other
    /// registrable domain get `external-link.unfiled-domain` ("未备案或备案状态未知").
    /// Entries are normalised like the policy's domain lists. Building fails with
    /// [`PackError::NoLinkPolicy`] when no pack has a `[links]` section.
    ///
    /// ```
    /// use hegui_core::{default_packs, Scanner};
    /// let scanner = Scanner::builder()
    ///     .packs(default_packs())
    ///     .filed_domains(["example.com"])
    ///     .build()
    ///     .unwrap();
    /// let ids = |text| scanner.scan(text).findings.iter().map(|f| f.rule_id.to_string()).collect::<Vec<_>>();
    /// assert!(ids("详见 https://shop.example.com/a").is_empty());
    /// assert_eq!(ids("详见 https://shop.example.net/a"), ["external-link.unfiled-domain"]);
    /// ```
    pub fn filed_domains<S: Into<String>>(mut self, domains: impl IntoIterator<Item = S>) -> Self {
        self.filed_domains
            .get_or_insert_with(BTreeSet::new)
            .extend(domains.into_iter().map(Into::into));
        self
    }

    /// Declares the packs already validated — built without this option before, as the
    /// embedded default packs are by `cargo test` — so that `regex` patterns compile
    /// when a message first needs them instead of during the build. Patterns are still
    /// parsed during the build (syntax errors are errors as always); a pattern over the
    /// compiled-size limit, which only a full compile finds, would then never match
    /// instead of failing the build. Compiling is most of the regex work of a build:
    /// this shortens the time to the first verdict, which matters in WebAssembly.
    ///
    /// ```
    /// use hegui_core::{default_packs, Scanner};
    /// let scanner = Scanner::builder()
    ///     .packs(default_packs())
    ///     .packs_validated(true)
    ///     .build()
    ///     .unwrap();
    /// // A `regex` rule: its pattern compiles now, at its first use.
    /// let report = scanner.scan("集满30个赞送礼品");
    /// assert_eq!(report.findings[0].rule_id.to_string(), "induce-share.like-collection");
    /// ```
    pub fn packs_validated(mut self, validated: bool) -> Self {
        self.packs_validated = validated;
        self
    }

    /// Decides word boundaries with `dict` instead of the dictionary this build embeds:
    /// jieba's dictionary reduced to the words boundary decisions need, in the format of
    /// `crates/hegui-core/data/boundary-dict.txt` (`#` lines at the top, among them
    /// `# total N`, the frequency of all words, kept or left out; then `word frequency`
    /// lines sorted by word), segmented as jieba does without its HMM. The WebAssembly
    /// package loads it beside its module instead of embedding it. Every line is
    /// checked: one that does not read, or a word out of order, fails the build with
    /// [`PackError::Invalid`] at that line of `boundary dictionary`.
    ///
    /// ```
    /// use hegui_core::{default_packs, Scanner};
    /// let dict = "# total 60000000\n第一次 20000\n";
    /// let scanner = Scanner::builder().packs(default_packs()).boundary_dictionary(dict).build().unwrap();
    /// // 第一 inside the word 第一次 is not an absolute claim.
    /// assert!(scanner.scan("我第一次来北京").findings.is_empty());
    /// let bad = Scanner::builder().packs(default_packs()).boundary_dictionary("第一 x\n").build();
    /// assert_eq!(bad.unwrap_err().to_string(), "boundary dictionary:1:1: `x`: invalid digit found in string");
    /// ```
    pub fn boundary_dictionary(mut self, dict: &'static str) -> Self {
        self.boundary_dictionary = Some(dict);
        self
    }

    /// Compiles the packs: one dictionary, one regex set, jieba's dictionary only if a
    /// rule needs word boundaries.
    ///
    /// jieba's dictionary loads on a second thread while the rules compile (it is the
    /// larger half of the build time); where threads are unavailable (WebAssembly) it
    /// loads on this one.
    pub fn build(self) -> Result<Scanner, PackError> {
        if self.packs.is_empty() {
            return Err(PackError::NoPacks);
        }
        let needs_words = self
            .packs
            .iter()
            .flat_map(|p| p.def().rules.iter())
            .any(|def| def.boundary() == Boundary::Word);
        let dict = self.boundary_dictionary;
        let load = move || crate::segment::base_words(dict);
        std::thread::scope(|scope| {
            let loading = needs_words.then(|| {
                std::thread::Builder::new()
                    .name("hegui-jieba".into())
                    .spawn_scoped(scope, load)
                    .ok()
            });
            let compiled = self.compile()?;
            // jieba's dictionary is waited for last: the link checker and the channel
            // profiles are built while it loads.
            self.finish(compiled, || {
                let Some(loading) = loading else {
                    return Ok(None);
                };
                let base = match loading.map(|handle| handle.join()) {
                    Some(Ok(base)) => base,
                    Some(Err(panic)) => std::panic::resume_unwind(panic),
                    None => load(),
                };
                base.map(Some)
                    .map_err(|(line, message)| PackError::Invalid {
                        location: Location {
                            path: Arc::from("boundary dictionary"),
                            line,
                            column: 1,
                        },
                        message,
                    })
            })
        })
    }

    /// Compiles every rule of every pack.
    fn compile(&self) -> Result<Compiled, PackError> {
        let normalizer = Normalizer::for_packs(&self.packs);
        let mut dictionary = DictionaryBuilder::default();
        let mut regexes = if self.packs_validated {
            RegexRegistry::deferred()
        } else {
            RegexRegistry::default()
        };
        let mut rules = Vec::new();
        let mut compiled = Vec::new();
        let mut ids: HashMap<String, Location> = HashMap::new();
        for pack in &self.packs {
            let categories = &pack.def().categories;
            for (index, def) in pack.def().rules.iter().enumerate() {
                let location = pack.rule_location(index);
                if let Some(first) = ids.insert(def.id.clone(), location.clone()) {
                    return Err(pack.rule_error(
                        index,
                        None,
                        format!("duplicate rule id (first defined at {first})"),
                    ));
                }
                let mut registries = Registries {
                    dictionary: &mut dictionary,
                    regexes: &mut regexes,
                    normalizer: &normalizer,
                };
                compiled.push(CompiledRule::compile(
                    pack,
                    index,
                    rules.len(),
                    &mut registries,
                )?);
                rules.push(Rule::new(pack, index, location, categories));
            }
        }
        regexes.finish().map_err(|m| self.no_location(m))?;
        dictionary.add_variant_keys(normalizer.variant_keys());
        Ok(Compiled {
            normalizer,
            dictionary,
            regexes,
            rules,
            compiled,
        })
    }

    /// An error about the packs as a whole, placed at the first pack.
    fn no_location(&self, message: String) -> PackError {
        PackError::Invalid {
            location: Location::at(&Arc::from(self.packs[0].path()), "", 0),
            message,
        }
    }

    /// Builds the link checker and the channel profiles, then, with the boundary
    /// dictionary's words (`base_words`, waited for here: `None` when no rule needs
    /// word boundaries), the literal dictionary and the segmenter. The words'
    /// frequencies tell which anchor sets of the regex rules the literal dictionary
    /// searches (see `rules::anchors`).
    fn finish(
        &self,
        compiled: Compiled,
        base_words: impl FnOnce() -> Result<Option<Words>, PackError>,
    ) -> Result<Scanner, PackError> {
        let Compiled {
            normalizer,
            mut dictionary,
            mut regexes,
            rules,
            compiled,
        } = compiled;
        let links = crate::links::LinkRules::from_packs(&self.packs, self.filed_domains.as_ref())?;
        let channels = crate::channel::compile_all(&self.packs, self.packs_validated)?;
        let channel_locations = self
            .packs
            .iter()
            .flat_map(|p| {
                p.def().channels.values().flat_map(move |c| {
                    c.require
                        .iter()
                        .chain(&c.forbid)
                        .map(move |check| (check.id.clone(), p.locate(&check.id)))
                })
            })
            .collect();
        let packs: Vec<PackInfo> = self.packs.iter().map(PackInfo::new).collect();
        let base_words = base_words()?;
        let frequency = base_words
            .as_ref()
            .map(|words| move |word: &str| words.freq(word));
        regexes.place_anchors(&mut dictionary, frequency.as_ref().map(|f| f as Frequency));
        // Texts are scanned in the scan form, which keeps plain full-width punctuation,
        // unless a literal or a negation cue holds its ASCII character (the patterns
        // match both alike).
        let keeps_punctuation = dictionary.allows_kept_punctuation()
            && !compiled.iter().any(CompiledRule::compares_kept_punctuation);
        let normalizer = normalizer.with_scan_form(keeps_punctuation);
        let (dictionary, words) = dictionary
            .build(keeps_punctuation)
            .map_err(|m| self.no_location(m))?;
        let segmenter =
            base_words.map(|base| Segmenter::with_base(base, words.iter().map(String::as_str)));
        let pack_refs = packs.iter().map(pack_ref).collect();
        Ok(Scanner {
            inner: Arc::new(Inner {
                packs,
                pack_refs,
                rules,
                compiled,
                normalizer,
                dictionary,
                regexes,
                segmenter,
                links,
                channels,
                channel_locations,
            }),
        })
    }
}

/// The reports' reference to a pack.
fn pack_ref(pack: &PackInfo) -> PackRef {
    PackRef {
        id: Arc::clone(&pack.id),
        version: Arc::clone(&pack.version),
    }
}

/// A rule as loaded, with what findings need.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The rule as written in its pack.
    pub def: RuleDef,
    /// Id of the pack it comes from.
    pub pack: Arc<str>,
    /// Where its id is written.
    pub location: Location,
    /// Its category as declared by the pack.
    pub category: CategoryDef,
    /// Its pack's source, to locate its examples when asked.
    source: RuleSource,
    id: Arc<str>,
    category_id: Arc<str>,
    message: Arc<str>,
    suggestion: Option<Arc<str>>,
    basis: Arc<str>,
}

impl Rule {
    fn new(
        pack: &RulePack,
        index: usize,
        location: Location,
        categories: &BTreeMap<String, CategoryDef>,
    ) -> Rule {
        let def = &pack.def().rules[index];
        let category = categories
            .get(def.category())
            .cloned()
            .unwrap_or(CategoryDef {
                name: String::new(),
                consequence: String::new(),
            });
        Rule {
            def: def.clone(),
            pack: Arc::from(pack.def().id.as_str()),
            location,
            category,
            source: pack.rule_source(index),
            id: Arc::from(def.id.as_str()),
            category_id: Arc::from(def.category()),
            message: Arc::from(def.message.as_str()),
            suggestion: def.suggestion.as_deref().map(Arc::from),
            basis: Arc::from(def.basis.as_str()),
        }
    }

    /// The rule id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Where each `fires` example is written, found in the pack's source when asked
    /// (a scanner's build does not search for them).
    ///
    /// ```
    /// let scanner = hegui_core::Scanner::with_default_packs();
    /// let rule = &scanner.rules()[0];
    /// assert_eq!(rule.fires_at().len(), rule.def.fires.len());
    /// assert!(rule.fires_at()[0].line > rule.location.line);
    /// ```
    pub fn fires_at(&self) -> Vec<Location> {
        self.locate(&self.def.fires)
    }

    /// Where each `passes` example is written, found when asked (see
    /// [`fires_at`](Self::fires_at)).
    pub fn passes_at(&self) -> Vec<Location> {
        self.locate(&self.def.passes)
    }

    fn locate(&self, examples: &[String]) -> Vec<Location> {
        examples
            .iter()
            .map(|text| self.source.value_location(text))
            .collect()
    }
}

/// A pack that a scanner was built from.
#[derive(Debug, Clone)]
pub struct PackInfo {
    /// Pack id.
    pub id: Arc<str>,
    /// Pack version.
    pub version: Arc<str>,
    /// Pack title.
    pub title: String,
    /// Path the pack was loaded from.
    pub path: String,
    /// Number of rules.
    pub rules: usize,
    /// Categories the pack declares.
    pub categories: BTreeMap<String, CategoryDef>,
}

impl PackInfo {
    fn new(pack: &RulePack) -> PackInfo {
        let def = pack.def();
        PackInfo {
            id: Arc::from(def.id.as_str()),
            version: Arc::from(def.version.as_str()),
            title: def.title.clone(),
            path: pack.path().to_string(),
            rules: def.rules.len(),
            categories: def.categories.clone(),
        }
    }
}

/// A compiled set of rule packs. Cheap to clone (one `Arc`), `Send + Sync`.
///
/// ```
/// use hegui_core::{Scanner, Severity};
/// let scanner = Scanner::with_default_packs();
/// let text = "转发本文到朋友圈，即可领取红包";
/// let report = scanner.scan(text);
/// let finding = &report.findings[0];
/// assert_eq!(&*finding.category, "induce-share");
/// assert_eq!(finding.severity, Severity::Block);
/// assert_eq!(&text[finding.span.bytes()], finding.text);
/// ```
#[derive(Debug, Clone)]
pub struct Scanner {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    packs: Vec<PackInfo>,
    /// The packs as every report names them.
    pack_refs: Arc<[PackRef]>,
    rules: Vec<Rule>,
    compiled: Vec<CompiledRule>,
    normalizer: Normalizer,
    dictionary: Option<Dictionary>,
    regexes: RegexRegistry,
    segmenter: Option<Segmenter>,
    links: Option<crate::links::LinkRules>,
    channels: BTreeMap<String, crate::channel::Channel>,
    channel_locations: HashMap<String, Location>,
}

impl Scanner {
    /// Starts building a scanner.
    pub fn builder() -> ScannerBuilder {
        ScannerBuilder::default()
    }

    /// A scanner with the default packs of `rulesets/`, embedded in the library
    /// ([validated](ScannerBuilder::packs_validated): `cargo test` compiles them).
    pub fn with_default_packs() -> Scanner {
        Scanner::builder()
            .packs(crate::defaults::default_packs())
            .packs_validated(true)
            .build()
            .expect("the default packs compile; `cargo test` checks them")
    }

    /// The packs this scanner was built from.
    pub fn packs(&self) -> &[PackInfo] {
        &self.inner.packs
    }

    /// All rules, in pack order.
    pub fn rules(&self) -> &[Rule] {
        &self.inner.rules
    }

    /// The `[links]` policy in force, if a pack has one (with `filed_domains` applied).
    pub fn link_policy(&self) -> Option<&hegui_url::Policy> {
        self.inner.links.as_ref().map(|l| l.policy())
    }

    /// How a link flagged by the `external-link` check `rule_id` should be rewritten
    /// (the `suggestion` of its findings), in Chinese.
    pub fn link_suggestion(rule_id: &str) -> &'static str {
        crate::links::LinkRules::suggestion(rule_id)
    }

    /// The normaliser, with the packs' variants.
    pub fn normalizer(&self) -> &Normalizer {
        &self.inner.normalizer
    }

    /// Whether a regex pattern of the packs has no anchors (and so runs on every text).
    #[cfg(test)]
    pub(crate) fn has_unanchored_patterns(&self) -> bool {
        self.inner.regexes.has_unanchored()
    }

    /// Scans one message. Never panics; findings are sorted by start.
    pub fn scan(&self, text: &str) -> Report {
        let inner = &*self.inner;
        // Offsets are kept as u32; longer texts are scanned on their first 4 GiB.
        let text = clamp(text);
        let Matched {
            found,
            link_inert,
            packs,
        } = self.normalize_and_match(text);
        // Most messages have no finding: nothing to sort, map or count.
        let mut findings = match found {
            Some(Found { normalized, raw }) => self.findings(text, &normalized, raw),
            None => Vec::new(),
        };
        if let Some(links) = &inner.links {
            // A text of link-inert characters has no link (most Chinese prose is one).
            debug_assert!(
                !link_inert || hegui_url::extract(text).is_empty(),
                "{text:?}"
            );
            if !link_inert {
                links.scan(text, &mut findings);
            }
        }
        Report::new(findings, packs)
    }

    /// The findings of `raw` (in `normalized` coordinates) in `text`.
    fn findings(
        &self,
        text: &str,
        normalized: &Normalized,
        mut raw: Vec<RawFinding>,
    ) -> Vec<Finding> {
        let inner = &*self.inner;
        let mut counter = SpanCounter::new(text);
        // In source order, so the span counter walks the text once.
        raw.sort_by_key(|r| (normalized.source_range(r.range.clone()).start, r.rule));
        raw.into_iter()
            .map(|r| {
                let rule = &inner.rules[r.rule];
                let source = normalized.source_range(r.range.clone());
                Finding {
                    rule_id: Arc::clone(&rule.id),
                    category: Arc::clone(&rule.category_id),
                    severity: rule.def.severity,
                    message: Arc::clone(&rule.message),
                    suggestion: rule.suggestion.clone(),
                    basis: Arc::clone(&rule.basis),
                    text: text[source.clone()].to_string(),
                    span: counter.span(source),
                    normalized: normalized.steps(r.range).to_vec(),
                    field: None,
                }
            })
            .collect()
    }

    /// The channels the packs define profiles for (`sms`, `wechat_mass`, …).
    pub fn channels(&self) -> impl Iterator<Item = &str> {
        self.inner.channels.keys().map(String::as_str)
    }

    /// The compiled channel profiles, by name.
    pub(crate) fn channel_checks(&self) -> impl Iterator<Item = (&str, &crate::channel::Channel)> {
        self.inner.channels.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Where a channel check is defined.
    pub(crate) fn channel_check_location(&self, id: &str) -> Location {
        self.inner
            .channel_locations
            .get(id)
            .cloned()
            .unwrap_or_else(|| Location::at(&Arc::from("<channels>"), "", 0))
    }

    fn channel(
        &self,
        name: Option<&str>,
    ) -> Result<Option<&crate::channel::Channel>, MessageError> {
        let Some(name) = name else { return Ok(None) };
        match self.inner.channels.get(name) {
            Some(channel) => Ok(Some(channel)),
            // A standard channel without a profile in these packs: nothing to apply.
            None if crate::message::CHANNELS.contains(&name) => Ok(None),
            None => Err(MessageError::UnknownChannel {
                channel: name.to_owned(),
                known: self.channels().collect::<Vec<_>>().join(", "),
            }),
        }
    }

    /// Scans one message sent on `channel`: the channel profile's severities apply
    /// and its required / forbidden elements are checked. `None` is [`scan`](Self::scan).
    ///
    /// ```
    /// let scanner = hegui_core::Scanner::with_default_packs();
    /// let report = scanner.scan_in("双11全场5折，点击领券", Some("sms")).unwrap();
    /// let ids: Vec<&str> = report.findings.iter().map(|f| &*f.rule_id).collect();
    /// assert!(ids.contains(&"channel.sms-signature") && ids.contains(&"channel.sms-opt-out"));
    /// assert!(scanner.scan_in("你好", Some("fax")).is_err());
    /// ```
    pub fn scan_in(&self, text: &str, channel: Option<&str>) -> Result<Report, MessageError> {
        let channel = self.channel(channel)?;
        let report = self.scan(text);
        let Some(channel) = channel else {
            return Ok(report);
        };
        let Report {
            mut findings,
            packs,
            ..
        } = report;
        channel.apply(clamp(text), None, &mut findings);
        Ok(Report::new(findings, packs))
    }

    /// Scans a structured message: every field (title, digest, text, the HTML body's
    /// visible text and its links, url, path) on the message's channel. Findings name
    /// their `field`; spans are relative to that field (into the HTML source for `html`).
    /// Rules see the fields together (a risk warning in the text covers a product named
    /// in the title), but no rule matches across two fields.
    pub fn scan_message(&self, message: &Message) -> Result<Report, MessageError> {
        let channel = self.channel(message.channel.as_deref())?;
        let document = Document::of(message)?;
        let Report {
            findings, packs, ..
        } = self.scan(&document.text);
        let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
        let fields: BTreeMap<&str, Arc<str>> = document
            .segments
            .iter()
            .map(|s| (s.field, Arc::from(s.field)))
            .collect();
        for mut finding in findings {
            let [start, end] = finding.span.byte;
            let Some((field, range)) = document.locate(start..end) else {
                continue;
            };
            let Some(source) = message.field(field) else {
                continue;
            };
            if range.end > source.len()
                || !source.is_char_boundary(range.start)
                || !source.is_char_boundary(range.end)
            {
                continue;
            }
            finding.text = source[range.clone()].to_string();
            finding.span = Span::of(source, range);
            finding.field = fields.get(field).cloned();
            out.push(finding);
        }
        // The same link can be both in the HTML text and in an href: report it once.
        out.sort_by(|a, b| {
            (a.field.as_deref(), a.span.byte, &*a.rule_id).cmp(&(
                b.field.as_deref(),
                b.span.byte,
                &*b.rule_id,
            ))
        });
        out.dedup_by(|a, b| {
            a.field == b.field && a.span.byte == b.span.byte && a.rule_id == b.rule_id
        });
        if let Some(channel) = channel {
            let body = ["text", "html", "digest", "title"]
                .into_iter()
                .find_map(|f| match f {
                    "html" => message.html.as_deref().map(|_| f),
                    _ => message.field(f).map(|_| f),
                });
            let mut rest = Vec::new();
            // Severities apply to every finding; required elements are looked for in the
            // message body (the text, else the article's visible text…).
            if let Some(body) = body {
                let text = if body == "html" {
                    document
                        .segments
                        .iter()
                        .find(|s| s.field == "html")
                        .map(|s| document.text[s.range.clone()].to_string())
                        .unwrap_or_default()
                } else {
                    message.field(body).unwrap_or_default().to_owned()
                };
                channel.check_elements(&text, fields.get(body), &mut rest);
                if body == "html" {
                    // Found in the extracted text: point into the HTML source.
                    let source = message.html.as_deref().unwrap_or_default();
                    for f in &mut rest {
                        let [start, end] = f.span.byte;
                        let start = document.text.len().min(start);
                        let segment = document.segments.iter().find(|s| s.field == "html");
                        if let Some(segment) = segment {
                            let at = segment.range.start;
                            if let Some((_, range)) = document.locate(at + start..at + end) {
                                f.text = source.get(range.clone()).unwrap_or_default().to_owned();
                                f.span = Span::of(source, range);
                            }
                        }
                    }
                }
            }
            channel.apply_severities(&mut out);
            out.extend(rest);
        }
        Ok(Report::new(out, packs))
    }

    /// The links in `text`, each with its host, registrable domain and the findings
    /// of the `[links]` checks (the same findings [`scan`](Self::scan) reports).
    /// Empty when no pack has a `[links]` section.
    ///
    /// ```
    /// let scanner = hegui_core::Scanner::with_default_packs();
    /// let links = scanner.links("戳 http://t.cn/RZwjG7U（分享自微博）");
    /// assert_eq!(links[0].url, "http://t.cn/RZwjG7U");
    /// assert_eq!(links[0].registrable_domain.as_deref(), Some("t.cn"));
    /// assert!(links[0].findings.iter().any(|f| &*f.rule_id == "external-link.shortener"));
    /// ```
    pub fn links(&self, text: &str) -> Vec<crate::links::CheckedLink> {
        let text = clamp(text);
        match &self.inner.links {
            Some(links) => links.links(text),
            None => Vec::new(),
        }
    }

    /// Normalises `text` and finds the rules' matches in it (normalised coordinates).
    ///
    /// The fold pass gives the dictionary's start filter each character as it produces
    /// it, so the folded text is not read again to find where literals may start. The
    /// dictionary also holds the variant table's keys, so the folded text is searched
    /// once; only when a variant occurs is the table applied and the result searched
    /// again. Most texts have none, and skip a pass.
    ///
    /// The normalised text (with its offset map) comes back only when there are raw
    /// findings to map back to the original.
    fn normalize_and_match(&self, text: &str) -> Matched {
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => {
                let result = self.normalize_and_match_in(text, &mut scratch);
                scratch.trim();
                result
            }
            // Not reached (a scan calls no scan), but a fresh buffer would do.
            Err(_) => self.normalize_and_match_in(text, &mut Scratch::default()),
        })
    }

    /// [`normalize_and_match`](Self::normalize_and_match) with the buffers of `scratch`.
    fn normalize_and_match_in(&self, text: &str, scratch: &mut Scratch) -> Matched {
        let inner = &*self.inner;
        // The rules run on the folded text alone; the offset map, which only findings
        // need, is built in a second pass for the few messages that have any.
        let packs = ThreadPacks::get(&mut scratch.packs, &inner.pack_refs);
        let Scratch {
            folded,
            starts,
            hits,
            candidates,
            ..
        } = scratch;
        hits.clear();
        let link_inert = match &inner.dictionary {
            // The fold tells the dictionary's start filter each character it produces.
            Some(dictionary) => {
                let mut link_inert = false;
                dictionary.collect_starts(starts, |collector| {
                    link_inert = inner.normalizer.fold_text_observed(text, folded, collector);
                });
                dictionary.find_at(folded, starts, hits);
                link_inert
            }
            None => inner.normalizer.fold_text_observed(text, folded, &mut ()),
        };
        Matched {
            found: self.match_folded(text, folded, hits, candidates),
            link_inert,
            packs,
        }
    }

    /// The rules on the `folded` text and its dictionary `hits` (the rules' hits, then
    /// the variant keys'): on the fully normalised text instead when a variant applies.
    /// The findings come back with the normalised text to map them back through.
    fn match_folded(
        &self,
        text: &str,
        folded: &str,
        hits: &mut Vec<RoleHit>,
        candidates: &mut Vec<usize>,
    ) -> Option<Found> {
        let inner = &*self.inner;
        let variants = rule_hits(hits);
        let variant_applies = hits[variants..]
            .iter()
            .any(|h| variant_fits(folded, h.start as usize, h.end as usize));
        // Variant keys are literals of the dictionary: there is one when a variant applies.
        if let (true, Some(dictionary)) = (variant_applies, &inner.dictionary) {
            let normalized = inner.normalizer.normalize_scan(text);
            hits.clear();
            dictionary.find(normalized.as_str(), hits);
            hits.truncate(rule_hits(hits));
            let raw = self.raw_findings(normalized.as_str(), hits, candidates);
            return Found::of(normalized, raw);
        }
        hits.truncate(variants);
        // Without a hit that can fire, only a pattern without anchors could, and the
        // default packs have none: 87 % of the corpus's messages skip the rules' setup
        // here (17 % of the instructions of a two-character message's scan). They
        // have no hit, or only hits that cannot fire on their own (`Role::can_fire`).
        let raw = if !hits.iter().any(|h| h.role.can_fire()) && !inner.regexes.has_unanchored() {
            Vec::new()
        } else {
            self.raw_findings(folded, hits, candidates)
        };
        if raw.is_empty() {
            // Debug builds (tests, fuzzing) check every message against the full fold.
            debug_assert_eq!(inner.normalizer.fold(text).as_str(), folded);
            return None;
        }
        // The findings' offsets are mapped back through a fold that stops after the
        // last of them ends.
        let past = raw.iter().map(|r| r.range.end).max().unwrap_or_default();
        let normalized = inner.normalizer.fold_past(text, past);
        debug_assert!(
            folded.starts_with(normalized.as_str()) && normalized.as_str().len() > past
                || normalized.as_str() == folded,
            "{text:?}"
        );
        Found::of(normalized, raw)
    }

    /// Findings in normalised coordinates, from the dictionary hits of the rules
    /// (`candidates`: a buffer for the rules to evaluate).
    fn raw_findings(
        &self,
        text: &str,
        hits: &[RoleHit],
        candidates: &mut Vec<usize>,
    ) -> Vec<RawFinding> {
        let inner = &*self.inner;
        candidates.clear();
        candidates.extend(hits.iter().map(|h| h.rule as usize));
        inner.regexes.matching_rules(text, candidates);
        candidates.sort_unstable();
        candidates.dedup();
        let mut ctx = ScanContext {
            text,
            segmenter: inner.segmenter.as_ref(),
            cache: BoundaryCache::default(),
        };
        let mut out = Vec::new();
        for &rule in candidates.iter() {
            let first = hits.partition_point(|h| (h.rule as usize) < rule);
            let last = hits.partition_point(|h| (h.rule as usize) <= rule);
            inner.compiled[rule].evaluate(
                rule,
                &mut ctx,
                &hits[first..last],
                &inner.regexes,
                &mut out,
            );
        }
        out
    }
}

/// Buffers a scan reuses from one message to the next on the same thread, so that a
/// message without findings allocates nothing but its report.
#[derive(Debug, Default)]
struct Scratch {
    /// The folded text.
    folded: String,
    /// Where literals may start in it.
    starts: Vec<Start>,
    /// The dictionary's hits.
    hits: Vec<RoleHit>,
    /// The rules to evaluate.
    candidates: Vec<usize>,
    /// This thread's copy of the pack list of the scanner it last used.
    packs: Option<ThreadPacks>,
}

impl Scratch {
    /// Buffers shrink back to this many bytes after a scan, not kept at their largest
    /// for the thread's life (a 20 KB article stays well under it).
    const KEEP_BYTES: usize = 1 << 20;

    fn trim(&mut self) {
        self.folded.shrink_to(Self::KEEP_BYTES);
        self.starts
            .shrink_to(Self::KEEP_BYTES / std::mem::size_of::<Start>());
        self.hits
            .shrink_to(Self::KEEP_BYTES / std::mem::size_of::<RoleHit>());
        self.candidates
            .shrink_to(Self::KEEP_BYTES / std::mem::size_of::<usize>());
    }
}

/// A thread's copy of a scanner's pack list, for its reports. Every report holds its
/// packs: when two threads scan with one scanner, a reference count that both wrote at
/// every message would move between their cores' caches twice a scan. The copy is made
/// once per thread and scanner; a thread that alternates scanners makes one at each
/// change.
#[derive(Debug)]
struct ThreadPacks {
    /// The list copied, held weakly: its allocation stays, so no other list can take
    /// its address while the copy is in use.
    of: Weak<[PackRef]>,
    /// The copy.
    copy: Arc<[PackRef]>,
}

impl ThreadPacks {
    /// A list equal to `shared` whose reference count only this thread writes: the
    /// copy in `slot`, made there first if it is not one of `shared`.
    fn get(slot: &mut Option<ThreadPacks>, shared: &Arc<[PackRef]>) -> Arc<[PackRef]> {
        match slot {
            Some(packs) if std::ptr::addr_eq(packs.of.as_ptr(), Arc::as_ptr(shared)) => {
                Arc::clone(&packs.copy)
            }
            _ => {
                let copy: Arc<[PackRef]> = Arc::from(&shared[..]);
                *slot = Some(ThreadPacks {
                    of: Arc::downgrade(shared),
                    copy: Arc::clone(&copy),
                });
                copy
            }
        }
    }
}

thread_local! {
    /// This thread's scan buffers.
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// What the fold and the rules found in a text, before the links are checked.
struct Matched {
    /// The rules' findings, if any (most texts have none).
    found: Option<Found>,
    /// The text is made of link-inert characters only: its link checks can be skipped.
    link_inert: bool,
    /// The packs, for the report (see [`ThreadPacks`]).
    packs: Arc<[PackRef]>,
}

/// Findings in normalised coordinates, at least one, with the normalised text whose
/// offset map takes them back to the original.
#[derive(Debug)]
struct Found {
    normalized: Normalized,
    raw: Vec<RawFinding>,
}

impl Found {
    /// `raw` with `normalized`, if there are any.
    fn of(normalized: Normalized, raw: Vec<RawFinding>) -> Option<Found> {
        (!raw.is_empty()).then_some(Found { normalized, raw })
    }
}

/// The compiled rules, before the literal dictionary is built.
struct Compiled {
    normalizer: Normalizer,
    dictionary: DictionaryBuilder,
    regexes: RegexRegistry,
    rules: Vec<Rule>,
    compiled: Vec<CompiledRule>,
}

/// How many of `hits` (sorted by rule) belong to rules: the variant keys' hits, which
/// belong to none ([`NO_RULE`]), sort after them.
fn rule_hits(hits: &[RoleHit]) -> usize {
    hits.partition_point(|h| h.rule != NO_RULE)
}

/// The longest prefix of `text` (on a char boundary) whose offsets fit in `u32`.
fn clamp(text: &str) -> &str {
    const MAX: usize = u32::MAX as usize - 8;
    if text.len() <= MAX {
        return text;
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The dictionary's word literals for `packs`, in the order the scanner adds them to
/// the segmenter.
#[cfg(test)]
pub(crate) fn literal_words(packs: &[RulePack]) -> Vec<String> {
    let builder = ScannerBuilder::default().packs(packs.iter().cloned());
    let compiled = builder.compile().expect("the packs compile");
    let (_, words) = compiled
        .dictionary
        .build(false)
        .expect("the dictionary builds");
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanner_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Scanner>();
        assert_send_sync::<Report>();
        assert_send_sync::<RulePack>();
        assert_send_sync::<PackError>();
    }

    #[test]
    fn default_packs_build_and_report_their_packs() {
        let scanner = Scanner::with_default_packs();
        assert!(!scanner.packs().is_empty());
        assert!(scanner.rules().len() >= 4);
        let report = scanner.scan("");
        assert_eq!(report.packs.len(), scanner.packs().len());
    }

    /// `with_default_packs` compiles regexes at first use on the promise that every
    /// default pattern compiles: this keeps the promise, and the deferred scanner
    /// finds exactly what the eager one finds.
    #[test]
    fn default_packs_compile_eagerly_and_deferred_scans_agree() {
        let eager = Scanner::builder()
            .packs(crate::defaults::default_packs())
            .build()
            .expect("every default pattern compiles");
        let deferred = Scanner::with_default_packs();
        let texts = crate::testing::default_example_texts();
        assert!(texts.len() > 100);
        for text in &texts {
            assert_eq!(eager.scan(text), deferred.scan(text), "{text:?}");
        }
        // Channel profiles' patterns are deferred too.
        let mut channel_texts = texts.clone();
        for pack in crate::defaults::default_packs() {
            for def in pack.def().channels.values() {
                for check in def.require.iter().chain(&def.forbid) {
                    channel_texts.extend(check.fires.iter().chain(&check.passes).cloned());
                }
            }
        }
        let mut with_channel_findings = 0;
        for channel in crate::CHANNELS {
            for text in &channel_texts {
                let report = eager
                    .scan_in(text, Some(channel))
                    .expect("a standard channel");
                let deferred_report = deferred.scan_in(text, Some(channel)).expect("standard");
                assert_eq!(report, deferred_report, "{channel}: {text:?}");
                with_channel_findings += usize::from(
                    report
                        .findings
                        .iter()
                        .any(|f| f.rule_id.starts_with("channel.")),
                );
            }
        }
        assert!(with_channel_findings > 10, "{with_channel_findings}");
    }

    /// Reports name the packs of the scanner that made them, through each thread's
    /// own copy of the list: one copy per thread and scanner, made again when the
    /// thread changes scanners, and never another scanner's, even when a new scanner's
    /// list could take a dropped one's place in memory.
    #[test]
    fn reports_name_their_scanners_packs_from_a_copy_per_thread() {
        let ids = |packs: &[PackRef]| -> Vec<String> {
            packs
                .iter()
                .map(|p| format!("{}@{}", p.id, p.version))
                .collect()
        };
        let own = |scanner: &Scanner| -> Vec<String> {
            let packs: Vec<PackRef> = scanner.packs().iter().map(pack_ref).collect();
            ids(&packs)
        };
        let defaults = Scanner::with_default_packs();
        let first = defaults.scan("转发领红包");
        let second = defaults.scan("你好");
        assert_eq!(ids(&first.packs), own(&defaults));
        assert!(Arc::ptr_eq(&first.packs, &second.packs));
        assert!(!Arc::ptr_eq(&first.packs, &defaults.inner.pack_refs));
        let elsewhere = std::thread::scope(|s| s.spawn(|| defaults.scan("你好")).join());
        let elsewhere = elsewhere.expect("the scan does not panic");
        assert_eq!(elsewhere.packs, first.packs);
        assert!(!Arc::ptr_eq(&elsewhere.packs, &first.packs));
        for round in 0..20 {
            // A scanner of one test pack, dropped each round: the next one's list may
            // be allocated where this one's was.
            let test = Scanner::builder()
                .pack(crate::testing::test_pack("").expect("an empty test pack"))
                .build()
                .expect("builds");
            assert_eq!(ids(&test.scan("你好").packs), vec!["test@0"], "{round}");
            assert_eq!(ids(&defaults.scan("你好").packs), own(&defaults), "{round}");
        }
    }

    /// Texts are scanned in the scan form, which keeps plain full-width punctuation,
    /// unless a literal holds the ASCII character of kept punctuation (a regex's anchors
    /// leave it out); either way a term with punctuation is found in both widths, and a
    /// pattern's punctuation matches both.
    #[test]
    fn full_width_punctuation_is_kept_unless_a_literal_holds_its_ascii() {
        assert!(Scanner::with_default_packs()
            .inner
            .normalizer
            .scan_keeps_punctuation());
        let rule = |id: &str, body: &str| {
            format!(
                "[[rule]]\nid = 'exaggeration.{id}'\nseverity = 'review'\n\
                 message = 'm'\nbasis = 'b'\nnegation = []\n{body}\n"
            )
        };
        let term = rule("term", "kind = 'terms'\nterms = ['好，的']");
        // Anchored by `不转`; `最好[!,]` by `最好` (not `最好!`, `最好,`).
        let pattern = rule("pattern", "kind = 'regex'\npatterns = ['不转.{0,2}[!,]']");
        let anchor = rule("anchor", "kind = 'regex'\npatterns = ['最好[!,]']");
        let kept = crate::testing::scanner_with(&pattern);
        let with_term = crate::testing::scanner_with(&format!("{pattern}{term}"));
        let with_anchor = crate::testing::scanner_with(&format!("{pattern}{anchor}"));
        assert!(kept.inner.normalizer.scan_keeps_punctuation());
        assert!(!with_term.inner.normalizer.scan_keeps_punctuation());
        assert!(with_anchor.inner.normalizer.scan_keeps_punctuation());
        let found = |scanner: &Scanner, text: &str| crate::testing::flagged_texts(scanner, text);
        for scanner in [&kept, &with_term, &with_anchor] {
            assert_eq!(found(scanner, "不转，还是"), ["不转，"]);
            assert_eq!(found(scanner, "不转a! 还是"), ["不转a!"]);
            assert!(found(scanner, "不转。还是").is_empty());
            assert!(found(scanner, "不转；还是").is_empty());
        }
        assert_eq!(found(&with_term, "挺好，的呀"), ["好，的"]);
        assert_eq!(found(&with_term, "挺好,的呀"), ["好,的"]);
        assert_eq!(found(&with_anchor, "最好，的"), ["最好，"]);
        assert_eq!(found(&with_anchor, "最好!的"), ["最好!"]);
        // A negation cue is compared byte for byte too.
        let cue = rule(
            "cue",
            "kind = 'terms'\nterms = ['最佳']\nnegation = ['（非']",
        )
        .replace("negation = []\n", "");
        let with_cue = crate::testing::scanner_with(&format!("{pattern}{cue}"));
        assert!(!with_cue.inner.normalizer.scan_keeps_punctuation());
        assert!(found(&with_cue, "（非最佳）").is_empty());
        assert!(found(&with_cue, "(非最佳)").is_empty());
        assert_eq!(found(&with_cue, "非常最佳"), ["最佳"]);
    }

    #[test]
    fn regex_anchors_are_placed_by_word_frequency() {
        // `(建议|提示|可以|…)[^。]{0,12}(买入|买进|加仓|…)`: the dictionary searches the
        // rare buy words; the common advice words (`可以` occurs 12,213 times in the
        // corpus) are only checked where a buy word is.
        let scanner = Scanner::with_default_packs();
        let rule = scanner
            .rules()
            .iter()
            .position(|r| r.id() == "finance.stock-tip")
            .expect("a default rule");
        let checks = scanner.inner.regexes.checks_of(rule);
        let advice = checks
            .iter()
            .flatten()
            .find(|set| set.iter().any(|l| l == "可以"))
            .unwrap_or_else(|| panic!("可以 is checked: {checks:?}"));
        assert!(advice.iter().any(|l| l == "建议"), "{advice:?}");
        assert!(
            !checks.iter().flatten().flatten().any(|l| l == "买入"),
            "{checks:?}"
        );
    }

    #[test]
    fn deferred_channel_patterns_still_fail_on_syntax_errors() {
        let text = "id = \"c\"\nversion = \"1\"\ntitle = \"测试\"\n\
            [categories.channel]\nname = \"渠道\"\nconsequence = \"无\"\n\
            [channels.sms]\npromotional = ['优惠(']\n";
        let pack = RulePack::from_toml_str("c.toml", text).expect("well-formed");
        for validated in [false, true] {
            let err = build_error(pack.clone(), validated);
            assert!(err.starts_with("c.toml:8:"), "{err}");
        }
    }

    /// The error of building a scanner from `pack` alone.
    fn build_error(pack: RulePack, validated: bool) -> String {
        Scanner::builder()
            .pack(pack)
            .packs_validated(validated)
            .build()
            .expect_err("the pack does not build")
            .to_string()
    }

    #[test]
    fn deferred_patterns_still_fail_on_syntax_errors() {
        let pack = crate::testing::test_pack(
            r#"
[[rule]]
id = "exaggeration.broken"
kind = "regex"
severity = "review"
message = "测试"
basis = "测试"
patterns = ['最(佳']
"#,
        )
        .expect("the pack file itself is well-formed");
        let err = build_error(pack, true);
        assert!(err.contains("invalid regex"), "{err}");
    }

    #[test]
    fn duplicate_ids_across_packs_are_errors() {
        let pack = crate::defaults::default_packs().remove(0);
        let err = Scanner::builder()
            .pack(pack.clone())
            .pack(pack)
            .build()
            .expect_err("duplicate");
        assert!(err.to_string().contains("duplicate rule id"), "{err}");
    }

    /// The dictionary's start filter is selective on real text: on the shared corpus
    /// (when it is beside the repository) it lets a few percent of the folded characters
    /// through to a comparison of literals (4.2 % when measured; over 10 % fails).
    #[test]
    fn start_filter_passes_few_characters_of_the_corpus() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/corpus/zh-mixed.txt"
        );
        let Ok(corpus) = std::fs::read_to_string(path) else {
            eprintln!("note: start filter rate skipped: {path} not found");
            return;
        };
        let scanner = Scanner::with_default_packs();
        let inner = &*scanner.inner;
        let dictionary = inner
            .dictionary
            .as_ref()
            .expect("the default packs have literals");
        let (mut chars, mut walks) = (0, 0);
        for line in corpus.lines() {
            let (c, w) = dictionary.walks(&inner.normalizer.fold_text(line));
            chars += c;
            walks += w;
        }
        let rate = walks as f64 / chars as f64;
        eprintln!(
            "start filter: {walks} of {chars} characters ({:.1} %)",
            rate * 100.0
        );
        assert!(rate < 0.10, "{walks} of {chars}");
    }

    proptest::proptest! {
        /// The starts the fold pass gives the dictionary as it folds are the ones a
        /// search of the folded text finds, on texts full of what the fold changes and
        /// of the default packs' literals, one-character ones among them (集赞药贷🧧,
        /// which the fold's unchanged runs leave to its slow path); the scan checks it
        /// too, in debug builds.
        #[test]
        fn starts_collected_while_folding_are_the_starts_of_the_folded_text(
            text in "[a-zA-Z0-9 *._\\-~|/\u{300}\u{200B}\u{200D}\u{3000}转發发红包微信薇Ｖｖ１％，。！最佳第一保本赚领送集赞药贷👍🧧]{0,40}"
        ) {
            static SCANNER: std::sync::LazyLock<Scanner> =
                std::sync::LazyLock::new(Scanner::with_default_packs);
            let inner = &*SCANNER.inner;
            let dictionary = inner.dictionary.as_ref().expect("the default packs have literals");
            let (mut folded, mut starts) = (String::new(), Vec::new());
            dictionary.collect_starts(&mut starts, |collector| {
                inner.normalizer.fold_text_observed(&text, &mut folded, collector);
            });
            proptest::prop_assert_eq!(&folded, &inner.normalizer.fold_text(&text));
            proptest::prop_assert_eq!(starts, dictionary.starts_of(&folded));
        }
    }

    /// The one-search path (variant keys found by the dictionary, the variant table
    /// applied only where one fits) finds what the rules find on the normaliser's
    /// whole normalisation, and maps its findings through that same normalisation, with
    /// and without variants in the text.
    #[test]
    fn single_search_normalises_like_the_normaliser() {
        let scanner = Scanner::with_default_packs();
        let mut texts = crate::testing::default_example_texts();
        let pairs: Vec<(String, String)> = scanner
            .normalizer()
            .variant_pairs()
            .map(|(k, t)| (k.to_owned(), t.to_owned()))
            .collect();
        assert!(!pairs.is_empty());
        for (key, target) in &pairs {
            texts.push(format!("加{key}领取，{target}"));
            texts.push(format!("abc{key}xyz"));
        }
        let mut found_through_variants = 0;
        for text in &texts {
            // The findings of the rules on the whole normalisation, found the long way.
            let expected = scanner.normalizer().normalize_scan(text);
            let mut hits = Vec::new();
            if let Some(dictionary) = &scanner.inner.dictionary {
                dictionary.find(expected.as_str(), &mut hits);
            }
            hits.truncate(rule_hits(&hits));
            let slow = scanner.raw_findings(expected.as_str(), &hits, &mut Vec::new());
            match scanner.normalize_and_match(text).found {
                Some(Found { normalized, raw }) => {
                    // The normalisation may stop after the last finding: it maps every
                    // finding as the whole one does.
                    assert!(
                        expected.as_str().starts_with(normalized.as_str()),
                        "{text:?}"
                    );
                    for r in &raw {
                        assert_eq!(
                            (
                                normalized.source_range(r.range.clone()),
                                normalized.steps(r.range.clone())
                            ),
                            (
                                expected.source_range(r.range.clone()),
                                expected.steps(r.range.clone())
                            ),
                            "{text:?}"
                        );
                    }
                    assert_eq!(raw, slow, "{text:?}");
                    let varied = scanner.normalizer().fold_text(text) != expected.as_str();
                    found_through_variants += usize::from(varied);
                }
                None => assert_eq!(slow, [], "{text:?}"),
            }
        }
        // Findings that only the variant table's second search can make were compared.
        assert!(found_through_variants > 0);
    }

    #[test]
    fn no_packs_is_an_error() {
        assert_eq!(
            Scanner::builder().build().expect_err("empty"),
            PackError::NoPacks
        );
    }
}

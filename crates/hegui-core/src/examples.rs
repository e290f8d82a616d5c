//! Runs the `fires` / `passes` examples that every rule carries.

use std::fmt;

use crate::error::Location;
use crate::scanner::Scanner;

/// What an example expects of its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expectation {
    /// The rule must flag the text.
    Fires,
    /// The rule must not flag the text.
    Passes,
}

/// An example whose rule did not behave as the example says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// The rule's id.
    pub rule_id: String,
    /// Where the example is written.
    pub location: Location,
    /// The example text.
    pub text: String,
    /// What the example expected.
    pub expected: Expectation,
}

impl fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let should = match self.expected {
            Expectation::Fires => "fire",
            Expectation::Passes => "pass",
        };
        write!(
            f,
            "{}: rule `{}`: example {:?} should {should} but did not",
            self.location, self.rule_id, self.text
        )
    }
}

/// Summary of an example run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExampleRun {
    /// Examples checked.
    pub checked: usize,
    /// Examples that failed.
    pub failures: Vec<ExampleFailure>,
}

impl Scanner {
    /// Scans every example of every rule with this scanner (all packs loaded, as in
    /// production) and reports the examples whose rule did not behave as stated.
    pub fn check_examples(&self) -> ExampleRun {
        let mut run = ExampleRun::default();
        for rule in self.rules() {
            let fires = rule.def.fires.iter().zip(rule.fires_at());
            let passes = rule.def.passes.iter().zip(rule.passes_at());
            let cases = fires
                .map(|(t, at)| (t, at, Expectation::Fires))
                .chain(passes.map(|(t, at)| (t, at, Expectation::Passes)));
            for (text, location, expected) in cases {
                run.checked += 1;
                let fired = self
                    .scan(text)
                    .findings
                    .iter()
                    .any(|f| &*f.rule_id == rule.id());
                if fired != (expected == Expectation::Fires) {
                    run.failures.push(ExampleFailure {
                        rule_id: rule.id().to_string(),
                        location: location.clone(),
                        text: text.clone(),
                        expected,
                    });
                }
            }
        }
        self.check_channel_examples(&mut run);
        run
    }

    /// The `fires` / `passes` examples of the channel checks, scanned on their channel.
    fn check_channel_examples(&self, run: &mut ExampleRun) {
        for (name, channel) in self.channel_checks() {
            for check in &channel.checks {
                let cases = check
                    .def
                    .fires
                    .iter()
                    .map(|t| (t, Expectation::Fires))
                    .chain(check.def.passes.iter().map(|t| (t, Expectation::Passes)));
                for (text, expected) in cases {
                    run.checked += 1;
                    let fired = self
                        .scan_in(text, Some(name))
                        .map(|r| r.findings.iter().any(|f| *f.rule_id == *check.def.id))
                        .unwrap_or(false);
                    if fired != (expected == Expectation::Fires) {
                        run.failures.push(ExampleFailure {
                            rule_id: check.def.id.clone(),
                            location: self.channel_check_location(&check.def.id),
                            text: text.clone(),
                            expected,
                        });
                    }
                }
            }
        }
    }
}

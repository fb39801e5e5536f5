//! The check of the course against the engine: a lesson whose text disagrees with the
//! engine cannot land. Every finding names the lesson, the exercise and what differed.
//!
//! Engine-dependent checks of an exercise marked `needsEngine` (a documented rule the
//! engine is being corrected to follow) are reported as *pending* instead of failing; when
//! such an exercise already agrees with the engine it is reported as *ready* (its marker
//! can go). Structural checks (files, ids, links, parsing) always apply.

use crate::model::{
    changed_fields, evaluate_all, policy_ids, policy_slot, Exercise, Fix, Predict, StatementPick,
    WriteRequest,
};
use crate::render::render_markdown;
use crate::source::SourceLesson;
use iam_policy::{Decision, Scenario};
use iam_policy::{PolicyId, ScenarioPolicies};
use std::collections::{BTreeMap, BTreeSet};

/// The engine corrections an exercise may wait for (`"needsEngine"`).
pub const ENGINE_CORRECTIONS: [(&str, &str); 7] = [
    (
        "resource-wildcard-expansion",
        "a * at the end of a resource ARN segment matches across colons; a short ARN is padded with :*",
    ),
    (
        "variable-negated-operators",
        "a policy variable with no value: StringNotEquals/StringNotLike match",
    ),
    (
        "rcp-scope",
        "RCPs apply to AWS service principals, only to the services Organizations lists, only to requests on a resource",
    ),
    (
        "kms-key-policy-scope",
        "the key policy must allow only operations on a KMS key",
    ),
    (
        "get-caller-identity",
        "sts:GetCallerIdentity needs no permission and cannot be denied",
    ),
    (
        "trust-policy-user-boundary",
        "a trust policy naming a user directly: the user's permissions boundary must still allow sts:AssumeRole",
    ),
    (
        "notprincipal-boundary",
        "Deny with NotPrincipal always denies a caller that has a permissions boundary",
    ),
];

/// The prefix every documentation link must have.
pub const AWS_DOCS: &str = "https://docs.aws.amazon.com/";

/// A finding: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub lesson: String,
    pub exercise: Option<String>,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.exercise {
            Some(e) => write!(
                f,
                "lesson {}, exercise {}: {}",
                self.lesson, e, self.message
            ),
            None => write!(f, "lesson {}: {}", self.lesson, self.message),
        }
    }
}

/// The outcome of the check.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Must be empty for the course to land.
    pub problems: Vec<Finding>,
    /// Disagreements with the engine of exercises marked `needsEngine` (ignored for now).
    pub pending: Vec<Finding>,
    /// Exercises marked `needsEngine` that already agree with the engine.
    pub ready: Vec<Finding>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Whether a URL is an https AWS documentation URL.
pub fn is_aws_doc_url(url: &str) -> bool {
    url.len() > AWS_DOCS.len()
        && url.starts_with(AWS_DOCS)
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
}

struct Checker<'a> {
    report: &'a mut Report,
    lesson: String,
    lesson_ids: &'a BTreeSet<String>,
}

/// Findings of one exercise (or of the lesson itself when `exercise` is None).
struct Scope<'c, 'a> {
    checker: &'c mut Checker<'a>,
    exercise: Option<String>,
    pending: Option<String>,
    engine_disagreed: bool,
}

impl<'c, 'a> Scope<'c, 'a> {
    fn finding(&self, message: String) -> Finding {
        Finding {
            lesson: self.checker.lesson.clone(),
            exercise: self.exercise.clone(),
            message,
        }
    }

    /// A structural problem: always a failure.
    fn problem(&mut self, message: impl Into<String>) {
        let f = self.finding(message.into());
        self.checker.report.problems.push(f);
    }

    /// A disagreement with the engine: pending when the exercise waits for a correction.
    fn engine(&mut self, message: impl Into<String>) {
        self.engine_disagreed = true;
        let message = message.into();
        match &self.pending {
            Some(p) => {
                let f = self.finding(format!("pending engine correction \"{p}\": {message}"));
                self.checker.report.pending.push(f);
            }
            None => {
                let f = self.finding(message);
                self.checker.report.problems.push(f);
            }
        }
    }

    fn finish(self) {
        if let (Some(p), false) = (&self.pending, self.engine_disagreed) {
            let f = self.finding(format!(
                "marked needsEngine \"{p}\" but already agrees with the engine: the marker can be removed"
            ));
            self.checker.report.ready.push(f);
        }
    }

    /// Markdown text: renders cleanly, links are AWS docs or lessons.
    fn text(&mut self, what: &str, markdown: &str) {
        if markdown.trim().is_empty() {
            self.problem(format!("{what} is empty"));
            return;
        }
        // People read "identity policy 2", never the scenario's internal `identity/1`.
        for token in markdown.split(|c: char| !(c.is_ascii_alphanumeric() || c == '/')) {
            if !token.contains('/') {
                continue;
            }
            if let Ok(id) = token.parse::<PolicyId>() {
                self.problem(format!(
                    "{what}: names a policy by its internal id `{token}`; write \"{}\" (the label the playground shows)",
                    id.label()
                ));
            } else if let Ok(PolicyId::Scp { level, .. } | PolicyId::Rcp { level, .. }) =
                format!("{token}/0").parse::<PolicyId>()
            {
                self.problem(format!(
                    "{what}: names an organization level by its internal id `{token}`; write it for people (\"the organization root\", \"level {level} below the root\")"
                ));
            }
        }
        let r = render_markdown(markdown);
        for p in r.problems {
            self.problem(format!("{what}: {p}"));
        }
        for link in r.links {
            if let Some(target) = link.strip_prefix("#learn/") {
                if !self.checker.lesson_ids.contains(target) {
                    self.problem(format!("{what}: link {link} names no lesson"));
                }
            } else if !is_aws_doc_url(&link) {
                self.problem(format!(
                    "{what}: link {link} is not an https AWS documentation URL ({AWS_DOCS}…)"
                ));
            }
        }
    }

    fn policies_parse(&mut self, what: &str, policies: &ScenarioPolicies) -> bool {
        let scenario = Scenario {
            policies: policies.clone(),
            ..Scenario::default()
        };
        let set = scenario.compile();
        let mut ok = true;
        for e in iam_policy::rejected_policies(&set) {
            for d in e.diagnostics {
                ok = false;
                let message = format!(
                    "{what}: policy {} has an error at line {}, column {}: {}",
                    e.policy, d.span.start.line, d.span.start.column, d.message
                );
                // An exercise waiting for an engine correction may use what the corrected
                // engine accepts (a short resource ARN, for example).
                if self.pending.is_some() {
                    self.engine(message);
                } else {
                    self.problem(message);
                }
            }
        }
        ok
    }
}

fn decision(d: Option<Decision>) -> &'static str {
    d.map(Decision::as_str).unwrap_or("no decision")
}

/// Checks every lesson; see the module documentation.
pub fn validate(lessons: &[SourceLesson]) -> Report {
    let mut report = Report::default();
    let lesson_ids: BTreeSet<String> = lessons.iter().map(|l| l.id.clone()).collect();

    // Numbering: 1, 2, 3, … without gaps or duplicates.
    let mut numbers: Vec<(u32, &str)> = lessons.iter().map(|l| (l.number, l.id.as_str())).collect();
    numbers.sort();
    for (i, (n, id)) in numbers.iter().enumerate() {
        let want = u32::try_from(i).unwrap_or(u32::MAX).saturating_add(1);
        if *n != want {
            report.problems.push(Finding {
                lesson: id.to_string(),
                exercise: None,
                message: format!(
                    "lesson numbers must run 01, 02, 03, … without gaps or repeats: expected {want:02} here, found {n:02}"
                ),
            });
        }
    }

    // Exercise ids: unique across the course (progress is stored by them).
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for l in lessons {
        for e in &l.exercises {
            if let Some(first) = seen.insert(e.id(), &l.id) {
                report.problems.push(Finding {
                    lesson: l.id.clone(),
                    exercise: Some(e.id().to_string()),
                    message: format!("exercise id already used in lesson {first}"),
                });
            }
        }
    }

    for l in lessons {
        let mut checker = Checker {
            report: &mut report,
            lesson: l.id.clone(),
            lesson_ids: &lesson_ids,
        };
        check_lesson(&mut checker, l);
    }
    report
}

fn check_lesson(checker: &mut Checker<'_>, l: &SourceLesson) {
    // Requests whose expectation a pending predict exercise depends on.
    let pending_requests: BTreeMap<&str, &str> = l
        .exercises
        .iter()
        .filter_map(|e| match (e, e.needs_engine()) {
            (Exercise::Predict(p), Some(n)) => Some((p.request.as_str(), n)),
            _ => None,
        })
        .collect();

    {
        let mut s = Scope {
            checker: &mut *checker,
            exercise: None,
            pending: None,
            engine_disagreed: false,
        };
        let fm = &l.front;
        if fm.title.trim().is_empty() {
            s.problem("front matter: title is empty");
        }
        if fm.summary.trim().is_empty() || fm.summary.contains('\n') {
            s.problem("front matter: summary must be one non-empty line");
        }
        if fm.docs.is_empty() {
            s.problem("front matter: docs must list the AWS page(s) the lesson follows");
        }
        for d in &fm.docs {
            if d.title.trim().is_empty() {
                s.problem(format!("front matter: the doc {} has no title", d.url));
            }
            if !is_aws_doc_url(&d.url) {
                s.problem(format!(
                    "front matter: doc link {} is not an https AWS documentation URL ({AWS_DOCS}…)",
                    d.url
                ));
            }
        }
        s.text("lesson text", &l.body);

        // The scenario: parses, every request named and expected, and the engine agrees.
        let sc = &l.scenario;
        let parses = s.policies_parse("scenario.json", &sc.policies);
        if sc.requests.is_empty() {
            s.problem("scenario.json has no request");
        }
        let mut names = BTreeSet::new();
        for (i, r) in sc.requests.iter().enumerate() {
            match &r.name {
                None => s.problem(format!("scenario.json request {i} has no name")),
                Some(n) => {
                    if !names.insert(n.as_str()) {
                        s.problem(format!("scenario.json: two requests are named \"{n}\""));
                    }
                }
            }
            if r.expect.is_none() {
                s.problem(format!(
                    "scenario.json request {i} ({}) has no expect",
                    r.name.as_deref().unwrap_or("unnamed")
                ));
            }
        }
        if parses {
            for r in evaluate_all(sc) {
                let name = r.name.clone().unwrap_or_else(|| format!("#{}", r.request));
                if let Some(err) = &r.error {
                    s.problem(format!(
                        "scenario.json request \"{name}\" cannot be evaluated: {err}"
                    ));
                } else if r.pass == Some(false) {
                    let msg = format!(
                        "scenario.json request \"{name}\" expects {} but the engine decides {}",
                        decision(r.expect),
                        decision(r.decision)
                    );
                    match pending_requests.get(name.as_str()) {
                        Some(p) => {
                            let f = s.finding(format!(
                                "pending engine correction \"{p}\" (predicted in an exercise): {msg}"
                            ));
                            s.checker.report.pending.push(f);
                        }
                        None => s.problem(msg),
                    }
                }
            }
        }

        if l.exercises.len() < 3 {
            s.problem(format!(
                "a lesson needs at least 3 exercises, this one has {}",
                l.exercises.len()
            ));
        }
        let kinds: BTreeSet<&str> = l.exercises.iter().map(Exercise::kind).collect();
        if kinds.len() < 2 {
            s.problem("a lesson needs exercises of at least two kinds");
        }
    }

    for e in &l.exercises {
        let mut s = Scope {
            checker: &mut *checker,
            exercise: Some(e.id().to_string()),
            pending: e.needs_engine().map(str::to_string),
            engine_disagreed: false,
        };
        let id = e.id();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            s.problem("exercise ids are lower-case letters, digits and dashes");
        }
        if let Some(n) = e.needs_engine() {
            if !ENGINE_CORRECTIONS.iter().any(|(k, _)| *k == n) {
                s.problem(format!(
                    "needsEngine \"{n}\" is not a known correction ({})",
                    ENGINE_CORRECTIONS
                        .iter()
                        .map(|(k, _)| *k)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        s.text("prompt", e.prompt());
        s.text("why", e.why());
        for (i, h) in e.hints().iter().enumerate() {
            s.text(&format!("hint {}", i + 1), h);
        }
        match e {
            Exercise::Predict(p) => check_predict(&mut s, l, p),
            Exercise::Fix(f) => check_fix(&mut s, f),
            Exercise::Request(r) => check_request(&mut s, l, r),
        }
        s.finish();
    }
}

fn check_predict(s: &mut Scope<'_, '_>, l: &SourceLesson, p: &Predict) {
    let Some(req) = l
        .scenario
        .requests
        .iter()
        .find(|r| r.name.as_deref() == Some(p.request.as_str()))
    else {
        s.problem(format!(
            "predicts request \"{}\", which scenario.json does not have",
            p.request
        ));
        return;
    };
    if req.expect != Some(p.answer) {
        s.problem(format!(
            "the answer {} differs from the scenario request's expect {}",
            p.answer,
            decision(req.expect)
        ));
    }
    let ids = policy_ids(&l.scenario.policies);
    for d in &p.deciding {
        if d.sid.is_some() == d.statement.is_some() {
            s.problem(format!(
                "deciding statement {d}: give exactly one of sid and statement"
            ));
        }
        if !ids.contains(&d.policy) {
            s.problem(format!(
                "deciding statement {d}: the scenario has no policy {}",
                d.policy
            ));
        }
    }
    let result = match crate::model::evaluate_named(&l.scenario, &p.request) {
        Ok(r) => r,
        Err(e) => {
            s.problem(e);
            return;
        }
    };
    if let Some(err) = &result.error {
        s.problem(format!(
            "request \"{}\" cannot be evaluated: {err}",
            p.request
        ));
        return;
    }
    if result.decision != Some(p.answer) {
        s.engine(format!(
            "the stated answer for \"{}\" is {} but the engine decides {}",
            p.request,
            p.answer,
            decision(result.decision)
        ));
    }
    if !p.deciding.is_empty() {
        let engine = &result.deciding_statements;
        let unmatched: Vec<String> = p
            .deciding
            .iter()
            .filter(|d| !engine.iter().any(|r| d.matches(r)))
            .map(ToString::to_string)
            .collect();
        let missing: Vec<String> = engine
            .iter()
            .filter(|r| !p.deciding.iter().any(|d| d.matches(r)))
            .map(|r| StatementPick::of(r).to_string())
            .collect();
        if !unmatched.is_empty() || !missing.is_empty() {
            s.engine(format!(
                "the deciding statements differ from the engine's: stated but not deciding [{}], deciding but not stated [{}]",
                unmatched.join(", "),
                missing.join(", ")
            ));
        }
    }
}

fn check_fix(s: &mut Scope<'_, '_>, f: &Fix) {
    let ids = policy_ids(&f.policies);
    if f.edit.is_empty() {
        s.problem("edit lists no policy for the learner to change");
    }
    for e in &f.edit {
        if !ids.contains(e) {
            s.problem(format!(
                "edit names policy {e}, which the exercise does not have"
            ));
        }
    }
    if f.solution.is_empty() {
        s.problem("the solution changes no policy");
    }
    for k in f.solution.keys() {
        if !f.edit.contains(k) {
            s.problem(format!(
                "the solution changes policy {k}, which is not in edit"
            ));
        }
        if policy_slot(&f.policies, k) == f.solution.get(k) {
            s.problem(format!(
                "the solution's policy {k} is the same as the start"
            ));
        }
    }
    if f.hints.is_empty() {
        s.problem("a fix exercise needs at least one hint");
    }
    if f.requests.is_empty() {
        s.problem("a fix exercise needs requests");
    }
    for (i, r) in f.requests.iter().enumerate() {
        if r.name.is_none() || r.expect.is_none() {
            s.problem(format!("request {i} needs a name and an expect"));
        }
    }
    let start_ok = s.policies_parse("start", &f.policies);
    let solved = match f.solved_policies() {
        Ok(p) => p,
        Err(e) => {
            s.problem(e);
            return;
        }
    };
    let solution_ok = s.policies_parse("solution", &solved);
    if start_ok {
        let out = f.check(&f.policies);
        for r in &out.results {
            if let Some(err) = &r.error {
                s.problem(format!(
                    "start: request \"{}\" cannot be evaluated: {err}",
                    r.name.as_deref().unwrap_or("?")
                ));
            }
        }
        if out.solved() {
            s.engine(format!(
                "the starting policies already give every expected decision ({} of {} pass): nothing to fix",
                out.passed,
                out.results.len()
            ));
        }
    }
    if solution_ok {
        let out = f.check(&solved);
        for r in &out.results {
            let name = r.name.as_deref().unwrap_or("?");
            if let Some(err) = &r.error {
                s.problem(format!(
                    "solution: request \"{name}\" cannot be evaluated: {err}"
                ));
            } else if r.pass != Some(true) {
                s.engine(format!(
                    "with the reference solution, request \"{name}\" expects {} but the engine decides {}",
                    decision(r.expect),
                    decision(r.decision)
                ));
            }
        }
    }
}

fn check_request(s: &mut Scope<'_, '_>, l: &SourceLesson, w: &WriteRequest) {
    if w.editable.is_empty() {
        s.problem("editable lists no field for the learner to change");
    }
    if w.hints.is_empty() {
        s.problem("a write-the-request exercise needs at least one hint");
    }
    let changed = changed_fields(&w.start, &w.solution);
    if changed.is_empty() {
        s.problem("the solution request is the same as the start");
    }
    for f in &changed {
        if !w.editable.contains(f) {
            s.problem(format!(
                "the solution changes {}, which is not editable",
                f.as_str()
            ));
        }
    }
    if let Some(p) = &w.policies {
        if !s.policies_parse("policies", p) {
            return;
        }
    }
    let start = w.check(&l.scenario, &w.start);
    match (&start.result.error, start.result.decision) {
        (Some(err), _) => s.problem(format!("the start request cannot be evaluated: {err}")),
        (None, d) if d == Some(w.goal) => s.engine(format!(
            "the start request already gets the goal {}: nothing to find",
            w.goal
        )),
        _ => {}
    }
    let solution = w.check(&l.scenario, &w.solution);
    match (&solution.result.error, solution.result.decision) {
        (Some(err), _) => s.problem(format!("the solution request cannot be evaluated: {err}")),
        (None, d) if d != Some(w.goal) => s.engine(format!(
            "the goal is {} but the engine decides {} for the solution request",
            w.goal,
            decision(d)
        )),
        _ => {}
    }
}

/// Exercises by kind, for reports.
pub fn count_by_kind(lessons: &[SourceLesson]) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for e in lessons.iter().flat_map(|l| l.exercises.iter()) {
        *m.entry(e.kind()).or_insert(0) += 1;
    }
    m
}

//! The course: lessons and their exercises, as the lesson folders hold them and as the
//! web bundle carries them, plus the grading helpers the Learn view and the validating
//! test share (so that what the test checks is what the learner is graded by).
//!
//! Text fields (`prompt`, `why`, `hints`) are markdown in `exercises.json` and HTML in the
//! bundle (rendered at build time, raw HTML escaped); the lesson text is [`Lesson::html`].

use iam_policy::ScenarioPolicies;
use iam_policy::{check_with, CheckResult};
use iam_policy::{Authorization, Decision, LayerDecision, StatementRef};
use iam_policy::{Detail, PolicySource, RequestSpec, Scenario};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The bundle format this crate writes and reads.
pub const BUNDLE_FORMAT: u32 = 1;

/// The whole course, as the web fetches it (one JSON file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Course {
    /// [`BUNDLE_FORMAT`].
    pub format: u32,
    /// In course order (lesson numbers 1, 2, 3, …).
    pub lessons: Vec<Lesson>,
}

impl Course {
    /// Reads a bundle; a bundle of another format is an error, not a guess.
    pub fn from_json(text: &str) -> Result<Course, String> {
        let course: Course = serde_json::from_str(text)
            .map_err(|e| format!("the course bundle is not valid: {e}"))?;
        if course.format != BUNDLE_FORMAT {
            return Err(format!(
                "the course bundle has format {}, this version reads format {BUNDLE_FORMAT}",
                course.format
            ));
        }
        Ok(course)
    }

    /// The lesson with this id (`"05-notaction-notresource"`), as in `#learn/<id>`.
    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id == id)
    }

    /// The lesson after `id`, if any.
    pub fn next(&self, id: &str) -> Option<&Lesson> {
        let i = self.lessons.iter().position(|l| l.id == id)?;
        self.lessons.get(i + 1)
    }

    /// The lesson before `id`, if any.
    pub fn previous(&self, id: &str) -> Option<&Lesson> {
        let i = self.lessons.iter().position(|l| l.id == id)?;
        i.checked_sub(1).and_then(|j| self.lessons.get(j))
    }
}

/// An AWS documentation page a lesson follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocLink {
    pub title: String,
    /// Always `https://docs.aws.amazon.com/…` (checked).
    pub url: String,
}

/// One lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Lesson {
    /// The folder name, `NN-slug`: the route is `#learn/<id>`.
    pub id: String,
    pub number: u32,
    pub slug: String,
    pub title: String,
    /// One line, for the lesson list.
    pub summary: String,
    /// The AWS pages the lesson follows (first = main one).
    pub docs: Vec<DocLink>,
    /// The lesson text, rendered to HTML at build time (safe to insert).
    pub html: String,
    /// The live scenario for the editor and the request table ("Open in playground" shares it).
    pub scenario: Scenario,
    pub exercises: Vec<Exercise>,
}

impl Lesson {
    /// A request of the scenario by its `name`.
    pub fn request(&self, name: &str) -> Option<&RequestSpec> {
        self.scenario
            .requests
            .iter()
            .find(|r| r.name.as_deref() == Some(name))
    }

    pub fn exercise(&self, id: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.id() == id)
    }

    /// Names of the scenario requests that a predict exercise asks about: the request table
    /// should hide their decision (and `expect`) until the learner has answered.
    pub fn predicted_requests(&self) -> Vec<&str> {
        self.exercises
            .iter()
            .filter_map(|e| match e {
                Exercise::Predict(p) => Some(p.request.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// The kinds of exercise. JSON: an object with `"kind": "predict" | "fix" | "request"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Exercise {
    /// Predict the decision (and maybe the deciding statement) of a scenario request.
    Predict(Predict),
    /// Edit policies until every request gets its expected decision.
    Fix(Box<Fix>),
    /// Edit a request until it gets the goal decision.
    Request(Box<WriteRequest>),
}

impl Exercise {
    pub fn id(&self) -> &str {
        match self {
            Exercise::Predict(e) => &e.id,
            Exercise::Fix(e) => &e.id,
            Exercise::Request(e) => &e.id,
        }
    }

    /// `"predict"`, `"fix"` or `"request"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Exercise::Predict(_) => "predict",
            Exercise::Fix(_) => "fix",
            Exercise::Request(_) => "request",
        }
    }

    pub fn prompt(&self) -> &str {
        match self {
            Exercise::Predict(e) => &e.prompt,
            Exercise::Fix(e) => &e.prompt,
            Exercise::Request(e) => &e.prompt,
        }
    }

    /// The explanation shown once the exercise is answered or solved.
    pub fn why(&self) -> &str {
        match self {
            Exercise::Predict(e) => &e.why,
            Exercise::Fix(e) => &e.why,
            Exercise::Request(e) => &e.why,
        }
    }

    /// Hints, shown one at a time on request (predict exercises have none).
    pub fn hints(&self) -> &[String] {
        match self {
            Exercise::Predict(_) => &[],
            Exercise::Fix(e) => &e.hints,
            Exercise::Request(e) => &e.hints,
        }
    }

    /// The engine correction this exercise waits for (see `web/lessons/README.md`).
    pub fn needs_engine(&self) -> Option<&str> {
        match self {
            Exercise::Predict(e) => e.needs_engine.as_deref(),
            Exercise::Fix(e) => e.needs_engine.as_deref(),
            Exercise::Request(e) => e.needs_engine.as_deref(),
        }
    }

    fn text_fields_mut(&mut self) -> Vec<&mut String> {
        match self {
            Exercise::Predict(e) => vec![&mut e.prompt, &mut e.why],
            Exercise::Fix(e) => {
                let mut v = vec![&mut e.prompt, &mut e.why];
                v.extend(e.hints.iter_mut());
                v
            }
            Exercise::Request(e) => {
                let mut v = vec![&mut e.prompt, &mut e.why];
                v.extend(e.hints.iter_mut());
                v
            }
        }
    }

    /// Every text field (markdown in the source, HTML in the bundle), for rendering.
    pub fn map_text(&mut self, mut f: impl FnMut(&str) -> String) {
        for t in self.text_fields_mut() {
            *t = f(t);
        }
    }

    /// The exercise's starting situation as a scenario, for "Open in playground": the
    /// lesson's scenario for a prediction, the starting policies and the requests for a fix,
    /// the policies and the starting request for a write-the-request exercise.
    pub fn scenario(&self, lesson: &Lesson) -> Scenario {
        match self {
            Exercise::Predict(_) => lesson.scenario.clone(),
            Exercise::Fix(f) => f.scenario(&f.policies),
            Exercise::Request(w) => w.scenario(&lesson.scenario, &w.start),
        }
    }

    /// Every text field, read-only.
    pub fn texts(&self) -> Vec<&str> {
        let mut v = vec![self.prompt(), self.why()];
        v.extend(self.hints().iter().map(String::as_str));
        v
    }
}

/// A statement, named by its policy (`identity/0`, `resource`, `scps/1/0`, … as in the
/// engine's results) and by its `Sid` or its index in the policy's `Statement` array.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatementPick {
    pub policy: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<usize>,
}

impl StatementPick {
    /// Whether this names the engine's statement `r`.
    pub fn matches(&self, r: &StatementRef) -> bool {
        self.policy == r.policy.to_string()
            && ((self.sid.is_some() && self.sid.as_deref() == r.sid.as_deref())
                || self.statement == Some(r.statement))
    }

    /// The pick for an engine statement (by Sid when it has one).
    pub fn of(r: &StatementRef) -> StatementPick {
        StatementPick {
            policy: r.policy.to_string(),
            sid: r.sid.clone(),
            statement: if r.sid.is_some() {
                None
            } else {
                Some(r.statement)
            },
        }
    }
}

impl std::fmt::Display for StatementPick {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.sid, self.statement) {
            (Some(s), _) => write!(f, "{} \"{s}\"", self.policy),
            (None, Some(i)) => write!(f, "{} statement {i}", self.policy),
            (None, None) => write!(f, "{} (no Sid or index)", self.policy),
        }
    }
}

/// Predict, then reveal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Predict {
    pub id: String,
    pub prompt: String,
    /// The `name` of a request of the lesson's scenario.
    pub request: String,
    /// The engine's decision (checked).
    pub answer: Decision,
    /// When not empty, the learner also picks the deciding statement: these are exactly
    /// the engine's deciding statements (checked), and any of them is a right pick.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deciding: Vec<StatementPick>,
    /// Why, shown after the reveal (with the engine's own trace).
    pub why: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs_engine: Option<String>,
}

/// How a prediction fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PredictGrade {
    pub decision_right: bool,
    /// None when the exercise does not ask for the statement.
    pub statement_right: Option<bool>,
}

impl PredictGrade {
    pub fn right(&self) -> bool {
        self.decision_right && self.statement_right.unwrap_or(true)
    }
}

impl Predict {
    /// Grades a guess.
    pub fn grade(&self, decision: Decision, statement: Option<&StatementPick>) -> PredictGrade {
        let statement_right = (!self.deciding.is_empty())
            .then(|| statement.is_some_and(|s| self.deciding.iter().any(|d| same_statement(d, s))));
        PredictGrade {
            decision_right: decision == self.answer,
            statement_right,
        }
    }

    /// The engine's full answer for the request, from the lesson's scenario (for the reveal).
    pub fn evaluate(&self, lesson: &Lesson) -> Result<CheckResult, String> {
        evaluate_named(&lesson.scenario, &self.request)
    }
}

/// Two picks name the same statement of the same policy: by Sid when both have it, or by
/// index when both have it (the Learn view should fill both when the learner clicks one).
fn same_statement(a: &StatementPick, b: &StatementPick) -> bool {
    a.policy == b.policy
        && ((a.sid.is_some() && a.sid == b.sid)
            || (a.statement.is_some() && a.statement == b.statement))
}

/// Evaluates one named request of a scenario, with full traces.
pub fn evaluate_named(scenario: &Scenario, name: &str) -> Result<CheckResult, String> {
    let request = scenario
        .requests
        .iter()
        .find(|r| r.name.as_deref() == Some(name))
        .ok_or_else(|| format!("the scenario has no request named \"{name}\""))?;
    let one = Scenario {
        requests: vec![request.clone()],
        ..scenario.clone()
    };
    evaluate_all(&one)
        .into_iter()
        .next()
        .ok_or_else(|| "no result".to_string())
}

/// Evaluates every request of a scenario, with full traces.
pub fn evaluate_all(scenario: &Scenario) -> Vec<CheckResult> {
    let set = scenario.compile();
    check_with(scenario, &set, "lesson", Detail::Full)
}

/// Fix the policy: the learner edits the policies listed in `edit` until every request
/// gets its `expect`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fix {
    pub id: String,
    pub prompt: String,
    /// The starting policies (scenario format).
    pub policies: ScenarioPolicies,
    /// The policies the learner edits, by id (`identity/0`, `resource`, …); the others are
    /// shown read-only.
    pub edit: Vec<String>,
    /// Requests, each with `name` and `expect`.
    pub requests: Vec<RequestSpec>,
    /// A reference solution: the edited policies by id.
    pub solution: BTreeMap<String, PolicySource>,
    pub hints: Vec<String>,
    /// Shown once solved.
    pub why: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs_engine: Option<String>,
}

/// The state of a fix exercise for some policies.
#[derive(Debug, Clone)]
pub struct FixOutcome {
    /// One per request, in order (with full traces).
    pub results: Vec<CheckResult>,
    /// Requests whose decision equals their `expect`.
    pub passed: usize,
}

impl FixOutcome {
    pub fn solved(&self) -> bool {
        !self.results.is_empty() && self.passed == self.results.len()
    }
}

impl Fix {
    /// The exercise as a scenario with the given policies.
    pub fn scenario(&self, policies: &ScenarioPolicies) -> Scenario {
        Scenario {
            format: Some(1),
            name: None,
            description: None,
            policies: policies.clone(),
            requests: self.requests.clone(),
        }
    }

    /// The starting policies with the reference solution applied.
    pub fn solved_policies(&self) -> Result<ScenarioPolicies, String> {
        let mut p = self.policies.clone();
        for (id, source) in &self.solution {
            let slot = policy_slot_mut(&mut p, id).ok_or_else(|| {
                format!("the solution names policy \"{id}\", which the exercise does not have")
            })?;
            *slot = source.clone();
        }
        Ok(p)
    }

    /// Evaluates every request against `policies`.
    pub fn check(&self, policies: &ScenarioPolicies) -> FixOutcome {
        let results = evaluate_all(&self.scenario(policies));
        let passed = results.iter().filter(|r| r.pass == Some(true)).count();
        FixOutcome { results, passed }
    }
}

/// A field of a request the learner may edit in a write-the-request exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RequestField {
    Principal,
    Action,
    Resource,
    ResourceAccount,
    /// Any context key (add, change, remove).
    Context,
}

impl RequestField {
    pub const ALL: [RequestField; 5] = [
        RequestField::Principal,
        RequestField::Action,
        RequestField::Resource,
        RequestField::ResourceAccount,
        RequestField::Context,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestField::Principal => "principal",
            RequestField::Action => "action",
            RequestField::Resource => "resource",
            RequestField::ResourceAccount => "resourceAccount",
            RequestField::Context => "context",
        }
    }

    fn same(self, a: &RequestSpec, b: &RequestSpec) -> bool {
        match self {
            RequestField::Principal => a.principal == b.principal,
            RequestField::Action => a.action == b.action,
            RequestField::Resource => a.resource == b.resource,
            RequestField::ResourceAccount => a.resource_account == b.resource_account,
            RequestField::Context => a.context == b.context,
        }
    }
}

/// The fields in which two requests differ (name and expect aside).
pub fn changed_fields(a: &RequestSpec, b: &RequestSpec) -> Vec<RequestField> {
    RequestField::ALL
        .into_iter()
        .filter(|f| !f.same(a, b))
        .collect()
}

/// Write the request: find a request that gets the goal decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WriteRequest {
    pub id: String,
    pub prompt: String,
    /// The policies; absent: the lesson scenario's policies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<ScenarioPolicies>,
    pub goal: Decision,
    /// The request the learner starts from (it does not reach the goal; checked).
    pub start: RequestSpec,
    /// What the learner may change; the other fields are shown read-only.
    pub editable: Vec<RequestField>,
    /// A reference request that reaches the goal, differing from `start` only in `editable`.
    pub solution: RequestSpec,
    pub hints: Vec<String>,
    /// Shown once solved.
    pub why: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs_engine: Option<String>,
}

/// The state of a write-the-request exercise for one request.
#[derive(Debug, Clone)]
pub struct RequestOutcome {
    /// With full traces (`decision` is None and `error` set when it could not be evaluated).
    pub result: CheckResult,
    /// Fields changed that the exercise does not let the learner change.
    pub not_editable: Vec<RequestField>,
}

impl RequestOutcome {
    pub fn reached(&self, goal: Decision) -> bool {
        self.not_editable.is_empty() && self.result.decision == Some(goal)
    }
}

impl WriteRequest {
    /// The policies the request is evaluated against.
    pub fn policies_in<'a>(&'a self, lesson_scenario: &'a Scenario) -> &'a ScenarioPolicies {
        self.policies.as_ref().unwrap_or(&lesson_scenario.policies)
    }

    /// The exercise as a scenario with one request (expecting the goal), for evaluating it
    /// or opening it in the playground.
    pub fn scenario(&self, lesson_scenario: &Scenario, request: &RequestSpec) -> Scenario {
        let mut request = request.clone();
        request.expect = Some(self.goal);
        Scenario {
            format: Some(1),
            name: None,
            description: None,
            policies: self.policies_in(lesson_scenario).clone(),
            requests: vec![request],
        }
    }

    /// Evaluates the learner's request.
    pub fn check(&self, lesson_scenario: &Scenario, request: &RequestSpec) -> RequestOutcome {
        let scenario = self.scenario(lesson_scenario, request);
        let result = evaluate_all(&scenario)
            .into_iter()
            .next()
            .unwrap_or(CheckResult {
                expect: Some(self.goal),
                pass: Some(false),
                error: Some("no result".to_string()),
                ..CheckResult::default()
            });
        let not_editable = changed_fields(&self.start, request)
            .into_iter()
            .filter(|f| !self.editable.contains(f))
            .collect();
        RequestOutcome {
            result,
            not_editable,
        }
    }
}

/// Every policy id of a policy set, in the engine's order.
pub fn policy_ids(p: &ScenarioPolicies) -> Vec<String> {
    let mut ids: Vec<String> = (0..p.identity.len())
        .map(|i| format!("identity/{i}"))
        .collect();
    if p.resource.is_some() {
        ids.push("resource".into());
    }
    if p.permissions_boundary.is_some() {
        ids.push("permissionsBoundary".into());
    }
    if p.session.is_some() {
        ids.push("session".into());
    }
    for (l, level) in p.scps.iter().enumerate() {
        ids.extend((0..level.len()).map(|i| format!("scps/{l}/{i}")));
    }
    for (l, level) in p.rcps.iter().enumerate() {
        ids.extend((0..level.len()).map(|i| format!("rcps/{l}/{i}")));
    }
    ids.extend((0..p.vpc_endpoint.len()).map(|i| format!("vpcEndpoint/{i}")));
    ids
}

fn index(s: &str) -> Option<usize> {
    s.parse().ok()
}

/// The policy with this id, if the set has it.
pub fn policy_slot<'a>(p: &'a ScenarioPolicies, id: &str) -> Option<&'a PolicySource> {
    let parts: Vec<&str> = id.split('/').collect();
    match parts.as_slice() {
        ["identity", i] => p.identity.get(index(i)?),
        ["resource"] => p.resource.as_ref(),
        ["permissionsBoundary"] => p.permissions_boundary.as_ref(),
        ["session"] => p.session.as_ref(),
        ["scps", l, i] => p.scps.get(index(l)?)?.get(index(i)?),
        ["rcps", l, i] => p.rcps.get(index(l)?)?.get(index(i)?),
        ["vpcEndpoint", i] => p.vpc_endpoint.get(index(i)?),
        _ => None,
    }
}

/// The policy with this id, for replacing it.
pub fn policy_slot_mut<'a>(p: &'a mut ScenarioPolicies, id: &str) -> Option<&'a mut PolicySource> {
    let parts: Vec<&str> = id.split('/').collect();
    match parts.as_slice() {
        ["identity", i] => p.identity.get_mut(index(i)?),
        ["resource"] => p.resource.as_mut(),
        ["permissionsBoundary"] => p.permissions_boundary.as_mut(),
        ["session"] => p.session.as_mut(),
        ["scps", l, i] => p.scps.get_mut(index(l)?)?.get_mut(index(i)?),
        ["rcps", l, i] => p.rcps.get_mut(index(l)?)?.get_mut(index(i)?),
        ["vpcEndpoint", i] => p.vpc_endpoint.get_mut(index(i)?),
        _ => None,
    }
}

/// The engine's explanation of the deciding step, in sentences: the decision and its
/// documented rule, then the deciding statements (or the layer that had no Allow) with
/// why each applied. What a learner sees after a wrong answer.
pub fn explain(auth: &Authorization) -> Vec<String> {
    use iam_policy::explain;
    let mut out = vec![explain::decision_sentence(auth)];
    let traced = |r: &StatementRef| {
        auth.layers
            .iter()
            .flat_map(|l| l.policies.iter())
            .filter(|p| p.policy == r.policy)
            .flat_map(|p| p.statements.iter())
            .find(|s| s.index == r.statement)
    };
    for r in &auth.deciding_statements {
        match traced(r) {
            Some(s) => {
                out.push(format!(
                    "In {}, {}",
                    r.policy.label(),
                    explain::statement_summary(s)
                ));
                for c in &s.conditions {
                    out.push(format!("  {}", explain::condition_sentence(c)));
                }
            }
            None => out.push(format!(
                "In {}, statement {} (line {}, column {})",
                r.policy.label(),
                r.statement,
                r.line,
                r.column
            )),
        }
    }
    if let Some(blocked) = &auth.blocked_by {
        if let Some(l) = auth.layers.iter().find(|l| &l.layer == blocked) {
            out.push(explain::layer_sentence(l));
            if l.decision == LayerDecision::ImplicitDeny {
                for s in l.policies.iter().flat_map(|p| p.statements.iter()) {
                    out.push(format!("  {}", explain::statement_summary(s)));
                }
            }
        }
    }
    if !auth.missing_context.is_empty() {
        out.push(format!(
            "The request carries no value for: {}.",
            auth.missing_context.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exercise_json_rejects_unknown_fields_and_reads_each_kind() {
        let ok = r#"{"kind":"predict","id":"a","prompt":"p","request":"r","answer":"allowed","why":"w"}"#;
        let e: Exercise = serde_json::from_str(ok).unwrap();
        assert_eq!(e.kind(), "predict");
        let bad = r#"{"kind":"predict","id":"a","prompt":"p","request":"r","answer":"allowed","why":"w","answr":"x"}"#;
        let err = serde_json::from_str::<Exercise>(bad)
            .unwrap_err()
            .to_string();
        assert!(err.contains("answr"), "{err}");
        let unknown_kind = r#"{"kind":"guess","id":"a"}"#;
        assert!(serde_json::from_str::<Exercise>(unknown_kind).is_err());
    }

    #[test]
    fn policy_slots_follow_engine_ids() {
        let s = Scenario::from_json(
            r#"{"policies":{"identity":[{"Version":"2012-10-17","Statement":[]}],
            "scps":[[{"Version":"2012-10-17","Statement":[]}],[{"Version":"2012-10-17","Statement":[]},{"Version":"2012-10-17","Statement":[]}]]},"requests":[]}"#,
        )
        .unwrap();
        assert_eq!(
            policy_ids(&s.policies),
            vec!["identity/0", "scps/0/0", "scps/1/0", "scps/1/1"]
        );
        assert!(policy_slot(&s.policies, "scps/1/1").is_some());
        assert!(policy_slot(&s.policies, "scps/2/0").is_none());
        assert!(policy_slot(&s.policies, "resource").is_none());
        assert!(policy_slot(&s.policies, "identity/x").is_none());
    }

    #[test]
    fn predict_grade_counts_statement_only_when_asked() {
        let p = Predict {
            id: "x".into(),
            prompt: String::new(),
            request: "r".into(),
            answer: Decision::ExplicitDeny,
            deciding: vec![StatementPick {
                policy: "identity/0".into(),
                sid: Some("Deny".into()),
                statement: None,
            }],
            why: String::new(),
            needs_engine: None,
        };
        let right = StatementPick {
            policy: "identity/0".into(),
            sid: Some("Deny".into()),
            statement: None,
        };
        let wrong = StatementPick {
            policy: "resource".into(),
            sid: Some("Deny".into()),
            statement: None,
        };
        assert!(p.grade(Decision::ExplicitDeny, Some(&right)).right());
        assert!(!p.grade(Decision::ExplicitDeny, Some(&wrong)).right());
        assert!(!p.grade(Decision::Allowed, Some(&right)).right());
        assert!(!p.grade(Decision::ExplicitDeny, None).right());
    }
}

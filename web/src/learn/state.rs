//! The Learn view's state and its reducer (as the playground's `crate::state`): the
//! course, the learner's progress, the answers being given, the hints shown, and what the
//! workbench (the playground's editor and request table) holds. The grading is here, not in
//! the components, and goes through `iam-lessons`' own helpers (`Predict::grade`,
//! `Fix::check`, `WriteRequest::check`, `explain`), which are the ones the lessons' test
//! checks every exercise with.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use iam_lessons::{
    explain, policy_slot_mut, Course, Exercise, Lesson, Predict, PredictGrade, Progress,
    RequestField, StatementPick, WriteRequest,
};
use iam_policy::{Decision, Effect, PolicyId, PolicySource, RequestSpec};
use yew::prelude::*;

use crate::model::{RequestRow, Workspace};

/// What the workbench holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bench {
    /// The lesson's scenario (requests still to be predicted are left out).
    Lesson,
    /// A fix-the-policy or write-the-request exercise, by id.
    Exercise(String),
}

/// A statement the learner can name as the deciding one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub pick: StatementPick,
    pub label: String,
}

/// What the engine said when a prediction was checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Reveal {
    pub grade: PredictGrade,
    /// The engine's decision (None when the request could not be evaluated).
    pub decision: Option<Decision>,
    /// The deciding statements, in words.
    pub deciding: Vec<String>,
    /// The engine's explanation of the deciding step (`iam_lessons::explain`).
    pub explanation: Vec<String>,
    /// How many times the learner has checked.
    pub tries: u32,
}

/// A prediction being made.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PredictUi {
    pub decision: Option<Decision>,
    /// An index into [`statement_choices`].
    pub statement: Option<usize>,
    pub reveal: Option<Reveal>,
    /// Set when "Check" is pressed without a decision picked.
    pub incomplete: bool,
}

#[derive(Clone, Debug)]
pub struct LearnState {
    pub course: Rc<Course>,
    pub progress: Progress,
    /// The lesson open (`#learn/<id>`), or None for the lesson list.
    pub lesson: Option<String>,
    pub predict: BTreeMap<String, PredictUi>,
    /// Exercise id → how many of its hints are shown.
    pub hints: BTreeMap<String, usize>,
    pub bench: Bench,
    /// "Reset progress" was pressed: ask before doing it.
    pub confirm_reset: bool,
    /// Counts changes of the progress (saving watches it).
    pub saved: u64,
    /// The request a prediction has just revealed: the workbench selects it, so that its
    /// whole trace is shown there.
    pub revealed: Option<String>,
}

impl PartialEq for LearnState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.course, &other.course)
            && self.progress == other.progress
            && self.lesson == other.lesson
            && self.predict == other.predict
            && self.hints == other.hints
            && self.bench == other.bench
            && self.confirm_reset == other.confirm_reset
            && self.saved == other.saved
            && self.revealed == other.revealed
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum LearnAction {
    /// The route changed: a lesson id, or None for the list.
    Route(Option<String>),
    PickDecision(String, Decision),
    PickStatement(String, Option<usize>),
    /// Check the prediction of this exercise.
    Check(String),
    ShowHint(String),
    Work(Bench),
    /// The workbench reached this exercise's goal.
    Solved(String),
    AskReset(bool),
    Reset,
}

impl LearnState {
    pub fn new(course: Rc<Course>, progress: Progress, lesson: Option<String>) -> Self {
        let mut s = LearnState {
            course,
            progress,
            lesson: None,
            predict: BTreeMap::new(),
            hints: BTreeMap::new(),
            bench: Bench::Lesson,
            confirm_reset: false,
            saved: 0,
            revealed: None,
        };
        s.open(lesson);
        s
    }

    fn open(&mut self, lesson: Option<String>) {
        self.bench = Bench::Lesson;
        self.revealed = None;
        self.confirm_reset = false;
        let known = lesson.filter(|id| self.course.lesson(id).is_some());
        if known.is_some() && self.progress.last != known {
            self.progress.last.clone_from(&known);
            self.saved += 1;
        }
        self.lesson = known;
    }

    /// The lesson open.
    pub fn current(&self) -> Option<&Lesson> {
        self.lesson.as_deref().and_then(|id| self.course.lesson(id))
    }

    fn mark_done(&mut self, exercise: &str) {
        let Some(lesson) = self.lesson.clone() else {
            return;
        };
        if !self.progress.is_done(&lesson, exercise) {
            self.progress.mark_done(&lesson, exercise);
            self.saved += 1;
        }
    }

    pub fn is_done(&self, exercise: &str) -> bool {
        self.lesson
            .as_deref()
            .is_some_and(|l| self.progress.is_done(l, exercise))
    }

    /// Where "Continue" goes: the lesson last open if it is not complete, else the first
    /// lesson not complete.
    pub fn resume(&self) -> Option<&Lesson> {
        self.progress
            .last
            .as_deref()
            .and_then(|id| self.course.lesson(id))
            .filter(|l| !self.progress.lesson_complete(l))
            .or_else(|| self.progress.next_lesson(&self.course))
    }
}

impl Reducible for LearnState {
    type Action = LearnAction;

    fn reduce(self: Rc<Self>, action: LearnAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            LearnAction::Route(lesson) => {
                if lesson == next.lesson {
                    return self;
                }
                next.open(lesson);
            }
            LearnAction::PickDecision(id, d) => {
                let ui = next.predict.entry(id).or_default();
                ui.decision = Some(d);
                ui.incomplete = false;
            }
            LearnAction::PickStatement(id, s) => {
                next.predict.entry(id).or_default().statement = s;
            }
            LearnAction::Check(id) => {
                let Some(lesson) = next.current().cloned() else {
                    return self;
                };
                let Some(Exercise::Predict(p)) = lesson.exercise(&id) else {
                    return self;
                };
                let ui = next.predict.entry(id.clone()).or_default();
                let Some(decision) = ui.decision else {
                    ui.incomplete = true;
                    return Rc::new(next);
                };
                let choices = statement_choices(&lesson, p);
                let pick = ui.statement.and_then(|i| choices.get(i)).map(|c| &c.pick);
                let tries = ui.reveal.as_ref().map_or(0, |r| r.tries) + 1;
                let mut reveal = reveal(&lesson, p, decision, pick);
                reveal.tries = tries;
                let right = reveal.grade.right();
                ui.reveal = Some(reveal);
                ui.incomplete = false;
                if right {
                    next.mark_done(&id);
                    next.revealed = Some(p.request.clone());
                }
            }
            LearnAction::ShowHint(id) => {
                let max = next
                    .current()
                    .and_then(|l| l.exercise(&id))
                    .map_or(0, |e| e.hints().len());
                let n = next.hints.entry(id).or_default();
                *n = (*n + 1).min(max);
            }
            LearnAction::Work(bench) => {
                if bench == next.bench {
                    return self;
                }
                next.bench = bench;
            }
            LearnAction::Solved(id) => {
                if next.is_done(&id) {
                    return self;
                }
                next.mark_done(&id);
            }
            LearnAction::AskReset(ask) => next.confirm_reset = ask,
            LearnAction::Reset => {
                next.progress = Progress::default();
                next.progress.last.clone_from(&next.lesson);
                next.predict.clear();
                next.hints.clear();
                next.confirm_reset = false;
                next.bench = Bench::Lesson;
                next.saved += 1;
            }
        }
        Rc::new(next)
    }
}

/// Grades a prediction against the engine and explains the engine's answer.
pub fn reveal(
    lesson: &Lesson,
    p: &Predict,
    decision: Decision,
    statement: Option<&StatementPick>,
) -> Reveal {
    let grade = p.grade(decision, statement);
    match p.evaluate(lesson) {
        Ok(result) => Reveal {
            grade,
            decision: result.decision,
            deciding: result
                .deciding_statements
                .iter()
                .map(|r| statement_label(r.policy, r.statement, r.sid.as_deref(), None))
                .collect(),
            explanation: match (&result.authorization, &result.error) {
                (Some(a), _) => explain(a),
                (None, Some(e)) => vec![e.clone()],
                (None, None) => Vec::new(),
            },
            tries: 0,
        },
        Err(e) => Reveal {
            grade,
            decision: None,
            deciding: Vec::new(),
            explanation: vec![e],
            tries: 0,
        },
    }
}

fn statement_label(
    policy: PolicyId,
    index: usize,
    sid: Option<&str>,
    effect: Option<Effect>,
) -> String {
    let mut s = format!("statement {index}");
    if let Some(sid) = sid {
        s.push_str(&format!(" \"{sid}\""));
    }
    if let Some(e) = effect {
        s.push_str(match e {
            Effect::Allow => " (Allow)",
            Effect::Deny => " (Deny)",
        });
    }
    format!("{s} of “{}”", policy.title())
}

/// Every statement of the lesson's policies, for "which statement decides?" (only asked
/// when the exercise lists deciding statements).
pub fn statement_choices(lesson: &Lesson, p: &Predict) -> Vec<Choice> {
    if p.deciding.is_empty() {
        return Vec::new();
    }
    let set = lesson.scenario.compile();
    let mut out = Vec::new();
    for (id, compiled) in set.iter() {
        let Some(policy) = compiled.parsed.policy.as_ref() else {
            continue;
        };
        for st in &policy.statements {
            let sid = st.sid.as_ref().map(|s| s.value.as_str().to_string());
            out.push(Choice {
                label: statement_label(
                    id,
                    st.index,
                    sid.as_deref(),
                    st.effect.as_ref().map(|e| e.value),
                ),
                pick: StatementPick {
                    policy: id.to_string(),
                    sid,
                    statement: Some(st.index),
                },
            });
        }
    }
    out
}

/// The workspace the workbench shows for `bench`.
pub fn bench_workspace(lesson: &Lesson, bench: &Bench, progress: &Progress) -> Workspace {
    let exercise = match bench {
        Bench::Lesson => None,
        Bench::Exercise(id) => lesson.exercise(id),
    };
    match exercise {
        Some(Exercise::Fix(f)) => {
            let mut ws = Workspace::from_scenario(&f.scenario(&f.policies));
            ws.name = format!("Exercise: {}", f.id);
            // The policies the exercise does not let the learner change say so.
            let editable: BTreeSet<&str> = f.edit.iter().map(String::as_str).collect();
            let ids: Vec<PolicyId> = ws.policies.docs.iter().map(|(id, _)| id).collect();
            for id in ids {
                if !editable.contains(id.to_string().as_str()) {
                    if let Some(doc) = ws.policy_mut(id) {
                        doc.name.push_str(" (read-only)");
                    }
                }
            }
            ws
        }
        Some(Exercise::Request(w)) => {
            let mut ws = Workspace::from_scenario(&w.scenario(&lesson.scenario, &w.start));
            ws.name = format!("Exercise: {}", w.id);
            if let Some(row) = ws.requests.first_mut() {
                if row.name.is_empty() {
                    row.name = "Your request".into();
                }
            }
            ws
        }
        _ => {
            let hidden = hidden_requests(lesson, progress);
            let mut scenario = lesson.scenario.clone();
            scenario
                .requests
                .retain(|r| !r.name.as_deref().is_some_and(|n| hidden.contains(n)));
            let mut ws = Workspace::from_scenario(&scenario);
            ws.name.clone_from(&lesson.title);
            ws
        }
    }
}

/// Requests of the lesson's scenario that a prediction not yet made asks about: the table
/// leaves them out until the prediction is right.
pub fn hidden_requests<'a>(lesson: &'a Lesson, progress: &Progress) -> BTreeSet<&'a str> {
    lesson
        .exercises
        .iter()
        .filter_map(|e| match e {
            Exercise::Predict(p) if !progress.is_done(&lesson.id, &p.id) => {
                Some(p.request.as_str())
            }
            _ => None,
        })
        .collect()
}

/// How the workbench fares on an exercise.
#[derive(Clone, Debug, PartialEq)]
pub enum BenchGrade {
    Fix {
        passed: usize,
        total: usize,
        /// Requests still not as expected, by name.
        failing: Vec<String>,
    },
    Request {
        decision: Option<Decision>,
        error: Option<String>,
        /// Fields changed that the exercise does not let the learner change.
        not_editable: Vec<RequestField>,
        reached: bool,
    },
}

impl BenchGrade {
    pub fn solved(&self) -> bool {
        match self {
            BenchGrade::Fix { passed, total, .. } => *total > 0 && passed == total,
            BenchGrade::Request { reached, .. } => *reached,
        }
    }
}

/// Grades what the workbench holds against the exercise: for a fix, the exercise's own
/// requests against its policies with the editable ones taken from the workbench (edits to
/// read-only policies, requests or expectations do not count); for a request, the
/// workbench's first request.
pub fn grade(lesson: &Lesson, exercise: &Exercise, ws: &Workspace) -> Option<BenchGrade> {
    match exercise {
        Exercise::Predict(_) => None,
        Exercise::Fix(f) => {
            let mut policies = f.policies.clone();
            for id in &f.edit {
                let (Ok(pid), Some(slot)) =
                    (id.parse::<PolicyId>(), policy_slot_mut(&mut policies, id))
                else {
                    continue;
                };
                if let Some(doc) = ws.policy(pid) {
                    *slot = PolicySource::Text(doc.text.clone());
                }
            }
            let outcome = f.check(&policies);
            Some(BenchGrade::Fix {
                passed: outcome.passed,
                total: outcome.results.len(),
                failing: outcome
                    .results
                    .iter()
                    .zip(&f.requests)
                    .filter(|(r, _)| r.pass != Some(true))
                    .map(|(_, spec)| spec.name.clone().unwrap_or_default())
                    .collect(),
            })
        }
        Exercise::Request(w) => {
            let row = ws.requests.first()?;
            let spec = learner_request(w, row);
            let outcome = w.check(&lesson.scenario, &spec);
            Some(BenchGrade::Request {
                decision: outcome.result.decision,
                error: outcome.result.error.clone(),
                reached: outcome.reached(w.goal),
                not_editable: outcome.not_editable,
            })
        }
    }
}

/// The learner's request: the exercise's starting request with each field the learner
/// changed in the table (compared with the start as the table shows it, so that a field
/// left alone is exactly the start's).
fn learner_request(w: &WriteRequest, row: &RequestRow) -> RequestSpec {
    let shown = RequestRow::from_spec(&w.start);
    let typed = row.to_spec();
    let mut spec = w.start.clone();
    if row.principal != shown.principal {
        spec.principal = typed.principal;
    }
    if row.action != shown.action {
        spec.action = typed.action;
    }
    if row.resource != shown.resource {
        spec.resource = typed.resource;
    }
    if row.resource_account != shown.resource_account {
        spec.resource_account = typed.resource_account;
    }
    if row.source_ip != shown.source_ip || row.context != shown.context {
        spec.context = typed.context;
    }
    spec
}

/// The request fields in words.
pub fn field_label(f: RequestField) -> &'static str {
    match f {
        RequestField::Principal => "the principal",
        RequestField::Action => "the action",
        RequestField::Resource => "the resource",
        RequestField::ResourceAccount => "the resource account",
        RequestField::Context => "the context keys (source IP among them)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iam_lessons::Course;

    /// The course as the Learn view reads it: the lesson folders through the generator
    /// (`lessons-bundle`'s own functions) and the bundle's JSON.
    fn course() -> Rc<Course> {
        let lessons = iam_lessons::source::load_dir(&iam_lessons::source::default_dir())
            .expect("the lessons load");
        let json = iam_lessons::bundle::bundle_json(&iam_lessons::bundle::build_course(&lessons));
        Rc::new(Course::from_json(&json).expect("the bundle reads"))
    }

    fn first_predict(course: &Course) -> (Lesson, Predict) {
        let lesson = course.lessons[0].clone();
        let p = lesson
            .exercises
            .iter()
            .find_map(|e| match e {
                Exercise::Predict(p) => Some(p.clone()),
                _ => None,
            })
            .expect("a prediction in lesson 1");
        (lesson, p)
    }

    #[test]
    fn a_wrong_prediction_is_explained_and_a_right_one_is_saved() {
        let course = course();
        let (lesson, p) = first_predict(&course);
        let s = Rc::new(LearnState::new(
            course.clone(),
            Progress::default(),
            Some(lesson.id.clone()),
        ));
        assert_eq!(s.progress.last.as_deref(), Some(lesson.id.as_str()));
        let wrong = [
            Decision::Allowed,
            Decision::ExplicitDeny,
            Decision::ImplicitDeny,
        ]
        .into_iter()
        .find(|d| *d != p.answer)
        .unwrap();
        let s = s.reduce(LearnAction::Check(p.id.clone()));
        assert!(s.predict[&p.id].incomplete, "no decision picked yet");
        let s = s.reduce(LearnAction::PickDecision(p.id.clone(), wrong));
        let s = s.reduce(LearnAction::Check(p.id.clone()));
        let r = s.predict[&p.id].reveal.clone().unwrap();
        assert!(!r.grade.right());
        assert_eq!(r.decision, Some(p.answer));
        assert!(!r.explanation.is_empty());
        assert!(!s.is_done(&p.id));
        // The request stays out of the table until the prediction is right.
        assert!(hidden_requests(&lesson, &s.progress).contains(p.request.as_str()));
        let s = s.reduce(LearnAction::PickDecision(p.id.clone(), p.answer));
        let choices = statement_choices(&lesson, &p);
        let right = choices.iter().position(|c| {
            p.deciding.iter().any(|d| {
                d.policy == c.pick.policy
                    && (d.sid.is_some() && d.sid == c.pick.sid || d.statement == c.pick.statement)
            })
        });
        let s = s.reduce(LearnAction::PickStatement(p.id.clone(), right));
        let s = s.reduce(LearnAction::Check(p.id.clone()));
        assert!(s.predict[&p.id].reveal.as_ref().unwrap().grade.right());
        assert_eq!(s.predict[&p.id].reveal.as_ref().unwrap().tries, 2);
        assert!(s.is_done(&p.id));
        assert_eq!(s.revealed.as_deref(), Some(p.request.as_str()));
        assert!(!hidden_requests(&lesson, &s.progress).contains(p.request.as_str()));
        // Saved and read back.
        let back = Progress::from_json(&s.progress.to_json());
        assert!(back.is_done(&lesson.id, &p.id));
        // Reset forgets it.
        let s = s.reduce(LearnAction::Reset);
        assert!(!s.is_done(&p.id));
    }

    #[test]
    fn every_fix_and_request_exercise_is_graded_on_the_workbench() {
        let course = course();
        let mut fixes = 0;
        let mut requests = 0;
        for lesson in &course.lessons {
            for e in &lesson.exercises {
                if e.needs_engine().is_some() {
                    continue;
                }
                let bench = Bench::Exercise(e.id().to_string());
                let mut ws = bench_workspace(lesson, &bench, &Progress::default());
                match e {
                    Exercise::Fix(f) => {
                        fixes += 1;
                        let g = grade(lesson, e, &ws).unwrap();
                        assert!(!g.solved(), "{}: solved as given", f.id);
                        // Editing a request's expectation in the table does not count.
                        for row in &mut ws.requests {
                            row.expect = None;
                        }
                        assert!(!grade(lesson, e, &ws).unwrap().solved());
                        for (id, source) in &f.solution {
                            let pid: PolicyId = id.parse().unwrap();
                            ws.policy_mut(pid).unwrap().text = source.text();
                        }
                        let g = grade(lesson, e, &ws).unwrap();
                        assert!(g.solved(), "{}: {g:?}", f.id);
                    }
                    Exercise::Request(w) => {
                        requests += 1;
                        let g = grade(lesson, e, &ws).unwrap();
                        assert!(!g.solved(), "{}: reached as given", w.id);
                        ws.requests[0] = RequestRow {
                            name: ws.requests[0].name.clone(),
                            ..RequestRow::from_spec(&w.solution)
                        };
                        let g = grade(lesson, e, &ws).unwrap();
                        assert!(g.solved(), "{}: {g:?}", w.id);
                    }
                    Exercise::Predict(_) => {}
                }
            }
        }
        assert!(
            fixes > 0 && requests > 0,
            "{fixes} fixes, {requests} requests"
        );
    }

    #[test]
    fn a_request_field_the_exercise_keeps_fixed_does_not_count() {
        let course = course();
        let (lesson, w) = course
            .lessons
            .iter()
            .find_map(|l| {
                l.exercises.iter().find_map(|e| match e {
                    Exercise::Request(w) if !w.editable.contains(&RequestField::Action) => {
                        Some((l.clone(), w.clone()))
                    }
                    _ => None,
                })
            })
            .expect("a request exercise with a fixed action");
        let e = Exercise::Request(w.clone());
        let mut ws = bench_workspace(
            &lesson,
            &Bench::Exercise(w.id.clone()),
            &Progress::default(),
        );
        ws.requests[0].action = "iam:CreateUser".into();
        match grade(&lesson, &e, &ws) {
            Some(BenchGrade::Request {
                not_editable,
                reached,
                ..
            }) => {
                assert_eq!(not_editable, vec![RequestField::Action]);
                assert!(!reached);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_lesson_list_resumes_where_the_learner_was() {
        let course = course();
        let s = LearnState::new(course.clone(), Progress::default(), None);
        assert_eq!(s.resume().map(|l| l.number), Some(1));
        let s = LearnState::new(
            course.clone(),
            s.progress.clone(),
            Some("03-actions".into()),
        );
        assert_eq!(s.resume().map(|l| l.id.as_str()), Some("03-actions"));
        let unknown = LearnState::new(course, Progress::default(), Some("99-nothing".into()));
        assert!(unknown.lesson.is_none());
    }
}

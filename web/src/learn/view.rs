//! The Learn view's components: the lesson list, a lesson (its text, its exercises) and the
//! workbench, which is the playground's own policy editor and request table
//! (`crate::components::policies::PolicyPanel`, `crate::components::requests::RequestPanel`)
//! on a store of its own. Components render and dispatch; the grading is in `super::state`.

use std::rc::Rc;

use gloo::events::EventListener;
use iam_lessons::{Course, Exercise, Fix, Lesson, Predict, Progress, WriteRequest};
use iam_policy::explain::decision_label;
use iam_policy::{Decision, RequestSpec};
use yew::prelude::*;

use super::route;
use super::state::{
    bench_workspace, field_label, grade, hidden_requests, statement_choices, Bench, BenchGrade,
    LearnAction, LearnState,
};
use crate::browser;
use crate::components::policies::PolicyPanel;
use crate::components::requests::RequestPanel;
use crate::components::{target_value, Store};
use crate::model::Workspace;
use crate::state::{Action, Notice, State};

pub type LearnStore = UseReducerHandle<LearnState>;

const DECISIONS: [Decision; 3] = [
    Decision::Allowed,
    Decision::ExplicitDeny,
    Decision::ImplicitDeny,
];

fn load_progress() -> Progress {
    use gloo::storage::{LocalStorage, Storage};
    LocalStorage::raw()
        .get_item(iam_lessons::progress::STORAGE_KEY)
        .ok()
        .flatten()
        .map(|t| Progress::from_json(&t))
        .unwrap_or_default()
}

fn save_progress(p: &Progress) {
    use gloo::storage::{LocalStorage, Storage};
    let _ = LocalStorage::raw().set_item(iam_lessons::progress::STORAGE_KEY, &p.to_json());
}

fn raw_html(html: &str) -> Html {
    // Rendered at build time by pulldown-cmark, raw HTML escaped (crate iam-lessons).
    Html::from_html_unchecked(AttrValue::from(html.to_string()))
}

#[derive(Properties, Clone, PartialEq)]
pub struct LearnAppProps {
    pub course: Option<Rc<Course>>,
    /// Why the course could not be read.
    pub error: Option<String>,
}

#[component]
pub fn LearnApp(props: &LearnAppProps) -> Html {
    match props.course.clone() {
        Some(course) => html! { <Learn {course} /> },
        None => html! {
            <div class="learn">
                <p class="notice notice-error" role="alert">
                    { format!("The course could not be read: {}", props.error.clone().unwrap_or_default()) }
                </p>
                <p><a href="#">{ "Back to the playground" }</a></p>
            </div>
        },
    }
}

#[derive(Properties, Clone)]
struct LearnProps {
    course: Rc<Course>,
}

impl PartialEq for LearnProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.course, &other.course)
    }
}

#[component]
fn Learn(props: &LearnProps) -> Html {
    let course = props.course.clone();
    let store: LearnStore = use_reducer(move || {
        let lesson = route::parse(&browser::fragment()).flatten();
        LearnState::new(course, load_progress(), lesson)
    });
    // The route follows the address.
    {
        let d = store.dispatcher();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| {
                    if let Some(lesson) = route::parse(&browser::fragment()) {
                        d.dispatch(LearnAction::Route(lesson));
                    }
                })
            });
            move || drop(listener)
        });
    }
    // Progress is saved on every change.
    {
        let store = store.clone();
        use_effect_with(store.saved, move |_| save_progress(&store.progress));
    }
    // A new page: to the top, the heading focused (keyboard and screen-reader users land on it).
    use_effect_with(store.lesson.clone(), move |_| {
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
            if let Some(h) = w
                .document()
                .and_then(|d| d.get_element_by_id("learn-heading"))
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
            {
                let _ = h.focus();
            }
        }
    });

    let page = match store.current().cloned() {
        Some(lesson) => {
            let key = lesson.id.clone();
            html! { <LessonPage {key} lesson={Rc::new(lesson)} /> }
        }
        None => lesson_list(&store),
    };
    html! {
        <ContextProvider<LearnStore> context={store.clone()}>
            <div class="learn" data-lesson={store.lesson.clone().unwrap_or_default()}>
                <header class="topbar learn-top">
                    <div class="brand">
                        <p class="learn-app-name">{ "IAM policy playground" }</p>
                        <p class="scenario-name">{ "Learn: how AWS decides" }</p>
                    </div>
                    <nav class="actions" aria-label="Learn">
                        <a class="button" href={route::href(None)} id="learn-lessons">{ "All lessons" }</a>
                        <a class="button" href="#" id="learn-back">{ "Back to the playground" }</a>
                    </nav>
                </header>
                { page }
            </div>
        </ContextProvider<LearnStore>>
    }
}

fn lesson_list(store: &LearnStore) -> Html {
    let course = &store.course;
    let done_all: usize = course
        .lessons
        .iter()
        .map(|l| store.progress.lesson_progress(l).0)
        .sum();
    let total_all: usize = course.lessons.iter().map(|l| l.exercises.len()).sum();
    let resume = store.resume().map(|l| {
        let started = done_all > 0 || store.progress.last.is_some();
        html! {
            <a class="button primary" id="learn-continue" href={route::href(Some(&l.id))}>
                { if started { format!("Continue: lesson {}", l.number) } else { "Start with lesson 1".to_string() } }
            </a>
        }
    });
    let items = course.lessons.iter().map(|l| {
        let (done, total) = store.progress.lesson_progress(l);
        let complete = total > 0 && done == total;
        html! {
            <li class={classes!("lesson-item", complete.then_some("complete"))} data-lesson={l.id.clone()}>
                <a href={route::href(Some(&l.id))} class="lesson-link">
                    <span class="lesson-number">{ l.number }</span>
                    <span class="lesson-title">{ l.title.clone() }</span>
                </a>
                <p class="lesson-summary">{ l.summary.clone() }</p>
                <p class="lesson-progress">
                    if complete { <span class="mark pass" aria-hidden="true">{ "✓ " }</span> }
                    { format!("{done} of {total} exercises done") }
                </p>
            </li>
        }
    });
    let ask = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(LearnAction::AskReset(true)))
    };
    let cancel = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(LearnAction::AskReset(false)))
    };
    let reset = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(LearnAction::Reset))
    };
    html! {
        <main class="learn-list" aria-labelledby="learn-heading">
            <h1 id="learn-heading" tabindex="-1">{ "Learn how AWS decides" }</h1>
            <p class="learn-intro">
                { "Each lesson explains one rule of AWS's policy evaluation in plain words, following the AWS documentation, \
                   and lets you try it on a live scenario in the playground's editor. The engine that answers is the playground's own: \
                   predict its answer, fix policies, write requests. Everything works offline; your progress stays in this browser." }
            </p>
            <div class="learn-list-actions">
                { for resume }
                <span class="muted" id="learn-total">{ format!("{done_all} of {total_all} exercises done") }</span>
                if store.confirm_reset {
                    <span class="reset-confirm" role="group" aria-label="Reset progress">
                        { "Forget every answer? " }
                        <button class="danger" id="learn-reset-yes" onclick={reset}>{ "Yes, reset" }</button>
                        <button id="learn-reset-no" onclick={cancel}>{ "Cancel" }</button>
                    </span>
                } else {
                    <button id="learn-reset" onclick={ask} disabled={done_all == 0}>{ "Reset progress" }</button>
                }
            </div>
            <ol class="lesson-list">{ for items }</ol>
        </main>
    }
}

#[derive(Properties, Clone, PartialEq)]
struct LessonProps {
    lesson: Rc<Lesson>,
}

#[component]
fn LessonPage(props: &LessonProps) -> Html {
    let Some(store) = use_context::<LearnStore>() else {
        return html! {};
    };
    let lesson = props.lesson.clone();
    let hidden = hidden_requests(&lesson, &store.progress).len();
    // The workbench: the playground's own state and reducer, on what the learner works on.
    let bench: Store = {
        let lesson = lesson.clone();
        let bench_key = store.bench.clone();
        let progress = store.progress.clone();
        use_reducer(move || State::new(bench_workspace(&lesson, &bench_key, &progress), None))
    };
    {
        // Another exercise taken up, or a prediction made (its request joins the table).
        let bench = bench.clone();
        let lesson = lesson.clone();
        let progress = store.progress.clone();
        let revealed = store.revealed.clone();
        let first = use_mut_ref(|| true);
        // (An exercise's edits are kept while predictions are made elsewhere on the page.)
        let hidden_key = if store.bench == Bench::Lesson {
            hidden
        } else {
            0
        };
        use_effect_with((store.bench.clone(), hidden_key), move |(b, _)| {
            if std::mem::take(&mut *first.borrow_mut()) {
                return;
            }
            let ws = bench_workspace(&lesson, b, &progress);
            // The request a prediction has just revealed is selected: its trace shows.
            let select = revealed
                .as_deref()
                .filter(|_| *b == Bench::Lesson)
                .and_then(|name| ws.requests.iter().position(|r| r.name == name));
            bench.dispatch(Action::Load(Box::new(ws), Notice::info("")));
            if let Some(i) = select {
                bench.dispatch(Action::SelectRequest(i));
            }
        });
    }
    // The catalog (completion, lint findings), when the playground has it.
    {
        let d = bench.dispatcher();
        use_effect_with((), move |_| {
            crate::catalog::start(move |r| d.dispatch(Action::CatalogLoaded(r)));
        });
    }
    // The workbench graded against the exercise it holds.
    let graded: Option<(String, BenchGrade)> = match &store.bench {
        Bench::Exercise(id) => lesson
            .exercise(id)
            .and_then(|e| grade(&lesson, e, &bench.ws))
            .map(|g| (id.clone(), g)),
        Bench::Lesson => None,
    };
    {
        let solved = graded
            .as_ref()
            .filter(|(_, g)| g.solved())
            .map(|(id, _)| id.clone());
        let d = store.dispatcher();
        use_effect_with(solved, move |s| {
            if let Some(id) = s {
                d.dispatch(LearnAction::Solved(id.clone()));
            }
        });
    }

    let course = &store.course;
    let prev = course.previous(&lesson.id).map(|l| {
        html! { <a class="button" id="lesson-prev" href={route::href(Some(&l.id))}>{ format!("← Lesson {}", l.number) }</a> }
    });
    let next = course.next(&lesson.id).map(|l| {
        html! { <a class="button primary" id="lesson-next" href={route::href(Some(&l.id))}>{ format!("Lesson {}: {} →", l.number, l.title) }</a> }
    });
    let docs = lesson.docs.iter().map(|d| {
        html! { <li><a href={d.url.clone()} target="_blank" rel="noopener noreferrer">{ d.title.clone() }</a></li> }
    });
    let (done, total) = store.progress.lesson_progress(&lesson);
    let cards = lesson
        .exercises
        .iter()
        .enumerate()
        .map(|(i, e)| exercise_card(&store, &lesson, i, e, graded.as_ref()));

    let bench_title = match &store.bench {
        Bench::Lesson => "The lesson's scenario".to_string(),
        Bench::Exercise(id) => match lesson
            .exercise(id)
            .map(|e| (e.kind(), lesson.exercises.iter().position(|x| x.id() == id)))
        {
            Some(("fix", Some(n))) => format!("Exercise {}: fix the policy", n + 1),
            Some((_, Some(n))) => format!("Exercise {}: write the request", n + 1),
            _ => "Exercise".to_string(),
        },
    };
    let back_to_lesson = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(LearnAction::Work(Bench::Lesson)))
    };
    let open_in_playground = {
        let lesson = lesson.clone();
        let bench = store.bench.clone();
        Callback::from(move |_| {
            let scenario = match &bench {
                Bench::Exercise(id) => lesson
                    .exercise(id)
                    .map_or_else(|| lesson.scenario.clone(), |e| e.scenario(&lesson)),
                Bench::Lesson => lesson.scenario.clone(),
            };
            let mut ws = Workspace::from_scenario(&scenario);
            if ws.name.is_empty() {
                ws.name = format!("Lesson {}: {}", lesson.number, lesson.title);
            }
            browser::open_in_playground(&ws);
        })
    };

    html! {
        <div class="learn-page">
            <article class="learn-text" aria-labelledby="learn-heading">
                <p class="lesson-kicker">
                    { format!("Lesson {} of {}", lesson.number, course.lessons.len()) }
                    <span class="lesson-done" id="lesson-done">{ format!(" · {done} of {total} exercises done") }</span>
                </p>
                <h1 id="learn-heading" tabindex="-1">{ lesson.title.clone() }</h1>
                <div class="lesson-body">{ raw_html(&lesson.html) }</div>
                <aside class="lesson-docs" aria-label="AWS documentation">
                    <p>{ "This lesson follows the AWS documentation:" }</p>
                    <ul>{ for docs }</ul>
                </aside>
                <section class="exercises" aria-labelledby="exercises-heading">
                    <h2 id="exercises-heading">{ "Exercises" }</h2>
                    { for cards }
                </section>
                <nav class="lesson-nav" aria-label="Lessons">
                    { for prev }
                    <a class="button" href={route::href(None)}>{ "All lessons" }</a>
                    { for next }
                </nav>
            </article>
            <section class="learn-bench" aria-labelledby="bench-heading">
                <div class="bench-head">
                    <h2 id="bench-heading">{ bench_title }</h2>
                    <div class="bench-actions">
                        if store.bench != Bench::Lesson {
                            <button id="bench-lesson" onclick={back_to_lesson}>{ "Back to the lesson's scenario" }</button>
                        }
                        <button id="open-in-playground" onclick={open_in_playground}
                            title="Opens this scenario in the playground, as a share link">{ "Open in playground" }</button>
                    </div>
                </div>
                if store.bench == Bench::Lesson && hidden > 0 {
                    <p class="hint bench-note">
                        { format!("{hidden} request{} of this scenario join the table once you have predicted {}.",
                            if hidden == 1 { "" } else { "s" }, if hidden == 1 { "its decision" } else { "their decisions" }) }
                    </p>
                }
                <ContextProvider<Store> context={bench.clone()}>
                    <div class="learn-workspace">
                        <PolicyPanel />
                        <RequestPanel />
                    </div>
                </ContextProvider<Store>>
            </section>
        </div>
    }
}

fn exercise_card(
    store: &LearnStore,
    lesson: &Lesson,
    i: usize,
    e: &Exercise,
    graded: Option<&(String, BenchGrade)>,
) -> Html {
    let done = store.is_done(e.id());
    let (kind, body) = match e {
        Exercise::Predict(p) => ("Predict, then reveal", predict_body(store, lesson, p, done)),
        Exercise::Fix(f) => (
            "Fix the policy",
            fix_body(
                store,
                f,
                graded.filter(|(id, _)| id == &f.id).map(|(_, g)| g),
                done,
            ),
        ),
        Exercise::Request(w) => (
            "Write the request",
            request_body(
                store,
                w,
                graded.filter(|(id, _)| id == &w.id).map(|(_, g)| g),
                done,
            ),
        ),
    };
    let heading = format!("ex-{}-heading", e.id());
    html! {
        <section class={classes!("exercise", done.then_some("done"))} id={format!("ex-{}", e.id())}
            data-kind={e.kind()} data-done={done.to_string()} aria-labelledby={heading.clone()}>
            <h3 id={heading}>
                { format!("Exercise {} · {kind}", i + 1) }
                if done { <span class="done-mark">{ " ✓" }<span class="visually-hidden">{ " done" }</span></span> }
            </h3>
            <div class="prompt">{ raw_html(e.prompt()) }</div>
            if let Some(c) = e.needs_engine() {
                <p class="hint needs-engine">{ format!("The playground's engine does not follow this documented rule yet (pending correction: {c}). The expected answer is AWS's, as documented; the engine's trace may say otherwise.") }</p>
            }
            { body }
        </section>
    }
}

fn request_facts(r: &RequestSpec) -> Html {
    let context = r
        .context
        .iter()
        .map(|(k, v)| html! { <li><code>{ format!("{k} = {v}") }</code></li> })
        .collect::<Html>();
    html! {
        <dl class="request-facts">
            <dt>{ "Principal" }</dt><dd><code>{ r.principal.clone() }</code></dd>
            <dt>{ "Action" }</dt><dd><code>{ r.action.clone() }</code></dd>
            <dt>{ "Resource" }</dt><dd><code>{ r.resource.clone() }</code></dd>
            if let Some(a) = &r.resource_account { <dt>{ "Resource account" }</dt><dd><code>{ a.clone() }</code></dd> }
            <dt>{ "Context" }</dt>
            <dd>
                if r.context.is_empty() { <span class="muted">{ "none" }</span> } else { <ul class="plain">{ context }</ul> }
            </dd>
        </dl>
    }
}

fn predict_body(store: &LearnStore, lesson: &Lesson, p: &Predict, done: bool) -> Html {
    let id = p.id.clone();
    let ui = store.predict.get(&id).cloned().unwrap_or_default();
    let choices = statement_choices(lesson, p);
    let radios = DECISIONS.iter().map(|d| {
        let d = *d;
        let input_id = format!("pred-{id}-{}", d.as_str());
        let onchange = {
            let s = store.dispatcher();
            let id = id.clone();
            Callback::from(move |_| s.dispatch(LearnAction::PickDecision(id.clone(), d)))
        };
        html! {
            <label class="choice" for={input_id.clone()}>
                <input type="radio" id={input_id} name={format!("pred-{id}")} value={d.as_str()}
                    checked={ui.decision == Some(d)} {onchange} />
                { decision_label(d) }
            </label>
        }
    });
    let pick_statement = {
        let s = store.dispatcher();
        let id = id.clone();
        Callback::from(move |e: Event| {
            let v = target_value(&e);
            s.dispatch(LearnAction::PickStatement(id.clone(), v.parse().ok()));
        })
    };
    let check = {
        let s = store.dispatcher();
        let id = id.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            s.dispatch(LearnAction::Check(id.clone()));
        })
    };
    let request = lesson.request(&p.request);
    let feedback = match &ui.reveal {
        _ if ui.incomplete => html! { <p>{ "Pick a decision first." }</p> },
        Some(r) => {
            let engine = r.decision.map_or(
                "no decision (the request could not be evaluated)",
                decision_label,
            );
            let verdict = if r.grade.right() {
                html! { <p class="verdict-right"><strong>{ "Right. " }</strong>{ format!("AWS decides: {engine}.") }</p> }
            } else if r.grade.decision_right {
                html! {
                    <p class="verdict-wrong"><strong>{ "The decision is right, the statement is not. " }</strong>
                        { format!("AWS decides {engine} because of {}.", r.deciding.join(" and ")) }</p>
                }
            } else {
                html! {
                    <p class="verdict-wrong"><strong>{ "Not quite. " }</strong>
                        { format!("AWS decides: {engine}, not {}.", ui.decision.map_or("", decision_label)) }</p>
                }
            };
            html! {
                <>
                    { verdict }
                    if r.explanation.iter().any(|l| !l.is_empty()) {
                        <div class="engine-says">
                            <p class="engine-title">{ "The engine's explanation of the deciding step:" }</p>
                            <ul class="explain-lines">
                                { for r.explanation.iter().map(|l| html! { <li>{ l.clone() }</li> }) }
                            </ul>
                        </div>
                    }
                    if r.grade.right() {
                        <div class="why">{ raw_html(&p.why) }</div>
                        <p class="hint">{ "The request has joined the lesson's scenario in the table: select it there for its whole trace." }</p>
                    } else {
                        <p class="try-again">{ "Read the explanation, then pick again." }</p>
                    }
                </>
            }
        }
        None if done => html! {
            <>
                <p class="verdict-right">{ format!("Done: AWS decides {}.", decision_label(p.answer)) }</p>
                <details class="why"><summary>{ "Why" }</summary>{ raw_html(&p.why) }</details>
            </>
        },
        None => html! {},
    };
    html! {
        <form class="predict" onsubmit={check}>
            if let Some(r) = request {
                <p class="request-name">{ format!("The request “{}”:", p.request) }</p>
                { request_facts(r) }
            }
            <fieldset class="choices">
                <legend>{ "What does AWS decide?" }</legend>
                { for radios }
            </fieldset>
            if !choices.is_empty() {
                <div class="field">
                    <label for={format!("stmt-{id}")}>{ "Which statement decides?" }</label>
                    <select id={format!("stmt-{id}")} class="statement-pick" onchange={pick_statement}>
                        <option value="" selected={ui.statement.is_none()}>{ "Choose a statement" }</option>
                        { for choices.iter().enumerate().map(|(i, c)| html! {
                            <option value={i.to_string()} selected={ui.statement == Some(i)}>{ c.label.clone() }</option>
                        }) }
                    </select>
                </div>
            }
            <button type="submit" class="primary check">{ "Check my answer" }</button>
            <div class="feedback" role="status" aria-live="polite" aria-atomic="true">{ feedback }</div>
        </form>
    }
}

fn hints_block(store: &LearnStore, id: &str, hints: &[String]) -> Html {
    let shown = store.hints.get(id).copied().unwrap_or(0).min(hints.len());
    let more = {
        let s = store.dispatcher();
        let id = id.to_string();
        Callback::from(move |_| s.dispatch(LearnAction::ShowHint(id.clone())))
    };
    html! {
        <div class="hints">
            if shown > 0 {
                <ol class="hint-list" aria-live="polite">
                    { for hints.iter().take(shown).map(|h| html! { <li>{ raw_html(h) }</li> }) }
                </ol>
            }
            if shown < hints.len() {
                <button class="link-button show-hint" onclick={more}>
                    { format!("Show a hint ({} of {})", shown + 1, hints.len()) }
                </button>
            }
        </div>
    }
}

fn work_button(store: &LearnStore, id: &str, label: &str) -> Html {
    let s = store.dispatcher();
    let id = id.to_string();
    let onclick =
        Callback::from(move |_| s.dispatch(LearnAction::Work(Bench::Exercise(id.clone()))));
    html! { <button class="primary work" {onclick}>{ label.to_string() }</button> }
}

fn fix_body(store: &LearnStore, f: &Fix, graded: Option<&BenchGrade>, done: bool) -> Html {
    let active = store.bench == Bench::Exercise(f.id.clone());
    let editable = f
        .edit
        .iter()
        .filter_map(|id| id.parse::<iam_policy::PolicyId>().ok())
        .map(|id| format!("“{}”", id.title()))
        .collect::<Vec<_>>()
        .join(", ");
    let status = match graded {
        Some(BenchGrade::Fix { passed, total, .. }) if passed == total => html! {
            <p class="verdict-right"><strong>{ "Solved. " }</strong>{ format!("All {total} requests get their expected decision.") }</p>
        },
        Some(BenchGrade::Fix {
            passed,
            total,
            failing,
        }) => html! {
            <p>{ format!("{passed} of {total} requests as expected. Not yet: {}.", failing.iter().map(|n| format!("“{n}”")).collect::<Vec<_>>().join(", ")) }</p>
        },
        _ => html! {},
    };
    html! {
        <div class="fix">
            <p class="hint">{ format!("Edit {editable} in the editor until every request's mark is ✓ (the request table shows the expected decisions). Only {editable} counts.") }</p>
            if active {
                <div class="bench-status" role="status" aria-live="polite">{ status }</div>
            } else {
                { work_button(store, &f.id, if done { "Open it in the editor again" } else { "Work on it in the editor" }) }
            }
            { hints_block(store, &f.id, &f.hints) }
            if done {
                <div class="why">{ raw_html(&f.why) }</div>
            }
        </div>
    }
}

fn request_body(
    store: &LearnStore,
    w: &WriteRequest,
    graded: Option<&BenchGrade>,
    done: bool,
) -> Html {
    let active = store.bench == Bench::Exercise(w.id.clone());
    let fields = w
        .editable
        .iter()
        .map(|f| field_label(*f))
        .collect::<Vec<_>>()
        .join(", ");
    let status = match graded {
        Some(BenchGrade::Request {
            decision,
            error,
            not_editable,
            reached,
        }) => {
            let now = decision.map_or_else(
                || format!("not evaluated: {}", error.clone().unwrap_or_default()),
                |d| decision_label(d).to_string(),
            );
            html! {
                <>
                    if *reached {
                        <p class="verdict-right"><strong>{ "Solved. " }</strong>{ format!("Your request is {now}.") }</p>
                    } else {
                        <p>{ format!("Your request is {now}; the goal is {}.", decision_label(w.goal)) }</p>
                    }
                    if !not_editable.is_empty() {
                        <p class="verdict-wrong">{ format!("This exercise keeps {} as given: change it back.",
                            not_editable.iter().map(|f| field_label(*f)).collect::<Vec<_>>().join(" and ")) }</p>
                    }
                </>
            }
        }
        _ => html! {},
    };
    html! {
        <div class="write-request">
            <p class="hint">{ format!("Goal: {}. Change {fields} of the request in the table's form.", decision_label(w.goal)) }</p>
            if active {
                <div class="bench-status" role="status" aria-live="polite">{ status }</div>
            } else {
                { work_button(store, &w.id, if done { "Open it in the editor again" } else { "Work on it in the editor" }) }
            }
            { hints_block(store, &w.id, &w.hints) }
            if done {
                <div class="why">{ raw_html(&w.why) }</div>
            }
        </div>
    }
}

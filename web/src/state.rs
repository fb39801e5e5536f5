//! The app state and its reducer (Yew's `use_reducer`, as in the function_todomvc example).
//! Components only dispatch `Action`s; every change of the workspace re-evaluates every
//! request through the one engine service (`crate::engine`).

use std::rc::Rc;

use yew::prelude::*;

use iam_policy::{Decision, PolicyId, PolicyKind, RequestSpec, Span};

use crate::catalog::{self, CatalogStatus, Changes, Lint};
use crate::engine::{self, Evaluation};
use crate::managed::{self, ManagedStatus, Search};
use crate::model::{ContextField, PolicyDoc, RequestRow, ValueKind, View, Workspace};

/// A short message for the status line (also announced to screen readers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

impl Notice {
    pub fn info(text: impl Into<String>) -> Self {
        Notice {
            text: text.into(),
            error: false,
        }
    }
    pub fn error(text: impl Into<String>) -> Self {
        Notice {
            text: text.into(),
            error: true,
        }
    }
}

/// A request to move the editor's selection to a range (the nonce makes each click count).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reveal {
    pub policy: PolicyId,
    pub range: Span,
    pub nonce: u64,
}

/// The work a load or a sweeping change replaced, kept until the user restores or dismisses
/// it (a share link, an example or "New" never silently throws away what was there).
#[derive(Clone, Debug, PartialEq)]
pub struct Kept {
    pub ws: Rc<Workspace>,
    /// What happened ("Opened the shared scenario from the link.").
    pub what: String,
    /// The button's words ("Restore your previous work", "Undo").
    pub button: String,
    /// An undo of one step: forgotten at the next change (which it would also undo).
    pub undo: bool,
}

impl Kept {
    fn undo(ws: &Workspace, what: String) -> Kept {
        Kept {
            ws: Rc::new(ws.clone()),
            what,
            button: "Undo".into(),
            undo: true,
        }
    }
}

#[derive(Clone, Debug)]
pub struct State {
    pub ws: Workspace,
    /// The policy shown in the editor.
    pub selected: Option<PolicyId>,
    /// The request whose details and explanation are shown.
    pub active_request: Option<usize>,
    pub eval: Rc<Evaluation>,
    pub notice: Option<Notice>,
    pub reveal: Option<Reveal>,
    /// Counts workspace changes (autosave and tests watch it).
    pub revision: u64,
    /// The examples dialog is open.
    pub gallery_open: bool,
    /// The share link last made (shown for copying).
    pub share_link: Option<String>,
    /// The lazily loaded service catalog (crate::catalog).
    pub catalog: CatalogStatus,
    /// Its findings and the selected policy's access summary (empty until it is loaded).
    pub lint: Rc<Lint>,
    /// What would change the decision of the request shown in detail (from the lazy part:
    /// empty until it is loaded).
    pub changes: Rc<Changes>,
    /// The work the last load replaced, for "Restore your previous work".
    pub kept: Option<Kept>,
    /// The workspace as the session started from it (the example, upload or share link
    /// opened, or the first text of the session): what the diff view compares against.
    pub origin: Rc<Workspace>,
    /// The AWS managed policies (loaded lazily: crate::managed).
    pub managed: ManagedStatus,
    /// The managed policy picker, when open: the last search.
    pub picker: Option<Rc<Search>>,
    /// The diff view, when open.
    pub diff: Option<DiffView>,
}

/// What the diff view compares and what it found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DiffView {
    /// Two pasted versions (else: the selected policy against the version the session
    /// started from).
    pub pasted: bool,
    /// The pasted versions and their kind ("identity" or "resource").
    pub old: String,
    pub new: String,
    pub kind: String,
    /// What was compared last (old, new, kind) and the lazy part's HTML for it (None: not
    /// loaded yet).
    pub compared: Option<(String, String, String)>,
    pub html: Option<Rc<String>>,
}

/// The sides of the pasted diff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffSide {
    Old,
    New,
}

/// Evaluations and lint results are compared by identity: the reducer makes new ones only
/// when something changed, and comparing them field by field would cost every render.
impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.eval, &other.eval)
            && Rc::ptr_eq(&self.lint, &other.lint)
            && Rc::ptr_eq(&self.changes, &other.changes)
            && self.revision == other.revision
            && self.ws == other.ws
            && self.selected == other.selected
            && self.active_request == other.active_request
            && self.notice == other.notice
            && self.reveal == other.reveal
            && self.gallery_open == other.gallery_open
            && self.share_link == other.share_link
            && self.catalog == other.catalog
            && self.kept == other.kept
            && Rc::ptr_eq(&self.origin, &other.origin)
            && self.managed == other.managed
            && self.picker == other.picker
            && self.diff == other.diff
    }
}

impl State {
    pub fn new(ws: Workspace, notice: Option<Notice>) -> Self {
        // The view it was saved or shared with, else the first policy and request.
        let selected = ws
            .view
            .policy
            .as_deref()
            .and_then(|p| p.parse::<PolicyId>().ok())
            .filter(|p| ws.policy(*p).is_some())
            .or_else(|| ws.first_policy());
        let active_request = if ws.requests.is_empty() {
            None
        } else {
            Some(
                ws.view
                    .request
                    .filter(|i| *i < ws.requests.len())
                    .unwrap_or(0),
            )
        };
        let mut ws = ws;
        ws.view = View {
            request: active_request,
            policy: selected.map(|p| p.to_string()),
        };
        let eval = Rc::new(engine::evaluate(&ws, active_request));
        let origin = Rc::new(ws.clone());
        State {
            ws,
            selected,
            active_request,
            eval,
            notice,
            reveal: None,
            revision: 0,
            gallery_open: false,
            share_link: None,
            catalog: CatalogStatus::Loading,
            lint: Rc::default(),
            changes: Rc::default(),
            kept: None,
            origin,
            managed: ManagedStatus::NotLoaded,
            picker: None,
            diff: None,
        }
    }

    /// Whether the managed policies are wanted now: the picker is open or a scenario
    /// references one that is not looked up yet.
    pub fn wants_managed(&self) -> bool {
        self.picker.is_some() || self.ws.has_unresolved()
    }

    /// The (old, new, kind) the diff view compares, or why there is nothing to compare.
    pub fn diff_inputs(&self) -> Result<(String, String, String), String> {
        let Some(d) = &self.diff else {
            return Err("closed".into());
        };
        if d.pasted {
            if d.old.trim().is_empty() || d.new.trim().is_empty() {
                return Err(
                    "Paste the old version on the left and the new one on the right.".into(),
                );
            }
            return Ok((d.old.clone(), d.new.clone(), d.kind.clone()));
        }
        let Some(id) = self.selected else {
            return Err("No policy is selected.".into());
        };
        let new = self
            .ws
            .policy(id)
            .map(|p| p.text.clone())
            .unwrap_or_default();
        let Some(old) = self.origin.policy(id).map(|p| p.text.clone()) else {
            return Err("This policy was added after you started: there is no earlier version of it. Compare two pasted versions instead.".into());
        };
        Ok((old, new, managed::diff_kind(id.kind()).to_string()))
    }

    /// A state that keeps `previous` for "Restore your previous work", when it is work (not
    /// a blank or the same scenario).
    pub fn keeping(mut self, previous: Option<Workspace>, what: &str) -> Self {
        if let Some(p) = previous.filter(|p| worth_keeping(p, &self.ws)) {
            self.kept = Some(Kept {
                ws: Rc::new(p),
                what: what.to_string(),
                button: "Restore your previous work".into(),
                undo: false,
            });
            self.notice = None;
        }
        self
    }

    /// The request shown in detail, if any.
    pub fn active_row(&self) -> Option<&RequestRow> {
        self.active_request.and_then(|i| self.ws.requests.get(i))
    }
}

/// Whether replacing `old` by `new` loses work: `old` has requests or edited policies, and is
/// not the same scenario.
fn worth_keeping(old: &Workspace, new: &Workspace) -> bool {
    let mut a = old.clone();
    let mut b = new.clone();
    a.view = View::default();
    b.view = View::default();
    a != b && a != Workspace::blank() && a != Workspace::default()
}

/// One edit of a request row.
#[derive(Clone, Debug, PartialEq)]
pub enum RequestEdit {
    Name(String),
    Principal(String),
    Action(String),
    Resource(String),
    ResourceAccount(String),
    SourceIp(String),
    Expect(Option<Decision>),
    AddContext,
    RemoveContext(usize),
    ContextKey(usize, String),
    ContextKind(usize, ValueKind),
    ContextMulti(usize, bool),
    ContextValue(usize, usize, String),
    AddContextValue(usize),
    RemoveContextValue(usize, usize),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Replace the whole workspace (gallery, upload, share link); what was there is kept for
    /// "Restore your previous work".
    Load(Box<Workspace>, Notice),
    /// Start from a blank scenario (one identity policy, no requests).
    NewBlank,
    /// Put back the kept work.
    Restore,
    /// Forget the kept work.
    DismissKept,
    /// The scenario's title.
    Rename(String),
    /// Remove every request (the old ones are kept for Undo).
    ClearRequests,
    /// Replace the requests with one per statement of the policies (`crate::starter`).
    RequestsFromStatements,
    /// Replace `span` of a policy's text with a suggestion (a "did you mean" fix).
    ApplyFix(PolicyId, Span, String),
    SelectPolicy(PolicyId),
    EditPolicy(PolicyId, String),
    RenamePolicy(PolicyId, String),
    /// Add a policy to a layer; for SCPs/RCPs `Some(level)` adds to that level, `None` adds a
    /// new level.
    AddPolicy(PolicyKind, Option<usize>),
    RemovePolicy(PolicyId),
    SetLayerOn(PolicyKind, bool),
    AddRequest,
    DuplicateRequest(usize),
    /// "Try it" on a suggestion of what would change request `.0`'s decision: the edited
    /// request (`.1`, verified by the engine) is added after it as a new request, named after
    /// the change (`.2`), and selected; the user's request is left as it was.
    TryChange(usize, Box<RequestSpec>, String),
    RemoveRequest(usize),
    SelectRequest(usize),
    EditRequest(usize, RequestEdit),
    /// Show a policy range in the editor (a deciding statement, an error).
    Reveal(PolicyId, Span),
    Notify(Notice),
    DismissNotice,
    ShowGallery(bool),
    ShowShareLink(Option<String>),
    /// The share link the browser made (its DEFLATE is asynchronous), already copied to the
    /// clipboard, or why it could not be made.
    ShareLinkMade(Result<String, String>),
    /// A share link in the address was read (asynchronously: the browser inflates it), or why
    /// it cannot open; `true` when it is the address the page was opened with (what is kept
    /// for "Restore your previous work" is then the autosave, never the default example).
    LinkOpened(Result<Box<Workspace>, String>, bool),
    /// The lazy catalog loaded, or why it could not.
    CatalogLoaded(Result<(), String>),
    /// Open or close the AWS managed policy picker.
    ShowPicker(bool),
    /// The picker's search (by name, by service).
    SearchManaged(String),
    /// Attach an AWS managed policy (by name) as a read-only identity policy.
    AttachManaged(String),
    /// Point a managed policy reference at another name (a "did you mean" fix).
    SetManagedRef(PolicyId, String),
    /// The managed policies started loading.
    ManagedLoading,
    /// They loaded (a line about the data), or why they could not.
    ManagedLoaded(Result<String, String>),
    /// Open (true) or close the diff view.
    ShowDiff(bool),
    /// The diff view compares two pasted versions (true) or the selected policy against
    /// the version the session started from.
    DiffPasted(bool),
    /// A pasted version.
    DiffText(DiffSide, String),
    /// The pasted versions' kind: "identity" or "resource".
    DiffKind(String),
    /// Add an example request (of the diff view) to the table, named `.1`, and select it.
    AddExample(Box<RequestSpec>, String),
}

fn apply_request_edit(row: &mut RequestRow, edit: RequestEdit) {
    match edit {
        RequestEdit::Name(v) => row.name = v,
        RequestEdit::Principal(v) => row.principal = v,
        RequestEdit::Action(v) => row.action = v,
        RequestEdit::Resource(v) => row.resource = v,
        RequestEdit::ResourceAccount(v) => row.resource_account = v,
        RequestEdit::SourceIp(v) => row.source_ip = v,
        RequestEdit::Expect(v) => row.expect = v,
        RequestEdit::AddContext => row.context.push(ContextField {
            values: vec![String::new()],
            ..ContextField::default()
        }),
        RequestEdit::RemoveContext(i) => {
            if i < row.context.len() {
                row.context.remove(i);
            }
        }
        RequestEdit::ContextKey(i, v) => {
            if let Some(e) = row.context.get_mut(i) {
                e.key = v;
            }
        }
        RequestEdit::ContextKind(i, k) => {
            if let Some(e) = row.context.get_mut(i) {
                e.kind = k;
            }
        }
        RequestEdit::ContextMulti(i, m) => {
            if let Some(e) = row.context.get_mut(i) {
                e.multi = m;
                if !m {
                    e.values.truncate(1);
                }
                if e.values.is_empty() {
                    e.values.push(String::new());
                }
            }
        }
        RequestEdit::ContextValue(i, j, v) => {
            if let Some(slot) = row.context.get_mut(i).and_then(|e| e.values.get_mut(j)) {
                *slot = v;
            }
        }
        RequestEdit::AddContextValue(i) => {
            if let Some(e) = row.context.get_mut(i) {
                e.multi = true;
                e.values.push(String::new());
            }
        }
        RequestEdit::RemoveContextValue(i, j) => {
            if let Some(e) = row.context.get_mut(i) {
                if j < e.values.len() && e.values.len() > 1 {
                    e.values.remove(j);
                }
            }
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let mut changed = true;
        match action {
            Action::Load(ws, notice) => {
                next = State::new(*ws, Some(notice.clone()))
                    .keeping(Some(self.ws.clone()), &notice.text);
                next.revision = self.revision;
                next.catalog = self.catalog.clone();
                next.managed = self.managed.clone();
            }
            Action::NewBlank => {
                next = State::new(
                    Workspace::blank(),
                    Some(Notice::info(
                        "A blank scenario: paste or write a policy, then add requests or make one per statement.",
                    )),
                )
                .keeping(Some(self.ws.clone()), "Started a blank scenario.");
                next.revision = self.revision;
                next.catalog = self.catalog.clone();
                next.managed = self.managed.clone();
            }
            Action::Restore => match self.kept.clone() {
                Some(k) => {
                    next = State::new((*k.ws).clone(), None);
                    next.kept = Some(Kept::undo(&self.ws, "Restored your previous work.".into()));
                    next.revision = self.revision;
                    next.catalog = self.catalog.clone();
                    next.managed = self.managed.clone();
                }
                None => changed = false,
            },
            Action::DismissKept => {
                changed = false;
                next.kept = None;
            }
            Action::Rename(name) => next.ws.name = name,
            Action::ClearRequests => {
                let n = next.ws.requests.len();
                if n == 0 {
                    changed = false;
                } else {
                    next.kept = Some(Kept::undo(
                        &self.ws,
                        format!("Removed {}.", plural(n, "request")),
                    ));
                    next.notice = None;
                    next.ws.requests.clear();
                    next.active_request = None;
                }
            }
            Action::RequestsFromStatements => {
                let principal = self
                    .active_row()
                    .map(|r| r.principal.clone())
                    .unwrap_or_default();
                let rows = crate::starter::requests_from_statements(&self.ws, &principal);
                if rows.is_empty() {
                    changed = false;
                    next.notice = Some(Notice::error(
                        "No statement to make a request from: the policies have none, or cannot be read yet.",
                    ));
                } else {
                    if !self.ws.requests.is_empty() {
                        next.kept = Some(Kept::undo(
                            &self.ws,
                            format!(
                                "Made {} from the statements, in place of the {} there were.",
                                plural(rows.len(), "request"),
                                self.ws.requests.len()
                            ),
                        ));
                        next.notice = None;
                    } else {
                        next.notice = Some(Notice::info(format!(
                            "Made {} from the statements.",
                            plural(rows.len(), "request")
                        )));
                    }
                    next.ws.requests = rows;
                    next.active_request = Some(0);
                }
            }
            Action::ApplyFix(id, span, with) => {
                match next
                    .ws
                    .policy_mut(id)
                    .and_then(|p| crate::fixes::replace(&p.text, span, &with).map(|t| p.text = t))
                {
                    Some(()) => next.selected = Some(id),
                    None => changed = false,
                }
            }
            Action::SelectPolicy(id) => {
                changed = false;
                if next.ws.policy(id).is_some() {
                    next.selected = Some(id);
                }
            }
            // An AWS managed policy is read-only, its name too.
            Action::EditPolicy(id, text) => match next.ws.policy_mut(id) {
                Some(p) if p.text != text && p.managed.is_none() => p.text = text,
                _ => changed = false,
            },
            Action::RenamePolicy(id, name) => match next.ws.policy_mut(id) {
                Some(p) if p.managed.is_none() => p.name = name,
                _ => changed = false,
            },
            Action::AddPolicy(layer, level) => {
                let row = self.active_row().cloned();
                let id = next.ws.add_policy_for(layer, level, row.as_ref());
                next.ws.set_on(layer, true);
                next.selected = Some(id);
            }
            Action::RemovePolicy(id) => {
                changed = next.ws.remove_policy(id);
                if next.selected.is_some_and(|s| next.ws.policy(s).is_none()) {
                    next.selected = next.ws.first_policy();
                }
            }
            Action::SetLayerOn(layer, on) => next.ws.set_on(layer, on),
            Action::AddRequest => {
                // The same caller as the selected request; the rest is the user's to fill.
                let principal = self
                    .active_row()
                    .map(|r| r.principal.clone())
                    .unwrap_or_else(|| crate::starter::DEFAULT_PRINCIPAL.to_string());
                next.ws.requests.push(RequestRow {
                    principal,
                    ..RequestRow::default()
                });
                next.active_request = Some(next.ws.requests.len() - 1);
            }
            Action::DuplicateRequest(i) => match next.ws.requests.get(i).cloned() {
                Some(mut row) => {
                    if !row.name.is_empty() {
                        row.name.push_str(" (copy)");
                    }
                    next.ws.requests.insert(i + 1, row);
                    next.active_request = Some(i + 1);
                }
                None => changed = false,
            },
            Action::TryChange(i, spec, change) => {
                if i < next.ws.requests.len() {
                    let base = match spec.name.as_deref().map(str::trim) {
                        Some(n) if !n.is_empty() => n.to_string(),
                        _ => format!("Request {}", i + 1),
                    };
                    next.insert_request(i + 1, &spec, format!("{base} (try: {change})"));
                    next.notice = Some(Notice::info(format!(
                        "Added request {} with the change “{change}”; request {} is as it was.",
                        i + 2,
                        i + 1
                    )));
                } else {
                    changed = false;
                }
            }
            Action::RemoveRequest(i) => {
                if i < next.ws.requests.len() {
                    next.ws.requests.remove(i);
                    let n = next.ws.requests.len();
                    next.active_request = match next.active_request {
                        _ if n == 0 => None,
                        Some(a) if a >= n => Some(n - 1),
                        other => other,
                    };
                } else {
                    changed = false;
                }
            }
            Action::SelectRequest(i) => {
                changed = false;
                if i < next.ws.requests.len() {
                    next.active_request = Some(i);
                }
            }
            Action::EditRequest(i, edit) => match next.ws.requests.get_mut(i) {
                Some(row) => {
                    apply_request_edit(row, edit);
                    next.active_request = Some(i);
                }
                None => changed = false,
            },
            Action::Reveal(policy, range) => {
                changed = false;
                if next.ws.policy(policy).is_some() {
                    next.selected = Some(policy);
                    let nonce = self.reveal.as_ref().map_or(1, |r| r.nonce + 1);
                    next.reveal = Some(Reveal {
                        policy,
                        range,
                        nonce,
                    });
                }
            }
            Action::Notify(n) => {
                changed = false;
                next.notice = Some(n);
            }
            Action::DismissNotice => {
                changed = false;
                next.notice = None;
            }
            Action::ShowGallery(open) => {
                changed = false;
                next.gallery_open = open;
            }
            Action::ShowShareLink(link) => {
                changed = false;
                next.share_link = link;
            }
            Action::ShareLinkMade(Ok(link)) => {
                changed = false;
                next.share_link = Some(link);
                next.notice = Some(Notice::info(
                    "Share link copied. It holds the whole scenario; nothing is uploaded.",
                ));
            }
            Action::ShareLinkMade(Err(e)) => {
                changed = false;
                next.notice = Some(Notice::error(format!(
                    "Could not make the share link: {e}."
                )));
            }
            Action::LinkOpened(Ok(ws), startup) => {
                let notice = Notice::info("Opened the shared scenario from the link.");
                let pristine = startup && {
                    let mut example = crate::gallery::default_workspace();
                    example.view = self.ws.view.clone();
                    self.ws == example
                };
                let previous = (!pristine).then(|| self.ws.clone());
                next = State::new(*ws, Some(notice.clone())).keeping(previous, &notice.text);
                next.revision = self.revision;
                next.catalog = self.catalog.clone();
                next.managed = self.managed.clone();
            }
            Action::LinkOpened(Err(e), _) => {
                changed = false;
                next.notice = Some(Notice::error(format!("Could not open the link: {e}.")));
            }
            Action::CatalogLoaded(r) => {
                changed = false;
                next.catalog = match r {
                    Ok(()) => CatalogStatus::Ready,
                    Err(e) => CatalogStatus::Failed(e),
                };
            }
            Action::ShowPicker(open) => {
                changed = false;
                next.picker = open.then(|| {
                    let query = self
                        .picker
                        .as_ref()
                        .map(|p| p.query.clone())
                        .unwrap_or_default();
                    Rc::new(search_if_ready(&self.managed, &query))
                });
            }
            Action::SearchManaged(query) => {
                changed = false;
                if next.picker.is_some() {
                    next.picker = Some(Rc::new(search_if_ready(&self.managed, &query)));
                }
            }
            Action::AttachManaged(name) => match managed::show(&name) {
                Ok((info, document)) => {
                    let label = format!(
                        "Attached the AWS managed policy {} ({}, updated {}) as a read-only identity policy.",
                        info.name,
                        info.version_id,
                        day(&info.update_date)
                    );
                    let id = next.ws.attach_managed(info, document);
                    next.ws.set_on(PolicyKind::Identity, true);
                    next.selected = Some(id);
                    next.picker = None;
                    next.notice = Some(Notice::info(label));
                }
                Err((message, _)) => {
                    changed = false;
                    next.notice = Some(Notice::error(message));
                }
            },
            Action::SetManagedRef(id, name) => match next.ws.policy_mut(id) {
                Some(p) if p.managed.is_some() => *p = PolicyDoc::managed(name),
                _ => changed = false,
            },
            Action::ManagedLoading => {
                changed = false;
                next.managed = ManagedStatus::Loading;
            }
            Action::ManagedLoaded(r) => {
                changed = false;
                next.managed = match r {
                    Ok(info) => ManagedStatus::Ready(info),
                    Err(e) => ManagedStatus::Failed(e),
                };
                if let Some(p) = &self.picker {
                    next.picker = Some(Rc::new(search_if_ready(&next.managed, &p.query)));
                }
            }
            Action::ShowDiff(open) => {
                changed = false;
                next.diff = open.then(|| {
                    self.diff.clone().unwrap_or_else(|| DiffView {
                        kind: "identity".into(),
                        ..DiffView::default()
                    })
                });
            }
            Action::DiffPasted(pasted) => {
                changed = false;
                if let Some(d) = next.diff.as_mut() {
                    d.pasted = pasted;
                }
            }
            Action::DiffText(side, text) => {
                changed = false;
                if let Some(d) = next.diff.as_mut() {
                    match side {
                        DiffSide::Old => d.old = text,
                        DiffSide::New => d.new = text,
                    }
                }
            }
            Action::DiffKind(kind) => {
                changed = false;
                if let Some(d) = next.diff.as_mut() {
                    d.kind = if kind == "resource" {
                        kind
                    } else {
                        "identity".into()
                    };
                }
            }
            Action::AddExample(spec, name) => {
                let at = next.ws.requests.len();
                next.insert_request(at, &spec, name.clone());
                next.notice = Some(Notice::info(format!("Added request {}: {name}.", at + 1)));
            }
        }
        // AWS managed policy references wait for the managed policies; once they are
        // there, they are looked up (the session's start too, for the diff view).
        let mut resolved = false;
        if matches!(next.managed, ManagedStatus::Ready(_)) && next.ws.has_unresolved() {
            resolved = managed::resolve(&mut next.ws);
            if next.origin.has_unresolved() {
                let mut origin = (*next.origin).clone();
                managed::resolve(&mut origin);
                next.origin = Rc::new(origin);
            }
        }
        if changed {
            next.share_link = None;
            next.revision = self.revision + 1;
            // A one-step undo is forgotten at the next change (it would undo that too).
            let same_kept = match (&self.kept, &next.kept) {
                (Some(a), Some(b)) => Rc::ptr_eq(&a.ws, &b.ws),
                _ => false,
            };
            if same_kept && next.kept.as_ref().is_some_and(|k| k.undo) {
                next.kept = None;
            }
        }
        next.ws.view = View {
            request: next.active_request,
            policy: next.selected.map(|p| p.to_string()),
        };
        // The view is saved too (a reload shows the same request and policy).
        if !changed && next.ws.view != self.ws.view {
            next.revision = self.revision + 1;
        }
        if changed || resolved || next.active_request != self.active_request {
            next.eval = Rc::new(engine::evaluate(&next.ws, next.active_request));
        }
        // The diff view compares again when what it compares changed (and the lazy part
        // is there to do it).
        if next.diff.is_some() {
            let inputs = next.diff_inputs().ok();
            let html = match &inputs {
                Some((old, new, kind)) if next.catalog == CatalogStatus::Ready => {
                    let same =
                        next.diff.as_ref().and_then(|d| d.compared.as_ref()) == inputs.as_ref();
                    if same {
                        next.diff.as_ref().and_then(|d| d.html.clone())
                    } else {
                        managed::diff(old, new, kind).map(Rc::new)
                    }
                }
                _ => None,
            };
            if let Some(d) = next.diff.as_mut() {
                d.compared = inputs.filter(|_| html.is_some());
                d.html = html;
            }
        }
        if next.catalog == CatalogStatus::Ready
            && (changed
                || resolved
                || next.selected != self.selected
                || self.catalog != next.catalog)
        {
            next.lint = Rc::new(catalog::lint_workspace(
                &next.ws,
                next.selected,
                &next.eval.diagnostics,
            ));
        }
        if next.catalog == CatalogStatus::Ready
            && (changed
                || resolved
                || next.active_request != self.active_request
                || self.catalog != next.catalog)
        {
            next.changes = Rc::new(catalog::what_would_change(&next.ws, next.active_request));
        }
        Rc::new(next)
    }
}

impl State {
    /// Inserts a request made from `spec` at `at`, named `name`, without an expectation
    /// (the one it came from was another request's), and selects it.
    fn insert_request(&mut self, at: usize, spec: &RequestSpec, name: String) {
        let mut row = RequestRow::from_spec(spec);
        row.name = name;
        row.expect = None;
        let at = at.min(self.ws.requests.len());
        self.ws.requests.insert(at, row);
        self.active_request = Some(at);
    }
}

/// The picker's search, once the managed policies are there.
fn search_if_ready(status: &ManagedStatus, query: &str) -> Search {
    match status {
        ManagedStatus::Ready(_) => managed::search(query),
        _ => Search {
            query: query.to_string(),
            ..Search::default()
        },
    }
}

/// The day of an ISO date-time ("2021-04-13T17:33:42Z" → "2021-04-13").
pub fn day(date: &str) -> &str {
    date.split('T').next().unwrap_or(date)
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> Rc<State> {
        Rc::new(State::new(crate::gallery::default_workspace(), None))
    }

    #[test]
    fn a_link_read_by_the_browser_opens_and_keeps_the_autosave_not_the_example() {
        let mut theirs = Workspace::blank();
        theirs.name = "theirs".into();
        // Opened with the page, over the default example: nothing to restore.
        let s = state().reduce(Action::LinkOpened(Ok(Box::new(theirs.clone())), true));
        assert_eq!(s.ws.name, "theirs");
        assert!(s.kept.is_none());
        assert_eq!(
            s.notice.as_ref().map(|n| n.text.as_str()),
            Some("Opened the shared scenario from the link.")
        );
        assert_eq!(s.revision, 1, "autosaved");
        // Over autosaved work (at startup or later): it can be restored.
        let mine = state().reduce(Action::Rename("mine".into()));
        for startup in [true, false] {
            let s = mine
                .clone()
                .reduce(Action::LinkOpened(Ok(Box::new(theirs.clone())), startup));
            assert_eq!(s.ws.name, "theirs");
            assert_eq!(s.kept.as_ref().map(|k| k.ws.name.as_str()), Some("mine"));
        }
        // Pasted into an open page over the example: the example can be restored.
        let s = state().reduce(Action::LinkOpened(Ok(Box::new(theirs)), false));
        assert!(s.kept.is_some());
        // A link that cannot open says why and changes nothing.
        let s = mine.reduce(Action::LinkOpened(Err("it is cut short".into()), true));
        assert_eq!(s.ws.name, "mine");
        assert_eq!(s.revision, 1);
        let notice = s.notice.clone().unwrap();
        assert_eq!(notice.text, "Could not open the link: it is cut short.");
    }

    #[test]
    fn a_share_link_made_by_the_browser_is_shown() {
        let s = state().reduce(Action::ShareLinkMade(Ok("https://x/#s=1.a&p=1.b".into())));
        assert_eq!(s.share_link.as_deref(), Some("https://x/#s=1.a&p=1.b"));
        assert!(s
            .notice
            .as_ref()
            .unwrap()
            .text
            .starts_with("Share link copied"));
        assert_eq!(s.revision, 0);
        let s = s.reduce(Action::ShareLinkMade(Err("no CompressionStream".into())));
        assert!(s
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("Could not make the share link: no CompressionStream"));
    }

    #[test]
    fn editing_a_policy_re_evaluates() {
        let s = state();
        let before = s.eval.clone();
        let id = PolicyId::Identity(0);
        let s = s.reduce(Action::EditPolicy(id, "{ not json".into()));
        assert_eq!(s.revision, 1);
        assert!(!Rc::ptr_eq(&before, &s.eval));
        assert!(s.eval.diagnostics.get(&id).is_some_and(|d| !d.is_empty()));
    }

    #[test]
    fn selection_is_saved_but_is_not_an_edit() {
        let s = state().reduce(Action::ShowShareLink(Some("link".into())));
        let s = s.reduce(Action::SelectRequest(1));
        assert_eq!(s.active_request, Some(1));
        // Saved (a reload shows the same request) without dropping the share link.
        assert_eq!(s.revision, 1);
        assert_eq!(s.ws.view.request, Some(1));
        assert_eq!(s.share_link.as_deref(), Some("link"));
        // A workspace saved with it opens on it.
        let again = State::new(s.ws.clone(), None);
        assert_eq!(again.active_request, Some(1));
    }

    #[test]
    fn a_load_keeps_the_previous_work_for_restore() {
        let s = state().reduce(Action::EditRequest(0, RequestEdit::Name("mine".into())));
        let s = s.reduce(Action::Load(
            Box::new(Workspace::blank()),
            Notice::info("Opened the shared scenario from the link."),
        ));
        let kept = s.kept.clone().unwrap();
        assert_eq!(kept.button, "Restore your previous work");
        assert!(!kept.undo);
        // Edits of the loaded scenario do not forget it.
        let s = s.reduce(Action::Rename("theirs".into()));
        assert!(s.kept.is_some());
        let s = s.reduce(Action::Restore);
        assert_eq!(s.ws.requests[0].name, "mine");
        // And the restore can be undone.
        assert_eq!(s.kept.as_ref().unwrap().ws.name, "theirs");
        // Loading the same scenario again keeps nothing.
        let same = s.ws.clone();
        let s = s.reduce(Action::DismissKept);
        let s = s.reduce(Action::Load(Box::new(same), Notice::info("again")));
        assert!(s.kept.is_none());
    }

    #[test]
    fn new_blank_rename_clear_and_requests_from_statements() {
        let s = state().reduce(Action::NewBlank);
        assert!(s.ws.requests.is_empty());
        assert_eq!(s.ws.policies.docs.identity.len(), 1);
        assert!(s.kept.is_some(), "the example is kept");
        let s = s.reduce(Action::Rename("My bucket".into()));
        assert_eq!(s.ws.name, "My bucket");
        let id = PolicyId::Identity(0);
        let s = s.reduce(Action::EditPolicy(
            id,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}"#.into(),
        ));
        let s = s.reduce(Action::RequestsFromStatements);
        assert_eq!(s.ws.requests.len(), 2);
        let decisions: Vec<_> = s.eval.results.iter().map(|r| r.decision).collect();
        assert_eq!(
            decisions,
            [Some(Decision::Allowed), Some(Decision::ExplicitDeny)]
        );
        let s = s.reduce(Action::ClearRequests);
        assert!(s.ws.requests.is_empty());
        let k = s.kept.clone().unwrap();
        assert!(k.undo);
        assert_eq!(k.what, "Removed 2 requests.");
        let s = s.reduce(Action::Restore);
        assert_eq!(s.ws.requests.len(), 2);
        // A one-step undo is forgotten at the next change.
        let s = s.reduce(Action::ClearRequests);
        let s = s.reduce(Action::AddRequest);
        assert!(s.kept.is_none());
    }

    #[test]
    fn a_new_layers_template_fits_the_selected_request() {
        // "the excluded address": implicitly denied by the identity policy's IP conditions.
        let s = state().reduce(Action::SelectRequest(1));
        let before: Vec<_> = s.eval.results.iter().map(|r| r.decision).collect();
        assert_eq!(before[1], Some(Decision::ImplicitDeny));
        // A guardrail allows everything until it is edited: no decision changes.
        let s = s.reduce(Action::AddPolicy(PolicyKind::PermissionsBoundary, None));
        let now: Vec<_> = s.eval.results.iter().map(|r| r.decision).collect();
        assert_eq!(now, before);
        // A resource policy names the request's caller, action and resource: within one
        // account it allows the request on its own.
        let s = s.reduce(Action::AddPolicy(PolicyKind::Resource, None));
        let id = s.selected.unwrap();
        let text = &s.ws.policy(id).unwrap().text;
        assert!(text.contains("imagebuilder:GetComponent"), "{text}");
        assert!(text.contains("arn:aws:iam::111122223333:user/"), "{text}");
        assert_eq!(s.eval.results[1].decision, Some(Decision::Allowed));
    }

    #[test]
    fn a_did_you_mean_fix_replaces_the_string() {
        let s = state();
        let id = PolicyId::Identity(0);
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","action":"s3:GetObject","Resource":"*"}]}"#;
        let s = s.reduce(Action::EditPolicy(id, text.into()));
        let d = s.eval.diagnostics[&id]
            .iter()
            .find(|d| d.code.as_str() == "unknown-element")
            .unwrap()
            .clone();
        let with = crate::fixes::suggestion(d.code.as_str(), d.hint.as_deref()).unwrap();
        let s = s.reduce(Action::ApplyFix(id, d.span, with));
        assert!(s.ws.policy(id).unwrap().text.contains("\"Action\""));
        assert_eq!(s.eval.errors_in(id), 0);
    }

    #[test]
    fn policies_are_added_renamed_and_removed() {
        let s = state().reduce(Action::AddPolicy(PolicyKind::Identity, None));
        assert_eq!(s.selected, Some(PolicyId::Identity(1)));
        let s = s.reduce(Action::RenamePolicy(PolicyId::Identity(1), "extra".into()));
        assert_eq!(
            s.ws.policy(PolicyId::Identity(1)).map(|p| p.name.as_str()),
            Some("extra")
        );
        let s = s.reduce(Action::RemovePolicy(PolicyId::Identity(1)));
        assert_eq!(s.ws.policies.docs.identity.len(), 1);
        assert_eq!(s.selected, Some(PolicyId::Identity(0)));
    }

    #[test]
    fn requests_are_added_and_removed() {
        let s = state();
        let n = s.ws.requests.len();
        let s = s.reduce(Action::AddRequest);
        assert_eq!(s.ws.requests.len(), n + 1);
        assert_eq!(s.eval.results.len(), n + 1);
        let s = s.reduce(Action::RemoveRequest(n));
        assert_eq!(s.ws.requests.len(), n);
        assert_eq!(s.active_request, Some(n - 1));
        let s = s.reduce(Action::EditRequest(0, RequestEdit::AddContext));
        let s = s.reduce(Action::EditRequest(0, RequestEdit::AddContextValue(0)));
        assert_eq!(s.ws.requests[0].context[0].values.len(), 2);
        assert!(s.ws.requests[0].context[0].multi);
    }

    #[test]
    fn try_change_adds_the_edited_request_after_it_and_keeps_the_original() {
        let s = state();
        let n = s.ws.requests.len();
        let before = s.ws.requests[1].clone();
        let mut spec = before.to_spec();
        spec.context
            .insert("aws:SourceIp".into(), serde_json::json!("54.240.143.5"));
        let s = s.reduce(Action::TryChange(
            1,
            Box::new(spec),
            "set aws:SourceIp to 54.240.143.5".into(),
        ));
        assert_eq!(s.ws.requests.len(), n + 1);
        assert_eq!(s.ws.requests[1], before, "the user's request is as it was");
        let tried = &s.ws.requests[2];
        assert_eq!(tried.source_ip, "54.240.143.5");
        assert!(
            tried
                .name
                .ends_with("(try: set aws:SourceIp to 54.240.143.5)"),
            "{}",
            tried.name
        );
        assert_eq!(tried.expect, None);
        assert_eq!(s.active_request, Some(2));
        assert_eq!(s.eval.results.len(), n + 1, "evaluated at once");
        // Out of range: nothing happens.
        let same = s
            .clone()
            .reduce(Action::TryChange(99, Box::default(), "x".into()));
        assert_eq!(same.ws.requests.len(), n + 1);
    }

    #[test]
    fn a_diff_example_is_added_as_a_request_and_selected() {
        let s = state();
        let n = s.ws.requests.len();
        let spec = RequestSpec {
            name: Some("ignored".into()),
            principal: "arn:aws:iam::111122223333:user/diff-example".into(),
            action: "imagebuilder:GetComponent".into(),
            resource: "arn:aws:imagebuilder:us-east-1:111122223333:component/x/1.0.0/1".into(),
            ..RequestSpec::default()
        };
        let s = s.reduce(Action::AddExample(
            Box::new(spec),
            "imagebuilder:GetComponent: granted".into(),
        ));
        assert_eq!(s.ws.requests.len(), n + 1);
        assert_eq!(s.active_request, Some(n));
        assert_eq!(s.ws.requests[n].name, "imagebuilder:GetComponent: granted");
        assert_eq!(s.ws.requests[n].expect, None);
        assert_eq!(s.eval.results.len(), n + 1, "evaluated at once");
    }

    #[test]
    fn the_diff_compares_the_selected_policy_with_the_start_of_the_session() {
        let s = state();
        let id = PolicyId::Identity(0);
        let start = s.ws.policy(id).unwrap().text.clone();
        assert_eq!(s.diff_inputs(), Err("closed".into()));
        let s = s.reduce(Action::EditPolicy(id, "{}".into()));
        let s = s.reduce(Action::ShowDiff(true));
        assert_eq!(
            s.diff_inputs(),
            Ok((start.clone(), "{}".to_string(), "identity".to_string()))
        );
        // Natively there is no lazy part: nothing compared, no crash.
        assert_eq!(s.diff.as_ref().unwrap().html, None);
        // A policy added since has no earlier version.
        let s = s.reduce(Action::AddPolicy(PolicyKind::Resource, None));
        assert!(s
            .diff_inputs()
            .unwrap_err()
            .contains("added after you started"));
        // Two pasted versions, of a kind.
        let s = s.reduce(Action::DiffPasted(true));
        assert!(s.diff_inputs().is_err(), "nothing pasted yet");
        let s = s.reduce(Action::DiffText(DiffSide::Old, "a".into()));
        let s = s.reduce(Action::DiffText(DiffSide::New, "b".into()));
        let s = s.reduce(Action::DiffKind("resource".into()));
        assert_eq!(
            s.diff_inputs(),
            Ok(("a".into(), "b".into(), "resource".into()))
        );
        let s = s.reduce(Action::ShowDiff(false));
        assert!(s.diff.is_none());
        // A load starts the session again.
        let s = s.reduce(Action::Load(
            Box::new(crate::gallery::default_workspace()),
            Notice::info("x"),
        ));
        assert_eq!(s.origin.policy(id).unwrap().text, start);
    }

    #[test]
    fn a_managed_policy_is_read_only_and_waits_for_the_data() {
        let mut ws = Workspace::default();
        ws.policies.docs.add(
            PolicyKind::Identity,
            None,
            PolicyDoc::managed("AWSImageBuilderFullAccess"),
        );
        let s = Rc::new(State::new(ws, None));
        assert!(s.wants_managed());
        let id = PolicyId::Identity(0);
        let s = s.reduce(Action::EditPolicy(id, "{}".into()));
        let s = s.reduce(Action::RenamePolicy(id, "mine".into()));
        assert_eq!(s.revision, 0, "neither edit applies");
        assert_eq!(s.ws.policy(id).unwrap().name, "AWSImageBuilderFullAccess");
        // Not evaluated until it is looked up, and said so.
        let d = &s.eval.diagnostics[&id][0];
        assert!(d.message.contains("is being loaded"), "{}", d.message);
        // The data could not load: the reference still waits (the pane says why).
        let s = s.reduce(Action::ManagedLoaded(Err("offline".into())));
        assert_eq!(s.managed, ManagedStatus::Failed("offline".into()));
        assert!(s.ws.has_unresolved());
        // The picker opens before the data is there, with nothing found yet.
        let s = s.reduce(Action::ShowPicker(true));
        let s = s.reduce(Action::SearchManaged("imagebuilder".into()));
        let p = s.picker.clone().unwrap();
        assert_eq!((p.query.as_str(), p.html.as_str()), ("imagebuilder", ""));
        // A "did you mean" fix points the reference elsewhere.
        let s = s.reduce(Action::SetManagedRef(
            id,
            "AWSImageBuilderReadOnlyAccess".into(),
        ));
        let doc = s.ws.policy(id).unwrap();
        assert_eq!(doc.name, "AWSImageBuilderReadOnlyAccess");
        assert!(doc.unresolved());
    }

    #[test]
    fn the_catalog_arrives_or_fails_without_touching_the_workspace() {
        let s = state();
        assert_eq!(s.catalog, CatalogStatus::Loading);
        let failed = s
            .clone()
            .reduce(Action::CatalogLoaded(Err("offline".into())));
        assert_eq!(failed.catalog, CatalogStatus::Failed("offline".into()));
        assert_eq!(failed.revision, 0);
        let ready = s.reduce(Action::CatalogLoaded(Ok(())));
        assert_eq!(ready.catalog, CatalogStatus::Ready);
        assert_eq!(ready.revision, 0);
        // Loading an example keeps the catalog.
        let ws = crate::gallery::default_workspace();
        let loaded = ready.reduce(Action::Load(Box::new(ws), Notice::info("x")));
        assert_eq!(loaded.catalog, CatalogStatus::Ready);
    }
}

//! Example requests: for a change, a request the engine decides `allowed`
//! under one version and not under the other, found by building candidates
//! from the statements and checking each by evaluating it against both
//! versions. Nothing is reported that did not verify.
//!
//! Candidates: a resource that fits the allowing statement's Resource and
//! one of the action's catalog ARN formats (preferring one outside the other
//! version's Resource patterns and outside this version's Deny patterns);
//! context values that satisfy the statement's conditions (preferring values
//! that make the other version's conditions and this version's Deny
//! conditions false); a caller in the resource's account (identity
//! policies) or one the statement names (resource policies).

use crate::automaton::{self, Bank, Gen, Tok};
use crate::clause::{Clause, Cond};
use crate::model::{AssumedPolicy, DiffKind, Example, Shows, Side};
use iam_catalog::ActionRef;
use iam_policy::eval::condition::holds;
use iam_policy::values::{self, Number};
use iam_policy::{
    context_from_json, decide, is_account_id, Arn, CompiledPolicy, Decision, OperatorFamily,
    ParsedPolicy, PolicyId, PolicySet, Principal, PrincipalType, Request, RequestContext,
    RequestSpec, SetOperator,
};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// Requests evaluated (against both versions) per change and direction
/// before the search gives up.
pub const MAX_EXAMPLE_ATTEMPTS: usize = 40;

/// The account of example callers when nothing names one.
pub const EXAMPLE_ACCOUNT: &str = "111122223333";
/// Another account, for cross-account examples.
pub const OTHER_ACCOUNT: &str = "444455556666";
/// The name of example users, and the value given to policy variables.
pub const EXAMPLE_NAME: &str = "diff-example";

const ALLOW_ALL: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"CallerAllowsAll","Effect":"Allow","Action":"*","Resource":"*"}]}"#;

/// Extra policies an example may need.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Setup {
    Plain,
    /// A resource policy delegating to the account (KMS key policies and
    /// role trust policies must allow).
    Delegate(String),
    /// The caller's identity policy allows everything (a cross-account
    /// grant in a resource policy needs both sides).
    CallerAllowsAll,
}

fn delegate_policy(account: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"DelegateToAccount","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account}:root"}},"Action":"*","Resource":"*"}}]}}"#
    )
}

/// Where resource candidates come from, in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Phase {
    /// A catalog ARN format, outside the other version's Allow patterns and
    /// this version's Deny patterns.
    Strong,
    /// A catalog ARN format, outside this version's Deny patterns.
    Weak,
    /// No format fits: the statement's own pattern as an ARN.
    Fallback,
}

/// Group, side, statement, pattern, format address, phase.
type InstanceKey = (usize, Side, usize, usize, usize, Phase);

/// Per statement and change: what to avoid, and the context assignments.
struct Prepared {
    strong: Bank,
    weak: Bank,
    /// The statement's Resource patterns, variables filled in, with the
    /// variables' keys (`*` for every resource and for NotResource).
    patterns: Vec<(Vec<Tok>, Vec<String>)>,
    /// Each assignment as the request's JSON context and as the engine's.
    contexts: Vec<(Assignment, Map<String, Value>, RequestContext)>,
}

/// Both versions, ready to evaluate candidate requests in several setups,
/// with caches shared by every change of one diff.
pub struct Evaluator {
    kind: DiffKind,
    old: (String, ParsedPolicy),
    new: (String, ParsedPolicy),
    sets: HashMap<(Side, Setup), PolicySet>,
    gens: HashMap<String, Rc<Vec<Gen>>>,
    /// Keyed by group, side, statement, pattern, format (its address in the
    /// catalog, which outlives the diff) and phase.
    instances: HashMap<InstanceKey, Option<String>>,
    prepared: HashMap<(usize, Side, usize), Rc<Prepared>>,
    principals: HashMap<String, Option<Principal>>,
}

/// Which change an example is sought for.
pub struct Target<'a, 'p> {
    /// Identifies the statements' combination (for caching).
    pub group: usize,
    pub action: &'a str,
    pub action_ref: Option<ActionRef<'a>>,
    pub shows: Shows,
    /// Allow and Deny clauses of the version that should allow…
    pub t_allows: &'a [&'a Clause<'p>],
    pub t_denies: &'a [&'a Clause<'p>],
    /// …and of the version that should not.
    pub o_allows: &'a [&'a Clause<'p>],
    pub o_denies: &'a [&'a Clause<'p>],
}

impl Target<'_, '_> {
    fn t_side(&self) -> Side {
        match self.shows {
            Shows::NewAccess => Side::New,
            Shows::LostAccess => Side::Old,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Val {
    Absent,
    One(String),
    Many(Vec<String>),
}

/// Context values by key (as the policy spells it), with the family that
/// decides their JSON type.
type Assignment = BTreeMap<String, (Val, OperatorFamily)>;

/// Who calls.
#[derive(Debug, Clone, PartialEq)]
enum Who {
    /// A user of the resource's account.
    SameAccount,
    /// Exactly this principal.
    Exact(String),
    /// A user of this account, which the policy names.
    Account(String),
}

/// One candidate request.
struct Candidate {
    principal: String,
    resource_account: Option<String>,
    setup: Setup,
}

/// A resource to try: the ARN, its catalog resource type, the variable
/// keys its pattern needed.
type ResourceCandidate = (String, Option<String>, Vec<String>);

impl Evaluator {
    pub fn new(
        kind: DiffKind,
        old: (String, ParsedPolicy),
        new: (String, ParsedPolicy),
    ) -> Evaluator {
        Evaluator {
            kind,
            old,
            new,
            sets: HashMap::new(),
            gens: HashMap::new(),
            instances: HashMap::new(),
            prepared: HashMap::new(),
            principals: HashMap::new(),
        }
    }

    fn set(&mut self, side: Side, setup: &Setup) -> &PolicySet {
        let kind = self.kind;
        let (text, parsed) = match side {
            Side::Old => &self.old,
            Side::New => &self.new,
        };
        self.sets.entry((side, setup.clone())).or_insert_with(|| {
            let mut set = PolicySet::default();
            let id = match kind {
                DiffKind::Identity => PolicyId::Identity(0),
                DiffKind::Resource => PolicyId::Resource,
            };
            set.put(
                id,
                CompiledPolicy {
                    id,
                    managed: None,
                    text: text.clone(),
                    parsed: parsed.clone(),
                },
            );
            match setup {
                Setup::Plain => {}
                Setup::Delegate(account) => {
                    set.put(
                        PolicyId::Resource,
                        CompiledPolicy::new(PolicyId::Resource, delegate_policy(account)),
                    );
                }
                Setup::CallerAllowsAll => {
                    set.put(
                        PolicyId::Identity(0),
                        CompiledPolicy::new(PolicyId::Identity(0), ALLOW_ALL.to_string()),
                    );
                }
            }
            set
        })
    }

    /// The engine's decision for a candidate, by the fast path (a parsed
    /// request, decision only).
    /// The request a candidate stands for, as the engine reads it (`None`
    /// when the principal does not parse).
    fn request(
        &mut self,
        c: &Candidate,
        action: &str,
        resource: &str,
        ctx: RequestContext,
    ) -> Option<Request> {
        let principal = match self.principals.get(&c.principal) {
            Some(p) => p.clone()?,
            None => {
                let p = Principal::parse(&c.principal).ok();
                self.principals.insert(c.principal.clone(), p.clone());
                p?
            }
        };
        Some(Request::new(principal, action, resource, ctx))
    }

    /// The engine's decision (decision only, no traces).
    fn decide(
        &mut self,
        side: Side,
        setup: &Setup,
        req: &Request,
        account: Option<&str>,
    ) -> Decision {
        decide(self.set(side, setup), req, account).decision
    }

    /// Finds a request that the target version allows and the other does
    /// not, or says why there is none.
    pub fn find(&mut self, t: &Target<'_, '_>) -> Result<Example, String> {
        let t_side = t.t_side();
        let o_side = match t_side {
            Side::Old => Side::New,
            Side::New => Side::Old,
        };
        let mut attempts = 0usize;
        // resources tried, per statement (a handful: a list is enough)
        let mut tried: Vec<(usize, String)> = Vec::new();
        for phase in [Phase::Strong, Phase::Weak, Phase::Fallback] {
            for c in t.t_allows.iter().take(4) {
                let resources = self.resources(t, c, phase);
                let prepared = self.prepare(t, c);
                let whos = whos(self.kind, c);
                for (resource, rt, var_keys) in resources {
                    let id = (c.statement.index, resource.clone());
                    if tried.contains(&id) {
                        continue;
                    }
                    tried.push(id);
                    for (assignment, json, engine_ctx) in &prepared.contexts {
                        let built;
                        let (context, ctx) = if var_keys.is_empty() {
                            (json, engine_ctx)
                        } else {
                            let context = context_json(assignment, &var_keys);
                            let Ok(ctx) = context_from_json(&context) else {
                                continue;
                            };
                            built = (context, ctx);
                            (&built.0, &built.1)
                        };
                        for who in &whos {
                            for cand in self.candidates(t.action, &resource, who) {
                                if attempts >= MAX_EXAMPLE_ATTEMPTS {
                                    return Err(format!(
                                        "no example: the {MAX_EXAMPLE_ATTEMPTS} candidate requests tried were decided the same way by both versions (the difference may need a request the diff does not construct)"
                                    ));
                                }
                                attempts += 1;
                                let Some(req) =
                                    self.request(&cand, t.action, &resource, ctx.clone())
                                else {
                                    continue;
                                };
                                let account = cand.resource_account.as_deref();
                                if self.decide(t_side, &cand.setup, &req, account)
                                    != Decision::Allowed
                                {
                                    continue;
                                }
                                let od = self.decide(o_side, &cand.setup, &req, account);
                                if od == Decision::Allowed {
                                    continue;
                                }
                                // the request as the scenario format holds it; it
                                // reads back into exactly the request decided above
                                // (the crate's tests evaluate every example again
                                // through `RequestSpec::evaluate_with`)
                                let spec = RequestSpec {
                                    name: None,
                                    principal: cand.principal.clone(),
                                    action: t.action.to_string(),
                                    resource: resource.clone(),
                                    resource_account: cand.resource_account.clone(),
                                    context: context.clone(),
                                    expect: None,
                                };
                                let (old, new) = match t_side {
                                    Side::New => (od, Decision::Allowed),
                                    Side::Old => (Decision::Allowed, od),
                                };
                                return Ok(Example {
                                    shows: t.shows,
                                    summary: summary(&spec, old, new, &cand.setup),
                                    assumed_policies: assumed(&cand.setup),
                                    request: spec,
                                    old,
                                    new,
                                    resource_type: rt,
                                });
                            }
                        }
                    }
                }
            }
        }
        if tried.is_empty() {
            return Err(format!(
                "no example: no resource matches both {}'s Resource and {}",
                t_side.upper(),
                t.action
            ));
        }
        Err(format!(
            "no example: {attempts} candidate request{} decided the same way by both versions",
            if attempts == 1 { " was" } else { "s were" }
        ))
    }

    /// The callers (and setups) to try for one resource.
    fn candidates(&self, action: &str, resource: &str, who: &Who) -> Vec<Candidate> {
        let r_field = Arn::parse(resource).map(|a| a.account.to_string());
        let r_account = r_field.clone().filter(|a| is_account_id(a));
        // an account field that is no account (`aws` for AWS-owned
        // resources): the engine needs an owner, so the request names the
        // caller's account
        let owner = |account: &str| {
            r_field
                .as_deref()
                .filter(|f| !f.is_empty() && !is_account_id(f))
                .map(|_| account.to_string())
        };
        let user = |account: &str| format!("arn:aws:iam::{account}:user/{EXAMPLE_NAME}");
        let cand = |principal: String, resource_account: Option<String>, setup: Setup| Candidate {
            principal,
            resource_account,
            setup,
        };
        let lower = action.to_ascii_lowercase();
        let needs_resource_policy = (lower.starts_with("kms:") && resource.contains(":key/"))
            || lower.starts_with("sts:assumerole");
        let mut out = Vec::new();
        match (self.kind, who) {
            (DiffKind::Identity, _) => {
                let account = r_account
                    .clone()
                    .unwrap_or_else(|| EXAMPLE_ACCOUNT.to_string());
                out.push(cand(user(&account), owner(&account), Setup::Plain));
                if needs_resource_policy {
                    out.push(cand(
                        user(&account),
                        owner(&account),
                        Setup::Delegate(account),
                    ));
                }
            }
            (DiffKind::Resource, Who::SameAccount) => {
                let account = r_account
                    .clone()
                    .unwrap_or_else(|| EXAMPLE_ACCOUNT.to_string());
                out.push(cand(user(&account), owner(&account), Setup::Plain));
            }
            (DiffKind::Resource, Who::Exact(p)) => {
                out.push(cand(p.clone(), None, Setup::Plain));
                let p_account = Arn::parse(p).map(|a| a.account.to_string());
                if r_account.is_none() && p_account.as_deref().is_some_and(is_account_id) {
                    let other = other_account(p_account.as_deref().unwrap_or_default());
                    out.push(cand(p.clone(), Some(other), Setup::CallerAllowsAll));
                } else if r_account.is_some() && r_account != p_account {
                    out.push(cand(p.clone(), None, Setup::CallerAllowsAll));
                }
            }
            (DiffKind::Resource, Who::Account(a)) => match &r_account {
                Some(r) if r == a => out.push(cand(user(a), None, Setup::Plain)),
                Some(_) => out.push(cand(user(a), None, Setup::CallerAllowsAll)),
                None => out.push(cand(
                    user(a),
                    Some(other_account(a)),
                    Setup::CallerAllowsAll,
                )),
            },
        }
        out
    }

    fn gen(&mut self, format: &str) -> Rc<Vec<Gen>> {
        self.gens
            .entry(format.to_string())
            .or_insert_with(|| Rc::new(automaton::format_gen(format, EXAMPLE_ACCOUNT)))
            .clone()
    }

    /// What to avoid and which contexts to try, for one allowing statement.
    fn prepare(&mut self, t: &Target<'_, '_>, c: &Clause<'_>) -> Rc<Prepared> {
        let key = (t.group, t.t_side(), c.statement.index);
        if let Some(p) = self.prepared.get(&key) {
            return p.clone();
        }
        // the other version's Allow patterns (strong only) and this
        // version's Deny patterns; a NotResource statement applies outside
        // its own list
        // (a conditional Deny is escaped by the context instead)
        let deny_pats: Vec<Vec<Tok>> = t
            .t_denies
            .iter()
            .filter(|d| d.conditions.is_empty())
            .flat_map(|d| d.avoidable_patterns())
            .collect();
        let own_excluded: Vec<Vec<Tok>> = if c.negated_resources {
            c.resources
                .iter()
                .filter(|p| !p.has_vars)
                .map(|p| p.over.clone())
                .collect()
        } else {
            Vec::new()
        };
        let mut strong_pats = deny_pats.clone();
        strong_pats.extend(t.o_allows.iter().flat_map(|a| a.avoidable_patterns()));
        strong_pats.extend(own_excluded.iter().cloned());
        let mut weak_pats = deny_pats;
        weak_pats.extend(own_excluded);
        let mut patterns: Vec<(Vec<Tok>, Vec<String>)> = Vec::new();
        if c.all_resources || c.negated_resources {
            patterns.push((vec![Tok::Star { seg: false }], Vec::new()));
        } else {
            for p in c.resources.iter().take(4) {
                if p.has_vars {
                    patterns.push((p.with_value(EXAMPLE_NAME), p.var_keys.clone()));
                } else {
                    patterns.push((p.over.clone(), Vec::new()));
                }
            }
        }
        let p = Rc::new(Prepared {
            strong: Bank::new(strong_pats.iter().map(Vec::as_slice)),
            weak: Bank::new(weak_pats.iter().map(Vec::as_slice)),
            patterns,
            contexts: build_contexts(t, c)
                .into_iter()
                .filter_map(|a| {
                    let json = context_json(&a, &[]);
                    let ctx = context_from_json(&json).ok()?;
                    Some((a, json, ctx))
                })
                .collect(),
        });
        self.prepared.insert(key, p.clone());
        p
    }

    /// Resource candidates of one phase.
    fn resources(
        &mut self,
        t: &Target<'_, '_>,
        c: &Clause<'_>,
        phase: Phase,
    ) -> Vec<ResourceCandidate> {
        let side = t.t_side();
        let prepared = self.prepare(t, c);
        let avoid = match phase {
            Phase::Strong => &prepared.strong,
            Phase::Weak | Phase::Fallback => &prepared.weak,
        };
        let pats = &prepared.patterns;
        let mut out: Vec<ResourceCandidate> = Vec::new();
        let mut push = |r: String, rt: Option<String>, keys: &[String]| {
            if !out.iter().any(|(x, _, _)| *x == r) {
                out.push((r, rt, keys.to_vec()));
            }
        };
        if phase == Phase::Fallback {
            let service = t.action.split_once(':').map_or("", |(s, _)| s);
            let generic = automaton::any_arn(service, EXAMPLE_ACCOUNT);
            let nothing = Bank::default();
            for (p, keys) in pats {
                for avoid in [&prepared.strong, &prepared.weak, &nothing] {
                    let got = automaton::instantiate(p, &generic, avoid)
                        .or_else(|| automaton::instantiate(p, &automaton::free(), avoid));
                    if let Some(r) = got {
                        push(r, None, keys);
                    }
                }
            }
            out.truncate(4);
            return out;
        }
        // actions without resource types act on "*"
        if t.action_ref.is_none_or(|a| a.only_star_resource()) {
            for (p, keys) in pats {
                if Bank::new([p.as_slice()]).matches("*") && !avoid.matches("*") {
                    push("*".to_string(), None, keys);
                }
            }
        }
        let mut formats: Vec<(&str, &str)> = Vec::new();
        if let Some(a) = t.action_ref {
            for art in a.resource_types().take(4) {
                for f in art.resource_type.arn_formats().iter().take(2) {
                    formats.push((f.as_str(), art.resource_type.name()));
                }
            }
        }
        for (pi, (p, keys)) in pats.iter().enumerate() {
            for (f, rt) in &formats {
                let key = (
                    t.group,
                    side,
                    c.statement.index,
                    pi,
                    f.as_ptr() as usize,
                    phase,
                );
                let got = match self.instances.get(&key) {
                    Some(g) => g.clone(),
                    None => {
                        let gen = self.gen(f);
                        let g = automaton::instantiate(p, &gen, avoid);
                        self.instances.insert(key, g.clone());
                        g
                    }
                };
                if let Some(r) = got {
                    push(r, Some(rt.to_string()), keys);
                }
            }
        }
        out.truncate(6);
        out
    }
}

/// The request context of an assignment, variables' keys included.
fn context_json(a: &Assignment, var_keys: &[String]) -> Map<String, Value> {
    let mut context = Map::new();
    for (k, (v, fam)) in a {
        if let Some(j) = json_value(v, *fam) {
            context.insert(k.clone(), j);
        }
    }
    for k in var_keys {
        context.insert(k.clone(), Value::String(EXAMPLE_NAME.to_string()));
    }
    context
}

fn other_account(a: &str) -> String {
    if a == OTHER_ACCOUNT {
        EXAMPLE_ACCOUNT.to_string()
    } else {
        OTHER_ACCOUNT.to_string()
    }
}

fn assumed(setup: &Setup) -> Vec<AssumedPolicy> {
    let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap_or(Value::Null);
    match setup {
        Setup::Plain => Vec::new(),
        Setup::Delegate(account) => vec![AssumedPolicy {
            layer: "resource".to_string(),
            policy: parse(&delegate_policy(account)),
            why: format!("KMS key policies and role trust policies must allow too: evaluated with one that lets account {account}'s IAM policies decide"),
        }],
        Setup::CallerAllowsAll => vec![AssumedPolicy {
            layer: "identity".to_string(),
            policy: parse(ALLOW_ALL),
            why: "across accounts (or for a grant to an account) the caller's own identity policies must allow too: evaluated with one that allows everything".to_string(),
        }],
    }
}

fn summary(spec: &RequestSpec, old: Decision, new: Decision, setup: &Setup) -> String {
    let mut s = format!("{} {} {}", spec.principal, spec.action, spec.resource);
    if let Some(a) = &spec.resource_account {
        s.push_str(&format!(" (resource account {a})"));
    }
    for (k, v) in &spec.context {
        let v = match v {
            Value::String(t) => t.clone(),
            other => other.to_string(),
        };
        s.push_str(&format!(" {k}={v}"));
    }
    match setup {
        Setup::Plain => {}
        Setup::Delegate(_) => s.push_str(" [with a resource policy delegating to the account]"),
        Setup::CallerAllowsAll => {
            s.push_str(" [with a caller identity policy allowing everything]")
        }
    }
    format!("{s} → OLD {old}, NEW {new}")
}

fn json_value(v: &Val, fam: OperatorFamily) -> Option<Value> {
    let scalar = |s: &str| -> Value {
        match fam {
            OperatorFamily::Bool | OperatorFamily::Null => match values::parse_bool(s) {
                Some(b) => Value::Bool(b),
                None => Value::String(s.to_string()),
            },
            OperatorFamily::Numeric => match s.parse::<i64>() {
                Ok(i) => Value::from(i),
                Err(_) => match s.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
                    Some(n) => Value::Number(n),
                    None => Value::String(s.to_string()),
                },
            },
            _ => Value::String(s.to_string()),
        }
    };
    match v {
        Val::Absent => None,
        Val::One(s) => Some(scalar(s)),
        Val::Many(vs) => Some(Value::Array(vs.iter().map(|s| scalar(s)).collect())),
    }
}

fn whos(kind: DiffKind, c: &Clause<'_>) -> Vec<Who> {
    if kind == DiffKind::Identity {
        return vec![Who::SameAccount];
    }
    let Some(p) = &c.principals else {
        return vec![Who::SameAccount];
    };
    if p.negated || p.everyone {
        return vec![Who::SameAccount];
    }
    let mut out = Vec::new();
    for (k, text) in p.entries.iter().take(3) {
        match k {
            PrincipalType::Everyone => out.push(Who::SameAccount),
            PrincipalType::Aws if is_account_id(text) => out.push(Who::Account(text.clone())),
            PrincipalType::Aws => match Arn::parse(text) {
                Some(a) if a.service == "iam" && a.resource == "root" => {
                    out.push(Who::Account(a.account.to_string()));
                }
                Some(_) => out.push(Who::Exact(text.clone())),
                None => {}
            },
            PrincipalType::Service | PrincipalType::Federated => out.push(Who::Exact(text.clone())),
            PrincipalType::CanonicalUser => {}
        }
    }
    out
}

// ------------------------------------------------------------ context values

fn condition_context(key: &str, v: &Val) -> RequestContext {
    let mut ctx = RequestContext::new();
    match v {
        Val::Absent => {}
        Val::One(s) => ctx.insert(key, vec![s.clone()], false),
        Val::Many(vs) => ctx.insert(key, vs.clone(), true),
    }
    ctx
}

fn cond_true(c: &Cond<'_>, v: &Val) -> bool {
    holds(c.ast, &condition_context(&c.ast.key, v)).0
}

/// Values of one condition that candidates are made from.
pub const MAX_VALUES_PER_CONDITION: usize = 16;

/// Candidate values for a condition's key, most typical first.
fn candidates(c: &Cond<'_>) -> Vec<Val> {
    let base = c.op.base.positive();
    let mut singles: Vec<String> = Vec::new();
    for v in c
        .values
        .iter()
        .filter(|v| !v.has_vars && !v.invalid)
        .take(MAX_VALUES_PER_CONDITION)
    {
        match base.family() {
            OperatorFamily::String | OperatorFamily::Arn => {
                if base.takes_wildcards() {
                    singles.push(v.text.replace('*', "example").replace('?', "x"));
                } else {
                    singles.push(v.text.clone());
                }
            }
            OperatorFamily::Numeric => {
                if let Some(n) = values::parse_number(&v.text) {
                    for d in [-1i128, 0, 1] {
                        singles.push(match n {
                            Number::Int(i) => (i + d).to_string(),
                            Number::Float(f) => (f + d as f64).to_string(),
                        });
                    }
                }
            }
            OperatorFamily::Date => {
                if let Some(ns) = values::parse_date(&v.text) {
                    for d in [-1i128, 0, 1] {
                        if let Some(s) = date_text(ns + d * 86_400_000_000_000) {
                            singles.push(s);
                        }
                    }
                }
            }
            OperatorFamily::Bool | OperatorFamily::Null => {}
            OperatorFamily::Binary => singles.push(v.text.clone()),
            OperatorFamily::IpAddress => {
                if let Some(net) = v.cidr {
                    singles.extend(cidr_candidates(net));
                }
            }
        }
    }
    match base.family() {
        OperatorFamily::Bool | OperatorFamily::Null => {
            singles.push("true".to_string());
            singles.push("false".to_string());
        }
        OperatorFamily::IpAddress => singles.push("203.0.113.7".to_string()),
        OperatorFamily::Arn => singles.push(format!(
            "arn:aws:iam::{EXAMPLE_ACCOUNT}:user/{EXAMPLE_NAME}-other"
        )),
        OperatorFamily::Binary => singles.push("ZGlmZi1leGFtcGxl".to_string()),
        OperatorFamily::String => singles.push(format!("{EXAMPLE_NAME}-other")),
        _ => {}
    }
    let mut out = Vec::new();
    if c.op.base == iam_policy::BaseOperator::Null {
        out.push(Val::One(EXAMPLE_NAME.to_string()));
    } else {
        for s in singles {
            let v = match c.op.set {
                Some(SetOperator::ForAllValues | SetOperator::ForAnyValue) => Val::Many(vec![s]),
                None => Val::One(s),
            };
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

fn cidr_candidates(net: ipnet::IpNet) -> Vec<String> {
    let mut out = vec![net.network().to_string(), net.broadcast().to_string()];
    match net {
        ipnet::IpNet::V4(n) => {
            let lo = u32::from(n.network());
            let hi = u32::from(n.broadcast());
            if let Some(x) = lo.checked_sub(1) {
                out.push(std::net::Ipv4Addr::from(x).to_string());
            }
            if let Some(x) = hi.checked_add(1) {
                out.push(std::net::Ipv4Addr::from(x).to_string());
            }
        }
        ipnet::IpNet::V6(n) => {
            let lo = u128::from(n.network());
            let hi = u128::from(n.broadcast());
            if let Some(x) = lo.checked_sub(1) {
                out.push(std::net::Ipv6Addr::from(x).to_string());
            }
            if let Some(x) = hi.checked_add(1) {
                out.push(std::net::Ipv6Addr::from(x).to_string());
            }
        }
    }
    out.dedup();
    out
}

fn date_text(ns: i128) -> Option<String> {
    let secs = i64::try_from(ns.div_euclid(1_000_000_000)).ok()?;
    let d = chrono::DateTime::from_timestamp(secs, 0)?;
    Some(d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// Context assignments satisfying `c`'s conditions, best first: values that
/// also make this version's Deny conditions false, then the other version's
/// Allow conditions false.
fn build_contexts(t: &Target<'_, '_>, c: &Clause<'_>) -> Vec<Assignment> {
    // every key any of the statements tests, with its conditions
    let mut keys: BTreeMap<String, (String, OperatorFamily)> = BTreeMap::new();
    let mut pools: BTreeMap<String, Vec<Val>> = BTreeMap::new();
    let all = t
        .t_allows
        .iter()
        .chain(t.t_denies)
        .chain(t.o_allows)
        .chain(t.o_denies);
    for cl in all {
        for cond in &cl.conditions {
            keys.entry(cond.key_lower.clone())
                .or_insert_with(|| (cond.ast.key.to_string(), cond.op.base.family()));
            let pool = pools
                .entry(cond.key_lower.clone())
                .or_insert_with(|| vec![Val::Absent]);
            for v in candidates(cond) {
                if !pool.contains(&v) {
                    pool.push(v);
                }
            }
        }
    }
    // per key: the values to use, best first
    let mut ranked: Vec<(String, OperatorFamily, Vec<Val>)> = Vec::new();
    for (lower, (written, fam)) in &keys {
        let pool = pools.get(lower).cloned().unwrap_or_default();
        let own: Vec<&Cond<'_>> = c
            .conditions
            .iter()
            .filter(|x| x.key_lower == *lower)
            .collect();
        let mut sat: Vec<(i32, usize, Val)> = pool
            .into_iter()
            .enumerate()
            .filter(|(_, v)| own.iter().all(|x| cond_true(x, v)))
            .map(|(i, v)| {
                let falsified = |cls: &[&Clause<'_>]| -> i32 {
                    let n = cls
                        .iter()
                        .flat_map(|cl| cl.conditions.iter())
                        .filter(|x| x.key_lower == *lower && !cond_true(x, &v))
                        .count();
                    i32::try_from(n).unwrap_or(i32::MAX)
                };
                let score = 2 * falsified(t.t_denies) + falsified(t.o_allows);
                (score, i, v)
            })
            .collect();
        if sat.is_empty() {
            // the statement's own conditions on this key cannot be met by
            // the values tried: try its first value anyway
            continue;
        }
        sat.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.push((
            written.clone(),
            *fam,
            sat.into_iter().map(|(_, _, v)| v).collect(),
        ));
    }
    let best: Assignment = ranked
        .iter()
        .filter_map(|(k, fam, vs)| vs.first().map(|v| (k.clone(), (v.clone(), *fam))))
        .collect();
    let mut out = vec![best.clone()];
    // variations: one key at a time takes its next value
    for (k, fam, vs) in &ranked {
        for v in vs.iter().skip(1).take(2) {
            let mut a = best.clone();
            a.insert(k.clone(), (v.clone(), *fam));
            if !out.contains(&a) {
                out.push(a);
            }
            if out.len() >= 6 {
                return out;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_candidates_include_both_ends_and_neighbours() {
        let net: ipnet::IpNet = "10.0.0.0/24".parse().unwrap();
        assert_eq!(
            cidr_candidates(net),
            vec!["10.0.0.0", "10.0.0.255", "9.255.255.255", "10.0.1.0"]
        );
    }

    #[test]
    fn dates_are_rfc3339() {
        assert_eq!(date_text(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        let ns = values::parse_date("2026-01-01").unwrap();
        assert_eq!(date_text(ns).as_deref(), Some("2026-01-01T00:00:00Z"));
    }
}

//! The human sentence of a change, shared by the command line, the npm
//! package and the playground.

use crate::clause::{describe_conditions, Clause};
use crate::model::{ActionChange, Aspect, ChangeKind, Evidence};

fn statement_label(c: &Clause<'_>) -> String {
    let st = c.statement;
    let sid = st
        .sid
        .as_ref()
        .map(|s| format!(" \"{}\"", s.value))
        .unwrap_or_default();
    format!("statement {}{sid} (line {})", st.index, st.anchor.line)
}

/// `statement 2 "S" (line 9) on arn:… when IpAddress aws:SourceIp …`.
fn describe(c: &Clause<'_>) -> String {
    let mut s = format!("{} on {}", statement_label(c), c.describe_resources());
    if let Some(p) = &c.principals {
        let names: Vec<&str> = p.entries.iter().map(|(_, t)| t.as_str()).collect();
        let list = names.join(", ");
        if p.negated {
            s.push_str(&format!(" for everyone except {list}"));
        } else {
            s.push_str(&format!(" for {list}"));
        }
    }
    if !c.conditions.is_empty() {
        s.push_str(&format!(" when {}", describe_conditions(&c.conditions)));
    }
    s
}

fn list(cs: &[&Clause<'_>]) -> String {
    let parts: Vec<String> = cs.iter().take(3).map(|c| describe(c)).collect();
    let more = cs.len().saturating_sub(3);
    let mut s = parts.join("; ");
    if more > 0 {
        s.push_str(&format!("; and {more} more"));
    }
    s
}

fn total_deny<'a, 'p>(denies: &[&'a Clause<'p>]) -> Option<&'a Clause<'p>> {
    denies.iter().copied().find(|d| d.is_total())
}

fn more_or_less(aspects: &[Aspect], more: bool) -> String {
    let mut parts = Vec::new();
    for a in aspects {
        parts.push(match (a, more) {
            (Aspect::Resources, true) => "on more resources",
            (Aspect::Resources, false) => "on fewer resources",
            (Aspect::Conditions, true) => "under weaker conditions",
            (Aspect::Conditions, false) => "under stricter conditions",
            (Aspect::Principals, true) => "to more principals",
            (Aspect::Principals, false) => "to fewer principals",
            (Aspect::Deny, true) => "with less denied",
            (Aspect::Deny, false) => "with more denied",
        });
    }
    parts.join(", ")
}

/// Stands for the action in a sentence shared by every action of a group.
pub const ACTION: &str = "\u{1}action\u{1}";

/// One sentence saying what changed and which statements decide it, with
/// `action` for the action's name.
pub fn sentence(
    c: &ActionChange,
    action: &str,
    old_allows: &[&Clause<'_>],
    old_denies: &[&Clause<'_>],
    new_allows: &[&Clause<'_>],
    new_denies: &[&Clause<'_>],
) -> String {
    match c.kind {
        ChangeKind::Granted => {
            let why_not = match total_deny(old_denies) {
                Some(d) => format!(
                    "OLD denied {action} unconditionally ({})",
                    statement_label(d)
                ),
                None if old_allows.is_empty() => format!("OLD allowed {action} in no statement"),
                None => format!(
                    "OLD denied {action} wherever it allowed it ({})",
                    list(old_denies)
                ),
            };
            format!("NEW allows {} by {}; {why_not}.", action, list(new_allows))
        }
        ChangeKind::Revoked => {
            let why_not = match total_deny(new_denies) {
                Some(d) => format!(
                    "NEW denies {action} unconditionally ({})",
                    statement_label(d)
                ),
                None if new_allows.is_empty() => format!("NEW allows {action} in no statement"),
                None => format!(
                    "NEW denies {action} wherever it allows it ({})",
                    list(new_denies)
                ),
            };
            format!("OLD allowed {} by {}; {why_not}.", action, list(old_allows))
        }
        ChangeKind::MayDiffer => format!(
            "{} may differ: the statements that decide it changed ({}) and the diff could neither prove the access equal nor find a request decided differently. OLD: {}. NEW: {}.",
            action,
            aspect_names(&c.aspects),
            or_nothing(old_allows),
            or_nothing(new_allows)
        ),
        _ => {
            let head = match (c.new_access, c.lost_access) {
                (_, Evidence::No) => format!(
                    "NEW allows {} {}",
                    action,
                    more_or_less(&c.aspects, true)
                ),
                (Evidence::No, _) => format!(
                    "NEW allows {} {}",
                    action,
                    more_or_less(&c.aspects, false)
                ),
                (Evidence::Yes, Evidence::Yes) => format!(
                    "NEW allows {} in some cases OLD did not and refuses some OLD allowed ({})",
                    action,
                    aspect_names(&c.aspects)
                ),
                (Evidence::Yes, _) => format!(
                    "NEW allows {} in some cases OLD did not ({}; whether it also refuses some OLD allowed is not proven)",
                    action,
                    aspect_names(&c.aspects)
                ),
                _ => format!(
                    "NEW refuses {} in some cases OLD allowed ({}; whether it also allows some OLD did not is not proven)",
                    action,
                    aspect_names(&c.aspects)
                ),
            };
            let same_allows = old_allows.len() == new_allows.len()
                && old_allows.iter().all(|o| new_allows.iter().any(|n| n.key == o.key));
            let mut s = if same_allows {
                format!("{head}. Allowed by {}.", list(new_allows))
            } else {
                format!(
                    "{head}. OLD: {}. NEW: {}.",
                    or_nothing(old_allows),
                    or_nothing(new_allows)
                )
            };
            if c.aspects.contains(&Aspect::Deny) {
                s.push_str(&format!(
                    " Denies: OLD {}, NEW {}.",
                    or_none(old_denies),
                    or_none(new_denies)
                ));
            }
            s
        }
    }
}

fn or_nothing(cs: &[&Clause<'_>]) -> String {
    if cs.is_empty() {
        "no statement allows it".to_string()
    } else {
        list(cs)
    }
}

fn or_none(cs: &[&Clause<'_>]) -> String {
    if cs.is_empty() {
        "none".to_string()
    } else {
        list(cs)
    }
}

fn aspect_names(aspects: &[Aspect]) -> String {
    let names: Vec<&str> = aspects
        .iter()
        .map(|a| match a {
            Aspect::Resources => "resources",
            Aspect::Conditions => "conditions",
            Aspect::Principals => "principals",
            Aspect::Deny => "Deny statements",
        })
        .collect();
    if names.is_empty() {
        "statements".to_string()
    } else {
        names.join(", ")
    }
}

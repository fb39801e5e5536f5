//! Checks of the Resource element: ARN fields, resources no action of the
//! statement works on, `"Resource": "*"` where resource-level permissions
//! exist, actions that need `"Resource": "*"`, redundant resources, Allow
//! with NotResource, iam:PassRole on every role.

use super::{
    examples, has_wildcard, is_allow, is_literal, resource_types_of, Draft, Expanded, Linter,
    StmtActions,
};
use crate::engine::check_arn_pattern;
use crate::engine::ResourceElement;
use crate::engine::{PolicyKind, Span, Statement};
use crate::text::{char_index, covers, is_all_star, sub_span, Cover, Pattern};
use crate::FindingCode as F;
use iam_catalog::{ActionRef, Wildcard};
use std::collections::HashSet;

/// AWS partitions.
const PARTITIONS: [&str; 8] = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// A quick test before matching: a pattern for `iam:PassRole` has at most
/// 12 characters besides `*`, and its literal characters are in the name.
fn may_match_pass_role(pattern: &str) -> bool {
    const NAME: &str = "iam:passrole";
    pattern.chars().filter(|&c| c != '*').count() <= NAME.len()
        && pattern
            .chars()
            .all(|c| c == '*' || c == '?' || NAME.contains(c.to_ascii_lowercase()))
}

/// Does the pattern match the resource `*` (as `"Resource": "*"` is
/// written)? `*` matches any run and `?` one character, so: only `*` and
/// `?`, and at most one `?`.
fn matches_star(pattern: &str) -> bool {
    !pattern.is_empty()
        && pattern.chars().all(|c| c == '*' || c == '?')
        && pattern.chars().filter(|&c| c == '?').count() <= 1
}

pub(super) fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let lower = |p: &&str| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase());
    match (parts.first(), parts.last()) {
        (Some(first), Some(last)) if parts.len() >= 3 => {
            (2..=4).contains(&first.len())
                && lower(first)
                && !last.is_empty()
                && last.chars().all(|c| c.is_ascii_digit())
                && parts
                    .get(1..parts.len() - 1)
                    .is_some_and(|mid| mid.iter().all(lower))
        }
        _ => false,
    }
}

impl<'c> Linter<'c, '_> {
    pub(super) fn resources(
        &mut self,
        st: &Statement,
        res: &ResourceElement,
        info: Option<&StmtActions<'c>>,
        pass_role: bool,
    ) {
        for p in &res.patterns {
            if is_all_star(&p.text) || check_arn_pattern(&p.text).is_err() {
                continue;
            }
            if p.text.starts_with("arn:") {
                self.arn_fields(st, &p.text, p.span);
            }
        }
        self.redundant_patterns(
            st,
            res.patterns.iter().map(|p| (p.text.as_str(), p.span)),
            false,
            F::RedundantResource,
            "resource",
        );
        let Some(info) = info else { return };
        if res.negated || info.negated {
            return;
        }
        // Literal actions that only work with "Resource": "*".
        let star_ok = res.patterns.iter().any(|r| matches_star(&r.text));
        if !star_ok && !res.patterns.is_empty() {
            if let Some(el) = &st.action {
                for (p, expanded) in el.patterns.iter().zip(&info.per_pattern) {
                    if has_wildcard(&p.text) {
                        continue;
                    }
                    if let Some([a]) = expanded.list() {
                        if a.only_star_resource() {
                            self.emit(
                                Draft::new(
                                    F::ActionNeedsStarResource,
                                    p.span,
                                    format!(
                                        "{} does not support resource-level permissions: only \"Resource\": \"*\" grants it, so this statement never does",
                                        a.full_name()
                                    ),
                                )
                                .of(st)
                                .hint("move the action to a statement with \"Resource\": \"*\"")
                                .related(res.key_span),
                            );
                        }
                    }
                }
            }
        }
        // The statement's actions that take specific resources, and an ARN
        // format to suggest (used by both checks below).
        let scoped: Vec<ActionRef<'_>> = info
            .actions
            .iter()
            .filter(|a| !a.only_star_resource())
            .copied()
            .collect();
        let format = scoped
            .first()
            .and_then(|a| a.resource_types().next())
            .and_then(|r| r.resource_type.arn_formats().first().cloned())
            .unwrap_or_default();
        // ARNs that no action of the statement works on.
        for p in &res.patterns {
            if is_all_star(&p.text)
                || check_arn_pattern(&p.text).is_err()
                || !p.text.starts_with("arn:")
            {
                continue;
            }
            let Some(rts) = self.arn_types(&p.text, p.span, st) else {
                continue;
            };
            let svc = p.text.split(':').nth(2).unwrap_or_default();
            // Formats with a placeholder service field match any service, so
            // look for a format that names this one.
            let unknown_service = is_literal(svc)
                && self.cat.service(svc).is_none()
                && !rts.iter().any(|r| {
                    r.arn_formats().iter().any(|f| {
                        f.split(':')
                            .nth(2)
                            .is_some_and(|s| s.eq_ignore_ascii_case(svc))
                    })
                });
            if rts.is_empty() || unknown_service {
                let hint = if unknown_service {
                    match self.suggest(svc, self.cat.services().map(|s| s.prefix())) {
                        Some(s) => {
                            format!("\"{svc}\" is not a service prefix; did you mean \"{s}\"?")
                        }
                        None => format!("\"{svc}\" is not a service prefix"),
                    }
                } else {
                    format!("compare it with the ARN formats of {svc}'s resource types (Service Authorization Reference)")
                };
                self.emit(
                    Draft::new(
                        F::ResourceMismatch,
                        p.span,
                        format!(
                            "\"{}\" matches the ARN format of no resource type in the catalog",
                            p.text
                        ),
                    )
                    .of(st)
                    .hint(hint),
                );
                continue;
            }
            if info.star || !info.complete || scoped.is_empty() {
                continue;
            }
            let set: HashSet<(&str, &str)> =
                rts.iter().map(|r| (r.service_prefix(), r.name())).collect();
            let fits = info.actions.iter().any(|a| {
                a.resource_types().any(|art| {
                    set.contains(&(art.resource_type.service_prefix(), art.resource_type.name()))
                })
            });
            if !fits {
                self.emit(
                    Draft::new(
                        F::ResourceMismatch,
                        p.span,
                        format!(
                            "\"{}\" fits no resource type of the statement's actions ({}), so it grants nothing",
                            p.text,
                            examples(&scoped, 3)
                        ),
                    )
                    .of(st)
                    .hint(format!("use an ARN of the form {format}")),
                );
            }
        }
        // "Resource": "*" where the actions support resource-level permissions.
        if self.kind != PolicyKind::Identity
            || pass_role
            || info.star
            || !info.complete
            || !is_allow(st)
        {
            return;
        }
        let Some(star) = res.patterns.iter().find(|p| is_all_star(&p.text)) else {
            return;
        };
        let abac = st.conditions.iter().any(|c| {
            let k = c.key.to_ascii_lowercase();
            k.contains("resourcetag/")
                || k.starts_with("aws:resourceaccount")
                || k.starts_with("aws:resourceorg")
        });
        if abac || scoped.is_empty() {
            return;
        }
        let message = if scoped.len() == 1 && info.actions.len() == 1 {
            format!(
                "\"Resource\": \"*\" grants {} on every resource, though it supports resource-level permissions (on {})",
                scoped.first().map(ActionRef::full_name).unwrap_or_default(),
                scoped.first().map(resource_types_of).unwrap_or_default()
            )
        } else {
            format!(
                "\"Resource\": \"*\" grants {} of the statement's {} actions on every resource, though they support resource-level permissions ({})",
                scoped.len(),
                info.actions.len(),
                examples(&scoped, 2)
            )
        };
        self.emit(
            Draft::new(F::StarResource, star.span, message)
                .of(st)
                .hint(format!(
                    "for least privilege list the ARNs they need (e.g. {format}) and keep \"*\" only for actions that require it"
                )),
        );
    }

    fn arn_fields(&mut self, st: &Statement, text: &str, span: Span) {
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        let (Some(partition), Some(service), Some(region), Some(account)) =
            (parts.get(1), parts.get(2), parts.get(3), parts.get(4))
        else {
            return;
        };
        let part_at = 4;
        let region_at = part_at + partition.len() + 1 + service.len() + 1;
        let account_at = region_at + region.len() + 1;
        let total = text.chars().count();
        let sub = |byte: usize, field: &str| {
            sub_span(span, total, char_index(text, byte), field.chars().count())
        };
        if is_literal(partition) && !PARTITIONS.contains(partition) {
            let hint = match self.suggest(partition, PARTITIONS) {
                Some(p) => format!("did you mean \"{p}\"?"),
                None => "use aws, aws-cn or aws-us-gov (or * for any partition)".into(),
            };
            self.emit(
                Draft::new(
                    F::InvalidArnPartition,
                    sub(part_at, partition),
                    format!("\"{partition}\" is not an AWS partition"),
                )
                .of(st)
                .hint(hint),
            );
        }
        if is_literal(region) && !region.is_empty() && !is_region(region) {
            self.emit(
                Draft::new(
                    F::InvalidArnRegion,
                    sub(region_at, region),
                    format!("\"{region}\" is not a region name"),
                )
                .of(st)
                .hint("write a region such as us-east-1, * for any region, or leave it empty for services without regions (s3, iam)"),
            );
        }
        if is_literal(account)
            && !account.is_empty()
            && *account != "aws"
            && !(account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()))
        {
            self.emit(
                Draft::new(
                    F::InvalidArnAccount,
                    sub(account_at, account),
                    format!("\"{account}\" is not a 12-digit account ID"),
                )
                .of(st)
                .hint("write the 12-digit account ID (e.g. 111122223333), * for any account, or leave it empty for services without accounts (s3)"),
            );
        }
    }

    /// Allow with NotResource.
    pub(super) fn allow_with_not_resource(&mut self, st: &Statement) {
        let Some(r) = st.resource.as_ref().filter(|r| r.negated) else {
            return;
        };
        if !is_allow(st) {
            return;
        }
        self.emit(
            Draft::new(
                F::AllowWithNotResource,
                r.key_span,
                "Allow with NotResource grants the actions on every resource except those listed — including resources created later",
            )
            .of(st)
            .hint("list the resources to allow in Resource; use NotResource with Deny"),
        );
    }

    /// An identity policy that allows iam:PassRole on every role. Returns
    /// whether it fired (then `star-resource` says nothing more).
    pub(super) fn pass_role(&mut self, st: &Statement, info: Option<&StmtActions<'c>>) -> bool {
        if self.kind != PolicyKind::Identity || !is_allow(st) {
            return false;
        }
        let (Some(a), Some(r)) = (&st.action, &st.resource) else {
            return false;
        };
        // The pattern's expansion answers when the catalog has iam:PassRole.
        let pass_role = self.cat.find_action("iam:PassRole").map(|a| a.index());
        let matching = a.patterns.iter().enumerate().find_map(|(k, p)| {
            let expanded = info.and_then(|i| i.per_pattern.get(k));
            let hit = match (expanded, pass_role) {
                (Some(Expanded::All), _) => true,
                (Some(Expanded::Actions(list)), Some(id)) => list.iter().any(|a| a.index() == id),
                _ => {
                    may_match_pass_role(&p.text) && Wildcard::new(&p.text).is_match("iam:PassRole")
                }
            };
            hit.then_some(p)
        });
        let grants = if a.negated {
            matching.is_none()
        } else {
            matching.is_some()
        };
        if !grants {
            return false;
        }
        let broad: Option<Span> = if r.negated {
            Some(r.key_span)
        } else {
            let every_role = Pattern::new("arn:aws:iam::*:role/*", false, false);
            let mut found = None;
            for p in &r.patterns {
                match covers(
                    &Pattern::new(&p.text, false, false),
                    &every_role,
                    &self.containment,
                ) {
                    Cover::Yes => {
                        found = Some(p.span);
                        break;
                    }
                    Cover::No => {}
                    Cover::TooComplex => self.note_containment(p.span, st),
                }
                if self.containment.exhausted() {
                    break;
                }
            }
            found
        };
        let Some(span) = broad else {
            return false;
        };
        let via = match matching {
            Some(m) if !m.text.eq_ignore_ascii_case("iam:PassRole") => {
                format!(" (through \"{}\")", m.text)
            }
            _ => String::new(),
        };
        let mut d = Draft::new(
            F::PassRoleStarResource,
            span,
            format!("the statement allows iam:PassRole{via} on every role, so the caller can hand any role, administrator roles included, to a service"),
        )
        .of(st)
        .hint("name the roles that may be passed (arn:aws:iam::ACCOUNT:role/NAME) and add a condition on iam:PassedToService");
        if let Some(m) = matching {
            d = d.related(m.span);
        }
        self.emit(d);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_matches_the_star_resource() {
        for p in ["*", "**", "?", "*?*", "?*"] {
            assert_eq!(matches_star(p), Wildcard::new(p).is_match("*"), "{p}");
            assert!(matches_star(p), "{p}");
        }
        for p in ["", "??", "a*", "*a", "${*}", "arn:*"] {
            assert_eq!(matches_star(p), Wildcard::new(p).is_match("*"), "{p}");
            assert!(!matches_star(p), "{p}");
        }
    }

    #[test]
    fn pass_role_prefilter_keeps_every_match() {
        for p in [
            "iam:PassRole",
            "iam:*",
            "*",
            "IAM:pass*",
            "i?m:*Role",
            "*:PassRole",
        ] {
            assert!(may_match_pass_role(p), "{p}");
            assert!(Wildcard::new(p).is_match("iam:PassRole"), "{p}");
        }
        for p in ["s3:*", "iam:PassRoles", "*:Get*", "iam:PassRole?"] {
            assert!(!may_match_pass_role(p) || !Wildcard::new(p).is_match("iam:PassRole"));
            assert!(!Wildcard::new(p).is_match("iam:PassRole"), "{p}");
        }
    }

    #[test]
    fn regions() {
        for r in [
            "us-east-1",
            "us-gov-west-1",
            "cn-north-1",
            "eusc-de-east-1",
            "ap-southeast-5",
        ] {
            assert!(is_region(r), "{r}");
        }
        for r in ["useast1", "us-east", "US-EAST-1", "global", "us-east-1a"] {
            assert!(!is_region(r), "{r}");
        }
    }
}

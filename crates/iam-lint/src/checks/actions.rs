//! Checks of the Action element: unknown services and actions, wildcards
//! that match nothing, spelling, redundant patterns, Allow with NotAction,
//! full access.

use super::{has_wildcard, is_allow, Draft, Expanded, Linter, StmtActions};
use crate::engine::ActionElement;
use crate::engine::{PolicyKind, Span, Statement};
use crate::text::is_all_star;
use crate::FindingCode as F;

fn mark(reported: &mut [bool], k: usize) {
    if let Some(r) = reported.get_mut(k) {
        *r = true;
    }
}

impl<'c> Linter<'c, '_> {
    pub(super) fn actions(&mut self, st: &Statement, el: &ActionElement, info: &StmtActions<'c>) {
        // Patterns reported as unknown are not also "redundant".
        let mut reported = vec![false; el.patterns.len()];
        for (k, p) in el.patterns.iter().enumerate() {
            if is_all_star(&p.text) {
                continue;
            }
            let Some((svc, name)) = p.text.split_once(':') else {
                continue;
            };
            let expanded = info.per_pattern.get(k);
            let skipped = matches!(expanded, Some(Expanded::Skipped));
            let matched = expanded.and_then(Expanded::list).map_or(0, <[_]>::len);
            if has_wildcard(svc) {
                let count = if skipped {
                    String::new()
                } else {
                    format!("{matched} actions now, and ")
                };
                self.emit(
                    Draft::new(
                        F::WildcardInServiceName,
                        p.span,
                        format!(
                            "\"{}\" has a wildcard in the service prefix, so it matches actions of every service whose prefix fits ({count}any new service's later)",
                            p.text
                        ),
                    )
                    .of(st)
                    .hint("name the service, for example \"s3:Get*\" instead of \"s*:Get*\""),
                );
                if matched == 0 && !skipped {
                    self.nothing_matches(
                        st,
                        p.text.as_str(),
                        p.span,
                        "no service's actions".into(),
                    );
                    mark(&mut reported, k);
                }
                continue;
            }
            let Some(service) = self.cat.service(svc) else {
                let hint = match self.suggest(svc, self.cat.services().map(|s| s.prefix())) {
                    Some(s) => format!("did you mean \"{s}:{name}\"?"),
                    None => "use the service prefix from the Service Authorization Reference, for example s3, ec2 or iam".into(),
                };
                self.emit(
                    Draft::new(
                        F::UnknownService,
                        p.span,
                        format!(
                            "\"{svc}\" is not a known service prefix, so \"{}\" matches no action",
                            p.text
                        ),
                    )
                    .of(st)
                    .hint(hint),
                );
                mark(&mut reported, k);
                continue;
            };
            if !has_wildcard(name) {
                match service.action(name) {
                    None => {
                        let hint = match self.suggest(name, service.actions().map(|a| a.name())) {
                            Some(s) => format!("did you mean \"{}:{s}\"?", service.prefix()),
                            None => format!(
                                "check the spelling; `iam-policy expand '{}:*'` lists the service's {} actions",
                                service.prefix(),
                                service.action_count()
                            ),
                        };
                        self.emit(
                            Draft::new(
                                F::UnknownAction,
                                p.span,
                                format!(
                                    "{} ({}) has no action \"{name}\"",
                                    service.name(),
                                    service.prefix()
                                ),
                            )
                            .of(st)
                            .hint(hint),
                        );
                        mark(&mut reported, k);
                    }
                    Some(a) => {
                        let full = a.full_name();
                        if p.text != full {
                            self.emit(
                                Draft::new(
                                    F::ActionCase,
                                    p.span,
                                    format!("\"{}\" is written \"{full}\" in the Service Authorization Reference", p.text),
                                )
                                .of(st)
                                .hint(format!("write \"{full}\" (actions match case-insensitively, but the documented spelling is easier to search)")),
                            );
                        }
                    }
                }
            } else if matched == 0 && !skipped {
                let lit_len = name.find(['*', '?']).unwrap_or(name.len());
                let lit = name.get(..lit_len).unwrap_or_default();
                let rest = name.get(lit_len..).unwrap_or_default();
                let suggestion = if !lit.is_empty() && self.may_suggest() {
                    let mut prefixes: Vec<&str> = service
                        .actions()
                        .filter_map(|a| a.name().get(..lit.len()))
                        .collect();
                    prefixes.sort_unstable();
                    prefixes.dedup();
                    self.suggest(lit, prefixes)
                } else {
                    None
                };
                let hint = match suggestion {
                    Some(s) => format!("did you mean \"{}:{s}{rest}\"?", service.prefix()),
                    None => format!(
                        "`iam-policy expand '{}:*'` lists the service's actions",
                        service.prefix()
                    ),
                };
                self.nothing_matches(st, p.text.as_str(), p.span, hint);
                mark(&mut reported, k);
            }
        }
        self.redundant_patterns(
            st,
            el.patterns
                .iter()
                .zip(&reported)
                .filter(|(_, r)| !**r)
                .map(|(p, _)| (p.text.as_str(), p.span)),
            true,
            F::RedundantAction,
            "action",
        );
    }

    fn nothing_matches(&mut self, st: &Statement, text: &str, span: Span, hint: String) {
        self.emit(
            Draft::new(
                F::ActionMatchesNothing,
                span,
                format!("\"{text}\" matches no action in the catalog"),
            )
            .of(st)
            .hint(hint),
        );
    }

    /// Allow with NotAction.
    pub(super) fn allow_with_not_action(&mut self, st: &Statement) {
        let Some(a) = st.action.as_ref().filter(|a| a.negated) else {
            return;
        };
        if !is_allow(st) {
            return;
        }
        self.emit(
            Draft::new(
                F::AllowWithNotAction,
                a.key_span,
                format!(
                    "Allow with NotAction grants every action except {} — including actions AWS adds later",
                    a.patterns.len()
                ),
            )
            .of(st)
            .hint("list the actions to allow in Action; use NotAction with Deny"),
        );
    }

    /// Allow `*` on `*` without a condition in an identity policy.
    pub(super) fn full_access(&mut self, st: &Statement, info: Option<&StmtActions<'c>>) {
        if self.kind != PolicyKind::Identity || !is_allow(st) || !st.conditions.is_empty() {
            return;
        }
        let (Some(a), Some(r)) = (&st.action, &st.resource) else {
            return;
        };
        if a.negated || !info.is_some_and(|i| i.star) {
            return;
        }
        let star_res = !r.negated && r.patterns.iter().any(|p| is_all_star(&p.text));
        if let (true, Some(p)) = (star_res, a.patterns.iter().find(|p| is_all_star(&p.text))) {
            self.emit(
                Draft::new(
                    F::FullAccess,
                    p.span,
                    "Allow \"*\" on \"*\" without a condition is full administrator access",
                )
                .of(st)
                .hint("grant only the actions and resources the task needs (least privilege); use an AWS managed job-function policy if you need broad access"),
            );
        }
    }
}

//! Where a problem's fix goes in the policy text, and one-click fixes:
//!
//! - a missing comma is reported by the JSON reader where it noticed it (the next member's
//!   quote, often on the next line); the fix goes right after the previous value, so that is
//!   where the editor marks it ([`fix_point`]);
//! - "did you mean \"s3:GetObject\"?" hints (the engine's and the catalog's) become a button
//!   that puts the suggestion in place of the text the problem is about ([`suggestion`],
//!   [`replace`]), applied only when the user clicks it.
//!
//! Positions are the engine's: 1-based lines and columns counted in characters.

use iam_policy::{Diagnostic, DiagnosticCode, Position, Span};

/// The character index of a line/column position in `text` (None when past the end).
fn index_of(text: &str, at: Position) -> Option<usize> {
    let mut line = 1u32;
    let mut column = 1u32;
    for (i, c) in text.chars().enumerate() {
        if line == at.line && column == at.column {
            return Some(i);
        }
        if c == '\n' {
            if line == at.line {
                return Some(i);
            }
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (line == at.line).then(|| text.chars().count())
}

/// The line/column position of a character index.
fn position_of(text: &str, index: usize) -> Position {
    let mut line = 1u32;
    let mut column = 1u32;
    for c in text.chars().take(index) {
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    Position {
        line,
        column,
        offset: 0,
    }
}

/// Whether a JSON syntax error is a missing comma.
fn is_missing_comma(d: &Diagnostic) -> bool {
    d.code == DiagnosticCode::InvalidJson
        && (d.message.starts_with("missing comma")
            || d.hint
                .as_deref()
                .is_some_and(|h| h.starts_with("add a ','")))
}

/// Where the fix of a diagnostic goes, when it is not where the reader noticed the problem:
/// for a missing comma, right after the previous value (an empty span there).
pub fn fix_point(text: &str, d: &Diagnostic) -> Option<Span> {
    if !is_missing_comma(d) {
        return None;
    }
    let at = index_of(text, d.span.start)?;
    let chars: Vec<char> = text.chars().take(at).collect();
    let end = chars.iter().rposition(|c| !c.is_whitespace())? + 1;
    let p = position_of(text, end);
    Some(Span::new(p, p))
}

/// The diagnostic as the playground shows it: a missing comma is placed where the comma goes
/// (the list's position, the editor's reveal) and its squiggle runs from the start of that
/// line's text to there, so that it is visible where the fix goes rather than under the next
/// member's quote. Other diagnostics are returned as they are, with their own span twice.
pub fn relocate(text: &str, d: &Diagnostic) -> (Diagnostic, Span) {
    let Some(point) = fix_point(text, d) else {
        return (d.clone(), d.span);
    };
    let line_start = text
        .lines()
        .nth(point.start.line.saturating_sub(1) as usize)
        .map(|l| l.chars().take_while(|c| c.is_whitespace()).count() as u32 + 1)
        .unwrap_or(1);
    let from = Position {
        line: point.start.line,
        column: line_start.min(point.start.column),
        offset: 0,
    };
    let mut shown = d.clone();
    shown.span = point;
    shown.message = format!(
        "missing comma at the end of line {}, column {}",
        point.start.line, point.start.column
    );
    (shown, Span::new(from, point.start))
}

/// The engine's diagnostics and the catalog's findings whose "did you mean" names the
/// replacement of the whole text they are about (a key, an action, an operator, a
/// partition), by their stable codes.
const REPLACEABLE: [&str; 10] = [
    "unknown-element",
    "malformed-action",
    "unknown-operator",
    "operator-case",
    "unknown-action",
    "unknown-service",
    "action-matches-nothing",
    "invalid-arn-partition",
    "unknown-global-key",
    "unknown-condition-key",
];

/// The suggestion of a hint (`did you mean "X"?`, or `write "X"` for a case fix), for a
/// problem whose code allows replacing its text.
pub fn suggestion(code: &str, hint: Option<&str>) -> Option<String> {
    let hint = hint?;
    let rest = if REPLACEABLE.contains(&code) {
        hint.split_once("did you mean \"")?.1
    } else if code == "action-case" {
        hint.strip_prefix("write \"")?
    } else {
        return None;
    };
    let (s, _) = rest.split_once('"')?;
    (!s.is_empty()).then(|| s.to_string())
}

/// The text with `span`'s content replaced by `with` (inside the quotes when the span is a
/// JSON string); None when the span is not in the text or nothing would change.
pub fn replace(text: &str, span: Span, with: &str) -> Option<String> {
    let from = index_of(text, span.start)?;
    let to = index_of(text, span.end)?;
    if to <= from {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let target: String = chars.get(from..to)?.iter().collect();
    let (from, to) = if target.len() >= 2 && target.starts_with('"') && target.ends_with('"') {
        (from + 1, to - 1)
    } else {
        (from, to)
    };
    let old: String = chars.get(from..to)?.iter().collect();
    if old == with {
        return None;
    }
    let mut out: String = chars.get(..from)?.iter().collect();
    out.push_str(with);
    out.extend(chars.get(to..)?.iter());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_comma_is_marked_after_the_previous_value() {
        let text = "{\n  \"Version\": \"2012-10-17\"\n  \"Statement\": []\n}";
        let parsed = iam_policy::parse_policy(text);
        let d = parsed.diagnostics.first().unwrap();
        assert_eq!(
            d.span.start.line, 3,
            "the reader notices it on the next line"
        );
        let p = fix_point(text, d).unwrap();
        assert_eq!((p.start.line, p.start.column), (2, 26));
        assert_eq!(p.start, p.end);
        // In an array too.
        let text = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"a:b\"  \"c:d\"],\"Resource\":\"*\"}]}";
        let d = iam_policy::parse_policy(text).diagnostics.remove(0);
        let p = fix_point(text, &d).unwrap();
        // Right after the closing quote of "a:b" (character index 69, column 70).
        assert_eq!(p.start.column, 71);
        assert_eq!(text.chars().nth(69), Some('"'));
        // Shown at the end of line 2, squiggled from the line's text to there.
        let text = "{\n  \"Version\": \"2012-10-17\"\n  \"Statement\": []\n}";
        let d = iam_policy::parse_policy(text).diagnostics.remove(0);
        let (shown, squiggle) = relocate(text, &d);
        assert_eq!((shown.span.start.line, shown.span.start.column), (2, 26));
        assert!(shown.message.contains("end of line 2"), "{}", shown.message);
        assert_eq!((squiggle.start.line, squiggle.start.column), (2, 3));
        assert_eq!((squiggle.end.line, squiggle.end.column), (2, 26));
        // Other problems stay where they are.
        let d = iam_policy::parse_policy("{\"Version\": 1}")
            .diagnostics
            .remove(0);
        assert!(fix_point("{\"Version\": 1}", &d).is_none());
    }

    #[test]
    fn did_you_mean_replaces_the_string_it_is_about() {
        let s = suggestion("unknown-action", Some("did you mean \"s3:GetObject\"?")).unwrap();
        assert_eq!(s, "s3:GetObject");
        assert_eq!(
            suggestion("unknown-service", Some("did you mean the prefix \"s3\"?")),
            None
        );
        assert_eq!(
            suggestion("resource-mismatch", Some("did you mean \"s3\"?")),
            None
        );
        assert_eq!(
            suggestion(
                "action-case",
                Some("write \"s3:GetObject\" (actions match …)")
            )
            .as_deref(),
            Some("s3:GetObject")
        );
        let text = "{\n  \"Action\": \"s3:GetObjekt\"\n}";
        let span = Span::new(
            Position {
                line: 2,
                column: 13,
                offset: 0,
            },
            Position {
                line: 2,
                column: 27,
                offset: 0,
            },
        );
        assert_eq!(
            replace(text, span, &s).unwrap(),
            "{\n  \"Action\": \"s3:GetObject\"\n}"
        );
        // Unquoted spans are replaced whole; a span past the text changes nothing.
        let inner = Span::new(
            Position {
                line: 2,
                column: 14,
                offset: 0,
            },
            Position {
                line: 2,
                column: 26,
                offset: 0,
            },
        );
        assert_eq!(
            replace(text, inner, &s).unwrap(),
            "{\n  \"Action\": \"s3:GetObject\"\n}"
        );
        let past = Span::new(
            Position {
                line: 9,
                column: 1,
                offset: 0,
            },
            Position {
                line: 9,
                column: 2,
                offset: 0,
            },
        );
        assert_eq!(replace(text, past, "x"), None);
    }

    #[test]
    fn the_engines_case_hint_for_elements_is_a_fix() {
        let text = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";
        let d = iam_policy::parse_policy(text)
            .diagnostics
            .into_iter()
            .find(|d| d.code.as_str() == "unknown-element")
            .unwrap();
        let s = suggestion(d.code.as_str(), d.hint.as_deref()).unwrap();
        assert_eq!(s, "Action");
        let fixed = replace(text, d.span, &s).unwrap();
        assert!(iam_policy::parse_policy(&fixed)
            .diagnostics
            .iter()
            .all(|d| !d.is_error()));
    }
}

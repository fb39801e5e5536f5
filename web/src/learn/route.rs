//! The Learn view's routes, in the URL fragment: `#learn` (the lesson list) and
//! `#learn/<lesson id>` (a lesson). A fragment is never sent to a server.

/// What a fragment (with or without `#`) asks the Learn view to show: `None` when it is
/// not a Learn route (the playground, a share link); `Some(None)` for the lesson list;
/// `Some(Some(id))` for a lesson.
pub fn parse(fragment: &str) -> Option<Option<String>> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    let rest = f.strip_prefix("learn")?;
    if rest.is_empty() || rest == "/" {
        return Some(None);
    }
    let id = rest.strip_prefix('/')?;
    Some(Some(id.trim_end_matches('/').to_string()))
}

/// Whether a fragment is a Learn route.
pub fn is_learn(fragment: &str) -> bool {
    parse(fragment).is_some()
}

/// The fragment (with `#`) of a lesson, or of the lesson list.
pub fn href(lesson: Option<&str>) -> String {
    match lesson {
        Some(id) => format!("#learn/{id}"),
        None => "#learn".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_read_and_written() {
        assert_eq!(parse("#learn"), Some(None));
        assert_eq!(parse("learn/"), Some(None));
        assert_eq!(
            parse("#learn/03-actions"),
            Some(Some("03-actions".to_string()))
        );
        assert_eq!(
            parse(&href(Some("03-actions"))),
            Some(Some("03-actions".into()))
        );
        assert_eq!(parse(&href(None)), Some(None));
        assert_eq!(parse(""), None);
        assert_eq!(parse("#s=1.abc&p=1.def"), None);
        assert_eq!(parse("#learning"), None);
        assert!(!is_learn("#top"));
    }
}

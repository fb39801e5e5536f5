//! Markdown → HTML with pulldown-cmark, made safe for `inner_html`:
//!
//! - raw HTML in the lesson text (blocks or inline) is shown as text, never passed through;
//! - links: `https://…` open in a new tab with `rel="noopener noreferrer"`, `#learn/…` stay
//!   in the page; any other target (`javascript:`, `http:`, relative paths) is dropped and
//!   its text kept;
//! - images are not rendered (their alt text is kept): the course is offline and bundled.
//!
//! Every such case is also reported in [`Rendered::problems`], which the check turns into
//! errors, so a lesson never silently loses content.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

/// The result of rendering one markdown text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// Every link target written in the text, in order.
    pub links: Vec<String>,
    /// What the text holds that the renderer refuses (raw HTML, images, unsafe links).
    pub problems: Vec<String>,
}

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Where a link may point.
fn link_kind(url: &str) -> Option<&'static str> {
    if url.starts_with("https://") && !url.chars().any(|c| c.is_whitespace() || c == '"') {
        Some("external")
    } else if url.starts_with("#learn/") {
        Some("internal")
    } else {
        None
    }
}

/// Renders markdown (CommonMark with tables and strikethrough) to safe HTML.
pub fn render_markdown(markdown: &str) -> Rendered {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut links = Vec::new();
    let mut problems = Vec::new();
    // For each open link: whether an <a> was written for it.
    let mut open_links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => {
            problems.push(format!(
                "raw HTML is not allowed in lesson text (shown as text): {}",
                raw.trim()
            ));
            Some(Event::Text(raw))
        }
        Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => None,
        Event::Start(Tag::Image { dest_url, .. }) => {
            problems.push(format!(
                "images are not supported in lessons (alt text kept): {dest_url}"
            ));
            None
        }
        Event::End(TagEnd::Image) => None,
        Event::Start(Tag::Link {
            dest_url, title, ..
        }) => {
            links.push(dest_url.to_string());
            match link_kind(&dest_url) {
                Some(kind) => {
                    open_links.push(true);
                    let title = if title.is_empty() {
                        String::new()
                    } else {
                        format!(" title=\"{}\"", escape_attr(&title))
                    };
                    let extra = if kind == "external" {
                        " rel=\"noopener noreferrer\" target=\"_blank\""
                    } else {
                        ""
                    };
                    Some(Event::Html(CowStr::from(format!(
                        "<a href=\"{}\"{title}{extra}>",
                        escape_attr(&dest_url)
                    ))))
                }
                None => {
                    problems.push(format!(
                        "link target {dest_url} is neither https:// nor #learn/ (link dropped, text kept)"
                    ));
                    open_links.push(false);
                    None
                }
            }
        }
        Event::End(TagEnd::Link) => {
            if open_links.pop().unwrap_or(false) {
                Some(Event::Html(CowStr::from("</a>")))
            } else {
                None
            }
        }
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    Rendered {
        html: out,
        links,
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_escaped_not_passed_through() {
        let r = render_markdown("Hello <script>alert(1)</script>\n\n<div onclick=\"x\">hi</div>\n");
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(!r.html.contains("<div"), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"), "{}", r.html);
        assert_eq!(r.problems.len(), 3, "{:?}", r.problems);
    }

    #[test]
    fn external_links_get_noopener_and_internal_links_stay() {
        let r = render_markdown(
            "See [the guide](https://docs.aws.amazon.com/IAM/latest/UserGuide/x.html \"t\") and [next](#learn/02-deny).",
        );
        assert!(r.html.contains(
            "<a href=\"https://docs.aws.amazon.com/IAM/latest/UserGuide/x.html\" title=\"t\" rel=\"noopener noreferrer\" target=\"_blank\">the guide</a>"
        ), "{}", r.html);
        assert!(
            r.html.contains("<a href=\"#learn/02-deny\">next</a>"),
            "{}",
            r.html
        );
        assert!(r.problems.is_empty());
        assert_eq!(r.links.len(), 2);
    }

    #[test]
    fn unsafe_links_and_images_are_dropped_with_a_problem() {
        let r = render_markdown("[x](javascript:alert(1)) ![alt text](https://example.com/a.png)");
        assert!(!r.html.contains("javascript"), "{}", r.html);
        assert!(!r.html.contains("<img"), "{}", r.html);
        assert!(r.html.contains("alt text"), "{}", r.html);
        assert_eq!(r.problems.len(), 2, "{:?}", r.problems);
    }

    #[test]
    fn code_and_tables_render() {
        let r = render_markdown(
            "`s3:GetObject`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```json\n{\"a\": 1}\n```\n",
        );
        assert!(r.html.contains("<code>s3:GetObject</code>"));
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("class=\"language-json\""));
        assert!(
            r.html.contains("{\"a\": 1}") || r.html.contains("{&quot;a&quot;: 1}"),
            "{}",
            r.html
        );
    }
}

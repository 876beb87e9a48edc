//! Note bodies are Markdown; the window shows them as HTML that cannot run or load anything.

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

/// Renders `markdown` (CommonMark with tables, strikethrough and task lists) to HTML that is
/// safe to insert in the window: raw HTML is shown as text, images become their alt text,
/// and links keep only `http`, `https` and `mailto` destinations (others become text).
pub fn to_safe_html(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut in_bad_link = 0usize;
    let mut in_image = 0usize;
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Some(Event::Text(text)),
        Event::Start(Tag::Image { .. }) => {
            in_image += 1;
            None
        }
        Event::End(TagEnd::Image) => {
            in_image = in_image.saturating_sub(1);
            None
        }
        Event::Start(Tag::Link { ref dest_url, .. }) if !safe_url(dest_url) => {
            in_bad_link += 1;
            None
        }
        Event::End(TagEnd::Link) if in_bad_link > 0 => {
            in_bad_link -= 1;
            None
        }
        other => Some(other),
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn renders_markdown() {
        assert_eq!(
            to_safe_html("**must** fix `x`"),
            "<p><strong>must</strong> fix <code>x</code></p>\n"
        );
    }

    #[test]
    fn raw_html_is_text() {
        let html = to_safe_html("<script>alert(1)</script> and <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn unsafe_links_and_images_lose_their_targets() {
        let html = to_safe_html(
            "[click](javascript:alert(1)) ![x](http://evil/x.png) [ok](https://example.com)",
        );
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("<a href=\"https://example.com\">ok</a>"),
            "{html}"
        );
        assert!(html.contains("click"), "{html}");
    }
}

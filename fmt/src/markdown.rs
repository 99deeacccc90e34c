//! Markdown prose for the documents planc writes (ADRs, runbooks, the import report), wrapped
//! at 80 columns as markdownlint's line-length rule asks.

/// Wraps prose at 80 columns, keeping paragraphs and list items.
pub fn wrap(text: &str) -> String {
    let mut out = Vec::new();
    for paragraph in text.split("\n\n") {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + word.len() > 80 {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
        out.push(lines.join("\n"));
    }
    out.join("\n\n")
}

/// A list item wrapped at 80 columns, continuation lines indented under the text.
pub fn bullet(text: &str) -> String {
    let wrapped = wrap(&format!("* {text}"));
    wrapped.replace('\n', "\n  ")
}

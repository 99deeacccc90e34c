//! The insides of string tokens: escapes, `${ expr }` interpolations, text-block indentation.
//!
//! The lexer has already reported malformed escapes and unterminated strings, so these
//! functions are lenient: they never fail, they take what is there.

/// A piece of a one-line string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StringPart {
    /// Literal text with escapes decoded.
    Text(String),
    /// The source of a `${ .. }` interpolation and its byte offset in the token text.
    Interpolation { offset: u32, source: String },
}

/// Splits the text of a `STRING` token (quotes included) into literal text and interpolations.
pub fn string_parts(token_text: &str) -> Vec<StringPart> {
    let inner = token_text.strip_prefix('"').unwrap_or(token_text);
    let bytes = inner.as_bytes();
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut pos = 0;
    while pos < bytes.len() {
        match bytes[pos] {
            b'"' => break,
            b'\\' => {
                let (decoded, len) = decode_escape(&inner[pos..]);
                text.push_str(&decoded);
                pos += len;
            }
            b'$' if bytes.get(pos + 1) == Some(&b'{') => {
                let start = pos + 2;
                let mut depth = 1;
                let mut end = start;
                let mut in_string = false;
                while end < bytes.len() {
                    match bytes[end] {
                        b'"' => in_string = !in_string,
                        b'\\' if in_string => end += 1,
                        b'{' if !in_string => depth += 1,
                        b'}' if !in_string => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    end += 1;
                }
                let end = end.min(bytes.len());
                if !text.is_empty() {
                    parts.push(StringPart::Text(std::mem::take(&mut text)));
                }
                parts.push(StringPart::Interpolation {
                    offset: (start + 1) as u32,
                    source: inner[start..end].to_string(),
                });
                pos = end + 1;
            }
            _ => {
                // The run up to the next quote, escape or `$`, in one copy. Those three are
                // ASCII, so the run ends on a character boundary.
                let run = bytes[pos..]
                    .iter()
                    .position(|byte| matches!(byte, b'"' | b'\\' | b'$'))
                    .map_or(bytes.len(), |it| pos + it.max(1));
                text.push_str(&inner[pos..run]);
                pos = run;
            }
        }
    }
    if !text.is_empty() || parts.is_empty() {
        parts.push(StringPart::Text(text));
    }
    parts
}

/// Decodes one escape at the start of `rest`; returns the text and the bytes it used.
fn decode_escape(rest: &str) -> (String, usize) {
    let bytes = rest.as_bytes();
    match bytes.get(1) {
        Some(b'n') => ("\n".into(), 2),
        Some(b't') => ("\t".into(), 2),
        Some(b'"') => ("\"".into(), 2),
        Some(b'\\') => ("\\".into(), 2),
        Some(b'$') => ("$".into(), 2),
        Some(b'u') if bytes.get(2) == Some(&b'{') => {
            let close = rest[3..].find('}').map(|i| i + 3);
            match close {
                Some(close) => {
                    let ch = u32::from_str_radix(&rest[3..close], 16).ok().and_then(char::from_u32);
                    (ch.map(String::from).unwrap_or_default(), close + 1)
                }
                None => (String::new(), rest.len()),
            }
        }
        Some(_) => {
            let ch = rest[1..].chars().next().map_or(1, char::len_utf8);
            (rest[1..1 + ch].to_string(), 1 + ch)
        }
        None => (String::new(), 1),
    }
}

/// The value of a `"""` text block: the lines between the delimiters with their common
/// indentation removed, a leading newline dropped, and trailing whitespace lines trimmed.
pub fn text_block_value(token_text: &str) -> String {
    let inner = token_text.strip_prefix("\"\"\"").unwrap_or(token_text);
    let inner = inner.strip_suffix("\"\"\"").unwrap_or(inner);
    let inner = inner.strip_prefix("\r\n").or_else(|| inner.strip_prefix('\n')).unwrap_or(inner);
    let lines: Vec<&str> = inner.lines().collect();
    let indent = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<&str> = lines
        .iter()
        .map(|line| if line.len() >= indent { &line[indent..] } else { line.trim_start() })
        .map(|line| line.trim_end())
        .collect();
    while out.last().is_some_and(|line| line.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_interpolations_are_split() {
        let parts = string_parts(r#""host \"${api.host}\"\n""#);
        assert_eq!(
            parts,
            vec![
                StringPart::Text("host \"".into()),
                StringPart::Interpolation { offset: 10, source: "api.host".into() },
                StringPart::Text("\"\n".into()),
            ]
        );
    }

    #[test]
    fn text_blocks_lose_common_indentation() {
        let value = text_block_value("\"\"\"\n    Orders are relational.\n      Nested.\n  \"\"\"");
        assert_eq!(value, "Orders are relational.\n  Nested.");
    }
}

//! A small HCL document model and a printer that formats the way `terraform fmt` does: two
//! spaces of indentation, the `=` of adjacent attributes aligned, a blank line around nested
//! blocks, comments kept where they are put.

use std::fmt::Write as _;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// An expression written as Terraform source: a reference, a function call.
    Raw(String),
    Str(String),
    Num(i64),
    Float(f64),
    Bool(bool),
    List(Vec<Expr>),
    Object(Vec<(String, Expr)>),
}

impl Expr {
    pub fn raw(text: impl Into<String>) -> Expr {
        Expr::Raw(text.into())
    }

    pub fn str(text: impl Into<String>) -> Expr {
        Expr::Str(text.into())
    }

    pub fn strs<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Expr {
        Expr::List(items.into_iter().map(|it| Expr::Str(it.into())).collect())
    }
}

impl From<&str> for Expr {
    fn from(text: &str) -> Expr {
        Expr::Str(text.to_string())
    }
}

impl From<String> for Expr {
    fn from(text: String) -> Expr {
        Expr::Str(text)
    }
}

impl From<i64> for Expr {
    fn from(n: i64) -> Expr {
        Expr::Num(n)
    }
}

impl From<bool> for Expr {
    fn from(b: bool) -> Expr {
        Expr::Bool(b)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Attr(String, Expr),
    Block(Block),
    Comment(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    pub items: Vec<Item>,
}

impl Block {
    pub fn new(kind: &str, labels: &[&str]) -> Block {
        Block { kind: kind.to_string(), labels: labels.iter().map(|it| it.to_string()).collect(), items: Vec::new() }
    }

    /// A `resource "type" "name"` block.
    pub fn resource(resource_type: &str, name: &str) -> Block {
        Block::new("resource", &[resource_type, name])
    }

    pub fn attr(mut self, key: &str, value: impl Into<Expr>) -> Block {
        self.items.push(Item::Attr(key.to_string(), value.into()));
        self
    }

    pub fn attr_if(self, condition: bool, key: &str, value: impl Into<Expr>) -> Block {
        if condition {
            self.attr(key, value)
        } else {
            self
        }
    }

    pub fn raw(self, key: &str, expression: impl Into<String>) -> Block {
        self.attr(key, Expr::Raw(expression.into()))
    }

    pub fn raw_if(self, condition: bool, key: &str, expression: impl Into<String>) -> Block {
        if condition {
            self.raw(key, expression)
        } else {
            self
        }
    }

    pub fn block(mut self, block: Block) -> Block {
        self.items.push(Item::Block(block));
        self
    }

    pub fn block_if(self, condition: bool, block: Block) -> Block {
        if condition {
            self.block(block)
        } else {
            self
        }
    }

    pub fn comment(mut self, text: impl Into<String>) -> Block {
        self.items.push(Item::Comment(text.into()));
        self
    }

    pub fn push(&mut self, item: Item) {
        self.items.push(item);
    }
}

/// One `.tf` file: top-level blocks, each optionally preceded by comment lines.
#[derive(Debug, Clone, Default)]
pub struct File {
    pub items: Vec<(Vec<String>, Block)>,
}

impl File {
    pub fn add(&mut self, comments: Vec<String>, block: Block) {
        self.items.push((comments, block));
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn render(&self, header: &str) -> String {
        let mut out = String::new();
        for line in header.lines() {
            let _ = writeln!(out, "# {line}");
        }
        for (comments, block) in &self.items {
            out.push('\n');
            for comment in comments {
                let _ = writeln!(out, "# {comment}");
            }
            print_block(&mut out, block, 0);
        }
        out
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Template sequences are doubled so that they stay literal text.
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(ch);
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out.push('"');
    out
}

fn is_ident(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(first) if first.is_ascii_alphabetic() || first == '_')
        && key.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-')
}

fn object_key(key: &str) -> String {
    if is_ident(key) {
        key.to_string()
    } else {
        quote(key)
    }
}

fn single_line(expr: &Expr) -> Option<String> {
    Some(match expr {
        Expr::Raw(text) => text.clone(),
        Expr::Str(text) => quote(text),
        Expr::Num(n) => n.to_string(),
        Expr::Float(f) => format!("{f}"),
        Expr::Bool(b) => b.to_string(),
        Expr::List(items) => {
            let parts: Option<Vec<String>> = items.iter().map(single_line).collect();
            let text = format!("[{}]", parts?.join(", "));
            if text.len() > 100 {
                return None;
            }
            text
        }
        Expr::Object(entries) if entries.is_empty() => "{}".to_string(),
        Expr::Object(_) => return None,
    })
}

/// An expression as Terraform source, for use inside another expression.
/// An expression on one line, for notes and `#` comments: a multi-line object or list would
/// end the comment at its first line break.
pub fn inline(expr: &Expr) -> String {
    let mut out = String::new();
    print_expr(&mut out, expr, 0);
    if out.contains('\n') {
        out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out
}

fn print_expr(out: &mut String, expr: &Expr, depth: usize) {
    if let Some(text) = single_line(expr) {
        out.push_str(&text);
        return;
    }
    match expr {
        Expr::List(items) => {
            out.push_str("[\n");
            for item in items {
                indent(out, depth + 1);
                print_expr(out, item, depth + 1);
                out.push_str(",\n");
            }
            indent(out, depth);
            out.push(']');
        }
        Expr::Object(entries) => {
            out.push_str("{\n");
            let width = entries.iter().map(|(key, _)| object_key(key).len()).max().unwrap_or(0);
            for (key, value) in entries {
                indent(out, depth + 1);
                let key = object_key(key);
                let _ = write!(out, "{key:width$} = ");
                print_expr(out, value, depth + 1);
                out.push('\n');
            }
            indent(out, depth);
            out.push('}');
        }
        _ => {}
    }
}

fn print_block(out: &mut String, block: &Block, depth: usize) {
    indent(out, depth);
    out.push_str(&block.kind);
    for label in &block.labels {
        out.push(' ');
        out.push_str(&quote(label));
    }
    if block.items.is_empty() {
        out.push_str(" {}\n");
        return;
    }
    out.push_str(" {\n");
    let mut index = 0;
    let mut previous_was_block = false;
    while index < block.items.len() {
        match &block.items[index] {
            Item::Attr(..) => {
                // A run of adjacent attributes shares one alignment of `=`.
                let start = index;
                while index < block.items.len() && matches!(block.items[index], Item::Attr(..)) {
                    index += 1;
                }
                if previous_was_block {
                    out.push('\n');
                }
                let run = &block.items[start..index];
                let width =
                    run.iter().map(|it| if let Item::Attr(key, _) = it { key.len() } else { 0 }).max().unwrap_or(0);
                for item in run {
                    if let Item::Attr(key, value) = item {
                        indent(out, depth + 1);
                        let _ = write!(out, "{key:width$} = ");
                        print_expr(out, value, depth + 1);
                        out.push('\n');
                    }
                }
                previous_was_block = false;
            }
            Item::Comment(text) => {
                if previous_was_block {
                    out.push('\n');
                    previous_was_block = false;
                }
                indent(out, depth + 1);
                let _ = writeln!(out, "# {text}");
                index += 1;
            }
            Item::Block(inner) => {
                if index > 0 && !matches!(block.items[index - 1], Item::Comment(_)) {
                    out.push('\n');
                }
                print_block(out, inner, depth + 1);
                previous_was_block = true;
                index += 1;
            }
        }
    }
    indent(out, depth);
    out.push_str("}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_align_and_blocks_are_separated() {
        let block = Block::resource("aws_s3_bucket", "logs")
            .attr("bucket", "shop-logs")
            .attr("force_destroy", false)
            .block(Block::new("lifecycle", &[]).attr("prevent_destroy", true))
            .attr(
                "tags",
                Expr::Object(vec![("team".into(), Expr::str("core")), ("cost-center".into(), Expr::str("cc-42"))]),
            );
        let mut file = File::default();
        file.add(vec!["from main.plan:3".into()], block);
        let expected = "# test\n\n# from main.plan:3\nresource \"aws_s3_bucket\" \"logs\" {\n  bucket        = \"shop-logs\"\n  force_destroy = false\n\n  lifecycle {\n    prevent_destroy = true\n  }\n\n  tags = {\n    team        = \"core\"\n    cost-center = \"cc-42\"\n  }\n}\n";
        assert_eq!(file.render("test"), expected);
    }

    #[test]
    fn template_sequences_stay_literal() {
        assert_eq!(quote("a ${b} %{c} \"d\""), "\"a $${b} %%{c} \\\"d\\\"\"");
    }
}

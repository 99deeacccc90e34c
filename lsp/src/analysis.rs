//! Answers to editor questions, from the compiler's database: what is at a position, where a
//! name is declared and used, what to complete, how much a block costs. Positions here are
//! byte offsets; `convert` turns them into LSP's UTF-16 positions.

use std::collections::BTreeMap;
use std::sync::Arc;

use planc::ast::{self, AstNode};
use planc::catalog::{Catalog, Placement, Ty};
use planc::db::{file_ir, parse, plan_cost, workspace_index, Database, SourceFile, Workspace};
use planc::ir::{Block, Ref};
use planc::syntax::{SyntaxKind, SyntaxNode, SyntaxToken, TextRange, TextSize};

/// A span in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: SourceFile,
    pub range: TextRange,
}

/// What the token at a position is.
#[derive(Debug, Clone)]
pub enum Target {
    /// The kind identifier of a block (`service`).
    Kind { kind: String, range: TextRange },
    /// The name of a top-level block.
    Declaration { name: String, range: TextRange },
    /// An attribute key of a block of `kind`, inside the object attributes of `path`.
    Attribute { kind: String, path: Vec<String>, name: String, range: TextRange },
    /// A reference to a block.
    Reference { name: String, field: Option<String>, range: TextRange },
}

fn token_at(root: &SyntaxNode, offset: TextSize) -> Option<SyntaxToken> {
    let tokens = root.token_at_offset(offset);
    let pick = |token: &SyntaxToken| matches!(token.kind(), SyntaxKind::IDENT | SyntaxKind::STRING);
    let (left, right) = match tokens {
        rowan::TokenAtOffset::None => return None,
        rowan::TokenAtOffset::Single(token) => return Some(token),
        rowan::TokenAtOffset::Between(left, right) => (left, right),
    };
    if pick(&right) {
        Some(right)
    } else if pick(&left) {
        Some(left)
    } else {
        Some(right)
    }
}

/// The kind of the block that contains `node` (the nearest enclosing `BLOCK`).
fn enclosing_block(node: &SyntaxNode) -> Option<ast::Block> {
    node.ancestors().filter_map(ast::Block::cast).find(|block| {
        // A block-as-object (`tags { }`) or an `env` override is not the kind we want.
        let kind = block.kind_token().map(|it| it.text().to_string()).unwrap_or_default();
        kind != "env" || block.syntax().parent().is_none_or(|it| it.kind() == SyntaxKind::SOURCE_FILE)
    })
}

/// Whether a block is a block of a catalog kind (top-level, or nested with a name such as
/// `node_pool general`) rather than an attribute written as a block (`autoscale { }`,
/// `terraform { }`) or an `env` override.
fn is_kind_block(block: &ast::Block) -> bool {
    let Some(kind) = block.kind_token().map(|it| it.text().to_string()) else { return false };
    let top = block.syntax().parent().is_some_and(|it| it.kind() == SyntaxKind::SOURCE_FILE);
    if kind == "env" && !top {
        return false;
    }
    Catalog::builtin().kind(&kind).is_some() && (top || block.label().is_some())
}

/// The kind a block body is checked against and the attribute path of the blocks written as
/// attributes between it and the cursor: in `service api { autoscale { scale_up { | } } }`,
/// (`service`, [`autoscale`, `scale_up`]). `env` overrides add nothing to the path.
fn schema_path(block: &ast::Block) -> Option<(String, Vec<String>)> {
    let mut path = Vec::new();
    let mut current = Some(block.clone());
    while let Some(block) = current {
        let kind = block.kind_token()?.text().to_string();
        if is_kind_block(&block) {
            path.reverse();
            return Some((kind, path));
        }
        let is_override = kind == "env" && block.label().is_some();
        if !is_override {
            path.push(kind);
        }
        current = block.syntax().parent().and_then(|body| body.parent()).and_then(ast::Block::cast);
    }
    None
}

/// The kind a block body is checked against: the block's kind, skipping `env` overrides and
/// block-as-object sugar.
fn schema_kind(block: &ast::Block) -> Option<String> {
    schema_path(block).map(|(kind, _)| kind)
}

/// The attribute (or object field) at `path` of a kind: `autoscale.scale_up.max`.
fn attr_at<'a>(kind: &str, path: &[String]) -> Option<&'a planc::catalog::AttrSchema> {
    let schema = Catalog::builtin().kind(kind)?;
    let (first, rest) = path.split_first()?;
    let mut attr = schema.attr(first)?;
    for name in rest {
        attr = attr.field(name)?;
    }
    Some(attr)
}

pub fn target_at(db: &Database, file: SourceFile, offset: TextSize) -> Option<Target> {
    let root = parse(db, file).syntax();
    let token = token_at(&root, offset)?;
    let parent = token.parent()?;
    match parent.kind() {
        SyntaxKind::BLOCK if token.kind() == SyntaxKind::IDENT => {
            let block = ast::Block::cast(parent.clone())?;
            let kind = token.text().to_string();
            if !is_kind_block(&block) {
                // `tags { }` or `scale_up { }`: an attribute or field written as a block.
                let (outer, mut path) = schema_path(&block)?;
                path.pop();
                return Some(Target::Attribute { kind: outer, path, name: kind, range: token.text_range() });
            }
            Some(Target::Kind { kind, range: token.text_range() })
        }
        SyntaxKind::BLOCK_LABEL => {
            let block = ast::Block::cast(parent.parent()?)?;
            let is_top = block.syntax().parent().is_some_and(|it| it.kind() == SyntaxKind::SOURCE_FILE);
            let name = ast::token_name(&token);
            if is_top {
                Some(Target::Declaration { name, range: token.text_range() })
            } else {
                None
            }
        }
        SyntaxKind::KEY => {
            let owner = parent.parent()?;
            if owner.kind() != SyntaxKind::ATTRIBUTE {
                return None;
            }
            let block = enclosing_block(&owner)?;
            let (kind, path) = schema_path(&block)?;
            Some(Target::Attribute { kind, path, name: ast::token_name(&token), range: token.text_range() })
        }
        SyntaxKind::NAME_REF => {
            let field_parent =
                parent.parent().filter(|it| it.kind() == SyntaxKind::FIELD_EXPR).and_then(ast::FieldExpr::cast);
            match field_parent {
                Some(field) if field.field().is_some_and(|it| it.syntax() == &parent) => {
                    let target = match field.target()? {
                        ast::Expr::NameRef(name_ref) => name_ref.name()?,
                        _ => return None,
                    };
                    Some(Target::Reference {
                        name: target,
                        field: Some(token.text().to_string()),
                        range: token.text_range(),
                    })
                }
                _ => Some(Target::Reference { name: token.text().to_string(), field: None, range: token.text_range() }),
            }
        }
        _ => None,
    }
}

/// Where a top-level block is declared.
pub fn declaration(db: &Database, workspace: Workspace, name: &str) -> Option<(Location, Arc<planc::ir::FileIr>)> {
    let declaration = workspace_index(db, workspace).lookup(name)?;
    let ir = file_ir(db, declaration.file).value.clone();
    let block = ir.blocks.iter().find(|it| it.name.as_deref() == Some(name))?;
    let range = block.name_range?;
    Some((Location { file: declaration.file, range }, ir))
}

pub fn definition(db: &Database, workspace: Workspace, file: SourceFile, offset: TextSize) -> Option<Location> {
    match target_at(db, file, offset)? {
        Target::Reference { name, field, .. } => {
            let (location, ir) =
                declaration(db, workspace, &name).or_else(|| nested_declaration(db, file, offset, &name))?;
            if let Some(field) = field {
                let block = ir.blocks.iter().find(|it| it.name.as_deref() == Some(name.as_str()))?;
                if let Some(child) = block.child(&field) {
                    return Some(Location { file: location.file, range: child.name_range? });
                }
            }
            Some(location)
        }
        Target::Declaration { name, .. } => declaration(db, workspace, &name).map(|it| it.0),
        _ => None,
    }
}

/// A reference to an `option` of the decision it is written in.
fn nested_declaration(
    db: &Database,
    file: SourceFile,
    offset: TextSize,
    name: &str,
) -> Option<(Location, Arc<planc::ir::FileIr>)> {
    let ir = file_ir(db, file).value.clone();
    let block = ir.blocks.iter().find(|it| it.range.contains(offset))?;
    let child = block.child(name)?;
    Some((Location { file, range: child.name_range? }, ir.clone()))
}

/// Every reference to `name` in the workspace (not the declaration).
pub fn references(db: &Database, workspace: Workspace, name: &str) -> Vec<Location> {
    let mut found = Vec::new();
    for &file in workspace.files(db) {
        let ir = &file_ir(db, file).value;
        let mut visit = |reference: &Ref| {
            if reference.name == name {
                // A reference inside an interpolation covers the whole `${..}`; narrow it.
                let range = TextRange::at(reference.name_range.start(), TextSize::from(name.len() as u32));
                found.push(Location { file, range });
            }
        };
        for block in &ir.blocks {
            visit_block_refs(block, &mut visit);
        }
    }
    found
}

fn visit_block_refs(block: &Block, visit: &mut impl FnMut(&Ref)) {
    for attr in block.attrs.iter().chain(block.overrides.iter().flat_map(|it| it.attrs.iter())) {
        attr.value.for_each_ref(visit);
    }
    for child in &block.children {
        visit_block_refs(child, visit);
    }
}

pub use planc::ir::is_valid_name;

/// The label of a nested named block under the cursor (`node_pool general`, `allow office`):
/// its parent's name, its own name and the label's range.
fn nested_label_at(db: &Database, file: SourceFile, offset: TextSize) -> Option<(String, String, TextRange)> {
    let root = parse(db, file).syntax();
    let token = token_at(&root, offset)?;
    let label = token.parent().filter(|it| it.kind() == SyntaxKind::BLOCK_LABEL)?;
    let block = ast::Block::cast(label.parent()?)?;
    let parent = block.syntax().parent().and_then(|body| body.parent()).and_then(ast::Block::cast)?;
    if !is_kind_block(&block) || !is_kind_block(&parent) {
        return None;
    }
    let parent_name = parent.label()?.name()?;
    Some((parent_name, ast::token_name(&token), token.text_range()))
}

/// Renames a nested block and every `parent.name` reference to it.
fn rename_nested(
    db: &Database,
    workspace: Workspace,
    file: SourceFile,
    (parent, name, range): (String, String, TextRange),
    new_name: &str,
) -> Result<Vec<(Location, String)>, String> {
    let siblings = workspace_index(db, workspace).children.get(&parent).cloned().unwrap_or_default();
    if new_name != name && siblings.iter().any(|(child, _)| child == new_name) {
        return Err(format!("`{parent}` already has a block named `{new_name}`"));
    }
    let mut edits = vec![(Location { file, range }, new_name.to_string())];
    for &other in workspace.files(db) {
        let ir = &file_ir(db, other).value;
        let mut visit = |reference: &Ref| {
            if reference.name == parent {
                if let Some((field, field_range)) = &reference.field {
                    if *field == name {
                        edits.push((Location { file: other, range: *field_range }, new_name.to_string()));
                    }
                }
            }
        };
        for block in &ir.blocks {
            visit_block_refs(block, &mut visit);
        }
    }
    Ok(edits)
}

/// The name under the cursor that can be renamed, and its range.
pub fn prepare_rename(
    db: &Database,
    workspace: Workspace,
    file: SourceFile,
    offset: TextSize,
) -> Option<(String, TextRange)> {
    if let Some((_, name, range)) = nested_label_at(db, file, offset) {
        return Some((name, range));
    }
    match target_at(db, file, offset)? {
        Target::Declaration { name, range } => Some((name, range)),
        Target::Reference { name, field: None, range } if declaration(db, workspace, &name).is_some() => {
            Some((name, range))
        }
        _ => None,
    }
}

/// Edits that rename a top-level block everywhere, or why it cannot be done.
pub fn rename(
    db: &Database,
    workspace: Workspace,
    file: SourceFile,
    offset: TextSize,
    new_name: &str,
) -> Result<Vec<(Location, String)>, String> {
    if let Some(nested) = nested_label_at(db, file, offset) {
        if !is_valid_name(new_name) {
            return Err(format!("`{new_name}` is not a valid name: use letters, digits, `_` and `-`"));
        }
        return rename_nested(db, workspace, file, nested, new_name);
    }
    let Some((name, _)) = prepare_rename(db, workspace, file, offset) else {
        return Err("only the name of a block, or a reference to one, can be renamed".into());
    };
    if !is_valid_name(new_name) {
        return Err(format!(
            "`{new_name}` is not a valid name: use letters, digits, `_` and `-`, starting with a letter or `_`"
        ));
    }
    if new_name != name && workspace_index(db, workspace).lookup(new_name).is_some() {
        return Err(format!("`{new_name}` is already the name of another block"));
    }
    let (declaration, _) = declaration(db, workspace, &name).ok_or("the block is not declared")?;
    let mut edits = vec![(declaration, new_name.to_string())];
    for location in references(db, workspace, &name) {
        edits.push((location, new_name.to_string()));
    }
    Ok(edits)
}

/// The blocks (`database orders`) a previous `planc build` produced Terraform for, from the
/// manifests under `<root>/out/<env>/planc-manifest.json` (the default output directory).
pub fn built_blocks(roots: &[std::path::PathBuf]) -> std::collections::BTreeSet<String> {
    let mut found = std::collections::BTreeSet::new();
    for root in roots {
        let Ok(envs) = std::fs::read_dir(root.join("out")) else { continue };
        for env in envs.flatten() {
            let path = env.path().join(planc::emit::terraform::MANIFEST);
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let Ok(document) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
            if let Some(blocks) = document.get("blocks").and_then(|it| it.as_object()) {
                found.extend(blocks.keys().cloned());
            }
        }
    }
    found
}

/// When the block being renamed was built before, the edit that records its old name in
/// `renamed_from`, so the next build moves its resources instead of replacing them.
pub fn renamed_from_edit(
    db: &Database,
    workspace: Workspace,
    old_name: &str,
    built: &std::collections::BTreeSet<String>,
) -> Option<(Location, String)> {
    let (location, ir) = declaration(db, workspace, old_name)?;
    let block = ir.blocks.iter().find(|it| it.name.as_deref() == Some(old_name))?;
    if !built.contains(&format!("{} {old_name}", block.kind)) {
        return None;
    }
    let quoted = format!("\"{old_name}\"");
    if let Some(attr) = block.attr("renamed_from") {
        // Append to the list: before its closing bracket.
        let end = attr.value.range.end() - TextSize::from(1);
        let separator =
            if matches!(&attr.value.kind, planc::ir::ValueKind::List(items) if items.is_empty()) { "" } else { ", " };
        return Some((Location { file: location.file, range: TextRange::empty(end) }, format!("{separator}{quoted}")));
    }
    let before_brace = block.range.end() - TextSize::from(1);
    Some((
        Location { file: location.file, range: TextRange::empty(before_brace) },
        format!("  renamed_from = [{quoted}]\n"),
    ))
}

/// Markdown for hover.
pub fn hover(db: &Database, workspace: Workspace, file: SourceFile, offset: TextSize) -> Option<(String, TextRange)> {
    let target = target_at(db, file, offset)?;
    let catalog = Catalog::builtin();
    match target {
        Target::Kind { kind, range, .. } => {
            let schema = catalog.kind(&kind)?;
            let mut text = format!("**{}**: {}\n\n{}", schema.kind, schema.summary, schema.doc.trim());
            text.push_str(&format!("\n\n```plan\n{}\n```", schema.example.trim()));
            if let Some(name) = block_name_at(db, file, offset) {
                text.push_str(&cost_section(db, workspace, &name));
            }
            Some((text, range))
        }
        Target::Attribute { kind, path, name, range } => {
            let full: Vec<String> = path.iter().cloned().chain([name.clone()]).collect();
            let attr = attr_at(&kind, &full)?;
            let mut text =
                format!("**{}** `{}`{}\n\n{}", name, attr.ty, if attr.required { " (required)" } else { "" }, attr.doc);
            if let Some(default) = &attr.default {
                text.push_str(&format!("\n\nDefault: `{default}`"));
            }
            text.push_str(&format!("\n\n```plan\n{}\n```", attr.example));
            if let Some(values) = env_values(db, workspace, file, offset, &name) {
                text.push_str(&values);
            }
            Some((text, range))
        }
        Target::Declaration { name, range } => Some((block_summary(db, workspace, &name)?, range)),
        Target::Reference { name, field, range } => {
            let mut text = block_summary(db, workspace, &name)?;
            if let Some(field) = field {
                let kind = workspace_index(db, workspace).lookup(&name).map(|it| it.kind.clone()).unwrap_or_default();
                if let Some(output) = catalog.kind(&kind).and_then(|it| it.output(&field)) {
                    text = format!("**{name}.{field}** `{}`: {}\n\n---\n\n{text}", output.ty, output.doc);
                }
            }
            Some((text, range))
        }
    }
}

fn block_name_at(db: &Database, file: SourceFile, offset: TextSize) -> Option<String> {
    let ir = &file_ir(db, file).value;
    ir.blocks.iter().find(|it| it.kind_range.contains_inclusive(offset)).and_then(|it| it.name.clone())
}

/// The values an attribute takes in each environment, when overrides make them differ.
fn env_values(db: &Database, workspace: Workspace, file: SourceFile, offset: TextSize, name: &str) -> Option<String> {
    let ir = &file_ir(db, file).value;
    let block = ir.blocks.iter().find(|it| it.range.contains(offset))?;
    if block.overrides.is_empty() {
        return None;
    }
    let envs = planc::db::workspace_envs(db, workspace);
    let text = parse(db, file).syntax().text().to_string();
    let mut lines = Vec::new();
    for env in envs {
        let attrs = block.env_attrs(env);
        if let Some(value) = attrs.get(name) {
            let source =
                text.get(usize::from(value.range.start())..usize::from(value.range.end())).unwrap_or("").to_string();
            lines.push(format!("| `{env}` | `{}` |", source.replace('\n', " ")));
        }
    }
    (!lines.is_empty()).then(|| format!("\n\n| env | value |\n| --- | --- |\n{}", lines.join("\n")))
}

pub fn block_summary(db: &Database, workspace: Workspace, name: &str) -> Option<String> {
    let (location, ir) = declaration(db, workspace, name)?;
    let block = ir.blocks.iter().find(|it| it.name.as_deref() == Some(name))?;
    let text = location.file.text(db);
    let line = planc::diagnostics::LineIndex::new(text).line_col(text, block.kind_range.start()).line + 1;
    let path = location.file.path(db);
    let file_name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let mut summary = format!("**{} {}** ({file_name}:{line})", block.kind, name);
    if let Some(doc) = &block.doc {
        summary.push_str(&format!("\n\n{doc}"));
    }
    if let Some(schema) = Catalog::builtin().kind(&block.kind) {
        summary.push_str(&format!("\n\n{}", schema.summary));
    }
    summary.push_str(&cost_section(db, workspace, name));
    Some(summary)
}

/// The monthly cost of a block in each environment, with the share of the env's budget.
pub fn cost_section(db: &Database, workspace: Workspace, name: &str) -> String {
    // The env totals are a query; the block's own costs come from its file alone.
    let totals = planc::db::plan_totals(db, workspace);
    let costs = planc::db::block_costs(db, workspace, name);
    let mut rows = Vec::new();
    for env in &totals.envs {
        for resource in costs.iter().filter(|it| it.env == env.env) {
            let amount = cost_text(resource);
            // In the cost's own cell: editors draw hover tables without padding, so a third
            // column's header ran into the second's.
            let share = match env.budget {
                Some(budget) if budget > planc::cost::Money::ZERO && resource.allocated_from.is_none() => {
                    format!(" · {:.0}% of budget", resource.high.dollars_f64() / budget.dollars_f64() * 100.0)
                }
                _ => String::new(),
            };
            rows.push(format!("| `{}` | {amount}{share} |", env.env));
        }
    }
    if rows.is_empty() {
        return String::new();
    }
    format!("\n\n**Monthly cost** (on-demand, USD)\n\n| env | cost |\n| --- | --- |\n{}", rows.join("\n"))
}

pub fn cost_text(resource: &planc::cost::ResourceCost) -> String {
    // The same text as `planc cost`: a partly unpriced resource says `+ unknown`.
    let mut text = planc::cost::report::resource_cell(resource);
    if resource.allocated_from.is_some() {
        text.push_str(" (share of cluster)");
    }
    text
}

/// A completion candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: String,
    /// A snippet (LSP syntax with `$1` tab stops), when the insertion is not the label.
    pub snippet: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Kind,
    Attribute,
    Value,
    Reference,
    Env,
    Unit,
}

/// What can be typed at `offset`.
pub fn completions(db: &Database, workspace: Workspace, file: SourceFile, offset: TextSize) -> Vec<Completion> {
    let text = file.text(db).to_string();
    let mut offset_usize = usize::from(offset).min(text.len());
    while !text.is_char_boundary(offset_usize) {
        offset_usize -= 1;
    }
    let before = &text[..offset_usize];
    let catalog = Catalog::builtin();

    // Right after a number: units. The word starts after the last character that is not part
    // of one, which may be several bytes long.
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, ch)| !(ch.is_ascii_alphanumeric() || *ch == '_' || *ch == '-' || *ch == '.' || *ch == '%'))
        .map_or(0, |(index, ch)| index + ch.len_utf8());
    let word = &before[word_start..];
    if word.chars().next().is_some_and(|ch| ch.is_ascii_digit()) {
        return ["m", "Mi", "Gi", "Ti", "MB", "GB", "TB", "ms", "s", "min", "h", "d", "%"]
            .iter()
            .map(|unit| Completion {
                label: format!("{}{unit}", word.trim_end_matches(|ch: char| ch.is_ascii_alphabetic() || ch == '%')),
                kind: CompletionKind::Unit,
                detail: unit_detail(unit).into(),
                snippet: None,
            })
            .collect();
    }

    let root = parse(db, file).syntax();
    let probe = TextSize::from(word_start as u32);
    let token = root.token_at_offset(probe).left_biased();
    let node = token.as_ref().and_then(|it| it.parent()).unwrap_or(root.clone());
    let block = enclosing_block_at(&root, probe);
    let line = before.rsplit('\n').next().unwrap_or("");
    let before_word = &line[..line.len() - word.len()];
    let after_eq = before_word.trim_end().ends_with('=');

    // Inside `size = "…"` or `tier = "…"`: the classes of the block's cloud.
    if let Some(key) = before_word.strip_suffix('"').map(str::trim_end).and_then(|it| it.strip_suffix('=')) {
        let key = key.trim_end().rsplit(|ch: char| ch.is_whitespace() || ch == '{').next().unwrap_or("");
        if let Some(block) = &block {
            return class_completions(db, workspace, block, key);
        }
    }
    // After `name.`: the outputs and nested blocks of the block it names.
    if let Some((name, _)) = word.rsplit_once('.') {
        if !name.contains('.') && !after_eq_context_is_number(word) {
            let found = output_completions(db, workspace, name);
            if !found.is_empty() {
                return found;
            }
        }
    }

    if after_eq {
        // A value: find the attribute being set.
        let key = line[..line.len() - word.len()]
            .trim_end()
            .trim_end_matches('=')
            .trim_end()
            .rsplit(|ch: char| ch.is_whitespace() || ch == '{')
            .next()
            .unwrap_or("")
            .to_string();
        let ty = block.as_ref().and_then(schema_path).and_then(|(kind, mut path)| {
            path.push(key.clone());
            attr_at(&kind, &path).map(|it| it.ty.clone())
        });
        return value_completions(db, workspace, ty.as_ref(), block.as_ref());
    }

    let _ = node;
    match block {
        None => catalog
            .kinds()
            .filter(|it| it.placement != Placement::Nested)
            .map(|schema| Completion {
                label: schema.kind.clone(),
                kind: CompletionKind::Kind,
                detail: schema.summary.clone(),
                snippet: Some(block_snippet(schema)),
            })
            .collect(),
        Some(block) => {
            let Some((kind, path)) = schema_path(&block) else { return Vec::new() };
            if !path.is_empty() {
                if attr_at(&kind, &path[..1]).is_some_and(|it| it.ty == Ty::Hcl) {
                    return terraform_completions(db, workspace, file, &block, &kind, &path);
                }
                return field_completions(&block, &kind, &path);
            }
            let Some(schema) = catalog.kind(&kind) else { return Vec::new() };
            let set = set_names(&block);
            let mut out: Vec<Completion> = schema
                .attr_names()
                .into_iter()
                .filter(|name| !set.iter().any(|it| it == name))
                .filter_map(|name| schema.attr(name))
                .map(|attr| Completion {
                    label: attr.name.clone(),
                    kind: CompletionKind::Attribute,
                    detail: format!("{}{}", attr.ty, if attr.required { " (required)" } else { "" }),
                    snippet: Some(match attr.ty {
                        Ty::Object | Ty::Map(_) => format!("{} {{ $1 }}", attr.name),
                        _ => format!("{} = $1", attr.name),
                    }),
                })
                .collect();
            for nested in catalog.kinds().filter(|it| it.placement == Placement::Nested && it.parents.contains(&kind)) {
                out.push(Completion {
                    label: nested.kind.clone(),
                    kind: CompletionKind::Kind,
                    detail: nested.summary.clone(),
                    snippet: Some(block_snippet(nested)),
                });
            }
            if schema.resource {
                for env in planc::db::workspace_envs(db, workspace) {
                    out.push(Completion {
                        label: format!("env {env}"),
                        kind: CompletionKind::Env,
                        detail: format!("override for environment `{env}`"),
                        snippet: Some(format!("env {env} {{ $1 }}")),
                    });
                }
            }
            out
        }
    }
}

/// Inside `terraform { }` or a raw resource's `args { }`: the arguments and blocks the
/// provider's schema gives the resource there (the block's main resource, or the raw `type`),
/// at the nesting of `path` after its first element.
fn terraform_completions(
    db: &Database,
    workspace: Workspace,
    file: SourceFile,
    block: &ast::Block,
    kind: &str,
    path: &[String],
) -> Vec<Completion> {
    use planc::catalog::provider_schema::{self as schema, Field};
    // The kind block the cursor is in, by its name, in the first environment.
    let mut owner = Some(block.clone());
    while let Some(current) = owner.clone() {
        if is_kind_block(&current) {
            break;
        }
        owner = current.syntax().parent().and_then(|body| body.parent()).and_then(ast::Block::cast);
    }
    let Some(name) = owner.and_then(|it| it.label()).and_then(|it| it.name()) else { return Vec::new() };
    let ir = &file_ir(db, file).value;
    let Some(ir_block) = ir.blocks.iter().find(|it| it.name.as_deref() == Some(name.as_str())) else {
        return Vec::new();
    };
    let facts = planc::db::plan_facts(db, workspace);
    let Some(env) = facts.envs.first() else { return Vec::new() };
    let attrs = ir_block.env_attrs(&env.name);
    let cloud = facts.cloud_of(&attrs, env).unwrap_or_else(|| "aws".into());
    let resource_type = match kind {
        "terraform" => attrs.get("type").and_then(|it| it.as_str()).map(String::from),
        _ => Catalog::builtin()
            .main_resource(kind, &cloud, |condition| planc::deploy::holds(kind, &attrs, condition))
            .map(String::from),
    };
    let Some(resource_type) = resource_type else { return Vec::new() };
    let Some(mut node) = schema::provider_of(&resource_type).and_then(|it| it.resource(&resource_type)) else {
        return Vec::new();
    };
    for name in &path[1..] {
        match schema::field(node, name) {
            Field::Block { node: inner, .. } => node = inner,
            _ => return Vec::new(),
        }
    }
    let set = set_names(block);
    let mut names: Vec<&str> = schema::settable_names(node).filter(|it| !set.iter().any(|set| set == it)).collect();
    names.sort_unstable();
    names
        .into_iter()
        .map(|name| {
            let is_block = matches!(schema::field(node, name), Field::Block { .. });
            Completion {
                label: name.to_string(),
                kind: CompletionKind::Attribute,
                detail: format!("{} of {resource_type}", if is_block { "block" } else { "argument" }),
                snippet: Some(if is_block { format!("{name} {{ $1 }}") } else { format!("{name} = $1") }),
            }
        })
        .collect()
}

/// The attributes and blocks a block body sets already, by name.
fn set_names(block: &ast::Block) -> Vec<String> {
    block
        .items()
        .filter_map(|item| match item {
            ast::Item::Attribute(attribute) => attribute.key().and_then(|it| it.name()),
            ast::Item::Block(inner) => inner.kind_token().map(|it| it.text().to_string()),
        })
        .collect()
}

/// The fields of the object attribute at `path` not set yet in `block`; a Terraform body
/// (`terraform { }`) completes nothing here, as its names come from the provider's schema.
fn field_completions(block: &ast::Block, kind: &str, path: &[String]) -> Vec<Completion> {
    let Some(attr) = attr_at(kind, path) else { return Vec::new() };
    let set = set_names(block);
    attr.fields
        .iter()
        .filter(|field| !set.contains(&field.name))
        .map(|field| Completion {
            label: field.name.clone(),
            kind: CompletionKind::Attribute,
            detail: format!("{}{}", field.ty, if field.required { " (required)" } else { "" }),
            snippet: Some(match field.ty {
                Ty::Object => format!("{} {{ $1 }}", field.name),
                _ => format!("{} = $1", field.name),
            }),
        })
        .collect()
}

/// `1.5` is a number being typed, not `name.` followed by a field.
fn after_eq_context_is_number(word: &str) -> bool {
    word.chars().next().is_some_and(|ch| ch.is_ascii_digit())
}

/// The machine classes (`size`) or tiers (`tier`) the block's cloud offers, with vCPU, memory
/// and monthly price.
fn class_completions(db: &Database, workspace: Workspace, block: &ast::Block, key: &str) -> Vec<Completion> {
    let Some(kind) = schema_kind(block) else { return Vec::new() };
    let attr_text = |name: &str| -> Option<String> {
        block.items().find_map(|item| match item {
            ast::Item::Attribute(attribute) if attribute.key().and_then(|it| it.name()).as_deref() == Some(name) => {
                Some(attribute.value()?.syntax().text().to_string().trim_matches('"').to_string())
            }
            _ => None,
        })
    };
    let table: Vec<String> = match (kind.as_str(), key) {
        ("vm" | "node_pool", "size") => vec!["compute".into()],
        ("database", "tier") => match attr_text("engine").as_deref() {
            Some("mongodb") => vec!["document_database".into()],
            Some(engine) => vec!["database".into(), engine.into()],
            None => return Vec::new(),
        },
        ("cache", "tier") => vec!["cache".into(), attr_text("engine").unwrap_or_else(|| "redis".into())],
        _ => return Vec::new(),
    };
    let facts = planc::db::plan_facts(db, workspace);
    let Some(cloud) = attr_text("cloud").or_else(|| facts.cloud.clone()) else { return Vec::new() };
    let Some(prices) = planc::catalog::pricing::PriceBook::builtin().cloud(&cloud) else { return Vec::new() };
    let path: Vec<&str> = table.iter().map(String::as_str).collect();
    prices
        .class_names(&path)
        .into_iter()
        .filter_map(|name| {
            let class = prices.class(&path, name)?;
            let mut detail = Vec::new();
            if let Some(vcpu) = class.vcpu {
                detail.push(format!("{vcpu} vCPU"));
            }
            if let Some(memory) = class.memory_gib {
                detail.push(format!("{memory} GiB"));
            }
            if let Some(arch) = &class.arch {
                detail.push(arch.clone());
            }
            detail.push(format!("{}/mo on {cloud}", class.hourly.monthly_from_hourly()));
            Some(Completion {
                label: name.to_string(),
                kind: CompletionKind::Value,
                detail: detail.join(", "),
                snippet: None,
            })
        })
        .collect()
}

/// After `name.`: the outputs of the block `name` declares, and its nested blocks. Labels are
/// the part after the dot, which editors take as the word being completed.
fn output_completions(db: &Database, workspace: Workspace, name: &str) -> Vec<Completion> {
    let index = workspace_index(db, workspace);
    let Some(declaration) = index.lookup(name) else { return Vec::new() };
    let Some(schema) = Catalog::builtin().kind(&declaration.kind) else { return Vec::new() };
    let mut out: Vec<Completion> = schema
        .outputs
        .iter()
        .map(|output| Completion {
            label: output.name.clone(),
            kind: CompletionKind::Reference,
            detail: format!("{} output of {} `{name}`: {}", output.ty, declaration.kind, output.doc),
            snippet: None,
        })
        .collect();
    let block = file_ir(db, declaration.file).value.blocks.iter().find(|it| it.name.as_deref() == Some(name));
    // A raw resource: every attribute of its type, computed ones included.
    let raw_type =
        block.filter(|it| it.kind == "terraform").and_then(|it| it.attr("type")).and_then(|it| it.value.as_str());
    if let Some(node) = raw_type.and_then(|it| planc::catalog::provider_schema::provider_of(it)?.resource(it)) {
        let attributes = node
            .as_object()
            .into_iter()
            .flat_map(|it| it.iter())
            .filter(|(key, value)| key.as_str() != "_" && value.is_string());
        for (attribute, _) in attributes {
            out.push(Completion {
                label: attribute.clone(),
                kind: CompletionKind::Reference,
                detail: format!("attribute of {} `{name}`", raw_type.unwrap_or_default()),
                snippet: None,
            });
        }
    }
    if let Some(block) = block {
        for child in &block.children {
            if let Some(child_name) = &child.name {
                out.push(Completion {
                    label: child_name.clone(),
                    kind: CompletionKind::Reference,
                    detail: format!("{} in {} `{name}`", child.kind, declaration.kind),
                    snippet: None,
                });
            }
        }
    }
    out
}

fn unit_detail(unit: &str) -> &'static str {
    match unit {
        "m" => "millicores (cpu)",
        "Mi" | "Gi" | "Ti" => "binary size",
        "MB" | "GB" | "TB" => "decimal size",
        "ms" | "s" | "min" | "h" | "d" => "duration",
        _ => "percent",
    }
}

fn enclosing_block_at(root: &SyntaxNode, offset: TextSize) -> Option<ast::Block> {
    let token = root.token_at_offset(offset).left_biased()?;
    let body = token.parent_ancestors().find(|it| it.kind() == SyntaxKind::BLOCK_BODY)?;
    // Inside the braces only.
    let brace = ast::BlockBody::cast(body.clone())?.l_brace()?;
    if offset <= brace.text_range().start() {
        return body.parent()?.parent().and_then(|it| it.ancestors().find_map(ast::Block::cast));
    }
    ast::Block::cast(body.parent()?)
}

fn block_snippet(schema: &planc::catalog::KindSchema) -> String {
    let mut lines = Vec::new();
    let mut stop = 2;
    for attr in schema.attrs.iter().filter(|it| it.required) {
        let placeholder = attr
            .example
            .split_once('=')
            .map(|it| it.1.trim().to_string())
            .unwrap_or_default()
            .replace('$', "\\$")
            .replace('}', "\\}");
        lines.push(format!("  {} = ${{{stop}:{placeholder}}}", attr.name));
        stop += 1;
    }
    let name = if schema.is_named() { " ${1:name}" } else { "" };
    if lines.is_empty() {
        format!("{}{name} {{\n  $0\n}}", schema.kind)
    } else {
        format!("{}{name} {{\n{}\n}}", schema.kind, lines.join("\n"))
    }
}

fn value_completions(
    db: &Database,
    workspace: Workspace,
    ty: Option<&Ty>,
    block: Option<&ast::Block>,
) -> Vec<Completion> {
    let mut out = Vec::new();
    let index = workspace_index(db, workspace);
    let add_type = |ty: &Ty, out: &mut Vec<Completion>| match ty {
        Ty::Enum(values) => out.extend(values.iter().map(|value| Completion {
            label: value.clone(),
            kind: CompletionKind::Value,
            detail: "value".into(),
            snippet: None,
        })),
        Ty::Bool => out.extend(["true", "false"].iter().map(|value| Completion {
            label: value.to_string(),
            kind: CompletionKind::Value,
            detail: "bool".into(),
            snippet: None,
        })),
        Ty::Ref(kinds) => {
            let mut names: Vec<(&String, &str)> = index
                .names
                .iter()
                .filter_map(|(name, declarations)| {
                    let kind = declarations.first()?.kind.as_str();
                    (kinds.is_empty() || kinds.iter().any(|it| it == kind)).then_some((name, kind))
                })
                .collect();
            names.sort();
            out.extend(names.into_iter().map(|(name, kind)| Completion {
                label: name.clone(),
                kind: if kind == "env" { CompletionKind::Env } else { CompletionKind::Reference },
                detail: kind.to_string(),
                snippet: None,
            }));
            if kinds.iter().any(|it| it == "option") {
                if let Some(block) = block {
                    for item in block.items() {
                        if let ast::Item::Block(inner) = item {
                            if inner.kind_token().is_some_and(|it| it.text() == "option") {
                                if let Some(name) = inner.label().and_then(|it| it.name()) {
                                    out.push(Completion {
                                        label: name,
                                        kind: CompletionKind::Reference,
                                        detail: "option".into(),
                                        snippet: None,
                                    });
                                }
                            }
                        }
                    }
                }
            }
        }
        Ty::Name => out.extend(watched_metrics(index, block)),
        Ty::Secret => out.push(Completion {
            label: "secret(\"\")".into(),
            kind: CompletionKind::Value,
            detail: "a secret kept out of every output".into(),
            snippet: Some("secret(\"$1\")".into()),
        }),
        _ => {}
    };
    match ty {
        Some(Ty::Union(options)) => {
            for option in options {
                add_type(option, &mut out);
            }
        }
        Some(Ty::List(inner) | Ty::Range(inner)) => add_type(inner, &mut out),
        Some(Ty::Map(inner)) => match &**inner {
            Ty::Union(options) => {
                for option in options {
                    add_type(option, &mut out);
                }
            }
            other => add_type(other, &mut out),
        },
        Some(ty) => add_type(ty, &mut out),
        None => {}
    }
    out
}

/// The metrics of the block an alert's `on` names, for `metric = `.
fn watched_metrics(index: &planc::db::Index, block: Option<&ast::Block>) -> Vec<Completion> {
    let target = block.and_then(|block| {
        block.items().find_map(|item| match item {
            ast::Item::Attribute(attr) if attr.key().and_then(|it| it.name()).as_deref() == Some("on") => {
                match attr.value()? {
                    ast::Expr::NameRef(name) => name.name(),
                    _ => None,
                }
            }
            _ => None,
        })
    });
    let Some(kind) = target.and_then(|name| index.lookup(&name)).and_then(|it| Catalog::builtin().kind(&it.kind))
    else {
        return Vec::new();
    };
    kind.metrics
        .iter()
        .map(|metric| {
            let clouds: Vec<&str> = metric.clouds.keys().map(String::as_str).collect();
            let source = if metric.prometheus.is_some() { "Prometheus".to_string() } else { clouds.join(", ") };
            Completion {
                label: metric.name.clone(),
                kind: CompletionKind::Value,
                detail: format!("{}: {} ({source})", kind.kind, metric.unit.describe()),
                snippet: None,
            }
        })
        .collect()
}

/// Document symbols: top-level blocks with their nested blocks.
#[derive(Debug, Clone)]
pub struct Symbol {
    pub name: String,
    pub kind: String,
    pub range: TextRange,
    pub selection: TextRange,
    pub children: Vec<Symbol>,
}

pub fn document_symbols(db: &Database, file: SourceFile) -> Vec<Symbol> {
    fn symbol(block: &Block) -> Symbol {
        Symbol {
            name: block.name.clone().unwrap_or_else(|| block.kind.clone()),
            kind: block.kind.clone(),
            range: block.range,
            selection: block.name_range.unwrap_or(block.kind_range),
            children: block.children.iter().map(symbol).collect(),
        }
    }
    file_ir(db, file).value.blocks.iter().map(symbol).collect()
}

pub fn workspace_symbols(db: &Database, workspace: Workspace, query: &str) -> Vec<(Symbol, SourceFile)> {
    let query = query.to_ascii_lowercase();
    let mut out = Vec::new();
    for &file in workspace.files(db) {
        for symbol in document_symbols(db, file) {
            if symbol.name.to_ascii_lowercase().contains(&query) {
                out.push((symbol, file));
            }
        }
    }
    out
}

/// The `workspace/executeCommand` that returns the cost report.
pub const COST_REPORT_COMMAND: &str = "plan.server.costReport";

/// The workspace's cost report in Markdown, optionally for one environment.
pub fn cost_report(db: &Database, workspace: Workspace, env: Option<&str>) -> String {
    planc::cost::report::markdown(&plan_cost(db, workspace), env)
}

/// Inlay hints: the monthly cost of each resource, after its name. Only what the file declares
/// is read; a workload's share of its cluster gets no hint.
pub fn inlay_hints(db: &Database, file: SourceFile) -> Vec<(TextSize, String)> {
    let costs = planc::db::file_costs(db, file);
    let mut hints = Vec::new();
    for block in &file_ir(db, file).value.blocks {
        let (Some(name), Some(range)) = (&block.name, block.name_range) else { continue };
        let mut parts: BTreeMap<String, String> = BTreeMap::new();
        for resource in costs.iter().filter(|it| &it.name == name && it.allocated_from.is_none()) {
            parts.entry(resource.env.clone()).or_insert_with(|| cost_text(resource));
        }
        if parts.is_empty() {
            continue;
        }
        let label = if parts.len() == 1 {
            format!("{}/mo", parts.values().next().cloned().unwrap_or_default())
        } else {
            parts.iter().map(|(env, amount)| format!("{env} {amount}")).collect::<Vec<_>>().join(" · ") + " /mo"
        };
        hints.push((range.end(), label));
    }
    hints
}

/// Semantic token types in the legend order of `server.rs`.
pub const TOKEN_TYPES: &[&str] =
    &["keyword", "class", "property", "variable", "enumMember", "string", "number", "comment", "function"];

/// (range, token type index) for every classified token, in order.
pub fn semantic_tokens(db: &Database, file: SourceFile) -> Vec<(TextRange, u32)> {
    let root = parse(db, file).syntax();
    let mut out = Vec::new();
    for token in root.descendants_with_tokens().filter_map(|it| it.into_token()) {
        let parent = token.parent().map(|it| it.kind());
        let kind = match (token.kind(), parent) {
            (SyntaxKind::COMMENT | SyntaxKind::DOC_COMMENT, _) => 7,
            (SyntaxKind::STRING | SyntaxKind::TEXT_BLOCK, Some(SyntaxKind::BLOCK_LABEL)) => 1,
            (SyntaxKind::STRING | SyntaxKind::TEXT_BLOCK, Some(SyntaxKind::KEY)) => 2,
            (SyntaxKind::STRING | SyntaxKind::TEXT_BLOCK, _) => 5,
            (SyntaxKind::NUMBER | SyntaxKind::QUANTITY | SyntaxKind::MONEY, _) => 6,
            (SyntaxKind::TRUE_KW | SyntaxKind::FALSE_KW, _) => 4,
            (SyntaxKind::IDENT, Some(SyntaxKind::BLOCK)) => 0,
            (SyntaxKind::IDENT, Some(SyntaxKind::BLOCK_LABEL)) => 1,
            (SyntaxKind::IDENT, Some(SyntaxKind::KEY)) => 2,
            (SyntaxKind::IDENT, Some(SyntaxKind::NAME_REF)) => {
                let is_call =
                    token.parent().and_then(|it| it.parent()).is_some_and(|it| it.kind() == SyntaxKind::CALL_EXPR);
                if is_call {
                    8
                } else {
                    3
                }
            }
            _ => continue,
        };
        out.push((token.text_range(), kind));
    }
    out
}

/// Folding: every block body and object or list that spans several lines, and comment runs.
pub fn folding_ranges(db: &Database, file: SourceFile) -> Vec<TextRange> {
    let root = parse(db, file).syntax();
    root.descendants()
        .filter(|it| matches!(it.kind(), SyntaxKind::BLOCK_BODY | SyntaxKind::OBJECT_EXPR | SyntaxKind::LIST_EXPR))
        .map(|it| it.text_range())
        .chain(
            root.descendants_with_tokens()
                .filter_map(|it| it.into_token())
                .filter(|it| {
                    it.kind() == SyntaxKind::TEXT_BLOCK
                        || (it.kind() == SyntaxKind::COMMENT && it.text().contains('\n'))
                })
                .map(|it| it.text_range()),
        )
        .collect()
}

/// The nodes containing `offset`, innermost first, for expand/shrink selection.
pub fn selection_ranges(db: &Database, file: SourceFile, offset: TextSize) -> Vec<TextRange> {
    let root = parse(db, file).syntax();
    let Some(token) = root.token_at_offset(offset).right_biased() else { return vec![root.text_range()] };
    let mut ranges = vec![token.text_range()];
    for node in token.parent_ancestors() {
        if ranges.last() != Some(&node.text_range()) {
            ranges.push(node.text_range());
        }
    }
    ranges
}

//! Rename: a top-level block across the workspace, or a nested block within its parent, and the
//! `renamed_from` a built block needs so that its resources are moved, not replaced.

use planc::ast::{self, AstNode};
use planc::db::{file_ir, parse, workspace_index, Database, SourceFile, Workspace};
use planc::ir::{is_valid_name, Ref};
use planc::syntax::{SyntaxKind, TextRange, TextSize};

use crate::navigation::{declaration, references, visit_block_refs};
use crate::target::{is_kind_block, target_at, token_at, Location, Target};

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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::fixture::with_cursor;

    const TWO_FILES: &str = r#"
        //- /data.plan
        database ord$0ers {
          engine = postgres
        }
        //- /api.plan
        service api {
          uses = [orders]
        }
    "#;

    #[test]
    fn renaming_a_block_edits_its_declaration_and_every_reference() {
        let (analysis, file, offset) = with_cursor(TWO_FILES);
        let edits = analysis.rename(file, offset, "orders-db", &BTreeSet::new()).unwrap().unwrap();
        let mut paths: Vec<&str> = edits.iter().map(|(at, _)| analysis.path(at.file).as_ref()).collect();
        paths.sort();
        assert_eq!(paths, ["/api.plan", "/data.plan"]);
        assert!(edits.iter().all(|(_, text)| text == "orders-db"));
    }

    #[test]
    fn a_block_that_was_built_keeps_its_old_name_in_renamed_from() {
        let (analysis, file, offset) = with_cursor(TWO_FILES);
        let built = BTreeSet::from(["database orders".to_string()]);
        let edits = analysis.rename(file, offset, "orders-db", &built).unwrap().unwrap();
        assert!(
            edits.iter().any(|(_, text)| text.contains("renamed_from") && text.contains("\"orders\"")),
            "{edits:?}"
        );
    }

    #[test]
    fn a_name_the_language_refuses_or_one_in_use_is_an_error() {
        let (analysis, file, offset) = with_cursor(TWO_FILES);
        for bad in ["true", "two words", "api"] {
            let refused = analysis.rename(file, offset, bad, &BTreeSet::new()).unwrap();
            assert!(refused.is_err(), "{bad} was accepted");
        }
    }
}

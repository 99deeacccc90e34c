//! Go to definition, find references and document highlights: where a name is declared and used.

use std::sync::Arc;

use planc::db::{file_ir, workspace_index, Database, SourceFile, Workspace};
use planc::ir::{Block, Ref};
use planc::syntax::{TextRange, TextSize};

use crate::target::{target_at, Location, Target};

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

pub(crate) fn visit_block_refs(block: &Block, visit: &mut impl FnMut(&Ref)) {
    for attr in block.attrs.iter().chain(block.overrides.iter().flat_map(|it| it.attrs.iter())) {
        attr.value.for_each_ref(visit);
    }
    for child in &block.children {
        visit_block_refs(child, visit);
    }
}

#[cfg(test)]
mod tests {
    use crate::fixture::{text_at, with_cursor};

    const TWO_FILES: &str = r#"
        //- /data.plan
        database orders {
          engine = postgres
        }
        //- /api.plan
        service api {
          uses = [ord$0ers]
        }
        service worker {
          uses = [orders]
        }
    "#;

    #[test]
    fn a_reference_goes_to_its_declaration_in_another_file() {
        let (analysis, file, offset) = with_cursor(TWO_FILES);
        let target = analysis.definition(file, offset).unwrap().expect("a definition");
        assert_eq!(analysis.path(target.file).as_ref(), "/data.plan");
        assert_eq!(text_at(&analysis, target.file, target.range), "orders");
    }

    #[test]
    fn references_are_every_use_of_the_name() {
        let (analysis, _, _) = with_cursor(TWO_FILES);
        let found = analysis.references("orders").unwrap();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|it| text_at(&analysis, it.file, it.range) == "orders"));
        assert!(analysis.references("nothing").unwrap().is_empty());
    }
}

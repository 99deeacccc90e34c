//! Document and workspace symbols.

use planc::db::{file_ir, Database, SourceFile, Workspace};
use planc::ir::Block;
use planc::syntax::TextRange;

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

#[cfg(test)]
mod tests {
    use crate::fixture::files;

    #[test]
    fn a_file_s_symbols_are_its_blocks_with_their_nested_blocks() {
        let (analysis, file) = files(
            r#"
            cluster apps {
              node_pool general {
                size = "m6i.large"
              }
            }
            bucket assets {}
            "#,
        );
        let symbols = analysis.document_symbols(file).unwrap();
        let names: Vec<(&str, &str)> = symbols.iter().map(|it| (it.kind.as_str(), it.name.as_str())).collect();
        assert_eq!(names, [("cluster", "apps"), ("bucket", "assets")]);
        assert_eq!(symbols[0].children[0].name, "general");
        let found = analysis.workspace_symbols("asse").unwrap();
        assert_eq!(found.iter().map(|it| it.0.name.as_str()).collect::<Vec<_>>(), ["assets"]);
    }
}

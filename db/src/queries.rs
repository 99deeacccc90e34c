//! The queries: one line of glue per layer; the work lives in the layer's module.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::catalog::Catalog;
use crate::diagnostics::{self, Diagnostic};
use crate::ir::{self, FileIr};
use crate::syntax::{self, Parse};
use crate::{Db, SourceFile, Workspace};

/// The lossless tree of a file.
#[salsa::tracked(returns(ref), lru = 256)]
pub fn parse(db: &dyn Db, file: SourceFile) -> Parse {
    match db.reuse() {
        Some(reuse) => syntax::parse_reusing(file.text(db), &reuse.items),
        None => syntax::parse(file.text(db)),
    }
}

/// The line index of a file: built once per text, shared by every request of the language
/// server and every renderer.
#[salsa::tracked(returns(ref))]
pub fn line_index(db: &dyn Db, file: SourceFile) -> diagnostics::LineIndex {
    diagnostics::LineIndex::new(file.text(db))
}

/// A value and the diagnostics found while computing it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Checked<T> {
    pub value: T,
    pub diagnostics: Vec<Diagnostic>,
}

/// The IR of a file, with its syntax errors (P001) and the type, unit and structure errors
/// found while lowering it.
#[salsa::tracked(returns(ref))]
pub fn file_ir(db: &dyn Db, file: SourceFile) -> Checked<Arc<FileIr>> {
    let path = file.path(db);
    let checked = |parse: &Parse, ir: Arc<FileIr>, lowering: Vec<Diagnostic>| {
        let mut diagnostics: Vec<Diagnostic> = parse
            .errors
            .iter()
            .map(|error| Diagnostic::error("P001", error.message.clone(), path, error.range).label("syntax error"))
            .collect();
        diagnostics.extend(lowering);
        Checked { value: ir, diagnostics }
    };
    match db.reuse() {
        // An editor asks for the tree again (hover, completion, the next keystroke's reuse), so
        // it lowers the tree the database keeps, reusing every item the edit left alone.
        Some(reuse) => {
            let parse = parse(db, file);
            let (ir, lowering) = ir::lower_file_reusing(parse, path, Catalog::builtin(), &reuse.lowering);
            checked(parse, ir, lowering)
        }
        // A batch run never does: its tree is dropped once lowered, and the next file's tree
        // is built in the same memory. Kept, the trees were most of a large check's memory,
        // each page of it zeroed by the kernel on first use.
        None => {
            let parse = syntax::parse(file.text(db));
            let (ir, lowering) = ir::lower_file(&parse, path, Catalog::builtin());
            checked(&parse, Arc::new(ir), lowering)
        }
    }
}

/// What a file declares, without positions: unchanged by edits that rename nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FileSymbols {
    /// Top-level named blocks: (name, kind), in source order.
    pub blocks: Vec<(String, String)>,
    /// Nested named blocks: (parent name, child name, child kind).
    pub children: Vec<(String, String, String)>,
    /// Named blocks nested in an unnamed one (`notify pager` in `monitoring`): (parent kind,
    /// child name, child kind).
    pub singleton_children: Vec<(String, String, String)>,
}

#[salsa::tracked(returns(ref))]
pub fn file_symbols(db: &dyn Db, file: SourceFile) -> FileSymbols {
    let ir = &file_ir(db, file).value;
    let mut symbols = FileSymbols::default();
    for block in &ir.blocks {
        let Some(name) = &block.name else {
            for child in &block.children {
                if let Some(child_name) = &child.name {
                    symbols.singleton_children.push((block.kind.clone(), child_name.clone(), child.kind.clone()));
                }
            }
            continue;
        };
        symbols.blocks.push((name.clone(), block.kind.clone()));
        for child in &block.children {
            if let Some(child_name) = &child.name {
                symbols.children.push((name.clone(), child_name.clone(), child.kind.clone()));
            }
        }
    }
    symbols
}

/// Where a top-level name is declared.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Declaration {
    pub file: SourceFile,
    pub kind: String,
}

/// Every name of the workspace. Declarations of one name are in file order, then source order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Index {
    pub names: HashMap<String, Vec<Declaration>>,
    /// Nested blocks: parent name to (child name, kind).
    pub children: HashMap<String, Vec<(String, String)>>,
    /// Blocks nested in an unnamed block: its kind (`monitoring`) to (child name, kind).
    pub singleton_children: HashMap<String, Vec<(String, String)>>,
    /// The declared environments, or `default` when none is.
    pub envs: BTreeSet<String>,
    /// Whether any `env` block is declared.
    pub has_env_blocks: bool,
}

impl Index {
    pub fn lookup(&self, name: &str) -> Option<&Declaration> {
        self.names.get(name).and_then(|it| it.first())
    }

    pub fn names_of_kinds<'a>(&'a self, kinds: &'a [String]) -> impl Iterator<Item = &'a str> + 'a {
        self.names
            .iter()
            .filter(move |(_, declarations)| kinds.is_empty() || declarations.iter().any(|it| kinds.contains(&it.kind)))
            .map(|(name, _)| name.as_str())
    }
}

#[salsa::tracked(returns(ref))]
pub fn workspace_index(db: &dyn Db, workspace: Workspace) -> Index {
    let mut index = Index::default();
    for &file in workspace.files(db) {
        let symbols = file_symbols(db, file);
        for (name, kind) in &symbols.blocks {
            index.names.entry(name.clone()).or_default().push(Declaration { file, kind: kind.clone() });
            if kind == "env" {
                index.envs.insert(name.clone());
                index.has_env_blocks = true;
            }
        }
        for (parent, child, kind) in &symbols.children {
            index.children.entry(parent.clone()).or_default().push((child.clone(), kind.clone()));
        }
        for (parent, child, kind) in &symbols.singleton_children {
            index.singleton_children.entry(parent.clone()).or_default().push((child.clone(), kind.clone()));
        }
    }
    if !index.has_env_blocks {
        index.envs.insert("default".to_string());
    }
    index
}

/// The environments of the workspace, in name order: an output set per environment.
#[salsa::tracked(returns(ref))]
pub fn workspace_envs(db: &dyn Db, workspace: Workspace) -> Vec<String> {
    workspace_index(db, workspace).envs.iter().cloned().collect()
}

/// A position-free view of the index, so that files checked against it are re-checked only
/// when a name, a kind or the set of environments changes.
#[salsa::tracked(returns(ref))]
pub fn workspace_names(db: &dyn Db, workspace: Workspace) -> BTreeMap<String, (String, usize)> {
    workspace_index(db, workspace)
        .names
        .iter()
        .map(|(name, declarations)| (name.clone(), (declarations[0].kind.clone(), declarations.len())))
        .collect()
}

/// The plan's cloud, region, environments and policy, without positions.
#[salsa::tracked(returns(ref))]
pub fn plan_facts(db: &dyn Db, workspace: Workspace) -> crate::facts::PlanFacts {
    crate::facts::compute(db, workspace)
}

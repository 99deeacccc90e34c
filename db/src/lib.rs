//! The salsa database: source files and the workspace as inputs, every layer as a query.
//!
//! The CLI and the language server share this code. Queries are keyed by file, so an edit
//! re-parses and re-lowers only the edited file; workspace-wide facts (which names exist,
//! which environments are declared) come from position-free summaries, so that an edit that
//! changes no name leaves every other file's diagnostics cached.

pub mod facts;
mod queries;

use plan_catalog as catalog;
use plan_deploy as deploy;
use plan_diagnostics as diagnostics;
use plan_ir as ir;
use plan_syntax as syntax;

use std::sync::Arc;

pub use queries::*;

/// One `.plan` file. `text` is empty when the file is not UTF-8; `invalid_utf8_at` then holds
/// the offset of the first byte that is not.
#[salsa::input(debug)]
pub struct SourceFile {
    #[returns(ref)]
    pub path: Arc<str>,
    #[returns(ref)]
    pub text: Arc<str>,
    #[returns(copy)]
    pub invalid_utf8_at: Option<u32>,
}

/// The files of the workspace, sorted by path.
#[salsa::input(singleton, debug)]
pub struct Workspace {
    #[returns(ref)]
    pub files: Vec<SourceFile>,
}

#[salsa::db]
pub trait Db: salsa::Database {
    /// What is kept from one edit to the next, when this database serves an editor.
    fn reuse(&self) -> Option<&Reuse>;
}

/// An editor's keystroke changes one top-level item of one file: the parse and the lowering of
/// every other item are taken from before (`syntax::parse_reusing`, `ir::lower_file_reusing`).
/// A batch run sees each text once and keeps none of this.
#[derive(Debug, Default)]
pub struct Reuse {
    pub items: syntax::ItemCache,
    pub lowering: ir::LoweringCache,
}

#[salsa::db]
#[derive(Clone, Default)]
pub struct Database {
    storage: salsa::Storage<Self>,
    /// The queries executed, when logging is on: for tests of incrementality.
    executed: Option<Arc<std::sync::Mutex<Vec<String>>>>,
    /// Shared by the database's clones (the editor's snapshots); none in a batch run.
    reuse: Option<Arc<Reuse>>,
}

impl Database {
    /// A database that records every query it executes (not the ones it reuses).
    pub fn with_execution_log() -> Database {
        let executed: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
        let log = Arc::clone(&executed);
        let storage = salsa::Storage::new(Some(Box::new(move |event: salsa::Event| {
            if let salsa::EventKind::WillExecute { database_key } = event.kind {
                if let Ok(mut log) = log.lock() {
                    log.push(format!("{database_key:?}"));
                }
            }
        })));
        Database { storage, executed: Some(executed), reuse: None }
    }

    /// A database that tells `callback` of every salsa event: for tests of cancellation.
    pub fn with_event_callback(callback: Box<dyn Fn(salsa::Event) + Send + Sync + 'static>) -> Database {
        Database { storage: salsa::Storage::new(Some(callback)), executed: None, reuse: None }
    }

    /// This database, reusing the parse and the lowering of every top-level item that an edit
    /// leaves unchanged: for an editor, where a keystroke changes one item of a file.
    pub fn reusing_items(mut self) -> Database {
        self.reuse = Some(Arc::default());
        self
    }

    /// The queries executed since the last call.
    pub fn take_executed(&self) -> Vec<String> {
        self.executed.as_ref().map(|log| std::mem::take(&mut *log.lock().unwrap())).unwrap_or_default()
    }
}

#[salsa::db]
impl salsa::Database for Database {}

#[salsa::db]
impl Db for Database {
    fn reuse(&self) -> Option<&Reuse> {
        self.reuse.as_deref()
    }
}

impl Database {
    /// A database holding `files` (path and raw bytes) as the workspace.
    pub fn with_files(files: Vec<(String, Vec<u8>)>) -> (Database, Workspace) {
        Database::default().load(files)
    }

    /// Sets `files` as the workspace of this (empty) database.
    pub fn load(self, files: Vec<(String, Vec<u8>)>) -> (Database, Workspace) {
        let db = self;
        let mut inputs: Vec<SourceFile> =
            files.into_iter().map(|(path, bytes)| new_source_file(&db, path, bytes)).collect();
        inputs.sort_by(|a, b| a.path(&db).cmp(b.path(&db)));
        let workspace = Workspace::new(&db, inputs);
        (db, workspace)
    }
}

/// Decodes `bytes` and creates the input; invalid UTF-8 is recorded, not fatal.
pub fn new_source_file(db: &dyn Db, path: String, bytes: Vec<u8>) -> SourceFile {
    let (text, invalid_at) = decode(bytes);
    SourceFile::new(db, Arc::from(path), text, invalid_at)
}

pub fn decode(bytes: Vec<u8>) -> (Arc<str>, Option<u32>) {
    match String::from_utf8(bytes) {
        Ok(text) => (Arc::from(text), None),
        Err(error) => (Arc::from(""), Some(error.utf8_error().valid_up_to() as u32)),
    }
}

//! The IDE layer of Plan: what an editor asks, answered from the compiler's database.
//!
//! [`AnalysisHost`] owns the database and applies changes (a file's new text, a file added or
//! removed). [`Analysis`] is a snapshot of it that answers questions on another thread. When
//! the host applies a change while a snapshot is still computing, salsa cancels the snapshot's
//! work at its next query: every call on [`Analysis`] returns [`Cancellable`], and a cancelled
//! answer is never a stale one. The language server is a translation layer over this crate.
//!
//! Positions here are byte offsets into a file's text; the server converts them to the
//! protocol's UTF-16 positions with the file's [`LineIndex`].

mod code_actions;
mod completion;
mod cost_report;
mod hover;
mod inlay_hints;
mod navigation;
mod ranges;
mod rename;
mod semantic_tokens;
mod symbols;
mod target;

#[cfg(test)]
mod fixture;

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use planc::db::{Database, SourceFile, Workspace};
use planc::diagnostics::{Diagnostic, LineIndex};
use planc::syntax::{TextRange, TextSize};
use salsa::Setter;

pub use code_actions::CodeAction;
pub use completion::{Completion, CompletionKind};
pub use cost_report::COST_REPORT_COMMAND;
pub use hover::cost_text;
pub use planc::ir::is_valid_name;
pub use semantic_tokens::TOKEN_TYPES;
pub use symbols::Symbol;
pub use target::{Location, Target};

/// An answer, or the news that the host changed the inputs while it was computed.
pub type Cancellable<T> = Result<T, salsa::Cancelled>;

/// Owns the database and its inputs; the only place where they change.
pub struct AnalysisHost {
    db: Database,
    workspace: Workspace,
    /// Every file of the workspace by path, as diagnostics name it.
    files: Arc<BTreeMap<Arc<str>, SourceFile>>,
}

impl Default for AnalysisHost {
    fn default() -> AnalysisHost {
        // A keystroke changes one item of a file: parse only that item again.
        let db = Database::default().reusing_items();
        let workspace = Workspace::new(&db, Vec::new());
        AnalysisHost { db, workspace, files: Arc::default() }
    }
}

impl AnalysisHost {
    /// A host over `db`, which must hold no inputs yet (a database with an event callback, in
    /// tests).
    pub fn with_database(db: Database) -> AnalysisHost {
        let workspace = Workspace::new(&db, Vec::new());
        AnalysisHost { db, workspace, files: Arc::default() }
    }

    /// A snapshot to answer questions with, on any thread. A change waits until every snapshot
    /// is dropped (one that is computing is cancelled first), so hold one only for a request.
    pub fn analysis(&self) -> Analysis {
        Analysis { db: self.db.clone(), workspace: self.workspace, files: Arc::clone(&self.files) }
    }

    pub fn file(&self, path: &str) -> Option<SourceFile> {
        self.files.get(path).copied()
    }

    pub fn text(&self, file: SourceFile) -> Arc<str> {
        Arc::clone(file.text(&self.db))
    }

    /// Sets a file's text as the editor holds it, adding the file when it is new. Setting the
    /// text a file already has changes nothing and cancels nothing.
    pub fn set_text(&mut self, path: &str, text: Arc<str>) -> SourceFile {
        match self.file(path) {
            Some(file) => {
                if **file.text(&self.db) != *text || file.invalid_utf8_at(&self.db).is_some() {
                    file.set_text(&mut self.db).to(text);
                    file.set_invalid_utf8_at(&mut self.db).to(None);
                }
                file
            }
            None => {
                let file = SourceFile::new(&self.db, Arc::from(path), text, None);
                self.insert(path, file);
                file
            }
        }
    }

    /// Sets a file's content as read from disk: bytes that are not UTF-8 are recorded, not fatal.
    pub fn set_bytes(&mut self, path: &str, bytes: Vec<u8>) -> SourceFile {
        let (text, invalid) = planc::db::decode(bytes);
        match self.file(path) {
            Some(file) => {
                if **file.text(&self.db) != *text || file.invalid_utf8_at(&self.db) != invalid {
                    file.set_text(&mut self.db).to(text);
                    file.set_invalid_utf8_at(&mut self.db).to(invalid);
                }
                file
            }
            None => {
                let file = SourceFile::new(&self.db, Arc::from(path), text, invalid);
                self.insert(path, file);
                file
            }
        }
    }

    /// Takes a file out of the workspace; false when it was not in it.
    pub fn remove(&mut self, path: &str) -> bool {
        if Arc::make_mut(&mut self.files).remove(path).is_none() {
            return false;
        }
        self.sync_workspace();
        true
    }

    /// Adds the `.plan` files under `root` that the workspace does not hold yet, as `planc`
    /// finds them. Files that cannot be read are left out, as `planc check` would report them.
    pub fn load_folder(&mut self, root: &Path) {
        let Ok(paths) = planc::cli::workspace::discover(root) else { return };
        let mut added = false;
        for path in paths {
            let key = path.to_string_lossy().into_owned();
            if self.files.contains_key(key.as_str()) {
                continue;
            }
            if let Ok(bytes) = planc::cli::workspace::read_source(&path) {
                let (text, invalid) = planc::db::decode(bytes);
                let file = SourceFile::new(&self.db, Arc::from(key.as_str()), text, invalid);
                Arc::make_mut(&mut self.files).insert(Arc::from(key.as_str()), file);
                added = true;
            }
        }
        if added {
            self.sync_workspace();
        }
    }

    fn insert(&mut self, path: &str, file: SourceFile) {
        Arc::make_mut(&mut self.files).insert(Arc::from(path), file);
        self.sync_workspace();
    }

    /// The workspace input lists the files sorted by path, as `planc` loads them.
    fn sync_workspace(&mut self) {
        let files: Vec<SourceFile> = self.files.values().copied().collect();
        self.workspace.set_files(&mut self.db).to(files);
    }
}

/// A snapshot of the host's database: answers on any thread, and is cancelled by the next
/// change the host applies.
#[derive(Clone)]
pub struct Analysis {
    db: Database,
    workspace: Workspace,
    files: Arc<BTreeMap<Arc<str>, SourceFile>>,
}

impl Analysis {
    /// Runs `work` on the database, catching salsa's cancellation.
    fn with_db<'a, T>(&'a self, work: impl FnOnce(&'a Database, Workspace) -> T) -> Cancellable<T> {
        salsa::Cancelled::catch(AssertUnwindSafe(|| work(&self.db, self.workspace)))
    }

    pub fn file(&self, path: &str) -> Option<SourceFile> {
        self.files.get(path).copied()
    }

    /// Every file by path, sorted.
    pub fn files(&self) -> impl Iterator<Item = (&Arc<str>, SourceFile)> {
        self.files.iter().map(|(path, file)| (path, *file))
    }

    pub fn path(&self, file: SourceFile) -> &Arc<str> {
        file.path(&self.db)
    }

    pub fn text(&self, file: SourceFile) -> &Arc<str> {
        file.text(&self.db)
    }

    /// The file's line index, built once per text and shared by every request.
    pub fn line_index(&self, file: SourceFile) -> Cancellable<&LineIndex> {
        self.with_db(|db, _| planc::db::line_index(db, file))
    }

    /// Every diagnostic of the workspace, as `planc check` reports them.
    pub fn diagnostics(&self) -> Cancellable<Vec<Diagnostic>> {
        self.with_db(planc::db::all_diagnostics)
    }

    pub fn hover(&self, file: SourceFile, offset: TextSize) -> Cancellable<Option<(String, TextRange)>> {
        self.with_db(|db, workspace| hover::hover(db, workspace, file, offset))
    }

    pub fn completions(&self, file: SourceFile, offset: TextSize) -> Cancellable<Vec<Completion>> {
        self.with_db(|db, workspace| completion::completions(db, workspace, file, offset))
    }

    pub fn definition(&self, file: SourceFile, offset: TextSize) -> Cancellable<Option<Location>> {
        self.with_db(|db, workspace| navigation::definition(db, workspace, file, offset))
    }

    /// Where the top-level block `name` is declared.
    pub fn declaration(&self, name: &str) -> Cancellable<Option<Location>> {
        self.with_db(|db, workspace| navigation::declaration(db, workspace, name).map(|it| it.0))
    }

    /// Every reference to the top-level block `name`.
    pub fn references(&self, name: &str) -> Cancellable<Vec<Location>> {
        self.with_db(|db, workspace| navigation::references(db, workspace, name))
    }

    /// The name under the cursor that a rename would change, and its range.
    pub fn prepare_rename(&self, file: SourceFile, offset: TextSize) -> Cancellable<Option<(String, TextRange)>> {
        self.with_db(|db, workspace| rename::prepare_rename(db, workspace, file, offset))
    }

    /// The edits of renaming what is under the cursor to `new_name`, or why not. `built` are
    /// the blocks a previous build produced (see [`built_blocks`]): renaming one of them also
    /// records its old name in `renamed_from`.
    pub fn rename(
        &self,
        file: SourceFile,
        offset: TextSize,
        new_name: &str,
        built: &std::collections::BTreeSet<String>,
    ) -> Cancellable<Result<Vec<(Location, String)>, String>> {
        self.with_db(|db, workspace| {
            let old_name = rename::prepare_rename(db, workspace, file, offset).map(|it| it.0);
            let mut edits = rename::rename(db, workspace, file, offset, new_name)?;
            if let Some(old_name) = &old_name {
                edits.extend(rename::renamed_from_edit(db, workspace, old_name, built));
            }
            Ok(edits)
        })
    }

    pub fn document_symbols(&self, file: SourceFile) -> Cancellable<Vec<Symbol>> {
        self.with_db(|db, _| symbols::document_symbols(db, file))
    }

    pub fn workspace_symbols(&self, query: &str) -> Cancellable<Vec<(Symbol, SourceFile)>> {
        self.with_db(|db, workspace| symbols::workspace_symbols(db, workspace, query))
    }

    /// The workspace's cost report in Markdown, optionally for one environment.
    pub fn cost_report(&self, env: Option<&str>) -> Cancellable<String> {
        self.with_db(|db, workspace| cost_report::cost_report(db, workspace, env))
    }

    pub fn inlay_hints(&self, file: SourceFile) -> Cancellable<Vec<(TextSize, String)>> {
        self.with_db(|db, _| inlay_hints::inlay_hints(db, file))
    }

    pub fn semantic_tokens(&self, file: SourceFile) -> Cancellable<Vec<(TextRange, u32)>> {
        self.with_db(|db, _| semantic_tokens::semantic_tokens(db, file))
    }

    pub fn folding_ranges(&self, file: SourceFile) -> Cancellable<Vec<TextRange>> {
        self.with_db(|db, _| ranges::folding_ranges(db, file))
    }

    pub fn selection_ranges(&self, file: SourceFile, offset: TextSize) -> Cancellable<Vec<TextRange>> {
        self.with_db(|db, _| ranges::selection_ranges(db, file, offset))
    }

    /// The file formatted as `planc fmt` would, or `None` when it does not parse.
    pub fn format(&self, file: SourceFile) -> Option<String> {
        planc::fmt::format(self.text(file)).ok()
    }

    /// The quick fixes of the diagnostics under `range` of `file`.
    pub fn code_actions(&self, file: SourceFile, range: TextRange) -> Cancellable<Vec<CodeAction>> {
        self.with_db(|db, workspace| code_actions::code_actions(db, workspace, file, range))
    }
}

/// The blocks a previous `planc build` produced under the workspace folders, from the
/// manifests it wrote: renaming one of them needs a `renamed_from`.
pub fn built_blocks(roots: &[PathBuf]) -> std::collections::BTreeSet<String> {
    rename::built_blocks(roots)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{mpsc, Mutex};
    use std::time::Duration;

    use super::*;

    const PLAN: &str = "plan shop {\n  cloud = aws\n  region = \"us-east-1\"\n}\n";
    const BUCKETS: &str = "bucket assets {}\nbucket logs {}\n";

    #[test]
    fn a_change_cancels_the_work_of_a_snapshot_and_the_next_snapshot_sees_it() {
        // The reader stops at its first query until the writer has raised the cancellation
        // flag, so the change lands in the middle of its work, every time.
        let (started, on_started) = mpsc::channel::<()>();
        let (flag_raised, on_flag_raised) = mpsc::channel::<()>();
        let (started, on_flag_raised) = (Mutex::new(started), Mutex::new(on_flag_raised));
        let first = AtomicBool::new(true);
        let db = Database::with_event_callback(Box::new(move |event| match event.kind {
            salsa::EventKind::WillExecute { .. } if first.swap(false, Ordering::SeqCst) => {
                let _ = started.lock().unwrap().send(());
                let _ = on_flag_raised.lock().unwrap().recv_timeout(Duration::from_secs(30));
            }
            // Setting up the workspace raises the flag too: only the change made while the
            // reader waits counts.
            salsa::EventKind::DidSetCancellationFlag if !first.load(Ordering::SeqCst) => {
                let _ = flag_raised.send(());
            }
            _ => {}
        }));
        let mut host = AnalysisHost::with_database(db);
        host.set_text("/plan.plan", PLAN.into());
        host.set_text("/buckets.plan", BUCKETS.into());

        let analysis = host.analysis();
        let reader = std::thread::spawn(move || analysis.diagnostics().map(|it| it.len()));
        on_started.recv_timeout(Duration::from_secs(30)).expect("the reader started a query");
        host.set_text("/buckets.plan", "bucket assets {}\nbucket logs { versioning = maybe }\n".into());

        let cancelled = reader.join().expect("the reader does not panic");
        assert!(cancelled.is_err(), "a stale answer came back: {cancelled:?}");
        let fresh = host.analysis().diagnostics().expect("nothing cancels this one");
        assert!(fresh.iter().any(|it| it.primary.file.as_ref() == "/buckets.plan"), "{fresh:#?}");
    }

    #[test]
    fn setting_the_same_text_changes_nothing() {
        let mut host = AnalysisHost::default();
        let file = host.set_text("/a.plan", BUCKETS.into());
        let before = host.analysis().diagnostics().unwrap();
        assert_eq!(host.set_text("/a.plan", BUCKETS.into()), file);
        assert_eq!(host.analysis().diagnostics().unwrap(), before);
    }

    #[test]
    fn files_are_added_replaced_and_removed_by_path() {
        let mut host = AnalysisHost::default();
        host.set_text("/b.plan", "bucket b {}\n".into());
        host.set_text("/a.plan", "bucket a {}\n".into());
        let analysis = host.analysis();
        let paths: Vec<&str> = analysis.files().map(|(path, _)| path.as_ref()).collect();
        assert_eq!(paths, ["/a.plan", "/b.plan"]);
        drop(analysis);
        host.set_bytes("/a.plan", vec![b'b', 0xff]);
        assert!(host.remove("/b.plan"));
        assert!(!host.remove("/b.plan"));
        let analysis = host.analysis();
        let diagnostics = analysis.diagnostics().unwrap();
        assert_eq!(analysis.files().count(), 1);
        assert!(diagnostics.iter().any(|it| it.message.contains("not valid UTF-8")), "{diagnostics:#?}");
    }
}

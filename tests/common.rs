//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use planc::db::{all_diagnostics, Database};
use planc::diagnostics::render::{self, Sources};
use planc::diagnostics::Diagnostic;

/// A test's scratch directory under the system's temporary directory: a path to the test,
/// removed with everything in it when the test ends (passing or not).
pub struct TempDir(PathBuf);

impl TempDir {
    /// `name` made unique per test process; whatever an earlier run left there is removed.
    pub fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        TempDir(dir)
    }
}

impl std::ops::Deref for TempDir {
    type Target = PathBuf;

    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<std::ffi::OsStr> for TempDir {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.as_os_str()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Every workspace directory (a directory that directly holds `.plan` files) below `dir`.
pub fn workspaces(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    collect_workspaces(dir, &mut found);
    found.sort();
    found
}

fn collect_workspaces(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut has_plan = false;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_workspaces(&path, found);
        } else if path.extension().is_some_and(|it| it == "plan") {
            has_plan = true;
        }
    }
    if has_plan {
        found.push(dir.to_path_buf());
    }
}

/// Every `.plan` file below `dir`.
pub fn plan_files(dir: &Path) -> Vec<PathBuf> {
    planc::cli::workspace::discover(dir).unwrap_or_default()
}

/// The files of a workspace with paths relative to it, as the CLI would show them from inside.
pub fn load_relative(dir: &Path) -> Vec<(String, Vec<u8>)> {
    plan_files(dir)
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (relative, std::fs::read(&path).unwrap())
        })
        .collect()
}

pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

pub fn check_files(files: Vec<(String, Vec<u8>)>) -> Checked {
    let (db, workspace) = Database::with_files(files);
    let diagnostics = all_diagnostics(&db, workspace);
    let sources: Sources =
        workspace.files(&db).iter().map(|file| (file.path(&db).clone(), Arc::clone(file.text(&db)))).collect();
    Checked { diagnostics, sources }
}

pub fn check_dir(dir: &Path) -> Checked {
    check_files(load_relative(dir))
}

impl Checked {
    pub fn rendered(&self) -> String {
        render::terminal(&self.diagnostics, &self.sources, false)
    }

    pub fn codes(&self) -> Vec<&'static str> {
        self.diagnostics.iter().map(|it| it.code).collect()
    }
}

pub fn planc() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_planc"))
}

/// The outputs of a workspace that checks without errors, by path, and the notes of what its
/// `terraform { }` overrides replaced. Panics with the rendered diagnostics otherwise.
pub fn emit_checked(
    files: Vec<(String, Vec<u8>)>,
    targets: &[planc::emit::Target],
) -> (std::collections::BTreeMap<String, String>, Vec<String>) {
    let checked = check_files(files.clone());
    assert!(
        !checked.diagnostics.iter().any(|it| it.severity == planc::diagnostics::Severity::Error),
        "{}",
        checked.rendered()
    );
    let (db, workspace) = Database::with_files(files);
    let envs = planc::db::workspace_envs(&db, workspace);
    let targets = targets.iter().copied().collect();
    let (outputs, notes) = planc::emit::emit_with_notes(&db, workspace, &envs, &targets, "");
    (outputs.into_iter().map(|file| (file.path, file.contents)).collect(), notes)
}

/// [`emit_checked`] of a one-file plan.
pub fn emit_plan(plan: &str, targets: &[planc::emit::Target]) -> std::collections::BTreeMap<String, String> {
    emit_checked(vec![("main.plan".into(), plan.as_bytes().to_vec())], targets).0
}

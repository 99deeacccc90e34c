//! Finding and reading the `.plan` files of a workspace.

use std::path::{Path, PathBuf};

/// A directory that holds this file is an output directory of `planc build`, not source.
pub const OUTPUT_MARKER: &str = ".planc-output";

/// The workspace under `dir` in a fresh database; on failure the error is printed and the
/// usage exit code returned, as every command reports it the same way.
pub fn open(dir: &Path) -> Result<(crate::db::Database, crate::db::Workspace), i32> {
    match load(dir) {
        Ok(files) => Ok(crate::db::Database::with_files(files)),
        Err(message) => {
            eprintln!("error: {message}");
            Err(super::EXIT_USAGE)
        }
    }
}

/// Every `.plan` file below `dir`, sorted, skipping hidden directories and build outputs.
pub fn discover(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    walk(dir, &mut files, true)?;
    files.sort();
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, is_root: bool) -> std::io::Result<()> {
    if !is_root && dir.join(OUTPUT_MARKER).exists() {
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name();
        let hidden = name.to_string_lossy().starts_with('.');
        let file_type = entry.file_type()?;
        let path = entry.path();
        if file_type.is_dir() {
            if !hidden && name != "node_modules" && name != "target" {
                walk(&path, files, false)?;
            }
        } else if path.extension().is_some_and(|ext| ext == "plan") && !hidden {
            files.push(path);
        }
    }
    Ok(())
}

/// The path as it should be shown to the user: without a leading `./`, with forward slashes.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

/// Reads every file of the workspace in `dir`: (display path, bytes).
pub fn load(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    if !dir.exists() {
        return Err(format!("`{}` does not exist", display_path(dir)));
    }
    if !dir.is_dir() {
        return Err(format!("`{}` is not a directory: give the workspace directory", display_path(dir)));
    }
    let files = discover(dir).map_err(|error| format!("cannot read `{}`: {error}", display_path(dir)))?;
    if files.is_empty() {
        return Err(format!("no `.plan` files under `{}`", display_path(dir)));
    }
    files
        .into_iter()
        .map(|path| {
            let bytes =
                std::fs::read(&path).map_err(|error| format!("cannot read `{}`: {error}", display_path(&path)))?;
            Ok((display_path(&path), bytes))
        })
        .collect()
}

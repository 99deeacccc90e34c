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

/// The largest source file `planc` reads: far above any plan, far below what would exhaust memory.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Every `.plan` file below `dir`, sorted, skipping hidden directories and build outputs.
pub fn discover(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    walk(dir, &mut files, true)?;
    files.sort();
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, is_root: bool) -> Result<(), String> {
    if !is_root && dir.join(OUTPUT_MARKER).exists() {
        return Ok(());
    }
    let cannot_read = |error: std::io::Error| format!("cannot read `{}`: {error}", display_path(dir));
    let mut entries: Vec<_> =
        std::fs::read_dir(dir).map_err(cannot_read)?.collect::<Result<_, _>>().map_err(cannot_read)?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name();
        let hidden = name.to_string_lossy().starts_with('.');
        let path = entry.path();
        let file_type = entry.file_type().map_err(|error| format!("cannot read `{}`: {error}", display_path(&path)))?;
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

/// The bytes of one source file. Only regular files (or links to one) are read, so a FIFO or a
/// link to a device can neither block nor exhaust memory, and at most `MAX_FILE_BYTES`.
pub fn read_source(path: impl AsRef<Path>) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let path = path.as_ref();
    let shown = display_path(path);
    let metadata = std::fs::metadata(path).map_err(|error| format!("cannot read `{shown}`: {error}"))?;
    if !metadata.is_file() {
        return Err(format!("`{shown}` is not a regular file (a FIFO, a device or a socket): remove it or rename it"));
    }
    let too_large =
        || format!("`{shown}` is larger than {} MiB, the largest source file planc reads", MAX_FILE_BYTES >> 20);
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let file = std::fs::File::open(path).map_err(|error| format!("cannot read `{shown}`: {error}"))?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    // A file that grows while it is read is still cut at the limit.
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|error| format!("cannot read `{shown}`: {error}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
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
    let files = discover(dir)?;
    if files.is_empty() {
        return Err(format!("no `.plan` files under `{}`", display_path(dir)));
    }
    files.into_iter().map(|path| Ok((display_path(&path), read_source(&path)?))).collect()
}

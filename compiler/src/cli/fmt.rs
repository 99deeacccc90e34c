//! `planc fmt [--check] [PATHS]`: canonical formatting, written atomically in place.

use std::path::{Path, PathBuf};

use super::{workspace, FmtArgs, EXIT_DIAGNOSTICS, EXIT_OK, EXIT_USAGE};
use crate::fmt::{format, FormatError};

pub fn run(args: &FmtArgs) -> i32 {
    let mut files: Vec<PathBuf> = Vec::new();
    for path in &args.paths {
        if path.is_dir() {
            match workspace::discover(path) {
                Ok(found) => files.extend(found),
                Err(message) => {
                    eprintln!("error: {message}");
                    return EXIT_USAGE;
                }
            }
        } else if path.exists() {
            files.push(path.clone()); // read_source rejects what is not a regular file
        } else {
            eprintln!("error: `{}` does not exist", workspace::display_path(path));
            return EXIT_USAGE;
        }
    }
    let mut exit = EXIT_OK;
    for file in &files {
        match format_file(file, args.check) {
            Ok(true) if args.check => {
                println!("{}: not formatted", workspace::display_path(file));
                exit = exit.max(EXIT_DIAGNOSTICS);
            }
            Ok(_) => {}
            Err(FileError::Io(message)) => {
                eprintln!("error: {message}");
                return EXIT_USAGE;
            }
            Err(FileError::NotFormattable(message)) => {
                eprintln!("error: {message}");
                exit = exit.max(EXIT_DIAGNOSTICS);
            }
        }
    }
    exit
}

enum FileError {
    Io(String),
    NotFormattable(String),
}

/// Formats one file; returns whether its text changed (or would change, with `check_only`).
fn format_file(path: &Path, check_only: bool) -> Result<bool, FileError> {
    let shown = workspace::display_path(path);
    let bytes = workspace::read_source(path).map_err(FileError::Io)?;
    let text = String::from_utf8(bytes).map_err(|error| {
        FileError::NotFormattable(format!(
            "cannot format `{shown}`: not valid UTF-8 (first invalid byte at offset {})",
            error.utf8_error().valid_up_to()
        ))
    })?;
    let formatted = match format(&text) {
        Ok(formatted) => formatted,
        Err(FormatError::SyntaxErrors(count)) => {
            return Err(FileError::NotFormattable(format!(
                "cannot format `{shown}`: it has {count} syntax error{}; `planc check` shows {}",
                if count == 1 { "" } else { "s" },
                if count == 1 { "it" } else { "them" }
            )))
        }
    };
    if formatted == text {
        return Ok(false);
    }
    if !check_only {
        // Write aside, then move into place: an interrupted run never leaves half a file.
        let temporary = path.with_extension("plan.fmt-tmp");
        std::fs::write(&temporary, &formatted).and_then(|()| std::fs::rename(&temporary, path)).map_err(|error| {
            let _ = std::fs::remove_file(&temporary);
            FileError::Io(format!("cannot write `{shown}`: {error}"))
        })?;
    }
    Ok(true)
}

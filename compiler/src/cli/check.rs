//! `planc check`: every diagnostic of a workspace, in the format asked for.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use super::{workspace, CheckArgs, ColorChoice, Format, EXIT_DIAGNOSTICS, EXIT_OK, EXIT_USAGE};
use crate::db::all_diagnostics;
use crate::diagnostics::render::{self, Sources};
use crate::diagnostics::Severity;

pub fn run(args: &CheckArgs) -> i32 {
    let (db, workspace) = match workspace::open(&args.dir) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let diagnostics = all_diagnostics(&db, workspace);
    let sources: Sources =
        workspace.files(&db).iter().map(|file| (file.path(&db).clone(), Arc::clone(file.text(&db)))).collect();

    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let output = match args.format {
        Format::Text => {
            let per_code = if args.max_diagnostics == 0 { usize::MAX } else { args.max_diagnostics };
            render::terminal_at_most(&diagnostics, &sources, color, per_code)
        }
        Format::Json => render::json(&diagnostics, &sources),
        Format::Sarif => render::sarif(&diagnostics, &sources),
        Format::Github => render::github(&diagnostics, &sources),
    };
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(output.as_bytes()).and_then(|()| stdout.flush()).is_err() {
        return EXIT_USAGE;
    }
    if args.format == Format::Text && diagnostics.is_empty() {
        eprintln!("checked {} file{}: no problems", sources.len(), if sources.len() == 1 { "" } else { "s" });
    }
    // The process ends here: freeing every tree node one by one would only cost time.
    std::mem::forget(db);
    let errors = diagnostics.iter().any(|it| it.severity == Severity::Error);
    let warnings = diagnostics.iter().any(|it| it.severity == Severity::Warning);
    if errors || (args.deny_warnings && warnings) {
        EXIT_DIAGNOSTICS
    } else {
        EXIT_OK
    }
}

//! `planc build`: check, then write Terraform, Kubernetes YAML and ADRs, atomically.
//!
//! Nothing is written when the workspace has an error. Otherwise every file is written into a
//! directory next to the output directory, which then replaces it in one rename, so a failed
//! or interrupted build never leaves half an output behind.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::workspace::{display_path, OUTPUT_MARKER};
use super::{workspace, BuildArgs, EXIT_DIAGNOSTICS, EXIT_OK, EXIT_USAGE};
use crate::db::all_diagnostics;
use crate::diagnostics::render::{self, Sources};
use crate::diagnostics::Severity;
use crate::emit::{emit_with_notes, OutputFile, Target};

pub fn run(args: &BuildArgs) -> i32 {
    let (db, workspace) = match workspace::open(&args.dir) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let mut targets = BTreeSet::new();
    for target in &args.target {
        match target.trim() {
            "terraform" | "tf" => targets.insert(Target::Terraform),
            "k8s" | "kubernetes" => targets.insert(Target::K8s),
            "adr" | "adrs" => targets.insert(Target::Adr),
            other => {
                eprintln!("error: unknown target `{other}`; the targets are terraform, k8s and adr");
                return EXIT_USAGE;
            }
        };
    }
    let diagnostics = all_diagnostics(&db, workspace);
    if diagnostics.iter().any(|it| it.severity == Severity::Error) {
        let sources: Sources =
            workspace.files(&db).iter().map(|file| (file.path(&db).clone(), Arc::clone(file.text(&db)))).collect();
        print!("{}", render::terminal(&diagnostics, &sources, false));
        eprintln!("error: the plan has errors; nothing was written");
        return EXIT_DIAGNOSTICS;
    }
    let declared: Vec<String> = crate::db::workspace_envs(&db, workspace).clone();
    let envs: Vec<String> = match &args.env {
        Some(env) if declared.contains(env) => vec![env.clone()],
        Some(env) => {
            eprintln!(
                "error: no environment `{env}`; the environments are {}",
                declared.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(", ")
            );
            return EXIT_USAGE;
        }
        None => declared,
    };
    let (outputs, overrides) = emit_with_notes(&db, workspace, &envs, &targets, &workspace::display_path(&args.dir));
    std::mem::forget(db);
    let out = args.out.clone().unwrap_or_else(|| args.dir.join("out"));
    if args.check {
        return check_outputs(&out, &outputs);
    }
    match write_atomically(&out, &outputs) {
        Ok(warning) => {
            if let Some(warning) = warning {
                eprintln!("warning: {warning}");
            }
            for note in &overrides {
                eprintln!("note: {note}");
            }
            let target_names: Vec<&str> = targets
                .iter()
                .map(|it| match it {
                    Target::Terraform => "terraform",
                    Target::K8s => "k8s",
                    Target::Adr => "adr",
                })
                .collect();
            eprintln!(
                "wrote {} files to {} (environments: {}; targets: {})",
                outputs.len(),
                display_path(&out),
                envs.join(", "),
                target_names.join(", ")
            );
            EXIT_OK
        }
        Err(message) => {
            eprintln!("error: {message}; nothing was written");
            EXIT_USAGE
        }
    }
}

/// A generated path must stay inside the output directory.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let path = Path::new(path);
    if path.components().all(|it| matches!(it, Component::Normal(_))) {
        Some(path.to_path_buf())
    } else {
        None
    }
}

/// Replaces the output directory whole: the new tree is written beside it and renamed into
/// place, so an error leaves the old output as it was. Returns a warning when the old output
/// could not be deleted afterwards.
/// `build --check`: compares what the build would write with the output directory, under the
/// top-level directories this build produces (other environments are left alone, as a build
/// leaves them), and lists every file that differs, is missing or is left over.
fn check_outputs(out: &Path, outputs: &[OutputFile]) -> i32 {
    let shown = display_path(out);
    let mut stale = Vec::new();
    let mut produced = BTreeSet::new();
    let mut tops = BTreeSet::new();
    for file in outputs {
        let Some(relative) = safe_relative(&file.path) else {
            eprintln!("error: the output path `{}` would leave `{shown}`", file.path);
            return EXIT_USAGE;
        };
        if let Some(top) = relative.components().next() {
            tops.insert(top.as_os_str().to_string_lossy().to_string());
        }
        match std::fs::read(out.join(&relative)) {
            Ok(bytes) if bytes == file.contents.as_bytes() => {}
            Ok(_) => stale.push(format!("differs: {}", file.path)),
            Err(_) => stale.push(format!("missing: {}", file.path)),
        }
        produced.insert(relative);
    }
    for top in &tops {
        let mut stack = vec![PathBuf::from(top)];
        while let Some(relative) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(out.join(&relative)) else { continue };
            for entry in entries.flatten() {
                let path = relative.join(entry.file_name());
                if entry.file_type().is_ok_and(|it| it.is_dir()) {
                    stack.push(path);
                } else if !produced.contains(&path) {
                    stale.push(format!("left over: {}", path.display()));
                }
            }
        }
    }
    stale.sort();
    if stale.is_empty() {
        eprintln!("{shown} is up to date ({} files)", outputs.len());
        return EXIT_OK;
    }
    for line in &stale {
        println!("{line}");
    }
    eprintln!("error: {} of the files in {shown} are not what `planc build` writes; run it and commit the result", stale.len());
    EXIT_DIAGNOSTICS
}

fn write_atomically(out: &Path, outputs: &[OutputFile]) -> Result<Option<String>, String> {
    let shown = display_path(out);
    // `--out LINK` updates the directory the link points to; the link itself stays.
    let resolved;
    let out = if std::fs::symlink_metadata(out).is_ok_and(|it| it.file_type().is_symlink()) {
        resolved = std::fs::canonicalize(out)
            .map_err(|error| format!("`{shown}` is a symbolic link that cannot be followed: {error}"))?;
        resolved.as_path()
    } else {
        out
    };
    let parent = out.parent().filter(|it| !it.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name =
        out.file_name().ok_or_else(|| format!("`{shown}` is not a directory name"))?.to_string_lossy().to_string();
    if out.exists() {
        if !out.is_dir() {
            return Err(format!("`{shown}` exists and is not a directory"));
        }
        let ours = out.join(OUTPUT_MARKER).exists();
        let empty = std::fs::read_dir(out).map(|mut it| it.next().is_none()).unwrap_or(false);
        if !ours && !empty {
            return Err(format!(
                "`{shown}` exists and was not written by planc (no {OUTPUT_MARKER} in it); refusing to replace it"
            ));
        }
    }
    let mut relative_paths = Vec::new();
    for file in outputs {
        relative_paths.push(
            safe_relative(&file.path)
                .ok_or_else(|| format!("the output path `{}` would leave `{shown}`", file.path))?,
        );
    }
    let staging = parent.join(format!(".{name}.planc-new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let result = (|| -> std::io::Result<()> {
        std::fs::create_dir_all(&staging)?;
        std::fs::write(
            staging.join(OUTPUT_MARKER),
            "This directory is written by `planc build`; it is replaced whole on every build.\n",
        )?;
        for (file, relative) in outputs.iter().zip(&relative_paths) {
            let path = staging.join(relative);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(path, &file.contents)?;
        }
        // Outputs of environments or targets this build did not produce are kept.
        if out.is_dir() {
            let produced: BTreeSet<String> = relative_paths
                .iter()
                .filter_map(|it| it.components().next())
                .map(|it| it.as_os_str().to_string_lossy().to_string())
                .collect();
            for entry in std::fs::read_dir(out)? {
                let entry = entry?;
                let entry_name = entry.file_name().to_string_lossy().to_string();
                if entry_name != OUTPUT_MARKER && !produced.contains(&entry_name) {
                    copy_recursively(&entry.path(), &staging.join(&entry_name))?;
                }
            }
        }
        Ok(())
    })();
    if let Err(error) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(format!("cannot write into `{}`: {error}", display_path(parent)));
    }
    let old = parent.join(format!(".{name}.planc-old-{}", std::process::id()));
    if out.exists() {
        if let Err(error) = std::fs::rename(out, &old) {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(format!("cannot replace `{shown}`: {error}"));
        }
    }
    if let Err(error) = std::fs::rename(&staging, out) {
        let _ = std::fs::rename(&old, out);
        let _ = std::fs::remove_dir_all(&staging);
        return Err(format!("cannot move the new output into `{shown}`: {error}"));
    }
    if old.exists() {
        if let Err(error) = std::fs::remove_dir_all(&old) {
            return Ok(Some(format!(
                "the previous output could not be deleted and is left in `{}`: {error}",
                display_path(&old)
            )));
        }
    }
    Ok(None)
}

fn copy_recursively(from: &Path, to: &Path) -> std::io::Result<()> {
    if from.is_dir() {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            copy_recursively(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        std::fs::copy(from, to).map(|_| ())
    }
}

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
    for warning in unguarded_renames(&out, &outputs) {
        eprintln!("{warning}");
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
/// What a build's `planc-manifest.json` says: (address, block) pairs and the moved addresses.
struct Manifest {
    addresses: BTreeSet<(String, String)>,
    moved_from: BTreeSet<String>,
    moved_to: BTreeSet<String>,
}

/// REL215: compares each environment's manifest with the one in the output directory it
/// replaces. An address that disappears while another of the same type appears, with no
/// `moved` block between them, is most likely a rename that Terraform would carry out by
/// destroying one resource and creating the other.
fn unguarded_renames(out: &Path, outputs: &[OutputFile]) -> Vec<String> {
    use crate::emit::terraform::MANIFEST;
    let read = |text: &str| -> Option<Manifest> {
        let document: serde_json::Value = serde_json::from_str(text).ok()?;
        let mut addresses = BTreeSet::new();
        for (block, list) in document.get("blocks")?.as_object()? {
            for address in list.as_array()?.iter().filter_map(|it| it.as_str()) {
                addresses.insert((address.to_string(), block.clone()));
            }
        }
        let pairs = document.get("moved").and_then(|it| it.as_array()).cloned().unwrap_or_default();
        let side = |index: usize| -> BTreeSet<String> {
            pairs.iter().filter_map(|pair| pair.get(index)?.as_str().map(String::from)).collect()
        };
        Some(Manifest { addresses, moved_from: side(0), moved_to: side(1) })
    };
    let mut warnings = Vec::new();
    for file in outputs.iter().filter(|it| it.path.ends_with(&format!("/{MANIFEST}"))) {
        let env = file.path.trim_end_matches(&format!("/{MANIFEST}"));
        let Some(previous) = std::fs::read_to_string(out.join(&file.path)).ok() else { continue };
        let (Some(Manifest { addresses: before, .. }), Some(Manifest { addresses: after, moved_from, moved_to })) =
            (read(&previous), read(&file.contents))
        else {
            continue;
        };
        let type_of = |address: &str| address.split('.').next().unwrap_or_default().to_string();
        let before_addresses: BTreeSet<&String> = before.iter().map(|(address, _)| address).collect();
        let after_addresses: BTreeSet<&String> = after.iter().map(|(address, _)| address).collect();
        let gone: Vec<&(String, String)> = before
            .iter()
            .filter(|(address, _)| !after_addresses.contains(address) && !moved_from.contains(address))
            .collect();
        let mut new: Vec<&(String, String)> = after
            .iter()
            .filter(|(address, _)| !before_addresses.contains(address) && !moved_to.contains(address))
            .collect();
        // One warning per pair of blocks, naming the first pair of addresses.
        type Pair<'a> = (&'a String, &'a String);
        let mut pairs: Vec<(Pair<'_>, Vec<Pair<'_>>)> = Vec::new();
        for (old_address, old_block) in gone {
            let Some(position) = new.iter().position(|(address, _)| type_of(address) == type_of(old_address)) else {
                continue;
            };
            let (new_address, new_block) = new.remove(position);
            match pairs.iter_mut().find(|(blocks, _)| *blocks == (old_block, new_block)) {
                Some((_, addresses)) => addresses.push((old_address, new_address)),
                None => pairs.push(((old_block, new_block), vec![(old_address, new_address)])),
            }
        }
        for ((old_block, new_block), addresses) in pairs {
            let (old_address, new_address) = addresses[0];
            let more = match addresses.len() {
                1 => String::new(),
                n => format!(", and {} more resources the same way", n - 1),
            };
            let old_name = old_block.split(' ').nth(1).unwrap_or_default();
            warnings.push(format!(
                "warning[REL215]: in `{env}`, `{old_address}` ({old_block}) would be destroyed and `{new_address}` ({new_block}) created{more}\n  \
                 = help: if `{new_block}` is `{old_block}` renamed, add `renamed_from = [\"{old_name}\"]` to it so that Terraform moves the resources instead"
            ));
        }
    }
    warnings
}

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
    eprintln!(
        "error: {} of the files in {shown} are not what `planc build` writes; run it and commit the result",
        stale.len()
    );
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

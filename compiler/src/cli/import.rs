//! `planc import PATH... [--out DIR]`: a Terraform root module to a Plan workspace, with
//! `import-report.md` listing every address read and what it became. The workspace is written
//! whole into a new (or empty) directory, or not at all.

use std::path::Path;

use super::{ImportArgs, EXIT_DIAGNOSTICS, EXIT_OK, EXIT_USAGE};

pub fn run(args: &ImportArgs) -> i32 {
    if std::fs::read_dir(&args.out).is_ok_and(|mut entries| entries.next().is_some()) {
        eprintln!(
            "error: {} exists and is not empty; `planc import` only writes into a new or empty directory (--out)",
            args.out.display()
        );
        return EXIT_USAGE;
    }
    let imported = match crate::import::import(&args.paths) {
        Ok(imported) => imported,
        Err(error) => {
            eprintln!("error: {error}");
            return EXIT_USAGE;
        }
    };
    for error in &imported.errors {
        eprintln!("error: {error}");
        eprintln!("  = nothing of this file was imported");
    }
    if imported.parsed == 0 {
        eprintln!("error: no file could be read; nothing was written");
        return EXIT_DIAGNOSTICS;
    }
    let mut files: Vec<(String, String)> = imported.files.into_iter().collect();
    files.push((crate::import::REPORT.to_string(), imported.report));
    files.push((
        ".gitignore".into(),
        "# What `planc build` writes: generated, rebuilt from the .plan files.\n/out/\n".into(),
    ));
    if let Err(error) = write(&args.out, &files) {
        eprintln!("error: cannot write {}: {error}", args.out.display());
        return EXIT_USAGE;
    }
    for line in &imported.attention {
        eprintln!("warning: {line}");
    }
    eprintln!(
        "imported into {} ({} files); {} value{} need{} attention: see {}",
        args.out.display(),
        files.len(),
        imported.attention.len(),
        if imported.attention.len() == 1 { "" } else { "s" },
        if imported.attention.len() == 1 { "s" } else { "" },
        args.out.join(crate::import::REPORT).display()
    );
    eprintln!("next: planc check {0} && planc build {0}", args.out.display());
    if imported.errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_DIAGNOSTICS
    }
}

/// Writes into a staging directory beside `out`, then renames it into place, so that a
/// failure leaves nothing half-written.
fn write(out: &Path, files: &[(String, String)]) -> std::io::Result<()> {
    let parent = out.parent().filter(|it| !it.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let staging = parent.join(format!(".planc-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)?;
    let written = files.iter().try_for_each(|(name, text)| std::fs::write(staging.join(name), text));
    if let Err(error) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(error);
    }
    if out.exists() {
        // An empty directory, checked above.
        std::fs::remove_dir(out)?;
    }
    std::fs::rename(&staging, out).inspect_err(|_| {
        let _ = std::fs::remove_dir_all(&staging);
    })
}

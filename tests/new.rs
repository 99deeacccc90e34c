//! `planc new`: every cloud and pattern gives a starter workspace that checks without a single
//! diagnostic, is formatted, builds Terraform the providers' schemas accept, and never
//! overwrites an existing directory.

mod common;
mod tf_schema;

use std::path::{Path, PathBuf};

use common::*;

const CLOUDS: &[&str] = &["aws", "azure", "gcp"];
const PATTERNS: &[&str] = &["monolith", "modular_monolith", "microservices", "serverless", "event_driven"];

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("planc-new-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn run(args: &[&str], dir: &Path) -> std::process::Output {
    planc().args(args).arg(dir).output().unwrap()
}

#[test]
fn every_starter_checks_clean_is_formatted_and_builds() {
    let schemas = tf_schema::Schemas::load(&repo_root().join("stdlib/provider-schemas"));
    for cloud in CLOUDS {
        for pattern in PATTERNS {
            let dir = temp(&format!("{cloud}-{pattern}"));
            let output = planc()
                .args(["new", "demo", "--cloud", cloud, "--pattern", pattern, "--dir"])
                .arg(&dir)
                .output()
                .unwrap();
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            assert!(dir.join(".gitignore").exists());

            let checked = check_dir(&dir);
            assert!(checked.diagnostics.is_empty(), "{cloud} {pattern}:\n{}", checked.rendered());
            let fmt = run(&["fmt", "--check"], &dir);
            assert!(
                fmt.status.success(),
                "{cloud} {pattern} is not formatted: {}",
                String::from_utf8_lossy(&fmt.stdout)
            );

            let out = dir.join("out");
            let build = planc().arg("build").arg(&dir).arg("--out").arg(&out).output().unwrap();
            assert!(build.status.success(), "{cloud} {pattern}: {}", String::from_utf8_lossy(&build.stderr));
            let mut problems = Vec::new();
            for env in ["staging", "prod"] {
                for entry in std::fs::read_dir(out.join(env).join("terraform")).unwrap().flatten() {
                    let text = std::fs::read_to_string(entry.path()).unwrap();
                    problems.extend(schemas.check_file(&entry.path().display().to_string(), &text));
                }
            }
            assert!(problems.is_empty(), "{cloud} {pattern}:\n{}", problems.join("\n"));
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

#[test]
fn new_refuses_a_directory_with_files_and_bad_names() {
    let dir = temp("existing");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("main.plan"), "// mine\n").unwrap();
    let output = planc().args(["new", "demo", "--dir"]).arg(&dir).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not empty"));
    assert_eq!(std::fs::read_to_string(dir.join("main.plan")).unwrap(), "// mine\n", "a file was overwritten");
    for args in [["new", "9 lives"], ["new", "ok"]] {
        let mut command = planc();
        command.args(args).arg("--dir").arg(temp("bad"));
        if args[1] == "ok" {
            command.args(["--cloud", "oracle"]);
        }
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

//! The `planc` binary as a user runs it: exit codes, formats, messages.

mod common;

use common::*;

fn temp_workspace(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("planc-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const CLEAN: &str = "plan demo { cloud = aws  region = \"us-east-1\" }\nbucket assets { versioning = true }\n";
const BROKEN: &str = "plan demo { cloud = aws  region = \"us-east-1\" }\nbucket assets { versioning = yes }\n";

#[test]
fn check_exits_0_on_a_clean_workspace_and_1_on_errors() {
    let clean = temp_workspace("clean", &[("main.plan", CLEAN)]);
    let output = planc().arg("check").arg(&clean).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));

    let broken = temp_workspace("broken", &[("main.plan", BROKEN)]);
    let output = planc().arg("check").arg(&broken).arg("--color=never").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("[P006]") && stdout.contains("main.plan:2:"), "{stdout}");
}

#[test]
fn a_missing_directory_is_one_line_and_exit_2() {
    let output = planc().args(["check", "/nonexistent/plan-workspace"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    let output = planc().args(["check", "--no-such-flag"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn json_and_github_formats_carry_code_and_position() {
    let broken = temp_workspace("formats", &[("main.plan", BROKEN)]);
    let output = planc().arg("check").arg(&broken).args(["--format", "json"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let first = &json["diagnostics"][0];
    assert_eq!(first["code"], "P006");
    assert_eq!(first["range"]["start"]["line"], 2);
    assert_eq!(json["summary"]["errors"], 1);

    let output = planc().arg("check").arg(&broken).args(["--format", "github"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("::error file="), "{stdout}");
    assert!(stdout.contains(",line=2,") && stdout.contains("title=P006 type-mismatch::"), "{stdout}");
}

#[test]
fn fmt_check_names_unformatted_files_and_exits_1() {
    let dir = temp_workspace("fmt", &[("main.plan", CLEAN), ("messy.plan", "bucket   logs{versioning=true}\n")]);
    let output = planc().args(["fmt", "--check"]).arg(&dir).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("messy.plan") && !stdout.contains("main.plan"), "{stdout}");

    let output = planc().arg("fmt").arg(&dir).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(dir.join("messy.plan")).unwrap(), "bucket logs { versioning = true }\n");
    let output = planc().args(["fmt", "--check"]).arg(&dir).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn fmt_leaves_files_with_syntax_errors_alone() {
    let broken = "bucket logs { versioning = }\n";
    let dir = temp_workspace("fmt-broken", &[("main.plan", broken)]);
    let output = planc().arg("fmt").arg(&dir).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("syntax error"));
    assert_eq!(std::fs::read_to_string(dir.join("main.plan")).unwrap(), broken);
}

#[test]
fn explain_prints_the_page_of_every_code() {
    for info in planc::diagnostics::CODES {
        let output = planc().args(["explain", info.code]).output().unwrap();
        assert_eq!(output.status.code(), Some(0));
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.starts_with(&format!("# {} {}", info.code, info.name)), "{stdout}");
    }
    let output = planc().args(["explain", "wrong-unit"]).output().unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("# P007"));
    let output = planc().args(["explain", "Z999"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn help_describes_every_command() {
    let output = planc().arg("--help").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    for command in ["check", "fmt", "explain"] {
        assert!(stdout.contains(command), "{stdout}");
    }
}

#[test]
fn planc_lsp_says_how_to_install_a_missing_server() {
    let dir = std::env::temp_dir().join(format!("planc-alone-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let alone = dir.join("planc");
    std::fs::copy(env!("CARGO_BIN_EXE_planc"), &alone).unwrap();
    // Another test thread may fork while the copy's file descriptor is still open, and its child
    // then holds the file open for writing for a moment: exec fails with ETXTBSY until it closes.
    let mut tries = 0;
    let output = loop {
        match std::process::Command::new(&alone).arg("lsp").env("PATH", &dir).output() {
            Err(error) if error.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 50 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            result => break result.unwrap(),
        }
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cargo install --locked --path lsp"), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}

//! The `planc` binary as a user runs it: exit codes, formats, messages.

mod common;

use common::*;

fn temp_workspace(name: &str, files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new(&format!("planc-cli-{name}"));
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

/// Runs planc with a deadline, so that a command that would block fails the test instead of
/// hanging it.
fn run_with_deadline(command: &mut std::process::Command) -> std::process::Output {
    use std::time::{Duration, Instant};
    let mut child = command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("planc did not finish within 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_link_to_a_device_named_plan_is_refused_in_one_line() {
    let dir = temp_workspace("fifo", &[("main.plan", CLEAN)]);
    let fifo = dir.join("pipe.plan");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for command in ["check", "build", "cost"] {
        let mut planc = planc();
        planc.arg(command).arg(&dir);
        if command == "build" {
            planc.arg("--out").arg(dir.join("out"));
        }
        let output = run_with_deadline(&mut planc);
        assert_eq!(output.status.code(), Some(2), "{command}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("pipe.plan") && stderr.contains("not a regular file"), "{stderr}");
    }
    let output = run_with_deadline(planc().arg("fmt").arg("--check").arg(&dir));
    assert_eq!(output.status.code(), Some(2));
    std::fs::remove_file(&fifo).unwrap();

    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.plan")).unwrap();
    let output = run_with_deadline(planc().arg("check").arg(&dir));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("zero.plan") && stderr.contains("not a regular file"), "{stderr}");
}

#[test]
fn a_source_file_over_the_size_limit_is_refused_in_one_line() {
    let dir = temp_workspace("huge", &[("main.plan", CLEAN)]);
    let file = std::fs::File::create(dir.join("huge.plan")).unwrap();
    file.set_len(planc::cli::workspace::MAX_FILE_BYTES + 1).unwrap(); // sparse: no disk used
    let output = run_with_deadline(planc().arg("check").arg(&dir));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("huge.plan") && stderr.contains("larger than 64 MiB"), "{stderr}");
}

/// `planc` as a user whom permissions bind: as root (CI), through `setpriv` as `nobody`, so that
/// unreadable and read-only files are what they are for a user. `None` when that cannot be done.
#[cfg(unix)]
fn planc_bound_by_permissions(dir: &std::path::Path) -> Option<std::process::Command> {
    let uid = std::process::Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some(planc());
    }
    let setpriv = std::path::Path::new("/usr/bin/setpriv");
    if !setpriv.exists() {
        return None;
    }
    // nobody must own the workspace to write outputs into it, and reach the binary.
    let owned = std::process::Command::new("chown").arg("-R").arg("65534:65534").arg(dir).status().ok()?;
    if !owned.success() {
        return None;
    }
    let mut command = std::process::Command::new(setpriv);
    command.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]).arg(env!("CARGO_BIN_EXE_planc"));
    Some(command)
}

#[cfg(unix)]
#[test]
fn an_unreadable_subdirectory_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_workspace("unreadable", &[("main.plan", CLEAN), ("team/locked/x.plan", "bucket more { }\n")]);
    let Some(mut planc) = planc_bound_by_permissions(&dir) else { return };
    let locked = dir.join("team/locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let output = run_with_deadline(planc.arg("check").arg(&dir));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("team/locked"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn an_old_output_that_cannot_be_deleted_is_reported_not_hidden() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_workspace("read-only-out", &[("main.plan", CLEAN)]);
    let out = dir.join("out");
    let Some(mut first) = planc_bound_by_permissions(&dir) else { return };
    let output = run_with_deadline(first.arg("build").arg(&dir).arg("--out").arg(&out));
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    // A directory of the old output whose files cannot be removed.
    let terraform = out.join("default/terraform");
    std::fs::set_permissions(&terraform, std::fs::Permissions::from_mode(0o555)).unwrap();
    let mut second = planc_bound_by_permissions(&dir).unwrap();
    let output = run_with_deadline(second.arg("build").arg(&dir).arg("--out").arg(&out));
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Make everything removable again before asserting, so a failure leaves no litter.
    let leftovers: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|it| it.path())
        .filter(|it| it.file_name().is_some_and(|name| name.to_string_lossy().contains(".planc-old-")))
        .collect();
    for path in leftovers.iter().chain([&out]) {
        let _ = std::process::Command::new("chmod").arg("-R").arg("u+w").arg(path).status();
    }
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("could not be deleted") && stderr.contains(".planc-old-"), "{stderr}");
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    assert!(out.join("default/terraform/storage.tf").exists());
}

#[test]
fn related_locations_after_non_ascii_text_render_without_a_panic() {
    // A duplicate name (P012) and a second plan block (P017), each pointing into a file whose
    // earlier text is emoji and CJK: the text renderer took byte offsets for characters there.
    let dir = temp_workspace(
        "unicode",
        &[
            ("a.plan", "// 😀😀😀 配置 🚀\nplan demo { cloud = aws  region = \"us-east-1\" }\n// ✨✨\nbucket assets { }\n"),
            ("b.plan", "// 日本語のコメント 🎉🎉🎉🎉🎉🎉\nplan other { cloud = aws  region = \"us-east-1\" }\nbucket assets { }\n"),
        ],
    );
    let output = run_with_deadline(planc().arg("check").arg(&dir).arg("--color=never"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("[P012]") && stdout.contains("[P017]"), "{stdout}");
    assert!(stdout.contains("a.plan:4:") || stdout.contains("b.plan:3:"), "{stdout}");
}

#[cfg(unix)]
#[test]
fn build_into_a_symlinked_output_updates_the_directory_it_points_to() {
    let dir = temp_workspace("out-link", &[("main.plan", CLEAN)]);
    let target = dir.join("real-out");
    let output = run_with_deadline(planc().arg("build").arg(&dir).arg("--out").arg(&target));
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let link = dir.join("out-link");
    std::os::unix::fs::symlink(&target, &link).unwrap();

    let changed = CLEAN.replace("versioning = true", "versioning = false");
    std::fs::write(dir.join("main.plan"), &changed).unwrap();
    let output = run_with_deadline(planc().arg("build").arg(&dir).arg("--out").arg(&link));
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link was replaced");
    let storage = std::fs::read_to_string(target.join("default/terraform/storage.tf")).unwrap();
    assert!(storage.contains("\"Suspended\"") || storage.contains("Disabled"), "the target is stale:\n{storage}");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|it| it.file_name().to_string_lossy().contains(".planc-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn cost_of_a_workspace_with_errors_is_printed_said_incomplete_and_exits_1() {
    let broken = temp_workspace("cost-broken", &[("main.plan", BROKEN)]);
    let output = planc().arg("cost").arg(&broken).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("Plan total"), "the estimate that can be made is still printed:\n{stdout}");
    assert!(stderr.contains("incomplete") && stderr.contains("1 error"), "{stderr}");
    let clean = temp_workspace("cost-clean", &[("main.plan", CLEAN)]);
    assert_eq!(planc().arg("cost").arg(&clean).output().unwrap().status.code(), Some(0));
}

#[test]
fn every_cost_format_keeps_to_the_environment_asked_for() {
    let shop = repo_root().join("examples/shop");
    let output = planc().args(["cost", "--env", "prod", "--format", "json"]).arg(&shop).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let envs: Vec<&str> = report["envs"].as_array().unwrap().iter().map(|it| it["env"].as_str().unwrap()).collect();
    assert_eq!(envs, ["prod"]);
    for format in ["table", "markdown"] {
        let output = planc().args(["cost", "--env", "prod", "--format", format]).arg(&shop).output().unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            text.contains("prod") && !text.contains("`dev`") && !text.contains("Environment `dev`"),
            "{format}:\n{text}"
        );
    }
}

#[test]
fn catalog_lists_kinds_attributes_and_classes_with_prices() {
    let output = planc().arg("catalog").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0));
    for kind in ["bucket", "cluster", "database", "node_pool", "vm"] {
        assert!(stdout.lines().any(|line| line.starts_with(kind)), "{kind} missing:\n{stdout}");
    }

    let output = planc().args(["catalog", "vm", "--cloud", "aws", "--family", "c5", "--cpu", "2"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("Attributes:") && stdout.contains("size"), "{stdout}");
    // c5.large: 2 vCPU, 4 GiB, 0.085/h = $62.05 a month.
    assert!(
        stdout.lines().any(|line| line.contains("c5.large") && line.contains("4 GiB") && line.contains("$62.05")),
        "{stdout}"
    );
    assert!(!stdout.contains("c5.xlarge"), "--cpu 2 filters the larger sizes out:\n{stdout}");

    let output = planc()
        .args(["catalog", "node_pool", "--cloud", "gcp", "--family", "n1-highcpu", "--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let classes = report["classes"].as_array().unwrap();
    assert!(!classes.is_empty());
    assert!(classes.iter().all(|it| it["name"].as_str().unwrap().starts_with("n1-highcpu-") && it["cloud"] == "gcp"));
    assert!(classes.iter().all(|it| it["arch"] == "x86_64" && it["monthly"].as_str().unwrap().starts_with('$')));

    let output = planc()
        .args(["catalog", "vm", "--cloud", "aws", "--arch", "arm64", "--cpu", "2", "--memory", "8Gi"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("m7g.large") && !stdout.contains("m7i.large"), "{stdout}");

    let output = planc().args(["catalog", "vmm"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("did you mean `vm`"));
}

#[test]
fn a_flood_of_one_code_is_shown_up_to_the_limit_and_counted() {
    let mut plan = String::from(
        "plan d { cloud = aws  region = \"us-east-1\" }\nnetwork main { cidr = \"10.0.0.0/16\" }\n\
         cluster apps { version = \"1.35\"  network = main  node_pool g { size = \"m6i.large\"  nodes = 2..10 } }\n",
    );
    for index in 0..30 {
        plan.push_str(&format!(
            "service s{index} {{ cluster = apps  image = \"ghcr.io/a/s:1.0.0\"  port = 8080  health = \"/h\" }}\n"
        ));
    }
    let dir = temp_workspace("flood", &[("main.plan", &plan)]);
    let output = planc().arg("check").arg(&dir).args(["--color=never", "--max-diagnostics", "5"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.matches("[REL204] Warning").count(), 5, "{stdout}");
    assert!(stdout.contains("... and 25 more warnings REL204 not shown"), "{stdout}");
    assert!(stdout.trim_end().ends_with("30 warnings"), "the totals count everything:\n{stdout}");
    let all = planc().arg("check").arg(&dir).args(["--color=never", "--max-diagnostics", "0"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&all.stdout).matches("[REL204] Warning").count(), 30);
    let json = planc().arg("check").arg(&dir).args(["--format", "json"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&json.stdout).matches("\"REL204\"").count(), 30, "JSON lists every one");
}

#[test]
fn build_check_lists_stale_outputs_and_writes_nothing() {
    let out = std::env::temp_dir().join(format!("planc-build-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let shop = repo_root().join("examples/shop");
    assert!(planc().arg("build").arg(&shop).arg("--out").arg(&out).status().unwrap().success());
    let check = || planc().arg("build").arg(&shop).arg("--check").arg("--out").arg(&out).output().unwrap();
    assert_eq!(check().status.code(), Some(0), "fresh outputs are up to date");

    let edited = out.join("prod/terraform/network.tf");
    std::fs::write(&edited, "# edited by hand\n").unwrap();
    std::fs::remove_file(out.join("dev/terraform/versions.tf")).unwrap();
    std::fs::write(out.join("staging/terraform/extra.tf"), "").unwrap();
    let output = check();
    assert_eq!(output.status.code(), Some(1));
    let listed = String::from_utf8_lossy(&output.stdout).to_string();
    assert_eq!(
        listed,
        "differs: prod/terraform/network.tf\nleft over: staging/terraform/extra.tf\nmissing: dev/terraform/versions.tf\n"
    );
    // `--check` writes nothing: the hand edit is still there.
    assert_eq!(std::fs::read_to_string(&edited).unwrap(), "# edited by hand\n");
    let _ = std::fs::remove_dir_all(&out);
}

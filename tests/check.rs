//! Diagnostics snapshots: every `P0xx` code has a failing and a passing fixture workspace in
//! `tests/fixtures/check/<CODE>-<name>/{fail,pass}`; the failing one must report that code
//! and no other, the passing one nothing at all.

mod common;

use std::path::Path;

use common::*;

fn snapshot_name(dir: &Path) -> String {
    let relative = dir.strip_prefix(repo_root().join("tests/fixtures/check")).unwrap();
    relative.to_string_lossy().replace(['/', '\\'], "__")
}

fn sources_and_diagnostics(dir: &Path, checked: &Checked) -> String {
    let mut out = String::new();
    for (path, bytes) in load_relative(dir) {
        out.push_str(&format!("## {path}\n{}\n", String::from_utf8_lossy(&bytes)));
    }
    out.push_str("## diagnostics\n");
    out.push_str(&checked.rendered());
    out
}

/// Codes only `planc build` reports, comparing with the previous build's output: there is no
/// `check` fixture for them; `tests/renames.rs` covers them.
const BUILD_ONLY: &[&str] = &["REL215"];

#[test]
fn every_code_has_a_failing_and_a_passing_fixture() {
    let root = repo_root().join("tests/fixtures/check");
    for info in planc::diagnostics::CODES.iter().filter(|it| !BUILD_ONLY.contains(&it.code)) {
        let dir = root.join(format!("{}-{}", info.code, info.name));
        assert!(dir.join("fail").is_dir(), "{} has no failing fixture at {}", info.code, dir.join("fail").display());
        assert!(dir.join("pass").is_dir(), "{} has no passing fixture at {}", info.code, dir.join("pass").display());
    }
}

#[test]
fn fixtures_report_what_they_show() {
    let root = repo_root().join("tests/fixtures/check");
    for dir in workspaces(&root) {
        let case = dir.parent().unwrap().file_name().unwrap().to_string_lossy().to_string();
        let code = case.split('-').next().unwrap().to_string();
        let variant = dir.file_name().unwrap().to_string_lossy().to_string();
        let checked = check_dir(&dir);
        match variant.as_str() {
            "pass" => assert!(checked.diagnostics.is_empty(), "{case}/pass must check clean:\n{}", checked.rendered()),
            "fail" => {
                let codes = checked.codes();
                assert!(!codes.is_empty(), "{case}/fail reports nothing");
                assert!(
                    codes.iter().all(|it| *it == code),
                    "{case}/fail must report only {code}:\n{}",
                    checked.rendered()
                );
            }
            _ => {}
        }
        insta::assert_snapshot!(snapshot_name(&dir), sources_and_diagnostics(&dir, &checked));
    }
}

#[test]
fn three_syntax_errors_are_three_diagnostics_and_the_rest_is_still_checked() {
    let dir = repo_root().join("tests/fixtures/check/P001-syntax-error/three-errors");
    let checked = check_dir(&dir);
    let syntax = checked.codes().iter().filter(|it| **it == "P001").count();
    assert_eq!(syntax, 3, "{}", checked.rendered());
    assert!(
        checked.codes().contains(&"P009"),
        "the reference error after the syntax errors must be found:\n{}",
        checked.rendered()
    );
}

#[test]
fn examples_check_clean_except_the_one_that_shows_errors() {
    for dir in workspaces(&repo_root().join("examples")) {
        let checked = check_dir(&dir);
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("errors") {
            assert!(checked.codes().len() >= 5, "{name} should show several errors:\n{}", checked.rendered());
            insta::assert_snapshot!(format!("example__{name}"), checked.rendered());
        } else {
            assert!(checked.diagnostics.is_empty(), "example {name} must check clean:\n{}", checked.rendered());
        }
    }
}

#[test]
fn every_code_has_a_documentation_page() {
    for info in planc::diagnostics::CODES {
        let doc = info.doc();
        assert!(
            doc.starts_with(&format!("# {} {}", info.code, info.name)),
            "stdlib/docs/{}.md is missing or has the wrong title",
            info.code
        );
        for heading in ["## What it does", "## Why is this bad?", "## Example", "## Fix"] {
            assert!(doc.contains(heading), "stdlib/docs/{}.md has no `{heading}` section", info.code);
        }
    }
    for code in planc::diagnostics::documented_codes() {
        assert!(planc::diagnostics::code_info(code).is_some(), "stdlib/docs/{code}.md documents no code");
    }
}

/// Applies the fix of the one diagnostic with `code` to `text` (a single file).
fn apply_fix(text: &str, code: &str) -> String {
    let checked = check_files(vec![("main.plan".into(), text.as_bytes().to_vec())]);
    let diagnostic = checked.diagnostics.iter().find(|it| it.code == code).unwrap_or_else(|| panic!("no {code}"));
    let mut edits = diagnostic.fix.as_ref().expect("a fix").edits.clone();
    edits.sort_by_key(|it| std::cmp::Reverse(it.range.start()));
    let mut fixed = text.to_string();
    for edit in edits {
        fixed.replace_range(usize::from(edit.range.start())..usize::from(edit.range.end()), &edit.new_text);
    }
    fixed
}

#[test]
fn an_env_fix_replaces_the_value_the_override_already_sets() {
    let plan = "plan p { cloud = aws  region = \"us-east-1\" }\nenv prod { production = true }\n";
    let with_override = format!(
        "{plan}database orders {{\n  engine = postgres  version = \"16\"  tier = \"db.t4g.micro\"\n  backup {{ retention = 7d }}\n  env prod {{ ha = false }}\n}}\n"
    );
    let fixed = apply_fix(&with_override, "REL201");
    assert!(fixed.contains("env prod { ha = true }") && fixed.matches("ha =").count() == 1, "{fixed}");
    assert!(!check_files(vec![("main.plan".into(), fixed.into_bytes())]).codes().contains(&"REL201"));

    let without = format!(
        "{plan}database orders {{\n  engine = postgres  version = \"16\"  tier = \"db.t4g.micro\"\n  backup {{ retention = 7d }}\n}}\n"
    );
    let fixed = apply_fix(&without, "REL201");
    assert!(fixed.contains("env prod { ha = true }"), "{fixed}");
    assert!(!check_files(vec![("main.plan".into(), fixed.into_bytes())]).codes().contains(&"REL201"));
}

#[test]
fn the_ignore_quick_fix_silences_the_diagnostic_and_nothing_else() {
    let text = "plan p { cloud = aws  region = \"us-east-1\" }\n\nbucket docs {\n  versioning = true\n  public     = true\n}\nbucket media { public = true }\n";
    let checked = check_files(vec![("main.plan".into(), text.as_bytes().to_vec())]);
    assert_eq!(checked.codes(), ["SEC103", "SEC103"]);
    let parse = planc::syntax::parse(text);
    let mut fixed = text.to_string();
    for diagnostic in checked.diagnostics.iter().rev() {
        let edit = planc::check::ignore::ignore_edit(
            &parse,
            text,
            &diagnostic.primary.file,
            diagnostic.code,
            diagnostic.primary.range,
        )
        .expect("an ignore edit");
        let at = usize::from(edit.range.start());
        fixed.insert_str(at, &edit.new_text);
    }
    assert!(fixed.contains("\n  // planc:ignore SEC103: why this is fine here\n  public     = true"), "{fixed}");
    assert!(fixed.contains("\n// planc:ignore SEC103: why this is fine here\nbucket media"), "{fixed}");
    let checked = check_files(vec![("main.plan".into(), fixed.into_bytes())]);
    assert!(checked.diagnostics.is_empty(), "{}", checked.rendered());
}

#[test]
fn removing_an_unused_ignore_removes_its_whole_line() {
    let text = "plan p { cloud = aws  region = \"us-east-1\" }\n\nbucket docs {\n  // planc:ignore SEC103: no longer public\n  versioning = true\n}\n";
    let fixed = apply_fix(text, "P024");
    assert_eq!(fixed, text.replace("  // planc:ignore SEC103: no longer public\n", ""));
    let trailing = "plan p { cloud = aws  region = \"us-east-1\" }\n\nbucket docs {\n  versioning = true  // planc:ignore SEC103: no longer public\n}\n";
    assert_eq!(apply_fix(trailing, "P024"), trailing.replace("  // planc:ignore SEC103: no longer public", ""));
}

#[test]
fn production_makes_security_warnings_errors_unless_a_policy_says_otherwise() {
    let dir = repo_root().join("tests/fixtures/check/SEC102-latest-in-production/fail");
    let text = std::fs::read_to_string(dir.join("main.plan")).unwrap();
    let severity_of = |text: &str| {
        let checked = check_files(vec![("main.plan".into(), text.as_bytes().to_vec())]);
        let found = checked.diagnostics.iter().find(|it| it.code == "SEC102").map(|it| it.severity);
        (found, checked.rendered())
    };
    let (found, rendered) = severity_of(&text);
    assert_eq!(found, Some(planc::diagnostics::Severity::Error), "{rendered}");
    assert!(rendered.contains("a production environment"), "{rendered}");
    // Without the production environment it is the rule's own warning.
    let (found, rendered) = severity_of(&text.replace("env prod { production = true }", "env prod { }"));
    assert_eq!(found, Some(planc::diagnostics::Severity::Warning), "{rendered}");
    // A policy entry still wins.
    let with_policy = format!("{text}\npolicy {{ severity {{ SEC102 = \"warning\" }} }}\n");
    let (found, rendered) = severity_of(&with_policy);
    assert_eq!(found, Some(planc::diagnostics::Severity::Warning), "{rendered}");
}

#[test]
fn a_name_longer_than_63_characters_is_rejected_before_it_reaches_a_directory_or_a_cloud() {
    let long = format!("e{}", "x".repeat(63));
    let text =
        format!("plan demo {{ cloud = aws  region = \"us-east-1\" }}\nenv {long} {{ }}\nbucket b-{long} {{ }}\n");
    let checked = check_files(vec![("main.plan".into(), text.into_bytes())]);
    let p019: Vec<_> = checked.diagnostics.iter().filter(|it| it.code == "P019").collect();
    assert_eq!(p019.len(), 2, "{}", checked.rendered());
    assert!(p019[0].help.as_deref().unwrap_or("").contains("at most 63"), "{}", checked.rendered());
    let fine = format!("plan demo {{ cloud = aws  region = \"us-east-1\" }}\nenv {} {{ }}\n", "e".repeat(63));
    assert!(check_files(vec![("main.plan".into(), fine.into_bytes())]).diagnostics.is_empty());
}

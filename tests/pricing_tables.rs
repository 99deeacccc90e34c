//! The generated compute price tables are what `scripts/gen-pricing` makes of the dated upstream
//! tables in `../shared/pricing-sources`, and the generator's validation gates catch bad rows.

mod common;

use common::*;

fn python() -> std::process::Command {
    std::process::Command::new("python3")
}

#[test]
fn the_generator_gates_catch_a_windows_rate_and_a_disagreeing_hand_price() {
    let output = python().arg(repo_root().join("scripts/gen-pricing")).arg("--self-test").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("5 passed, 0 failed"), "{stdout}");
}

#[test]
fn the_committed_tables_are_what_the_sources_generate() {
    let sources = repo_root().join("../shared/pricing-sources");
    if !sources.join("MANIFEST.md").exists() {
        eprintln!("skipped: {} is not here to regenerate from", sources.display());
        return;
    }
    // The EC2 type names come from the pinned botocore that scripts/install-test-tools puts there.
    let venv_python = repo_root().join(".tools/venv/bin/python");
    assert!(venv_python.exists(), "the test tools are not installed: run `scripts/install-test-tools` (CI does)");
    let output = std::process::Command::new(venv_python)
        .arg(repo_root().join("scripts/gen-pricing"))
        .arg("--check")
        .arg("--sources")
        .arg(&sources)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

/// What CAT501 suggests for names users write: classes of another cloud, sizes a family lacks,
/// typos. Snapshotted so that a change to the ranking or to the tables shows up in review.
#[test]
fn suggestions_rank_by_shape() {
    use planc::catalog::pricing::PriceBook;
    use planc::catalog::shapes::suggest;
    let cases: &[(&str, &[&str], &str)] = &[
        ("aws", &["compute"], "m5.xlarg"),
        ("azure", &["compute"], "m5.xlarge"),
        ("gcp", &["compute"], "m5.xlarge"),
        ("aws", &["compute"], "n1-highcpu-2"),
        ("gcp", &["compute"], "n1-highcpu-3"),
        ("azure", &["compute"], "c5.large"),
        ("gcp", &["compute"], "r6g.large"),
        ("aws", &["database", "postgres"], "db.m6g.medium"),
    ];
    let mut out = String::new();
    for (cloud, table, name) in cases {
        let found = suggest(PriceBook::builtin(), cloud, table, name, 5);
        out.push_str(&format!(
            "{name} on {cloud}: {}\n  basis: {}\n",
            found.classes.join(", "),
            found.basis.as_deref().unwrap_or(if found.spelling { "nearest spelling" } else { "-" })
        ));
    }
    insta::assert_snapshot!("suggestions_by_shape", out);
    assert!(!out.lines().next().unwrap().contains("m6g"), "no Graviton class first for an x86 one:\n{out}");
}

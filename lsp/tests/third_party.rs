//! plan-lsp under a real third-party client: pytest-lsp (pygls) runs tests/lsp_client.

mod common;

#[test]
fn pytest_lsp_reads_diagnostics_and_hover() {
    let root = common::repo_root();
    let pytest = root.join(".tools/venv/bin/pytest");
    assert!(pytest.exists(), "pytest-lsp is not installed: run `scripts/install-test-tools` (CI does)");
    let output = std::process::Command::new(pytest)
        .args(["-q", "-p", "no:cacheprovider"])
        .arg(root.join("tests/lsp_client"))
        .env("PLAN_LSP", env!("CARGO_BIN_EXE_plan-lsp"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

//! SARIF output validates against the official SARIF 2.1.0 schema, checked by a real
//! validator (Python `jsonschema`), as code-scanning upload expects.

mod common;

use common::*;

#[test]
fn sarif_output_validates_against_the_2_1_0_schema() {
    let root = repo_root();
    let python = root.join(".tools/venv/bin/python");
    let schema = root.join(".tools/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json");
    assert!(
        python.exists() && schema.exists(),
        "the SARIF validator is not installed: run `scripts/install-test-tools` (CI does)"
    );
    // Diagnostics of every kind: secondary labels (P012, P017), fixes (P003, P018), no snippet (P002).
    let mut cases: Vec<std::path::PathBuf> = workspaces(&root.join("tests/fixtures/check"));
    cases.retain(|dir| dir.ends_with("fail") || dir.ends_with("three-errors"));
    let out_dir = TempDir::new("planc-sarif");
    std::fs::create_dir_all(&out_dir).unwrap();
    for dir in cases {
        let output = planc().arg("check").arg(&dir).args(["--format", "sarif"]).output().unwrap();
        assert!(matches!(output.status.code(), Some(0 | 1)), "{}", dir.display());
        let sarif_path = out_dir.join("out.sarif");
        std::fs::write(&sarif_path, &output.stdout).unwrap();
        let validation = std::process::Command::new(&python)
            .arg(root.join("tests/validate_sarif.py"))
            .arg(&schema)
            .arg(&sarif_path)
            .output()
            .unwrap();
        assert!(
            validation.status.success(),
            "SARIF for {} does not validate:\n{}{}",
            dir.display(),
            String::from_utf8_lossy(&validation.stdout),
            String::from_utf8_lossy(&validation.stderr)
        );
        let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let results = document["runs"][0]["results"].as_array().unwrap();
        assert!(!results.is_empty());
        for result in results {
            let region = &result["locations"][0]["physicalLocation"]["region"];
            assert!(region["startLine"].as_u64().unwrap() >= 1);
            assert!(region["startColumn"].as_u64().unwrap() >= 1);
            let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
            assert!(uri.ends_with(".plan"), "{uri}");
        }
    }
}

//! `planc build` on every example, its outputs checked by real validators: the Kubernetes
//! schemas (kubernetes-validate), an HCL2 parser (python-hcl2), an IaC security scanner
//! (checkov, with the skips in tests/checkov-skips.txt) and a Markdown linter (markdownlint).
//! Plus: determinism, nothing written on error, no secret in any output, and snapshots.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn tools() -> PathBuf {
    let tools = repo_root().join(".tools");
    assert!(
        tools.join("venv/bin/kubernetes-validate").exists()
            && tools.join("checkov/bin/checkov").exists()
            && tools.join("node_modules/.bin/markdownlint").exists(),
        "the validators are not installed: run `scripts/install-test-tools` (CI does)"
    );
    tools
}

fn temp_dir(name: &str) -> TempDir {
    TempDir::new(&format!("planc-build-{name}"))
}

fn build(example: &str, out: &Path) {
    let output =
        planc().arg("build").arg(repo_root().join("examples").join(example)).arg("--out").arg(out).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{example}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

const EXAMPLES: &[&str] =
    &["shop", "payments-azure", "events-gcp", "reference-eks-platform", "gitlab-3k-aws", "orders-migration"];

fn run(command: &mut std::process::Command) -> (bool, String) {
    let output = command.output().unwrap();
    (
        output.status.success(),
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr)),
    )
}

#[test]
fn kubernetes_manifests_validate_against_the_schemas() {
    let tools = tools();
    let mut rollouts_found = false;
    let mut rules_found = false;
    for example in EXAMPLES {
        let out = temp_dir(&format!("k8s-{example}"));
        build(example, &out);
        let manifests: Vec<PathBuf> = files_under(&out)
            .into_iter()
            .filter(|it| {
                it.extension().is_some_and(|ext| ext == "yaml")
                    && it.file_name().is_some_and(|name| name != "kustomization.yaml")
            })
            .collect();
        for manifest in &manifests {
            let (ok, output) = run(std::process::Command::new(tools.join("venv/bin/kubernetes-validate"))
                .args(["--strict", "--quiet"])
                .arg(manifest));
            assert!(ok, "{} does not validate:\n{output}", manifest.display());
        }
        // kubernetes-validate only warns about kinds it has no schema for: the Argo Rollouts
        // are checked against the Rollout CRD's own schema instead (tests/crds/).
        let rollouts: Vec<&PathBuf> = manifests
            .iter()
            .filter(|it| std::fs::read_to_string(it).is_ok_and(|text| text.contains("kind: Rollout")))
            .collect();
        rollouts_found |= !rollouts.is_empty();
        for manifest in manifests.iter().filter(|it| it.file_name().is_some_and(|name| name == "alerts.yaml")) {
            rules_found = true;
            let (ok, output) = run(std::process::Command::new(tools.join("venv/bin/python"))
                .arg(repo_root().join("tests/validate_crd.py"))
                .arg(repo_root().join("tests/crds/prometheus-operator/prometheusrule-crd.yaml"))
                .arg(manifest));
            assert!(ok, "{} does not validate against the PrometheusRule CRD:\n{output}", manifest.display());
        }
        for manifest in rollouts {
            let (ok, output) = run(std::process::Command::new(tools.join("venv/bin/python"))
                .arg(repo_root().join("tests/validate_crd.py"))
                .arg(repo_root().join("tests/crds/argo-rollouts/rollout-crd.yaml"))
                .arg(manifest));
            assert!(ok, "{} does not validate against the Rollout CRD:\n{output}", manifest.display());
        }
    }
    assert!(rollouts_found, "no example builds an Argo Rollout, so the CRD check checked nothing");
    assert!(rules_found, "no example builds a PrometheusRule, so the CRD check checked nothing");
}

#[test]
fn terraform_parses_as_hcl2() {
    let tools = tools();
    for example in EXAMPLES {
        let out = temp_dir(&format!("hcl-{example}"));
        build(example, &out);
        let files: Vec<PathBuf> =
            files_under(&out).into_iter().filter(|it| it.extension().is_some_and(|ext| ext == "tf")).collect();
        assert!(files.len() > 5, "{example} produced no Terraform");
        let mut command = std::process::Command::new(tools.join("venv/bin/python"));
        command.arg("-c").arg("import hcl2, sys\nfor path in sys.argv[1:]:\n    hcl2.load(open(path))\n");
        command.args(&files);
        let (ok, output) = run(&mut command);
        assert!(ok, "{example}: Terraform does not parse:\n{output}");
    }
}

#[test]
fn checkov_reports_no_failed_check_beyond_the_listed_skips() {
    let tools = tools();
    let skips: Vec<String> = std::fs::read_to_string(repo_root().join("tests/checkov-skips.txt"))
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let (id, reason) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            assert!(!reason.trim().is_empty(), "{id} has no reason in tests/checkov-skips.txt");
            id.to_string()
        })
        .collect();
    for example in EXAMPLES {
        let out = temp_dir(&format!("checkov-{example}"));
        build(example, &out);
        let output = std::process::Command::new(tools.join("checkov/bin/checkov"))
            .arg("-d")
            .arg(&out)
            .args(["--framework", "terraform", "kubernetes", "--skip-download", "--compact", "--quiet", "-o", "json"])
            .arg("--skip-check")
            .arg(skips.join(","))
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
            panic!("{example}: checkov printed no JSON:\n{}", String::from_utf8_lossy(&output.stderr))
        });
        let reports = match report {
            serde_json::Value::Array(items) => items,
            other => vec![other],
        };
        for report in &reports {
            let summary = &report["summary"];
            assert_eq!(summary["parsing_errors"], 0, "{example}: checkov could not parse an output");
            let failed: Vec<String> = report["results"]["failed_checks"]
                .as_array()
                .map(|checks| {
                    checks
                        .iter()
                        .map(|it| format!("{} {} ({})", it["check_id"], it["resource"], it["file_path"]))
                        .collect()
                })
                .unwrap_or_default();
            assert!(failed.is_empty(), "{example}: checkov failed checks:\n{}", failed.join("\n"));
        }
    }
}

#[test]
fn adrs_pass_markdownlint() {
    let tools = tools();
    for example in ["shop", "payments-azure", "orders-migration"] {
        let out = temp_dir(&format!("adr-{example}"));
        build(example, &out);
        let mut documents: Vec<PathBuf> = files_under(&out.join("adr"));
        assert!(documents.len() >= 2, "{example} produced no ADRs");
        let runbooks = if out.join("migrations").is_dir() { files_under(&out.join("migrations")) } else { Vec::new() };
        assert!(example != "orders-migration" || runbooks.len() == 1, "{example} wrote no runbook: {runbooks:?}");
        documents.extend(runbooks);
        let (ok, output) =
            run(std::process::Command::new(tools.join("node_modules/.bin/markdownlint")).args(&documents));
        assert!(ok, "{example}: markdownlint:\n{output}");
    }
}

#[test]
fn building_twice_gives_identical_bytes() {
    for example in EXAMPLES {
        let (first, second) = (temp_dir(&format!("twice-a-{example}")), temp_dir(&format!("twice-b-{example}")));
        build(example, &first);
        build(example, &second);
        let read = |dir: &Path| -> Vec<(PathBuf, Vec<u8>)> {
            files_under(dir)
                .into_iter()
                .map(|path| (path.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&path).unwrap()))
                .collect()
        };
        assert!(read(&first) == read(&second), "{example}: two builds differ");
    }
}

#[test]
fn an_error_leaves_the_output_directory_untouched() {
    let out = temp_dir("untouched");
    build("shop", &out);
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let before: Vec<(PathBuf, Vec<u8>)> =
        files_under(&out).into_iter().map(|path| (path.clone(), std::fs::read(&path).unwrap())).collect();
    let output =
        planc().arg("build").arg(repo_root().join("examples/errors-demo")).arg("--out").arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("nothing was written"));
    let after: Vec<(PathBuf, Vec<u8>)> =
        files_under(&out).into_iter().map(|path| (path.clone(), std::fs::read(&path).unwrap())).collect();
    assert!(before == after, "the output directory changed");
}

#[test]
fn a_directory_planc_did_not_write_is_never_replaced() {
    let out = temp_dir("foreign");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("important.txt"), "keep").unwrap();
    let output = planc().arg("build").arg(repo_root().join("examples/shop")).arg("--out").arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(out.join("important.txt")).unwrap(), "keep");
}

#[test]
fn a_name_that_would_escape_the_output_directory_stops_the_build() {
    let dir = temp_dir("escape-ws");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("main.plan"), "plan demo { cloud = aws  region = \"us-east-1\" }\nbucket \"../x\" { }\n")
        .unwrap();
    let out = temp_dir("escape-out");
    let output = planc().arg("build").arg(&dir).arg("--out").arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(!out.exists());
}

#[test]
fn no_secret_value_appears_in_any_output() {
    let out = temp_dir("secrets");
    build("shop", &out);
    let mut secret_refs = 0;
    for path in files_under(&out) {
        let text = std::fs::read_to_string(&path).unwrap();
        // Secrets are `secret("name")` in the plan: only their names may reach an output, as
        // sensitive variables and secretKeyRefs, and generated passwords only as references.
        assert!(!text.contains("hunter2"), "{}", path.display());
        assert!(!text.contains("result = \""), "{}: a password value was written", path.display());
        if text.contains("secretKeyRef") {
            secret_refs += 1;
            assert!(!text.contains("PAYMENTS_API_KEY: "), "{}: a secret landed in a ConfigMap", path.display());
        }
        if path.ends_with("variables.tf") && text.contains("secret_stripe_api_key") {
            assert!(text.contains("sensitive   = true"), "{}", text);
        }
    }
    assert!(secret_refs > 0, "the shop example's secrets reach pods through secretKeyRef");
}

#[test]
fn outputs_match_their_snapshots() {
    for example in EXAMPLES {
        let out = temp_dir(&format!("snapshot-{example}"));
        build(example, &out);
        let mut bundle = String::new();
        for path in files_under(&out) {
            let relative = path.strip_prefix(&out).unwrap().to_string_lossy().replace('\\', "/");
            bundle.push_str(&format!("## {relative}\n{}\n", std::fs::read_to_string(&path).unwrap()));
        }
        insta::assert_snapshot!(example.to_string(), bundle);
    }
}

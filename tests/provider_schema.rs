//! Generated Terraform uses only resource types, arguments and blocks the pinned providers'
//! schemas have (issue "one deployment model", item 5), on every example and every fixture that
//! builds; and the checker itself catches each kind of mistake.

mod common;
mod tf_schema;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use planc::db::{all_diagnostics, workspace_envs, Database};
use planc::diagnostics::Severity;
use planc::emit::{emit, Target};
use tf_schema::Schemas;

fn schemas() -> Schemas {
    Schemas::load(&repo_root().join("stdlib/provider-schemas"))
}

/// The Terraform of every environment of a workspace, or None when it does not check clean.
fn terraform_of(dir: &Path) -> Option<Vec<(String, String)>> {
    let (db, workspace) = Database::with_files(load_relative(dir));
    if all_diagnostics(&db, workspace).iter().any(|it| it.severity == Severity::Error) {
        return None;
    }
    let envs = workspace_envs(&db, workspace);
    let targets: BTreeSet<Target> = [Target::Terraform].into_iter().collect();
    Some(
        emit(&db, workspace, &envs, &targets, "")
            .into_iter()
            .filter(|it| it.path.ends_with(".tf"))
            .map(|it| (it.path, it.contents))
            .collect(),
    )
}

fn problems_of(schemas: &Schemas, files: &[(String, String)], label: &str) -> Vec<String> {
    files.iter().flat_map(|(path, text)| schemas.check_file(&format!("{label}/{path}"), text)).collect()
}

#[test]
fn every_example_builds_terraform_the_providers_accept() {
    let schemas = schemas();
    let mut problems = Vec::new();
    let mut checked = 0;
    for dir in workspaces(&repo_root().join("examples")) {
        if dir.ends_with("errors-demo") {
            continue; // shows diagnostics on purpose and builds nothing
        }
        let files = terraform_of(&dir).unwrap_or_else(|| panic!("{} does not check clean", dir.display()));
        assert!(!files.is_empty(), "{} built no Terraform", dir.display());
        checked += files.len();
        problems.extend(problems_of(&schemas, &files, &dir.display().to_string()));
    }
    assert!(checked > 20, "only {checked} Terraform files checked");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn every_fixture_that_builds_writes_terraform_the_providers_accept() {
    let schemas = schemas();
    let mut problems = Vec::new();
    let mut built = 0;
    for dir in workspaces(&repo_root().join("tests/fixtures")) {
        let Some(files) = terraform_of(&dir) else { continue };
        built += 1;
        problems.extend(problems_of(&schemas, &files, &dir.display().to_string()));
    }
    assert!(built > 50, "only {built} fixtures built");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_checker_reports_each_kind_of_mistake() {
    let schemas = schemas();
    let tf = r#"
terraform {
  required_providers {
    aws    = { source = "hashicorp/aws", version = "~> 4.0" }
    random = { source = "hashicorp/random", version = "~> 3.6" }
  }
}

provider "aws" {
  regoin = "us-east-1"
}

resource "aws_s3_bucket" "typo" {
  bucket_nam = "x"
}

resource "aws_s3_buckets" "unknown" {}

resource "aws_eks_node_group" "shapes" {
  cluster_name  = "c"
  node_role_arn = "r"
  subnet_ids    = ["s"]
  scaling_config = { desired_size = 1, min_size = 1, max_size = 1 }
  labels {
    a = "b"
  }
  launch_template {
    version = "1"
  }
  launch_template {
    version = "2"
  }
  arn = "computed"
}

resource "aws_db_instance" "missing" {
  engine = "postgres"
  count  = 1
  lifecycle {
    ignore_changes = [engine]
  }
  dynamic "blue_green_update" {
    for_each = [1]
    content {
      enabled = true
      colour  = "blue"
    }
  }
}

resource "random_password" "ok" {
  length = 32
}
"#;
    let problems = schemas.check_file("main.tf", tf);
    let expected = [
        "main.tf: required_providers.aws: `~> 4.0` does not admit 5.99.1",
        "main.tf: provider.aws.regoin: is not an argument of this block (nearest: region",
        "main.tf: aws_s3_bucket.typo.bucket_nam: is not an argument of this block (nearest: bucket,",
        "main.tf: aws_s3_buckets.unknown: aws 5.99.1 has no resource type `aws_s3_buckets` (nearest: aws_s3_bucket",
        "main.tf: aws_eks_node_group.shapes.scaling_config: is a block, written as an argument",
        "main.tf: aws_eks_node_group.shapes.labels: is an argument, written as a block",
        "main.tf: aws_eks_node_group.shapes.launch_template: may appear once, appears 2 times",
        "main.tf: aws_eks_node_group.shapes.arn: is computed by the provider and cannot be set",
        "main.tf: aws_db_instance.missing.instance_class: is required and missing",
        "main.tf: aws_db_instance.missing.blue_green_update.colour: is not an argument of this block",
    ];
    for want in expected {
        assert!(problems.iter().any(|it| it.starts_with(want)), "missing {want:?} in:\n{}", problems.join("\n"));
    }
    assert_eq!(problems.len(), expected.len(), "{}", problems.join("\n"));
    assert!(!problems
        .iter()
        .any(|it| it.contains("random_password") || it.contains("count") || it.contains("lifecycle")));
}

#[test]
fn the_pinned_constraints_admit_the_versions_the_schemas_come_from() {
    use tf_schema::admits;
    assert!(admits("~> 5.80", "5.99.1"));
    assert!(!admits("~> 5.80", "6.0.0"));
    assert!(!admits("~> 5.80", "5.79.0"));
    assert!(admits("~> 5.80.1", "5.80.4"));
    assert!(!admits("~> 5.80.1", "5.81.0"));
    assert!(admits(">= 1.2, < 2", "1.9.0"));
    assert!(!admits(">= 1.2, < 2", "2.0.0"));
    assert!(admits("= 3.7.2", "3.7.2"));
}

//! Renames that never destroy: `renamed_from` gives Terraform `moved` blocks and keeps the
//! provider-facing names, and `planc build` warns (REL215) when an address disappears and one
//! of the same type appears without them.

mod common;

use std::path::Path;

use common::*;

const BEFORE: &str = r#"plan demo { cloud = aws  region = "us-east-1" }
network main { cidr = "10.0.0.0/16"  zones = 2 }
database orders-db {
  engine = postgres  version = "16"  tier = "db.t4g.large"  storage = 100GB  network = main
}
cluster apps {
  version = "1.34"  network = main
  node_pool default { size = "m6i.large"  nodes = 2..4 }
}
"#;

fn build(dir: &Path, text: &str, out: &Path) -> (String, String) {
    std::fs::write(dir.join("main.plan"), text).unwrap();
    let output = planc().arg("build").arg(dir).arg("--out").arg(out).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let moved = std::fs::read_to_string(out.join("default/terraform/moved.tf")).unwrap_or_default();
    (moved, String::from_utf8_lossy(&output.stderr).to_string())
}

/// The workspace and output directories of a test, in a scratch directory it removes.
fn temp(name: &str) -> (TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = TempDir::new(&format!("planc-rename-{name}"));
    std::fs::create_dir_all(dir.join("ws")).unwrap();
    let (ws, out) = (dir.join("ws"), dir.join("out"));
    (dir, ws, out)
}

#[test]
fn a_renamed_database_and_node_pool_move_and_keep_their_provider_names() {
    let (_scratch, dir, out) = temp("moved");
    let (moved, warnings) = build(&dir, BEFORE, &out);
    assert!(moved.is_empty() && !warnings.contains("REL215"));
    let after = BEFORE
        .replace("database orders-db {", "database orders {\n  renamed_from = [\"orders-db\"]")
        .replace("node_pool default { size", "node_pool general { renamed_from = [\"default\"]  size");
    let (moved, warnings) = build(&dir, &after, &out);
    for (from, to) in [
        ("aws_db_instance.orders_db", "aws_db_instance.orders"),
        ("aws_db_subnet_group.orders_db", "aws_db_subnet_group.orders"),
        ("aws_eks_node_group.apps_default", "aws_eks_node_group.apps_general"),
    ] {
        assert!(moved.contains(&format!("from = {from}\n  to   = {to}")), "no moved {from} -> {to}:\n{moved}");
    }
    assert!(!warnings.contains("REL215"), "a guarded rename warned:\n{warnings}");
    // The provider-facing names stay: RDS identifiers and EKS node group names are not
    // renamed in place, so the resource keeps the name it was created with.
    let database = std::fs::read_to_string(out.join("default/terraform/database.tf")).unwrap();
    assert!(database.contains("\"demo-default-orders-db\""), "{database}");
    let kubernetes = std::fs::read_to_string(out.join("default/terraform/kubernetes.tf")).unwrap();
    assert!(kubernetes.contains("node_group_name = \"default\""), "{kubernetes}");
}

#[test]
fn an_unguarded_rename_is_reported_with_both_addresses() {
    let (_scratch, dir, out) = temp("unguarded");
    build(&dir, BEFORE, &out);
    let (_, warnings) = build(&dir, &BEFORE.replace("database orders-db {", "database orders {"), &out);
    assert!(
        warnings.contains("warning[REL215]")
            && warnings.contains("`aws_db_instance.orders_db` (database orders-db) would be destroyed")
            && warnings.contains("`aws_db_instance.orders` (database orders) created")
            && warnings.contains("renamed_from = [\"orders-db\"]"),
        "{warnings}"
    );
}

#[test]
fn a_rename_from_a_block_that_still_exists_is_an_error() {
    let text =
        BEFORE.replace("database orders-db {", "database orders {\n  renamed_from = [\"main\", \"orders\", \"9x\"]");
    let checked = check_files(vec![("main.plan".into(), text.into_bytes())]);
    assert_eq!(checked.codes().iter().filter(|it| **it == "P028").count(), 3, "{}", checked.rendered());
}

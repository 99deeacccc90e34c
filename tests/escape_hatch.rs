//! The escape hatch (LANGUAGE.md §10.7): `terraform { }` overrides merged into a block's main
//! resource and raw `terraform NAME { type args }` resources, both checked against the pinned
//! provider schemas (CAT510), built as written, and checked again as HCL by tests/tf_schema.

mod common;
mod tf_schema;

use std::collections::BTreeMap;

use common::*;
use planc::db::Database;
use planc::emit::Target;

fn codes(plan: &str) -> Vec<&'static str> {
    check_files(vec![("main.plan".into(), plan.as_bytes().to_vec())]).codes()
}

/// The Terraform of a plan that checks without errors, by path, and the override notes.
fn build(plan: &str) -> (BTreeMap<String, String>, Vec<String>) {
    emit_checked(vec![("main.plan".into(), plan.as_bytes().to_vec())], &[Target::Terraform])
}

/// Every file passes the provider-schema check of the generated Terraform.
fn assert_schema_clean(files: &BTreeMap<String, String>) {
    let schemas = tf_schema::Schemas::load(&repo_root().join("stdlib/provider-schemas"));
    let problems: Vec<String> = files
        .iter()
        .filter(|(path, _)| path.ends_with(".tf"))
        .flat_map(|(path, text)| schemas.check_file(path, text))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn resource<'a>(files: &'a BTreeMap<String, String>, resource_type: &str, name: &str) -> &'a str {
    let header = format!("resource \"{resource_type}\" \"{name}\" {{");
    let text = files.values().find(|it| it.contains(&header)).unwrap_or_else(|| panic!("no {resource_type}.{name}"));
    let start = text.find(&header).unwrap();
    let end = text[start..].find("\n}\n").map_or(text.len(), |it| start + it + 3);
    &text[start..end]
}

const AWS: &str = r#"
plan demo { cloud = aws  region = "us-east-1" }
network main { cidr = "10.0.0.0/16"  zones = 2 }
database orders {
  engine = postgres  version = "16"  tier = "db.t4g.large"  storage = 100GB  network = main
  terraform {
    performance_insights_retention_period = 31
    backup_retention_period = 14
    backup_window = "03:00-04:00"
    blue_green_update { enabled = true }
  }
}
terraform orders-health {
  type = "aws_route53_health_check"
  args { fqdn = orders.host  type = "TCP"  port = 5432  failure_threshold = 3 }
  depends_on = [orders]
}
"#;

#[test]
fn an_override_merges_into_the_main_resource_and_a_raw_resource_is_built_as_written() {
    let (files, notes) = build(AWS);
    let instance = resource(&files, "aws_db_instance", "orders");
    assert!(instance.contains("performance_insights_retention_period = 31"), "{instance}");
    assert!(instance.contains("backup_window"), "{instance}");
    assert!(instance.contains("blue_green_update {\n    enabled = true"), "{instance}");
    // The generated backup retention (7 days) was replaced: the build says so, and so does the
    // file; the arguments planc did not generate are added without a note.
    assert!(
        instance.contains("# terraform override: was 7\n  backup_retention_period               = 14"),
        "{instance}"
    );
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("aws_db_instance.orders.backup_retention_period") && notes[0].contains("was 7"));

    let raw = resource(&files, "aws_route53_health_check", "orders_health");
    assert!(raw.contains("fqdn              = aws_db_instance.orders.address"), "{raw}");
    assert!(raw.contains("depends_on        = [aws_db_instance.orders]"), "{raw}");
    assert!(files.contains_key("default/terraform/raw.tf"));
    assert_schema_clean(&files);
}

#[test]
fn overrides_reach_the_main_resource_on_azure_and_gcp() {
    let azure = r#"
plan demo { cloud = azure  region = "eastus" }
network main { cidr = "10.0.0.0/16" }
cluster aks {
  version = "1.33"  network = main
  node_pool system { size = "Standard_D4s_v5"  nodes = 2..3 }
  terraform {
    network_profile { service_cidr = "10.100.0.0/16"  dns_service_ip = "10.100.0.10" }
    azure_active_directory_role_based_access_control { admin_group_object_ids = ["00000000-0000-0000-0000-000000000001"] }
  }
}
"#;
    let (files, _) = build(azure);
    let cluster = resource(&files, "azurerm_kubernetes_cluster", "aks");
    insta::assert_snapshot!("azure_override", cluster);
    // One network_profile: the override merged into the generated block.
    assert_eq!(cluster.matches("network_profile {").count(), 1, "{cluster}");
    assert!(cluster.contains("service_cidr") && cluster.contains("admin_group_object_ids"), "{cluster}");
    assert_schema_clean(&files);

    let gcp = r#"
plan demo { cloud = gcp  region = "us-central1" }
network main { cidr = "10.0.0.0/16" }
database orders {
  engine = postgres  version = "16"  tier = "db-custom-2-7680"  storage = 100GB  network = main
  terraform { settings { insights_config { query_insights_enabled = true } } }
}
"#;
    let (files, _) = build(gcp);
    let instance = resource(&files, "google_sql_database_instance", "orders");
    insta::assert_snapshot!("gcp_override", instance);
    assert_eq!(instance.matches("\n  settings {").count(), 1, "{instance}");
    assert!(instance.contains("query_insights_enabled = true"), "{instance}");
    assert_schema_clean(&files);
}

#[test]
fn the_merged_resources_snapshot() {
    let (files, notes) = build(AWS);
    insta::assert_snapshot!(format!(
        "{}\n{}\nnotes:\n{}",
        resource(&files, "aws_db_instance", "orders"),
        resource(&files, "aws_route53_health_check", "orders_health"),
        notes.join("\n")
    ));
}

#[test]
fn what_the_provider_does_not_take_is_an_error_with_the_nearest_names() {
    let database = |body: &str| {
        format!(
            "plan demo {{ cloud = aws  region = \"us-east-1\" }}\nnetwork main {{ cidr = \"10.0.0.0/16\"  zones = 2 }}\n\
             database orders {{\n  engine = postgres  version = \"16\"  tier = \"db.t4g.large\"  network = main\n  terraform {{ {body} }}\n}}\n"
        )
    };
    let cases = [
        ("perfomance_insights_enabled = true", "CAT510", "did you mean `performance_insights_enabled`?"),
        ("arn = \"x\"", "CAT510", "set by the provider"),
        ("blue_green_update = true", "CAT510", "is a nested block"),
        ("port { x = 1 }", "CAT510", "is an argument, not a block"),
        ("blue_green_update { enabled = true }\n blue_green_update { enabled = false }", "CAT510", "may appear once"),
        ("count = 2", "CAT510", "meta-argument"),
        ("lifecycle { prevent_destroy = true  ignore_change = [] }", "CAT510", "did you mean `ignore_changes`?"),
        ("monitoring_interval = 30s", "P006", "Plan quantity"),
        ("db_subnet_group_name = main", "CAT510", "not a value Terraform can take"),
    ];
    for (body, code, text) in cases {
        let checked = check_files(vec![("main.plan".into(), database(body).into_bytes())]);
        let found = checked.diagnostics.iter().find(|it| it.code == code);
        let rendered = checked.rendered();
        assert!(
            found.is_some() && rendered.contains(text),
            "`{body}` should report {code} with \"{text}\":\n{rendered}"
        );
    }
    // Accepted: lifecycle settings, and an argument and a block the schema has.
    assert!(!codes(&database("lifecycle { prevent_destroy = true }  deletion_protection = true")).contains(&"CAT510"));

    let raw = |body: &str| format!("plan demo {{ cloud = aws  region = \"us-east-1\" }}\n{body}\n");
    let cases = [
        ("terraform x { type = \"aws_route53_healthcheck\" }", "did you mean `aws_route53_health_check`?"),
        ("terraform x { type = \"google_dns_managed_zone\" }", "not a resource of the aws provider"),
        ("terraform x { type = \"aws_route53_health_check\"  args { fqdn = \"a\" } }", "requires `type`"),
        ("terraform x { type = \"aws_sns_topic\"  terraform { name = \"x\" } }", "write the arguments in `args"),
        ("service api { cluster = c  image = \"a/b:1\"  terraform { x = 1 } }\ncluster c { version = \"1.34\"  node_pool p { size = \"m6i.large\"  nodes = 1 } }", "Kubernetes objects"),
    ];
    for (body, text) in cases {
        let checked = check_files(vec![("main.plan".into(), raw(body).into_bytes())]);
        let rendered = checked.rendered();
        assert!(
            checked.codes().contains(&"CAT510") && rendered.contains(text),
            "`{body}` should report CAT510 with \"{text}\":\n{rendered}"
        );
    }
}

#[test]
fn a_raw_resource_is_not_priced_and_says_so() {
    let found = codes(AWS);
    assert!(found.contains(&"COST304"), "{found:?}");
    let (db, workspace) = Database::with_files(vec![("main.plan".into(), AWS.as_bytes().to_vec())]);
    let cost = planc::db::plan_cost(&db, workspace);
    let raw =
        cost.envs[0].resources.iter().find(|it| it.kind == "terraform").expect("no cost line for the raw resource");
    assert!(!raw.unknown.is_empty(), "{raw:?}");
}

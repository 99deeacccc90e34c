//! VMs, disks and gateways (LANGUAGE.md §10.6): fixed VM sets with stable names, disks with a
//! type, IOPS and throughput (built and priced), and internal load balancers.

mod common;
mod tf_schema;

use common::*;
use planc::db::{plan_cost, Database};
use planc::emit::Target;

fn codes(plan: &str) -> Vec<&'static str> {
    check_files(vec![("main.plan".into(), plan.as_bytes().to_vec())]).codes()
}

fn terraform(plan: &str) -> String {
    let files = emit_plan(plan, &[Target::Terraform]);
    let schemas = tf_schema::Schemas::load(&repo_root().join("stdlib/provider-schemas"));
    let problems: Vec<String> = files
        .iter()
        .filter(|(path, _)| path.ends_with(".tf"))
        .flat_map(|(path, text)| schemas.check_file(path, text))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    files.values().cloned().collect()
}

/// The monthly cost lines of one block, as `label: low` text.
fn cost_lines(plan: &str, name: &str) -> (Vec<String>, Vec<String>) {
    let (db, workspace) = Database::with_files(vec![("main.plan".into(), plan.as_bytes().to_vec())]);
    let cost = plan_cost(&db, workspace);
    let resource = cost.envs[0].resources.iter().find(|it| it.name == name).expect("no cost");
    (resource.lines.iter().map(|it| format!("{}: {}", it.label, it.low)).collect(), resource.unknown.clone())
}

fn plan(cloud: &str, vm: &str) -> String {
    let (region, size, image) = match cloud {
        "aws" => ("us-east-1", "m6i.2xlarge", "ami-0123456789abcdef0"),
        "azure" => ("eastus", "Standard_D8s_v5", "Canonical:ubuntu-24_04-lts:server:latest"),
        _ => ("us-central1", "n2-standard-8", "debian-cloud/debian-12"),
    };
    format!(
        "plan demo {{ cloud = {cloud}  region = \"{region}\" }}\nnetwork main {{ cidr = \"10.0.0.0/16\" }}\n\
         vm gitaly {{ size = \"{size}\"  image = \"{image}\"  count = 3  network = main\n  {vm}\n}}\n"
    )
}

#[test]
fn gitalys_ssd_with_provisioned_iops_is_built_and_priced_on_aws() {
    let text = plan("aws", "disk { size = 500GB  type = ssd  iops = 8000  throughput = 250 }");
    let tf = terraform(&text);
    assert!(tf.contains("iops        = 8000") && tf.contains("throughput  = 250"), "{tf}");
    assert!(tf.contains(r#"= toset(["1", "2", "3"])"#) && tf.contains("for_each"), "{tf}");
    let (lines, unknown) = cost_lines(&text, "gitaly");
    // 500 GB × $0.08 + 5,000 IOPS over the free 3,000 × $0.005 + 125 MB/s over 125 × $0.04.
    assert!(unknown.is_empty(), "{unknown:?}");
    assert!(
        lines.iter().any(|it| it.contains("500 GB disk each (ssd, 8000 IOPS, 250 MB/s)") && it.contains("210.00")),
        "{lines:?}"
    );
}

#[test]
fn disk_types_map_to_each_clouds_disks() {
    let tf = terraform(&plan("gcp", "disk { size = 200GB  type = ssd }"));
    assert!(tf.contains("type  = \"pd-ssd\"") || tf.contains("type = \"pd-ssd\""), "{tf}");
    let (lines, unknown) = cost_lines(&plan("gcp", "disk { size = 200GB  type = hdd }"), "gitaly");
    assert!(unknown.is_empty() && lines.iter().any(|it| it.contains("(hdd)") && it.contains("24.00")), "{lines:?}");

    let tf = terraform(&plan("azure", "disk { size = 256GB  type = balanced }"));
    assert!(tf.contains("StandardSSD_LRS"), "{tf}");
    // No dated Standard SSD price in the tables: unknown, never $0.
    let (_, unknown) = cost_lines(&plan("azure", "disk { size = 256GB  type = balanced }"), "gitaly");
    assert!(unknown.iter().any(|it| it.contains("Standard SSD")), "{unknown:?}");
    // A plain size still works everywhere, with each cloud's default type.
    let tf = terraform(&plan("gcp", "disk = 100GB"));
    assert!(tf.contains("pd-balanced"), "{tf}");
}

#[test]
fn what_a_disk_cannot_be_is_an_error() {
    let cases = [
        ("aws", "disk { size = 100GB  type = hdd }", "CAT508"),
        ("aws", "disk { size = 100GB  iops = 20000 }", "CAT508"),
        ("aws", "disk { size = 10GB  iops = 6000 }", "CAT508"),
        ("aws", "disk { size = 100GB  iops = 3000  throughput = 900 }", "CAT508"),
        ("azure", "disk { size = 128GB  iops = 5000 }", "CAT509"),
        ("gcp", "disk { size = 128GB  throughput = 300 }", "CAT509"),
        ("aws", "disk { type = ssd }", "P005"),
        ("aws", "disk { size = 100GB  kind = ssd }", "P004"),
        ("aws", "disk { size = 100GB  type = nvme }", "P008"),
    ];
    for (cloud, disk, code) in cases {
        let found = codes(&plan(cloud, disk));
        assert!(found.contains(&code), "{cloud} `{disk}` should report {code}: {found:?}");
    }
}

#[test]
fn an_internal_gateway_is_a_private_load_balancer() {
    let text = r#"
plan demo { cloud = aws  region = "us-east-1" }
network main {
  cidr = "10.0.0.0/16"  zones = 2
  subnet app-a { cidr = "10.0.1.0/24"  tier = private }
  subnet app-b { cidr = "10.0.2.0/24"  tier = private }
  subnet edge-a { cidr = "10.0.100.0/24"  tier = public }
  subnet edge-b { cidr = "10.0.101.0/24"  tier = public }
}
gateway admin { internal = true  host = "admin.internal.example"  network = main }
"#;
    let tf = terraform(text);
    assert!(tf.contains("internal                   = true"), "{tf}");
    assert!(tf.contains("[aws_subnet.main_app_a.id, aws_subnet.main_app_b.id]"), "{tf}");
    let group = &tf[tf.find("resource \"aws_security_group\" \"admin_lb\"").unwrap()..];
    let group = &group[..group.find("\n}\n").unwrap()];
    assert!(!group.contains("0.0.0.0/0") && group.contains("aws_vpc.main.cidr_block"), "{group}");
    let azure = text.replace("cloud = aws  region = \"us-east-1\"", "cloud = azure  region = \"eastus\"");
    assert!(codes(&azure).contains(&"CAT509"));
}

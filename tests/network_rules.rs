//! Network security (LANGUAGE.md §10.2): the flows references imply, and the network's `allow`
//! and `deny` rules, become exactly the security-group, NSG and firewall rules and
//! NetworkPolicies the plan needs, and nothing else.

mod common;
mod tf_schema;

use std::collections::BTreeMap;

use common::*;
use planc::db::{file_ir, Database};
use planc::deploy::{flows, Source};
use planc::emit::Target;
use serde_yaml_ng::Value as Yaml;

/// Every flow of a workspace in `env`, as `from -> to` lines.
fn flow_lines(files: Vec<(String, Vec<u8>)>, env: &str) -> Vec<String> {
    let (db, workspace) = Database::with_files(files);
    let irs: Vec<_> = workspace.files(&db).iter().map(|&file| file_ir(&db, file).value.clone()).collect();
    let blocks = irs.iter().flat_map(|ir| ir.blocks.iter());
    let mut lines: Vec<String> = flows(blocks, env)
        .into_iter()
        .map(|flow| {
            let from = match &flow.from {
                Source::Block { kind, name } => format!("{kind} {name}"),
                Source::Cidr(cidr) => cidr.clone(),
                Source::Internet => "internet".into(),
            };
            let rule = flow.rule.map(|it| format!(" (rule {it})")).unwrap_or_default();
            format!("{from} -> {} {}{rule}", flow.to_kind, flow.to)
        })
        .collect();
    lines.sort();
    lines
}

fn build(files: Vec<(String, Vec<u8>)>, targets: &[Target]) -> BTreeMap<String, String> {
    emit_checked(files, targets).0
}

/// NetworkPolicy name to its ingress rules, from every manifest of an env.
fn network_policies(files: &BTreeMap<String, String>, env: &str) -> BTreeMap<String, Yaml> {
    let mut found = BTreeMap::new();
    for (path, text) in
        files.iter().filter(|(path, _)| path.starts_with(&format!("{env}/k8s/")) && path.ends_with(".yaml"))
    {
        for doc in serde_yaml_ng::Deserializer::from_str(text) {
            let doc = <Yaml as serde::Deserialize>::deserialize(doc).unwrap_or_else(|e| panic!("{path}: {e}"));
            if doc["kind"] == Yaml::from("NetworkPolicy") {
                found.insert(doc["metadata"]["name"].as_str().unwrap().to_string(), doc["spec"]["ingress"].clone());
            }
        }
    }
    found
}

/// The `from` names of a NetworkPolicy ingress list: pod names, `any-namespace`, or CIDRs.
fn peers(ingress: &Yaml) -> Vec<String> {
    let mut names = Vec::new();
    for rule in ingress.as_sequence().into_iter().flatten() {
        match rule.get("from").and_then(Yaml::as_sequence) {
            None => names.push("anywhere".to_string()),
            Some(from) => {
                for peer in from {
                    if let Some(name) = peer["podSelector"]["matchLabels"]["app.kubernetes.io/name"].as_str() {
                        names.push(name.to_string());
                    } else if peer.get("namespaceSelector").is_some() {
                        names.push("any-namespace".to_string());
                    } else if let Some(cidr) = peer["ipBlock"]["cidr"].as_str() {
                        names.push(cidr.to_string());
                    }
                }
            }
        }
    }
    names.sort();
    names
}

#[test]
fn the_shop_allows_exactly_the_flows_its_references_imply() {
    let files = load_relative(&repo_root().join("examples/shop"));
    // Read off services.plan and edge.plan: each `vars` or `depends_on` reference to a
    // database, cache, service or container, and each gateway route. Queues, topics and buckets are
    // reached through the provider's API with IAM, not through the network.
    assert_eq!(
        flow_lines(files.clone(), "prod"),
        [
            "gateway edge -> service api",
            "gateway edge -> service web",
            "job nightly-export -> database orders-db",
            "service api -> cache sessions",
            "service api -> service orders",
            "service orders -> container invoice-renderer",
            "service orders -> database orders-db",
            "service web -> service api",
            "worker fulfilment -> service orders",
        ]
    );

    let built = build(files, &[Target::Terraform, Target::K8s]);
    let policies = network_policies(&built, "prod");
    // The namespace denies all ingress; then a policy per service that something may reach:
    // `web` and `api` through the gateway's ingress controller, `orders` only from the pods
    // that reference it.
    assert_eq!(
        policies.keys().cloned().collect::<Vec<_>>(),
        ["api-ingress", "default-deny-ingress", "orders-ingress", "web-ingress"]
    );
    assert!(peers(&policies["default-deny-ingress"]).is_empty());
    assert_eq!(peers(&policies["api-ingress"]), ["any-namespace"]);
    assert_eq!(peers(&policies["web-ingress"]), ["any-namespace"]);
    assert_eq!(peers(&policies["orders-ingress"]), ["api", "fulfilment"]);

    // The database, the cache and the container admit the cluster's nodes, where those
    // workloads run, and nothing from a range.
    let terraform: String =
        built.iter().filter(|(path, _)| path.starts_with("prod/terraform/")).map(|(_, text)| text.as_str()).collect();
    let ingress: Vec<&str> =
        terraform.lines().filter(|line| line.contains("description") && line.contains("From ")).collect();
    // The invoice renderer (a Fargate container) admits the orders service, which calls it.
    assert_eq!(ingress.len(), 3, "{ingress:?}");
    assert!(ingress.iter().any(|it| it.contains("service `orders`, job `nightly-export`")), "{ingress:?}");
    assert!(ingress.iter().any(|it| it.contains("service `api`")), "{ingress:?}");
    assert!(
        ingress.iter().any(|it| it.trim().ends_with("\"From service `orders` (references in the plan)\"")),
        "{ingress:?}"
    );
    assert!(
        !terraform.contains("cidr_blocks = [aws_vpc.main.cidr_block]\n  }\n\n  egress"),
        "an ingress from the whole VPC is left"
    );
}

const PLAN: &str = r#"
plan demo { cloud = CLOUD  region = "REGION" }
network main {
  cidr = "10.0.0.0/16"
  subnet app-a { cidr = "10.0.1.0/24"  tier = private }
  subnet edge-a { cidr = "10.0.100.0/24"  tier = public }
  subnet db-a { cidr = "10.0.20.0/24"  tier = database }
  allow office-ssh { from = ["203.0.113.0/24"]  to = bastion  ports = [22] }
  allow partners   { from = ["198.51.100.0/24"]  to = api  ports = [8080] }
  allow monitoring { from = ["192.0.2.0/28"]  to = apps  ports = [9100, 9200..9300]  protocol = tcp }
  deny  known-bad  { from = ["198.18.0.0/15"] }
}
vm bastion { size = "SIZE"  image = "IMAGE"  network = main }
cluster apps { version = "1.34"  network = main  node_pool general { size = "SIZE"  nodes = 2..4 } }
database orders { engine = postgres  version = "16"  tier = "TIER"  storage = 128GB  network = main }
service api {
  cluster = apps  image = "ghcr.io/acme/api:1.4.2"  port = 8080  health = "/h"  ready = "/r"  replicas = 2
  vars { DATABASE_URL = orders.url }
}
"#;

fn plan(cloud: &str) -> String {
    let (region, size, image, tier) = match cloud {
        "aws" => ("us-east-1", "m6i.large", "ami-0123456789abcdef0", "db.t4g.large"),
        "azure" => ("eastus", "Standard_D4s_v5", "Canonical:ubuntu-24_04-lts:server:latest", "GP_Standard_D2ds_v5"),
        _ => ("us-central1", "e2-standard-4", "debian-cloud/debian-12", "db-custom-2-7680"),
    };
    PLAN.replace("CLOUD", cloud)
        .replace("REGION", region)
        .replace("SIZE", size)
        .replace("IMAGE", image)
        .replace("TIER", tier)
}

#[test]
fn allow_and_deny_rules_are_built_on_every_cloud_and_pass_the_provider_schemas() {
    let schemas = tf_schema::Schemas::load(&repo_root().join("stdlib/provider-schemas"));
    for (cloud, expected) in [
        ("aws", &["aws_vpc_security_group_ingress_rule", "aws_default_network_acl", "203.0.113.0/24"][..]),
        ("azure", &["azurerm_network_security_rule", "\"Deny\"", "198.18.0.0/15", "203.0.113.0/24"][..]),
        ("gcp", &["google_compute_firewall", "main_deny_known_bad", "destination_ranges", "203.0.113.0/24"][..]),
    ] {
        let built = build(vec![("main.plan".into(), plan(cloud).into_bytes())], &[Target::Terraform, Target::K8s]);
        let tf: String =
            built.iter().filter(|(path, _)| path.ends_with(".tf")).map(|(_, text)| text.as_str()).collect();
        for text in expected {
            assert!(tf.contains(text), "{cloud}: no `{text}` in the Terraform");
        }
        let problems: Vec<String> = built
            .iter()
            .filter(|(path, _)| path.ends_with(".tf"))
            .flat_map(|(path, text)| schemas.check_file(&format!("{cloud}/{path}"), text))
            .collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        let policies = network_policies(&built, "default");
        assert_eq!(peers(&policies["api-ingress"]), ["198.51.100.0/24"], "{cloud}");
        // The rules of the network, on each cloud: the generated network.tf.
        insta::assert_snapshot!(
            format!("{cloud}_network_rules"),
            built.get("default/terraform/network.tf").cloned().unwrap_or_default()
        );
    }
}

#[test]
fn removing_a_reference_removes_its_rule() {
    let with = plan("aws");
    let without = with.replace("  vars { DATABASE_URL = orders.url }\n", "");
    assert_ne!(with, without);
    let group = |text: &str| {
        let built = build(vec![("main.plan".into(), text.as_bytes().to_vec())], &[Target::Terraform]);
        let tf = built["default/terraform/database.tf"].clone();
        let start = tf.find("resource \"aws_security_group\" \"orders_access\"").unwrap();
        tf[start..start + tf[start..].find("\n}\n").unwrap()].to_string()
    };
    let (with, without) = (group(&with), group(&without));
    assert!(with.contains("From service `api`") && with.contains("cluster_security_group_id"), "{with}");
    assert!(!without.contains("ingress {"), "nothing refers to the database any more:\n{without}");
    assert!(without.contains("No ingress"), "{without}");
}

#[test]
fn rules_that_open_too_much_or_cannot_be_built_are_reported() {
    let base = plan("aws");
    let cases = [
        ("allow office-ssh { from = [\"203.0.113.0/24\"]", "allow office-ssh { from = [internet]", "SEC113"),
        (
            "allow partners   { from = [\"198.51.100.0/24\"]  to = api",
            "allow partners   { from = [internet]  to = orders",
            "SEC113",
        ),
        (
            "deny  known-bad  { from = [\"198.18.0.0/15\"] }",
            "deny  known-bad  { from = [\"203.0.113.0/25\"] }",
            "SEC114",
        ),
        ("ports = [22] }", "ports = [0] }", "CAT508"),
        ("ports = [8080] }", "ports = [8080]  protocol = icmp }", "CAT508"),
        ("from = [\"198.51.100.0/24\"]", "from = [\"198.51.100.0/33\"]", "P027"),
        ("to = bastion", "to = nowhere", "P009"),
    ];
    for (from, to, code) in cases {
        assert!(base.contains(from), "{from}");
        let text = base.replace(from, to);
        let found = check_files(vec![("main.plan".into(), text.into_bytes())]).codes();
        assert!(found.contains(&code), "`{to}` should report {code}: {found:?}");
    }
    let gcp = plan("gcp").replace("to = apps  ports", "to = orders  ports");
    let found = check_files(vec![("main.plan".into(), gcp.into_bytes())]).codes();
    assert!(found.contains(&"CAT509"), "an allow rule to Cloud SQL cannot be built: {found:?}");
}

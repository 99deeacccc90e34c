//! What a plan says is what it builds and what it costs: one test per way the outputs used to
//! differ from the plan (issue "one deployment model"), each failing before the deployment
//! model and the checks that guard it.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use planc::db::{plan_cost, workspace_envs, Database};
use planc::emit::{emit, Target};

/// The diagnostic codes of a one-file plan.
fn codes(plan: &str) -> Vec<&'static str> {
    check_files(vec![("main.plan".into(), plan.as_bytes().to_vec())]).codes()
}

/// Every output file of a one-file plan that checks without errors, by path.
fn build(plan: &str) -> BTreeMap<String, String> {
    let checked = check_files(vec![("main.plan".into(), plan.as_bytes().to_vec())]);
    assert!(
        !checked.diagnostics.iter().any(|it| it.severity == planc::diagnostics::Severity::Error),
        "{}",
        checked.rendered()
    );
    let (db, workspace) = Database::with_files(vec![("main.plan".into(), plan.as_bytes().to_vec())]);
    let envs = workspace_envs(&db, workspace);
    let targets: BTreeSet<Target> = [Target::Terraform, Target::K8s, Target::Adr].into_iter().collect();
    emit(&db, workspace, &envs, &targets, "").into_iter().map(|file| (file.path, file.contents)).collect()
}

/// All the Terraform of one environment, as one text.
fn terraform(files: &BTreeMap<String, String>, env: &str) -> String {
    files
        .iter()
        .filter(|(path, _)| path.starts_with(&format!("{env}/terraform/")))
        .map(|(_, text)| text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of the resource block `resource "TYPE" "NAME" { ... }`, up to its closing brace.
fn resource<'a>(tf: &'a str, resource_type: &str, name: &str) -> &'a str {
    let header = format!("resource \"{resource_type}\" \"{name}\" {{");
    let start = tf.find(&header).unwrap_or_else(|| panic!("no {resource_type}.{name} in:\n{tf}"));
    let end = tf[start..].find("\n}\n").map_or(tf.len(), |it| start + it + 3);
    &tf[start..end]
}

/// Runs of spaces as one, so assertions do not depend on how `=` are aligned.
fn squash(text: &str) -> String {
    text.split(' ').filter(|it| !it.is_empty()).collect::<Vec<_>>().join(" ")
}

const GCP: &str = "plan demo { cloud = gcp  region = \"us-central1\" }\nnetwork main { cidr = \"10.0.0.0/16\" }\n";
const AZURE: &str = "plan demo { cloud = azure  region = \"eastus\" }\nnetwork main { cidr = \"10.0.0.0/16\" }\n";
const AWS: &str =
    "plan demo { cloud = aws  region = \"us-east-1\" }\nnetwork main { cidr = \"10.0.0.0/16\"  zones = 2 }\n";

#[test]
fn an_unknown_cache_tier_on_gcp_is_an_error_not_a_one_gib_instance() {
    let plan = format!("{GCP}cache sessions {{ engine = redis  tier = \"M1\"  network = main }}\n");
    assert!(codes(&plan).contains(&"CAT501"), "{:?}", codes(&plan));
    let plan = format!("{GCP}cache sessions {{ engine = redis  network = main }}\n");
    assert!(codes(&plan).contains(&"CAT508"), "a gcp cache without memory: {:?}", codes(&plan));
}

#[test]
fn a_gcp_cache_gets_exactly_its_memory_and_nodes() {
    let plan = format!("{GCP}cache sessions {{ engine = redis  memory = 7.5GB  network = main }}\n");
    assert!(codes(&plan).contains(&"CAT508"), "7.5GB is not whole GiB: {:?}", codes(&plan));

    let plan = format!(
        "{GCP}cache sessions {{ engine = redis  version = \"6.x\"  memory = 7Gi  nodes = 3  network = main }}\n"
    );
    let tf = terraform(&build(&plan), "default");
    let cache = resource(&tf, "google_redis_instance", "sessions");
    assert!(cache.contains("memory_size_gb          = 7"), "{cache}");
    assert!(cache.contains("tier                    = \"STANDARD_HA\""), "{cache}");
    assert!(cache.contains("replica_count           = 2"), "{cache}");
    assert!(cache.contains("redis_version           = \"REDIS_6_X\""), "{cache}");

    let cost = plan_cost_of(&plan);
    let sessions = cost.envs[0].resources.iter().find(|it| it.name == "sessions").unwrap();
    assert!(sessions.lines[0].label.contains("7 GiB standard"), "{sessions:#?}");
    assert!(sessions.partial.iter().any(|it| it.contains("1 read replicas")), "{sessions:#?}");
}

fn plan_cost_of(plan: &str) -> planc::cost::PlanCost {
    let (db, workspace) = Database::with_files(vec![("main.plan".into(), plan.as_bytes().to_vec())]);
    plan_cost(&db, workspace)
}

#[test]
fn aks_pools_get_their_disk_labels_and_zero_minimum() {
    let plan = format!(
        "{AZURE}cluster aks {{\n  version = \"1.33\"  network = main\n  \
         node_pool system {{ size = \"Standard_D4s_v5\"  nodes = 2..3  disk = 128GB  labels {{ role = \"system\" }} }}\n  \
         node_pool batch {{ size = \"Standard_D4s_v5\"  nodes = 0..10  spot = true  disk = 200GB }}\n}}\n"
    );
    let tf = terraform(&build(&plan), "default");
    let cluster = resource(&tf, "azurerm_kubernetes_cluster", "aks");
    assert!(cluster.contains("os_disk_size_gb              = 128"), "{cluster}");
    assert!(squash(cluster).contains("role = \"system\""), "{cluster}");
    let batch = resource(&tf, "azurerm_kubernetes_cluster_node_pool", "aks_batch");
    assert!(batch.contains("min_count               = 0"), "{batch}");
    assert!(batch.contains("os_disk_size_gb         = 200"), "{batch}");
    assert!(batch.contains("priority                = \"Spot\""), "{batch}");

    // The system pool cannot be spot or empty.
    let plan = format!(
        "{AZURE}cluster aks {{ version = \"1.33\"  network = main  node_pool system {{ size = \"Standard_D4s_v5\"  nodes = 0..3  spot = true }} }}\n"
    );
    assert_eq!(codes(&plan).iter().filter(|it| **it == "CAT508").count(), 2, "{:?}", codes(&plan));
}

#[test]
fn eks_spot_pools_scale_to_zero_and_autoscaled_groups_ignore_their_desired_size() {
    let plan = format!(
        "{AWS}cluster apps {{ version = \"1.35\"  network = main\n  \
         node_pool spot {{ size = \"m6i.large\"  nodes = 0..10  spot = true }}\n  \
         node_pool fixed {{ size = \"m6i.large\"  nodes = 3 }} }}\n"
    );
    let tf = terraform(&build(&plan), "default");
    let spot = resource(&tf, "aws_eks_node_group", "apps_spot");
    assert!(spot.contains("min_size     = 0"), "{spot}");
    assert!(spot.contains("ignore_changes = [scaling_config[0].desired_size]"), "{spot}");
    let fixed = resource(&tf, "aws_eks_node_group", "apps_fixed");
    assert!(!fixed.contains("ignore_changes"), "a fixed pool is not autoscaled: {fixed}");
}

#[test]
fn a_fixed_vm_count_is_that_many_instances_and_only_a_range_autoscales() {
    for (cloud_plan, instance, group) in [
        (AWS, "aws_instance", "aws_autoscaling_group"),
        (AZURE, "azurerm_linux_virtual_machine", "azurerm_linux_virtual_machine_scale_set"),
        (GCP, "google_compute_instance", "google_compute_region_instance_group_manager"),
    ] {
        let (size, image) = match instance {
            "aws_instance" => ("m6i.large", "ami-0123456789abcdef0"),
            "azurerm_linux_virtual_machine" => ("Standard_D4s_v5", "Canonical:ubuntu-24_04-lts:server:latest"),
            _ => ("e2-standard-4", "debian-cloud/debian-12"),
        };
        let plan =
            format!("{cloud_plan}vm gitaly {{ size = \"{size}\"  image = \"{image}\"  count = 3  network = main }}\n");
        let tf = terraform(&build(&plan), "default");
        let block = resource(&tf, instance, "gitaly");
        // Three instances with stable keys: removing one never renumbers the others.
        assert!(block.contains("for_each") && block.contains(r#"toset(["1", "2", "3"])"#), "{block}");
        assert!(!tf.contains(group), "count = 3 must not autoscale:\n{tf}");

        let plan =
            format!("{cloud_plan}vm web {{ size = \"{size}\"  image = \"{image}\"  count = 2..6  network = main }}\n");
        let tf = terraform(&build(&plan), "default");
        assert!(tf.contains(&format!("resource \"{group}\" \"web\"")), "a range autoscales:\n{tf}");
    }
}

#[test]
fn a_secret_output_in_a_plain_string_is_an_error() {
    let plan = format!(
        "{AWS}cluster apps {{ version = \"1.35\"  network = main  node_pool general {{ size = \"m6i.large\"  nodes = 2 }} }}\n\
         database orders {{ engine = postgres  version = \"16\"  tier = \"db.t4g.micro\"  network = main }}\n\
         service api {{ cluster = apps  image = \"ghcr.io/acme/api:1.0.0\"  port = 8080  expose = public  host = orders.url }}\n"
    );
    assert!(codes(&plan).contains(&"P025"), "{:?}", codes(&plan));
}

#[test]
fn an_apply_time_output_that_is_not_secret_goes_to_a_config_map() {
    let plan = format!(
        "{AWS}cluster apps {{ version = \"1.35\"  network = main  node_pool general {{ size = \"m6i.large\"  nodes = 2 }} }}\n\
         queue jobs {{ }}\n\
         worker runner {{ cluster = apps  image = \"ghcr.io/acme/runner:1.0.0\"  vars {{ QUEUE_URL = jobs.url  TOKEN = secret(\"token\") }} }}\n"
    );
    let files = build(&plan);
    let tf = terraform(&files, "default");
    let config = resource(&tf, "kubernetes_config_map_v1", "runner_outputs");
    assert!(config.contains("QUEUE_URL = aws_sqs_queue.jobs.url"), "{config}");
    let secret = resource(&tf, "kubernetes_secret_v1", "runner_env");
    assert!(!secret.contains("QUEUE_URL") && secret.contains("TOKEN"), "{secret}");
    let workloads: String =
        files.iter().filter(|(path, _)| path.contains("/k8s/")).map(|(_, it)| it.as_str()).collect();
    assert!(workloads.contains("name: runner-outputs"), "{workloads}");
}

#[test]
fn a_decisions_doc_comment_reaches_its_adr() {
    let plan = format!(
        "{AWS}/// Orders need transactions across line items.\n\
         decision orders-store {{ title = \"Use PostgreSQL\"  status = accepted  date = \"2026-01-20\"  context = \"Orders are relational.\" }}\n"
    );
    let files = build(&plan);
    let adr = files.iter().find(|(path, _)| path.ends_with("-use-postgresql.md")).map(|it| it.1.as_str()).unwrap();
    assert!(adr.contains("Orders need transactions across line items."), "{adr}");
    assert!(adr.contains("Orders are relational."), "{adr}");
}

#[test]
fn the_state_backend_follows_the_cloud() {
    for (cloud, region, backend) in [("aws", "us-east-1", "s3"), ("gcp", "us-central1", "gcs")] {
        let plan =
            format!("plan demo {{ cloud = {cloud}  region = \"{region}\"  state {{ bucket = \"acme-tfstate\" }} }}\n");
        let files = build(&plan);
        let versions = &files["default/terraform/versions.tf"];
        assert!(versions.contains(&format!("backend \"{backend}\"")), "{versions}");
    }
    let plan = "plan demo { cloud = azure  region = \"eastus\"  state { bucket = \"tfstate\" } }\n";
    assert!(codes(plan).contains(&"CAT508"), "azurerm needs the storage account: {:?}", codes(plan));
}

#[test]
fn every_tag_key_appears_once() {
    let plan = "plan demo { cloud = aws  region = \"us-east-1\"  tags { team = \"core\" } }\n\
                env prod { production = true  tags { environment = \"production\" } }\n\
                bucket assets { }\n";
    let files = build(plan);
    let providers = &files["prod/terraform/providers.tf"];
    assert_eq!(providers.matches("environment =").count(), 1, "{providers}");
    assert!(providers.contains("environment = \"production\""), "the author's tag wins: {providers}");
    let plan = "plan demo { cloud = azure  region = \"eastus\"  tags { environment = \"x\" } }\nbucket assets { }\n";
    let tf = terraform(&build(plan), "default");
    let account = resource(&tf, "azurerm_storage_account", "assets");
    assert_eq!(account.matches("environment").count(), 1, "{account}");
}

#[test]
fn gcp_private_databases_and_caches_get_private_services_access() {
    let plan = format!(
        "{GCP}database orders {{ engine = postgres  version = \"16\"  tier = \"db-custom-2-7680\"  network = main }}\n\
         cache sessions {{ engine = redis  memory = 5Gi  network = main }}\n"
    );
    let tf = terraform(&build(&plan), "default");
    let address = resource(&tf, "google_compute_global_address", "main_private_services");
    assert!(address.contains("purpose       = \"VPC_PEERING\""), "{address}");
    resource(&tf, "google_service_networking_connection", "main_private_services");
    assert_eq!(tf.matches("resource \"google_service_networking_connection\"").count(), 1, "one per network");
    for (kind, name) in [("google_sql_database_instance", "orders"), ("google_redis_instance", "sessions")] {
        let block = squash(resource(&tf, kind, name));
        assert!(block.contains("depends_on = [google_service_networking_connection.main_private_services]"), "{block}");
    }
}

/// A plan with every resource kind, in the variants that select different resources.
fn kitchen_sink(cloud: &str) -> String {
    let (region, node, db_tier, cache, vm, image) = match cloud {
        "aws" => (
            "us-east-1",
            "m6i.large",
            "db.t4g.micro",
            "tier = \"cache.t4g.micro\"",
            "m6i.large",
            "ami-0123456789abcdef0",
        ),
        "azure" => (
            "eastus",
            "Standard_D4s_v5",
            "GP_Standard_D2ds_v5",
            "tier = \"Standard_C3\"  nodes = 2",
            "Standard_D4s_v5",
            "Canonical:ubuntu-24_04-lts:server:latest",
        ),
        _ => (
            "us-central1",
            "e2-standard-4",
            "db-custom-2-7680",
            "memory = 5Gi",
            "e2-standard-4",
            "debian-cloud/debian-12",
        ),
    };
    let mongo_tier = match cloud {
        "aws" => "db.t3.medium",
        _ => "",
    };
    let mut plan = format!(
        r#"plan sink {{ cloud = {cloud}  region = "{region}" }}
network main {{
  cidr = "10.0.0.0/16"  zones = 2
  allow office-ssh {{ from = ["203.0.113.0/24"]  to = single  ports = [22] }}
  allow partners {{ from = ["198.51.100.0/24"]  to = apps  ports = [443] }}
  deny known-bad {{ from = ["192.0.2.0/24"] }}
}}
cluster apps {{
  version = "1.35"  network = main
  node_pool general {{ size = "{node}"  nodes = 2..4 }}
  node_pool batch {{ size = "{node}"  nodes = 0..3  spot = true }}
}}
service api {{ cluster = apps  image = "ghcr.io/acme/api:1.0.0"  port = 8080  health = "/healthz"  expose = internal }}
database orders {{ engine = postgres  version = "16"  tier = "{db_tier}"  network = main }}
cache sessions {{ engine = redis  {cache}  network = main }}
bucket assets {{ versioning = true  lifecycle {{ infrequent = 30d  expire = 365d }} }}
queue jobs {{ dead_letter = jobs-dlq  subscribe = [events] }}
queue jobs-dlq {{ retention = 7d }}
topic events {{ }}
function hook {{ runtime = python3.12  trigger = http }}
function worker-fn {{ runtime = python3.12  trigger = jobs }}
function nightly {{ runtime = python3.12  trigger = "0 3 * * *" }}
gateway edge {{ host = "api.sink.example"  waf = true  routes {{ "/" = api }} }}
cdn assets-cdn {{ origin = assets  waf = true  host = "cdn.sink.example" }}
vm single {{ size = "{vm}"  image = "{image}" }}
vm stateful {{ size = "{vm}"  image = "{image}"  count = 3  public_ip = true }}
vm pool {{ size = "{vm}"  image = "{image}"  count = 2..4 }}
registry images {{ keep_last = 20 }}
"#
    );
    match cloud {
        "aws" => plan.push_str("cache memo { engine = memcached  tier = \"cache.t4g.micro\"  network = main }\n"),
        "gcp" => plan.push_str("cache memo { engine = memcached  memory = 1Gi  network = main }\n"),
        _ => {}
    }
    if !mongo_tier.is_empty() {
        plan.push_str(&format!(
            "database docs {{ engine = mongodb  version = \"5.0\"  tier = \"{mongo_tier}\"  network = main }}\n"
        ));
    }
    plan
}

/// The resource types each block emitted, by (kind, name), read off the provenance comments.
fn emitted_types(tf: &str) -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut found: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut owner: Option<(String, String)> = None;
    for line in tf.lines() {
        if let Some(comment) = line.strip_prefix("# ") {
            owner = comment.split_once(" `").and_then(|(kind, rest)| {
                let (name, from) = rest.split_once('`')?;
                from.starts_with(" from ").then(|| (kind.to_string(), name.to_string()))
            });
            continue;
        }
        if let Some(rest) = line.strip_prefix("resource \"") {
            if let (Some(owner), Some((resource_type, _))) = (&owner, rest.split_once('"')) {
                found.entry(owner.clone()).or_default().insert(resource_type.to_string());
            }
        }
        if !line.starts_with(' ') && !line.starts_with('}') && !line.is_empty() {
            continue;
        }
        if line.is_empty() {
            owner = None;
        }
    }
    found
}

/// Mapped types the kitchen sink does not select, and why.
const CONDITIONAL: &[(&str, &str, &str, &str)] = &[
    ("database", "azure", "azurerm_mysql_flexible_server", "engine = mysql"),
    ("database", "azure", "azurerm_mssql_server", "engine = sqlserver"),
    ("database", "azure", "azurerm_mssql_database", "engine = sqlserver"),
    ("database", "azure", "azurerm_cosmosdb_account", "engine = mongodb"),
    ("database", "azure", "azurerm_cosmosdb_mongo_database", "engine = mongodb"),
    ("queue", "azure", "azurerm_servicebus_namespace", "one namespace per env, shared by every queue and topic"),
    ("topic", "azure", "azurerm_servicebus_namespace", "one namespace per env, shared by every queue and topic"),
];

#[test]
fn every_emitted_resource_type_is_in_the_catalogs_mapping_and_every_mapped_one_is_emitted() {
    let catalog = planc::catalog::Catalog::builtin();
    let mut problems = Vec::new();
    for cloud in ["aws", "azure", "gcp"] {
        let plan = kitchen_sink(cloud);
        let tf = terraform(&build(&plan), "default");
        let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for ((kind, name), types) in emitted_types(&tf) {
            let mapping = &catalog.kind(&kind).unwrap().mapping[cloud].terraform;
            for resource_type in types.iter().filter(|it| !mapping.contains(it)) {
                problems.push(format!(
                    "{kind} `{name}` on {cloud} emits {resource_type}, which catalog/kinds/{kind}.toml does not map"
                ));
            }
            seen.entry(kind).or_default().extend(types);
        }
        for (kind, types) in &seen {
            let mapping = &catalog.kind(kind).unwrap().mapping[cloud].terraform;
            let never: Vec<&String> = mapping
                .iter()
                .filter(|it| {
                    !types.contains(*it) && !CONDITIONAL.iter().any(|(k, c, t, _)| k == kind && *c == cloud && t == it)
                })
                .collect();
            if !never.is_empty() {
                problems.push(format!("catalog/kinds/{kind}.toml maps {never:?} on {cloud}, which no {kind} emitted"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The number in a cost line such as `2 × NAT gateway`.
fn line_count(cost: &planc::cost::ResourceCost, label_ends: &str) -> i64 {
    let line = cost.lines.iter().find(|it| it.label.ends_with(label_ends)).unwrap_or_else(|| panic!("{cost:#?}"));
    line.label.split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn cost_and_terraform_count_the_same_nat_gateways_instances_and_cache_nodes() {
    for (zones, single_nat, expected) in [(3, false, 3), (3, true, 1), (1, false, 1)] {
        let plan = format!(
            "plan demo {{ cloud = aws  region = \"us-east-1\" }}\nnetwork main {{ cidr = \"10.0.0.0/16\"  zones = {zones}  single_nat = {single_nat} }}\n\
             vm gitaly {{ size = \"m6i.large\"  image = \"ami-0123456789abcdef0\"  count = 3  network = main }}\n\
             cache sessions {{ engine = redis  tier = \"cache.t4g.micro\"  nodes = 3  network = main }}\n"
        );
        let tf = terraform(&build(&plan), "default");
        let cost = plan_cost_of(&plan);
        let of = |name: &str| cost.envs[0].resources.iter().find(|it| it.name == name).unwrap();
        assert_eq!(tf.matches("resource \"aws_nat_gateway\"").count() as i64, expected);
        assert_eq!(line_count(of("main"), "NAT gateway"), expected);
        let instance = squash(resource(&tf, "aws_instance", "gitaly"));
        let instances = line_count(of("gitaly"), "m6i.large");
        let keys: Vec<String> = (1..=instances).map(|it| format!("\"{it}\"")).collect();
        assert!(instance.contains(&format!("for_each = toset([{}])", keys.join(", "))), "{instance}");
        let group = squash(resource(&tf, "aws_elasticache_replication_group", "sessions"));
        assert!(
            group.contains(&format!("num_cache_clusters = {}", line_count(of("sessions"), "cache.t4g.micro"))),
            "{group}"
        );
    }
}

#[test]
fn nat_without_a_public_subnet_is_an_error_not_a_priced_gateway_that_is_never_built() {
    let plan = "plan demo { cloud = aws  region = \"us-east-1\" }\n\
                network main { cidr = \"10.0.0.0/16\"  subnet app { cidr = \"10.0.1.0/24\"  tier = private } }\n";
    assert!(codes(plan).contains(&"CAT508"), "{:?}", codes(plan));
}

#[test]
fn depends_on_reaches_the_main_resource_and_joins_what_the_renderer_wrote() {
    let plan = format!(
        "{AWS}database orders {{ engine = postgres  version = \"16\"  tier = \"db.t4g.large\"  network = main }}\n\
         cache sessions {{ engine = redis  tier = \"cache.t4g.micro\"  network = main  depends_on = [orders] }}\n"
    );
    let tf = terraform(&build(&plan), "default");
    let group = squash(resource(&tf, "aws_elasticache_replication_group", "sessions"));
    assert!(group.contains("depends_on = [aws_db_instance.orders]"), "{group}");

    // GCP's Cloud SQL instance depends on the private services connection already.
    let plan = format!(
        "{GCP}bucket exports {{ }}\n\
         database orders {{ engine = postgres  version = \"16\"  tier = \"db-custom-2-7680\"  network = main  depends_on = [exports] }}\n"
    );
    let tf = terraform(&build(&plan), "default");
    let instance = squash(resource(&tf, "google_sql_database_instance", "orders"));
    assert!(
        instance.contains(
            "depends_on = [google_service_networking_connection.main_private_services, google_storage_bucket.exports]"
        ),
        "{instance}"
    );
}

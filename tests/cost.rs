//! The cost model against arithmetic done by hand from the price tables, one plan per cloud;
//! `--compare` on all three clouds; budgets failing and warning through `planc check`.

mod common;

use common::*;
use planc::catalog::pricing::PriceBook;
use planc::cost::Money;
use planc::db::{plan_cost, Database};

fn cost_of(plan: &str) -> planc::cost::PlanCost {
    let (db, workspace) = Database::with_files(vec![("main.plan".into(), plan.as_bytes().to_vec())]);
    plan_cost(&db, workspace)
}

fn dollars(text: &str) -> Money {
    Money::parse(text).unwrap()
}

/// The table entries the arithmetic below uses, so a change to the tables shows up here.
fn assert_price(cloud: &str, path: &[&str], expected: &str) {
    let prices = PriceBook::builtin().cloud(cloud).unwrap();
    assert_eq!(prices.price(path), Some(dollars(expected)), "{cloud} {path:?}");
}

fn assert_class(cloud: &str, table: &[&str], class: &str, hourly: &str, hourly_ha: Option<&str>) {
    let priced = PriceBook::builtin().cloud(cloud).unwrap().class(table, class).unwrap();
    assert_eq!(priced.hourly, dollars(hourly), "{cloud} {class}");
    if let Some(hourly_ha) = hourly_ha {
        assert_eq!(priced.hourly_ha, Some(dollars(hourly_ha)), "{cloud} {class} with HA");
    }
}

fn resource<'a>(cost: &'a planc::cost::PlanCost, name: &str) -> &'a planc::cost::ResourceCost {
    cost.envs[0].resources.iter().find(|it| it.name == name).unwrap()
}

#[test]
fn aws_plan_matches_the_hand_computed_cost() {
    assert_class("aws", &["database", "postgres"], "db.r6g.large", "0.225", Some("0.450"));
    assert_price("aws", &["database_storage", "gb_month_ha"], "0.23");
    assert_price("aws", &["kubernetes", "control_plane_hourly"], "0.10");
    assert_class("aws", &["compute"], "m6i.large", "0.096", None);
    assert_price("aws", &["storage", "block_gb_month"], "0.08");
    let cost = cost_of(
        r#"plan shop { cloud = aws  region = "us-east-1" }
database orders { engine = postgres  version = "16"  tier = "db.r6g.large"  storage = 100GB  ha = true }
cluster apps { version = "1.34"  node_pool general { size = "m6i.large"  nodes = 2..4 } }
"#,
    );
    // Multi-AZ instance: 0.450 $/h × 730 h = $328.50; Multi-AZ storage: 100 GB × $0.23 = $23.00.
    let database = resource(&cost, "orders");
    assert_eq!((database.low, database.high), (dollars("351.50"), dollars("351.50")));
    // Control plane: 0.10 × 730 = $73.00. One node: 0.096 × 730 = $70.08, plus its 100 GB
    // disk at $0.08 = $8.00, so $78.08; 2 nodes $156.16, 4 nodes $312.32.
    let cluster = resource(&cost, "apps");
    assert_eq!((cluster.low, cluster.high), (dollars("229.16"), dollars("385.32")));
    assert_eq!((cost.envs[0].low, cost.envs[0].high), (dollars("580.66"), dollars("736.82")));
}

#[test]
fn azure_plan_matches_the_hand_computed_cost() {
    assert_class("azure", &["compute"], "Standard_D2s_v5", "0.096", None);
    assert_price("azure", &["storage", "block_gb_month"], "0.154");
    assert_class("azure", &["database", "postgres"], "GP_Standard_D2ds_v5", "0.178", Some("0.356"));
    assert_price("azure", &["database_storage", "gb_month"], "0.115");
    let cost = cost_of(
        r#"plan pay { cloud = azure  region = "eastus" }
vm batch { size = "Standard_D2s_v5"  image = "Canonical:ubuntu-24_04-lts:server:latest"  count = 1..3  disk = 64GB }
database ledger { engine = postgres  version = "16"  tier = "GP_Standard_D2ds_v5"  storage = 128GB }
"#,
    );
    // One VM: 0.096 × 730 = $70.08, plus 64 GB × $0.154 = $9.856; 1 VM $79.94, 3 VMs $239.81.
    let vm = resource(&cost, "batch");
    assert_eq!((vm.low, vm.high), (dollars("79.936"), dollars("239.808")));
    // Single-zone server: 0.178 × 730 = $129.94; storage 128 GB × $0.115 = $14.72.
    let database = resource(&cost, "ledger");
    assert_eq!(database.high, dollars("144.66"));
}

#[test]
fn gcp_plan_matches_the_hand_computed_cost() {
    assert_class("gcp", &["compute"], "e2-standard-2", "0.06701142", None);
    assert_price("gcp", &["database_unit", "postgres", "vcpu_hourly"], "0.0413");
    assert_price("gcp", &["database_unit", "postgres", "memory_gib_hourly"], "0.007");
    assert_price("gcp", &["database_storage", "gb_month"], "0.17");
    let cost = cost_of(
        r#"plan iot { cloud = gcp  region = "us-central1" }
database devices { engine = postgres  version = "16"  tier = "db-custom-2-7680"  storage = 50GB }
"#,
    );
    // Custom tier: 2 vCPU × 0.0413 + 7.5 GiB × 0.007 = 0.1351 $/h; × 730 = $98.623.
    // Storage: 50 GB × $0.17 = $8.50. Total $107.123.
    let database = resource(&cost, "devices");
    assert_eq!(database.high, dollars("107.123"));
}

#[test]
fn unknown_tiers_are_never_free() {
    let checked = check_files(vec![(
        "main.plan".into(),
        br#"plan shop { cloud = aws  region = "us-east-1" }
database orders { engine = postgres  version = "16"  tier = "db.r6g.lage" }
"#
        .to_vec(),
    )]);
    assert_eq!(checked.codes(), ["CAT501"], "{}", checked.rendered());
    assert!(
        checked.rendered().contains("db.r6g.large"),
        "the nearest known tier is suggested:\n{}",
        checked.rendered()
    );
    let cost = cost_of("plan shop { cloud = aws  region = \"us-east-1\" }\ndatabase orders { engine = postgres  version = \"16\"  tier = \"db.r6g.lage\" }\n");
    assert!(!resource(&cost, "orders").unknown.is_empty());
}

#[test]
fn compare_prices_the_same_plan_on_all_three_clouds() {
    let output = planc()
        .args(["cost", "--compare", "aws,azure,gcp", "--format", "json"])
        .arg(repo_root().join("examples/shop"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let clouds: Vec<&str> = json["clouds"].as_array().unwrap().iter().map(|it| it["cloud"].as_str().unwrap()).collect();
    assert_eq!(clouds, ["aws", "azure", "gcp"]);
    for cloud in json["clouds"].as_array().unwrap() {
        let high: f64 = cloud["high"].as_str().unwrap().parse().unwrap();
        assert!(high > 1000.0, "{cloud}");
    }
    // A cheapest cloud is named exactly when every total is complete.
    let complete = json["clouds"].as_array().unwrap().iter().all(|it| it["complete"] == true);
    match json["cheapest"].as_str() {
        Some(cheapest) => assert!(complete && clouds.contains(&cheapest), "{json}"),
        None => assert!(!complete, "{json}"),
    }
}

#[test]
fn budgets_fail_at_the_low_end_and_warn_at_the_high_end() {
    // One t3.micro: 0.0104 × 730 = $7.592 a month; 1..10 of them: $7.59..$75.92.
    let plan = |budget: &str| {
        format!(
            "plan demo {{ cloud = aws  region = \"us-east-1\" }}\nenv dev {{ budget = {budget} }}\nvm box {{ size = \"t3.micro\"  image = \"ami-0abcdef1234567890\"  count = 1..10  disk = 8GB }}\n"
        )
    };
    let over = tempdir("budget-over", &plan("$5/mo"));
    let output = planc().arg("check").arg(&over).args(["--color", "never"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("[COST301]"));

    let at_risk = tempdir("budget-risk", &plan("$50/mo"));
    let output = planc().arg("check").arg(&at_risk).args(["--color", "never"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("[COST302]") && stdout.contains("vm `box`"), "the top cost driver is named:\n{stdout}");
    let output = planc().arg("check").arg(&at_risk).arg("--deny-warnings").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
}

fn tempdir(name: &str, plan: &str) -> TempDir {
    let dir = TempDir::new(&format!("planc-cost-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("main.plan"), plan).unwrap();
    dir
}

#[test]
fn diff_reports_what_a_change_costs() {
    let base = tempdir("diff-base", "plan demo { cloud = aws  region = \"us-east-1\" }\nvm box { size = \"t3.micro\"  image = \"ami-0abcdef1234567890\"  disk = 8GB }\n");
    let head = tempdir("diff-head", "plan demo { cloud = aws  region = \"us-east-1\" }\nvm box { size = \"t3.small\"  image = \"ami-0abcdef1234567890\"  disk = 8GB }\n");
    let output = planc().arg("cost").arg(&head).arg("--diff").arg(&base).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0));
    // t3.micro 0.0104 × 730 = $7.59 (+ 8 GB × $0.08 = $0.64); t3.small 0.0208 × 730 = $15.18.
    assert!(stdout.contains("| `default` | vm `box` | $8.23 | $15.82 | +$7.59 |"), "{stdout}");
}

#[test]
fn read_replicas_are_priced_single_az_with_their_own_storage() {
    assert_class("aws", &["database", "postgres"], "db.r6g.large", "0.225", Some("0.450"));
    assert_price("aws", &["database_storage", "gb_month"], "0.115");
    assert_price("aws", &["database_storage", "gb_month_ha"], "0.23");
    let cost = cost_of(
        r#"plan demo { cloud = aws  region = "us-east-1" }
database orders { engine = postgres  version = "16"  tier = "db.r6g.large"  storage = 100GB  ha = true  read_replicas = 2 }
"#,
    );
    let orders = resource(&cost, "orders");
    // Primary with standby: 0.450 × 730 = 328.50; two single-AZ replicas: 2 × 0.225 × 730 = 328.50;
    // storage: 100 GB at the Multi-AZ 0.23 = 23.00, and 2 × 100 GB at the single-AZ 0.115 = 23.00.
    let expected = dollars("328.50") + dollars("328.50") + dollars("23.00") + dollars("23.00");
    assert_eq!((orders.low, orders.high), (expected, expected), "{:#?}", orders.lines);
    assert!(orders.lines.iter().any(|it| it.label == "100 GB storage × 2 read replicas"), "{:#?}", orders.lines);
}

#[test]
fn a_gke_cluster_is_never_charged_or_labelled_as_extended_support() {
    let cost = cost_of(
        r#"plan demo { cloud = gcp  region = "us-central1" }
network main { cidr = "10.0.0.0/16" }
cluster apps { version = "1.30"  network = main  node_pool general { size = "e2-standard-4"  nodes = 1 } }
"#,
    );
    let apps = resource(&cost, "apps");
    assert!(apps.lines.iter().any(|it| it.label == "control plane"), "{:#?}", apps.lines);
    assert!(!apps.lines.iter().any(|it| it.label.contains("extended")), "{:#?}", apps.lines);
}

#[test]
fn compare_names_no_cheapest_cloud_when_a_total_is_incomplete() {
    // A DocumentDB cluster has no equivalent priced on azure or gcp here.
    let dir = tempdir(
        "compare-incomplete",
        r#"plan demo { cloud = aws  region = "us-east-1" }
network main { cidr = "10.0.0.0/16" }
database docs { engine = mongodb  version = "8.0"  tier = "db.r5.large"  network = main }
bucket assets { }
"#,
    );
    let output = planc().args(["cost", "--compare", "aws,azure,gcp"]).arg(&dir).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    insta::assert_snapshot!("compare_incomplete", text);
    assert!(!text.contains("Cheapest:"), "{text}");
    let output = planc().args(["cost", "--compare", "aws,azure,gcp", "--format", "json"]).arg(&dir).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["cheapest"], serde_json::Value::Null);
    let complete: Vec<bool> =
        json["clouds"].as_array().unwrap().iter().map(|it| it["complete"].as_bool().unwrap()).collect();
    assert_eq!(complete, [true, false, false]);
}

#[test]
fn machines_outside_the_main_region_are_priced_at_that_regions_own_rate() {
    // The generated Azure table lists Standard_D4s_v5 at 0.23/h in westeurope; the multiplier
    // estimate would be 0.192 × 1.152.
    let prices = PriceBook::builtin().cloud("azure").unwrap();
    assert_eq!(prices.compute_hourly_in("Standard_D4s_v5", "westeurope"), Some(dollars("0.23")));
    assert_eq!(prices.compute_hourly_in("Standard_D4s_v5", "eastus"), Some(dollars("0.192")));
    let cost = cost_of(
        r#"plan demo { cloud = azure  region = "westeurope" }
network main { cidr = "10.0.0.0/16" }
vm box { size = "Standard_D4s_v5"  image = "Canonical:ubuntu-24_04-lts:server:latest"  network = main }
"#,
    );
    let vm = resource(&cost, "box");
    let line = vm.lines.iter().find(|it| it.label == "1 × Standard_D4s_v5").unwrap();
    assert_eq!(line.low, dollars("167.90"), "0.23 × 730");
    assert!(vm.notes.iter().any(|it| it.contains("westeurope's own rate")), "{:?}", vm.notes);
    // gcp: n2-standard-4 in europe-west1 from the table, not us-central1's price.
    let gcp = PriceBook::builtin().cloud("gcp").unwrap();
    let (central, europe) = (
        gcp.compute_hourly_in("n2-standard-4", "us-central1").unwrap(),
        gcp.compute_hourly_in("n2-standard-4", "europe-west1").unwrap(),
    );
    assert!(europe > central, "{europe} vs {central}");
}

#[test]
fn cloud_sql_legacy_machine_types_are_priced_per_vcpu_and_memory() {
    // Cloud SQL charges dedicated-core instances per vCPU and GiB, whatever the type is called.
    assert_class("gcp", &["database", "postgres"], "db-n1-standard-2", "0.1351", Some("0.2702"));
    assert_class("gcp", &["database", "mysql"], "db-n1-highmem-4", "0.3472", Some("0.6944"));
    let plan = "plan demo { cloud = gcp  region = \"us-central1\" }\nnetwork main { cidr = \"10.0.0.0/16\" }\n\
                database orders { engine = postgres  version = \"16\"  tier = \"db-n1-standard-2\"  storage = 100GB  network = main }\n";
    let cost = cost_of(plan);
    assert!(resource(&cost, "orders").unknown.is_empty(), "{:?}", resource(&cost, "orders"));
}

/// A plan with monitoring on `cloud`: a database alert and 50 GB of logs kept 90 days.
fn monitored(cloud: &str, region: &str, tier: &str) -> String {
    format!(
        r#"plan shop {{ cloud = {cloud}  region = "{region}" }}
database orders {{ engine = postgres  version = "16"  tier = "{tier}" }}
monitoring {{
  logs {{ retention = 90d  volume = 50GB }}
  notify oncall {{ email = ["oncall@shop.example"] }}
}}
alert orders-cpu {{ on = orders  metric = cpu  above = 80%  for = 15min  notify = [oncall] }}
"#
    )
}

#[test]
fn alarms_and_logs_match_the_hand_computed_cost() {
    assert_price("aws", &["monitoring", "alarm_month"], "0.10");
    assert_price("aws", &["monitoring", "log_ingest_gb"], "0.50");
    assert_price("aws", &["monitoring", "log_storage_gb_month"], "0.03");
    let cost = cost_of(&monitored("aws", "us-east-1", "db.r6g.large"));
    // One alarm metric: $0.10.
    assert_eq!(resource(&cost, "orders-cpu").high, dollars("0.10"));
    // Ingestion 50 GB × $0.50 = $25.00; storage from day one: 90 days hold 3 months of 50 GB,
    // 150 GB × $0.03 = $4.50.
    assert_eq!(resource(&cost, "monitoring").high, dollars("29.50"));

    assert_price("azure", &["monitoring", "alarm_month"], "0.10");
    assert_price("azure", &["monitoring", "log_ingest_gb"], "2.30");
    assert_price("azure", &["monitoring", "log_storage_gb_month"], "0.10");
    let cost = cost_of(&monitored("azure", "eastus", "GP_Standard_D2ds_v5"));
    assert_eq!(resource(&cost, "orders-cpu").high, dollars("0.10"));
    // 50 GB × $2.30 = $115.00; 31 days are included, the other 59 days hold 59/30 × 50 GB =
    // 98.333 GB × $0.10 = $9.83 (to the cent).
    let monitoring = resource(&cost, "monitoring");
    assert_eq!(monitoring.high.cents(), 12483);

    assert_price("gcp", &["monitoring", "log_ingest_gb"], "0.50");
    assert_price("gcp", &["monitoring", "log_storage_gb_month"], "0.01");
    let cost = cost_of(&monitored("gcp", "us-central1", "db-custom-2-7680"));
    // Google bills per GiB: 50 GB = 46.566 GiB × $0.50 = $23.283; 60 days beyond the 30
    // included hold 2 × 46.566 GiB × $0.01 = $0.931; $24.21 to the cent.
    assert_eq!(resource(&cost, "monitoring").high.cents(), 2421);
    // Google has not confirmed an alerting price: the alert is listed as not priced, never $0.
    let alert = resource(&cost, "orders-cpu");
    assert!(alert.partial.iter().any(|it| it.contains("no confirmed alerting price")), "{alert:?}");
}

#[test]
fn slo_and_prometheus_rules_are_priced_by_what_evaluates_them() {
    let cost = cost_of(
        r#"plan shop { cloud = aws  region = "us-east-1" }
cluster apps { version = "1.34"  node_pool general { size = "m6i.large"  nodes = 2 } }
service api { cluster = apps  image = "ghcr.io/acme/api:1.0.0"  port = 8080  expose = internal }
gateway edge { host = "api.shop.example"  routes { "/" = api } }
monitoring { metrics = both  notify pager { email = ["pager@shop.example"] } }
slo edge-up { on = edge  objective = 99.9%  notify = [pager] }
slo api-up { on = api  objective = 99.9%  notify = [pager] }
"#,
    );
    // Two metric-math alarms of two metrics each: 4 × $0.10.
    assert_eq!(resource(&cost, "edge-up").high, dollars("0.40"));
    let rules = resource(&cost, "api-up");
    assert_eq!(rules.high, dollars("0"));
    assert!(rules.lines.iter().any(|it| it.label.contains("Prometheus")), "{rules:?}");
}

#[test]
fn a_dr_replica_is_priced_at_its_regions_rate_and_shown_as_the_dr_share() {
    assert_class("aws", &["database", "postgres"], "db.r6g.large", "0.225", None);
    assert_price("aws", &["database_storage", "gb_month"], "0.115");
    let cost = cost_of(
        r#"plan shop { cloud = aws  region = "us-east-1"  dr { region = "eu-west-1"  rpo = 15min  rto = 1h  strategy = warm_standby } }
database orders {
  engine = postgres  version = "16"  tier = "db.r6g.large"  storage = 100GB
  replica dr { region = "eu-west-1" }
}
"#,
    );
    // Primary: 0.225 × 730 = $164.25 and 100 GB × $0.115 = $11.50. The replica in eu-west-1
    // at the documented ×1.096: 0.225 × 1.096 = 0.2466 $/h × 730 = $180.018, and its storage
    // 100 GB × $0.115 × 1.096 = $12.604; the DR share is $192.622, $192.62 to the cent.
    let database = resource(&cost, "orders");
    assert_eq!(database.high.cents(), 16425 + 1150 + 19262);
    assert_eq!(planc::cost::report::dr_share(&cost.envs[0]).cents(), 19262);
}

#[test]
fn containers_are_priced_per_vcpu_and_memory_on_each_platform() {
    let container = |cloud: &str, region: &str, cpu: &str, memory: &str, replicas: &str| {
        cost_of(&format!(
            "plan shop {{ cloud = {cloud}  region = \"{region}\" }}\ncontainer app {{ image = \"ghcr.io/acme/app:1.0.0\"  cpu = {cpu}  memory = {memory}  replicas = {replicas} }}\n"
        ))
    };
    assert_price("aws", &["containers", "vcpu_hour"], "0.04048");
    assert_price("aws", &["containers", "gb_hour"], "0.004445");
    // Fargate: 0.5 × 0.04048 × 730 = $14.7752 and 1 × 0.004445 × 730 = $3.24485 a replica,
    // $18.02005; two replicas $36.0401.
    let cost = container("aws", "us-east-1", "500m", "1Gi", "2");
    assert_eq!(resource(&cost, "app").high.cents(), 3604);
    assert_price("azure", &["containers", "vcpu_second"], "0.000024");
    assert_price("azure", &["containers", "gib_second"], "0.000003");
    // Container Apps, active all month (2,628,000 s): 0.5 × 0.000024 + 1 × 0.000003 =
    // 0.000015 $/s, $39.42.
    let cost = container("azure", "eastus", "500m", "1Gi", "1");
    assert_eq!(resource(&cost, "app").high.cents(), 3942);
    assert_price("gcp", &["containers", "vcpu_second_always_on"], "0.000018");
    assert_price("gcp", &["containers", "gib_second_always_on"], "0.000002");
    // Cloud Run with CPU always allocated: 1 × 0.000018 + 0.5 × 0.000002 = 0.000019 $/s,
    // $49.932 a month; one to three instances.
    let cost = container("gcp", "us-central1", "1", "512Mi", "1..3");
    let app = resource(&cost, "app");
    assert_eq!((app.low.cents(), app.high.cents()), (4993, 14980));
}

#[test]
fn published_elasticache_nodes_check_clean_with_a_price() {
    // Issue 11: node types added from dated public tables (see the [cache.*] comments in
    // stdlib/pricing/aws.toml). Redis OSS and Memcached nodes cost the same. The issue's other
    // two names, DocumentDB db.r6g.large and Azure Standard_C1, have no dated price yet and
    // stay unpriced (their table comments say why).
    let published = [
        ("cache.m5.large", "0.156", "227.76"),
        ("cache.m5.2xlarge", "0.623", "909.58"),
        ("cache.m6g.xlarge", "0.297", "433.62"),
        ("cache.m7g.large", "0.158", "230.68"),
        ("cache.m7g.2xlarge", "0.629", "918.34"),
        ("cache.r5.large", "0.216", "315.36"),
        ("cache.r5.xlarge", "0.431", "629.26"),
        ("cache.m6g.large", "0.149", "217.54"),
        ("cache.r6g.4xlarge", "1.642", "2397.32"),
        ("cache.r7g.large", "0.219", "319.74"),
        ("cache.r7g.2xlarge", "0.873", "1274.58"),
    ];
    for (tier, hourly, two_nodes_a_month) in published {
        for engine in ["redis", "memcached"] {
            assert_class("aws", &["cache", engine], tier, hourly, None);
            let plan = format!(
                "plan demo {{ cloud = aws  region = \"us-east-1\" }}\n\
                 network main {{ cidr = \"10.0.0.0/16\"  zones = 2 }}\n\
                 cache sessions {{ engine = {engine}  tier = \"{tier}\"  nodes = 2  network = main }}\n"
            );
            let checked = check_files(vec![("main.plan".into(), plan.as_bytes().to_vec())]);
            assert!(checked.diagnostics.is_empty(), "{engine} {tier} must check clean:\n{}", checked.rendered());
            let cost = cost_of(&plan);
            let sessions = resource(&cost, "sessions");
            assert!(sessions.unknown.is_empty(), "{engine} {tier}: {:?}", sessions.unknown);
            assert_eq!(sessions.low, dollars(two_nodes_a_month), "{engine} {tier}: 2 × {hourly} × 730");
        }
    }
}

#[test]
fn rds_postgres_graviton_classes_are_priced_and_another_engine_s_class_is_real_but_unpriced() {
    // From the dated RDS for PostgreSQL table cited in stdlib/pricing/aws.toml; Multi-AZ is
    // twice the Single-AZ rate.
    let published =
        [("db.m7g.large", "0.168"), ("db.r7g.large", "0.239"), ("db.r7g.4xlarge", "1.913"), ("db.t4g.xlarge", "0.258")];
    for (tier, hourly) in published {
        assert_class("aws", &["database", "postgres"], tier, hourly, None);
    }
    let plan = |engine: &str, version: &str| {
        format!(
            "plan demo {{ cloud = aws  region = \"us-east-1\" }}\n\
             database orders {{ engine = {engine}  version = \"{version}\"  tier = \"db.m7g.large\"  storage = 20GB }}\n"
        )
    };
    let postgres = plan("postgres", "16");
    let checked = check_files(vec![("main.plan".into(), postgres.as_bytes().to_vec())]);
    assert!(checked.diagnostics.is_empty(), "{}", checked.rendered());
    // 0.168 × 730 + 20 GB × 0.115.
    assert_eq!(resource(&cost_of(&postgres), "orders").low, dollars("124.94"));

    // The same class for MySQL is a real RDS class without a dated MySQL price: a warning
    // that says so, never "unknown tier" and never $0.
    let mysql = plan("mysql", "8.0");
    let checked = check_files(vec![("main.plan".into(), mysql.as_bytes().to_vec())]);
    let codes: Vec<&str> = checked.diagnostics.iter().map(|it| it.code).collect();
    assert_eq!(codes, ["COST304"], "{}", checked.rendered());
    assert!(checked.rendered().contains("real database class on aws; the tables price it for postgres"));
    assert!(!resource(&cost_of(&mysql), "orders").unknown.is_empty());
}

//! GCP resources: VPC network with Cloud NAT, GKE, Cloud SQL, Memorystore, Cloud Storage,
//! Pub/Sub, Cloud Run functions, an external HTTPS load balancer with Cloud Armor, Cloud CDN,
//! Compute Engine and Artifact Registry, encrypted with a Cloud KMS key per environment.

use super::hcl::{Block, Expr};
use super::Tf;
use crate::ir::{EnvAttrs, Value, ValueKind};
use crate::{dns_name, duration_seconds, field, get_bool, get_int, get_ref, get_str, size_gb, tf_name, Located};

const KEY: &str = "google_kms_crypto_key.main.id";

pub fn database_port(engine: &str) -> i64 {
    match engine {
        "mysql" | "mariadb" => 3306,
        "sqlserver" => 1433,
        _ => 5432,
    }
}

/// GCP label keys and values: lowercase letters, digits, `_` and `-`, at most 63 characters.
pub fn label(text: &str) -> String {
    text.chars()
        .map(|ch| if ch.is_ascii_alphanumeric() || ch == '_' || ch == '-' { ch.to_ascii_lowercase() } else { '_' })
        .take(63)
        .collect()
}

fn labels(tf: &Tf<'_>, attrs: &EnvAttrs<'_>, located: &Located<'_>) -> Expr {
    Expr::Object(
        tf.own_tags(attrs, located).into_iter().map(|(key, value)| (label(&key), Expr::Str(label(&value)))).collect(),
    )
}

/// A block's own labels (its tags and `plan-resource`) as entries, for resources that take
/// user labels rather than the provider's default labels (alert policies).
fn own_labels(tf: &Tf<'_>, attrs: &EnvAttrs<'_>, located: &Located<'_>) -> Vec<(String, Expr)> {
    match labels(tf, attrs, located) {
        Expr::Object(entries) => entries,
        _ => Vec::new(),
    }
}

fn region(tf: &Tf<'_>, attrs: &EnvAttrs<'_>) -> String {
    get_str(attrs, "region")
        .map(String::from)
        .or_else(|| tf.env.region.clone())
        .or_else(|| tf.ctx.facts.region.clone())
        .unwrap_or_else(|| "us-central1".into())
}

fn foundation(tf: &mut Tf<'_>) {
    if tf.files.get("security.tf").is_some_and(|it| !it.is_empty()) {
        return;
    }
    tf.variables.entry("gcp_project".into()).or_insert_with(|| {
        Block::new("variable", &["gcp_project"])
            .attr("description", "The GCP project to create the plan in.")
            .raw("type", "string")
    });
    let name = format!("{}-{}", tf.ctx.plan_name(), tf.env.name);
    tf.add_plain(
        "security.tf",
        vec!["Credentials of the caller, for the Kubernetes provider.".into()],
        Block::new("data", &["google_client_config", "current"]),
    );
    tf.add_plain(
        "security.tf",
        vec!["The project's number, for service agents.".into()],
        Block::new("data", &["google_project", "current"]),
    );
    tf.add_plain(
        "security.tf",
        vec![format!("The customer-managed key that encrypts every resource of `{}`.", tf.env.name)],
        Block::resource("google_kms_key_ring", "main").attr("name", name.clone()).attr(
            "location",
            tf.env.region.clone().or_else(|| tf.ctx.facts.region.clone()).unwrap_or_else(|| "us-central1".into()),
        ),
    );
    tf.add_plain(
        "security.tf",
        Vec::new(),
        Block::resource("google_kms_crypto_key", "main")
            .attr("name", name)
            .raw("key_ring", "google_kms_key_ring.main.id")
            .attr("rotation_period", "7776000s")
            .block(Block::new("lifecycle", &[]).attr("prevent_destroy", true)),
    );
}

/// How each kind is built on gcp: the provider table `terraform::emit` dispatches on.
pub const PROVIDER: super::Provider = super::Provider {
    foundation,
    kinds: &[
        ("network", network),
        ("cluster", cluster),
        ("database", database),
        ("cache", cache),
        ("bucket", bucket),
        ("queue", messaging),
        ("topic", messaging),
        ("function", function),
        ("gateway", gateway),
        ("cdn", cdn),
        ("vm", vm),
        ("registry", registry),
        ("monitoring", monitoring),
        ("alert", alert),
        ("slo", slo),
        ("dns", dns),
        ("container", container),
    ],
};

/// The Persistent Disk type of a `disk`: pd-balanced unless written otherwise.
fn disk_type(disk: &crate::deploy::Disk) -> &'static str {
    match disk.kind.as_deref() {
        Some("ssd") => "pd-ssd",
        Some("hdd") => "pd-standard",
        _ => "pd-balanced",
    }
}

fn subnets(tf: &Tf<'_>, network: &str) -> Vec<super::Subnet> {
    tf.subnets(network, "gcp")
}

fn subnet_ref(tf: &Tf<'_>, network: Option<&str>) -> Option<String> {
    let network = network?;
    let all = subnets(tf, network);
    let chosen = all.iter().find(|it| it.tier == "private").or(all.first())?;
    Some(format!("google_compute_subnetwork.{}.id", chosen.id))
}

/// The range of the subnet a block of `kind` is placed in (the first of its tiers).
fn tier_range(tf: &Tf<'_>, network: &str, kind: &str) -> Option<Expr> {
    let tiers = super::target_tiers("gcp", kind)?;
    let all = subnets(tf, network);
    let subnet = tiers.iter().find_map(|tier| all.iter().find(|it| it.tier == *tier)).or(all.first())?;
    Some(Expr::raw(format!("google_compute_subnetwork.{}.ip_cidr_range", subnet.id)))
}

/// The network's `deny` rules (priority 900, before the internal allow rule) and `allow` rules
/// (priority 1000) as firewall rules; an allow rule reaches the subnet its target is placed in.
fn network_rules(tf: &mut Tf<'_>, located: &Located<'_>) {
    let network = located.name();
    let id = tf_name(network);
    let name = tf.cloud_name(network);
    let traffic = |kind: &str, protocol: &str, ports: &[crate::deploy::Ports]| {
        let protocol = if protocol == "all" { "all" } else { protocol };
        let texts = super::port_texts(ports);
        Block::new(kind, &[]).attr("protocol", protocol).attr_if(
            !texts.is_empty() && matches!(protocol, "tcp" | "udp"),
            "ports",
            Expr::strs(texts),
        )
    };
    for deny in crate::deploy::denies(std::iter::once(located.block), &tf.env.name) {
        let rule = tf_name(&deny.name);
        tf.add(
            "network.tf",
            located,
            Block::resource("google_compute_firewall", &format!("{id}_deny_{rule}"))
                .attr("name", dns_name(&format!("{name}-deny-{}", deny.name)))
                .raw("network", format!("google_compute_network.{id}.id"))
                .attr("direction", "INGRESS")
                .attr("priority", 900)
                .attr("source_ranges", Expr::strs(deny.from.clone()))
                .block(traffic("deny", &deny.protocol, &deny.ports))
                .block(Block::new("log_config", &[]).attr("metadata", "INCLUDE_ALL_METADATA")),
        );
    }
    let rules: Vec<String> =
        located.block.children.iter().filter(|it| it.kind == "allow").filter_map(|it| it.name.clone()).collect();
    let flows: Vec<crate::deploy::Flow> =
        tf.flows.iter().filter(|it| it.rule.as_ref().is_some_and(|rule| rules.contains(rule))).cloned().collect();
    for (index, flow) in flows.iter().enumerate() {
        let Some(destination) = tier_range(tf, network, &flow.to_kind) else { continue };
        let source = match &flow.from {
            crate::deploy::Source::Cidr(cidr) => Expr::strs([cidr.clone()]),
            crate::deploy::Source::Internet => Expr::strs(["0.0.0.0/0"]),
            crate::deploy::Source::Block { kind, .. } => match tier_range(tf, network, super::placed_as(kind)) {
                Some(range) => Expr::List(vec![range]),
                None => continue,
            },
        };
        let rule = flow.rule.clone().unwrap_or_default();
        tf.add(
            "network.tf",
            located,
            Block::resource("google_compute_firewall", &format!("{id}_allow_{}_{index}", tf_name(&rule)))
                .attr("name", dns_name(&format!("{name}-allow-{rule}-{index}")))
                .raw("network", format!("google_compute_network.{id}.id"))
                .attr("direction", "INGRESS")
                .attr("priority", 1000)
                .attr("source_ranges", source)
                .attr("destination_ranges", Expr::List(vec![destination]))
                .block(traffic("allow", &flow.protocol, flow.ports.as_deref().unwrap_or_default()))
                .block(Block::new("log_config", &[]).attr("metadata", "INCLUDE_ALL_METADATA")),
        );
    }
}

fn network(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let cidr = get_str(attrs, "cidr").unwrap_or("10.0.0.0/16").to_string();
    let region = region(tf, attrs);
    tf.add(
        "network.tf",
        located,
        Block::resource("google_compute_network", &id)
            .attr("name", name.clone())
            .attr("auto_create_subnetworks", false)
            .attr("routing_mode", "REGIONAL"),
    );
    let flow_logs = get_bool(attrs, "flow_logs").unwrap_or(true);
    for (index, subnet) in subnets(tf, located.name()).iter().enumerate() {
        let range = match &subnet.cidr {
            Some(cidr) => Expr::str(cidr.clone()),
            None => Expr::raw(format!("cidrsubnet(\"{cidr}\", 4, {index})")),
        };
        let mut block = Block::resource("google_compute_subnetwork", &subnet.id)
            .attr("name", dns_name(&subnet.id.replace('_', "-")))
            .attr("ip_cidr_range", range)
            .attr("region", region.clone())
            .raw("network", format!("google_compute_network.{id}.id"))
            .attr("private_ip_google_access", true);
        if flow_logs {
            block = block.block(
                Block::new("log_config", &[])
                    .attr("aggregation_interval", "INTERVAL_5_SEC")
                    .attr("flow_sampling", Expr::Float(0.5))
                    .attr("metadata", "INCLUDE_ALL_METADATA"),
            );
        }
        tf.add("network.tf", located, block);
    }
    tf.add(
        "network.tf",
        located,
        Block::resource("google_compute_firewall", &format!("{id}_deny_ingress"))
            .attr("name", format!("{name}-deny-ingress"))
            .raw("network", format!("google_compute_network.{id}.id"))
            .attr("direction", "INGRESS")
            .attr("priority", 65534)
            .attr("source_ranges", Expr::strs(["0.0.0.0/0"]))
            .block(Block::new("deny", &[]).attr("protocol", "all"))
            .block(Block::new("log_config", &[]).attr("metadata", "INCLUDE_ALL_METADATA")),
    );
    tf.add(
        "network.tf",
        located,
        Block::resource("google_compute_firewall", &format!("{id}_internal"))
            .attr("name", format!("{name}-internal"))
            .raw("network", format!("google_compute_network.{id}.id"))
            .attr("direction", "INGRESS")
            .attr("priority", 1000)
            .attr("source_ranges", Expr::strs([cidr.clone()]))
            .block(Block::new("allow", &[]).attr("protocol", "tcp"))
            .block(Block::new("log_config", &[]).attr("metadata", "INCLUDE_ALL_METADATA")),
    );
    network_rules(tf, located);
    if crate::deploy::wants_nat(attrs) {
        tf.add(
            "network.tf",
            located,
            Block::resource("google_compute_router", &id)
                .attr("name", name.clone())
                .attr("region", region.clone())
                .raw("network", format!("google_compute_network.{id}.id")),
        );
        tf.add(
            "network.tf",
            located,
            Block::resource("google_compute_router_nat", &id)
                .attr("name", name)
                .raw("router", format!("google_compute_router.{id}.name"))
                .attr("region", region)
                .attr("nat_ip_allocate_option", "AUTO_ONLY")
                .attr("source_subnetwork_ip_ranges_to_nat", "ALL_SUBNETWORKS_ALL_IP_RANGES")
                .block(Block::new("log_config", &[]).attr("enable", true).attr("filter", "ERRORS_ONLY")),
        );
    }
}

fn cluster(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let network = get_ref(attrs, "network").map(String::from);
    let region = region(tf, attrs);
    let private = get_bool(attrs, "private").unwrap_or(true);
    let mut block = Block::resource("google_container_cluster", &id)
        .attr("name", name.clone())
        .attr("location", region)
        .attr("remove_default_node_pool", true)
        .attr("initial_node_count", 1)
        .attr("min_master_version", get_str(attrs, "version").unwrap_or("1.34"))
        .attr("deletion_protection", true)
        .attr("enable_shielded_nodes", true)
        .attr("enable_intranode_visibility", true)
        .attr("networking_mode", "VPC_NATIVE")
        .block(Block::new("release_channel", &[]).attr("channel", "REGULAR"))
        .block(Block::new("ip_allocation_policy", &[]))
        .block(Block::new("network_policy", &[]).attr("enabled", true).attr("provider", "CALICO"))
        .block(Block::new("workload_identity_config", &[]).raw("workload_pool", "\"${var.gcp_project}.svc.id.goog\""))
        .block(Block::new("database_encryption", &[]).attr("state", "ENCRYPTED").raw("key_name", KEY))
        .block(
            Block::new("master_auth", &[])
                .block(Block::new("client_certificate_config", &[]).attr("issue_client_certificate", false)),
        )
        .block(
            Block::new("private_cluster_config", &[])
                .attr("enable_private_nodes", true)
                .attr("enable_private_endpoint", private)
                .attr("master_ipv4_cidr_block", "172.16.0.0/28"),
        )
        .block(Block::new("master_authorized_networks_config", &[]))
        .block(Block::new("binary_authorization", &[]).attr("evaluation_mode", "PROJECT_SINGLETON_POLICY_ENFORCE"))
        .attr("resource_labels", labels(tf, attrs, located));
    if let Some(network) = &network {
        block = block.raw("network", format!("google_compute_network.{}.id", tf_name(network)));
        if let Some(subnet) = subnet_ref(tf, Some(network)) {
            block = block.raw("subnetwork", subnet);
        }
    }
    tf.add("kubernetes.tf", located, block);
    for pool in crate::deploy::node_pools(located.block, &tf.env.name) {
        let mut node_config = Block::new("node_config", &[])
            .attr("machine_type", pool.class.clone())
            .attr("disk_size_gb", pool.disk_gb() as i64)
            .attr("disk_type", disk_type(&pool.disk))
            .attr("image_type", "COS_CONTAINERD")
            .attr("spot", pool.spot)
            .raw("boot_disk_kms_key", KEY)
            .attr("oauth_scopes", Expr::strs(["https://www.googleapis.com/auth/cloud-platform"]))
            .block(
                Block::new("shielded_instance_config", &[])
                    .attr("enable_secure_boot", true)
                    .attr("enable_integrity_monitoring", true),
            )
            .block(Block::new("workload_metadata_config", &[]).attr("mode", "GKE_METADATA"))
            .attr_if(!pool.labels.is_empty(), "labels", super::string_map(&pool.labels));
        for taint in &pool.taints {
            node_config = node_config.block(
                Block::new("taint", &[])
                    .attr("key", taint.key.clone())
                    .attr("value", taint.value.clone())
                    .attr("effect", taint.effect.api_enum()),
            );
        }
        // `nodes` counts nodes over all zones: the total_* limits, never the per-zone ones. A
        // fixed size is an autoscaler held at one total.
        tf.add(
            "kubernetes.tf",
            located,
            Block::resource("google_container_node_pool", &format!("{id}_{}", tf_name(&pool.name)))
                .attr("name", dns_name(&pool.provider_name))
                .raw("cluster", format!("google_container_cluster.{id}.id"))
                .block(
                    Block::new("autoscaling", &[])
                        .attr("total_min_node_count", pool.min)
                        .attr("total_max_node_count", pool.max)
                        .attr("location_policy", "BALANCED"),
                )
                .block(Block::new("management", &[]).attr("auto_repair", true).attr("auto_upgrade", true))
                .block(node_config)
                .block(Block::new("lifecycle", &[]).raw("ignore_changes", "[node_count]")),
        );
    }
}

/// Private services access on `network`, once: Cloud SQL and Memorystore reach a VPC through
/// a peering with Google's service network on a reserved range. Returns the connection's
/// address, for `depends_on` (the provider's documented order: the peering before the instance).
fn private_services_access(tf: &mut Tf<'_>, network: &str) -> String {
    let id = format!("{}_private_services", tf_name(network));
    let connection = format!("google_service_networking_connection.{id}");
    let exists = tf.files.get("network.tf").is_some_and(|file| {
        file.items.iter().any(|(_, block)| {
            block.labels.first().map(String::as_str) == Some("google_service_networking_connection")
                && block.labels.get(1) == Some(&id)
        })
    });
    if exists {
        return connection;
    }
    let network_id = format!("google_compute_network.{}.id", tf_name(network));
    tf.add_plain(
        "network.tf",
        vec![format!("Private services access on network `{network}`, for Cloud SQL and Memorystore.")],
        Block::resource("google_compute_global_address", &id)
            .attr("name", tf.cloud_name(&format!("{network}-private-services")))
            .attr("purpose", "VPC_PEERING")
            .attr("address_type", "INTERNAL")
            .attr("prefix_length", 16)
            .raw("network", network_id.clone()),
    );
    tf.add_plain(
        "network.tf",
        Vec::new(),
        Block::resource("google_service_networking_connection", &id)
            .raw("network", network_id)
            .attr("service", "servicenetworking.googleapis.com")
            .attr(
                "reserved_peering_ranges",
                Expr::List(vec![Expr::raw(format!("google_compute_global_address.{id}.name"))]),
            ),
    );
    connection
}

fn database(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let engine = get_str(attrs, "engine").unwrap_or("postgres");
    let version = get_str(attrs, "version").unwrap_or("16");
    let database_version = match engine {
        "mysql" => format!("MYSQL_{}", version.replace('.', "_")),
        "sqlserver" => format!("SQLSERVER_{version}_STANDARD"),
        _ => format!("POSTGRES_{}", version.split('.').next().unwrap_or("16")),
    };
    let ha = get_bool(attrs, "ha").unwrap_or(false);
    let retention = field(attrs, "backup", "retention").and_then(|it| match it.kind {
        ValueKind::Duration(ms) => Some((ms / 86_400_000) as i64), // CAT508: 1 to 365 whole days
        _ => None,
    });
    let pitr = field(attrs, "backup", "pitr").and_then(Value::as_bool).unwrap_or(true);
    let network = get_ref(attrs, "network").map(String::from).or_else(|| tf.first_network());
    let mut ip = Block::new("ip_configuration", &[])
        .attr("ipv4_enabled", get_bool(attrs, "public").unwrap_or(false))
        .attr("ssl_mode", "ENCRYPTED_ONLY");
    let mut connection = None;
    if let Some(network) = &network {
        ip = ip.raw("private_network", format!("google_compute_network.{}.id", tf_name(network)));
        connection = Some(private_services_access(tf, network));
    }
    let mut backup = Block::new("backup_configuration", &[]).attr("enabled", true).attr("start_time", "03:00");
    backup = match engine {
        "postgres" | "sqlserver" => backup.attr("point_in_time_recovery_enabled", pitr),
        _ => backup.attr("binary_log_enabled", pitr),
    };
    backup =
        backup.block(Block::new("backup_retention_settings", &[]).attr("retained_backups", retention.unwrap_or(7)));
    let mut settings = Block::new("settings", &[])
        .attr("tier", get_str(attrs, "tier").unwrap_or("db-custom-2-7680"))
        .attr("availability_type", if ha { "REGIONAL" } else { "ZONAL" })
        .attr("disk_size", size_gb(attrs, "storage").unwrap_or(20) as i64)
        .attr("disk_type", "PD_SSD")
        .attr("disk_autoresize", true)
        .attr("deletion_protection_enabled", get_bool(attrs, "deletion_protection").unwrap_or(true))
        .block(backup)
        .block(ip)
        .block(Block::new("insights_config", &[]).attr("query_insights_enabled", true))
        .attr("user_labels", labels(tf, attrs, located));
    settings = with_flags(settings, engine);
    tf.add(
        "database.tf",
        located,
        Block::resource("google_sql_database_instance", &id)
            .attr("name", name.clone())
            .attr("database_version", database_version.clone())
            .attr("region", region(tf, attrs))
            .attr("deletion_protection", get_bool(attrs, "deletion_protection").unwrap_or(true))
            .raw("encryption_key_name", KEY)
            .block(settings)
            .raw_if(connection.is_some(), "depends_on", format!("[{}]", connection.clone().unwrap_or_default())),
    );
    tf.add("database.tf", located, Block::resource("random_password", &id).attr("length", 32).attr("special", false));
    tf.add(
        "database.tf",
        located,
        Block::resource("google_sql_user", &id)
            .attr("name", "planc")
            .raw("instance", format!("google_sql_database_instance.{id}.name"))
            .raw("password", format!("random_password.{id}.result")),
    );
    tf.add(
        "database.tf",
        located,
        Block::resource("google_sql_database", &id)
            .attr("name", dns_name(located.name()))
            .raw("instance", format!("google_sql_database_instance.{id}.name")),
    );
    for index in 0..get_int(attrs, "read_replicas").unwrap_or(0).max(0) {
        tf.add(
            "database.tf",
            located,
            Block::resource("google_sql_database_instance", &format!("{id}_replica_{}", index + 1))
                .attr("name", format!("{name}-replica-{}", index + 1))
                .raw("master_instance_name", format!("google_sql_database_instance.{id}.name"))
                .attr(
                    "database_version",
                    match engine {
                        "mysql" => format!("MYSQL_{}", version.replace('.', "_")),
                        _ => format!("POSTGRES_{}", version.split('.').next().unwrap_or("16")),
                    },
                )
                .attr("region", region(tf, attrs))
                .attr("deletion_protection", true)
                .raw("encryption_key_name", KEY)
                .block(
                    Block::new("settings", &[])
                        .attr("tier", get_str(attrs, "tier").unwrap_or("db-custom-2-7680"))
                        .block(
                            Block::new("ip_configuration", &[])
                                .attr("ipv4_enabled", false)
                                .attr("ssl_mode", "ENCRYPTED_ONLY"),
                        ),
                ),
        );
    }
    cross_region_replicas(tf, located, attrs, &database_version);
}

fn key_in(tf: &mut Tf<'_>, location: &str) -> String {
    let alias = super::region_alias(&location.to_ascii_lowercase());
    let exists = tf.files.get("dr.tf").is_some_and(|file| {
        file.items.iter().any(|(_, block)| block.labels == ["google_kms_key_ring".to_string(), alias.clone()])
    });
    if !exists {
        let name = format!("{}-{}-{}", tf.ctx.plan_name(), tf.env.name, location.to_ascii_lowercase());
        tf.add_plain(
            "dr.tf",
            vec![format!("The customer-managed key of the disaster-recovery copies in {location}.")],
            Block::resource("google_kms_key_ring", &alias)
                .attr("name", name.clone())
                .attr("location", location.to_ascii_lowercase()),
        );
        tf.add_plain(
            "dr.tf",
            Vec::new(),
            Block::resource("google_kms_crypto_key", &alias)
                .attr("name", name)
                .raw("key_ring", format!("google_kms_key_ring.{alias}.id"))
                .attr("rotation_period", "7776000s")
                .block(Block::new("lifecycle", &[]).attr("prevent_destroy", true)),
        );
    }
    format!("google_kms_crypto_key.{alias}.id")
}

/// The logging and audit flags of a PostgreSQL instance, primary and replicas alike.
fn with_flags(mut settings: Block, engine: &str) -> Block {
    if engine == "postgres" {
        for (flag, value) in [
            ("log_checkpoints", "on"),
            ("log_connections", "on"),
            ("log_disconnections", "on"),
            ("log_lock_waits", "on"),
            ("log_min_messages", "error"),
            ("log_temp_files", "0"),
            ("log_min_duration_statement", "-1"),
            ("log_min_error_statement", "error"),
            ("log_duration", "on"),
            ("log_hostname", "on"),
            ("log_statement", "ddl"),
            ("cloudsql.enable_pgaudit", "on"),
        ] {
            settings = settings.block(Block::new("database_flags", &[]).attr("name", flag).attr("value", value));
        }
    }
    settings
}

/// Cross-region replicas (`replica NAME { region }`): Cloud SQL read replicas in their region,
/// encrypted with a key there.
fn cross_region_replicas(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>, database_version: &str) {
    let engine = get_str(attrs, "engine").unwrap_or("postgres");
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let tier = get_str(attrs, "tier").unwrap_or("db-custom-2-7680").to_string();
    for (replica, region) in crate::deploy::dr::replicas(located.block, &tf.env.name) {
        let key = key_in(tf, region);
        let class = located
            .block
            .child(replica)
            .and_then(|it| it.attr("tier"))
            .and_then(|it| it.value.as_str())
            .unwrap_or(&tier)
            .to_string();
        tf.add(
            "dr.tf",
            located,
            Block::resource("google_sql_database_instance", &format!("{id}_{}", tf_name(replica)))
                .attr("name", format!("{name}-{}", dns_name(replica)))
                .raw("master_instance_name", format!("google_sql_database_instance.{id}.name"))
                .attr("database_version", database_version)
                .attr("region", region)
                .attr("deletion_protection", true)
                .raw("encryption_key_name", key)
                .block(with_flags(
                    Block::new("settings", &[]).attr("tier", class).block(
                        Block::new("ip_configuration", &[])
                            .attr("ipv4_enabled", false)
                            .attr("ssl_mode", "ENCRYPTED_ONLY"),
                    ),
                    engine,
                )),
        );
    }
}

fn cache(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let shape = crate::deploy::cache(attrs);
    // CAT508 has checked the size is a whole number of GB from 1 to 300.
    let memory_gib = shape.memory_bytes.map_or(1, crate::deploy::disk_gb) as i64;
    let network = get_ref(attrs, "network").map(String::from).or_else(|| tf.first_network());
    if shape.engine == "memcached" {
        let mut block = Block::resource("google_memcache_instance", &id)
            .attr("name", name)
            .attr("region", region(tf, attrs))
            .attr("node_count", shape.nodes)
            .block(Block::new("node_config", &[]).attr("cpu_count", 1).attr("memory_size_mb", memory_gib * 1024));
        if let Some(network) = &network {
            block = block.raw("authorized_network", format!("google_compute_network.{}.id", tf_name(network)));
        }
        tf.add("cache.tf", located, block);
        return;
    }
    let replicas = shape.nodes - 1;
    // Google spells versions `7.2` and `6.x`; the API enum is `REDIS_7_2`, `REDIS_6_X`.
    let version = shape.version.as_deref().unwrap_or("7.2").replace('.', "_").to_ascii_uppercase();
    let mut block = Block::resource("google_redis_instance", &id)
        .attr("name", name)
        .attr("region", region(tf, attrs))
        .attr("tier", if replicas > 0 { "STANDARD_HA" } else { "BASIC" })
        .attr("memory_size_gb", memory_gib)
        .attr("redis_version", format!("REDIS_{version}"));
    if replicas > 1 {
        // A standard instance has one replica; more are read replicas.
        block = block.attr("replica_count", replicas).attr("read_replicas_mode", "READ_REPLICAS_ENABLED");
    }
    let mut block = block
        .attr("auth_enabled", true)
        .attr("transit_encryption_mode", "SERVER_AUTHENTICATION")
        .attr("connect_mode", "PRIVATE_SERVICE_ACCESS")
        .raw("customer_managed_key", KEY)
        .attr("redis_configs", Expr::Object(vec![("maxmemory-policy".into(), Expr::str(shape.eviction.clone()))]))
        .attr("labels", labels(tf, attrs, located));
    if let Some(network) = &network {
        let connection = private_services_access(tf, network);
        block = block
            .raw("authorized_network", format!("google_compute_network.{}.id", tf_name(network)))
            .raw("depends_on", format!("[{connection}]"));
    }
    tf.add("cache.tf", located, block);
    // The connection URL of the other clouds carries a password; Memorystore's AUTH string is it.
    tf.add(
        "cache.tf",
        located,
        Block::resource("random_password", &id).attr("length", 32).attr("special", false).comment(
            "Unused by Memorystore, which generates its AUTH string; kept so every cloud exposes the same `url`.",
        ),
    );
}

fn days(attrs: &EnvAttrs<'_>, name: &str) -> Option<i64> {
    match field(attrs, "lifecycle", name)?.kind {
        ValueKind::Duration(ms) => Some((ms / 86_400_000) as i64), // CAT508: whole days
        _ => None,
    }
}

fn bucket(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    // `replicate_to` makes a dual-region bucket with turbo replication (CAT508 has checked
    // both regions are on one continent); its key lives in the multi-region.
    let home = region(tf, attrs);
    let dual = get_str(attrs, "replicate_to")
        .and_then(|other| crate::deploy::dr::gcs_multi_region(&home, other).map(|multi| (multi, other.to_string())));
    let key = match &dual {
        Some((multi, _)) => Expr::raw(key_in(tf, multi)),
        None => Expr::raw(KEY),
    };
    let mut block = Block::resource("google_storage_bucket", &id)
        .attr("name", name)
        .attr("location", dual.as_ref().map_or_else(|| home.to_ascii_uppercase(), |(multi, _)| multi.to_string()))
        .attr("force_destroy", false)
        .attr("uniform_bucket_level_access", true)
        .attr(
            "public_access_prevention",
            if get_bool(attrs, "public").unwrap_or(false) { "inherited" } else { "enforced" },
        )
        .block(Block::new("versioning", &[]).attr("enabled", get_bool(attrs, "versioning").unwrap_or(true)))
        .block(Block::new("encryption", &[]).attr("default_kms_key_name", key))
        .block(Block::new("soft_delete_policy", &[]).attr("retention_duration_seconds", 604_800));
    if let Some((_, other)) = &dual {
        block = block
            .block(
                Block::new("custom_placement_config", &[])
                    .attr("data_locations", Expr::strs([home.to_ascii_uppercase(), other.to_ascii_uppercase()])),
            )
            .attr("rpo", "ASYNC_TURBO");
    }
    for (name, class) in [("infrequent", "NEARLINE"), ("archive", "ARCHIVE")] {
        if let Some(age) = days(attrs, name) {
            block = block.block(
                Block::new("lifecycle_rule", &[])
                    .block(Block::new("condition", &[]).attr("age", age))
                    .block(Block::new("action", &[]).attr("type", "SetStorageClass").attr("storage_class", class)),
            );
        }
    }
    if let Some(age) = days(attrs, "expire") {
        block = block.block(
            Block::new("lifecycle_rule", &[])
                .block(Block::new("condition", &[]).attr("age", age))
                .block(Block::new("action", &[]).attr("type", "Delete")),
        );
    }
    tf.add("storage.tf", located, block.attr("labels", labels(tf, attrs, located)));
}

fn messaging(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let retention = duration_seconds(attrs, "retention");
    tf.add(
        "messaging.tf",
        located,
        Block::resource("google_pubsub_topic", &id)
            .attr("name", name.clone())
            .raw("kms_key_name", KEY)
            .attr_if(
                retention.is_some() && located.block.kind == "topic",
                "message_retention_duration",
                format!("{}s", retention.unwrap_or(0)),
            )
            .attr("labels", labels(tf, attrs, located)),
    );
    if located.block.kind != "queue" {
        return;
    }
    // A queue is a topic with one pull subscription; a queue that subscribes to topics pulls
    // from a subscription on each.
    let mut sources = vec![format!("google_pubsub_topic.{id}.id")];
    if let Some(Value { kind: ValueKind::List(topics), .. }) = attrs.get("subscribe") {
        sources.extend(topics.iter().filter_map(|it| match &it.kind {
            ValueKind::Ref(reference) => Some(format!("google_pubsub_topic.{}.id", tf_name(&reference.name))),
            _ => None,
        }));
    }
    for (index, topic) in sources.iter().enumerate() {
        let suffix = if index == 0 { String::new() } else { format!("_{index}") };
        let mut subscription = Block::resource("google_pubsub_subscription", &format!("{id}{suffix}"))
            .attr("name", format!("{name}{}", suffix.replace('_', "-")))
            .raw("topic", topic.clone())
            .attr("ack_deadline_seconds", duration_seconds(attrs, "visibility_timeout").unwrap_or(30) as i64)
            .attr("message_retention_duration", format!("{}s", retention.unwrap_or(604_800)))
            .attr("enable_message_ordering", get_bool(attrs, "fifo").unwrap_or(false));
        if let Some(target) = get_ref(attrs, "dead_letter") {
            subscription = subscription.block(
                Block::new("dead_letter_policy", &[])
                    .raw("dead_letter_topic", format!("google_pubsub_topic.{}.id", tf_name(target)))
                    .attr("max_delivery_attempts", get_int(attrs, "max_receives").unwrap_or(5)),
            );
        }
        tf.add("messaging.tf", located, subscription.attr("labels", labels(tf, attrs, located)));
    }
}

fn function(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let runtime = get_str(attrs, "runtime").unwrap_or("nodejs22");
    let runtime_id =
        crate::catalog::versions::Versions::builtin().runtime("gcp", runtime).unwrap_or_else(|| runtime.to_string());
    let memory = crate::cost::model::quantity_range(attrs.get("memory")).map_or(512, |it| (it.0 >> 20) as i64);
    let environment = super::function_environment(tf, attrs);
    let source_variable = "function_source_bucket".to_string();
    tf.variables.entry(source_variable.clone()).or_insert_with(|| {
        Block::new("variable", &[&source_variable])
            .attr("description", "The Cloud Storage bucket that holds the functions' source archives.")
            .raw("type", "string")
    });
    let mut block = Block::resource("google_cloudfunctions2_function", &id)
        .attr("name", name.clone())
        .attr("location", region(tf, attrs))
        .raw("kms_key_name", KEY)
        .block(
            Block::new("build_config", &[])
                .attr("runtime", runtime_id)
                .attr("entry_point", get_str(attrs, "handler").unwrap_or("handler"))
                .block(Block::new("source", &[]).block(
                    Block::new("storage_source", &[]).raw("bucket", format!("var.{source_variable}")).attr(
                        "object",
                        format!("{}.zip", dns_name(get_str(attrs, "source").unwrap_or(located.name()))),
                    ),
                )),
        );
    let mut service = Block::new("service_config", &[])
        .attr("available_memory", format!("{memory}M"))
        .attr("timeout_seconds", duration_seconds(attrs, "timeout").unwrap_or(30) as i64)
        .attr("max_instance_count", 100)
        .attr("ingress_settings", "ALLOW_INTERNAL_AND_GCLB")
        .attr("all_traffic_on_latest_revision", true);
    if !environment.is_empty() {
        service = service.attr("environment_variables", Expr::Object(environment));
    }
    block = block.block(service);
    match attrs.get("trigger").map(|it| &it.kind) {
        Some(ValueKind::Ref(reference)) => {
            block = block.block(
                Block::new("event_trigger", &[])
                    .attr("trigger_region", region(tf, attrs))
                    .attr("event_type", "google.cloud.pubsub.topic.v1.messagePublished")
                    .raw("pubsub_topic", format!("google_pubsub_topic.{}.id", tf_name(&reference.name)))
                    .attr("retry_policy", "RETRY_POLICY_RETRY"),
            );
        }
        Some(ValueKind::String(cron)) => {
            let cron = cron.clone();
            tf.add(
                "functions.tf",
                located,
                Block::resource("google_cloud_scheduler_job", &id)
                    .attr("name", name.clone())
                    .attr("region", region(tf, attrs))
                    .attr("schedule", cron)
                    .attr("time_zone", "Etc/UTC")
                    .block(
                        Block::new("http_target", &[])
                            .attr("http_method", "POST")
                            .raw("uri", format!("google_cloudfunctions2_function.{id}.url"))
                            .block(Block::new("oidc_token", &[]).raw(
                                "service_account_email",
                                format!("google_cloudfunctions2_function.{id}.service_config[0].service_account_email"),
                            )),
                    ),
            );
        }
        _ => {}
    }
    tf.add("functions.tf", located, block.attr("labels", labels(tf, attrs, located)));
}

fn gateway(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    tf.add("edge.tf", located, Block::resource("google_compute_global_address", &id).attr("name", name.clone()));
    tf.add(
        "edge.tf",
        located,
        Block::resource("google_compute_ssl_policy", &id)
            .attr("name", name.clone())
            .attr("profile", "MODERN")
            .attr("min_tls_version", "TLS_1_2"),
    );
    let mut backend = Block::resource("google_compute_backend_service", &id)
        .attr("name", name.clone())
        .attr("protocol", "HTTPS")
        .attr("load_balancing_scheme", "EXTERNAL_MANAGED")
        .block(Block::new("log_config", &[]).attr("enable", true).attr("sample_rate", Expr::Float(1.0)));
    if get_bool(attrs, "waf").unwrap_or(false) {
        let mut policy =
            Block::resource("google_compute_security_policy", &id)
                .attr("name", name.clone())
                .block(
                    Block::new("rule", &[])
                        .attr("action", "deny(403)")
                        .attr("priority", 1000)
                        .attr("description", "OWASP top 10 and Log4j")
                        .block(Block::new("match", &[]).block(Block::new("expr", &[]).attr(
                            "expression",
                            "evaluatePreconfiguredWaf('sqli-v33-stable') || evaluatePreconfiguredWaf('xss-v33-stable')",
                        ))),
                )
                .block(
                    Block::new("rule", &[])
                        .attr("action", "deny(403)")
                        .attr("priority", 1001)
                        .attr("description", "Log4j message lookups (CVE-2021-44228)")
                        .block(Block::new("match", &[]).block(
                            Block::new("expr", &[]).attr("expression", "evaluatePreconfiguredWaf('cve-canary')"),
                        )),
                );
        if let Some(limit) = get_int(attrs, "rate_limit") {
            policy = policy.block(
                Block::new("rule", &[])
                    .attr("action", "throttle")
                    .attr("priority", 2000)
                    .attr("description", "Requests per client and minute")
                    .block(
                        Block::new("match", &[])
                            .attr("versioned_expr", "SRC_IPS_V1")
                            .block(Block::new("config", &[]).attr("src_ip_ranges", Expr::strs(["*"]))),
                    )
                    .block(
                        Block::new("rate_limit_options", &[])
                            .attr("conform_action", "allow")
                            .attr("exceed_action", "deny(429)")
                            .attr("enforce_on_key", "IP")
                            .block(
                                Block::new("rate_limit_threshold", &[]).attr("count", limit).attr("interval_sec", 60),
                            ),
                    ),
            );
        }
        policy = policy.block(
            Block::new("rule", &[])
                .attr("action", "allow")
                .attr("priority", 2147483647)
                .attr("description", "Everything else")
                .block(
                    Block::new("match", &[])
                        .attr("versioned_expr", "SRC_IPS_V1")
                        .block(Block::new("config", &[]).attr("src_ip_ranges", Expr::strs(["*"]))),
                ),
        );
        tf.add("edge.tf", located, policy);
        backend = backend.raw("security_policy", format!("google_compute_security_policy.{id}.id"));
    }
    tf.add("edge.tf", located, backend);
    tf.add(
        "edge.tf",
        located,
        Block::resource("google_compute_url_map", &id)
            .attr("name", name.clone())
            .raw("default_service", format!("google_compute_backend_service.{id}.id")),
    );
    let domains: Vec<String> = get_str(attrs, "host").map(|it| vec![it.to_string()]).unwrap_or_default();
    if !domains.is_empty() {
        tf.add(
            "edge.tf",
            located,
            Block::resource("google_compute_managed_ssl_certificate", &id)
                .attr("name", name.clone())
                .block(Block::new("managed", &[]).attr("domains", Expr::strs(domains))),
        );
    }
    let mut proxy = Block::resource("google_compute_target_https_proxy", &id)
        .attr("name", name.clone())
        .raw("url_map", format!("google_compute_url_map.{id}.id"))
        .raw("ssl_policy", format!("google_compute_ssl_policy.{id}.id"));
    proxy = if get_str(attrs, "host").is_some() {
        proxy.raw("ssl_certificates", format!("[google_compute_managed_ssl_certificate.{id}.id]"))
    } else {
        let variable = format!("{id}_certificate");
        tf.variables.entry(variable.clone()).or_insert_with(|| {
            Block::new("variable", &[&variable])
                .attr("description", format!("The SSL certificate of gateway `{}`.", located.name()))
                .raw("type", "string")
        });
        proxy.raw("ssl_certificates", format!("[var.{variable}]"))
    };
    tf.add("edge.tf", located, proxy);
    tf.add(
        "edge.tf",
        located,
        Block::resource("google_compute_global_forwarding_rule", &id)
            .attr("name", name)
            .raw("target", format!("google_compute_target_https_proxy.{id}.id"))
            .raw("ip_address", format!("google_compute_global_address.{id}.id"))
            .attr("port_range", "443")
            .attr("load_balancing_scheme", "EXTERNAL_MANAGED"),
    );
}

/// Cloud CDN for a bucket: a backend bucket with CDN on, behind its own external HTTPS load
/// balancer for `host` (CAT508 rejects the origins and settings this does not build).
fn cdn(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let Some(origin) = get_ref(attrs, "origin") else { return };
    if !tf.ctx.index.lookup(origin).is_some_and(|it| it.kind == "bucket") {
        return;
    }
    let ttl = duration_seconds(attrs, "ttl").unwrap_or(3600) as i64;
    let waf = get_bool(attrs, "waf").unwrap_or(false);
    if waf {
        tf.add(
            "edge.tf",
            located,
            Block::resource("google_compute_security_policy", &id)
                .attr("name", format!("{name}-edge"))
                .attr("type", "CLOUD_ARMOR_EDGE")
                .block(
                    Block::new("rule", &[])
                        .attr("action", "allow")
                        .attr("priority", 2_147_483_647)
                        .attr("description", "Default rule")
                        .block(
                            Block::new("match", &[])
                                .attr("versioned_expr", "SRC_IPS_V1")
                                .block(Block::new("config", &[]).attr("src_ip_ranges", Expr::strs(["*"]))),
                        ),
                ),
        );
    }
    tf.add(
        "edge.tf",
        located,
        Block::resource("google_compute_backend_bucket", &id)
            .attr("name", name.clone())
            .raw("bucket_name", format!("google_storage_bucket.{}.name", tf_name(origin)))
            .attr("enable_cdn", true)
            .raw_if(waf, "edge_security_policy", format!("google_compute_security_policy.{id}.id"))
            .block(
                Block::new("cdn_policy", &[])
                    .attr("cache_mode", "CACHE_ALL_STATIC")
                    .attr("default_ttl", ttl)
                    .attr("client_ttl", ttl)
                    .attr("max_ttl", ttl.max(86_400)),
            ),
    );
    tf.add(
        "edge.tf",
        located,
        Block::resource("google_compute_url_map", &id)
            .attr("name", name.clone())
            .raw("default_service", format!("google_compute_backend_bucket.{id}.id")),
    );
    tf.add(
        "edge.tf",
        located,
        Block::resource("google_compute_managed_ssl_certificate", &id)
            .attr("name", name.clone())
            .block(Block::new("managed", &[]).attr("domains", Expr::strs([get_str(attrs, "host").unwrap_or("")]))),
    );
    tf.add(
        "edge.tf",
        located,
        Block::resource("google_compute_target_https_proxy", &id)
            .attr("name", name.clone())
            .raw("url_map", format!("google_compute_url_map.{id}.id"))
            .raw("ssl_certificates", format!("[google_compute_managed_ssl_certificate.{id}.id]")),
    );
    tf.add("edge.tf", located, Block::resource("google_compute_global_address", &id).attr("name", name.clone()));
    tf.add(
        "edge.tf",
        located,
        Block::resource("google_compute_global_forwarding_rule", &id)
            .attr("name", name)
            .raw("target", format!("google_compute_target_https_proxy.{id}.id"))
            .raw("ip_address", format!("google_compute_global_address.{id}.address"))
            .attr("port_range", "443")
            .attr("load_balancing_scheme", "EXTERNAL_MANAGED"),
    );
}

fn vm(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let network = get_ref(attrs, "network").map(String::from).or_else(|| tf.first_network());
    let subnet = subnet_ref(tf, network.as_deref());
    let Some(set) = crate::deploy::vm_set(attrs) else { return };
    let image = get_str(attrs, "image").unwrap_or("");
    let disk = set.disk_gb() as i64;
    let mut metadata =
        vec![("block-project-ssh-keys".into(), Expr::str("true")), ("enable-oslogin".into(), Expr::str("TRUE"))];
    if let Some(script) = get_str(attrs, "user_data") {
        metadata.push(("startup-script".into(), Expr::str(script)));
    }
    let metadata = Expr::Object(metadata);
    let mut interface = Block::new("network_interface", &[]);
    if let Some(subnet) = &subnet {
        interface = interface.raw("subnetwork", subnet.clone());
    }
    if set.public_ip {
        interface = interface.block(Block::new("access_config", &[]));
    }
    let shielded = Block::new("shielded_instance_config", &[])
        .attr("enable_secure_boot", true)
        .attr("enable_vtpm", true)
        .attr("enable_integrity_monitoring", true);
    let scheduling = if set.spot {
        Block::new("scheduling", &[])
            .attr("provisioning_model", "SPOT")
            .attr("preemptible", true)
            .attr("automatic_restart", false)
            .attr("on_host_maintenance", "TERMINATE")
    } else {
        Block::new("scheduling", &[]).attr("provisioning_model", "STANDARD")
    };
    if !set.autoscaled() {
        // A fixed count is that many instances with stable names, spread over the region's
        // zones as the provider lists them (not every region has an `-a` zone).
        let zones = format!("{id}_zones");
        tf.add(
            "compute.tf",
            located,
            Block::new("data", &["google_compute_zones", &zones])
                .attr("region", region(tf, attrs))
                .attr("status", "UP"),
        );
        let counted = set.min != 1;
        let mut instance = Block::resource("google_compute_instance", &id);
        if counted {
            instance = instance.attr("for_each", super::instance_keys(set.min));
        }
        let zone = if counted {
            format!("data.google_compute_zones.{zones}.names[(tonumber(each.key) - 1) % length(data.google_compute_zones.{zones}.names)]")
        } else {
            format!("data.google_compute_zones.{zones}.names[0]")
        };
        tf.add(
            "compute.tf",
            located,
            instance
                .attr("name", if counted { Expr::raw(format!("\"{name}-${{each.key}}\"")) } else { Expr::str(name) })
                .attr("machine_type", set.class.clone())
                .raw("zone", zone)
                .attr("can_ip_forward", false)
                .attr("metadata", metadata)
                .block(
                    Block::new("boot_disk", &[]).raw("kms_key_self_link", KEY).block(
                        Block::new("initialize_params", &[])
                            .attr("image", image)
                            .attr("size", disk)
                            .attr("type", disk_type(&set.disk)),
                    ),
                )
                .block(interface)
                .block(shielded)
                .block(scheduling)
                .block(Block::new("service_account", &[]).attr("scopes", Expr::strs(["cloud-platform"])))
                .attr("labels", labels(tf, attrs, located)),
        );
        return;
    }
    tf.add(
        "compute.tf",
        located,
        Block::resource("google_compute_instance_template", &id)
            .attr("name_prefix", format!("{name}-"))
            .attr("machine_type", set.class.clone())
            .attr("can_ip_forward", false)
            .attr("metadata", metadata)
            .block(
                Block::new("disk", &[])
                    .attr("source_image", image)
                    .attr("disk_size_gb", disk)
                    .attr("disk_type", disk_type(&set.disk))
                    .attr("boot", true)
                    .block(Block::new("disk_encryption_key", &[]).raw("kms_key_self_link", KEY)),
            )
            .block(interface)
            .block(shielded)
            .block(scheduling)
            .block(Block::new("service_account", &[]).attr("scopes", Expr::strs(["cloud-platform"])))
            .block(Block::new("lifecycle", &[]).attr("create_before_destroy", true)),
    );
    tf.add(
        "compute.tf",
        located,
        Block::resource("google_compute_region_instance_group_manager", &id)
            .attr("name", name.clone())
            .attr("base_instance_name", name.clone())
            .attr("region", region(tf, attrs))
            .block(
                Block::new("version", &[])
                    .raw("instance_template", format!("google_compute_instance_template.{id}.id")),
            ),
    );
    tf.add(
        "compute.tf",
        located,
        Block::resource("google_compute_region_autoscaler", &id)
            .attr("name", name)
            .attr("region", region(tf, attrs))
            .raw("target", format!("google_compute_region_instance_group_manager.{id}.id"))
            .block(
                Block::new("autoscaling_policy", &[])
                    .attr("min_replicas", set.min)
                    .attr("max_replicas", set.max)
                    .block(Block::new("cpu_utilization", &[]).attr("target", Expr::Float(0.7))),
            ),
    );
}

fn registry(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let mut block = Block::resource("google_artifact_registry_repository", &id)
        .attr("repository_id", tf.cloud_name(located.name()))
        .attr("location", region(tf, attrs))
        .attr("format", "DOCKER")
        .raw("kms_key_name", KEY)
        .block(
            Block::new("docker_config", &[]).attr("immutable_tags", get_bool(attrs, "immutable_tags").unwrap_or(false)),
        );
    if let Some(keep) = get_int(attrs, "keep_last") {
        block = block.block(
            Block::new("cleanup_policies", &[])
                .attr("id", "keep-last")
                .attr("action", "KEEP")
                .block(Block::new("most_recent_versions", &[]).attr("keep_count", keep)),
        );
    }
    tf.add("registry.tf", located, block.attr("labels", labels(tf, attrs, located)));
}

/// The monitoring block on Google Cloud: the retention of the project's `_Default` log bucket,
/// and a notification channel per address of each `notify` channel.
fn monitoring(tf: &mut Tf<'_>, located: &Located<'_>, _attrs: &EnvAttrs<'_>) {
    if tf.logs_cloud.as_deref() == Some("gcp") {
        let (days, _) = crate::deploy::monitoring::logs(located.block);
        tf.add(
            "monitoring.tf",
            located,
            Block::resource("google_logging_project_bucket_config", "default")
                .raw("project", "var.gcp_project")
                .attr("location", "global")
                .attr("bucket_id", "_Default")
                .attr("retention_days", days as i64),
        );
    }
    for channel in super::alerts::all_channels(located.block) {
        for (id, kind, label, value) in channel_entries(tf, &channel) {
            tf.add(
                "monitoring.tf",
                located,
                Block::resource("google_monitoring_notification_channel", &id)
                    .attr("display_name", format!("{} ({})", tf.cloud_name(&format!("notify-{}", channel.name)), kind))
                    .attr("type", kind)
                    .attr("labels", Expr::Object(vec![(label.to_string(), value)])),
            );
        }
    }
}

/// One notification channel per email address and one for the webhook: (resource name, type,
/// label, value).
fn channel_entries(
    tf: &mut Tf<'_>,
    channel: &super::alerts::Channel<'_>,
) -> Vec<(String, &'static str, &'static str, Expr)> {
    let id = format!("notify_{}", tf_name(channel.name));
    let mut entries: Vec<(String, &'static str, &'static str, Expr)> = channel
        .emails
        .iter()
        .enumerate()
        .map(|(index, email)| (format!("{id}_email_{}", index + 1), "email", "email_address", Expr::str(*email)))
        .collect();
    if let Some(webhook) = channel.webhook {
        let url = super::alerts::webhook_url(tf, webhook).unwrap_or_else(|| Expr::raw("null"));
        entries.push((format!("{id}_webhook"), "webhook_tokenauth", "url", url));
    }
    entries
}

/// The notification channels of the channels an alert or SLO lists.
fn notification_channels(tf: &mut Tf<'_>, attrs: &EnvAttrs<'_>) -> Expr {
    let mut ids = Vec::new();
    for channel in super::alerts::channels(tf, attrs) {
        for (id, ..) in channel_entries(tf, &channel) {
            ids.push(Expr::raw(format!("google_monitoring_notification_channel.{id}.id")));
        }
    }
    Expr::List(ids)
}

fn severity_label(severity: &str) -> Option<&'static str> {
    match severity {
        "critical" => Some("CRITICAL"),
        "error" => Some("ERROR"),
        "warning" => Some("WARNING"),
        _ => None, // Cloud Monitoring has no informational level: the user label carries it.
    }
}

/// A Cloud Monitoring filter on the resource a block compiled to.
fn resource_filter(watch: &super::alerts::Watch<'_>) -> String {
    let id = tf_name(watch.target.name());
    match watch.target.block.kind.as_str() {
        "database" => format!(
            "resource.type = \"cloudsql_database\" AND resource.label.database_id = \"${{var.gcp_project}}:${{google_sql_database_instance.{id}.name}}\""
        ),
        "cache" => format!(
            "resource.type = \"redis_instance\" AND resource.label.instance_id = \"${{google_redis_instance.{id}.id}}\""
        ),
        "queue" => format!(
            "resource.type = \"pubsub_subscription\" AND resource.label.subscription_id = \"${{google_pubsub_subscription.{id}.name}}\""
        ),
        "gateway" => format!(
            "resource.type = \"https_lb_rule\" AND resource.label.url_map_name = \"${{google_compute_url_map.{id}.name}}\""
        ),
        _ => format!(
            "resource.type = \"cloud_run_revision\" AND resource.label.service_name = \"${{google_cloudfunctions2_function.{id}.name}}\""
        ),
    }
}

fn alert(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let Some(watch) = super::alerts::watch(tf, "gcp", attrs) else { return };
    let mut filter = format!("{} AND metric.type = \"{}\"", resource_filter(&watch), watch.cloud_metric.name);
    if let Some(extra) = &watch.cloud_metric.filter {
        filter = format!("{filter} AND {extra}");
    }
    let aggregation = Block::new("aggregations", &[])
        .attr("alignment_period", "60s")
        .attr("per_series_aligner", watch.cloud_metric.statistic.clone());
    let condition =
        Block::new("conditions", &[]).attr("display_name", super::alerts::description(located, attrs, &watch)).block(
            Block::new("condition_threshold", &[])
                .attr("filter", Expr::Raw(hcl_string(&filter)))
                .attr("comparison", if watch.condition.above { "COMPARISON_GT" } else { "COMPARISON_LT" })
                .attr("threshold_value", Expr::Float(watch.threshold))
                .attr("duration", format!("{}s", watch.condition.minutes * 60))
                .block(aggregation),
        );
    let channels = notification_channels(tf, attrs);
    let mut labels = own_labels(tf, attrs, located);
    labels.push(("severity".to_string(), Expr::str(watch.condition.severity.clone())));
    let block = Block::resource("google_monitoring_alert_policy", &tf_name(located.name()))
        .attr("display_name", tf.cloud_name(located.name()))
        .attr("combiner", "OR")
        .block(condition)
        .attr("notification_channels", channels)
        .attr_if(
            severity_label(&watch.condition.severity).is_some(),
            "severity",
            severity_label(&watch.condition.severity).unwrap_or_default(),
        )
        .attr("user_labels", Expr::Object(labels));
    tf.add("monitoring.tf", located, block);
}

/// A filter with `${...}` interpolations, as an HCL string.
fn hcl_string(filter: &str) -> String {
    format!("\"{}\"", filter.replace('\\', "\\\\").replace('"', "\\\""))
}

/// An SLO on the load balancer: a custom service, a request-based SLO on the share of non-5xx
/// answers, and an alert policy per burn rate on `select_slo_burn_rate`.
fn slo(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let Some(target) = get_ref(attrs, "on").and_then(|it| tf.ctx.find(it)) else { return };
    if target.block.kind != "gateway" {
        return; // A workload's SLO is a Prometheus rule.
    }
    let Some((objective, days)) = crate::deploy::monitoring::slo(attrs) else { return };
    let id = tf_name(located.name());
    let url_map = tf_name(target.name());
    tf.add(
        "monitoring.tf",
        located,
        Block::resource("google_monitoring_custom_service", &id)
            .attr("service_id", tf.cloud_name(located.name()))
            .attr("display_name", format!("gateway `{}`", target.name())),
    );
    let requests = format!(
        "metric.type = \"loadbalancing.googleapis.com/https/request_count\" AND resource.type = \"https_lb_rule\" AND resource.label.url_map_name = \"${{google_compute_url_map.{url_map}.name}}\""
    );
    tf.add(
        "monitoring.tf",
        located,
        Block::resource("google_monitoring_slo", &id)
            .raw("service", format!("google_monitoring_custom_service.{id}.service_id"))
            .attr("slo_id", tf.cloud_name(located.name()))
            .attr("display_name", format!("{}% of requests succeed over {days}d", objective * 100.0))
            .attr("goal", Expr::Float((objective * 1e9).round() / 1e9))
            .attr("rolling_period_days", days as i64)
            .block(
                Block::new("request_based_sli", &[]).block(
                    Block::new("good_total_ratio", &[])
                        .attr(
                            "bad_service_filter",
                            Expr::Raw(hcl_string(&format!("{requests} AND metric.label.response_code_class = 500"))),
                        )
                        .attr("total_service_filter", Expr::Raw(hcl_string(&requests))),
                ),
            ),
    );
    for burn in crate::deploy::monitoring::burn_rates(days) {
        let selector =
            format!("select_slo_burn_rate(\"${{google_monitoring_slo.{id}.id}}\", \"{}s\")", burn.long_minutes * 60);
        let channels = notification_channels(tf, attrs);
        tf.add(
            "monitoring.tf",
            located,
            Block::resource("google_monitoring_alert_policy", &format!("{id}_{}_burn", burn.name))
                .attr("display_name", tf.cloud_name(&format!("{}-{}-burn", located.name(), burn.name)))
                .attr("combiner", "OR")
                .block(
                    Block::new("conditions", &[])
                        .attr(
                            "display_name",
                            format!("the error budget burns {:.1}x too fast over {} min", burn.burn, burn.long_minutes),
                        )
                        .block(
                            Block::new("condition_threshold", &[])
                                .attr("filter", Expr::Raw(hcl_string(&selector)))
                                .attr("comparison", "COMPARISON_GT")
                                .attr("threshold_value", Expr::Float((burn.burn * 1e9).round() / 1e9))
                                .attr("duration", "0s"),
                        ),
                )
                .attr("notification_channels", channels)
                .attr("severity", severity_label(burn.severity).unwrap_or("WARNING"))
                .attr("user_labels", {
                    let mut labels = own_labels(tf, attrs, located);
                    labels.push(("severity".into(), Expr::str(burn.severity)));
                    Expr::Object(labels)
                }),
        );
    }
}

/// A Cloud DNS managed zone (public with DNSSEC, or private to the network) and its record
/// sets; gateways and CDNs are A records on their global address.
fn dns(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    use crate::deploy::dns::Target;
    let id = tf_name(located.name());
    let zone = get_str(attrs, "zone").unwrap_or_default().trim_end_matches('.').to_string();
    let private = get_bool(attrs, "private").unwrap_or(false);
    let mut block = Block::resource("google_dns_managed_zone", &id)
        .attr("name", tf.cloud_name(located.name()))
        .attr("dns_name", format!("{zone}."))
        .attr("description", format!("planc dns `{}`", located.name()))
        .attr("visibility", if private { "private" } else { "public" })
        .attr("labels", labels(tf, attrs, located));
    if private {
        if let Some(network) = get_ref(attrs, "network").map(String::from).or_else(|| tf.first_network()) {
            block = block.block(
                Block::new("private_visibility_config", &[]).block(
                    Block::new("networks", &[])
                        .raw("network_url", format!("google_compute_network.{}.id", tf_name(&network))),
                ),
            );
        }
    } else {
        block = block.block(Block::new("dnssec_config", &[]).attr("state", "on"));
    }
    tf.add("dns.tf", located, block);
    let env = tf.env.name.clone();
    let ctx = tf.ctx;
    let records =
        crate::deploy::dns::records(located.block, attrs, &env, ctx.blocks.iter().map(|it| it.block), |block| {
            ctx.exists_in(block, &env)
        });
    for record in records {
        let fqdn = if record.label == "@" { format!("{zone}.") } else { format!("{}.{zone}.", record.label) };
        let (kind, rrdatas) = match &record.target {
            Target::Block(_, target) => (
                "A".to_string(),
                Expr::List(vec![Expr::raw(format!("google_compute_global_address.{}.address", tf_name(target)))]),
            ),
            Target::Values(values) => {
                // Cloud DNS takes names as absolute, with the final dot, and texts quoted.
                let data = values.iter().map(|value| match record.kind.as_str() {
                    "CNAME" | "MX" if !value.ends_with('.') => format!("{value}."),
                    "TXT" if !value.starts_with('"') => format!("\"{value}\""),
                    _ => value.clone(),
                });
                (record.kind.clone(), Expr::strs(data))
            }
        };
        tf.add(
            "dns.tf",
            located,
            Block::resource("google_dns_record_set", &format!("{id}_{}", tf_name(&record.key)))
                .attr("name", fqdn)
                .raw("managed_zone", format!("google_dns_managed_zone.{id}.name"))
                .attr("type", kind)
                .attr("ttl", record.ttl as i64)
                .attr("rrdatas", rrdatas),
        );
    }
}

/// A container as a Cloud Run service with CPU always allocated (instance-based billing, as
/// priced); public services let anyone invoke them.
fn container(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let shape = crate::deploy::container::container(attrs);
    let mut container = Block::new("containers", &[]).attr("image", get_str(attrs, "image").unwrap_or("")).block(
        Block::new("resources", &[])
            .attr(
                "limits",
                Expr::Object(vec![
                    ("cpu".into(), Expr::str((shape.cpu / 1000).to_string())),
                    ("memory".into(), Expr::str(format!("{}Mi", shape.memory >> 20))),
                ]),
            )
            .attr("cpu_idle", false),
    );
    if let Some(port) = shape.port {
        container = container.block(Block::new("ports", &[]).attr("container_port", port));
    }
    for (key, value) in crate::map_entries(attrs, "vars") {
        let expression = match tf.ctx.var_route(value, tf.env) {
            crate::VarRoute::Literal(text) => Expr::str(text),
            crate::VarRoute::Applied => match super::var_expression(tf, value) {
                Some(expression) => expression,
                None => continue,
            },
            crate::VarRoute::Secret => continue, // CAT509
        };
        container = container.block(Block::new("env", &[]).attr("name", key).attr("value", expression));
    }
    let (low, high) = shape.replicas;
    let ingress = match shape.expose.as_str() {
        "public" => "INGRESS_TRAFFIC_ALL",
        _ => "INGRESS_TRAFFIC_INTERNAL_ONLY",
    };
    tf.add(
        "containers.tf",
        located,
        Block::resource("google_cloud_run_v2_service", &id)
            .attr("name", tf.cloud_name(located.name()))
            .attr("location", region(tf, attrs))
            .attr("ingress", ingress)
            .attr("deletion_protection", true)
            .attr("labels", labels(tf, attrs, located))
            .block(
                Block::new("template", &[])
                    .block(Block::new("scaling", &[]).attr("min_instance_count", low).attr("max_instance_count", high))
                    .raw("encryption_key", KEY)
                    .block(container),
            ),
    );
    if shape.expose == "public" {
        tf.add(
            "containers.tf",
            located,
            Block::resource("google_cloud_run_v2_service_iam_member", &format!("{id}_public"))
                .raw("name", format!("google_cloud_run_v2_service.{id}.name"))
                .raw("location", format!("google_cloud_run_v2_service.{id}.location"))
                .attr("role", "roles/run.invoker")
                .attr("member", "allUsers"),
        );
    }
}

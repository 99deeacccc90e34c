//! Azure resources: VNet, AKS, PostgreSQL/MySQL flexible servers, Azure SQL, Cosmos DB for
//! MongoDB, Azure Cache for Redis, Storage, Service Bus, Function Apps, Application Gateway with
//! WAF, Front Door, Virtual Machines and Container Registry, in one resource group per
//! environment.

use super::hcl::{Block, Expr};
use super::{Subnet, Tf};
use crate::ir::{EnvAttrs, Value, ValueKind};
use crate::{dns_name, duration_seconds, field, get_bool, get_int, get_ref, get_str, size_gb, tf_name, Located};

const RG: &str = "azurerm_resource_group.main.name";
const LOCATION: &str = "azurerm_resource_group.main.location";

pub fn database_resource(engine: &str) -> &'static str {
    match engine {
        "mysql" | "mariadb" => "azurerm_mysql_flexible_server",
        "sqlserver" => "azurerm_mssql_server",
        "mongodb" => "azurerm_cosmosdb_account",
        _ => "azurerm_postgresql_flexible_server",
    }
}

pub fn database_port(engine: &str) -> i64 {
    match engine {
        "mysql" | "mariadb" => 3306,
        "sqlserver" => 1433,
        "mongodb" => 10255,
        _ => 5432,
    }
}

fn tags(tf: &Tf<'_>, attrs: &EnvAttrs<'_>, located: &Located<'_>) -> Expr {
    super::string_map(&tf.tags(attrs, located))
}

/// Storage account names: 3 to 24 lowercase letters and digits, globally unique.
fn account_name(tf: &Tf<'_>, name: &str) -> String {
    let raw: String = format!("{}{}{}", tf.ctx.plan_name(), tf.env.name, name)
        .chars()
        .filter(|ch| ch.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    raw.chars().take(24).collect()
}

fn foundation(tf: &mut Tf<'_>) {
    if tf.files.get("main.tf").is_some_and(|it| !it.is_empty()) {
        return;
    }
    let region = tf.env.region.clone().or_else(|| tf.ctx.facts.region.clone()).unwrap_or_else(|| "eastus".into());
    tf.add_plain(
        "main.tf",
        vec![format!("Everything of `{}` in `{}` lives in this resource group.", tf.ctx.plan_name(), tf.env.name)],
        Block::resource("azurerm_resource_group", "main")
            .attr("name", format!("{}-{}", tf.ctx.plan_name(), tf.env.name))
            .attr("location", region),
    );
    tf.add_plain(
        "main.tf",
        vec!["The tenant and subscription this plan is applied to.".into()],
        Block::new("data", &["azurerm_client_config", "current"]),
    );
    tf.add_plain(
        "main.tf",
        vec!["Logs and metrics of the environment's clusters.".into()],
        Block::resource("azurerm_log_analytics_workspace", "main")
            .attr("name", format!("{}-{}", tf.ctx.plan_name(), tf.env.name))
            .raw("resource_group_name", RG)
            .raw("location", LOCATION)
            .attr("sku", "PerGB2018")
            .attr("retention_in_days", workspace_retention_days(tf)),
    );
}

/// The workspace keeps the `monitoring` block's log retention when the environment's logs
/// are on Azure, else a year.
fn workspace_retention_days(tf: &Tf<'_>) -> i64 {
    let env_cloud = tf.env.cloud.clone().or_else(|| tf.ctx.facts.cloud.clone());
    match super::alerts::monitoring_block(tf) {
        Some(monitoring) if env_cloud.as_deref() == Some("azure") => {
            crate::deploy::monitoring::logs(monitoring).0 as i64
        }
        _ => 365,
    }
}

/// How each kind is built on azure: the provider table `terraform::emit` dispatches on.
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
        ("dns", dns),
        ("container", container),
    ],
};

fn subnets(tf: &Tf<'_>, network: &str) -> Vec<Subnet> {
    tf.subnets(network, "azure")
}

fn subnet_id(tf: &Tf<'_>, network: Option<&str>, tiers: &[&str]) -> Expr {
    let Some(network) = network else { return Expr::raw("null") };
    let all = subnets(tf, network);
    for tier in tiers {
        if let Some(subnet) = all.iter().find(|it| it.tier == *tier) {
            return Expr::raw(format!("azurerm_subnet.{}.id", subnet.id));
        }
    }
    Expr::raw("null")
}

/// The address prefixes of the subnet a block of `kind` is placed in (the first of its tiers).
fn tier_prefixes(tf: &Tf<'_>, network: &str, kind: &str) -> Option<Expr> {
    let tiers = super::target_tiers("azure", kind)?;
    let all = subnets(tf, network);
    let subnet = tiers.iter().find_map(|tier| all.iter().find(|it| it.tier == *tier))?;
    Some(Expr::raw(format!("azurerm_subnet.{}.address_prefixes", subnet.id)))
}

/// The network's `deny` rules (priorities from 100) and `allow` rules (from 1000) as rules of
/// its network security group; an allow rule reaches the subnet its target is placed in.
fn network_rules(tf: &mut Tf<'_>, located: &Located<'_>) {
    let network = located.name();
    let id = tf_name(network);
    let rule = |name: String, priority: i64, access: &str, protocol: &str| {
        Block::resource("azurerm_network_security_rule", &name)
            .attr("name", dns_name(&name.replace('_', "-")))
            .raw("resource_group_name", RG)
            .raw("network_security_group_name", format!("azurerm_network_security_group.{id}.name"))
            .attr("priority", priority)
            .attr("direction", "Inbound")
            .attr("access", access)
            .attr(
                "protocol",
                match protocol {
                    "tcp" => "Tcp",
                    "udp" => "Udp",
                    "icmp" => "Icmp",
                    _ => "*",
                },
            )
            .attr("source_port_range", "*")
    };
    let ports = |block: Block, ports: &[crate::deploy::Ports], protocol: &str| {
        let texts = super::port_texts(ports);
        if texts.is_empty() || matches!(protocol, "icmp" | "all") {
            block.attr("destination_port_range", "*")
        } else {
            block.attr("destination_port_ranges", Expr::strs(texts))
        }
    };
    let mut priority = 100;
    for deny in crate::deploy::denies(std::iter::once(located.block), &tf.env.name) {
        let name = format!("{id}_deny_{}", tf_name(&deny.name));
        let block = rule(name, priority, "Deny", &deny.protocol)
            .attr("source_address_prefixes", Expr::strs(deny.from.clone()))
            .attr("destination_address_prefix", "*");
        tf.add("network.tf", located, ports(block, &deny.ports, &deny.protocol));
        priority += 10;
    }
    let rules: Vec<String> =
        located.block.children.iter().filter(|it| it.kind == "allow").filter_map(|it| it.name.clone()).collect();
    let mut priority = 1000;
    let flows: Vec<crate::deploy::Flow> =
        tf.flows.iter().filter(|it| it.rule.as_ref().is_some_and(|rule| rules.contains(rule))).cloned().collect();
    for (index, flow) in flows.iter().enumerate() {
        let Some(destination) = tier_prefixes(tf, network, &flow.to_kind) else { continue };
        // Service tags go in the singular argument; the plural one takes ranges only.
        let (key, source) = match &flow.from {
            crate::deploy::Source::Cidr(cidr) => ("source_address_prefixes", Expr::strs([cidr.clone()])),
            crate::deploy::Source::Internet => ("source_address_prefix", Expr::str("Internet")),
            crate::deploy::Source::Block { kind, .. } => match tier_prefixes(tf, network, super::placed_as(kind)) {
                Some(prefixes) => ("source_address_prefixes", prefixes),
                None => continue, // CAT509 reports a source the cloud does not place in a subnet
            },
        };
        let name = format!("{id}_allow_{}_{index}", tf_name(flow.rule.as_deref().unwrap_or_default()));
        let block = rule(name, priority, "Allow", &flow.protocol)
            .attr(key, source)
            .attr("destination_address_prefixes", destination);
        tf.add("network.tf", located, ports(block, flow.ports.as_deref().unwrap_or_default(), &flow.protocol));
        priority += 10;
    }
}

fn network(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let cidr = get_str(attrs, "cidr").unwrap_or("10.0.0.0/16");
    tf.add(
        "network.tf",
        located,
        Block::resource("azurerm_virtual_network", &id)
            .attr("name", name.clone())
            .raw("resource_group_name", RG)
            .raw("location", LOCATION)
            .attr("address_space", Expr::strs([cidr]))
            .attr("tags", tags(tf, attrs, located)),
    );
    tf.add(
        "network.tf",
        located,
        Block::resource("azurerm_network_security_group", &id)
            .attr("name", name.clone())
            .raw("resource_group_name", RG)
            .raw("location", LOCATION)
            .comment("No inbound rules beyond Azure's defaults: nothing from the internet reaches the subnets.")
            .attr("tags", tags(tf, attrs, located)),
    );
    network_rules(tf, located);
    let nat = crate::deploy::wants_nat(attrs);
    if nat {
        tf.add(
            "network.tf",
            located,
            Block::resource("azurerm_public_ip", &format!("{id}_nat"))
                .attr("name", format!("{name}-nat"))
                .raw("resource_group_name", RG)
                .raw("location", LOCATION)
                .attr("allocation_method", "Static")
                .attr("sku", "Standard")
                .attr("zones", Expr::strs(["1", "2", "3"])),
        );
        tf.add(
            "network.tf",
            located,
            Block::resource("azurerm_nat_gateway", &id)
                .attr("name", name.clone())
                .raw("resource_group_name", RG)
                .raw("location", LOCATION)
                .attr("sku_name", "Standard"),
        );
        tf.add(
            "network.tf",
            located,
            Block::resource("azurerm_nat_gateway_public_ip_association", &id)
                .raw("nat_gateway_id", format!("azurerm_nat_gateway.{id}.id"))
                .raw("public_ip_address_id", format!("azurerm_public_ip.{id}_nat.id")),
        );
    }
    for (index, subnet) in subnets(tf, located.name()).iter().enumerate() {
        let cidr_expr = match &subnet.cidr {
            Some(cidr) => Expr::List(vec![Expr::str(cidr.clone())]),
            None => Expr::raw(format!("[cidrsubnet(\"{cidr}\", 4, {index})]")),
        };
        let mut block = Block::resource("azurerm_subnet", &subnet.id)
            .attr("name", subnet.id.trim_start_matches(&format!("{id}_")).replace('_', "-"))
            .raw("resource_group_name", RG)
            .raw("virtual_network_name", format!("azurerm_virtual_network.{id}.name"))
            .attr("address_prefixes", cidr_expr)
            .attr("default_outbound_access_enabled", false);
        if subnet.tier == "database" {
            block = block.block(
                Block::new("delegation", &[]).attr("name", "flexible-server").block(
                    Block::new("service_delegation", &[])
                        .attr("name", "Microsoft.DBforPostgreSQL/flexibleServers")
                        .attr("actions", Expr::strs(["Microsoft.Network/virtualNetworks/subnets/join/action"])),
                ),
            );
        }
        tf.add("network.tf", located, block);
        tf.add(
            "network.tf",
            located,
            Block::resource("azurerm_subnet_network_security_group_association", &subnet.id)
                .raw("subnet_id", format!("azurerm_subnet.{}.id", subnet.id))
                .raw("network_security_group_id", format!("azurerm_network_security_group.{id}.id")),
        );
        if nat && subnet.tier != "public" {
            tf.add(
                "network.tf",
                located,
                Block::resource("azurerm_subnet_nat_gateway_association", &subnet.id)
                    .raw("subnet_id", format!("azurerm_subnet.{}.id", subnet.id))
                    .raw("nat_gateway_id", format!("azurerm_nat_gateway.{id}.id")),
            );
        }
    }
}

fn cluster(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let network = get_ref(attrs, "network").map(String::from);
    let subnet = subnet_id(tf, network.as_deref(), &["private", "public"]);
    // The first pool is AKS's system pool, the cluster's `default_node_pool`; the checker
    // rejects what a system pool cannot be (spot, taints, no nodes).
    let pools = crate::deploy::node_pools(located.block, &tf.env.name);
    let Some(system) = pools.first() else { return };
    // Nodes spread over as many availability zones as the network has (Azure regions have 3).
    let network_zones = network
        .as_deref()
        .and_then(|name| tf.ctx.find(name))
        .and_then(|it| get_int(&it.block.env_attrs(&tf.env.name), "zones"))
        .unwrap_or(3)
        .clamp(1, 3);
    let zones = Expr::strs((1..=network_zones).map(|zone| zone.to_string()));
    let private = get_bool(attrs, "private").unwrap_or(true);
    tf.add(
        "kubernetes.tf",
        located,
        Block::resource("azurerm_kubernetes_cluster", &id)
            .attr("name", name.clone())
            .raw("resource_group_name", RG)
            .raw("location", LOCATION)
            .attr("dns_prefix", name.clone())
            .attr("kubernetes_version", get_str(attrs, "version").unwrap_or("1.34"))
            .attr("sku_tier", "Standard")
            .attr("private_cluster_enabled", private)
            .attr("local_account_disabled", true)
            .attr("role_based_access_control_enabled", true)
            .attr("azure_policy_enabled", true)
            .attr("automatic_upgrade_channel", "patch")
            .block(
                Block::new("default_node_pool", &[])
                    .attr("name", "system")
                    .attr("vm_size", system.class.clone())
                    .attr("auto_scaling_enabled", system.autoscaled())
                    .attr_if(system.autoscaled(), "min_count", system.min)
                    .attr_if(system.autoscaled(), "max_count", system.max)
                    .attr_if(!system.autoscaled(), "node_count", system.min)
                    .attr("os_disk_size_gb", system.disk_gb() as i64)
                    .attr_if(!system.labels.is_empty(), "node_labels", super::string_map(&system.labels))
                    .attr("vnet_subnet_id", subnet.clone())
                    .attr("max_pods", 110)
                    .attr("host_encryption_enabled", true)
                    .attr("only_critical_addons_enabled", false)
                    .attr("zones", zones.clone()),
            )
            .block(Block::new("identity", &[]).attr("type", "SystemAssigned"))
            .block(
                Block::new("oms_agent", &[])
                    .raw("log_analytics_workspace_id", "azurerm_log_analytics_workspace.main.id"),
            )
            .block(Block::new("key_vault_secrets_provider", &[]).attr("secret_rotation_enabled", true))
            .block(
                Block::new("network_profile", &[])
                    .attr("network_plugin", "azure")
                    .attr("network_policy", "azure")
                    .attr("outbound_type", "loadBalancer"),
            )
            .block(Block::new("azure_active_directory_role_based_access_control", &[]).attr("azure_rbac_enabled", true))
            .attr("tags", tags(tf, attrs, located))
            .block_if(
                system.autoscaled(),
                // The cluster autoscaler owns the size; an apply must not reset it.
                Block::new("lifecycle", &[]).raw("ignore_changes", "[default_node_pool[0].node_count]"),
            ),
    );
    for pool in pools.iter().skip(1) {
        // AKS pool names: lowercase letters and digits, at most 12.
        let pool_name: String =
            dns_name(&pool.provider_name).chars().filter(|ch| ch.is_ascii_alphanumeric()).take(12).collect();
        let mut block =
            Block::resource("azurerm_kubernetes_cluster_node_pool", &format!("{id}_{}", tf_name(&pool.name)))
                .attr("name", pool_name)
                .raw("kubernetes_cluster_id", format!("azurerm_kubernetes_cluster.{id}.id"))
                .attr("vm_size", pool.class.clone())
                .attr("auto_scaling_enabled", pool.autoscaled())
                .attr_if(pool.autoscaled(), "min_count", pool.min)
                .attr_if(pool.autoscaled(), "max_count", pool.max)
                .attr_if(!pool.autoscaled(), "node_count", pool.min)
                .attr("os_disk_size_gb", pool.disk_gb() as i64)
                .attr("vnet_subnet_id", subnet.clone())
                .attr("max_pods", 110)
                .attr("host_encryption_enabled", true)
                .attr("zones", zones.clone())
                .attr("priority", if pool.spot { "Spot" } else { "Regular" });
        let mut taints: Vec<String> = pool.taints.iter().map(crate::deploy::Taint::spec).collect();
        let mut labels = pool.labels.clone();
        if pool.spot {
            // AKS adds this taint and label to every spot pool; declaring them keeps plans stable.
            block = block.attr("eviction_policy", "Delete").attr("spot_max_price", Expr::Num(-1));
            taints.push("kubernetes.azure.com/scalesetpriority=spot:NoSchedule".into());
            labels.push(("kubernetes.azure.com/scalesetpriority".into(), "spot".into()));
        }
        block = block.attr_if(!taints.is_empty(), "node_taints", Expr::strs(taints)).attr_if(
            !labels.is_empty(),
            "node_labels",
            super::string_map(&labels),
        );
        if pool.autoscaled() {
            block = block.block(Block::new("lifecycle", &[]).raw("ignore_changes", "[node_count]"));
        }
        tf.add("kubernetes.tf", located, block);
    }
}

fn password(tf: &mut Tf<'_>, file: &'static str, located: &Located<'_>) {
    tf.add(
        file,
        located,
        Block::resource("random_password", &tf_name(located.name())).attr("length", 32).attr("special", false),
    );
}

fn database(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let engine = get_str(attrs, "engine").unwrap_or("postgres");
    let ha = get_bool(attrs, "ha").unwrap_or(false);
    let retention = field(attrs, "backup", "retention").and_then(|it| match it.kind {
        ValueKind::Duration(ms) => Some((ms / 86_400_000) as i64), // CAT508: 7 to 35 whole days
        _ => None,
    });
    let network = get_ref(attrs, "network").map(String::from).or_else(|| tf.first_network());
    password(tf, "database.tf", located);
    match engine {
        "mongodb" => {
            tf.add(
                "database.tf",
                located,
                Block::resource("azurerm_cosmosdb_account", &id)
                    .attr("name", name.clone())
                    .raw("resource_group_name", RG)
                    .raw("location", LOCATION)
                    .attr("offer_type", "Standard")
                    .attr("kind", "MongoDB")
                    .attr("mongo_server_version", get_str(attrs, "version").unwrap_or("7.0"))
                    .attr("public_network_access_enabled", get_bool(attrs, "public").unwrap_or(false))
                    .attr("local_authentication_disabled", false)
                    .attr("automatic_failover_enabled", ha)
                    .block(Block::new("consistency_policy", &[]).attr("consistency_level", "Session"))
                    .block(
                        Block::new("geo_location", &[])
                            .raw("location", LOCATION)
                            .attr("failover_priority", 0)
                            .attr("zone_redundant", ha),
                    )
                    .block(Block::new("backup", &[]).attr("type", "Continuous").attr("tier", "Continuous30Days"))
                    .attr("tags", tags(tf, attrs, located)),
            );
        }
        "sqlserver" => {
            tf.add(
                "database.tf",
                located,
                Block::resource("azurerm_mssql_server", &id)
                    .attr("name", name.clone())
                    .raw("resource_group_name", RG)
                    .raw("location", LOCATION)
                    .attr("version", "12.0")
                    .attr("administrator_login", "planc")
                    .raw("administrator_login_password", format!("random_password.{id}.result"))
                    .attr("minimum_tls_version", "1.2")
                    .attr("public_network_access_enabled", get_bool(attrs, "public").unwrap_or(false))
                    .block(Block::new("identity", &[]).attr("type", "SystemAssigned"))
                    .attr("tags", tags(tf, attrs, located)),
            );
            tf.add(
                "database.tf",
                located,
                Block::resource("azurerm_mssql_database", &id)
                    .attr("name", dns_name(located.name()))
                    .raw("server_id", format!("azurerm_mssql_server.{id}.id"))
                    .attr("sku_name", get_str(attrs, "tier").unwrap_or("GP_Gen5_2"))
                    .attr("max_size_gb", size_gb(attrs, "storage").unwrap_or(32) as i64)
                    .attr("zone_redundant", ha)
                    .block(
                        Block::new("short_term_retention_policy", &[]).attr("retention_days", retention.unwrap_or(7)),
                    ),
            );
        }
        _ => {
            let resource = database_resource(engine);
            let storage_mb = (size_gb(attrs, "storage").unwrap_or(32) as i64) * 1024; // CAT508: a size Azure offers
            let mut block = Block::resource(resource, &id)
                .attr("name", name.clone())
                .raw("resource_group_name", RG)
                .raw("location", LOCATION)
                .attr(
                    "version",
                    get_str(attrs, "version").unwrap_or(if resource.contains("mysql") { "8.0.21" } else { "16" }),
                )
                .attr("sku_name", get_str(attrs, "tier").unwrap_or("B_Standard_B1ms"))
                .attr("administrator_login", "planc")
                .raw("administrator_password", format!("random_password.{id}.result"))
                .attr("backup_retention_days", retention.unwrap_or(7))
                .attr("geo_redundant_backup_enabled", true)
                .attr("zone", "1");
            block = if resource.contains("mysql") {
                block.block(
                    Block::new("storage", &[]).attr("size_gb", storage_mb / 1024).attr("auto_grow_enabled", true),
                )
            } else {
                block
                    .attr("storage_mb", storage_mb)
                    .attr("public_network_access_enabled", get_bool(attrs, "public").unwrap_or(false))
            };
            if ha {
                block = block.block(
                    Block::new("high_availability", &[])
                        .attr("mode", "ZoneRedundant")
                        .attr("standby_availability_zone", "2"),
                );
            }
            let subnet = subnet_id(tf, network.as_deref(), &["database"]);
            if subnet != Expr::raw("null") {
                block = block.attr("delegated_subnet_id", subnet);
            }
            tf.add("database.tf", located, block.attr("tags", tags(tf, attrs, located)));
            if !resource.contains("mysql") {
                tf.add(
                    "database.tf",
                    located,
                    Block::resource(
                        "azurerm_postgresql_flexible_server_configuration",
                        &format!("{id}_log_connections"),
                    )
                    .attr("name", "log_connections")
                    .raw("server_id", format!("{resource}.{id}.id"))
                    .attr("value", "on"),
                );
            }
        }
    }
}

fn cache(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let shape = crate::deploy::cache(attrs);
    // `Standard_C1`: SKU, family letter, capacity. CAT501 has checked the tier.
    let tier = shape.tier.clone().unwrap_or_default();
    let (sku, rest) = tier.split_once('_').unwrap_or((tier.as_str(), ""));
    let family = rest.get(..1).unwrap_or("");
    let capacity: i64 = rest.get(1..).and_then(|it| it.parse().ok()).unwrap_or(0);
    let version = shape.version.as_deref().and_then(|it| it.split('.').next()).unwrap_or("6").to_string();
    password(tf, "cache.tf", located);
    let mut block = Block::resource("azurerm_redis_cache", &id)
        .attr("name", name.clone())
        .raw("resource_group_name", RG)
        .raw("location", LOCATION)
        .attr("capacity", capacity)
        .attr("family", family)
        .attr("sku_name", sku)
        .attr("non_ssl_port_enabled", false)
        .attr("minimum_tls_version", "1.2")
        .attr("public_network_access_enabled", false)
        .attr("redis_version", version);
    if sku == "Premium" {
        // Premium: `nodes` over `shards`, each a primary with its replicas (CAT508 checks the split).
        block = block
            .attr_if(shape.shards > 1, "shard_count", shape.shards)
            .attr("replicas_per_primary", shape.replicas_per_shard());
    }
    tf.add(
        "cache.tf",
        located,
        block
            .block(Block::new("redis_configuration", &[]).attr("maxmemory_policy", shape.eviction.clone()))
            .attr("tags", tags(tf, attrs, located)),
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
    let account = account_name(tf, located.name());
    tf.add(
        "storage.tf",
        located,
        Block::resource("azurerm_storage_account", &id)
            .attr("name", account)
            .raw("resource_group_name", RG)
            .raw("location", LOCATION)
            .attr("account_tier", "Standard")
            // Geo-redundant to the region's pair; `replicate_to` the pair also makes the copy
            // readable there (CAT508 has checked it is the pair).
            .attr("account_replication_type", if get_str(attrs, "replicate_to").is_some() { "RAGRS" } else { "GRS" })
            .attr("min_tls_version", "TLS1_2")
            .attr("https_traffic_only_enabled", true)
            .attr("allow_nested_items_to_be_public", get_bool(attrs, "public").unwrap_or(false))
            .attr("shared_access_key_enabled", false)
            .attr("public_network_access_enabled", false)
            .attr("infrastructure_encryption_enabled", true)
            .block(Block::new("sas_policy", &[]).attr("expiration_period", "01.00:00:00"))
            .block(
                Block::new("blob_properties", &[])
                    .attr("versioning_enabled", get_bool(attrs, "versioning").unwrap_or(true))
                    .block(Block::new("delete_retention_policy", &[]).attr("days", 30))
                    .block(Block::new("container_delete_retention_policy", &[]).attr("days", 30)),
            )
            .block(
                Block::new("network_rules", &[])
                    .attr("default_action", "Deny")
                    .attr("bypass", Expr::strs(["AzureServices"])),
            )
            .block(Block::new("identity", &[]).attr("type", "SystemAssigned"))
            .attr("tags", tags(tf, attrs, located)),
    );
    tf.add(
        "storage.tf",
        located,
        Block::resource("azurerm_storage_container", &id)
            .attr("name", dns_name(located.name()))
            .raw("storage_account_id", format!("azurerm_storage_account.{id}.id"))
            .attr("container_access_type", if get_bool(attrs, "public").unwrap_or(false) { "blob" } else { "private" }),
    );
    let mut actions = Block::new("actions", &[]);
    let mut base = Block::new("base_blob", &[]);
    let mut any = false;
    if let Some(infrequent) = days(attrs, "infrequent") {
        base = base.attr("tier_to_cool_after_days_since_modification_greater_than", infrequent);
        any = true;
    }
    if let Some(archive) = days(attrs, "archive") {
        base = base.attr("tier_to_archive_after_days_since_modification_greater_than", archive);
        any = true;
    }
    if let Some(expire) = days(attrs, "expire") {
        base = base.attr("delete_after_days_since_modification_greater_than", expire);
        any = true;
    }
    if any {
        actions = actions.block(base);
        tf.add(
            "storage.tf",
            located,
            Block::resource("azurerm_storage_management_policy", &id)
                .raw("storage_account_id", format!("azurerm_storage_account.{id}.id"))
                .block(
                    Block::new("rule", &[])
                        .attr("name", "planc-lifecycle")
                        .attr("enabled", true)
                        .block(Block::new("filters", &[]).attr("blob_types", Expr::strs(["blockBlob"])))
                        .block(actions),
                ),
        );
    }
}

fn namespace(tf: &mut Tf<'_>) {
    if tf.files.get("messaging.tf").is_some_and(|file| {
        file.items
            .iter()
            .any(|(_, block)| block.labels.first().map(String::as_str) == Some("azurerm_servicebus_namespace"))
    }) {
        return;
    }
    tf.add_plain(
        "messaging.tf",
        vec!["The Service Bus namespace that holds every queue and topic of this environment.".into()],
        Block::resource("azurerm_servicebus_namespace", "main")
            .attr("name", format!("{}-{}-bus", tf.ctx.plan_name(), tf.env.name))
            .raw("resource_group_name", RG)
            .raw("location", LOCATION)
            .attr("sku", "Standard")
            .attr("minimum_tls_version", "1.2")
            .attr("local_auth_enabled", true)
            .attr("public_network_access_enabled", true)
            .block(Block::new("identity", &[]).attr("type", "SystemAssigned")),
    );
}

fn iso_duration(seconds: u64) -> String {
    if seconds % 86_400 == 0 {
        format!("P{}D", seconds / 86_400)
    } else {
        format!("PT{}S", seconds)
    }
}

fn messaging(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    namespace(tf);
    let id = tf_name(located.name());
    let name = dns_name(located.name());
    let ttl = duration_seconds(attrs, "retention").map(iso_duration);
    if located.block.kind == "topic" {
        tf.add(
            "messaging.tf",
            located,
            Block::resource("azurerm_servicebus_topic", &id)
                .attr("name", name)
                .raw("namespace_id", "azurerm_servicebus_namespace.main.id")
                .attr_if(ttl.is_some(), "default_message_ttl", ttl.clone().unwrap_or_default()),
        );
        return;
    }
    let mut queue = Block::resource("azurerm_servicebus_queue", &id)
        .attr("name", name.clone())
        .raw("namespace_id", "azurerm_servicebus_namespace.main.id")
        .attr("max_delivery_count", get_int(attrs, "max_receives").unwrap_or(5))
        .attr("dead_lettering_on_message_expiration", true)
        .attr_if(ttl.is_some(), "default_message_ttl", ttl.unwrap_or_default())
        .attr_if(get_bool(attrs, "fifo").unwrap_or(false), "requires_session", true);
    if let Some(target) = get_ref(attrs, "dead_letter") {
        queue = queue
            .raw("forward_dead_lettered_messages_to", format!("azurerm_servicebus_queue.{}.name", tf_name(target)));
    }
    tf.add("messaging.tf", located, queue);
    if let Some(Value { kind: ValueKind::List(topics), .. }) = attrs.get("subscribe") {
        for topic in topics.iter().filter_map(|it| match &it.kind {
            ValueKind::Ref(reference) => Some(reference.name.clone()),
            _ => None,
        }) {
            tf.add(
                "messaging.tf",
                located,
                Block::resource("azurerm_servicebus_subscription", &format!("{id}_{}", tf_name(&topic)))
                    .attr("name", name.clone())
                    .raw("topic_id", format!("azurerm_servicebus_topic.{}.id", tf_name(&topic)))
                    .attr("max_delivery_count", 5)
                    .raw("forward_to", format!("azurerm_servicebus_queue.{id}.name")),
            );
        }
    }
}

fn function(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let account = account_name(tf, &format!("{}fn", located.name()));
    tf.add(
        "functions.tf",
        located,
        Block::resource("azurerm_storage_account", &format!("{id}_code"))
            .attr("name", account)
            .raw("resource_group_name", RG)
            .raw("location", LOCATION)
            .attr("account_tier", "Standard")
            .attr("account_replication_type", "GRS")
            .attr("min_tls_version", "TLS1_2")
            .attr("allow_nested_items_to_be_public", false)
            .attr("public_network_access_enabled", false)
            .attr("shared_access_key_enabled", false)
            .attr("infrastructure_encryption_enabled", true)
            .block(Block::new("sas_policy", &[]).attr("expiration_period", "01.00:00:00"))
            .block(
                Block::new("blob_properties", &[])
                    .block(Block::new("delete_retention_policy", &[]).attr("days", 30))
                    .block(Block::new("container_delete_retention_policy", &[]).attr("days", 30)),
            ),
    );
    tf.add(
        "functions.tf",
        located,
        Block::resource("azurerm_service_plan", &id)
            .attr("name", name.clone())
            .raw("resource_group_name", RG)
            .raw("location", LOCATION)
            .attr("os_type", "Linux")
            .attr("sku_name", "Y1"),
    );
    let runtime = get_str(attrs, "runtime").unwrap_or("nodejs22");
    let stack = match runtime {
        "python3.12" => Block::new("application_stack", &[]).attr("python_version", "3.12"),
        "java21" => Block::new("application_stack", &[]).attr("java_version", "21"),
        "dotnet8" => {
            Block::new("application_stack", &[]).attr("dotnet_version", "8.0").attr("use_dotnet_isolated_runtime", true)
        }
        "go" => Block::new("application_stack", &[]).attr("use_custom_runtime", true),
        _ => Block::new("application_stack", &[]).attr("node_version", "22"),
    };
    let mut settings = super::function_environment(tf, attrs);
    if let Some(seconds) = crate::duration_seconds(attrs, "timeout") {
        // An app setting overrides host.json's `functionTimeout` (CAT508 keeps it within 10 min).
        let hms = format!("{:02}:{:02}:{:02}", seconds / 3600, seconds % 3600 / 60, seconds % 60);
        settings.push(("AzureFunctionsJobHost__functionTimeout".into(), Expr::str(hms)));
    }
    tf.add(
        "functions.tf",
        located,
        Block::resource("azurerm_linux_function_app", &id)
            .attr("name", name.clone())
            .raw("resource_group_name", RG)
            .raw("location", LOCATION)
            .raw("service_plan_id", format!("azurerm_service_plan.{id}.id"))
            .raw("storage_account_name", format!("azurerm_storage_account.{id}_code.name"))
            .attr("storage_uses_managed_identity", true)
            // The zip of `source` (the function's name when omitted), as for Lambda.
            .raw(
                "zip_deploy_file",
                format!("\"${{path.module}}/{}.zip\"", dns_name(get_str(attrs, "source").unwrap_or(located.name()))),
            )
            .attr("https_only", true)
            .attr("public_network_access_enabled", false)
            .attr("client_certificate_enabled", true)
            .block(Block::new("identity", &[]).attr("type", "SystemAssigned"))
            .block(
                Block::new("site_config", &[])
                    .attr("minimum_tls_version", "1.2")
                    .attr("ftps_state", "Disabled")
                    .attr("http2_enabled", true)
                    .block(stack),
            )
            .block(Block::new("auth_settings_v2", &[]).attr("auth_enabled", true).block(Block::new("login", &[])))
            .attr("app_settings", Expr::Object(settings))
            .attr("tags", tags(tf, attrs, located)),
    );
}

fn gateway(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let network = get_ref(attrs, "network").map(String::from).or_else(|| tf.first_network());
    let subnet = subnet_id(tf, network.as_deref(), &["public", "private"]);
    let waf = get_bool(attrs, "waf").unwrap_or(false);
    tf.add(
        "edge.tf",
        located,
        Block::resource("azurerm_public_ip", &format!("{id}_gateway"))
            .attr("name", format!("{name}-ip"))
            .raw("resource_group_name", RG)
            .raw("location", LOCATION)
            .attr("allocation_method", "Static")
            .attr("sku", "Standard"),
    );
    let variable = format!("{id}_certificate_secret_id");
    tf.variables.entry(variable.clone()).or_insert_with(|| {
        Block::new("variable", &[&variable])
            .attr(
                "description",
                format!("The Key Vault secret id of the TLS certificate of gateway `{}`.", located.name()),
            )
            .raw("type", "string")
    });
    if waf {
        tf.add(
            "edge.tf",
            located,
            Block::resource("azurerm_web_application_firewall_policy", &id)
                .attr("name", format!("{name}-waf"))
                .raw("resource_group_name", RG)
                .raw("location", LOCATION)
                .block(
                    Block::new("policy_settings", &[])
                        .attr("enabled", true)
                        .attr("mode", "Prevention")
                        .attr("request_body_check", true),
                )
                .block_if(
                    get_int(attrs, "rate_limit").is_some(),
                    // `rate_limit` requests per client address and minute, then 429s.
                    Block::new("custom_rules", &[])
                        .attr("name", "RateLimitPerClient")
                        .attr("priority", 1)
                        .attr("rule_type", "RateLimitRule")
                        .attr("action", "Block")
                        .attr("rate_limit_duration", "OneMin")
                        .attr("rate_limit_threshold", get_int(attrs, "rate_limit").unwrap_or(0))
                        .attr("group_rate_limit_by", "ClientAddr")
                        .block(
                            Block::new("match_conditions", &[])
                                .attr("operator", "IPMatch")
                                .attr("negation_condition", true)
                                .attr("match_values", Expr::strs(["255.255.255.255/32"]))
                                .block(Block::new("match_variables", &[]).attr("variable_name", "RemoteAddr")),
                        ),
                )
                .block(
                    Block::new("managed_rules", &[])
                        .block(Block::new("managed_rule_set", &[]).attr("type", "OWASP").attr("version", "3.2"))
                        .block(
                            Block::new("managed_rule_set", &[])
                                .attr("type", "Microsoft_BotManagerRuleSet")
                                .attr("version", "1.0"),
                        ),
                ),
        );
    }
    let mut block = Block::resource("azurerm_application_gateway", &id)
        .attr("name", name.clone())
        .raw("resource_group_name", RG)
        .raw("location", LOCATION)
        .attr("zones", Expr::strs(["1", "2", "3"]))
        .block(
            Block::new("sku", &[])
                .attr("name", if waf { "WAF_v2" } else { "Standard_v2" })
                .attr("tier", if waf { "WAF_v2" } else { "Standard_v2" }),
        )
        .block(Block::new("autoscale_configuration", &[]).attr("min_capacity", 1).attr("max_capacity", 4))
        .block(
            Block::new("identity", &[])
                .attr("type", "UserAssigned")
                .raw("identity_ids", format!("[azurerm_user_assigned_identity.{id}.id]")),
        )
        .block(Block::new("gateway_ip_configuration", &[]).attr("name", "gateway").attr("subnet_id", subnet))
        .block(Block::new("frontend_port", &[]).attr("name", "https").attr("port", 443))
        .block(
            Block::new("frontend_ip_configuration", &[])
                .attr("name", "public")
                .raw("public_ip_address_id", format!("azurerm_public_ip.{id}_gateway.id")),
        )
        .block(Block::new("backend_address_pool", &[]).attr("name", "cluster"))
        .block(
            Block::new("backend_http_settings", &[])
                .attr("name", "https")
                .attr("cookie_based_affinity", "Disabled")
                .attr("port", 443)
                .attr("protocol", "Https")
                .attr("request_timeout", 30),
        )
        .block(
            Block::new("ssl_certificate", &[])
                .attr("name", "tls")
                .raw("key_vault_secret_id", format!("var.{variable}")),
        )
        .block(
            Block::new("ssl_policy", &[])
                .attr("policy_type", "Predefined")
                .attr("policy_name", "AppGwSslPolicy20220101S"),
        )
        .block(
            Block::new("http_listener", &[])
                .attr("name", "https")
                .attr("frontend_ip_configuration_name", "public")
                .attr("frontend_port_name", "https")
                .attr("protocol", "Https")
                .attr("ssl_certificate_name", "tls")
                .attr_if(get_str(attrs, "host").is_some(), "host_name", get_str(attrs, "host").unwrap_or("")),
        )
        .block(
            Block::new("request_routing_rule", &[])
                .attr("name", "cluster")
                .attr("priority", 100)
                .attr("rule_type", "Basic")
                .attr("http_listener_name", "https")
                .attr("backend_address_pool_name", "cluster")
                .attr("backend_http_settings_name", "https"),
        );
    if waf {
        block = block.raw("firewall_policy_id", format!("azurerm_web_application_firewall_policy.{id}.id"));
    }
    tf.add(
        "edge.tf",
        located,
        Block::resource("azurerm_user_assigned_identity", &id)
            .attr("name", format!("{name}-gateway"))
            .raw("resource_group_name", RG)
            .raw("location", LOCATION),
    );
    tf.add("edge.tf", located, block.attr("tags", tags(tf, attrs, located)));
}

fn cdn(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let Some(origin) = get_ref(attrs, "origin") else { return };
    let origin_id = tf_name(origin);
    let origin_kind = tf.ctx.index.lookup(origin).map(|it| it.kind.clone()).unwrap_or_default();
    let host = match origin_kind.as_str() {
        "bucket" => format!("azurerm_storage_account.{origin_id}.primary_blob_host"),
        _ => format!("azurerm_public_ip.{origin_id}_gateway.ip_address"),
    };
    tf.add(
        "edge.tf",
        located,
        Block::resource("azurerm_cdn_frontdoor_profile", &id)
            .attr("name", name.clone())
            .raw("resource_group_name", RG)
            .attr(
                "sku_name",
                if get_bool(attrs, "waf").unwrap_or(false) {
                    "Premium_AzureFrontDoor"
                } else {
                    "Standard_AzureFrontDoor"
                },
            )
            .attr("tags", tags(tf, attrs, located)),
    );
    tf.add(
        "edge.tf",
        located,
        Block::resource("azurerm_cdn_frontdoor_endpoint", &id)
            .attr("name", name.clone())
            .raw("cdn_frontdoor_profile_id", format!("azurerm_cdn_frontdoor_profile.{id}.id")),
    );
    tf.add(
        "edge.tf",
        located,
        Block::resource("azurerm_cdn_frontdoor_origin_group", &id)
            .attr("name", "origin")
            .raw("cdn_frontdoor_profile_id", format!("azurerm_cdn_frontdoor_profile.{id}.id"))
            .block(Block::new("load_balancing", &[]).attr("sample_size", 4).attr("successful_samples_required", 3)),
    );
    tf.add(
        "edge.tf",
        located,
        Block::resource("azurerm_cdn_frontdoor_origin", &id)
            .attr("name", dns_name(origin))
            .raw("cdn_frontdoor_origin_group_id", format!("azurerm_cdn_frontdoor_origin_group.{id}.id"))
            .attr("enabled", true)
            .raw("host_name", host.clone())
            .raw("origin_host_header", host)
            .attr("certificate_name_check_enabled", true),
    );
    let profile = format!("azurerm_cdn_frontdoor_profile.{id}.id");
    let endpoint = format!("azurerm_cdn_frontdoor_endpoint.{id}.id");
    // `ttl`: a rule that overrides the origin's caching for every request of the route.
    let rule_set =
        format!("{}rules", name.chars().filter(|ch| ch.is_ascii_alphanumeric()).take(52).collect::<String>());
    let ttl = crate::duration_seconds(attrs, "ttl").unwrap_or(3600);
    tf.add(
        "edge.tf",
        located,
        Block::resource("azurerm_cdn_frontdoor_rule_set", &id)
            .attr("name", rule_set)
            .raw("cdn_frontdoor_profile_id", profile.clone()),
    );
    tf.add(
        "edge.tf",
        located,
        Block::resource("azurerm_cdn_frontdoor_rule", &id)
            .attr("name", "ttl")
            .raw("cdn_frontdoor_rule_set_id", format!("azurerm_cdn_frontdoor_rule_set.{id}.id"))
            .attr("order", 1)
            .raw("depends_on", format!("[azurerm_cdn_frontdoor_origin_group.{id}, azurerm_cdn_frontdoor_origin.{id}]"))
            .block(
                Block::new("actions", &[]).block(
                    Block::new("route_configuration_override_action", &[])
                        .attr("cache_behavior", "OverrideAlways")
                        .attr(
                            "cache_duration",
                            format!(
                                "{}.{:02}:{:02}:{:02}",
                                ttl / 86_400,
                                ttl % 86_400 / 3600,
                                ttl % 3600 / 60,
                                ttl % 60
                            ),
                        )
                        .attr("compression_enabled", true)
                        .attr("query_string_caching_behavior", "UseQueryString"),
                ),
            ),
    );
    let mut route = Block::resource("azurerm_cdn_frontdoor_route", &id)
        .attr("name", "default")
        .raw("cdn_frontdoor_endpoint_id", endpoint.clone())
        .raw("cdn_frontdoor_origin_group_id", format!("azurerm_cdn_frontdoor_origin_group.{id}.id"))
        .raw("cdn_frontdoor_origin_ids", format!("[azurerm_cdn_frontdoor_origin.{id}.id]"))
        .raw("cdn_frontdoor_rule_set_ids", format!("[azurerm_cdn_frontdoor_rule_set.{id}.id]"))
        .attr("supported_protocols", Expr::strs(["Https"]))
        .attr("https_redirect_enabled", false)
        .attr("patterns_to_match", Expr::strs(["/*"]))
        .attr("forwarding_protocol", "HttpsOnly");
    let mut domains = vec![endpoint];
    if let Some(host) = get_str(attrs, "host") {
        tf.add(
            "edge.tf",
            located,
            Block::resource("azurerm_cdn_frontdoor_custom_domain", &id)
                .attr("name", dns_name(host))
                .raw("cdn_frontdoor_profile_id", profile.clone())
                .attr("host_name", host)
                .block(Block::new("tls", &[]).attr("certificate_type", "ManagedCertificate")),
        );
        let domain = format!("azurerm_cdn_frontdoor_custom_domain.{id}.id");
        route = route.raw("cdn_frontdoor_custom_domain_ids", format!("[{domain}]"));
        domains.push(domain);
    }
    tf.add("edge.tf", located, route);
    if get_bool(attrs, "waf").unwrap_or(false) {
        // The Premium profile's WAF: Microsoft's default and bot rule sets, blocking.
        tf.add(
            "edge.tf",
            located,
            Block::resource("azurerm_cdn_frontdoor_firewall_policy", &id)
                .attr(
                    "name",
                    format!("{}waf", name.chars().filter(|ch| ch.is_ascii_alphanumeric()).take(60).collect::<String>()),
                )
                .raw("resource_group_name", RG)
                .attr("sku_name", "Premium_AzureFrontDoor")
                .attr("enabled", true)
                .attr("mode", "Prevention")
                .block(
                    Block::new("managed_rule", &[])
                        .attr("type", "Microsoft_DefaultRuleSet")
                        .attr("version", "2.1")
                        .attr("action", "Block"),
                )
                .block(
                    Block::new("managed_rule", &[])
                        .attr("type", "Microsoft_BotManagerRuleSet")
                        .attr("version", "1.1")
                        .attr("action", "Block"),
                ),
        );
        let associations = Block::new("association", &[]).attr("patterns_to_match", Expr::strs(["/*"]));
        let associations = domains.iter().fold(associations, |block, domain| {
            block.block(Block::new("domain", &[]).raw("cdn_frontdoor_domain_id", domain.clone()))
        });
        tf.add(
            "edge.tf",
            located,
            Block::resource("azurerm_cdn_frontdoor_security_policy", &id)
                .attr("name", format!("{name}-waf"))
                .raw("cdn_frontdoor_profile_id", profile)
                .block(
                    Block::new("security_policies", &[]).block(
                        Block::new("firewall", &[])
                            .raw(
                                "cdn_frontdoor_firewall_policy_id",
                                format!("azurerm_cdn_frontdoor_firewall_policy.{id}.id"),
                            )
                            .block(associations),
                    ),
                ),
        );
    }
}

fn vm(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let network = get_ref(attrs, "network").map(String::from).or_else(|| tf.first_network());
    let subnet = subnet_id(tf, network.as_deref(), &["private", "public"]);
    let variable = format!("{id}_ssh_public_key");
    tf.variables.entry(variable.clone()).or_insert_with(|| {
        Block::new("variable", &[&variable])
            .attr("description", format!("The SSH public key of the admin of `{}`.", located.name()))
            .raw("type", "string")
    });
    let (parts, image_ref): (Vec<&str>, _) =
        (get_str(attrs, "image").unwrap_or("Canonical:ubuntu-24_04-lts:server:latest").split(':').collect(), ());
    let _ = image_ref;
    let source_image = Block::new("source_image_reference", &[])
        .attr("publisher", parts.first().copied().unwrap_or("Canonical"))
        .attr("offer", parts.get(1).copied().unwrap_or("ubuntu-24_04-lts"))
        .attr("sku", parts.get(2).copied().unwrap_or("server"))
        .attr("version", parts.get(3).copied().unwrap_or("latest"));
    let Some(set) = crate::deploy::vm_set(attrs) else { return };
    let disk = set.disk_gb() as i64;
    let custom_data = get_str(attrs, "user_data").map(|it| format!("base64encode({})", super::hcl::quote(it)));
    let os_disk = || {
        Block::new("os_disk", &[])
            .attr("caching", "ReadWrite")
            .attr(
                "storage_account_type",
                match set.disk.kind.as_deref() {
                    Some("balanced") => "StandardSSD_LRS",
                    Some("hdd") => "Standard_LRS",
                    _ => "Premium_LRS",
                },
            )
            .attr("disk_size_gb", disk)
    };
    // Spot VMs are evicted, not deleted, and pay at most the on-demand price (-1).
    let spot = |block: Block| {
        let block = block.raw_if(custom_data.is_some(), "custom_data", custom_data.clone().unwrap_or_default());
        if set.spot {
            block
                .attr("priority", "Spot")
                .attr("eviction_policy", "Deallocate")
                .attr("max_bid_price", Expr::Float(-1.0))
        } else {
            block
        }
    };
    if !set.autoscaled() {
        // A fixed count is that many VMs with stable addresses (`azurerm_linux_virtual_machine.x[0]`).
        let counted = set.min != 1;
        let with_count =
            |block: Block| if counted { block.attr("for_each", super::instance_keys(set.min)) } else { block };
        let indexed =
            |text: &str| if counted { Expr::raw(format!("\"{text}-${{each.key}}\"")) } else { Expr::str(text) };
        let index = if counted { "[each.key]" } else { "" };
        let mut ip = Block::new("ip_configuration", &[])
            .attr("name", "internal")
            .attr("subnet_id", subnet)
            .attr("private_ip_address_allocation", "Dynamic");
        if set.public_ip {
            tf.add(
                "compute.tf",
                located,
                with_count(Block::resource("azurerm_public_ip", &id))
                    .attr("name", indexed(&name))
                    .raw("resource_group_name", RG)
                    .raw("location", LOCATION)
                    .attr("allocation_method", "Static")
                    .attr("sku", "Standard")
                    .attr("tags", tags(tf, attrs, located)),
            );
            ip = ip.raw("public_ip_address_id", format!("azurerm_public_ip.{id}{index}.id"));
        }
        tf.add(
            "compute.tf",
            located,
            with_count(Block::resource("azurerm_network_interface", &id))
                .attr("name", indexed(&name))
                .raw("resource_group_name", RG)
                .raw("location", LOCATION)
                .block(ip),
        );
        tf.add(
            "compute.tf",
            located,
            spot(
                with_count(Block::resource("azurerm_linux_virtual_machine", &id))
                    .attr("name", indexed(&name))
                    .raw("resource_group_name", RG)
                    .raw("location", LOCATION)
                    .attr("size", set.class.clone()),
            )
            .attr("admin_username", "planc")
            .attr("disable_password_authentication", true)
            .attr("allow_extension_operations", false)
            .attr("encryption_at_host_enabled", true)
            .raw("network_interface_ids", format!("[azurerm_network_interface.{id}{index}.id]"))
            .block(
                Block::new("admin_ssh_key", &[]).attr("username", "planc").raw("public_key", format!("var.{variable}")),
            )
            .block(os_disk())
            .block(source_image)
            .block(Block::new("identity", &[]).attr("type", "SystemAssigned"))
            .attr("tags", tags(tf, attrs, located)),
        );
        return;
    }
    let mut ip =
        Block::new("ip_configuration", &[]).attr("name", "internal").attr("primary", true).attr("subnet_id", subnet);
    if set.public_ip {
        ip = ip.block(Block::new("public_ip_address", &[]).attr("name", "public"));
    }
    tf.add(
        "compute.tf",
        located,
        spot(
            Block::resource("azurerm_linux_virtual_machine_scale_set", &id)
                .attr("name", name.clone())
                .raw("resource_group_name", RG)
                .raw("location", LOCATION)
                .attr("sku", set.class.clone())
                .attr("instances", set.min),
        )
        .attr("admin_username", "planc")
        .attr("disable_password_authentication", true)
        .attr("encryption_at_host_enabled", true)
        .block(Block::new("admin_ssh_key", &[]).attr("username", "planc").raw("public_key", format!("var.{variable}")))
        .block(os_disk())
        .block(source_image)
        .block(Block::new("network_interface", &[]).attr("name", "internal").attr("primary", true).block(ip))
        .attr("tags", tags(tf, attrs, located))
        // The autoscale setting owns the instance count.
        .block(Block::new("lifecycle", &[]).raw("ignore_changes", "[instances]")),
    );
    tf.add(
        "compute.tf",
        located,
        Block::resource("azurerm_monitor_autoscale_setting", &id)
            .attr("name", format!("{name}-autoscale"))
            .raw("resource_group_name", RG)
            .raw("location", LOCATION)
            .raw("target_resource_id", format!("azurerm_linux_virtual_machine_scale_set.{id}.id"))
            .block(Block::new("profile", &[]).attr("name", "default").block(
                Block::new("capacity", &[]).attr("default", set.min).attr("minimum", set.min).attr("maximum", set.max),
            )),
    );
}

fn registry(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name: String = format!("{}{}{}", tf.ctx.plan_name(), tf.env.name, located.name())
        .chars()
        .filter(|ch| ch.is_ascii_alphanumeric())
        .take(50)
        .collect();
    tf.add(
        "registry.tf",
        located,
        Block::resource("azurerm_container_registry", &id)
            .attr("name", name)
            .raw("resource_group_name", RG)
            .raw("location", LOCATION)
            .attr("sku", "Premium")
            .attr("admin_enabled", false)
            .attr("public_network_access_enabled", false)
            .attr("zone_redundancy_enabled", true)
            .attr("quarantine_policy_enabled", get_bool(attrs, "scan_on_push").unwrap_or(true))
            .attr("data_endpoint_enabled", true)
            .attr("retention_policy_in_days", 7)
            .attr("trust_policy_enabled", get_bool(attrs, "immutable_tags").unwrap_or(false))
            .attr("tags", tags(tf, attrs, located)),
    );
    if let Some(keep) = get_int(attrs, "keep_last") {
        // ACR has no "keep the last N" policy: a daily task runs `acr purge` with `--keep`.
        let step = format!(
            "version: v1.1.0\nsteps:\n  - cmd: acr purge --filter '.*:.*' --ago 0d --keep {keep} --untagged\n    disableWorkingDirectoryOverride: true\n    timeout: 3600\n"
        );
        tf.add(
            "registry.tf",
            located,
            Block::resource("azurerm_container_registry_task", &id)
                .attr("name", "purge")
                .raw("container_registry_id", format!("azurerm_container_registry.{id}.id"))
                .block(Block::new("platform", &[]).attr("os", "Linux"))
                .block(
                    Block::new("encoded_step", &[])
                        .raw("task_content", format!("base64encode({})", super::hcl::quote(&step))),
                )
                .block(Block::new("timer_trigger", &[]).attr("name", "daily").attr("schedule", "0 3 * * *")),
        );
    }
}

/// The monitoring block on Azure: an action group per `notify` channel. The environment's logs
/// are the Log Analytics workspace of `foundation`, which keeps the block's retention.
fn monitoring(tf: &mut Tf<'_>, located: &Located<'_>, _attrs: &EnvAttrs<'_>) {
    for channel in super::alerts::all_channels(located.block) {
        let id = format!("notify_{}", tf_name(channel.name));
        let short: String = dns_name(channel.name).chars().take(12).collect();
        let mut group = Block::resource("azurerm_monitor_action_group", &id)
            .attr("name", tf.cloud_name(&format!("notify-{}", channel.name)))
            .raw("resource_group_name", RG)
            .attr("short_name", short);
        for (index, email) in channel.emails.iter().enumerate() {
            group = group.block(
                Block::new("email_receiver", &[])
                    .attr("name", format!("email-{}", index + 1))
                    .attr("email_address", *email)
                    .attr("use_common_alert_schema", true),
            );
        }
        if let Some(webhook) = channel.webhook {
            let uri = super::alerts::webhook_url(tf, webhook).unwrap_or_else(|| Expr::raw("null"));
            group = group.block(
                Block::new("webhook_receiver", &[])
                    .attr("name", "webhook")
                    .attr("service_uri", uri)
                    .attr("use_common_alert_schema", true),
            );
        }
        tf.add("monitoring.tf", located, group);
    }
}

/// A metric alert on the resource a block compiled to (Service Bus queues through the
/// namespace, filtered to the queue).
fn alert(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let Some(watch) = super::alerts::watch(tf, "azure", attrs) else { return };
    let id = tf_name(watch.target.name());
    let engine = get_str(&watch.target_attrs, "engine").unwrap_or("");
    let (scope, namespace, entity) = match watch.target.block.kind.as_str() {
        "database" => {
            let resource = database_resource(engine);
            let namespace = match resource {
                "azurerm_mysql_flexible_server" => "Microsoft.DBforMySQL/flexibleServers",
                _ => "Microsoft.DBforPostgreSQL/flexibleServers",
            };
            (format!("{resource}.{id}.id"), namespace, None)
        }
        "cache" => (format!("azurerm_redis_cache.{id}.id"), "Microsoft.Cache/redis", None),
        "queue" => (
            "azurerm_servicebus_namespace.main.id".to_string(),
            "Microsoft.ServiceBus/namespaces",
            Some(format!("azurerm_servicebus_queue.{id}.name")),
        ),
        "gateway" => (format!("azurerm_application_gateway.{id}.id"), "Microsoft.Network/applicationGateways", None),
        _ => (format!("azurerm_linux_function_app.{id}.id"), "Microsoft.Web/sites", None),
    };
    let severity = match watch.condition.severity.as_str() {
        "critical" => 0,
        "error" => 1,
        "warning" => 2,
        _ => 3,
    };
    let mut criteria = Block::new("criteria", &[])
        .attr("metric_namespace", namespace)
        .attr("metric_name", watch.cloud_metric.name.clone())
        .attr("aggregation", watch.cloud_metric.statistic.clone())
        .attr("operator", if watch.condition.above { "GreaterThan" } else { "LessThan" })
        .attr("threshold", Expr::Float(watch.threshold));
    if let Some(entity) = entity {
        criteria = criteria.block(
            Block::new("dimension", &[])
                .attr("name", "EntityName")
                .attr("operator", "Include")
                .attr("values", Expr::List(vec![Expr::raw(entity)])),
        );
    }
    let mut block = Block::resource("azurerm_monitor_metric_alert", &tf_name(located.name()))
        .attr("name", tf.cloud_name(located.name()))
        .raw("resource_group_name", RG)
        .attr("scopes", Expr::List(vec![Expr::raw(scope)]))
        .attr("description", super::alerts::description(located, attrs, &watch))
        .attr("severity", severity)
        .attr("frequency", "PT1M")
        .attr("window_size", iso_minutes(watch.condition.minutes))
        .block(criteria);
    for channel in super::alerts::channels(tf, attrs) {
        block = block.block(
            Block::new("action", &[])
                .raw("action_group_id", format!("azurerm_monitor_action_group.notify_{}.id", tf_name(channel.name))),
        );
    }
    let tags = tags(tf, attrs, located);
    tf.add("monitoring.tf", located, block.attr("tags", tags));
}

/// Minutes as an ISO 8601 duration: `PT5M`, `PT1H`, `P1D` (Azure Monitor's windows).
fn iso_minutes(minutes: u64) -> String {
    match minutes {
        1440 => "P1D".to_string(),
        m if m % 60 == 0 => format!("PT{}H", m / 60),
        m => format!("PT{m}M"),
    }
}

/// An Azure DNS zone (or a private DNS zone linked to the network) and its records, one
/// resource type per record type as azurerm has them.
fn dns(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    use crate::deploy::dns::Target;
    let id = tf_name(located.name());
    let zone = get_str(attrs, "zone").unwrap_or_default().to_string();
    let private = get_bool(attrs, "private").unwrap_or(false);
    let prefix = if private { "azurerm_private_dns" } else { "azurerm_dns" };
    let tags = tags(tf, attrs, located);
    tf.add(
        "dns.tf",
        located,
        Block::resource(&format!("{prefix}_zone"), &id)
            .attr("name", zone)
            .raw("resource_group_name", RG)
            .attr("tags", tags),
    );
    if private {
        if let Some(network) = get_ref(attrs, "network").map(String::from).or_else(|| tf.first_network()) {
            tf.add(
                "dns.tf",
                located,
                Block::resource("azurerm_private_dns_zone_virtual_network_link", &id)
                    .attr("name", tf.cloud_name(&format!("{}-{network}", located.name())))
                    .raw("resource_group_name", RG)
                    .raw("private_dns_zone_name", format!("azurerm_private_dns_zone.{id}.name"))
                    .raw("virtual_network_id", format!("azurerm_virtual_network.{}.id", tf_name(&network))),
            );
        }
    }
    let env = tf.env.name.clone();
    let ctx = tf.ctx;
    let records =
        crate::deploy::dns::records(located.block, attrs, &env, ctx.blocks.iter().map(|it| it.block), |block| {
            ctx.exists_in(block, &env)
        });
    for record in records {
        let kind = record.kind.to_ascii_lowercase();
        let mut block = Block::resource(&format!("{prefix}_{kind}_record"), &format!("{id}_{}", tf_name(&record.key)))
            .attr("name", record.label.clone())
            .raw("zone_name", format!("{prefix}_zone.{id}.name"))
            .raw("resource_group_name", RG)
            .attr("ttl", record.ttl as i64);
        block = match (&record.target, kind.as_str()) {
            (Target::Block(target_kind, target), _) => {
                let target = tf_name(target);
                match (target_kind.as_str(), private) {
                    ("cdn", _) => block.raw("record", format!("azurerm_cdn_frontdoor_endpoint.{target}.host_name")),
                    (_, false) => block.raw("target_resource_id", format!("azurerm_public_ip.{target}_gateway.id")),
                    (_, true) => block.attr(
                        "records",
                        Expr::List(vec![Expr::raw(format!("azurerm_public_ip.{target}_gateway.ip_address"))]),
                    ),
                }
            }
            (Target::Values(values), "cname") => block.attr("record", values.first().cloned().unwrap_or_default()),
            (Target::Values(values), "txt") => {
                for value in values {
                    block = block.block(Block::new("record", &[]).attr("value", value.clone()));
                }
                block
            }
            (Target::Values(values), "mx") => {
                for value in values {
                    let (preference, exchange) = value.split_once(' ').unwrap_or(("10", value));
                    block = block.block(
                        Block::new("record", &[])
                            .attr("preference", preference.trim().parse::<i64>().unwrap_or(10))
                            .attr("exchange", exchange.trim()),
                    );
                }
                block
            }
            (Target::Values(values), _) => block.attr("records", Expr::strs(values.iter().cloned())),
        };
        tf.add("dns.tf", located, block);
    }
}

/// A container as a Container App in the environment's Container Apps environment; secret
/// vars are Container Apps secrets.
fn container(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let shape = crate::deploy::container::container(attrs);
    if !tf.files.get("containers.tf").is_some_and(|file| !file.is_empty()) {
        tf.add_plain(
            "containers.tf",
            vec![format!("The Container Apps environment of `{}`.", tf.env.name)],
            Block::resource("azurerm_container_app_environment", "containers")
                .attr("name", tf.cloud_name("containers"))
                .raw("resource_group_name", RG)
                .raw("location", LOCATION)
                .raw("log_analytics_workspace_id", "azurerm_log_analytics_workspace.main.id"),
        );
    }
    let mut container = Block::new("container", &[])
        .attr("name", dns_name(located.name()))
        .attr("image", get_str(attrs, "image").unwrap_or(""))
        .attr("cpu", Expr::Float(shape.cpu as f64 / 1000.0))
        .attr("memory", format!("{}Gi", (shape.memory as f64 / (1u64 << 30) as f64)));
    let mut secrets = Vec::new();
    for (key, value) in crate::map_entries(attrs, "vars") {
        let mut env = Block::new("env", &[]).attr("name", key);
        match tf.ctx.var_route(value, tf.env) {
            crate::VarRoute::Literal(text) => env = env.attr("value", text),
            crate::VarRoute::Applied => match super::var_expression(tf, value) {
                Some(expression) => env = env.attr("value", expression),
                None => continue,
            },
            crate::VarRoute::Secret => {
                let Some(expression) = super::var_expression(tf, value) else { continue };
                let secret = dns_name(key);
                secrets.push(Block::new("secret", &[]).attr("name", secret.clone()).attr("value", expression));
                env = env.attr("secret_name", secret);
            }
        }
        container = container.block(env);
    }
    let (low, high) = shape.replicas;
    let mut app = Block::resource("azurerm_container_app", &id)
        .attr("name", tf.cloud_name(located.name()))
        .raw("container_app_environment_id", "azurerm_container_app_environment.containers.id")
        .raw("resource_group_name", RG)
        .attr("revision_mode", "Single")
        .block(Block::new("template", &[]).attr("min_replicas", low).attr("max_replicas", high).block(container));
    for secret in secrets {
        app = app.block(secret);
    }
    if let (Some(port), false) = (shape.port, shape.expose == "none") {
        app = app.block(
            Block::new("ingress", &[])
                .attr("external_enabled", shape.expose == "public")
                .attr("target_port", port)
                .attr("allow_insecure_connections", false)
                .block(Block::new("traffic_weight", &[]).attr("latest_revision", true).attr("percentage", 100)),
        );
    }
    let tags = tags(tf, attrs, located);
    tf.add("containers.tf", located, app.attr("tags", tags));
}

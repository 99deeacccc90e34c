//! Which Terraform resources become which Plan kinds, and how their arguments become Plan
//! attributes. Each rule reads the arguments it knows; what is left becomes the block's
//! `terraform { }` override (checked by CAT510 against the provider's schema), so that every
//! value reaches the output. Arguments that Plan derives from the model itself (placement,
//! IAM, keys, passwords) are left to Plan, and reported when they held a value of their own.

use std::collections::{BTreeMap, BTreeSet};

use hcl::{Body, Expression};

use super::read::{Module, Resource};
use super::value::{self, Target};
use super::{Cx, PlanBlock};

pub struct Rule {
    pub r#type: &'static str,
    pub cloud: &'static str,
    pub kind: &'static str,
    /// The Terraform type of the block this one nests in (a node pool's cluster).
    pub parent: Option<&'static str>,
    /// Whether this resource is one the kind models (an engine Plan offers, say).
    pub accepts: fn(&Resource) -> bool,
    pub translate: fn(&mut Cx<'_>, &Resource) -> PlanBlock,
}

// One rule per line, as a table.
#[rustfmt::skip]
const RULES: &[Rule] = &[
    Rule { r#type: "aws_vpc", cloud: "aws", kind: "network", parent: None, accepts: any, translate: aws_vpc },
    Rule { r#type: "aws_db_instance", cloud: "aws", kind: "database", parent: None, accepts: rds_engine, translate: aws_db_instance },
    Rule { r#type: "aws_eks_cluster", cloud: "aws", kind: "cluster", parent: None, accepts: any, translate: aws_eks_cluster },
    Rule { r#type: "aws_eks_node_group", cloud: "aws", kind: "node_pool", parent: Some("aws_eks_cluster"), accepts: any, translate: aws_eks_node_group },
    Rule { r#type: "aws_s3_bucket", cloud: "aws", kind: "bucket", parent: None, accepts: any, translate: aws_s3_bucket },
    Rule { r#type: "aws_elasticache_replication_group", cloud: "aws", kind: "cache", parent: None, accepts: redis_group, translate: aws_elasticache_replication_group },
    Rule { r#type: "aws_elasticache_cluster", cloud: "aws", kind: "cache", parent: None, accepts: memcached, translate: aws_elasticache_cluster },
    Rule { r#type: "aws_sqs_queue", cloud: "aws", kind: "queue", parent: None, accepts: any, translate: aws_sqs_queue },
    Rule { r#type: "aws_sns_topic", cloud: "aws", kind: "topic", parent: None, accepts: any, translate: aws_sns_topic },
    Rule { r#type: "aws_ecr_repository", cloud: "aws", kind: "registry", parent: None, accepts: any, translate: aws_ecr_repository },
    Rule { r#type: "aws_instance", cloud: "aws", kind: "vm", parent: None, accepts: any, translate: aws_instance },
    Rule { r#type: "module:vpc", cloud: "aws", kind: "network", parent: None, accepts: any, translate: module_vpc },
    Rule { r#type: "module:eks", cloud: "aws", kind: "cluster", parent: None, accepts: any, translate: module_eks },
    Rule { r#type: "module:rds", cloud: "aws", kind: "database", parent: None, accepts: rds_module_engine, translate: module_rds },
    Rule { r#type: "module:s3-bucket", cloud: "aws", kind: "bucket", parent: None, accepts: any, translate: module_s3_bucket },
    Rule { r#type: "azurerm_virtual_network", cloud: "azure", kind: "network", parent: None, accepts: any, translate: azurerm_virtual_network },
    Rule { r#type: "azurerm_kubernetes_cluster", cloud: "azure", kind: "cluster", parent: None, accepts: any, translate: azurerm_kubernetes_cluster },
    Rule { r#type: "azurerm_kubernetes_cluster_node_pool", cloud: "azure", kind: "node_pool", parent: Some("azurerm_kubernetes_cluster"), accepts: any, translate: azurerm_kubernetes_cluster_node_pool },
    Rule { r#type: "azurerm_postgresql_flexible_server", cloud: "azure", kind: "database", parent: None, accepts: any, translate: azurerm_flexible_server },
    Rule { r#type: "azurerm_mysql_flexible_server", cloud: "azure", kind: "database", parent: None, accepts: any, translate: azurerm_flexible_server },
    Rule { r#type: "azurerm_storage_account", cloud: "azure", kind: "bucket", parent: None, accepts: any, translate: azurerm_storage_account },
    Rule { r#type: "azurerm_redis_cache", cloud: "azure", kind: "cache", parent: None, accepts: any, translate: azurerm_redis_cache },
    Rule { r#type: "google_compute_network", cloud: "gcp", kind: "network", parent: None, accepts: any, translate: google_compute_network },
    Rule { r#type: "google_container_cluster", cloud: "gcp", kind: "cluster", parent: None, accepts: any, translate: google_container_cluster },
    Rule { r#type: "google_container_node_pool", cloud: "gcp", kind: "node_pool", parent: Some("google_container_cluster"), accepts: any, translate: google_container_node_pool },
    Rule { r#type: "google_sql_database_instance", cloud: "gcp", kind: "database", parent: None, accepts: cloud_sql_engine, translate: google_sql_database_instance },
    Rule { r#type: "google_storage_bucket", cloud: "gcp", kind: "bucket", parent: None, accepts: any, translate: google_storage_bucket },
    Rule { r#type: "google_redis_instance", cloud: "gcp", kind: "cache", parent: None, accepts: any, translate: google_redis_instance },
];

pub fn rule(r#type: &str, cloud: &str) -> Option<&'static Rule> {
    RULES.iter().find(|it| it.r#type == r#type && it.cloud == cloud)
}

fn any(_: &Resource) -> bool {
    true
}

fn literal_attr(resource: &Resource, key: &str) -> Option<String> {
    resource.body.attributes().find(|it| it.key.as_str() == key).and_then(|it| match &it.expr {
        Expression::String(text) => Some(text.clone()),
        _ => None,
    })
}

fn rds_engine(resource: &Resource) -> bool {
    literal_attr(resource, "engine").is_some_and(|it| rds_engine_name(&it).is_some())
}

fn rds_engine_name(engine: &str) -> Option<&'static str> {
    match engine {
        "postgres" => Some("postgres"),
        "mysql" => Some("mysql"),
        "mariadb" => Some("mariadb"),
        it if it.starts_with("sqlserver-") => Some("sqlserver"),
        _ => None,
    }
}

fn rds_module_engine(resource: &Resource) -> bool {
    rds_engine(resource)
}

/// A replication group is Redis when it says so or says nothing (the provider's default); an
/// engine given otherwise (Valkey, or a variable) stays a raw block rather than be guessed.
fn redis_group(resource: &Resource) -> bool {
    match resource.body.attributes().find(|it| it.key.as_str() == "engine") {
        None => true,
        Some(_) => literal_attr(resource, "engine").is_some_and(|it| it == "redis"),
    }
}

fn memcached(resource: &Resource) -> bool {
    literal_attr(resource, "engine").is_some_and(|it| it == "memcached")
}

fn cloud_sql_engine(resource: &Resource) -> bool {
    literal_attr(resource, "database_version").is_some_and(|it| cloud_sql_version(&it).is_some())
}

/// `POSTGRES_16` → (postgres, "16"); `MYSQL_8_0` → (mysql, "8.0"); `SQLSERVER_2022_STANDARD`
/// → (sqlserver, "2022").
fn cloud_sql_version(version: &str) -> Option<(&'static str, String)> {
    let (engine, rest) = version.split_once('_')?;
    let engine = match engine {
        "POSTGRES" => "postgres",
        "MYSQL" => "mysql",
        "SQLSERVER" => return Some(("sqlserver", rest.split('_').next()?.to_string())),
        _ => return None,
    };
    Some((engine, rest.replace('_', ".")))
}

/// A modelled resource that is really part of another: an RDS read replica of an imported
/// primary.
pub fn merged_into(
    module: &Module,
    address: &str,
    rule: &Rule,
    modelled: &BTreeMap<String, &'static Rule>,
) -> Option<String> {
    if rule.r#type != "aws_db_instance" {
        return None;
    }
    let resource = module.resources.iter().find(|it| it.address() == address)?;
    let source = resource.body.attributes().find(|it| it.key.as_str() == "replicate_source_db")?;
    let mut found = BTreeSet::new();
    super::expression_references(&source.expr, &mut found);
    found.into_iter().find(|it| it.starts_with("aws_db_instance.") && modelled.contains_key(it))
}

/// A resource's address, its new block of `kind`, and its arguments to take.
fn start<'r>(cx: &Cx<'_>, resource: &'r Resource, kind: &str) -> (String, PlanBlock, Rest<'r>) {
    let address = resource.address();
    let block = PlanBlock::new(kind, &cx.name(&address), &resource.file);
    (address, block, Rest::new(&resource.body))
}

/// The arguments of a resource, taken one by one; what is left is the override.
struct Rest<'r> {
    body: &'r Body,
    used: BTreeSet<String>,
}

impl<'r> Rest<'r> {
    fn new(body: &'r Body) -> Rest<'r> {
        Rest { body, used: BTreeSet::new() }
    }

    fn take(&mut self, key: &str) -> Option<&'r Expression> {
        let found = self.body.attributes().find(|it| it.key.as_str() == key).map(|it| &it.expr)?;
        self.used.insert(key.to_string());
        Some(found)
    }

    fn block(&mut self, key: &str) -> Option<&'r Body> {
        let found = self.body.blocks().find(|it| it.identifier.as_str() == key).map(|it| &it.body)?;
        self.used.insert(key.to_string());
        Some(found)
    }

    fn blocks(&mut self, key: &str) -> Vec<&'r Body> {
        self.used.insert(key.to_string());
        self.body.blocks().filter(|it| it.identifier.as_str() == key).map(|it| &it.body).collect()
    }

    /// Arguments Plan sets from the model. A value of their own that is not a reference to
    /// something Plan generates is reported as not kept.
    fn managed(&mut self, cx: &mut Cx<'_>, block: &mut PlanBlock, address: &str, keys: &[&str]) {
        for key in keys {
            if let Some(expression) = self.take(key) {
                managed_value(cx, block, address, key, expression);
            }
            if self.body.blocks().any(|it| it.identifier.as_str() == *key) {
                self.used.insert(key.to_string());
            }
        }
    }

    /// What is left: the `terraform { }` override when the kind has one, else reported.
    fn finish(self, cx: &mut Cx<'_>, block: &mut PlanBlock, address: &str, overridable: bool) {
        let skip: BTreeSet<&str> = self.used.iter().map(String::as_str).collect();
        if overridable {
            let lines = cx.body_lines(block, address, self.body, &skip);
            block.terraform.extend(lines);
            return;
        }
        for attribute in self.body.attributes() {
            let key = attribute.key.as_str();
            if !skip.contains(key) && !super::META.contains(&key) && !matches!(attribute.expr, Expression::Null) {
                let why = format!(
                    "`{key} = {}`: a {} takes no `terraform {{ }}` override",
                    value::text(&attribute.expr),
                    block.kind
                );
                cx.attention(block, address, key, &why);
            }
        }
        for nested in self.body.blocks() {
            let key = nested.identifier.as_str();
            if !skip.contains(key) && !super::META_BLOCKS.contains(&key) {
                let why = format!("the `{key}` block: a {} takes no `terraform {{ }}` override", block.kind);
                cx.attention(block, address, key, &why);
            }
        }
    }
}

/// Settings Plan always writes with these values: the same value in the Terraform loses
/// nothing.
const ALWAYS: &[(&str, &str)] = &[
    ("storage_encrypted", "true"),
    ("manage_master_user_password", "true"),
    ("at_rest_encryption_enabled", "true"),
    ("automatic_failover_enabled", "true"),
    ("sqs_managed_sse_enabled", "true"),
    ("remove_default_node_pool", "true"),
    ("initial_node_count", "1"),
    ("auto_create_subnetworks", "false"),
];

fn managed_value(cx: &mut Cx<'_>, block: &mut PlanBlock, address: &str, key: &str, expression: &Expression) {
    let literal = cx.translator.eval(expression).and_then(|it| value::literal(&it).ok());
    if ALWAYS.iter().any(|(always, value)| *always == key && literal.as_deref() == Some(*value)) {
        return;
    }
    // The plan's region is where Plan puts every block.
    if ["location", "region"].contains(&key) && cx.translator.string(expression).is_some_and(|it| it == cx.region) {
        return;
    }
    // Every Azure block goes in the resource group Plan makes for its environment, in the
    // plan's region; the group itself stays a raw block for the raw resources in it.
    if AZURE_PLACEMENT.contains(&key) && refs_only_resource_groups(expression) {
        return;
    }
    // A name that is the block's own name is the one Plan gives it.
    if cx.translator.string(expression).is_some_and(|it| it == block.name) {
        return;
    }
    let mut refs = BTreeSet::new();
    super::expression_references(expression, &mut refs);
    let generated = !refs.is_empty()
        && refs
            .iter()
            .all(|it| matches!(cx.translator.targets.get(it), Some(Target::Absorbed { .. } | Target::Modelled { .. })));
    if !generated && !matches!(expression, Expression::Null) {
        let why = format!("`{}`: Plan sets `{key}` from the model itself", value::text(expression));
        cx.attention(block, address, key, &why);
    }
}

fn quote(text: &str) -> String {
    format!("\"{}\"", value::escape(text))
}

fn size_gb(n: i64) -> String {
    format!("{n}GB")
}

/// Seconds in the largest unit that divides them.
fn duration(seconds: i64) -> String {
    match seconds {
        0 => "0s".into(),
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3_600 == 0 => format!("{}h", s / 3_600),
        s if s % 60 == 0 => format!("{}min", s / 60),
        s => format!("{s}s"),
    }
}

/// Sets a Plan attribute from a Terraform argument through `convert`, or reports why not.
fn set(
    cx: &mut Cx<'_>,
    block: &mut PlanBlock,
    address: &str,
    tf_key: &str,
    expression: Option<&Expression>,
    plan_key: &str,
    convert: impl Fn(&Cx<'_>, &Expression) -> Option<String>,
) {
    let Some(expression) = expression else { return };
    if matches!(expression, Expression::Null) {
        return;
    }
    match convert(cx, expression) {
        Some(value) if value.is_empty() => {}
        Some(value) => block.attr(plan_key, value),
        None => {
            let why = match cx.translator.value(expression) {
                Ok(_) => format!("`{}` is not a value `{plan_key}` takes", value::text(expression)),
                Err(why) => why,
            };
            cx.attention(block, address, tf_key, &why);
        }
    }
}

fn as_string(cx: &Cx<'_>, expression: &Expression) -> Option<String> {
    cx.translator.string(expression).map(|it| quote(&it))
}

fn as_bool(cx: &Cx<'_>, expression: &Expression) -> Option<String> {
    cx.translator.bool(expression).map(|it| it.to_string())
}

fn as_int(cx: &Cx<'_>, expression: &Expression) -> Option<String> {
    cx.translator.int(expression).map(|it| it.to_string())
}

fn as_gb(cx: &Cx<'_>, expression: &Expression) -> Option<String> {
    cx.translator.int(expression).map(size_gb)
}

fn as_seconds(cx: &Cx<'_>, expression: &Expression) -> Option<String> {
    cx.translator.int(expression).map(duration)
}

fn as_value(cx: &Cx<'_>, expression: &Expression) -> Option<String> {
    cx.translator.value(expression).ok()
}

/// Node labels without the one Plan adds to every pool itself.
fn as_labels(cx: &Cx<'_>, expression: &Expression) -> Option<String> {
    match cx.translator.eval(expression) {
        Some(hcl::Value::Object(mut labels)) => {
            labels.shift_remove("plan.dev/node-pool");
            // Nothing left: nothing to write (`set` skips an empty value).
            if labels.is_empty() {
                return Some(String::new());
            }
            value::literal(&hcl::Value::Object(labels)).ok()
        }
        _ => as_value(cx, expression),
    }
}

fn attr_in<'b>(body: &'b Body, key: &str) -> Option<&'b Expression> {
    body.attributes().find(|it| it.key.as_str() == key).map(|it| &it.expr)
}

fn block_in<'b>(body: &'b Body, key: &str) -> Option<&'b Body> {
    body.blocks().find(|it| it.identifier.as_str() == key).map(|it| &it.body)
}

/// The imported network a resource sits in: the first modelled network its references reach.
fn network_of(cx: &Cx<'_>, resource: &Resource) -> Option<String> {
    let mut seen = BTreeSet::new();
    let mut frontier: Vec<String> = super::references(&resource.body).into_iter().collect();
    for _ in 0..4 {
        let mut next = Vec::new();
        for address in frontier {
            if !seen.insert(address.clone()) {
                continue;
            }
            match cx.translator.targets.get(&address) {
                Some(Target::Modelled { name, kind: "network", .. }) => return Some(name.clone()),
                Some(Target::Absorbed { owner, kind: "network" }) => return Some(owner.clone()),
                _ => {}
            }
            if let Some(found) = cx.resource(&address) {
                next.extend(super::references(&found.body));
            }
        }
        frontier = next;
    }
    None
}

fn set_network(cx: &Cx<'_>, block: &mut PlanBlock, resource: &Resource) {
    if let Some(network) = network_of(cx, resource) {
        block.attr("network", network);
    }
}

/// `min..max`, or the one count when they agree.
fn nodes(min: Option<i64>, max: Option<i64>, fixed: Option<i64>) -> Option<String> {
    match (min, max, fixed) {
        (Some(min), Some(max), _) if min == max => Some(min.to_string()),
        (Some(min), Some(max), _) => Some(format!("{min}..{max}")),
        (_, _, Some(fixed)) => Some(fixed.to_string()),
        _ => None,
    }
}

fn object_block(kind: &str, entries: Vec<(String, String)>) -> PlanBlock {
    let mut block = PlanBlock::new(kind, "", "");
    block.attrs = entries;
    block
}

// ----- AWS ------------------------------------------------------------------------------------

fn aws_vpc(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "network");
    set(cx, &mut block, &address, "cidr_block", rest.take("cidr_block"), "cidr", as_string);
    let absorbed = cx.absorbed(&address);
    let subnets: Vec<&Resource> = absorbed.iter().copied().filter(|it| it.r#type == "aws_subnet").collect();
    let zones: BTreeSet<String> = subnets
        .iter()
        .filter_map(|it| attr_in(&it.body, "availability_zone").or_else(|| attr_in(&it.body, "availability_zone_id")))
        .map(|it| cx.translator.string(it).unwrap_or_else(|| value::text(it)))
        .collect();
    if !zones.is_empty() {
        block.attr("zones", zones.len().to_string());
    }
    let nat: Vec<&Resource> = absorbed.iter().copied().filter(|it| it.r#type == "aws_nat_gateway").collect();
    if !nat.is_empty() {
        block.attr("nat", "true");
        if nat.len() == 1 && zones.len() > 1 {
            block.attr("single_nat", "true");
        }
    } else if !subnets.is_empty() {
        block.attr("nat", "false");
    }
    if absorbed.iter().any(|it| it.r#type == "aws_flow_log") {
        block.attr("flow_logs", "true");
    }
    if !subnets.is_empty() {
        let ranges: Vec<String> =
            subnets.iter().filter_map(|it| attr_in(&it.body, "cidr_block")).map(value::text).collect();
        block.comments.push(format!(
            "imported from {} subnets ({}); Plan lays out its own public, private and database subnets in `cidr`",
            subnets.len(),
            ranges.join(", ")
        ));
    }
    rest.finish(cx, &mut block, &address, true);
    block
}

fn aws_db_instance(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    db_instance(cx, resource, false)
}

/// An `aws_db_instance`, or a call of the RDS module, whose inputs are mostly the same names.
fn db_instance(cx: &mut Cx<'_>, resource: &Resource, module: bool) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "database");
    set(cx, &mut block, &address, "engine", rest.take("engine"), "engine", |cx, it| {
        cx.translator.string(it).and_then(|it| rds_engine_name(&it)).map(str::to_string)
    });
    set(cx, &mut block, &address, "engine_version", rest.take("engine_version"), "version", as_string);
    set(cx, &mut block, &address, "instance_class", rest.take("instance_class"), "tier", as_string);
    set(cx, &mut block, &address, "allocated_storage", rest.take("allocated_storage"), "storage", as_gb);
    set(
        cx,
        &mut block,
        &address,
        "max_allocated_storage",
        rest.take("max_allocated_storage"),
        "storage_autoscale",
        |cx, it| cx.translator.int(it).filter(|it| *it > 0).map(size_gb),
    );
    set(cx, &mut block, &address, "multi_az", rest.take("multi_az"), "ha", as_bool);
    set(cx, &mut block, &address, "publicly_accessible", rest.take("publicly_accessible"), "public", as_bool);
    set(
        cx,
        &mut block,
        &address,
        "deletion_protection",
        rest.take("deletion_protection"),
        "deletion_protection",
        as_bool,
    );
    set(
        cx,
        &mut block,
        &address,
        "maintenance_window",
        rest.take("maintenance_window"),
        "maintenance_window",
        |cx, it| cx.translator.string(it).map(|it| quote(&it.to_lowercase())),
    );
    let replicas = cx.absorbed(&address).iter().filter(|it| it.r#type == "aws_db_instance").count();
    if replicas > 0 {
        block.attr("read_replicas", replicas.to_string());
    }
    set_network(cx, &mut block, resource);
    if let Some(retention) = rest.take("backup_retention_period") {
        match cx.translator.int(retention) {
            Some(days) => block.children.push(object_block("backup", vec![("retention".into(), format!("{days}d"))])),
            None => {
                let why = cx.translator.value(retention).err().unwrap_or_default();
                cx.attention(&mut block, &address, "backup_retention_period", &why);
            }
        }
    }
    rest.managed(
        cx,
        &mut block,
        &address,
        &[
            "db_subnet_group_name",
            "vpc_security_group_ids",
            "password",
            "manage_master_user_password",
            "master_user_secret_kms_key_id",
            "kms_key_id",
            "storage_encrypted",
            "parameter_group_name",
            "monitoring_role_arn",
        ],
    );
    if module {
        // The RDS module's inputs for the groups it creates, which Plan creates itself from
        // `engine` and `version`: the switches and the family are derived, not lost.
        for derived in ["create_db_subnet_group", "create_db_parameter_group", "family", "major_engine_version"] {
            rest.take(derived);
        }
        rest.managed(cx, &mut block, &address, &["subnet_ids", "parameters", "options", "create_db_option_group"]);
        finish_module(rest, cx, &mut block, &address, "aws_db_instance");
    } else {
        rest.finish(cx, &mut block, &address, true);
    }
    block
}

fn aws_eks_cluster(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "cluster");
    set(cx, &mut block, &address, "version", rest.take("version"), "version", as_string);
    set_network(cx, &mut block, resource);
    if let Some(vpc) = rest.block("vpc_config") {
        if let Some(public) = attr_in(vpc, "endpoint_public_access") {
            set(cx, &mut block, &address, "vpc_config.endpoint_public_access", Some(public), "private", |cx, it| {
                cx.translator.bool(it).map(|it| (!it).to_string())
            });
        }
        set(
            cx,
            &mut block,
            &address,
            "vpc_config.public_access_cidrs",
            attr_in(vpc, "public_access_cidrs"),
            "authorized_networks",
            as_value,
        );
        for key in ["subnet_ids", "security_group_ids"] {
            if let Some(expression) = attr_in(vpc, key) {
                managed_value(cx, &mut block, &address, &format!("vpc_config.{key}"), expression);
            }
        }
    }
    set(
        cx,
        &mut block,
        &address,
        "enabled_cluster_log_types",
        rest.take("enabled_cluster_log_types"),
        "logs",
        |cx, it| match cx.translator.eval(it)? {
            hcl::Value::Array(items) => Some((!items.is_empty()).to_string()),
            _ => None,
        },
    );
    rest.managed(cx, &mut block, &address, &["role_arn", "encryption_config"]);
    rest.finish(cx, &mut block, &address, true);
    block
}

fn aws_eks_node_group(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "node_pool");
    if let Some(types) = rest.take("instance_types") {
        match cx.translator.eval(types) {
            Some(hcl::Value::Array(items)) if !items.is_empty() => {
                if let Some(first) = items[0].as_str() {
                    block.attr("size", quote(first));
                }
                if items.len() > 1 {
                    let why = format!("`{}`: a node pool has one size; the first was kept", value::text(types));
                    cx.attention(&mut block, &address, "instance_types", &why);
                }
            }
            _ => {
                let why = cx.translator.value(types).err().unwrap_or_else(|| "not a list of types".into());
                cx.attention(&mut block, &address, "instance_types", &why);
            }
        }
    } else {
        // EKS's default is t3.medium; Plan asks for the size to be written.
        block.attr("size", quote("t3.medium"));
        cx.defaulted(&mut block, &address, "instance_types", "not set: EKS's default, t3.medium, is written");
    }
    if let Some(scaling) = rest.block("scaling_config") {
        let get = |key: &str| attr_in(scaling, key).and_then(|it| cx.translator.int(it));
        let (min, max, desired) = (get("min_size"), get("max_size"), get("desired_size"));
        match nodes(min, max, desired) {
            Some(nodes) => block.attr("nodes", nodes),
            None => cx.attention(&mut block, &address, "scaling_config", "its sizes are not literals"),
        }
        if let (Some(desired), Some(min)) = (desired, min) {
            if desired != min {
                block.comments.push(format!("`desired_size = {desired}` is left to the cluster autoscaler"));
            }
        }
    }
    set(cx, &mut block, &address, "capacity_type", rest.take("capacity_type"), "spot", |cx, it| {
        cx.translator.string(it).map(|it| (it == "SPOT").to_string())
    });
    set(cx, &mut block, &address, "labels", rest.take("labels"), "labels", as_labels);
    let taints: Vec<String> = rest
        .blocks("taint")
        .iter()
        .filter_map(|taint| {
            let key = cx.translator.string(attr_in(taint, "key")?)?;
            let value = attr_in(taint, "value").and_then(|it| cx.translator.string(it)).unwrap_or_default();
            let effect = match cx.translator.string(attr_in(taint, "effect")?)?.as_str() {
                "NO_SCHEDULE" => "NoSchedule",
                "NO_EXECUTE" => "NoExecute",
                "PREFER_NO_SCHEDULE" => "PreferNoSchedule",
                _ => return None,
            };
            Some(quote(&format!("{key}={value}:{effect}")))
        })
        .collect();
    if !taints.is_empty() {
        block.attr("taints", format!("[{}]", taints.join(", ")));
    }
    set(cx, &mut block, &address, "disk_size", rest.take("disk_size"), "disk", as_gb);
    rest.managed(cx, &mut block, &address, &["cluster_name", "node_role_arn", "subnet_ids", "node_group_name"]);
    rest.finish(cx, &mut block, &address, false);
    block
}

fn aws_s3_bucket(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "bucket");
    if let Some(versioning) = rest.block("versioning") {
        set(cx, &mut block, &address, "versioning.enabled", attr_in(versioning, "enabled"), "versioning", as_bool);
    }
    for part in cx.absorbed(&address) {
        let part_address = part.address();
        match part.r#type.as_str() {
            "aws_s3_bucket_versioning" => {
                let status = block_in(&part.body, "versioning_configuration").and_then(|it| attr_in(it, "status"));
                if let Some(status) = status.and_then(|it| cx.translator.string(it)) {
                    block.attr("versioning", (status == "Enabled").to_string());
                }
            }
            "aws_s3_bucket_public_access_block" => {
                let open = ["block_public_policy", "restrict_public_buckets"]
                    .iter()
                    .all(|key| attr_in(&part.body, key).and_then(|it| cx.translator.bool(it)) == Some(false));
                if open {
                    block.attr("public", "true");
                }
            }
            "aws_s3_bucket_server_side_encryption_configuration" => {
                let key = block_in(&part.body, "rule")
                    .and_then(|it| block_in(it, "apply_server_side_encryption_by_default"))
                    .and_then(|it| attr_in(it, "kms_master_key_id"));
                if let Some(key) = key {
                    match cx.translator.string(key) {
                        Some(key) => block.attr("kms_key", quote(&key)),
                        None => {
                            let why = format!(
                                "`{}`: Plan's bucket key is the environment's unless `kms_key` names one",
                                value::text(key)
                            );
                            cx.attention(&mut block, &part_address, "kms_master_key_id", &why);
                        }
                    }
                }
            }
            "aws_s3_bucket_lifecycle_configuration" => {
                let (lifecycle, lost) = s3_lifecycle(cx, &part.body);
                if !lifecycle.is_empty() {
                    block.children.push(object_block("lifecycle", lifecycle));
                }
                for why in lost {
                    cx.attention(&mut block, &part_address, "rule", &why);
                }
            }
            "aws_s3_bucket_policy" | "aws_s3_bucket_ownership_controls" => {
                block.comments.push(format!("`{part_address}` is replaced by the policy and ownership Plan writes"));
            }
            _ => {}
        }
    }
    rest.finish(cx, &mut block, &address, true);
    block
}

/// An S3 lifecycle configuration's transitions and expiry as Plan's `lifecycle`, with what
/// it cannot say.
fn s3_lifecycle(cx: &Cx<'_>, body: &Body) -> (Vec<(String, String)>, Vec<String>) {
    let mut entries = Vec::new();
    let mut lost = Vec::new();
    let rules: Vec<&Body> = body.blocks().filter(|it| it.identifier.as_str() == "rule").map(|it| &it.body).collect();
    if rules.len() > 1 {
        lost.push(format!(
            "{} rules: Plan's `lifecycle` is one rule for the whole bucket; the first was kept",
            rules.len()
        ));
    }
    let Some(rule) = rules.first() else { return (entries, lost) };
    if block_in(rule, "filter").is_some_and(|it| it.attributes().next().is_some() || it.blocks().next().is_some()) {
        lost.push("a rule `filter`: Plan's lifecycle applies to every object".into());
    }
    for transition in rule.blocks().filter(|it| it.identifier.as_str() == "transition") {
        let days = attr_in(&transition.body, "days").and_then(|it| cx.translator.int(it));
        let class = attr_in(&transition.body, "storage_class").and_then(|it| cx.translator.string(it));
        let key = match class.as_deref() {
            Some("STANDARD_IA" | "ONEZONE_IA" | "INTELLIGENT_TIERING") => "infrequent",
            Some("GLACIER" | "GLACIER_IR" | "DEEP_ARCHIVE") => "archive",
            _ => {
                lost.push(format!("a transition to `{}`", class.unwrap_or_default()));
                continue;
            }
        };
        match days {
            Some(days) if !entries.iter().any(|(it, _): &(String, String)| it == key) => {
                entries.push((key.to_string(), format!("{days}d")))
            }
            _ => lost.push(format!("a second or computed `{key}` transition")),
        }
    }
    if let Some(days) =
        block_in(rule, "expiration").and_then(|it| attr_in(it, "days")).and_then(|it| cx.translator.int(it))
    {
        entries.push(("expire".into(), format!("{days}d")));
    }
    (entries, lost)
}

fn aws_elasticache_replication_group(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "cache");
    rest.take("engine");
    block.attr("engine", "redis");
    set(cx, &mut block, &address, "engine_version", rest.take("engine_version"), "version", as_string);
    set(cx, &mut block, &address, "node_type", rest.take("node_type"), "tier", as_string);
    let shards = rest.take("num_node_groups").and_then(|it| cx.translator.int(it));
    let replicas = rest.take("replicas_per_node_group").and_then(|it| cx.translator.int(it));
    let clusters = rest.take("num_cache_clusters").and_then(|it| cx.translator.int(it));
    match (shards, replicas, clusters) {
        (Some(shards), replicas, _) => {
            block.attr("shards", shards.to_string());
            block.attr("nodes", (shards * (1 + replicas.unwrap_or(0))).to_string());
        }
        (None, _, Some(clusters)) => block.attr("nodes", clusters.to_string()),
        _ => {}
    }
    set(
        cx,
        &mut block,
        &address,
        "transit_encryption_enabled",
        rest.take("transit_encryption_enabled"),
        "tls",
        as_bool,
    );
    for group in cx.absorbed(&address).into_iter().filter(|it| it.r#type == "aws_elasticache_parameter_group") {
        for parameter in group.body.blocks().filter(|it| it.identifier.as_str() == "parameter") {
            let name = attr_in(&parameter.body, "name").and_then(|it| cx.translator.string(it));
            let value = attr_in(&parameter.body, "value").and_then(|it| cx.translator.string(it));
            match (name.as_deref(), value) {
                (Some("maxmemory-policy"), Some(policy)) => block.attr("eviction", value::object_key(&policy)),
                (Some(name), _) => {
                    let why = format!("the Redis parameter `{name}`: Plan sets only `maxmemory-policy` (`eviction`)");
                    cx.attention(&mut block, &group.address(), "parameter", &why);
                }
                _ => {}
            }
        }
    }
    set_network(cx, &mut block, resource);
    if let Some(days) = rest.take("snapshot_retention_limit").and_then(|it| cx.translator.int(it)).filter(|it| *it > 0)
    {
        block.children.push(object_block("backup", vec![("retention".into(), format!("{days}d"))]));
    }
    rest.managed(
        cx,
        &mut block,
        &address,
        &[
            "subnet_group_name",
            "security_group_ids",
            "auth_token",
            "kms_key_id",
            "at_rest_encryption_enabled",
            "automatic_failover_enabled",
            "multi_az_enabled",
            "parameter_group_name",
        ],
    );
    rest.finish(cx, &mut block, &address, true);
    block
}

fn aws_elasticache_cluster(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "cache");
    rest.take("engine");
    block.attr("engine", "memcached");
    set(cx, &mut block, &address, "engine_version", rest.take("engine_version"), "version", as_string);
    set(cx, &mut block, &address, "node_type", rest.take("node_type"), "tier", as_string);
    set(cx, &mut block, &address, "num_cache_nodes", rest.take("num_cache_nodes"), "nodes", as_int);
    set_network(cx, &mut block, resource);
    rest.managed(cx, &mut block, &address, &["subnet_group_name", "security_group_ids", "parameter_group_name"]);
    rest.finish(cx, &mut block, &address, true);
    block
}

fn aws_sqs_queue(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "queue");
    set(cx, &mut block, &address, "fifo_queue", rest.take("fifo_queue"), "fifo", as_bool);
    set(
        cx,
        &mut block,
        &address,
        "message_retention_seconds",
        rest.take("message_retention_seconds"),
        "retention",
        as_seconds,
    );
    set(
        cx,
        &mut block,
        &address,
        "visibility_timeout_seconds",
        rest.take("visibility_timeout_seconds"),
        "visibility_timeout",
        as_seconds,
    );
    if let Some(redrive) = rest.take("redrive_policy") {
        match redrive_policy(cx, redrive) {
            Some((queue, receives)) => {
                block.attr("dead_letter", queue);
                if let Some(receives) = receives {
                    block.attr("max_receives", receives.to_string());
                }
            }
            None => {
                let why =
                    format!("`{}`: the dead-letter queue must be an imported `aws_sqs_queue`", value::text(redrive));
                cx.attention(&mut block, &address, "redrive_policy", &why);
            }
        }
    }
    let topics: Vec<String> = cx
        .absorbed(&address)
        .iter()
        .filter(|it| it.r#type == "aws_sns_topic_subscription")
        .filter_map(|it| attr_in(&it.body, "topic_arn"))
        .filter_map(|it| {
            let mut refs = BTreeSet::new();
            super::expression_references(it, &mut refs);
            refs.iter().find_map(|it| match cx.translator.targets.get(it) {
                Some(Target::Modelled { name, kind: "topic", .. }) => Some(name.clone()),
                _ => None,
            })
        })
        .collect();
    if !topics.is_empty() {
        block.attr("subscribe", format!("[{}]", topics.join(", ")));
    }
    rest.managed(cx, &mut block, &address, &["kms_master_key_id", "sqs_managed_sse_enabled"]);
    rest.finish(cx, &mut block, &address, true);
    block
}

/// `jsonencode({ deadLetterTargetArn = aws_sqs_queue.dlq.arn, maxReceiveCount = 5 })`.
fn redrive_policy(cx: &Cx<'_>, expression: &Expression) -> Option<(String, Option<i64>)> {
    let Expression::FuncCall(call) = expression else { return None };
    let Some(Expression::Object(entries)) = call.args.first() else { return None };
    let mut queue = None;
    let mut receives = None;
    for (key, value) in entries.iter() {
        let key = match key {
            hcl::ObjectKey::Identifier(it) => it.to_string(),
            hcl::ObjectKey::Expression(Expression::String(it)) => it.clone(),
            _ => continue,
        };
        match key.as_str() {
            "deadLetterTargetArn" => {
                if let Expression::Traversal(traversal) = value {
                    if let (Expression::Variable(root), Some(hcl::expr::TraversalOperator::GetAttr(name))) =
                        (&traversal.expr, traversal.operators.first())
                    {
                        let address = format!("{}.{name}", root.as_str());
                        if let Some(Target::Modelled { name, kind: "queue", .. }) = cx.translator.targets.get(&address)
                        {
                            queue = Some(name.clone());
                        }
                    }
                }
            }
            "maxReceiveCount" => receives = cx.translator.int(value),
            _ => return None,
        }
    }
    queue.map(|it| (it, receives))
}

fn aws_sns_topic(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "topic");
    set(cx, &mut block, &address, "fifo_topic", rest.take("fifo_topic"), "fifo", as_bool);
    rest.managed(cx, &mut block, &address, &["kms_master_key_id"]);
    rest.finish(cx, &mut block, &address, true);
    block
}

fn aws_ecr_repository(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "registry");
    set(
        cx,
        &mut block,
        &address,
        "image_tag_mutability",
        rest.take("image_tag_mutability"),
        "immutable_tags",
        |cx, it| cx.translator.string(it).map(|it| it.starts_with("IMMUTABLE").to_string()),
    );
    if let Some(scanning) = rest.block("image_scanning_configuration") {
        set(
            cx,
            &mut block,
            &address,
            "image_scanning_configuration.scan_on_push",
            attr_in(scanning, "scan_on_push"),
            "scan_on_push",
            as_bool,
        );
    }
    if cx.absorbed(&address).iter().any(|it| it.r#type == "aws_ecr_lifecycle_policy") {
        block.comments.push(
            "its aws_ecr_lifecycle_policy is replaced by Plan's `keep_last` (set it to the number of images to keep)"
                .into(),
        );
    }
    rest.managed(cx, &mut block, &address, &["encryption_configuration"]);
    rest.finish(cx, &mut block, &address, true);
    block
}

fn aws_instance(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "vm");
    set(cx, &mut block, &address, "instance_type", rest.take("instance_type"), "size", as_string);
    set(cx, &mut block, &address, "ami", rest.take("ami"), "image", as_string);
    set(
        cx,
        &mut block,
        &address,
        "count",
        resource.body.attributes().find(|it| it.key.as_str() == "count").map(|it| &it.expr),
        "count",
        as_int,
    );
    set(
        cx,
        &mut block,
        &address,
        "associate_public_ip_address",
        rest.take("associate_public_ip_address"),
        "public_ip",
        as_bool,
    );
    set(cx, &mut block, &address, "user_data", rest.take("user_data"), "user_data", as_string);
    if let Some(root) = rest.block("root_block_device") {
        set(cx, &mut block, &address, "root_block_device.volume_size", attr_in(root, "volume_size"), "disk", as_gb);
    }
    set_network(cx, &mut block, resource);
    rest.managed(cx, &mut block, &address, &["subnet_id", "vpc_security_group_ids", "iam_instance_profile"]);
    rest.finish(cx, &mut block, &address, true);
    block
}

// ----- AWS registry modules (terraform-aws-modules) ------------------------------------------
//
// Input names from each module's documented inputs on the Terraform Registry (vpc 5.x, eks 20.x
// and 21.x, rds 6.x, s3-bucket 4.x). An input that is also an argument of the module's main
// resource goes into the block's `terraform { }`; any other input is reported.

/// A field of an object value, by key.
fn value_field<'v>(value: &'v hcl::Value, key: &str) -> Option<&'v hcl::Value> {
    value.as_object().and_then(|it| it.get(key))
}

/// A field of an object expression, by key.
fn field<'e>(expression: &'e Expression, key: &str) -> Option<&'e Expression> {
    let Expression::Object(entries) = expression else { return None };
    entries.iter().find_map(|(name, value)| {
        let name = match name {
            hcl::ObjectKey::Identifier(it) => it.to_string(),
            hcl::ObjectKey::Expression(Expression::String(it)) => it.clone(),
            _ => return None,
        };
        (name == key).then_some(value)
    })
}

/// The first of several input names that is set (modules rename inputs between versions);
/// all of them are taken.
fn take_any<'r>(rest: &mut Rest<'r>, keys: &[&'static str]) -> Option<(&'static str, &'r Expression)> {
    let mut found = None;
    for key in keys {
        if let Some(expression) = rest.take(key) {
            found = found.or(Some((*key, expression)));
        }
    }
    found
}

/// What is left of a module call: inputs that are arguments of `main` go into the override,
/// the others are reported.
fn finish_module(rest: Rest<'_>, cx: &mut Cx<'_>, block: &mut PlanBlock, address: &str, main: &str) {
    let node = plan_catalog::provider_schema::provider_of(main).and_then(|it| it.resource(main));
    for attribute in rest.body.attributes() {
        let key = attribute.key.as_str();
        if rest.used.contains(key) || ["source", "version", "providers"].contains(&key) || super::META.contains(&key) {
            continue;
        }
        if matches!(attribute.expr, Expression::Null) {
            continue;
        }
        let argument = node.is_some_and(|it| {
            matches!(
                plan_catalog::provider_schema::field(it, key),
                plan_catalog::provider_schema::Field::Argument { computed_only: false, .. }
            )
        });
        if !argument {
            let why = format!("`{key} = {}`: a module input Plan does not model", value::text(&attribute.expr));
            cx.attention(block, address, key, &why);
            continue;
        }
        match cx.translator.value(&attribute.expr) {
            Ok(value) => block.terraform.push(format!("{} = {value}", value::object_key(key))),
            Err(why) => cx.attention(block, address, key, &why),
        }
    }
}

fn module_vpc(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "network");
    set(cx, &mut block, &address, "cidr", rest.take("cidr"), "cidr", as_string);
    set(cx, &mut block, &address, "azs", rest.take("azs"), "zones", |cx, it| match cx.translator.eval(it)? {
        hcl::Value::Array(items) => Some(items.len().to_string()),
        _ => None,
    });
    set(cx, &mut block, &address, "enable_nat_gateway", rest.take("enable_nat_gateway"), "nat", as_bool);
    set(cx, &mut block, &address, "single_nat_gateway", rest.take("single_nat_gateway"), "single_nat", as_bool);
    rest.take("one_nat_gateway_per_az");
    set(cx, &mut block, &address, "enable_flow_log", rest.take("enable_flow_log"), "flow_logs", as_bool);
    let mut ranges = Vec::new();
    for key in ["public_subnets", "private_subnets", "database_subnets", "intra_subnets", "elasticache_subnets"] {
        if let Some(expression) = rest.take(key) {
            ranges.push(format!("{key} = {}", value::text(expression)));
        }
    }
    if !ranges.is_empty() {
        block.comments.push(format!("imported from {}; Plan lays out its own subnets in `cidr`", ranges.join(", ")));
    }
    rest.managed(cx, &mut block, &address, &["name"]);
    finish_module(rest, cx, &mut block, &address, "aws_vpc");
    block
}

fn module_eks(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "cluster");
    if let Some((key, expression)) = take_any(&mut rest, &["cluster_name", "name"]) {
        match cx.translator.value(expression) {
            Ok(value) => block.terraform.push(format!("name = {value}")),
            Err(why) => cx.attention(&mut block, &address, key, &why),
        }
    }
    if let Some((key, expression)) = take_any(&mut rest, &["cluster_version", "kubernetes_version"]) {
        set(cx, &mut block, &address, key, Some(expression), "version", as_string);
    }
    set_network(cx, &mut block, resource);
    if let Some((key, expression)) = take_any(&mut rest, &["cluster_endpoint_public_access", "endpoint_public_access"])
    {
        set(cx, &mut block, &address, key, Some(expression), "private", |cx, it| {
            cx.translator.bool(it).map(|it| (!it).to_string())
        });
    }
    if let Some((key, expression)) =
        take_any(&mut rest, &["cluster_endpoint_public_access_cidrs", "endpoint_public_access_cidrs"])
    {
        set(cx, &mut block, &address, key, Some(expression), "authorized_networks", as_value);
    }
    if let Some((key, expression)) = take_any(&mut rest, &["cluster_enabled_log_types", "enabled_log_types"]) {
        set(cx, &mut block, &address, key, Some(expression), "logs", |cx, it| match cx.translator.eval(it)? {
            hcl::Value::Array(items) => Some((!items.is_empty()).to_string()),
            _ => None,
        });
    }
    let defaults = rest.take("eks_managed_node_group_defaults");
    if let Some(groups) = rest.take("eks_managed_node_groups") {
        match groups {
            Expression::Object(entries) => {
                for (key, group) in entries.iter() {
                    let name = match key {
                        hcl::ObjectKey::Identifier(it) => it.to_string(),
                        hcl::ObjectKey::Expression(key) => cx.translator.string(key).unwrap_or_default(),
                        _ => String::new(),
                    };
                    let pool =
                        eks_module_pool(cx, &address, &super::plan_ident(&name), group, defaults, &resource.file);
                    block.children.push(pool);
                }
            }
            other => {
                let why = format!("`{}`: the node groups must be written out as an object", value::text(other));
                cx.attention(&mut block, &address, "eks_managed_node_groups", &why);
            }
        }
    }
    rest.managed(
        cx,
        &mut block,
        &address,
        &["vpc_id", "subnet_ids", "control_plane_subnet_ids", "cluster_addons", "addons"],
    );
    finish_module(rest, cx, &mut block, &address, "aws_eks_cluster");
    block
}

/// One entry of `eks_managed_node_groups`, over `eks_managed_node_group_defaults`.
fn eks_module_pool(
    cx: &mut Cx<'_>,
    address: &str,
    name: &str,
    group: &Expression,
    defaults: Option<&Expression>,
    file: &str,
) -> PlanBlock {
    let mut pool = PlanBlock::new("node_pool", name, file);
    let at = format!("{address}.eks_managed_node_groups.{name}");
    if !matches!(group, Expression::Object(_)) {
        let why = format!("`{}`: a node group Plan can read is written out as an object", value::text(group));
        cx.attention(&mut pool, &at, "settings", &why);
    }
    let get = |key: &str| field(group, key).or_else(|| defaults.and_then(|it| field(it, key)));
    match get("instance_types").and_then(|it| cx.translator.eval(it)) {
        Some(hcl::Value::Array(items)) if !items.is_empty() => {
            if let Some(first) = items[0].as_str() {
                pool.attr("size", quote(first));
            }
            if items.len() > 1 {
                cx.attention(&mut pool, &at, "instance_types", "a node pool has one size; the first was kept");
            }
        }
        _ => {
            // The module's default instance type is t3.medium (variables of its node group).
            pool.attr("size", quote("t3.medium"));
            cx.defaulted(&mut pool, &at, "instance_types", "not set: the module's default, t3.medium, is written");
        }
    }
    let int = |key: &str| get(key).and_then(|it| cx.translator.int(it));
    if let Some(nodes) = nodes(int("min_size"), int("max_size"), int("desired_size")) {
        pool.attr("nodes", nodes);
    }
    if let Some(capacity) = get("capacity_type").and_then(|it| cx.translator.string(it)) {
        pool.attr("spot", (capacity == "SPOT").to_string());
    }
    if let Some(labels) = get("labels").and_then(|it| as_labels(cx, it)).filter(|it| !it.is_empty()) {
        pool.attr("labels", labels);
    }
    if let Some(disk) = int("disk_size") {
        pool.attr("disk", size_gb(disk));
    }
    if let Some(taints) = get("taints") {
        let list: Vec<hcl::Value> = match cx.translator.eval(taints) {
            Some(hcl::Value::Object(map)) => map.into_iter().map(|(_, it)| it).collect(),
            Some(hcl::Value::Array(items)) => items,
            _ => Vec::new(),
        };
        let taints: Vec<String> = list
            .iter()
            .filter_map(|taint| {
                let key = value_field(taint, "key")?.as_str()?;
                let value = value_field(taint, "value").and_then(hcl::Value::as_str).unwrap_or_default();
                let effect = match value_field(taint, "effect")?.as_str()? {
                    "NO_SCHEDULE" => "NoSchedule",
                    "NO_EXECUTE" => "NoExecute",
                    "PREFER_NO_SCHEDULE" => "PreferNoSchedule",
                    _ => return None,
                };
                Some(quote(&format!("{key}={value}:{effect}")))
            })
            .collect();
        if taints.len() == list.len() && !taints.is_empty() {
            pool.attr("taints", format!("[{}]", taints.join(", ")));
        } else if !list.is_empty() || taints.is_empty() {
            cx.attention(&mut pool, &at, "taints", "taints that are not literal `{ key value effect }` objects");
        }
    }
    let known = [
        "instance_types",
        "min_size",
        "max_size",
        "desired_size",
        "capacity_type",
        "labels",
        "disk_size",
        "taints",
        "name",
        "subnet_ids",
    ];
    if let Expression::Object(entries) = group {
        for (key, value) in entries.iter() {
            let key = match key {
                hcl::ObjectKey::Identifier(it) => it.to_string(),
                _ => continue,
            };
            if !known.contains(&key.as_str()) {
                let why = format!("`{key} = {}`: a node group setting Plan does not model", value::text(value));
                cx.attention(&mut pool, &at, &key, &why);
            }
        }
    }
    pool
}

fn module_rds(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    db_instance(cx, resource, true)
}

fn module_s3_bucket(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "bucket");
    if let Some(versioning) = rest.take("versioning") {
        let enabled = field(versioning, "enabled")
            .and_then(|it| cx.translator.bool(it))
            .or_else(|| field(versioning, "status").and_then(|it| cx.translator.string(it)).map(|it| it == "Enabled"));
        match enabled {
            Some(enabled) => block.attr("versioning", enabled.to_string()),
            None => cx.attention(&mut block, &address, "versioning", "not a literal `{ enabled = ... }`"),
        }
    }
    if let Some(rules) = rest.take("lifecycle_rule") {
        match cx.translator.eval(rules) {
            Some(hcl::Value::Array(rules)) if !rules.is_empty() => {
                let rule = &rules[0];
                let mut entries: Vec<(String, String)> = Vec::new();
                let transitions: Vec<hcl::Value> = match value_field(rule, "transition") {
                    Some(hcl::Value::Array(items)) => items.clone(),
                    Some(one @ hcl::Value::Object(_)) => vec![one.clone()],
                    _ => Vec::new(),
                };
                for transition in &transitions {
                    let days = value_field(transition, "days").and_then(hcl::Value::as_i64);
                    let key = match value_field(transition, "storage_class").and_then(hcl::Value::as_str) {
                        Some("STANDARD_IA" | "ONEZONE_IA" | "INTELLIGENT_TIERING") => "infrequent",
                        Some("GLACIER" | "GLACIER_IR" | "DEEP_ARCHIVE") => "archive",
                        _ => "",
                    };
                    match days {
                        Some(days) if !key.is_empty() && !entries.iter().any(|(it, _)| it == key) => {
                            entries.push((key.into(), format!("{days}d")))
                        }
                        _ => cx.attention(
                            &mut block,
                            &address,
                            "lifecycle_rule",
                            "a transition Plan's `lifecycle` cannot say",
                        ),
                    }
                }
                if let Some(days) =
                    value_field(rule, "expiration").and_then(|it| value_field(it, "days")).and_then(hcl::Value::as_i64)
                {
                    entries.push(("expire".into(), format!("{days}d")));
                }
                if rules.len() > 1 {
                    cx.attention(
                        &mut block,
                        &address,
                        "lifecycle_rule",
                        "Plan's `lifecycle` is one rule for the whole bucket; the first was kept",
                    );
                }
                if !entries.is_empty() {
                    block.children.push(object_block("lifecycle", entries));
                }
            }
            _ => cx.attention(&mut block, &address, "lifecycle_rule", "not a literal list of rules"),
        }
    }
    let open = ["block_public_policy", "restrict_public_buckets"]
        .iter()
        .all(|key| rest.take(key).and_then(|it| cx.translator.bool(it)) == Some(false));
    if open {
        block.attr("public", "true");
    }
    rest.take("block_public_acls");
    rest.take("ignore_public_acls");
    rest.managed(
        cx,
        &mut block,
        &address,
        &[
            "server_side_encryption_configuration",
            "attach_policy",
            "policy",
            "control_object_ownership",
            "object_ownership",
        ],
    );
    finish_module(rest, cx, &mut block, &address, "aws_s3_bucket");
    block
}

// ----- Azure ----------------------------------------------------------------------------------

const AZURE_PLACEMENT: &[&str] = &["location", "resource_group_name"];

fn refs_only_resource_groups(expression: &Expression) -> bool {
    let mut refs = BTreeSet::new();
    super::expression_references(expression, &mut refs);
    !refs.is_empty() && refs.iter().all(|it| it.starts_with("azurerm_resource_group."))
}

fn azurerm_virtual_network(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "network");
    set(cx, &mut block, &address, "address_space", rest.take("address_space"), "cidr", |cx, it| {
        match cx.translator.eval(it)? {
            hcl::Value::Array(items) => items.first().and_then(|it| it.as_str()).map(quote),
            _ => None,
        }
    });
    let subnets: Vec<String> = cx
        .absorbed(&address)
        .iter()
        .filter(|it| it.r#type == "azurerm_subnet")
        .filter_map(|it| attr_in(&it.body, "address_prefixes"))
        .map(|it| match cx.translator.eval(it) {
            Some(hcl::Value::Array(items)) => items.iter().filter_map(|it| it.as_str()).collect::<Vec<_>>().join(", "),
            _ => value::text(it),
        })
        .collect();
    if !subnets.is_empty() {
        block.comments.push(format!(
            "imported from {} subnets ({}); Plan lays out its own subnets in `cidr`",
            subnets.len(),
            subnets.join(", ")
        ));
    }
    rest.managed(cx, &mut block, &address, AZURE_PLACEMENT);
    rest.finish(cx, &mut block, &address, true);
    block
}

fn azurerm_kubernetes_cluster(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "cluster");
    set(cx, &mut block, &address, "kubernetes_version", rest.take("kubernetes_version"), "version", as_string);
    set_network(cx, &mut block, resource);
    set(cx, &mut block, &address, "private_cluster_enabled", rest.take("private_cluster_enabled"), "private", as_bool);
    if let Some(profile) = rest.block("api_server_access_profile") {
        set(
            cx,
            &mut block,
            &address,
            "api_server_access_profile.authorized_ip_ranges",
            attr_in(profile, "authorized_ip_ranges"),
            "authorized_networks",
            as_value,
        );
    }
    if let Some(pool) = rest.block("default_node_pool") {
        let name = attr_in(pool, "name").and_then(|it| cx.translator.string(it)).unwrap_or_else(|| "default".into());
        let name = super::plan_ident(&name);
        let mut child = PlanBlock::new("node_pool", &name, &resource.file);
        set(cx, &mut child, &address, "default_node_pool.vm_size", attr_in(pool, "vm_size"), "size", as_string);
        let get = |key: &str| attr_in(pool, key).and_then(|it| cx.translator.int(it));
        if let Some(nodes) = nodes(get("min_count"), get("max_count"), get("node_count")) {
            child.attr("nodes", nodes);
        }
        set(
            cx,
            &mut child,
            &address,
            "default_node_pool.node_labels",
            attr_in(pool, "node_labels"),
            "labels",
            as_labels,
        );
        set(
            cx,
            &mut child,
            &address,
            "default_node_pool.os_disk_size_gb",
            attr_in(pool, "os_disk_size_gb"),
            "disk",
            as_gb,
        );
        block.children.push(child);
    }
    rest.managed(cx, &mut block, &address, &["location", "resource_group_name", "identity"]);
    rest.finish(cx, &mut block, &address, true);
    block
}

fn azurerm_kubernetes_cluster_node_pool(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "node_pool");
    set(cx, &mut block, &address, "vm_size", rest.take("vm_size"), "size", as_string);
    let min = rest.take("min_count").and_then(|it| cx.translator.int(it));
    let max = rest.take("max_count").and_then(|it| cx.translator.int(it));
    let fixed = rest.take("node_count").and_then(|it| cx.translator.int(it));
    rest.take("auto_scaling_enabled");
    if let Some(nodes) = nodes(min, max, fixed) {
        block.attr("nodes", nodes);
    }
    set(cx, &mut block, &address, "priority", rest.take("priority"), "spot", |cx, it| {
        cx.translator.string(it).map(|it| (it == "Spot").to_string())
    });
    set(cx, &mut block, &address, "node_labels", rest.take("node_labels"), "labels", as_labels);
    set(cx, &mut block, &address, "node_taints", rest.take("node_taints"), "taints", as_value);
    set(cx, &mut block, &address, "os_disk_size_gb", rest.take("os_disk_size_gb"), "disk", as_gb);
    rest.managed(cx, &mut block, &address, &["kubernetes_cluster_id", "name", "vnet_subnet_id"]);
    rest.finish(cx, &mut block, &address, false);
    block
}

fn azurerm_flexible_server(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "database");
    let engine = if resource.r#type.contains("mysql") { "mysql" } else { "postgres" };
    block.attr("engine", engine);
    set(cx, &mut block, &address, "version", rest.take("version"), "version", as_string);
    set(cx, &mut block, &address, "sku_name", rest.take("sku_name"), "tier", as_string);
    if let Some(megabytes) = rest.take("storage_mb") {
        set(cx, &mut block, &address, "storage_mb", Some(megabytes), "storage", |cx, it| {
            cx.translator.int(it).filter(|it| it % 1024 == 0).map(|it| size_gb(it / 1024))
        });
    }
    if let Some(storage) = rest.block("storage") {
        set(cx, &mut block, &address, "storage.size_gb", attr_in(storage, "size_gb"), "storage", as_gb);
    }
    if rest.block("high_availability").is_some() {
        block.attr("ha", "true");
    }
    set(
        cx,
        &mut block,
        &address,
        "public_network_access_enabled",
        rest.take("public_network_access_enabled"),
        "public",
        as_bool,
    );
    set_network(cx, &mut block, resource);
    if let Some(retention) = rest.take("backup_retention_days") {
        if let Some(days) = cx.translator.int(retention) {
            block.children.push(object_block("backup", vec![("retention".into(), format!("{days}d"))]));
        }
    }
    rest.managed(
        cx,
        &mut block,
        &address,
        &[
            "location",
            "resource_group_name",
            "administrator_login",
            "administrator_password",
            "delegated_subnet_id",
            "private_dns_zone_id",
        ],
    );
    rest.finish(cx, &mut block, &address, true);
    block
}

fn azurerm_storage_account(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "bucket");
    if let Some(blob) = rest.block("blob_properties") {
        if let Some(versioning) = attr_in(blob, "versioning_enabled") {
            set(
                cx,
                &mut block,
                &address,
                "blob_properties.versioning_enabled",
                Some(versioning),
                "versioning",
                as_bool,
            );
        }
        let other: Vec<String> = blob
            .attributes()
            .map(|it| it.key.to_string())
            .chain(blob.blocks().map(|it| it.identifier.to_string()))
            .filter(|it| it != "versioning_enabled")
            .collect();
        for key in other {
            let why = "Plan writes `blob_properties` itself; add it in a `terraform { blob_properties { } }` override by hand";
            cx.attention(&mut block, &address, &format!("blob_properties.{key}"), why);
        }
    }
    rest.managed(cx, &mut block, &address, AZURE_PLACEMENT);
    rest.finish(cx, &mut block, &address, true);
    block
}

fn azurerm_redis_cache(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "cache");
    block.attr("engine", "redis");
    // Plan's tier is the three parts in one: `Standard_C1`.
    let sku = rest.take("sku_name").and_then(|it| cx.translator.string(it));
    let family = rest.take("family").and_then(|it| cx.translator.string(it));
    let capacity = rest.take("capacity").and_then(|it| cx.translator.int(it));
    match (&sku, family, capacity) {
        (Some(sku), Some(family), Some(capacity)) => block.attr("tier", quote(&format!("{sku}_{family}{capacity}"))),
        _ => cx.attention(&mut block, &address, "sku_name", "`sku_name`, `family` and `capacity` must be literals"),
    }
    let shards = rest.take("shard_count").and_then(|it| cx.translator.int(it));
    let replicas = rest.take("replicas_per_primary").and_then(|it| cx.translator.int(it));
    match (sku.as_deref(), shards, replicas) {
        (Some("Basic"), ..) => block.attr("nodes", "1"),
        (Some("Premium"), shards, replicas) => {
            let shards = shards.unwrap_or(1);
            if shards > 1 {
                block.attr("shards", shards.to_string());
            }
            block.attr("nodes", (shards * (1 + replicas.unwrap_or(1))).to_string());
        }
        _ => block.attr("nodes", "2"),
    }
    set(cx, &mut block, &address, "redis_version", rest.take("redis_version"), "version", as_string);
    if let Some(configuration) = rest.block("redis_configuration") {
        set(
            cx,
            &mut block,
            &address,
            "redis_configuration.maxmemory_policy",
            attr_in(configuration, "maxmemory_policy"),
            "eviction",
            |cx, it| cx.translator.string(it).map(|it| value::object_key(&it)),
        );
    }
    set_network(cx, &mut block, resource);
    rest.managed(cx, &mut block, &address, &["location", "resource_group_name", "subnet_id"]);
    rest.finish(cx, &mut block, &address, true);
    block
}

// ----- Google Cloud ---------------------------------------------------------------------------

fn google_redis_instance(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "cache");
    block.attr("engine", "redis");
    set(cx, &mut block, &address, "redis_version", rest.take("redis_version"), "version", |cx, it| {
        let version = cx.translator.string(it)?;
        Some(quote(&version.strip_prefix("REDIS_")?.replace('_', ".").to_lowercase()))
    });
    set(cx, &mut block, &address, "memory_size_gb", rest.take("memory_size_gb"), "memory", as_gb);
    let tier = rest.take("tier").and_then(|it| cx.translator.string(it));
    let replicas = rest.take("replica_count").and_then(|it| cx.translator.int(it));
    rest.take("read_replicas_mode");
    let nodes = match tier.as_deref() {
        Some("STANDARD_HA") => 1 + replicas.unwrap_or(1),
        _ => 1,
    };
    block.attr("nodes", nodes.to_string());
    if let Some(configs) = rest.take("redis_configs") {
        match cx.translator.eval(configs) {
            Some(hcl::Value::Object(entries)) => {
                for (key, value) in entries {
                    match (key.as_str(), value.as_str()) {
                        ("maxmemory-policy", Some(policy)) => block.attr("eviction", value::object_key(policy)),
                        _ => {
                            let why =
                                format!("the Redis setting `{key}`: Plan sets only `maxmemory-policy` (`eviction`)");
                            cx.attention(&mut block, &address, "redis_configs", &why);
                        }
                    }
                }
            }
            _ => cx.attention(&mut block, &address, "redis_configs", "not a literal map"),
        }
    }
    set_network(cx, &mut block, resource);
    rest.managed(cx, &mut block, &address, &["region", "authorized_network", "customer_managed_key", "auth_enabled"]);
    rest.finish(cx, &mut block, &address, true);
    block
}

fn google_compute_network(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "network");
    let ranges: Vec<String> = cx
        .absorbed(&address)
        .iter()
        .filter(|it| it.r#type == "google_compute_subnetwork")
        .filter_map(|it| attr_in(&it.body, "ip_cidr_range").and_then(|it| cx.translator.string(it)))
        .collect();
    match ranges.first() {
        Some(first) => {
            block.attr("cidr", quote(first));
            if ranges.len() > 1 {
                block.comments.push(format!(
                    "imported from {} subnetworks ({}); Plan lays out its own subnets in `cidr`, the first one's range",
                    ranges.len(),
                    ranges.join(", ")
                ));
            }
        }
        None => block.comments.push("no subnetwork with a literal range: set `cidr`".into()),
    }
    rest.managed(cx, &mut block, &address, &["auto_create_subnetworks", "routing_mode"]);
    rest.finish(cx, &mut block, &address, true);
    block
}

fn google_container_cluster(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "cluster");
    set(cx, &mut block, &address, "min_master_version", rest.take("min_master_version"), "version", as_string);
    set_network(cx, &mut block, resource);
    if let Some(private) = rest.block("private_cluster_config") {
        set(
            cx,
            &mut block,
            &address,
            "private_cluster_config.enable_private_endpoint",
            attr_in(private, "enable_private_endpoint"),
            "private",
            as_bool,
        );
    }
    if let Some(authorized) = rest.block("master_authorized_networks_config") {
        let cidrs: Vec<String> = authorized
            .blocks()
            .filter(|it| it.identifier.as_str() == "cidr_blocks")
            .filter_map(|it| attr_in(&it.body, "cidr_block").and_then(|it| cx.translator.string(it)))
            .map(|it| quote(&it))
            .collect();
        block.attr("authorized_networks", format!("[{}]", cidrs.join(", ")));
    }
    rest.managed(
        cx,
        &mut block,
        &address,
        &["location", "network", "subnetwork", "remove_default_node_pool", "initial_node_count", "resource_labels"],
    );
    rest.finish(cx, &mut block, &address, true);
    block
}

fn google_container_node_pool(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "node_pool");
    let scaling = rest.block("autoscaling");
    let get =
        |body: Option<&Body>, key: &str| body.and_then(|it| attr_in(it, key)).and_then(|it| cx.translator.int(it));
    let min = get(scaling, "min_node_count").or(get(scaling, "total_min_node_count"));
    let max = get(scaling, "max_node_count").or(get(scaling, "total_max_node_count"));
    let fixed = rest.take("node_count").and_then(|it| cx.translator.int(it));
    if let Some(config) = rest.block("node_config") {
        set(cx, &mut block, &address, "node_config.machine_type", attr_in(config, "machine_type"), "size", as_string);
        let spot = ["spot", "preemptible"]
            .iter()
            .any(|key| attr_in(config, key).and_then(|it| cx.translator.bool(it)) == Some(true));
        if spot {
            block.attr("spot", "true");
        }
        set(cx, &mut block, &address, "node_config.labels", attr_in(config, "labels"), "labels", as_labels);
        set(cx, &mut block, &address, "node_config.disk_size_gb", attr_in(config, "disk_size_gb"), "disk", as_gb);
    }
    if let Some(nodes) = nodes(min, max, fixed) {
        block.attr("nodes", nodes);
    }
    rest.managed(cx, &mut block, &address, &["cluster", "location", "name"]);
    rest.finish(cx, &mut block, &address, false);
    block
}

fn google_sql_database_instance(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "database");
    if let Some((engine, version)) =
        rest.take("database_version").and_then(|it| cx.translator.string(it)).and_then(|it| cloud_sql_version(&it))
    {
        block.attr("engine", engine);
        block.attr("version", quote(&version));
    }
    if let Some(settings) = rest.block("settings") {
        set(cx, &mut block, &address, "settings.tier", attr_in(settings, "tier"), "tier", as_string);
        set(cx, &mut block, &address, "settings.disk_size", attr_in(settings, "disk_size"), "storage", as_gb);
        set(
            cx,
            &mut block,
            &address,
            "settings.availability_type",
            attr_in(settings, "availability_type"),
            "ha",
            |cx, it| cx.translator.string(it).map(|it| (it == "REGIONAL").to_string()),
        );
        if let Some(ip) = block_in(settings, "ip_configuration") {
            set(
                cx,
                &mut block,
                &address,
                "settings.ip_configuration.ipv4_enabled",
                attr_in(ip, "ipv4_enabled"),
                "public",
                as_bool,
            );
        }
        if let Some(backup) = block_in(settings, "backup_configuration") {
            let mut fields = Vec::new();
            if let Some(days) = block_in(backup, "backup_retention_settings")
                .and_then(|it| attr_in(it, "retained_backups"))
                .and_then(|it| cx.translator.int(it))
            {
                fields.push(("retention".to_string(), format!("{days}d")));
            }
            if let Some(pitr) = attr_in(backup, "point_in_time_recovery_enabled").and_then(|it| cx.translator.bool(it))
            {
                fields.push(("pitr".to_string(), pitr.to_string()));
            }
            if !fields.is_empty() {
                block.children.push(object_block("backup", fields));
            }
        }
        let handled = ["tier", "disk_size", "availability_type", "ip_configuration", "backup_configuration"];
        let leftover: Vec<String> = settings
            .attributes()
            .map(|it| it.key.to_string())
            .chain(settings.blocks().map(|it| it.identifier.to_string()))
            .filter(|it| !handled.contains(&it.as_str()))
            .collect();
        for key in leftover {
            let why = "Plan writes `settings` itself; add it in a `terraform { settings { } }` override by hand";
            cx.attention(&mut block, &address, &format!("settings.{key}"), why);
        }
    }
    set(
        cx,
        &mut block,
        &address,
        "deletion_protection",
        rest.take("deletion_protection"),
        "deletion_protection",
        as_bool,
    );
    set_network(cx, &mut block, resource);
    rest.managed(cx, &mut block, &address, &["region", "name"]);
    rest.finish(cx, &mut block, &address, true);
    block
}

fn google_storage_bucket(cx: &mut Cx<'_>, resource: &Resource) -> PlanBlock {
    let (address, mut block, mut rest) = start(cx, resource, "bucket");
    if let Some(versioning) = rest.block("versioning") {
        set(cx, &mut block, &address, "versioning.enabled", attr_in(versioning, "enabled"), "versioning", as_bool);
    }
    let mut lifecycle = Vec::new();
    for rule in rest.blocks("lifecycle_rule") {
        let action = block_in(rule, "action");
        let kind = action.and_then(|it| attr_in(it, "type")).and_then(|it| cx.translator.string(it));
        let class = action.and_then(|it| attr_in(it, "storage_class")).and_then(|it| cx.translator.string(it));
        let age = block_in(rule, "condition").and_then(|it| attr_in(it, "age")).and_then(|it| cx.translator.int(it));
        let key = match (kind.as_deref(), class.as_deref()) {
            (Some("Delete"), _) => "expire",
            (Some("SetStorageClass"), Some("NEARLINE" | "COLDLINE")) => "infrequent",
            (Some("SetStorageClass"), Some("ARCHIVE")) => "archive",
            _ => "",
        };
        match age {
            Some(age) if !key.is_empty() && !lifecycle.iter().any(|(it, _): &(String, String)| it == key) => {
                lifecycle.push((key.to_string(), format!("{age}d")))
            }
            _ => cx.attention(
                &mut block,
                &address,
                "lifecycle_rule",
                "a rule Plan's `lifecycle` cannot say (only an age that moves or deletes every object)",
            ),
        }
    }
    if !lifecycle.is_empty() {
        block.children.push(object_block("lifecycle", lifecycle));
    }
    rest.managed(cx, &mut block, &address, &["location", "labels"]);
    rest.finish(cx, &mut block, &address, true);
    block
}

// ----- The plan block -------------------------------------------------------------------------

/// The region from the provider (AWS, Google) or the first literal `location` (Azure). With
/// none, the cloud's usual default is written, and the report says so.
pub fn region(cx: &mut Cx<'_>) -> Vec<String> {
    let mut notes = Vec::new();
    let provider = plan_catalog::provider_schema::provider_name(cx.cloud);
    let region = match cx.cloud {
        "azure" => cx
            .module
            .resources
            .iter()
            .filter_map(|it| attr_in(&it.body, "location"))
            .find_map(|it| cx.translator.string(it))
            .map(|it| it.to_lowercase().replace(' ', "")),
        _ => cx
            .module
            .providers
            .get(provider)
            .and_then(|it| attr_in(it, "region"))
            .and_then(|it| cx.translator.string(it)),
    };
    let region = match region {
        Some(region) => {
            notes.push(format!("Region: `{region}`, from the Terraform."));
            region
        }
        None => {
            let default = match cx.cloud {
                "azure" => "eastus",
                "gcp" => "us-central1",
                _ => "us-east-1",
            };
            notes.push(format!(
                "Region: **not found** in the Terraform (no literal `{provider}` provider region or `location`); `plan.plan` says `{default}`: set the real one."
            ));
            cx.attention.push(format!("`plan.region`: no literal region in the Terraform; `{default}` was written"));
            default.to_string()
        }
    };
    cx.region = region;
    notes
}

/// The `plan` and `env` blocks.
pub fn plan_block(cx: &Cx<'_>) -> String {
    format!(
        "/// Imported from Terraform by `planc import`: see import-report.md.\nplan imported {{\n  cloud  = {}\n  region = {}\n}}\n\n/// One environment, as the Terraform root module was one deployment.\nenv default {{}}\n",
        cx.cloud,
        quote(&cx.region)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every modelled resource type is one the catalog maps its kind to on its cloud.
    #[test]
    fn every_rule_is_in_the_catalogs_mapping() {
        let catalog = plan_catalog::Catalog::builtin();
        for rule in RULES.iter().filter(|it| !it.r#type.starts_with("module:")) {
            let mapping = catalog.kind(rule.kind).and_then(|it| it.mapping.get(rule.cloud));
            assert!(
                mapping.is_some_and(|it| it.terraform.iter().any(|it| it == rule.r#type)),
                "{} is not in {}'s {} mapping",
                rule.r#type,
                rule.kind,
                rule.cloud
            );
        }
    }

    #[test]
    fn cloud_sql_versions_split_into_engine_and_version() {
        assert_eq!(cloud_sql_version("POSTGRES_16"), Some(("postgres", "16".to_string())));
        assert_eq!(cloud_sql_version("MYSQL_8_0"), Some(("mysql", "8.0".to_string())));
        assert_eq!(cloud_sql_version("SQLSERVER_2022_STANDARD"), Some(("sqlserver", "2022".to_string())));
        assert_eq!(cloud_sql_version("SPANNER_1"), None);
    }

    #[test]
    fn durations_use_the_largest_exact_unit() {
        assert_eq!(duration(345_600), "4d");
        assert_eq!(duration(7_200), "2h");
        assert_eq!(duration(90), "90s");
        assert_eq!(duration(300), "5min");
    }
}

//! AWS resources: VPC, EKS, RDS / DocumentDB, ElastiCache, S3, SQS / SNS, Lambda, ALB + WAF,
//! CloudFront, EC2 and ECR, with a customer-managed KMS key per environment.

use super::hcl::{self, Block, Expr};
use super::{Subnet, Tf};
use crate::ir::{EnvAttrs, Value, ValueKind};
use crate::{dns_name, duration_seconds, field, get_bool, get_int, get_ref, get_str, size_gb, tf_name, Located};

const KMS: &str = "aws_kms_key.main.arn";

/// The policy of the us-east-1 key: the account administers it, CloudWatch Logs uses it.
const GLOBAL_KEY_POLICY: &str = "jsonencode({
    Version = \"2012-10-17\"
    Statement = [
      {
        Sid       = \"AccountAdministers\"
        Effect    = \"Allow\"
        Principal = { AWS = \"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root\" }
        Action    = \"kms:*\"
        Resource  = \"*\"
      },
      {
        Sid       = \"LogsEncrypt\"
        Effect    = \"Allow\"
        Principal = { Service = \"logs.us-east-1.amazonaws.com\" }
        Action    = [\"kms:Encrypt*\", \"kms:Decrypt*\", \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\", \"kms:Describe*\"]
        Resource  = \"*\"
      }
    ]
  })";

fn tags(tf: &Tf<'_>, attrs: &EnvAttrs<'_>, located: &Located<'_>, name: &str) -> Expr {
    let mut entries: Vec<(String, Expr)> = vec![("Name".into(), Expr::str(name))];
    for (key, value) in tf.own_tags(attrs, located) {
        match key.as_str() {
            "Name" => entries[0].1 = Expr::Str(value), // The author's own name wins.
            _ => entries.push((key, Expr::Str(value))),
        }
    }
    Expr::Object(entries)
}

fn assume_role_policy(service: &str) -> String {
    format!(
        "jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{\n      Effect    = \"Allow\"\n      Principal = {{ Service = \"{service}\" }}\n      Action    = \"sts:AssumeRole\"\n    }}]\n  }})"
    )
}

fn role(
    tf: &mut Tf<'_>,
    file: &'static str,
    located: &Located<'_>,
    name: &str,
    service: &str,
    policies: &[&str],
) -> String {
    let id = tf_name(name);
    tf.add(
        file,
        located,
        Block::resource("aws_iam_role", &id)
            .attr("name", dns_name(name))
            .raw("assume_role_policy", assume_role_policy(service)),
    );
    for (index, policy) in policies.iter().enumerate() {
        tf.add(
            file,
            located,
            Block::resource("aws_iam_role_policy_attachment", &format!("{id}_{index}"))
                .raw("role", format!("aws_iam_role.{id}.name"))
                .attr("policy_arn", format!("arn:aws:iam::aws:policy/{policy}")),
        );
    }
    format!("aws_iam_role.{id}.arn")
}

/// A log group that keeps its logs a year, encrypted with `key` (an ARN expression).
fn log_group(id: &str, name: String, key: impl Into<String>) -> Block {
    Block::resource("aws_cloudwatch_log_group", id)
        .attr("name", name)
        .attr("retention_in_days", 365)
        .raw("kms_key_id", key)
}

/// The environment's KMS key, its policy, and the shared data sources, once per env.
fn foundation(tf: &mut Tf<'_>) {
    if tf.files.get("security.tf").is_some_and(|it| !it.is_empty()) {
        return;
    }
    let policy = "jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [\n      {\n        Sid       = \"AccountAdministers\"\n        Effect    = \"Allow\"\n        Principal = { AWS = \"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root\" }\n        Action    = \"kms:*\"\n        Resource  = \"*\"\n      },\n      {\n        Sid       = \"ServicesEncrypt\"\n        Effect    = \"Allow\"\n        Principal = { Service = [\"logs.amazonaws.com\", \"sns.amazonaws.com\", \"sqs.amazonaws.com\", \"cloudfront.amazonaws.com\", \"cloudwatch.amazonaws.com\"] }\n        Action    = [\"kms:Encrypt*\", \"kms:Decrypt*\", \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\", \"kms:Describe*\"]\n        Resource  = \"*\"\n      }\n    ]\n  })";
    let name = format!("{}-{}", tf.ctx.plan_name(), tf.env.name);
    tf.add_plain(
        "security.tf",
        vec!["The account this plan is applied to.".into()],
        Block::new("data", &["aws_caller_identity", "current"]),
    );
    tf.add_plain(
        "security.tf",
        vec!["The zones of the region.".into()],
        Block::new("data", &["aws_availability_zones", "available"]).attr("state", "available"),
    );
    let [key, alias] = kms_key("main", &name, policy);
    tf.add_plain(
        "security.tf",
        vec![format!("The customer-managed key that encrypts every resource of `{}`.", tf.env.name)],
        key,
    );
    tf.add_plain("security.tf", Vec::new(), alias);
}

/// A rotated customer-managed key with `policy`, and its alias `alias/<name>`.
fn kms_key(id: &str, name: &str, policy: impl Into<String>) -> [Block; 2] {
    [
        Block::resource("aws_kms_key", id)
            .attr("description", format!("planc: {name}"))
            .attr("enable_key_rotation", true)
            .attr("deletion_window_in_days", 30)
            .raw("policy", policy),
        Block::resource("aws_kms_alias", id)
            .attr("name", format!("alias/{name}"))
            .raw("target_key_id", format!("aws_kms_key.{id}.key_id")),
    ]
}

/// How each kind is built on aws: the provider table `terraform::emit` dispatches on.
pub const PROVIDER: super::Provider = super::Provider {
    foundation,
    kinds: &[
        ("network", network),
        ("cluster", cluster),
        ("database", database),
        ("cache", cache),
        ("bucket", bucket),
        ("queue", queue),
        ("topic", topic),
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

/// The network's `allow` rules to a cluster or a gateway (security-group rules on their
/// groups; rules to databases, caches and VMs are part of their own groups) and its `deny`
/// rules, as entries of the VPC's default network ACL before its allow-all entries.
fn network_rules(tf: &mut Tf<'_>, located: &Located<'_>) {
    let network = located.name();
    let rules: Vec<String> =
        located.block.children.iter().filter(|it| it.kind == "allow").filter_map(|it| it.name.clone()).collect();
    for flow in tf.flows.clone().iter().filter(|it| it.rule.as_ref().is_some_and(|rule| rules.contains(rule))) {
        let target = match flow.to_kind.as_str() {
            "cluster" | "gateway" => source_group(tf, &flow.to_kind, &flow.to),
            _ => None,
        };
        let Some(target) = target else { continue };
        let rule = flow.rule.clone().unwrap_or_default();
        for (index, (from, to)) in port_ranges(flow, 443).into_iter().enumerate() {
            let address = format!("{}_{}_{}_{index}", tf_name(network), tf_name(&rule), source_suffix(&flow.from));
            let mut block = Block::resource("aws_vpc_security_group_ingress_rule", &address)
                .raw("security_group_id", target.clone())
                .attr("description", format!("Rule `{rule}` of network `{network}`"))
                .attr("ip_protocol", protocol(flow));
            if !matches!(flow.protocol.as_str(), "icmp" | "all") {
                block = block.attr("from_port", from).attr("to_port", to);
            }
            block = match &flow.from {
                crate::deploy::Source::Cidr(cidr) => block.attr("cidr_ipv4", cidr.clone()),
                crate::deploy::Source::Internet => block.attr("cidr_ipv4", "0.0.0.0/0"),
                crate::deploy::Source::Block { kind, name } => match source_group(tf, kind, name) {
                    Some(group) => block.raw("referenced_security_group_id", group),
                    None => continue,
                },
            };
            tf.add("network.tf", located, block);
        }
    }
    let denies: Vec<crate::deploy::Deny> = crate::deploy::denies(std::iter::once(located.block), &tf.env.name);
    if denies.is_empty() {
        return;
    }
    let id = tf_name(network);
    let mut acl = Block::resource("aws_default_network_acl", &id)
        .raw("default_network_acl_id", format!("aws_vpc.{id}.default_network_acl_id"))
        .comment("The network's `deny` rules first; then everything else, which security groups filter.");
    let mut number = 10;
    for deny in &denies {
        let protocol = match deny.protocol.as_str() {
            "tcp" => "tcp",
            "udp" => "udp",
            "icmp" => "icmp",
            _ => "-1",
        };
        let ranges: Vec<(i64, i64)> = match (&deny.ports[..], protocol) {
            (_, "-1" | "icmp") | ([], _) => vec![(0, 0)],
            (ports, _) => ports.iter().map(|it| (it.from as i64, it.to as i64)).collect(),
        };
        for cidr in &deny.from {
            for (from, to) in &ranges {
                acl = acl.block(
                    Block::new("ingress", &[])
                        .attr("rule_no", number)
                        .attr("action", "deny")
                        .attr("protocol", protocol)
                        .attr("cidr_block", cidr.clone())
                        .attr("from_port", *from)
                        .attr("to_port", *to),
                );
                number += 10;
            }
        }
    }
    for kind in ["ingress", "egress"] {
        acl = acl.block(
            Block::new(kind, &[])
                .attr("rule_no", 32000)
                .attr("action", "allow")
                .attr("protocol", "-1")
                .attr("cidr_block", "0.0.0.0/0")
                .attr("from_port", 0)
                .attr("to_port", 0),
        );
    }
    acl = acl.block(Block::new("lifecycle", &[]).raw("ignore_changes", "[subnet_ids]"));
    tf.add("network.tf", located, acl);
}

/// A short, stable Terraform name part for a flow's source.
fn source_suffix(source: &crate::deploy::Source) -> String {
    match source {
        crate::deploy::Source::Cidr(cidr) => cidr.replace(['.', '/'], "_"),
        crate::deploy::Source::Internet => "internet".into(),
        crate::deploy::Source::Block { name, .. } => tf_name(name),
    }
}

fn subnets(tf: &Tf<'_>, network: &str) -> Vec<Subnet> {
    tf.subnets(network, "aws")
}

fn subnet_ids(tf: &Tf<'_>, network: Option<&str>, tiers: &[&str]) -> Expr {
    let Some(network) = network else { return Expr::List(Vec::new()) };
    let all = subnets(tf, network);
    let mut chosen: Vec<&Subnet> = Vec::new();
    for tier in tiers {
        chosen = all.iter().filter(|it| it.tier == *tier).collect();
        if !chosen.is_empty() {
            break;
        }
    }
    Expr::List(chosen.iter().map(|it| Expr::raw(format!("aws_subnet.{}.id", it.id))).collect())
}

fn network(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let cidr = get_str(attrs, "cidr").unwrap_or("10.0.0.0/16");
    tf.add(
        "network.tf",
        located,
        Block::resource("aws_vpc", &id)
            .attr("cidr_block", cidr)
            .attr("enable_dns_support", true)
            .attr("enable_dns_hostnames", true)
            .attr("tags", tags(tf, attrs, located, &name)),
    );
    tf.add(
        "network.tf",
        located,
        Block::resource("aws_default_security_group", &id)
            .raw("vpc_id", format!("aws_vpc.{id}.id"))
            .comment("No rules: the default security group denies everything."),
    );
    network_rules(tf, located);
    let all = subnets(tf, located.name());
    for (index, subnet) in all.iter().enumerate() {
        let cidr_expr = match &subnet.cidr {
            Some(cidr) => Expr::str(cidr.clone()),
            None => Expr::raw(format!("cidrsubnet(aws_vpc.{id}.cidr_block, 4, {index})")),
        };
        tf.add(
            "network.tf",
            located,
            Block::resource("aws_subnet", &subnet.id)
                .raw("vpc_id", format!("aws_vpc.{id}.id"))
                .attr("cidr_block", cidr_expr)
                .raw("availability_zone", format!("data.aws_availability_zones.available.names[{}]", subnet.zone))
                .attr("map_public_ip_on_launch", false)
                .attr(
                    "tags",
                    Expr::Object(vec![
                        (
                            "Name".into(),
                            Expr::str(format!(
                                "{name}-{}",
                                subnet.id.trim_start_matches(&format!("{id}_")).replace('_', "-")
                            )),
                        ),
                        ("tier".into(), Expr::str(subnet.tier.clone())),
                    ]),
                ),
        );
    }
    let public: Vec<&Subnet> = all.iter().filter(|it| it.tier == "public").collect();
    if !public.is_empty() {
        tf.add(
            "network.tf",
            located,
            Block::resource("aws_internet_gateway", &id)
                .raw("vpc_id", format!("aws_vpc.{id}.id"))
                .attr("tags", Expr::Object(vec![("Name".into(), Expr::str(name.clone()))])),
        );
        tf.add(
            "network.tf",
            located,
            Block::resource("aws_route_table", &format!("{id}_public"))
                .raw("vpc_id", format!("aws_vpc.{id}.id"))
                .block(
                    Block::new("route", &[])
                        .attr("cidr_block", "0.0.0.0/0")
                        .raw("gateway_id", format!("aws_internet_gateway.{id}.id")),
                ),
        );
        for subnet in &public {
            tf.add(
                "network.tf",
                located,
                Block::resource("aws_route_table_association", &subnet.id)
                    .raw("subnet_id", format!("aws_subnet.{}.id", subnet.id))
                    .raw("route_table_id", format!("aws_route_table.{id}_public.id")),
            );
        }
    }
    let nat_gateways = crate::deploy::nat_gateways("aws", located.block, &tf.env.name, attrs);
    let nat = nat_gateways.is_some();
    let single_nat = nat_gateways == Some(1);
    if let Some(gateways) = nat_gateways {
        for zone in 0..gateways {
            let nat_id = format!("{id}_{}", zone + 1);
            let public_subnet =
                public.iter().find(|it| it.zone == zone).or(public.first()).map(|it| it.id.clone()).unwrap_or_default();
            tf.add(
                "network.tf",
                located,
                Block::resource("aws_eip", &nat_id)
                    .attr("domain", "vpc")
                    .attr("tags", Expr::Object(vec![("Name".into(), Expr::str(format!("{name}-nat-{}", zone + 1)))])),
            );
            tf.add(
                "network.tf",
                located,
                Block::resource("aws_nat_gateway", &nat_id)
                    .raw("allocation_id", format!("aws_eip.{nat_id}.id"))
                    .raw("subnet_id", format!("aws_subnet.{public_subnet}.id"))
                    .attr("tags", Expr::Object(vec![("Name".into(), Expr::str(format!("{name}-{}", zone + 1)))])),
            );
        }
    }
    for subnet in all.iter().filter(|it| it.tier != "public") {
        let mut table = Block::resource("aws_route_table", &subnet.id).raw("vpc_id", format!("aws_vpc.{id}.id"));
        if nat {
            let gateway = if single_nat { 1 } else { subnet.zone + 1 };
            table = table.block(
                Block::new("route", &[])
                    .attr("cidr_block", "0.0.0.0/0")
                    .raw("nat_gateway_id", format!("aws_nat_gateway.{id}_{gateway}.id")),
            );
        }
        tf.add("network.tf", located, table);
        tf.add(
            "network.tf",
            located,
            Block::resource("aws_route_table_association", &subnet.id)
                .raw("subnet_id", format!("aws_subnet.{}.id", subnet.id))
                .raw("route_table_id", format!("aws_route_table.{}.id", subnet.id)),
        );
    }
    if get_bool(attrs, "flow_logs").unwrap_or(true) {
        tf.add("network.tf", located, log_group(&format!("{id}_flow_logs"), format!("/planc/{name}/flow-logs"), KMS));
        let role_arn =
            role(tf, "network.tf", located, &format!("{name}-flow-logs"), "vpc-flow-logs.amazonaws.com", &[]);
        let role_id = tf_name(&format!("{name}-flow-logs"));
        tf.add(
            "network.tf",
            located,
            Block::resource("aws_iam_role_policy", &role_id)
                .raw("role", format!("aws_iam_role.{role_id}.id"))
                .raw(
                    "policy",
                    format!("jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{\n      Effect   = \"Allow\"\n      Action   = [\"logs:CreateLogStream\", \"logs:PutLogEvents\", \"logs:DescribeLogStreams\"]\n      Resource = \"${{aws_cloudwatch_log_group.{id}_flow_logs.arn}}:*\"\n    }}]\n  }})"),
                ),
        );
        tf.add(
            "network.tf",
            located,
            Block::resource("aws_flow_log", &id)
                .raw("vpc_id", format!("aws_vpc.{id}.id"))
                .attr("traffic_type", "ALL")
                .raw("log_destination", format!("aws_cloudwatch_log_group.{id}_flow_logs.arn"))
                .raw("iam_role_arn", role_arn),
        );
    }
}

fn cluster(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let network = get_ref(attrs, "network").map(String::from);
    let subnet_list = subnet_ids(tf, network.as_deref(), &["private", "public"]);
    let cluster_role = role(
        tf,
        "kubernetes.tf",
        located,
        &format!("{name}-cluster"),
        "eks.amazonaws.com",
        &["AmazonEKSClusterPolicy"],
    );
    let node_role = role(
        tf,
        "kubernetes.tf",
        located,
        &format!("{name}-nodes"),
        "ec2.amazonaws.com",
        &["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"],
    );
    let private = get_bool(attrs, "private").unwrap_or(true);
    let mut vpc = Block::new("vpc_config", &[])
        .attr("subnet_ids", subnet_list.clone())
        .attr("endpoint_private_access", true)
        .attr("endpoint_public_access", !private);
    if !private {
        let networks: Vec<String> = match attrs.get("authorized_networks").map(|it| &it.kind) {
            Some(ValueKind::List(items)) => items.iter().filter_map(Value::as_str).map(String::from).collect(),
            _ => Vec::new(),
        };
        vpc = vpc.attr("public_access_cidrs", Expr::strs(networks));
    }
    let version = get_str(attrs, "version").unwrap_or("1.34");
    let logs = get_bool(attrs, "logs").unwrap_or(true);
    tf.add(
        "kubernetes.tf",
        located,
        Block::resource("aws_eks_cluster", &id)
            .attr("name", name.clone())
            .raw("role_arn", cluster_role)
            .attr("version", version)
            .attr_if(
                logs,
                "enabled_cluster_log_types",
                Expr::strs(["api", "audit", "authenticator", "controllerManager", "scheduler"]),
            )
            .block(vpc)
            .block(
                Block::new("encryption_config", &[])
                    .attr("resources", Expr::strs(["secrets"]))
                    .block(Block::new("provider", &[]).raw("key_arn", KMS)),
            )
            .attr("tags", tags(tf, attrs, located, &name)),
    );
    tf.add(
        "kubernetes.tf",
        located,
        Block::new("data", &["aws_eks_cluster_auth", &id]).raw("name", format!("aws_eks_cluster.{id}.name")),
    );
    for pool in crate::deploy::node_pools(located.block, &tf.env.name) {
        let mut group = Block::resource("aws_eks_node_group", &format!("{id}_{}", tf_name(&pool.name)))
            .raw("cluster_name", format!("aws_eks_cluster.{id}.name"))
            .attr("node_group_name", pool.provider_name.clone())
            .raw("node_role_arn", node_role.clone())
            .attr("subnet_ids", subnet_list.clone())
            .attr("instance_types", Expr::strs([pool.class.as_str()]))
            .attr("capacity_type", if pool.spot { "SPOT" } else { "ON_DEMAND" })
            .attr("disk_size", pool.disk_gb() as i64)
            .block(
                Block::new("scaling_config", &[])
                    .attr("desired_size", pool.min)
                    .attr("min_size", pool.min)
                    .attr("max_size", pool.max),
            )
            .block(Block::new("update_config", &[]).attr("max_unavailable", 1))
            .attr_if(!pool.labels.is_empty(), "labels", super::string_map(&pool.labels));
        for taint in &pool.taints {
            group = group.block(
                Block::new("taint", &[])
                    .attr("key", taint.key.clone())
                    .attr("value", taint.value.clone())
                    .attr("effect", taint.effect.api_enum()),
            );
        }
        if pool.autoscaled() {
            // The cluster autoscaler owns the size; an apply must not reset it.
            group = group.block(Block::new("lifecycle", &[]).raw("ignore_changes", "[scaling_config[0].desired_size]"));
        }
        tf.add(
            "kubernetes.tf",
            located,
            group.attr("tags", tags(tf, attrs, located, &format!("{name}-{}", pool.name))),
        );
    }
}

/// The security group a source block's traffic leaves from on AWS, if it has one.
fn source_group(tf: &Tf<'_>, kind: &str, name: &str) -> Option<String> {
    let located = tf.ctx.find(name)?;
    let attrs = located.block.env_attrs(&tf.env.name);
    match kind {
        "service" | "worker" | "job" => {
            let cluster = get_ref(&attrs, "cluster")?;
            Some(format!("aws_eks_cluster.{}.vpc_config[0].cluster_security_group_id", tf_name(cluster)))
        }
        "cluster" => Some(format!("aws_eks_cluster.{}.vpc_config[0].cluster_security_group_id", tf_name(name))),
        "function" => attrs.get("network").map(|_| format!("aws_security_group.{}_access.id", tf_name(name))),
        "vm" => Some(format!("aws_security_group.{}_vm.id", tf_name(name))),
        "gateway" => Some(format!("aws_security_group.{}_lb.id", tf_name(name))),
        "container" => Some(format!("aws_security_group.{}_container.id", tf_name(name))),
        _ => None,
    }
}

/// Port ranges as `(from, to)`; an empty list is the target's own `port`.
fn port_ranges(flow: &crate::deploy::Flow, port: i64) -> Vec<(i64, i64)> {
    match &flow.ports {
        Some(ports) if !ports.is_empty() => ports.iter().map(|it| (it.from as i64, it.to as i64)).collect(),
        _ => vec![(port, port)],
    }
}

fn protocol(flow: &crate::deploy::Flow) -> &'static str {
    match flow.protocol.as_str() {
        "udp" => "udp",
        "icmp" => "icmp",
        "all" => "-1",
        _ => "tcp",
    }
}

/// The ingress blocks of a security group: exactly the flows into `target` (LANGUAGE.md
/// §10.2). Blocks that reference it come in on `port`; `allow` rules on their own ports.
fn ingress_blocks(tf: &Tf<'_>, target: &str, port: i64) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut groups: Vec<String> = Vec::new();
    let mut why: Vec<String> = Vec::new();
    for flow in tf.flows_into(target).iter().filter(|it| it.rule.is_none()) {
        let crate::deploy::Source::Block { kind, name } = &flow.from else { continue };
        if let Some(group) = source_group(tf, kind, name) {
            if !groups.contains(&group) {
                groups.push(group);
            }
            why.push(format!("{kind} `{name}`"));
        }
    }
    if !groups.is_empty() {
        blocks.push(
            Block::new("ingress", &[])
                .attr("description", format!("From {} (references in the plan)", why.join(", ")))
                .attr("from_port", port)
                .attr("to_port", port)
                .attr("protocol", "tcp")
                .attr("security_groups", Expr::List(groups.into_iter().map(Expr::raw).collect())),
        );
    }
    for flow in tf.flows_into(target).iter().filter(|it| it.rule.is_some()) {
        let rule = flow.rule.clone().unwrap_or_default();
        let source = match &flow.from {
            crate::deploy::Source::Cidr(cidr) => ("cidr_blocks", Expr::strs([cidr.clone()])),
            crate::deploy::Source::Internet => ("cidr_blocks", Expr::strs(["0.0.0.0/0"])),
            crate::deploy::Source::Block { kind, name } => match source_group(tf, kind, name) {
                Some(group) => ("security_groups", Expr::List(vec![Expr::raw(group)])),
                None => continue,
            },
        };
        for (from, to) in port_ranges(flow, port) {
            let (from, to) = if flow.protocol == "icmp" || flow.protocol == "all" { (-1, -1) } else { (from, to) };
            let (from, to) = if flow.protocol == "all" { (0, 0) } else { (from, to) };
            blocks.push(
                Block::new("ingress", &[])
                    .attr("description", format!("Rule `{rule}` of the network"))
                    .attr("from_port", from)
                    .attr("to_port", to)
                    .attr("protocol", protocol(flow))
                    .attr(source.0, source.1.clone()),
            );
        }
    }
    blocks
}

fn security_group(
    tf: &mut Tf<'_>,
    file: &'static str,
    located: &Located<'_>,
    network: Option<&str>,
    port: i64,
    what: &str,
) -> Option<String> {
    let network = network?;
    let id = format!("{}_{}", tf_name(located.name()), "access");
    let net = tf_name(network);
    let mut group = Block::resource("aws_security_group", &id)
        .attr("name", tf.cloud_name(&format!("{}-access", located.name())))
        .attr("description", format!("{what}: only the flows the plan declares"))
        .raw("vpc_id", format!("aws_vpc.{net}.id"));
    let ingress = ingress_blocks(tf, located.name(), port);
    if ingress.is_empty() {
        group = group.comment("No ingress: nothing in the plan refers to this block, so nothing may reach it.");
    }
    for block in ingress {
        group = group.block(block);
    }
    tf.add(
        file,
        located,
        group.block(
            Block::new("egress", &[])
                .attr("description", "Replies inside the network")
                .attr("from_port", 0)
                .attr("to_port", 0)
                .attr("protocol", "-1")
                .raw("cidr_blocks", format!("[aws_vpc.{net}.cidr_block]")),
        ),
    );
    Some(format!("aws_security_group.{id}.id"))
}

/// A VM set's own security group: ingress only from the network's `allow` rules that name it,
/// egress to the network and to HTTPS (updates, Systems Manager).
fn vm_security_group(tf: &mut Tf<'_>, located: &Located<'_>, network: Option<&str>) -> Option<String> {
    let network = network?;
    let id = format!("{}_vm", tf_name(located.name()));
    let net = tf_name(network);
    let mut group = Block::resource("aws_security_group", &id)
        .attr("name", tf.cloud_name(&format!("{}-vm", located.name())))
        .attr("description", "Machines: only the flows the plan declares")
        .raw("vpc_id", format!("aws_vpc.{net}.id"));
    let ingress = ingress_blocks(tf, located.name(), 0);
    if ingress.is_empty() {
        group = group.comment("No ingress: no `allow` rule of the network names these machines.");
    }
    for block in ingress {
        group = group.block(block);
    }
    let group = group
        .block(
            Block::new("egress", &[])
                .attr("description", "Inside the network")
                .attr("from_port", 0)
                .attr("to_port", 0)
                .attr("protocol", "-1")
                .raw("cidr_blocks", format!("[aws_vpc.{net}.cidr_block]")),
        )
        .block(
            Block::new("egress", &[])
                .attr("description", "HTTPS out: package updates and Systems Manager")
                .attr("from_port", 443)
                .attr("to_port", 443)
                .attr("protocol", "tcp")
                .attr("cidr_blocks", Expr::strs(["0.0.0.0/0"])),
        );
    tf.add("compute.tf", located, group);
    Some(format!("aws_security_group.{id}.id"))
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
    let network = get_ref(attrs, "network").map(String::from).or_else(|| tf.first_network());
    let subnets = subnet_ids(tf, network.as_deref(), &["database", "private"]);
    let port = match engine {
        "mysql" | "mariadb" => 3306,
        "sqlserver" => 1433,
        "mongodb" => 27017,
        _ => 5432,
    };
    let security_group = security_group(tf, "database.tf", located, network.as_deref(), port, "database");
    password(tf, "database.tf", located);
    let retention = field(attrs, "backup", "retention").and_then(|it| match it.kind {
        ValueKind::Duration(ms) => Some((ms / 86_400_000) as i64), // CAT508: 1 to 35 whole days
        _ => None,
    });
    let retention = retention.unwrap_or(7);
    let ha = get_bool(attrs, "ha").unwrap_or(false);
    let tier = get_str(attrs, "tier").unwrap_or("db.t4g.micro");
    if engine == "mongodb" {
        tf.add(
            "database.tf",
            located,
            Block::resource("aws_docdb_subnet_group", &id).attr("name", name.clone()).attr("subnet_ids", subnets),
        );
        tf.add(
            "database.tf",
            located,
            Block::resource("aws_docdb_cluster", &id)
                .attr("cluster_identifier", name.clone())
                .attr("engine", "docdb")
                .attr("engine_version", get_str(attrs, "version").unwrap_or("5.0.0"))
                .attr("master_username", "planc")
                .raw("master_password", format!("random_password.{id}.result"))
                .raw("db_subnet_group_name", format!("aws_docdb_subnet_group.{id}.name"))
                .attr(
                    "vpc_security_group_ids",
                    Expr::List(security_group.iter().map(|it| Expr::raw(it.clone())).collect()),
                )
                .attr("storage_encrypted", true)
                .raw("kms_key_id", KMS)
                .attr("backup_retention_period", retention)
                .attr("deletion_protection", get_bool(attrs, "deletion_protection").unwrap_or(true))
                .attr("enabled_cloudwatch_logs_exports", Expr::strs(["audit", "profiler"]))
                .attr("skip_final_snapshot", false)
                .attr("final_snapshot_identifier", format!("{name}-final"))
                .attr("tags", tags(tf, attrs, located, &name)),
        );
        let instances = if ha { 2 } else { 1 } + get_int(attrs, "read_replicas").unwrap_or(0).max(0);
        for index in 0..instances {
            tf.add(
                "database.tf",
                located,
                Block::resource("aws_docdb_cluster_instance", &format!("{id}_{}", index + 1))
                    .attr("identifier", format!("{name}-{}", index + 1))
                    .raw("cluster_identifier", format!("aws_docdb_cluster.{id}.id"))
                    .attr("instance_class", tier)
                    .attr("auto_minor_version_upgrade", true),
            );
        }
        return;
    }
    tf.add(
        "database.tf",
        located,
        Block::resource("aws_db_subnet_group", &id).attr("name", name.clone()).attr("subnet_ids", subnets),
    );
    let monitoring_role = role(
        tf,
        "database.tf",
        located,
        &format!("{name}-monitoring"),
        "monitoring.rds.amazonaws.com",
        &["service-role/AmazonRDSEnhancedMonitoringRole"],
    );
    let (family, logs): (Option<String>, Vec<&str>) = match engine {
        "postgres" => (
            Some(format!("postgres{}", get_str(attrs, "version").unwrap_or("16").split('.').next().unwrap_or("16"))),
            vec!["postgresql", "upgrade"],
        ),
        "mysql" => (
            Some(format!("mysql{}", get_str(attrs, "version").unwrap_or("8.0"))),
            vec!["audit", "error", "general", "slowquery"],
        ),
        "mariadb" => (
            Some(format!("mariadb{}", get_str(attrs, "version").unwrap_or("10.11"))),
            vec!["audit", "error", "general", "slowquery"],
        ),
        _ => (None, vec!["agent", "error"]),
    };
    if let (Some(family), "postgres") = (&family, engine) {
        tf.add(
            "database.tf",
            located,
            Block::resource("aws_db_parameter_group", &id)
                .attr("name", name.clone())
                .attr("family", family.clone())
                .block(Block::new("parameter", &[]).attr("name", "rds.force_ssl").attr("value", "1"))
                .block(Block::new("parameter", &[]).attr("name", "log_statement").attr("value", "ddl"))
                .block(Block::new("parameter", &[]).attr("name", "log_min_duration_statement").attr("value", "1000")),
        );
    }
    if let (Some(family), "mysql" | "mariadb") = (&family, engine) {
        tf.add(
            "database.tf",
            located,
            Block::resource("aws_db_parameter_group", &id)
                .attr("name", name.clone())
                .attr("family", family.clone())
                .block(Block::new("parameter", &[]).attr("name", "require_secure_transport").attr("value", "1")),
        );
    }
    let engine_name = match engine {
        "sqlserver" => "sqlserver-se",
        other => other,
    };
    let storage = size_gb(attrs, "storage").unwrap_or(20) as i64;
    let mut instance = Block::resource("aws_db_instance", &id)
        .attr("identifier", name.clone())
        .attr("engine", engine_name)
        .attr("engine_version", get_str(attrs, "version").unwrap_or("16"))
        .attr("instance_class", tier)
        .attr("allocated_storage", storage)
        .attr_if(
            attrs.contains_key("storage_autoscale"),
            "max_allocated_storage",
            size_gb(attrs, "storage_autoscale").unwrap_or(0) as i64,
        )
        .attr("storage_type", "gp3")
        .attr("storage_encrypted", true)
        .raw("kms_key_id", KMS)
        .attr("multi_az", ha)
        .attr("publicly_accessible", get_bool(attrs, "public").unwrap_or(false))
        .raw("db_subnet_group_name", format!("aws_db_subnet_group.{id}.name"))
        .attr("vpc_security_group_ids", Expr::List(security_group.iter().map(|it| Expr::raw(it.clone())).collect()))
        .attr("username", "planc")
        .raw("password", format!("random_password.{id}.result"))
        .attr("backup_retention_period", retention)
        .attr("copy_tags_to_snapshot", true)
        .attr("deletion_protection", get_bool(attrs, "deletion_protection").unwrap_or(true))
        .attr("auto_minor_version_upgrade", true)
        .attr_if(engine != "sqlserver", "iam_database_authentication_enabled", true)
        .attr("performance_insights_enabled", true)
        .raw("performance_insights_kms_key_id", KMS)
        .attr("monitoring_interval", 60)
        .raw("monitoring_role_arn", monitoring_role)
        .attr("enabled_cloudwatch_logs_exports", Expr::strs(logs))
        .attr("skip_final_snapshot", false)
        .attr("final_snapshot_identifier", format!("{name}-final"));
    if family.is_some() && matches!(engine, "postgres" | "mysql" | "mariadb") {
        instance = instance.raw("parameter_group_name", format!("aws_db_parameter_group.{id}.name"));
    }
    if let Some(window) = get_str(attrs, "maintenance_window") {
        instance = instance.attr("maintenance_window", window);
    }
    tf.add("database.tf", located, instance.attr("tags", tags(tf, attrs, located, &name)));
    for index in 0..get_int(attrs, "read_replicas").unwrap_or(0).max(0) {
        tf.add(
            "database.tf",
            located,
            Block::resource("aws_db_instance", &format!("{id}_replica_{}", index + 1))
                .attr("identifier", format!("{name}-replica-{}", index + 1))
                .raw("replicate_source_db", format!("aws_db_instance.{id}.identifier"))
                .attr("instance_class", tier)
                .attr("storage_encrypted", true)
                .raw("kms_key_id", KMS)
                .attr("publicly_accessible", false)
                .attr(
                    "vpc_security_group_ids",
                    Expr::List(security_group.iter().map(|it| Expr::raw(it.clone())).collect()),
                )
                .attr("auto_minor_version_upgrade", true)
                .attr_if(engine != "sqlserver", "iam_database_authentication_enabled", true)
                .attr("performance_insights_enabled", true)
                .raw("performance_insights_kms_key_id", KMS)
                .attr("monitoring_interval", 60)
                .raw("monitoring_role_arn", format!("aws_iam_role.{}.arn", tf_name(&format!("{name}-monitoring"))))
                .attr("enabled_cloudwatch_logs_exports", Expr::strs(logs_for(engine)))
                .attr("copy_tags_to_snapshot", true)
                .attr("deletion_protection", true)
                .attr("skip_final_snapshot", true),
        );
    }
    cross_region_replicas(tf, located, attrs, engine, port);
}

/// Cross-region replicas (`replica NAME { region }`): an RDS read replica in the replica's
/// region, encrypted with that region's key, in that region's DR network.
fn cross_region_replicas(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>, engine: &str, port: i64) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let tier = get_str(attrs, "tier").unwrap_or("db.t4g.micro").to_string();
    for (replica, region) in crate::deploy::dr::replicas(located.block, &tf.env.name) {
        let provider = other_region(tf, region);
        let alias = super::region_alias(region);
        dr_network(tf, region, port);
        let replica_block = located.block.child(replica);
        let class = replica_block.and_then(|it| it.attr("tier")).and_then(|it| it.value.as_str()).unwrap_or(&tier);
        tf.add(
            "dr.tf",
            located,
            Block::resource("aws_db_instance", &format!("{id}_{}", tf_name(replica)))
                .raw("provider", provider)
                .attr("identifier", format!("{name}-{}", dns_name(replica)))
                .raw("replicate_source_db", format!("aws_db_instance.{id}.arn"))
                .attr("instance_class", class)
                .attr("storage_encrypted", true)
                .raw("kms_key_id", format!("aws_kms_key.{alias}.arn"))
                .raw("db_subnet_group_name", format!("aws_db_subnet_group.{alias}.name"))
                .attr(
                    "vpc_security_group_ids",
                    Expr::List(vec![Expr::raw(format!("aws_security_group.{alias}_database_{port}.id"))]),
                )
                .attr("publicly_accessible", false)
                .attr("auto_minor_version_upgrade", true)
                .attr_if(engine != "sqlserver", "iam_database_authentication_enabled", true)
                .attr("performance_insights_enabled", true)
                .raw("performance_insights_kms_key_id", format!("aws_kms_key.{alias}.arn"))
                .attr("monitoring_interval", 60)
                .raw("monitoring_role_arn", format!("aws_iam_role.{}.arn", tf_name(&format!("{name}-monitoring"))))
                .attr("enabled_cloudwatch_logs_exports", Expr::strs(logs_for(engine)))
                .attr("copy_tags_to_snapshot", true)
                .attr("deletion_protection", true)
                .attr("skip_final_snapshot", true),
        );
    }
}

/// The provider of another region, with its key made once: `aws.us_west_2`.
fn other_region(tf: &mut Tf<'_>, region: &str) -> String {
    let alias = super::region_alias(region);
    if tf.aws_regions.insert(region.to_string()) {
        let provider = format!("aws.{alias}");
        let name = format!("{}-{}-{region}", tf.ctx.plan_name(), tf.env.name);
        let policy = format!("jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [\n      {{\n        Sid       = \"AccountAdministers\"\n        Effect    = \"Allow\"\n        Principal = {{ AWS = \"arn:aws:iam::${{data.aws_caller_identity.current.account_id}}:root\" }}\n        Action    = \"kms:*\"\n        Resource  = \"*\"\n      }},\n      {{\n        Sid       = \"LogsEncrypt\"\n        Effect    = \"Allow\"\n        Principal = {{ Service = \"logs.{region}.amazonaws.com\" }}\n        Action    = [\"kms:Encrypt*\", \"kms:Decrypt*\", \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\", \"kms:Describe*\"]\n        Resource  = \"*\"\n      }}\n    ]\n  }})");
        let [key, key_alias] = kms_key(&alias, &name, policy);
        tf.add_plain(
            "dr.tf",
            vec![format!("The customer-managed key of the disaster-recovery copies in {region}.")],
            key.raw("provider", provider.clone()),
        );
        tf.add_plain("dr.tf", Vec::new(), key_alias.raw("provider", provider));
    }
    format!("aws.{alias}")
}

/// A private network in another region for database replicas: a VPC with the CIDR of the
/// plan's first network (the regions are not connected), a subnet per zone for two zones,
/// a subnet group, and a security group per database port open to the VPC only.
fn dr_network(tf: &mut Tf<'_>, region: &str, port: i64) {
    let alias = super::region_alias(region);
    let provider = format!("aws.{alias}");
    let group = format!("{alias}_database_{port}");
    let exists = |tf: &Tf<'_>, kind: &str, name: &str| {
        tf.files.get("dr.tf").is_some_and(|file| {
            file.items.iter().any(|(_, block)| {
                block.labels.first().map(String::as_str) == Some(kind)
                    && block.labels.get(1).map(String::as_str) == Some(name)
            })
        })
    };
    if !exists(tf, "aws_vpc", &alias) {
        let cidr = tf
            .first_network()
            .and_then(|network| {
                tf.ctx
                    .find(&network)
                    .and_then(|it| it.block.attr("cidr"))
                    .and_then(|it| it.value.as_str())
                    .map(String::from)
            })
            .unwrap_or_else(|| "10.0.0.0/16".into());
        let name = format!("{}-{}-{region}", tf.ctx.plan_name(), tf.env.name);
        tf.add_plain(
            "dr.tf",
            vec![format!("The network of the disaster-recovery copies in {region}.")],
            Block::resource("aws_vpc", &alias)
                .raw("provider", provider.clone())
                .attr("cidr_block", cidr)
                .attr("enable_dns_support", true)
                .attr("enable_dns_hostnames", true)
                .attr("tags", Expr::Object(vec![("Name".into(), Expr::str(name.clone()))])),
        );
        tf.add_plain(
            "dr.tf",
            vec!["No rules: the default security group denies everything.".into()],
            Block::resource("aws_default_security_group", &alias)
                .raw("provider", provider.clone())
                .raw("vpc_id", format!("aws_vpc.{alias}.id")),
        );
        tf.add_plain(
            "dr.tf",
            Vec::new(),
            Block::new("data", &["aws_availability_zones", &alias])
                .raw("provider", provider.clone())
                .attr("state", "available"),
        );
        dr_flow_logs(tf, region, &name);
        for index in 0..2 {
            tf.add_plain(
                "dr.tf",
                Vec::new(),
                Block::resource("aws_subnet", &format!("{alias}_{}", index + 1))
                    .raw("provider", provider.clone())
                    .raw("vpc_id", format!("aws_vpc.{alias}.id"))
                    .raw("cidr_block", format!("cidrsubnet(aws_vpc.{alias}.cidr_block, 4, {index})"))
                    .raw("availability_zone", format!("data.aws_availability_zones.{alias}.names[{index}]"))
                    .attr("tags", Expr::Object(vec![("Name".into(), Expr::str(format!("{name}-{}", index + 1)))])),
            );
        }
        tf.add_plain(
            "dr.tf",
            Vec::new(),
            Block::resource("aws_db_subnet_group", &alias).raw("provider", provider.clone()).attr("name", name).attr(
                "subnet_ids",
                Expr::List((1..=2).map(|i| Expr::raw(format!("aws_subnet.{alias}_{i}.id"))).collect()),
            ),
        );
    }
    if !exists(tf, "aws_security_group", &group) {
        tf.add_plain(
            "dr.tf",
            Vec::new(),
            Block::resource("aws_security_group", &group)
                .raw("provider", provider)
                .attr("name", format!("{}-{}-{region}-database-{port}", tf.ctx.plan_name(), tf.env.name))
                .attr("description", format!("Database replicas on port {port}, from the DR network only"))
                .raw("vpc_id", format!("aws_vpc.{alias}.id"))
                .block(
                    Block::new("ingress", &[])
                        .attr("description", "from the DR network")
                        .attr("from_port", port)
                        .attr("to_port", port)
                        .attr("protocol", "tcp")
                        .attr("cidr_blocks", Expr::List(vec![Expr::raw(format!("aws_vpc.{alias}.cidr_block"))])),
                ),
        );
    }
}

/// Flow logs of a DR network, kept a year in that region.
fn dr_flow_logs(tf: &mut Tf<'_>, region: &str, name: &str) {
    let alias = super::region_alias(region);
    let provider = format!("aws.{alias}");
    let role = tf_name(&format!("{name}-flow-logs"));
    tf.add_plain(
        "dr.tf",
        Vec::new(),
        log_group(
            &format!("{alias}_flow_logs"),
            format!("/planc/{name}/flow-logs"),
            format!("aws_kms_key.{alias}.arn"),
        )
        .raw("provider", provider.clone()),
    );
    tf.add_plain(
        "dr.tf",
        Vec::new(),
        Block::resource("aws_iam_role", &role)
            .attr("name", format!("{name}-flow-logs"))
            .raw("assume_role_policy", assume_role_policy("vpc-flow-logs.amazonaws.com")),
    );
    tf.add_plain(
        "dr.tf",
        Vec::new(),
        Block::resource("aws_iam_role_policy", &role).raw("role", format!("aws_iam_role.{role}.id")).raw(
            "policy",
            format!("jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{\n      Effect   = \"Allow\"\n      Action   = [\"logs:CreateLogStream\", \"logs:PutLogEvents\", \"logs:DescribeLogStreams\"]\n      Resource = \"${{aws_cloudwatch_log_group.{alias}_flow_logs.arn}}:*\"\n    }}]\n  }})"),
        ),
    );
    tf.add_plain(
        "dr.tf",
        Vec::new(),
        Block::resource("aws_flow_log", &alias)
            .raw("provider", provider)
            .raw("vpc_id", format!("aws_vpc.{alias}.id"))
            .attr("traffic_type", "ALL")
            .raw("log_destination", format!("aws_cloudwatch_log_group.{alias}_flow_logs.arn"))
            .raw("iam_role_arn", format!("aws_iam_role.{role}.arn")),
    );
}

/// What every bucket has, the primary and its replica alike: encryption with `key` and a
/// public access block that lets it be public only when `public`.
fn bucket_guards(id: &str, key: Expr, public: bool) -> [Block; 2] {
    [
        Block::resource("aws_s3_bucket_server_side_encryption_configuration", id)
            .raw("bucket", format!("aws_s3_bucket.{id}.id"))
            .block(
                Block::new("rule", &[]).attr("bucket_key_enabled", true).block(
                    Block::new("apply_server_side_encryption_by_default", &[])
                        .attr("sse_algorithm", "aws:kms")
                        .attr("kms_master_key_id", key),
                ),
            ),
        Block::resource("aws_s3_bucket_public_access_block", id)
            .raw("bucket", format!("aws_s3_bucket.{id}.id"))
            .attr("block_public_acls", true)
            .attr("block_public_policy", !public)
            .attr("ignore_public_acls", true)
            .attr("restrict_public_buckets", !public),
    ]
}

/// `replicate_to`: a bucket in that region, replication of every object with Replication Time
/// Control (15 minutes), and the role S3 replicates with.
fn bucket_replication(tf: &mut Tf<'_>, located: &Located<'_>, region: &str) {
    let id = tf_name(located.name());
    let provider = other_region(tf, region);
    let alias = super::region_alias(region);
    let replica = format!("{id}_replica");
    let name = tf.cloud_name(&format!("{}-{region}", located.name()));
    tf.add(
        "dr.tf",
        located,
        Block::resource("aws_s3_bucket", &replica)
            .raw("provider", provider.clone())
            .attr("bucket", name)
            .attr("force_destroy", false),
    );
    tf.add(
        "dr.tf",
        located,
        Block::resource("aws_s3_bucket_versioning", &replica)
            .raw("provider", provider.clone())
            .raw("bucket", format!("aws_s3_bucket.{replica}.id"))
            .block(Block::new("versioning_configuration", &[]).attr("status", "Enabled")),
    );
    for guard in bucket_guards(&replica, Expr::raw(format!("aws_kms_key.{alias}.arn")), false) {
        tf.add("dr.tf", located, guard.raw("provider", provider.clone()));
    }
    tf.add(
        "dr.tf",
        located,
        Block::resource("aws_s3_bucket_lifecycle_configuration", &replica)
            .raw("provider", provider.clone())
            .raw("bucket", format!("aws_s3_bucket.{replica}.id"))
            .block(
                Block::new("rule", &[])
                    .attr("id", "planc-lifecycle")
                    .attr("status", "Enabled")
                    .block(Block::new("filter", &[]))
                    .block(Block::new("abort_incomplete_multipart_upload", &[]).attr("days_after_initiation", 7))
                    .block(Block::new("noncurrent_version_expiration", &[]).attr("noncurrent_days", 90)),
            ),
    );
    let role = tf_name(&format!("{}-replication", located.name()));
    tf.add(
        "dr.tf",
        located,
        Block::resource("aws_iam_role", &role)
            .attr("name", tf.cloud_name(&format!("{}-replication", located.name())))
            .raw("assume_role_policy", assume_role_policy("s3.amazonaws.com")),
    );
    let policy = format!(
        "jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [\n      {{\n        Effect   = \"Allow\"\n        Action   = [\"s3:GetReplicationConfiguration\", \"s3:ListBucket\"]\n        Resource = [aws_s3_bucket.{id}.arn]\n      }},\n      {{\n        Effect   = \"Allow\"\n        Action   = [\"s3:GetObjectVersionForReplication\", \"s3:GetObjectVersionAcl\", \"s3:GetObjectVersionTagging\"]\n        Resource = [\"${{aws_s3_bucket.{id}.arn}}/*\"]\n      }},\n      {{\n        Effect   = \"Allow\"\n        Action   = [\"s3:ReplicateObject\", \"s3:ReplicateDelete\", \"s3:ReplicateTags\"]\n        Resource = [\"${{aws_s3_bucket.{replica}.arn}}/*\"]\n      }},\n      {{\n        Effect   = \"Allow\"\n        Action   = [\"kms:Decrypt\"]\n        Resource = [{KMS}]\n      }},\n      {{\n        Effect   = \"Allow\"\n        Action   = [\"kms:Encrypt\", \"kms:GenerateDataKey\"]\n        Resource = [aws_kms_key.{alias}.arn]\n      }}\n    ]\n  }})"
    );
    tf.add(
        "dr.tf",
        located,
        Block::resource("aws_iam_role_policy", &role)
            .raw("role", format!("aws_iam_role.{role}.id"))
            .raw("policy", policy),
    );
    tf.add(
        "dr.tf",
        located,
        Block::resource("aws_s3_bucket_replication_configuration", &id)
            .raw("role", format!("aws_iam_role.{role}.arn"))
            .raw("bucket", format!("aws_s3_bucket.{id}.id"))
            .raw("depends_on", format!("[aws_s3_bucket_versioning.{id}, aws_s3_bucket_versioning.{replica}]"))
            .block(
                Block::new("rule", &[])
                    .attr("id", "planc-dr")
                    .attr("status", "Enabled")
                    .block(Block::new("filter", &[]))
                    .block(Block::new("delete_marker_replication", &[]).attr("status", "Enabled"))
                    .block(
                        Block::new("source_selection_criteria", &[])
                            .block(Block::new("sse_kms_encrypted_objects", &[]).attr("status", "Enabled")),
                    )
                    .block(
                        Block::new("destination", &[])
                            .raw("bucket", format!("aws_s3_bucket.{replica}.arn"))
                            .attr("storage_class", "STANDARD")
                            .block(
                                Block::new("encryption_configuration", &[])
                                    .raw("replica_kms_key_id", format!("aws_kms_key.{alias}.arn")),
                            )
                            .block(
                                Block::new("replication_time", &[])
                                    .attr("status", "Enabled")
                                    .block(Block::new("time", &[]).attr("minutes", 15)),
                            )
                            .block(
                                Block::new("metrics", &[])
                                    .attr("status", "Enabled")
                                    .block(Block::new("event_threshold", &[]).attr("minutes", 15)),
                            ),
                    ),
            ),
    );
}

fn logs_for(engine: &str) -> Vec<&'static str> {
    match engine {
        "postgres" => vec!["postgresql", "upgrade"],
        "sqlserver" => vec!["agent", "error"],
        _ => vec!["audit", "error", "general", "slowquery"],
    }
}

fn cache(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let engine = get_str(attrs, "engine").unwrap_or("redis");
    let network = get_ref(attrs, "network").map(String::from).or_else(|| tf.first_network());
    let subnets = subnet_ids(tf, network.as_deref(), &["private", "database"]);
    let port = if engine == "memcached" { 11211 } else { 6379 };
    let security_group = security_group(tf, "cache.tf", located, network.as_deref(), port, "cache");
    tf.add(
        "cache.tf",
        located,
        Block::resource("aws_elasticache_subnet_group", &id).attr("name", name.clone()).attr("subnet_ids", subnets),
    );
    let shape = crate::deploy::cache(attrs);
    let tier = shape.tier.clone().unwrap_or_default();
    let nodes = shape.nodes;
    let groups: Vec<Expr> = security_group.iter().map(|it| Expr::raw(it.clone())).collect();
    if engine == "memcached" {
        tf.add(
            "cache.tf",
            located,
            Block::resource("aws_elasticache_cluster", &id)
                .attr("cluster_id", name.clone())
                .attr("engine", "memcached")
                .attr("engine_version", get_str(attrs, "version").unwrap_or("1.6.22"))
                .attr("node_type", tier)
                .attr("num_cache_nodes", nodes)
                .attr("port", port)
                .attr("transit_encryption_enabled", true)
                .raw("subnet_group_name", format!("aws_elasticache_subnet_group.{id}.name"))
                .attr("security_group_ids", Expr::List(groups))
                .attr("tags", tags(tf, attrs, located, &name)),
        );
        return;
    }
    password(tf, "cache.tf", located);
    let eviction = shape.eviction.clone();
    let version = get_str(attrs, "version").unwrap_or("7.1");
    let major = version.split('.').next().unwrap_or("7");
    tf.add(
        "cache.tf",
        located,
        Block::resource("aws_elasticache_parameter_group", &id)
            .attr("name", name.clone())
            .attr("family", format!("redis{major}"))
            .block(Block::new("parameter", &[]).attr("name", "maxmemory-policy").attr("value", eviction)),
    );
    let shards = shape.shards;
    let mut group = Block::resource("aws_elasticache_replication_group", &id)
        .attr("replication_group_id", name.clone())
        .attr("description", format!("planc cache `{}`", located.name()))
        .attr("engine", "redis")
        .attr("engine_version", version)
        .attr("node_type", tier)
        .attr("port", port)
        .raw("parameter_group_name", format!("aws_elasticache_parameter_group.{id}.name"))
        .raw("subnet_group_name", format!("aws_elasticache_subnet_group.{id}.name"))
        .attr("security_group_ids", Expr::List(groups))
        .attr("at_rest_encryption_enabled", true)
        .raw("kms_key_id", KMS)
        .attr("transit_encryption_enabled", true)
        .raw("auth_token", format!("random_password.{id}.result"))
        .attr("automatic_failover_enabled", nodes > 1)
        .attr("multi_az_enabled", nodes > 1)
        .attr("snapshot_retention_limit", days(attrs, "backup", "retention").unwrap_or(7))
        .attr("auto_minor_version_upgrade", true);
    group = if shards > 1 {
        group.attr("num_node_groups", shards).attr("replicas_per_node_group", shape.replicas_per_shard())
    } else {
        group.attr("num_cache_clusters", nodes)
    };
    tf.add("cache.tf", located, group.attr("tags", tags(tf, attrs, located, &name)));
}

fn days(attrs: &EnvAttrs<'_>, object: &str, name: &str) -> Option<i64> {
    match field(attrs, object, name)?.kind {
        ValueKind::Duration(ms) => Some((ms / 86_400_000) as i64), // CAT508: whole days
        _ => None,
    }
}

fn bucket(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let public = get_bool(attrs, "public").unwrap_or(false);
    tf.add(
        "storage.tf",
        located,
        Block::resource("aws_s3_bucket", &id)
            .attr("bucket", name.clone())
            .attr("force_destroy", false)
            .attr("tags", tags(tf, attrs, located, &name)),
    );
    tf.add(
        "storage.tf",
        located,
        Block::resource("aws_s3_bucket_versioning", &id).raw("bucket", format!("aws_s3_bucket.{id}.id")).block(
            Block::new("versioning_configuration", &[])
                .attr("status", if get_bool(attrs, "versioning").unwrap_or(true) { "Enabled" } else { "Suspended" }),
        ),
    );
    let key = get_str(attrs, "kms_key").map_or_else(|| Expr::raw(KMS), Expr::str);
    let [encryption, access] = bucket_guards(&id, key, public);
    tf.add("storage.tf", located, encryption);
    tf.add("storage.tf", located, access);
    tf.add(
        "storage.tf",
        located,
        Block::resource("aws_s3_bucket_ownership_controls", &id)
            .raw("bucket", format!("aws_s3_bucket.{id}.id"))
            .block(Block::new("rule", &[]).attr("object_ownership", "BucketOwnerEnforced")),
    );
    let mut rule = Block::new("rule", &[])
        .attr("id", "planc-lifecycle")
        .attr("status", "Enabled")
        .block(Block::new("filter", &[]))
        .block(Block::new("abort_incomplete_multipart_upload", &[]).attr("days_after_initiation", 7))
        .block(Block::new("noncurrent_version_expiration", &[]).attr("noncurrent_days", 90));
    if let Some(infrequent) = days(attrs, "lifecycle", "infrequent") {
        rule = rule.block(Block::new("transition", &[]).attr("days", infrequent).attr("storage_class", "STANDARD_IA"));
    }
    if let Some(archive) = days(attrs, "lifecycle", "archive") {
        rule = rule.block(Block::new("transition", &[]).attr("days", archive).attr("storage_class", "GLACIER"));
    }
    if let Some(expire) = days(attrs, "lifecycle", "expire") {
        rule = rule.block(Block::new("expiration", &[]).attr("days", expire));
    }
    tf.add(
        "storage.tf",
        located,
        Block::resource("aws_s3_bucket_lifecycle_configuration", &id)
            .raw("bucket", format!("aws_s3_bucket.{id}.id"))
            .block(rule),
    );
    // TLS only; and reads by the CloudFront distributions in front of this bucket.
    let mut statements = vec![format!(
        "{{\n        Sid       = \"TlsOnly\"\n        Effect    = \"Deny\"\n        Principal = \"*\"\n        Action    = \"s3:*\"\n        Resource  = [aws_s3_bucket.{id}.arn, \"${{aws_s3_bucket.{id}.arn}}/*\"]\n        Condition = {{ Bool = {{ \"aws:SecureTransport\" = \"false\" }} }}\n      }}"
    )];
    for cdn in tf.ctx.of_kind("cdn") {
        if get_ref(&cdn.block.env_attrs(&tf.env.name), "origin") == Some(located.name())
            && tf.ctx.exists_in(cdn.block, &tf.env.name)
        {
            let cdn_id = tf_name(cdn.name());
            statements.push(format!(
                "{{\n        Sid       = \"CloudFrontReads{cdn_id}\"\n        Effect    = \"Allow\"\n        Principal = {{ Service = \"cloudfront.amazonaws.com\" }}\n        Action    = \"s3:GetObject\"\n        Resource  = \"${{aws_s3_bucket.{id}.arn}}/*\"\n        Condition = {{ StringEquals = {{ \"AWS:SourceArn\" = aws_cloudfront_distribution.{cdn_id}.arn }} }}\n      }}"
            ));
        }
    }
    tf.add(
        "storage.tf",
        located,
        Block::resource("aws_s3_bucket_policy", &id).raw("bucket", format!("aws_s3_bucket.{id}.id")).raw(
            "policy",
            format!(
                "jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [\n      {}\n    ]\n  }})",
                statements.join(",\n      ")
            ),
        ),
    );
    if let Some(region) = get_str(attrs, "replicate_to") {
        bucket_replication(tf, located, region);
    }
}

fn queue(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let fifo = get_bool(attrs, "fifo").unwrap_or(false);
    let name = if fifo { format!("{}.fifo", tf.cloud_name(located.name())) } else { tf.cloud_name(located.name()) };
    let retention = duration_seconds(attrs, "retention").unwrap_or(4 * 86_400) as i64;
    let mut block = Block::resource("aws_sqs_queue", &id)
        .attr("name", name.clone())
        .attr_if(fifo, "fifo_queue", true)
        .attr("message_retention_seconds", retention)
        .attr("visibility_timeout_seconds", duration_seconds(attrs, "visibility_timeout").unwrap_or(30) as i64)
        .raw("kms_master_key_id", KMS)
        .attr("kms_data_key_reuse_period_seconds", 300);
    if let Some(target) = get_ref(attrs, "dead_letter") {
        block = block.raw(
            "redrive_policy",
            format!(
                "jsonencode({{\n    deadLetterTargetArn = aws_sqs_queue.{}.arn\n    maxReceiveCount     = {}\n  }})",
                tf_name(target),
                get_int(attrs, "max_receives").unwrap_or(5)
            ),
        );
    }
    tf.add("messaging.tf", located, block.attr("tags", tags(tf, attrs, located, &name)));
    if let Some(Value { kind: ValueKind::List(topics), .. }) = attrs.get("subscribe") {
        let topic_names: Vec<String> = topics
            .iter()
            .filter_map(|it| match &it.kind {
                ValueKind::Ref(reference) => Some(reference.name.clone()),
                _ => None,
            })
            .collect();
        for topic in &topic_names {
            tf.add(
                "messaging.tf",
                located,
                Block::resource("aws_sns_topic_subscription", &format!("{id}_{}", tf_name(topic)))
                    .raw("topic_arn", format!("aws_sns_topic.{}.arn", tf_name(topic)))
                    .attr("protocol", "sqs")
                    .raw("endpoint", format!("aws_sqs_queue.{id}.arn"))
                    .attr("raw_message_delivery", true),
            );
        }
        if !topic_names.is_empty() {
            let sources: Vec<String> =
                topic_names.iter().map(|topic| format!("aws_sns_topic.{}.arn", tf_name(topic))).collect();
            tf.add(
                "messaging.tf",
                located,
                Block::resource("aws_sqs_queue_policy", &id).raw("queue_url", format!("aws_sqs_queue.{id}.id")).raw(
                    "policy",
                    format!(
                        "jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{\n      Effect    = \"Allow\"\n      Principal = {{ Service = \"sns.amazonaws.com\" }}\n      Action    = \"sqs:SendMessage\"\n      Resource  = aws_sqs_queue.{id}.arn\n      Condition = {{ ArnEquals = {{ \"aws:SourceArn\" = [{}] }} }}\n    }}]\n  }})",
                        sources.join(", ")
                    ),
                ),
            );
        }
    }
}

fn topic(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let fifo = get_bool(attrs, "fifo").unwrap_or(false);
    let name = if fifo { format!("{}.fifo", tf.cloud_name(located.name())) } else { tf.cloud_name(located.name()) };
    tf.add(
        "messaging.tf",
        located,
        Block::resource("aws_sns_topic", &id)
            .attr("name", name.clone())
            .attr_if(fifo, "fifo_topic", true)
            .raw("kms_master_key_id", KMS)
            .attr("tags", tags(tf, attrs, located, &name)),
    );
}

/// `0 3 * * *` as an EventBridge schedule: `cron(0 3 * * ? *)`.
pub fn eventbridge_cron(cron: &str) -> String {
    let parts: Vec<&str> = cron.split_whitespace().collect();
    if parts.len() != 5 {
        return format!("cron({cron})");
    }
    let (day_of_month, day_of_week) = match (parts[2], parts[4]) {
        (dom, "*") => (dom.to_string(), "?".to_string()),
        (_, dow) => ("?".to_string(), dow.to_string()),
    };
    format!("cron({} {} {day_of_month} {} {day_of_week} *)", parts[0], parts[1], parts[3])
}

fn function(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let network = get_ref(attrs, "network").map(String::from);
    let mut policies = vec!["service-role/AWSLambdaBasicExecutionRole", "AWSXRayDaemonWriteAccess"];
    if network.is_some() {
        policies.push("service-role/AWSLambdaVPCAccessExecutionRole");
    }
    let role_arn = role(tf, "functions.tf", located, &format!("{name}-function"), "lambda.amazonaws.com", &policies);
    let runtime = get_str(attrs, "runtime").unwrap_or("nodejs22");
    let runtime_id =
        crate::catalog::versions::Versions::builtin().runtime("aws", runtime).unwrap_or_else(|| runtime.to_string());
    let memory = crate::cost::model::quantity_range(attrs.get("memory")).map_or(512, |it| (it.0 >> 20) as i64);
    let timeout = duration_seconds(attrs, "timeout").unwrap_or(30) as i64;
    // Failed asynchronous invocations land here.
    tf.add(
        "functions.tf",
        located,
        Block::resource("aws_sqs_queue", &format!("{id}_failures"))
            .attr("name", format!("{name}-failures"))
            .attr("message_retention_seconds", 1_209_600)
            .raw("kms_master_key_id", KMS),
    );
    let handler = get_str(attrs, "handler").unwrap_or(match runtime {
        "python3.12" => "main.handler",
        "java21" => "Handler::handleRequest",
        "go" => "bootstrap",
        "dotnet8" => "Function::Function.Handler::Handle",
        _ => "index.handler",
    });
    let source = get_str(attrs, "source").unwrap_or(located.name());
    let mut block = Block::resource("aws_lambda_function", &id)
        .attr("function_name", name.clone())
        .raw("role", role_arn)
        .attr("runtime", runtime_id)
        .attr("handler", handler)
        .raw("filename", format!("\"${{path.module}}/{}.zip\"", dns_name(source)))
        .attr("memory_size", memory)
        .attr("timeout", timeout)
        .attr("reserved_concurrent_executions", 100)
        .raw("kms_key_arn", KMS)
        .block(Block::new("tracing_config", &[]).attr("mode", "Active"))
        .block(Block::new("dead_letter_config", &[]).raw("target_arn", format!("aws_sqs_queue.{id}_failures.arn")));
    let variables = super::function_environment(tf, attrs);
    if !variables.is_empty() {
        block = block.block(Block::new("environment", &[]).attr("variables", Expr::Object(variables)));
    }
    if let Some(network) = &network {
        let security_group = security_group(tf, "functions.tf", located, Some(network), 443, "function");
        block = block.block(
            Block::new("vpc_config", &[]).attr("subnet_ids", subnet_ids(tf, Some(network), &["private"])).attr(
                "security_group_ids",
                Expr::List(security_group.iter().map(|it| Expr::raw(it.clone())).collect()),
            ),
        );
    }
    tf.add("functions.tf", located, block.attr("tags", tags(tf, attrs, located, &name)));
    match attrs.get("trigger").map(|it| &it.kind) {
        Some(ValueKind::Ref(reference)) => {
            let target = tf.ctx.index.lookup(&reference.name).map(|it| it.kind.clone()).unwrap_or_default();
            let target_id = tf_name(&reference.name);
            if target == "queue" {
                tf.add(
                    "functions.tf",
                    located,
                    Block::resource("aws_lambda_event_source_mapping", &id)
                        .raw("event_source_arn", format!("aws_sqs_queue.{target_id}.arn"))
                        .raw("function_name", format!("aws_lambda_function.{id}.arn"))
                        .attr("batch_size", 10),
                );
            } else {
                tf.add(
                    "functions.tf",
                    located,
                    Block::resource("aws_sns_topic_subscription", &format!("{id}_trigger"))
                        .raw("topic_arn", format!("aws_sns_topic.{target_id}.arn"))
                        .attr("protocol", "lambda")
                        .raw("endpoint", format!("aws_lambda_function.{id}.arn")),
                );
                tf.add(
                    "functions.tf",
                    located,
                    Block::resource("aws_lambda_permission", &format!("{id}_sns"))
                        .attr("action", "lambda:InvokeFunction")
                        .raw("function_name", format!("aws_lambda_function.{id}.function_name"))
                        .attr("principal", "sns.amazonaws.com")
                        .raw("source_arn", format!("aws_sns_topic.{target_id}.arn")),
                );
            }
        }
        Some(ValueKind::String(cron)) => {
            tf.add(
                "functions.tf",
                located,
                Block::resource("aws_cloudwatch_event_rule", &id)
                    .attr("name", name.clone())
                    .attr("schedule_expression", eventbridge_cron(cron)),
            );
            tf.add(
                "functions.tf",
                located,
                Block::resource("aws_cloudwatch_event_target", &id)
                    .raw("rule", format!("aws_cloudwatch_event_rule.{id}.name"))
                    .raw("arn", format!("aws_lambda_function.{id}.arn")),
            );
            tf.add(
                "functions.tf",
                located,
                Block::resource("aws_lambda_permission", &format!("{id}_schedule"))
                    .attr("action", "lambda:InvokeFunction")
                    .raw("function_name", format!("aws_lambda_function.{id}.function_name"))
                    .attr("principal", "events.amazonaws.com")
                    .raw("source_arn", format!("aws_cloudwatch_event_rule.{id}.arn")),
            );
        }
        _ => {
            // HTTP: reached through a gateway route, or an IAM-authenticated function URL.
            tf.add(
                "functions.tf",
                located,
                Block::resource("aws_lambda_function_url", &id)
                    .raw("function_name", format!("aws_lambda_function.{id}.function_name"))
                    .attr("authorization_type", "AWS_IAM"),
            );
        }
    }
}

fn gateway(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let network = get_ref(attrs, "network").map(String::from).or_else(|| tf.first_network());
    let Some(network) = network else { return };
    let net = tf_name(&network);
    // An internal load balancer sits in the private subnets and takes HTTPS from the network
    // only; a public one takes it from the internet. The network's allow rules add sources.
    let internal = get_bool(attrs, "internal").unwrap_or(false);
    let (from, what) = if internal {
        (Expr::raw(format!("[aws_vpc.{net}.cidr_block]")), "the network")
    } else {
        (Expr::strs(["0.0.0.0/0"]), "the internet")
    };
    tf.add(
        "edge.tf",
        located,
        Block::resource("aws_security_group", &format!("{id}_lb"))
            .attr("name", format!("{name}-lb"))
            .attr("description", format!("HTTPS from {what} to the load balancer"))
            .raw("vpc_id", format!("aws_vpc.{net}.id"))
            .block(
                Block::new("ingress", &[])
                    .attr("description", "HTTPS")
                    .attr("from_port", 443)
                    .attr("to_port", 443)
                    .attr("protocol", "tcp")
                    .attr("cidr_blocks", from),
            )
            .block(
                Block::new("egress", &[])
                    .attr("description", "To the workloads in the network")
                    .attr("from_port", 0)
                    .attr("to_port", 65535)
                    .attr("protocol", "tcp")
                    .raw("cidr_blocks", format!("[aws_vpc.{net}.cidr_block]")),
            ),
    );
    let subnets = if internal { &["private", "public"][..] } else { &["public"][..] };
    tf.add(
        "edge.tf",
        located,
        Block::resource("aws_lb", &id)
            .attr("name", name.chars().take(32).collect::<String>().trim_end_matches('-').to_string())
            .attr("internal", internal)
            .attr("load_balancer_type", "application")
            .raw("security_groups", format!("[aws_security_group.{id}_lb.id]"))
            .attr("subnets", subnet_ids(tf, Some(&network), subnets))
            .attr("drop_invalid_header_fields", true)
            .attr("enable_deletion_protection", true)
            .attr("tags", tags(tf, attrs, located, &name)),
    );
    let certificate = match get_str(attrs, "certificate") {
        Some(arn) => Expr::str(arn),
        None => {
            let variable = format!("{id}_certificate_arn");
            tf.variables.entry(variable.clone()).or_insert_with(|| {
                Block::new("variable", &[&variable])
                    .attr("description", format!("The ACM certificate of gateway `{}`.", located.name()))
                    .raw("type", "string")
            });
            Expr::raw(format!("var.{variable}"))
        }
    };
    if get_bool(attrs, "tls").unwrap_or(true) {
        tf.add(
            "edge.tf",
            located,
            Block::resource("aws_lb_listener", &format!("{id}_https"))
                .raw("load_balancer_arn", format!("aws_lb.{id}.arn"))
                .attr("port", 443)
                .attr("protocol", "HTTPS")
                .attr("ssl_policy", "ELBSecurityPolicy-TLS13-1-2-2021-06")
                .attr("certificate_arn", certificate)
                .block(
                    Block::new("default_action", &[]).attr("type", "fixed-response").block(
                        Block::new("fixed_response", &[])
                            .attr("content_type", "text/plain")
                            .attr("message_body", "not found")
                            .attr("status_code", "404"),
                    ),
                ),
        );
    }
    if get_bool(attrs, "waf").unwrap_or(false) {
        let mut acl = Block::resource("aws_wafv2_web_acl", &id)
            .attr("name", name.clone())
            .attr("scope", "REGIONAL")
            .block(Block::new("default_action", &[]).block(Block::new("allow", &[])))
            .block(managed_rule("common", 10, "AWSManagedRulesCommonRuleSet"))
            .block(managed_rule("known-bad-inputs", 20, "AWSManagedRulesKnownBadInputsRuleSet"))
            .block(managed_rule("anonymous-ip", 25, "AWSManagedRulesAnonymousIpList"));
        if let Some(limit) = get_int(attrs, "rate_limit") {
            acl = acl.block(
                Block::new("rule", &[])
                    .attr("name", "rate-limit")
                    .attr("priority", 30)
                    .block(Block::new("action", &[]).block(Block::new("block", &[])))
                    .block(
                        Block::new("statement", &[]).block(
                            Block::new("rate_based_statement", &[])
                                .attr("limit", limit)
                                .attr("evaluation_window_sec", 60)
                                .attr("aggregate_key_type", "IP"),
                        ),
                    )
                    .block(visibility("rate-limit")),
            );
        }
        tf.add("edge.tf", located, acl.block(visibility(&name)));
        tf.add(
            "edge.tf",
            located,
            Block::resource("aws_wafv2_web_acl_association", &id)
                .raw("resource_arn", format!("aws_lb.{id}.arn"))
                .raw("web_acl_arn", format!("aws_wafv2_web_acl.{id}.arn")),
        );
        tf.add("edge.tf", located, log_group(&format!("{id}_waf"), format!("aws-waf-logs-{name}"), KMS));
        tf.add(
            "edge.tf",
            located,
            Block::resource("aws_wafv2_web_acl_logging_configuration", &id)
                .raw("resource_arn", format!("aws_wafv2_web_acl.{id}.arn"))
                .raw("log_destination_configs", format!("[aws_cloudwatch_log_group.{id}_waf.arn]")),
        );
    }
}

fn managed_rule(name: &str, priority: i64, rule_set: &str) -> Block {
    Block::new("rule", &[])
        .attr("name", name)
        .attr("priority", priority)
        .block(Block::new("override_action", &[]).block(Block::new("none", &[])))
        .block(
            Block::new("statement", &[]).block(
                Block::new("managed_rule_group_statement", &[]).attr("name", rule_set).attr("vendor_name", "AWS"),
            ),
        )
        .block(visibility(name))
}

fn visibility(name: &str) -> Block {
    Block::new("visibility_config", &[])
        .attr("cloudwatch_metrics_enabled", true)
        .attr("metric_name", name)
        .attr("sampled_requests_enabled", true)
}

fn cdn(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let Some(origin) = get_ref(attrs, "origin") else { return };
    let origin_kind = tf.ctx.index.lookup(origin).map(|it| it.kind.clone()).unwrap_or_default();
    let origin_id = tf_name(origin);
    let ttl = duration_seconds(attrs, "ttl").unwrap_or(3600) as i64;
    let mut origin_block = Block::new("origin", &[]).attr("origin_id", origin.to_string());
    if origin_kind == "bucket" {
        tf.add(
            "edge.tf",
            located,
            Block::resource("aws_cloudfront_origin_access_control", &id)
                .attr("name", name.clone())
                .attr("origin_access_control_origin_type", "s3")
                .attr("signing_behavior", "always")
                .attr("signing_protocol", "sigv4"),
        );
        origin_block = origin_block
            .raw("domain_name", format!("aws_s3_bucket.{origin_id}.bucket_regional_domain_name"))
            .raw("origin_access_control_id", format!("aws_cloudfront_origin_access_control.{id}.id"));
    } else {
        origin_block = origin_block.raw("domain_name", format!("aws_lb.{origin_id}.dns_name")).block(
            Block::new("custom_origin_config", &[])
                .attr("http_port", 80)
                .attr("https_port", 443)
                .attr("origin_protocol_policy", "https-only")
                .attr("origin_ssl_protocols", Expr::strs(["TLSv1.2"])),
        );
    }
    tf.add(
        "edge.tf",
        located,
        Block::resource("aws_cloudfront_response_headers_policy", &id).attr("name", name.clone()).block(
            Block::new("security_headers_config", &[])
                .block(Block::new("content_type_options", &[]).attr("override", true))
                .block(Block::new("frame_options", &[]).attr("frame_option", "DENY").attr("override", true))
                .block(
                    Block::new("referrer_policy", &[])
                        .attr("referrer_policy", "strict-origin-when-cross-origin")
                        .attr("override", true),
                )
                .block(
                    Block::new("strict_transport_security", &[])
                        .attr("access_control_max_age_sec", 31_536_000)
                        .attr("include_subdomains", true)
                        .attr("preload", true)
                        .attr("override", true),
                ),
        ),
    );
    let waf = get_bool(attrs, "waf").unwrap_or(false);
    if waf {
        tf.global_aws = true;
        tf.add(
            "edge.tf",
            located,
            Block::resource("aws_wafv2_web_acl", &format!("{id}_cdn"))
                .raw("provider", "aws.global")
                .attr("name", format!("{name}-cdn"))
                .attr("scope", "CLOUDFRONT")
                .block(Block::new("default_action", &[]).block(Block::new("allow", &[])))
                .block(managed_rule("common", 10, "AWSManagedRulesCommonRuleSet"))
                .block(managed_rule("known-bad-inputs", 20, "AWSManagedRulesKnownBadInputsRuleSet"))
                .block(managed_rule("anonymous-ip", 25, "AWSManagedRulesAnonymousIpList"))
                .block(visibility(&format!("{name}-cdn"))),
        );
        global_key(tf, "edge.tf");
        tf.add(
            "edge.tf",
            located,
            log_group(&format!("{id}_cdn_waf"), format!("aws-waf-logs-{name}-cdn"), "aws_kms_key.global.arn")
                .raw("provider", "aws.global"),
        );
        tf.add(
            "edge.tf",
            located,
            Block::resource("aws_wafv2_web_acl_logging_configuration", &format!("{id}_cdn"))
                .raw("provider", "aws.global")
                .raw("resource_arn", format!("aws_wafv2_web_acl.{id}_cdn.arn"))
                .raw("log_destination_configs", format!("[aws_cloudwatch_log_group.{id}_cdn_waf.arn]")),
        );
    }
    let mut distribution = Block::resource("aws_cloudfront_distribution", &id)
        .attr("enabled", true)
        .attr("is_ipv6_enabled", true)
        .attr("comment", format!("planc cdn `{}`", located.name()))
        .attr("price_class", "PriceClass_100")
        .attr_if(origin_kind == "bucket", "default_root_object", "index.html")
        .raw_if(waf, "web_acl_id", format!("aws_wafv2_web_acl.{id}_cdn.arn"))
        .block(origin_block)
        .block(
            Block::new("default_cache_behavior", &[])
                .attr("target_origin_id", origin.to_string())
                .attr("viewer_protocol_policy", "redirect-to-https")
                .attr("allowed_methods", Expr::strs(["GET", "HEAD", "OPTIONS"]))
                .attr("cached_methods", Expr::strs(["GET", "HEAD"]))
                .attr("compress", true)
                .attr("min_ttl", 0)
                .attr("default_ttl", ttl)
                .attr("max_ttl", ttl.max(86_400))
                .block(
                    Block::new("forwarded_values", &[])
                        .attr("query_string", false)
                        .block(Block::new("cookies", &[]).attr("forward", "none")),
                )
                .raw("response_headers_policy_id", format!("aws_cloudfront_response_headers_policy.{id}.id")),
        )
        .block(
            Block::new("restrictions", &[]).block(Block::new("geo_restriction", &[]).attr("restriction_type", "none")),
        );
    distribution = match get_str(attrs, "host") {
        Some(host) => {
            let variable = format!("{id}_certificate_arn");
            tf.variables.entry(variable.clone()).or_insert_with(|| {
                Block::new("variable", &[&variable])
                    .attr("description", format!("The ACM certificate (us-east-1) for `{host}`."))
                    .raw("type", "string")
            });
            distribution.attr("aliases", Expr::strs([host])).block(
                Block::new("viewer_certificate", &[])
                    .raw("acm_certificate_arn", format!("var.{variable}"))
                    .attr("ssl_support_method", "sni-only")
                    .attr("minimum_protocol_version", "TLSv1.2_2021"),
            )
        }
        None => distribution.block(Block::new("viewer_certificate", &[]).attr("cloudfront_default_certificate", true)),
    };
    tf.add("edge.tf", located, distribution.attr("tags", tags(tf, attrs, located, &name)));
}

fn vm(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let network = get_ref(attrs, "network").map(String::from).or_else(|| tf.first_network());
    let role_arn =
        role(tf, "compute.tf", located, &format!("{name}-vm"), "ec2.amazonaws.com", &["AmazonSSMManagedInstanceCore"]);
    let _ = role_arn;
    let role_id = tf_name(&format!("{name}-vm"));
    tf.add(
        "compute.tf",
        located,
        Block::resource("aws_iam_instance_profile", &id)
            .attr("name", name.clone())
            .raw("role", format!("aws_iam_role.{role_id}.name")),
    );
    let Some(set) = crate::deploy::vm_set(attrs) else { return };
    let group = vm_security_group(tf, located, network.as_deref());
    let image = get_str(attrs, "image").unwrap_or("");
    let user_data = get_str(attrs, "user_data").map(String::from);
    let subnets = subnet_ids(tf, network.as_deref(), &["private", "public"]);
    let metadata = Block::new("metadata_options", &[]).attr("http_endpoint", "enabled").attr("http_tokens", "required");
    let spot = || Block::new("instance_market_options", &[]).attr("market_type", "spot");
    if !set.autoscaled() {
        // A fixed count is that many instances with stable addresses (`aws_instance.x[0]`),
        // spread over the subnets: stateful nodes keep their names across applies.
        let subnet = match &subnets {
            Expr::List(items) if items.len() == 1 || (set.min == 1 && !items.is_empty()) => items[0].clone(),
            Expr::List(items) if !items.is_empty() => {
                Expr::raw(format!("element({}, tonumber(each.key) - 1)", hcl::inline(&subnets)))
            }
            _ => Expr::raw("null"),
        };
        let mut instance = Block::resource("aws_instance", &id);
        if set.min != 1 {
            instance = instance.attr("for_each", super::instance_keys(set.min));
        }
        let mut instance = instance
            .attr("ami", image)
            .attr("instance_type", set.class.clone())
            .attr("subnet_id", subnet)
            .attr("vpc_security_group_ids", Expr::List(group.iter().cloned().map(Expr::raw).collect()))
            .raw("iam_instance_profile", format!("aws_iam_instance_profile.{id}.name"))
            .attr("associate_public_ip_address", set.public_ip)
            .attr_if(user_data.is_some(), "user_data", user_data.clone().unwrap_or_default())
            .attr("monitoring", true)
            .attr("ebs_optimized", true)
            .block(metadata)
            .block(
                Block::new("root_block_device", &[])
                    .attr("volume_size", set.disk_gb() as i64)
                    .attr("volume_type", "gp3")
                    .attr_if(set.disk.iops.is_some(), "iops", set.disk.iops.unwrap_or_default())
                    .attr_if(set.disk.throughput.is_some(), "throughput", set.disk.throughput.unwrap_or_default())
                    .attr("encrypted", true)
                    .raw("kms_key_id", KMS),
            );
        if set.spot {
            instance = instance.block(spot());
        }
        let instance_name =
            if set.min != 1 { Expr::raw(format!("\"{name}-${{each.key}}\"")) } else { Expr::str(name.clone()) };
        let mut instance_tags = match tags(tf, attrs, located, &name) {
            Expr::Object(entries) => entries,
            _ => Vec::new(),
        };
        for entry in &mut instance_tags {
            if entry.0 == "Name" {
                entry.1 = instance_name.clone();
            }
        }
        tf.add("compute.tf", located, instance.attr("tags", Expr::Object(instance_tags)));
        return;
    }
    let mut template = Block::resource("aws_launch_template", &id)
        .attr("name", name.clone())
        .attr("image_id", image)
        .attr("instance_type", set.class.clone())
        .attr("ebs_optimized", true)
        .raw_if(
            user_data.is_some(),
            "user_data",
            format!("base64encode({})", hcl::quote(user_data.as_deref().unwrap_or(""))),
        )
        .block(Block::new("iam_instance_profile", &[]).raw("name", format!("aws_iam_instance_profile.{id}.name")))
        .block(metadata)
        .block(Block::new("monitoring", &[]).attr("enabled", true))
        .block(
            Block::new("block_device_mappings", &[]).attr("device_name", "/dev/xvda").block(
                Block::new("ebs", &[])
                    .attr("volume_size", set.disk_gb() as i64)
                    .attr("volume_type", "gp3")
                    .attr_if(set.disk.iops.is_some(), "iops", set.disk.iops.unwrap_or_default())
                    .attr_if(set.disk.throughput.is_some(), "throughput", set.disk.throughput.unwrap_or_default())
                    .attr("encrypted", true)
                    .raw("kms_key_id", KMS),
            ),
        );
    let groups = Expr::List(group.iter().cloned().map(Expr::raw).collect());
    template = if set.public_ip {
        // Security groups go on the interface when the template declares one.
        template.block(
            Block::new("network_interfaces", &[])
                .attr("associate_public_ip_address", true)
                .attr("security_groups", groups),
        )
    } else {
        template.attr("vpc_security_group_ids", groups)
    };
    if set.spot {
        template = template.block(spot());
    }
    tf.add("compute.tf", located, template);
    tf.add(
        "compute.tf",
        located,
        Block::resource("aws_autoscaling_group", &id)
            .attr("name", name.clone())
            .attr("min_size", set.min)
            .attr("max_size", set.max)
            .attr("desired_capacity", set.min)
            .attr("vpc_zone_identifier", subnets)
            .block(
                Block::new("launch_template", &[])
                    .raw("id", format!("aws_launch_template.{id}.id"))
                    .attr("version", "$Latest"),
            )
            .block(
                Block::new("tag", &[])
                    .attr("key", "Name")
                    .attr("value", name.clone())
                    .attr("propagate_at_launch", true),
            )
            .block(Block::new("lifecycle", &[]).raw("ignore_changes", "[desired_capacity]")),
    );
}

fn registry(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    tf.add(
        "registry.tf",
        located,
        Block::resource("aws_ecr_repository", &id)
            .attr("name", name.clone())
            .attr(
                "image_tag_mutability",
                if get_bool(attrs, "immutable_tags").unwrap_or(false) { "IMMUTABLE" } else { "MUTABLE" },
            )
            .block(
                Block::new("image_scanning_configuration", &[])
                    .attr("scan_on_push", get_bool(attrs, "scan_on_push").unwrap_or(true)),
            )
            .block(Block::new("encryption_configuration", &[]).attr("encryption_type", "KMS").raw("kms_key", KMS))
            .attr("tags", tags(tf, attrs, located, &name)),
    );
    if let Some(keep) = get_int(attrs, "keep_last") {
        tf.add(
            "registry.tf",
            located,
            Block::resource("aws_ecr_lifecycle_policy", &id).raw("repository", format!("aws_ecr_repository.{id}.name")).raw(
                "policy",
                format!("jsonencode({{\n    rules = [{{\n      rulePriority = 1\n      description  = \"Keep the last {keep} images\"\n      selection    = {{ tagStatus = \"any\", countType = \"imageCountMoreThan\", countNumber = {keep} }}\n      action       = {{ type = \"expire\" }}\n    }}]\n  }})"),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cron_becomes_an_eventbridge_schedule() {
        assert_eq!(super::eventbridge_cron("0 3 * * *"), "cron(0 3 * * ? *)");
        assert_eq!(super::eventbridge_cron("*/5 * * * 1-5"), "cron(*/5 * ? * 1-5 *)");
    }
}

/// The monitoring block on AWS: the environment's application log group, and an SNS topic per
/// `notify` channel with a subscription per address.
fn monitoring(tf: &mut Tf<'_>, located: &Located<'_>, _attrs: &EnvAttrs<'_>) {
    if tf.logs_cloud.as_deref() == Some("aws") {
        let (days, _) = crate::deploy::monitoring::logs(located.block);
        tf.add(
            "monitoring.tf",
            located,
            Block::resource("aws_cloudwatch_log_group", "apps")
                .attr("name", format!("/planc/{}/{}", tf.ctx.plan_name(), tf.env.name))
                .attr("retention_in_days", days as i64)
                .raw("kms_key_id", KMS),
        );
    }
    for channel in super::alerts::all_channels(located.block) {
        let id = format!("notify_{}", tf_name(channel.name));
        tf.add(
            "monitoring.tf",
            located,
            Block::resource("aws_sns_topic", &id)
                .attr("name", tf.cloud_name(&format!("notify-{}", channel.name)))
                .raw("kms_master_key_id", KMS),
        );
        for (index, email) in channel.emails.iter().enumerate() {
            tf.add(
                "monitoring.tf",
                located,
                Block::resource("aws_sns_topic_subscription", &format!("{id}_email_{}", index + 1))
                    .raw("topic_arn", format!("aws_sns_topic.{id}.arn"))
                    .attr("protocol", "email")
                    .attr("endpoint", *email),
            );
        }
        if let Some(webhook) = channel.webhook {
            let Some(endpoint) = super::alerts::webhook_url(tf, webhook) else { continue };
            tf.add(
                "monitoring.tf",
                located,
                Block::resource("aws_sns_topic_subscription", &format!("{id}_webhook"))
                    .raw("topic_arn", format!("aws_sns_topic.{id}.arn"))
                    .attr("protocol", "https")
                    .attr("endpoint", endpoint)
                    .attr("endpoint_auto_confirms", true),
            );
        }
    }
}

/// The SNS topics of the channels an alert or SLO lists.
fn alarm_actions(tf: &Tf<'_>, attrs: &EnvAttrs<'_>) -> Expr {
    Expr::List(
        super::alerts::channels(tf, attrs)
            .iter()
            .map(|it| Expr::raw(format!("aws_sns_topic.notify_{}.arn", tf_name(it.name))))
            .collect(),
    )
}

/// The CloudWatch namespace and dimensions of the resource a block compiled to.
fn alarm_dimensions(watch: &super::alerts::Watch<'_>) -> (String, Vec<(String, Expr)>) {
    let id = tf_name(watch.target.name());
    let namespace = watch.cloud_metric.namespace.clone().unwrap_or_default();
    let engine = get_str(&watch.target_attrs, "engine").unwrap_or("");
    let dimension = |key: &str, value: String| vec![(key.to_string(), Expr::raw(value))];
    match watch.target.block.kind.as_str() {
        "database" if engine == "mongodb" => (
            namespace.replace("AWS/RDS", "AWS/DocDB"),
            dimension("DBClusterIdentifier", format!("aws_docdb_cluster.{id}.cluster_identifier")),
        ),
        "database" => (namespace, dimension("DBInstanceIdentifier", format!("aws_db_instance.{id}.identifier"))),
        // ElastiCache reports per node: the primary of a replication group is `<group>-001`.
        "cache" => (
            namespace,
            vec![(
                "CacheClusterId".to_string(),
                Expr::raw(format!("\"${{aws_elasticache_replication_group.{id}.replication_group_id}}-001\"")),
            )],
        ),
        "queue" => (namespace, dimension("QueueName", format!("aws_sqs_queue.{id}.name"))),
        "gateway" => (namespace, dimension("LoadBalancer", format!("aws_lb.{id}.arn_suffix"))),
        _ => (namespace, dimension("FunctionName", format!("aws_lambda_function.{id}.function_name"))),
    }
}

fn alert(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let Some(watch) = super::alerts::watch(tf, "aws", attrs) else { return };
    let (namespace, dimensions) = alarm_dimensions(&watch);
    let statistic = watch.cloud_metric.statistic.as_str();
    let name = tf.cloud_name(located.name());
    let description = format!("[{}] {}", watch.condition.severity, super::alerts::description(located, attrs, &watch));
    let minutes = watch.condition.minutes as i64;
    let block = Block::resource("aws_cloudwatch_metric_alarm", &tf_name(located.name()))
        .attr("alarm_name", name.clone())
        .attr("alarm_description", description)
        .attr("namespace", namespace)
        .attr("metric_name", watch.cloud_metric.name.clone())
        .attr_if(!statistic.starts_with('p'), "statistic", statistic)
        .attr_if(statistic.starts_with('p'), "extended_statistic", statistic)
        .attr("dimensions", Expr::Object(dimensions))
        .attr("period", 60)
        .attr("evaluation_periods", minutes)
        .attr("datapoints_to_alarm", minutes)
        .attr("comparison_operator", if watch.condition.above { "GreaterThanThreshold" } else { "LessThanThreshold" })
        .attr("threshold", Expr::Float(watch.threshold))
        .attr("alarm_actions", alarm_actions(tf, attrs))
        .attr("ok_actions", alarm_actions(tf, attrs))
        .attr("tags", tags(tf, attrs, located, &name));
    tf.add("monitoring.tf", located, block);
}

/// An SLO on a load balancer: one metric-math alarm per burn rate on the share of 5xx
/// answers over the long window (CloudWatch has no multi-window condition).
fn slo(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let Some(target) = get_ref(attrs, "on").and_then(|it| tf.ctx.find(it)) else { return };
    if target.block.kind != "gateway" {
        return; // A workload's SLO is a Prometheus rule.
    }
    let Some((objective, days)) = crate::deploy::monitoring::slo(attrs) else { return };
    let lb = format!("aws_lb.{}.arn_suffix", tf_name(target.name()));
    for burn in crate::deploy::monitoring::burn_rates(days) {
        let name = tf.cloud_name(&format!("{}-{}-burn", located.name(), burn.name));
        let period = (burn.long_minutes * 60) as i64;
        let query = |id: &str, metric: &str| {
            Block::new("metric_query", &[]).attr("id", id).block(
                Block::new("metric", &[])
                    .attr("namespace", "AWS/ApplicationELB")
                    .attr("metric_name", metric)
                    .attr("period", period)
                    .attr("stat", "Sum")
                    .attr("dimensions", Expr::Object(vec![("LoadBalancer".into(), Expr::raw(lb.clone()))])),
            )
        };
        let block = Block::resource("aws_cloudwatch_metric_alarm", &format!("{}_{}_burn", tf_name(located.name()), burn.name))
            .attr("alarm_name", name.clone())
            .attr(
                "alarm_description",
                format!(
                    "[{}] SLO `{}`: {}% of requests to gateway `{}` succeed over {days}d; the error budget burns {:.1}x too fast over {} min",
                    burn.severity,
                    located.name(),
                    objective * 100.0,
                    target.name(),
                    burn.burn,
                    burn.long_minutes
                ),
            )
            .attr("comparison_operator", "GreaterThanThreshold")
            .attr("evaluation_periods", 1)
            .attr("threshold", Expr::Float(round9(burn.burn * (1.0 - objective))))
            .attr("treat_missing_data", "notBreaching")
            .block(
                Block::new("metric_query", &[])
                    .attr("id", "error_ratio")
                    .attr("expression", "IF(requests > 0, errors / requests, 0)")
                    .attr("label", "share of 5xx answers")
                    .attr("return_data", true),
            )
            .block(query("errors", "HTTPCode_Target_5XX_Count"))
            .block(query("requests", "RequestCount"))
            .attr("alarm_actions", alarm_actions(tf, attrs))
            .attr("ok_actions", alarm_actions(tf, attrs))
            .attr("tags", tags(tf, attrs, located, &name));
        tf.add("monitoring.tf", located, block);
    }
}

fn round9(value: f64) -> f64 {
    (value * 1e9).round() / 1e9
}

/// The key in us-east-1 for the logs written there (CloudFront's web ACLs, Route 53 query
/// logs), made once in `file`.
fn global_key(tf: &mut Tf<'_>, file: &'static str) {
    let exists =
        tf.files.values().any(|file| file.items.iter().any(|(_, block)| block.labels == ["aws_kms_key", "global"]));
    if !exists {
        tf.add_plain(
            file,
            vec!["A key in us-east-1 for the logs written there (CloudFront web ACLs, Route 53 queries).".into()],
            Block::resource("aws_kms_key", "global")
                .raw("provider", "aws.global")
                .attr("description", format!("planc: {}-{} (us-east-1)", tf.ctx.plan_name(), tf.env.name))
                .attr("enable_key_rotation", true)
                .attr("deletion_window_in_days", 30)
                .raw("policy", GLOBAL_KEY_POLICY),
        );
    }
}

/// A public zone's query log (a log group in us-east-1, where Route 53 writes them) and its
/// DNSSEC signing with a key-signing key from an ECC key in us-east-1. Signing takes effect
/// for resolvers once the registrar publishes the DS record.
fn public_zone_logging_and_signing(tf: &mut Tf<'_>, located: &Located<'_>, id: &str, name: &str) {
    tf.global_aws = true;
    global_key(tf, "dns.tf");
    tf.add(
        "dns.tf",
        located,
        log_group(&format!("{id}_queries"), format!("/aws/route53/{name}"), "aws_kms_key.global.arn")
            .raw("provider", "aws.global"),
    );
    if !tf.files.get("dns.tf").is_some_and(|file| {
        file.items
            .iter()
            .any(|(_, block)| block.labels == ["aws_cloudwatch_log_resource_policy".to_string(), "route53".to_string()])
    }) {
        tf.add_plain(
            "dns.tf",
            vec!["Route 53 writes the public zones' query logs.".into()],
            Block::resource("aws_cloudwatch_log_resource_policy", "route53")
                .raw("provider", "aws.global")
                .attr("policy_name", format!("{}-{}-route53-query-logs", tf.ctx.plan_name(), tf.env.name))
                .raw(
                    "policy_document",
                    "jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect    = \"Allow\"\n      Principal = { Service = \"route53.amazonaws.com\" }\n      Action    = [\"logs:CreateLogStream\", \"logs:PutLogEvents\"]\n      Resource  = \"arn:aws:logs:us-east-1:${data.aws_caller_identity.current.account_id}:log-group:/aws/route53/*\"\n    }]\n  })",
                ),
        );
    }
    tf.add(
        "dns.tf",
        located,
        Block::resource("aws_route53_query_log", id)
            .raw("cloudwatch_log_group_arn", format!("aws_cloudwatch_log_group.{id}_queries.arn"))
            .raw("zone_id", format!("aws_route53_zone.{id}.zone_id"))
            .raw("depends_on", "[aws_cloudwatch_log_resource_policy.route53]"),
    );
    let policy = "jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [\n      {\n        Sid       = \"AccountAdministers\"\n        Effect    = \"Allow\"\n        Principal = { AWS = \"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root\" }\n        Action    = \"kms:*\"\n        Resource  = \"*\"\n      },\n      {\n        Sid       = \"Route53DnssecSigns\"\n        Effect    = \"Allow\"\n        Principal = { Service = \"dnssec-route53.amazonaws.com\" }\n        Action    = [\"kms:DescribeKey\", \"kms:GetPublicKey\", \"kms:Sign\", \"kms:CreateGrant\"]\n        Resource  = \"*\"\n        Condition = { StringEquals = { \"aws:SourceAccount\" = data.aws_caller_identity.current.account_id } }\n      }\n    ]\n  })";
    tf.add(
        "dns.tf",
        located,
        Block::resource("aws_kms_key", &format!("{id}_dnssec"))
            .raw("provider", "aws.global")
            .attr("description", format!("planc: DNSSEC of {name}"))
            .attr("customer_master_key_spec", "ECC_NIST_P256")
            .attr("key_usage", "SIGN_VERIFY")
            .attr("deletion_window_in_days", 30)
            .raw("policy", policy),
    );
    tf.add(
        "dns.tf",
        located,
        Block::resource("aws_route53_key_signing_key", id)
            .raw("hosted_zone_id", format!("aws_route53_zone.{id}.id"))
            .raw("key_management_service_arn", format!("aws_kms_key.{id}_dnssec.arn"))
            .attr("name", dns_name(&format!("{id}-ksk")).replace('-', "_")),
    );
    tf.add(
        "dns.tf",
        located,
        Block::resource("aws_route53_hosted_zone_dnssec", id)
            .raw("hosted_zone_id", format!("aws_route53_key_signing_key.{id}.hosted_zone_id")),
    );
}

/// A Route 53 hosted zone and its records; gateways and CDNs are alias records.
fn dns(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let zone = get_str(attrs, "zone").unwrap_or_default().to_string();
    let private = get_bool(attrs, "private").unwrap_or(false);
    let mut block = Block::resource("aws_route53_zone", &id)
        .attr("name", zone.clone())
        .attr("comment", format!("planc dns `{}`", located.name()));
    if private {
        if let Some(network) = get_ref(attrs, "network").map(String::from).or_else(|| tf.first_network()) {
            block = block.block(Block::new("vpc", &[]).raw("vpc_id", format!("aws_vpc.{}.id", tf_name(&network))));
        }
    }
    let name = tf.cloud_name(located.name());
    tf.add("dns.tf", located, block.attr("tags", tags(tf, attrs, located, &name)));
    if !private {
        public_zone_logging_and_signing(tf, located, &id, &name);
    }
    let env = tf.env.name.clone();
    let ctx = tf.ctx;
    let records =
        crate::deploy::dns::records(located.block, attrs, &env, ctx.blocks.iter().map(|it| it.block), |block| {
            ctx.exists_in(block, &env)
        });
    for record in records {
        let fqdn = if record.label == "@" { zone.clone() } else { format!("{}.{zone}", record.label) };
        let mut block = Block::resource("aws_route53_record", &format!("{id}_{}", tf_name(&record.key)))
            .raw("zone_id", format!("aws_route53_zone.{id}.zone_id"))
            .attr("name", fqdn);
        block = match &record.target {
            crate::deploy::dns::Target::Values(values) => block
                .attr("type", record.kind.clone())
                .attr("ttl", record.ttl as i64)
                .attr("records", Expr::strs(values.iter().cloned())),
            crate::deploy::dns::Target::Block(kind, target) => {
                let target = tf_name(target);
                let (name, zone_id) = match kind.as_str() {
                    "cdn" => (
                        format!("aws_cloudfront_distribution.{target}.domain_name"),
                        format!("aws_cloudfront_distribution.{target}.hosted_zone_id"),
                    ),
                    _ => (format!("aws_lb.{target}.dns_name"), format!("aws_lb.{target}.zone_id")),
                };
                block.attr("type", "A").block(
                    Block::new("alias", &[])
                        .raw("name", name)
                        .raw("zone_id", zone_id)
                        .attr("evaluate_target_health", kind != "cdn"),
                )
            }
        };
        tf.add("dns.tf", located, block);
    }
}

/// The environment's ECS cluster and private DNS namespace for containers, made once.
fn container_cluster(tf: &mut Tf<'_>, network: Option<&str>) {
    if tf.files.get("containers.tf").is_some_and(|file| !file.is_empty()) {
        return;
    }
    tf.add_plain(
        "containers.tf",
        vec![format!("The ECS cluster of the containers of `{}`.", tf.env.name)],
        Block::resource("aws_ecs_cluster", "containers")
            .attr("name", tf.cloud_name("containers"))
            .block(Block::new("setting", &[]).attr("name", "containerInsights").attr("value", "enabled")),
    );
    if let Some(network) = network {
        tf.add_plain(
            "containers.tf",
            vec!["Internal containers answer at `<name>.<plan>.local` in the network.".into()],
            Block::resource("aws_service_discovery_private_dns_namespace", "containers")
                .attr("name", format!("{}.local", tf.ctx.plan_name()))
                .raw("vpc", format!("aws_vpc.{}.id", tf_name(network))),
        );
    }
}

/// A container as an ECS service on Fargate in the network's private subnets.
fn container(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let id = tf_name(located.name());
    let name = tf.cloud_name(located.name());
    let shape = crate::deploy::container::container(attrs);
    let network = get_ref(attrs, "network").map(String::from).or_else(|| tf.first_network());
    container_cluster(tf, network.as_deref());
    let region = tf.env.region.clone().or_else(|| tf.ctx.facts.region.clone()).unwrap_or_else(|| "us-east-1".into());
    tf.add("containers.tf", located, log_group(&format!("{id}_container"), format!("/planc/{name}"), KMS));
    let execution = role(
        tf,
        "containers.tf",
        located,
        &format!("{name}-execution"),
        "ecs-tasks.amazonaws.com",
        &["service-role/AmazonECSTaskExecutionRolePolicy"],
    );
    let task_role = role(tf, "containers.tf", located, &format!("{name}-task"), "ecs-tasks.amazonaws.com", &[]);
    // Plain values and outputs that carry no credentials; CAT509 reports secret ones.
    let mut environment = Vec::new();
    for (key, value) in crate::map_entries(attrs, "vars") {
        let expression = match tf.ctx.var_route(value, tf.env) {
            crate::VarRoute::Literal(text) => hcl::quote(&text),
            crate::VarRoute::Applied => match super::var_expression(tf, value) {
                Some(Expr::Raw(raw)) => raw,
                _ => continue,
            },
            crate::VarRoute::Secret => continue,
        };
        environment.push(format!("{{ name = {}, value = {expression} }}", hcl::quote(key)));
    }
    let ports = shape.port.map_or(String::new(), |port| {
        format!("\n        portMappings = [{{ containerPort = {port}, protocol = \"tcp\" }}]")
    });
    let definitions = format!(
        "jsonencode([\n      {{\n        name                   = {}\n        image                  = {}\n        essential              = true\n        readonlyRootFilesystem = true{ports}\n        environment            = [{}]\n        logConfiguration = {{\n          logDriver = \"awslogs\"\n          options = {{\n            awslogs-group         = aws_cloudwatch_log_group.{id}_container.name\n            awslogs-region        = {}\n            awslogs-stream-prefix = \"planc\"\n          }}\n        }}\n      }}\n    ])",
        hcl::quote(&dns_name(located.name())),
        hcl::quote(get_str(attrs, "image").unwrap_or("")),
        environment.join(", "),
        hcl::quote(&region)
    );
    tf.add(
        "containers.tf",
        located,
        Block::resource("aws_ecs_task_definition", &id)
            .attr("family", name.clone())
            .attr("requires_compatibilities", Expr::strs(["FARGATE"]))
            .attr("network_mode", "awsvpc")
            .attr("cpu", (shape.cpu * 1024 / 1000).to_string())
            .attr("memory", (shape.memory >> 20).to_string())
            .raw("execution_role_arn", execution)
            .raw("task_role_arn", task_role)
            .raw("container_definitions", definitions)
            .block(
                Block::new("runtime_platform", &[])
                    .attr("operating_system_family", "LINUX")
                    .attr("cpu_architecture", "X86_64"),
            )
            .attr("tags", tags(tf, attrs, located, &name)),
    );
    let mut group = Block::resource("aws_security_group", &format!("{id}_container"))
        .attr("name", format!("{name}-container"))
        .attr("description", format!("container `{}`", located.name()))
        .raw_if(network.is_some(), "vpc_id", format!("aws_vpc.{}.id", tf_name(network.as_deref().unwrap_or_default())));
    // Only the blocks that refer to it may reach it, as for databases and caches.
    if let (Some(port), "internal") = (shape.port, shape.expose.as_str()) {
        for ingress in ingress_blocks(tf, located.name(), port) {
            group = group.block(ingress);
        }
    }
    group = group.block(
        Block::new("egress", &[])
            .attr("description", "HTTPS, to pull images and call cloud APIs")
            .attr("from_port", 443)
            .attr("to_port", 443)
            .attr("protocol", "tcp")
            .attr("cidr_blocks", Expr::strs(["0.0.0.0/0"])),
    );
    if let Some(network) = network.as_deref() {
        // The blocks it refers to admit it by their own security groups.
        group = group.block(
            Block::new("egress", &[])
                .attr("description", "to the plan's blocks in the network")
                .attr("from_port", 0)
                .attr("to_port", 65535)
                .attr("protocol", "tcp")
                .attr("cidr_blocks", Expr::List(vec![Expr::raw(format!("aws_vpc.{}.cidr_block", tf_name(network)))])),
        );
    }
    tf.add("containers.tf", located, group.attr("tags", tags(tf, attrs, located, &format!("{name}-container"))));
    let internal = shape.expose == "internal" && shape.port.is_some() && network.is_some();
    if internal {
        tf.add(
            "containers.tf",
            located,
            Block::resource("aws_service_discovery_service", &id).attr("name", dns_name(located.name())).block(
                Block::new("dns_config", &[])
                    .raw("namespace_id", "aws_service_discovery_private_dns_namespace.containers.id")
                    .attr("routing_policy", "MULTIVALUE")
                    .block(Block::new("dns_records", &[]).attr("ttl", 10).attr("type", "A")),
            ),
        );
    }
    let (low, high) = shape.replicas;
    tf.add(
        "containers.tf",
        located,
        Block::resource("aws_ecs_service", &id)
            .attr("name", name.clone())
            .raw("cluster", "aws_ecs_cluster.containers.id")
            .raw("task_definition", format!("aws_ecs_task_definition.{id}.arn"))
            .attr("desired_count", low)
            .attr("launch_type", "FARGATE")
            .block(
                Block::new("network_configuration", &[])
                    .attr("subnets", subnet_ids(tf, network.as_deref(), &["private", "public"]))
                    .attr(
                        "security_groups",
                        Expr::List(vec![Expr::raw(format!("aws_security_group.{id}_container.id"))]),
                    )
                    .attr("assign_public_ip", false),
            )
            .block_if(
                internal,
                Block::new("service_registries", &[])
                    .raw("registry_arn", format!("aws_service_discovery_service.{id}.arn")),
            )
            .attr("propagate_tags", "SERVICE")
            .attr("tags", tags(tf, attrs, located, &name)),
    );
    if high > low {
        tf.add(
            "containers.tf",
            located,
            Block::resource("aws_appautoscaling_target", &id)
                .attr("service_namespace", "ecs")
                .attr("scalable_dimension", "ecs:service:DesiredCount")
                .raw(
                    "resource_id",
                    format!("\"service/${{aws_ecs_cluster.containers.name}}/${{aws_ecs_service.{id}.name}}\""),
                )
                .attr("min_capacity", low)
                .attr("max_capacity", high),
        );
        tf.add(
            "containers.tf",
            located,
            Block::resource("aws_appautoscaling_policy", &id)
                .attr("name", format!("{name}-cpu"))
                .attr("policy_type", "TargetTrackingScaling")
                .raw("service_namespace", format!("aws_appautoscaling_target.{id}.service_namespace"))
                .raw("scalable_dimension", format!("aws_appautoscaling_target.{id}.scalable_dimension"))
                .raw("resource_id", format!("aws_appautoscaling_target.{id}.resource_id"))
                .block(
                    Block::new("target_tracking_scaling_policy_configuration", &[]).attr("target_value", 70).block(
                        Block::new("predefined_metric_specification", &[])
                            .attr("predefined_metric_type", "ECSServiceAverageCPUUtilization"),
                    ),
                ),
        );
    }
}

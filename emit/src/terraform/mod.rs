//! Terraform per environment: `versions.tf` (providers and state backend), `providers.tf`,
//! `variables.tf`, `outputs.tf`, and one file per family of resources (`network.tf`,
//! `kubernetes.tf`, `database.tf`, ...), for every core kind on aws, azure and gcp.
//!
//! Secure defaults throughout: encryption with a customer-managed key where the provider
//! supports it, no public endpoints unless asked for, logs on. Secrets never appear as
//! literals: `secret("x")` becomes a `sensitive` variable, and generated credentials come from
//! `random_password` and flow to Kubernetes through a Secret.

mod alerts;
mod aws;
mod azure;
mod gcp;
pub mod hcl;
mod moved;
mod raw;

use std::collections::{BTreeMap, BTreeSet};

use hcl::{Block, Expr, File};

use super::{dns_name, get_ref, get_str, map_entries, tf_name, EmitCtx, Located, OutputFile};
use crate::db::facts::EnvFacts;
use crate::ir::{EnvAttrs, InterpolationPart, Value, ValueKind};

/// The generated Terraform of one environment, file by file.
pub struct Tf<'a> {
    pub ctx: &'a EmitCtx<'a>,
    pub env: &'a EnvFacts,
    files: BTreeMap<&'static str, File>,
    pub variables: BTreeMap<String, Block>,
    pub outputs: Vec<Block>,
    pub clouds: BTreeSet<String>,
    /// Whether an AWS provider in us-east-1 is needed (CloudFront's WAF lives there).
    pub global_aws: bool,
    /// Per workload: what Terraform writes into the cluster for it.
    pub workload_values: BTreeMap<String, WorkloadValues>,
    /// Where the blocks of the Plan block being rendered went: (file, index in the file).
    rendered: Vec<(&'static str, usize)>,
    /// What `terraform { }` overrides replaced, for the build to report.
    pub notes: Vec<String>,
    /// The flows of the environment: who may reach whom (LANGUAGE.md §10.2).
    pub flows: Vec<crate::deploy::Flow>,
    flows_by_target: BTreeMap<String, Vec<crate::deploy::Flow>>,
    /// `moved` blocks written for `renamed_from`: (from, to) addresses.
    pub moved: Vec<(String, String)>,
    /// Per Plan block (`database orders`), the resource addresses it produced: the manifest.
    pub produced: Vec<(String, Vec<String>)>,
    /// While a renamed block renders: its name and its first name, for `cloud_name`.
    keep_name: Option<(String, String)>,
    /// The clouds alerts and SLOs are built on: each needs the monitoring block's channels.
    pub alert_clouds: BTreeSet<String>,
    /// The cloud that keeps the environment's logs (`monitoring { logs }`).
    pub logs_cloud: Option<String>,
    /// AWS regions besides the environment's that DR copies live in: each gets a provider
    /// alias (`aws.us_west_2`), a key and, for database replicas, a network.
    pub aws_regions: BTreeSet<String>,
}

impl<'a> Tf<'a> {
    /// The Terraform of one environment, empty but for its flows.
    fn new(ctx: &'a EmitCtx<'a>, env: &'a EnvFacts) -> Tf<'a> {
        let mut tf = Tf::empty(ctx, env);
        tf.flows = crate::deploy::flows(ctx.blocks.iter().map(|it| it.block), &env.name);
        for flow in &tf.flows {
            tf.flows_by_target.entry(flow.to.clone()).or_default().push(flow.clone());
        }
        tf
    }

    fn empty(ctx: &'a EmitCtx<'a>, env: &'a EnvFacts) -> Tf<'a> {
        Tf {
            ctx,
            env,
            files: BTreeMap::new(),
            variables: BTreeMap::new(),
            outputs: Vec::new(),
            clouds: BTreeSet::new(),
            global_aws: false,
            workload_values: BTreeMap::new(),
            rendered: Vec::new(),
            notes: Vec::new(),
            flows: Vec::new(),
            flows_by_target: BTreeMap::new(),
            moved: Vec::new(),
            produced: Vec::new(),
            keep_name: None,
            alert_clouds: BTreeSet::new(),
            logs_cloud: None,
            aws_regions: BTreeSet::new(),
        }
    }

    /// An empty Terraform of the same environment, to render a block under another name.
    fn scratch(&self) -> Tf<'a> {
        Tf { flows: self.flows.clone(), flows_by_target: self.flows_by_target.clone(), ..Tf::empty(self.ctx, self.env) }
    }

    /// `(type, name)` of each resource the block rendered last added, in order.
    fn rendered_addresses(&self) -> Vec<(String, String)> {
        self.rendered
            .iter()
            .filter_map(|(file, index)| self.files.get(file)?.items.get(*index))
            .filter(|(_, block)| block.kind == "resource" && block.labels.len() == 2)
            .map(|(_, block)| (block.labels[0].clone(), block.labels[1].clone()))
            .collect()
    }

    /// The flows into block `target`.
    pub fn flows_into(&self, target: &str) -> Vec<crate::deploy::Flow> {
        self.flows_by_target.get(target).cloned().unwrap_or_default()
    }

    pub fn add(&mut self, file: &'static str, located: &Located<'_>, block: Block) {
        let comment = match located.block.name {
            Some(_) => format!("{} `{}` from {}", located.block.kind, located.name(), located.source()),
            None => format!("{} from {}", located.block.kind, located.source()),
        };
        let items = &mut self.files.entry(file).or_default().items;
        self.rendered.push((file, items.len()));
        items.push((vec![comment], block));
    }

    pub fn add_plain(&mut self, file: &'static str, comments: Vec<String>, block: Block) {
        self.files.entry(file).or_default().add(comments, block);
    }

    /// A name for a cloud resource: `plan-env-name`, lowercase. While a renamed block renders,
    /// names derived from its new name keep its first name: most providers replace a resource
    /// whose name changes, and a rename in the plan must not destroy anything.
    pub fn cloud_name(&self, name: &str) -> String {
        let name = match &self.keep_name {
            Some((new, old)) if name == new => old.clone(),
            Some((new, old)) if name.starts_with(&format!("{new}-")) => format!("{old}{}", &name[new.len()..]),
            _ => name.to_string(),
        };
        dns_name(&format!("{}-{}-{}", self.ctx.plan_name(), self.env.name, name))
    }

    /// The tags every resource of the environment carries: planc's own (`plan`,
    /// `environment`, `managed-by`), then the plan's and the env's, the more specific winning;
    /// one entry per key.
    pub fn default_tags(&self) -> Vec<(String, String)> {
        let mut tags = vec![
            ("plan".to_string(), self.ctx.plan_name()),
            ("environment".to_string(), self.env.name.clone()),
            ("managed-by".to_string(), "planc".to_string()),
        ];
        overlay(&mut tags, self.ctx.facts.merged_tags(None, self.env));
        tags
    }

    /// The default tags with the block's own over them, and the block it came from.
    pub fn tags(&self, attrs: &EnvAttrs<'_>, located: &Located<'_>) -> Vec<(String, String)> {
        let mut tags = self.default_tags();
        overlay(&mut tags, self.ctx.facts.merged_tags(attrs.get("tags"), self.env));
        overlay(&mut tags, vec![("plan-resource".into(), format!("{}.{}", located.block.kind, located.name()))]);
        tags
    }

    /// The tags a resource must carry itself on a provider that applies the default tags (aws
    /// `default_tags`, google `default_labels`): those that differ from the defaults.
    pub fn own_tags(&self, attrs: &EnvAttrs<'_>, located: &Located<'_>) -> Vec<(String, String)> {
        let defaults = self.default_tags();
        let mut tags = self.tags(attrs, located);
        tags.retain(|tag| !defaults.contains(tag));
        tags
    }

    /// The subnets of `network` on `cloud`, with their Terraform names (`main_public_1`).
    pub fn subnets(&self, network: &str, cloud: &str) -> Vec<Subnet> {
        let Some(located) = self.ctx.find(network) else { return Vec::new() };
        crate::deploy::subnets(located.block, &self.env.name, cloud)
            .into_iter()
            .map(|subnet| Subnet { id: format!("{}_{}", tf_name(network), tf_name(&subnet.name)), subnet })
            .collect()
    }

    /// The network a block without `network` is placed in: the plan's first.
    pub fn first_network(&self) -> Option<String> {
        self.ctx.of_kind("network").next().map(|it| it.name().to_string())
    }

    pub fn variable_secret(&mut self, name: &str) -> String {
        let variable = format!("secret_{}", tf_name(name).to_ascii_lowercase());
        self.variables.entry(variable.clone()).or_insert_with(|| {
            Block::new("variable", &[&variable])
                .attr(
                    "description",
                    format!("The secret `{name}`; set it with TF_VAR_{variable} or a secret store, never in a file."),
                )
                .raw("type", "string")
                .attr("sensitive", true)
        });
        format!("var.{variable}")
    }
}

/// Renders one block of a kind into Terraform.
pub type Render = fn(&mut Tf<'_>, &Located<'_>, &EnvAttrs<'_>);

/// What a cloud contributes: the resources every block sits on (keys, groups, logs), written
/// once before its first block, and a renderer per kind. The loop over blocks, tags, vars,
/// outputs and the Kubernetes side are shared by all clouds in this module.
pub struct Provider {
    pub foundation: fn(&mut Tf<'_>),
    pub kinds: &'static [(&'static str, Render)],
}

impl Provider {
    pub fn of(cloud: &str) -> &'static Provider {
        match cloud {
            "azure" => &azure::PROVIDER,
            "gcp" => &gcp::PROVIDER,
            _ => &aws::PROVIDER,
        }
    }

    fn render(&self, tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
        (self.foundation)(tf);
        tf.rendered.clear();
        if let Some((_, render)) = self.kinds.iter().find(|(kind, _)| *kind == located.block.kind) {
            render(tf, located, attrs);
        }
    }
}

/// The provider alias and resource name of another region: `us-west-2` is `us_west_2`.
pub fn region_alias(region: &str) -> String {
    region.replace('-', "_")
}

/// A subnet of the deployment model and its Terraform name.
pub struct Subnet {
    pub id: String,
    pub subnet: crate::deploy::Subnet,
}

impl std::ops::Deref for Subnet {
    type Target = crate::deploy::Subnet;

    fn deref(&self) -> &crate::deploy::Subnet {
        &self.subnet
    }
}

/// The subnet tiers a target of an `allow` rule lives in, in the order the Azure and GCP
/// renderers choose them: a rule there reaches that subnet's range. `None`: the cloud does not
/// put the kind in the plan's subnets (CAT509 reports such a rule).
pub fn target_tiers(cloud: &str, kind: &str) -> Option<&'static [&'static str]> {
    Some(match (cloud, kind) {
        (_, "cluster" | "vm") => &["private", "public"],
        ("azure", "gateway") => &["public", "private"],
        ("azure", "database") => &["database"],
        _ => return None,
    })
}

/// `for_each` over a fixed VM set of `n` machines: keys `"1"` to `"n"`, so each machine keeps
/// its address (`aws_instance.gitaly["2"]`) and name when the count changes.
pub fn instance_keys(n: i64) -> Expr {
    let keys: Vec<String> = (1..=n.max(0)).map(|i| format!("\"{i}\"")).collect();
    Expr::raw(format!("toset([{}])", keys.join(", ")))
}

/// The kind whose subnet a source block's traffic comes from: a workload's, its cluster's.
pub fn placed_as(kind: &str) -> &str {
    match kind {
        "service" | "worker" | "job" => "cluster",
        other => other,
    }
}

/// Ports as the Azure and GCP rules write them: `22`, `8000-8100`; empty for every port.
pub fn port_texts(ports: &[crate::deploy::Ports]) -> Vec<String> {
    ports
        .iter()
        .map(|it| if it.from == it.to { it.from.to_string() } else { format!("{}-{}", it.from, it.to) })
        .collect()
}

/// Sets each of `over` in `tags`, replacing the value of a key that is there already.
fn overlay(tags: &mut Vec<(String, String)>, over: Vec<(String, String)>) {
    for (key, value) in over {
        match tags.iter_mut().find(|(existing, _)| *existing == key) {
            Some(entry) => entry.1 = value,
            None => tags.push((key, value)),
        }
    }
}

/// The `vars` of one workload that only Terraform knows: secrets and apply-time outputs.
#[derive(Debug, Clone, Default)]
pub struct WorkloadValues {
    pub cluster: String,
    /// Keys of the workload's Secret, with the Terraform expression of each.
    pub secret: Vec<(String, Expr)>,
    /// Keys of the workload's outputs ConfigMap: not secret, known after apply.
    pub applied: Vec<(String, Expr)>,
}

/// A map of strings (labels, tags) as an HCL object, in the order given.
pub fn string_map(pairs: &[(String, String)]) -> Expr {
    Expr::Object(pairs.iter().map(|(key, value)| (key.clone(), Expr::str(value.clone()))).collect())
}

/// Terraform expressions for the outputs a block exposes, per kind and cloud.
pub fn output_expression(ctx: &EmitCtx<'_>, env: &EnvFacts, target: &str, field: &str) -> Option<Expr> {
    let located = ctx.find(target)?;
    let attrs = located.block.env_attrs(&env.name);
    let cloud = ctx.facts.cloud_of(&attrs, env).unwrap_or_default();
    let name = tf_name(target);
    let engine = get_str(&attrs, "engine").unwrap_or("");
    let expression = match (located.block.kind.as_str(), cloud.as_str(), field) {
        ("database", "aws", "host") if engine == "mongodb" => format!("aws_docdb_cluster.{name}.endpoint"),
        ("database", "aws", "host") => format!("aws_db_instance.{name}.address"),
        ("database", "aws", "port") if engine == "mongodb" => format!("aws_docdb_cluster.{name}.port"),
        ("database", "aws", "port") => format!("aws_db_instance.{name}.port"),
        ("database", "azure", "host") => format!("{}.{name}.fqdn", azure::database_resource(engine)),
        ("database", "azure", "port") => azure::database_port(engine).to_string(),
        ("database", "gcp", "host") => format!("google_sql_database_instance.{name}.private_ip_address"),
        ("database", "gcp", "port") => gcp::database_port(engine).to_string(),
        ("database", _, "url") => {
            let host = output_expression(ctx, env, target, "host")?;
            let port = output_expression(ctx, env, target, "port")?;
            let scheme = match engine {
                "mysql" | "mariadb" => "mysql",
                "sqlserver" => "sqlserver",
                "mongodb" => "mongodb",
                _ => "postgresql",
            };
            let (Expr::Raw(host), Expr::Raw(port)) = (host, port) else { return None };
            return Some(Expr::Raw(format!(
                "\"{scheme}://planc:${{random_password.{name}.result}}@${{{host}}}:${{{port}}}/{}\"",
                dns_name(target)
            )));
        }
        ("cache", "aws", "host") => format!("aws_elasticache_replication_group.{name}.primary_endpoint_address"),
        ("cache", "aws", "port") => "6379".to_string(),
        ("cache", "azure", "host") => format!("azurerm_redis_cache.{name}.hostname"),
        ("cache", "azure", "port") => format!("azurerm_redis_cache.{name}.ssl_port"),
        ("cache", "gcp", "host") => format!("google_redis_instance.{name}.host"),
        ("cache", "gcp", "port") => format!("google_redis_instance.{name}.port"),
        ("cache", _, "url") => {
            let (Expr::Raw(host), Expr::Raw(port)) =
                (output_expression(ctx, env, target, "host")?, output_expression(ctx, env, target, "port")?)
            else {
                return None;
            };
            return Some(Expr::Raw(format!(
                "\"rediss://:${{random_password.{name}.result}}@${{{host}}}:${{{port}}}\""
            )));
        }
        ("bucket", "aws", "name") => format!("aws_s3_bucket.{name}.bucket"),
        ("bucket", "aws", "url") => format!("\"s3://${{aws_s3_bucket.{name}.bucket}}\""),
        ("bucket", "azure", "name") => format!("azurerm_storage_container.{name}.name"),
        ("bucket", "azure", "url") => format!(
            "\"${{azurerm_storage_account.{name}.primary_blob_endpoint}}${{azurerm_storage_container.{name}.name}}\""
        ),
        ("bucket", "gcp", "name") => format!("google_storage_bucket.{name}.name"),
        ("bucket", "gcp", "url") => format!("google_storage_bucket.{name}.url"),
        ("queue", "aws", "url") => format!("aws_sqs_queue.{name}.url"),
        ("topic", "aws", "url") => format!("aws_sns_topic.{name}.arn"),
        ("queue" | "topic", "azure", "url") => {
            "azurerm_servicebus_namespace.main.default_primary_connection_string".to_string()
        }
        ("queue", "gcp", "url") => format!("google_pubsub_subscription.{name}.id"),
        ("topic", "gcp", "url") => format!("google_pubsub_topic.{name}.id"),
        ("network", "aws", "id") => format!("aws_vpc.{name}.id"),
        ("network", "azure", "id") => format!("azurerm_virtual_network.{name}.id"),
        ("network", "gcp", "id") => format!("google_compute_network.{name}.id"),
        ("cluster", "aws", "name") => format!("aws_eks_cluster.{name}.name"),
        ("cluster", "azure", "name") => format!("azurerm_kubernetes_cluster.{name}.name"),
        ("cluster", "gcp", "name") => format!("google_container_cluster.{name}.name"),
        ("terraform", _, field) => format!("{}.{name}.{field}", get_str(&attrs, "type")?),
        ("cluster", "aws", "endpoint") => format!("aws_eks_cluster.{name}.endpoint"),
        ("cluster", "azure", "endpoint") => format!("azurerm_kubernetes_cluster.{name}.private_fqdn"),
        ("cluster", "gcp", "endpoint") => format!("google_container_cluster.{name}.endpoint"),
        ("function", "aws", "url") => format!("aws_lambda_function.{name}.invoke_arn"),
        ("function", "azure", "url") => format!("azurerm_linux_function_app.{name}.default_hostname"),
        ("function", "gcp", "url") => format!("google_cloudfunctions2_function.{name}.url"),
        ("container", "aws", "url") => {
            let port = super::get_int(&attrs, "port").unwrap_or(80);
            format!("\"http://{}.{}.local:{port}\"", dns_name(target), ctx.plan_name())
        }
        ("container", "azure", "url") => {
            format!("\"https://${{azurerm_container_app.{name}.latest_revision_fqdn}}\"")
        }
        ("container", "gcp", "url") => format!("google_cloud_run_v2_service.{name}.uri"),
        ("service", _, "url") => {
            let port = super::get_int(&attrs, "port").unwrap_or(80);
            format!("\"http://{}.{}.svc.cluster.local:{port}\"", dns_name(target), ctx.plan_name())
        }
        ("service", _, "host") => match get_str(&attrs, "host") {
            Some(host) => hcl::quote(host),
            None => format!("\"{}.{}.svc.cluster.local\"", dns_name(target), ctx.plan_name()),
        },
        _ => return None,
    };
    Some(Expr::Raw(expression))
}

/// Whether an output carries credentials on a cloud (from the catalog).
pub fn output_is_secret(ctx: &EmitCtx<'_>, env: &EnvFacts, target: &str, field: &str) -> bool {
    let Some(located) = ctx.find(target) else { return true };
    let attrs = located.block.env_attrs(&env.name);
    let cloud = ctx.facts.cloud_of(&attrs, env).unwrap_or_default();
    crate::catalog::Catalog::builtin()
        .kind(&located.block.kind)
        .and_then(|kind| kind.output(field))
        .is_none_or(|output| output.secret.get(&cloud).copied().unwrap_or(false))
}

/// The Terraform expression of a `vars` value, for the Kubernetes Secret of a workload.
pub(super) fn var_expression(tf: &mut Tf<'_>, value: &Value) -> Option<Expr> {
    match &value.kind {
        ValueKind::Secret(name) => Some(Expr::Raw(tf.variable_secret(name))),
        ValueKind::Ref(reference) => {
            let field = reference.field.as_ref().map_or("url", |it| it.0.as_str());
            output_expression(tf.ctx, tf.env, &reference.name, field)
        }
        ValueKind::Interpolated(parts) => {
            let mut text = String::from("\"");
            for part in parts {
                match part {
                    InterpolationPart::Text(piece) => {
                        let quoted = hcl::quote(piece);
                        text.push_str(&quoted[1..quoted.len() - 1]);
                    }
                    InterpolationPart::Value(value) => match var_expression(tf, value)? {
                        Expr::Raw(expression) if expression.starts_with('"') => {
                            text.push_str(&expression[1..expression.len() - 1])
                        }
                        Expr::Raw(expression) => text.push_str(&format!("${{{expression}}}")),
                        Expr::Str(piece) => text.push_str(&piece),
                        _ => return None,
                    },
                }
            }
            text.push('"');
            Some(Expr::Raw(text))
        }
        _ => None,
    }
}

/// A function's environment on any cloud: plain values as text, secrets as sensitive
/// variables, outputs and interpolations as Terraform expressions; nothing is left out.
pub fn function_environment(tf: &mut Tf<'_>, attrs: &EnvAttrs<'_>) -> Vec<(String, Expr)> {
    let mut variables = Vec::new();
    for (key, value) in map_entries(attrs, "vars") {
        let expression = match &value.kind {
            ValueKind::String(text) => Some(Expr::str(text.clone())),
            ValueKind::Int(n) => Some(Expr::str(n.to_string())),
            ValueKind::Bool(b) => Some(Expr::str(b.to_string())),
            _ => var_expression(tf, value),
        };
        if let Some(expression) = expression {
            variables.push((key.to_string(), expression));
        }
    }
    variables
}

/// Which Plan block produced which Terraform addresses in an environment, next to its
/// `terraform/` directory: `planc build` compares it with the one it replaces (REL215).
pub const MANIFEST: &str = "planc-manifest.json";

fn manifest(tf: &Tf<'_>) -> String {
    let blocks: serde_json::Map<String, serde_json::Value> =
        tf.produced.iter().map(|(block, addresses)| (block.clone(), serde_json::json!(addresses))).collect();
    let moved: Vec<serde_json::Value> = tf.moved.iter().map(|(from, to)| serde_json::json!([from, to])).collect();
    let document = serde_json::json!({ "env": tf.env.name, "blocks": blocks, "moved": moved });
    serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"
}

/// The files of one environment, and what its `terraform { }` overrides replaced.
pub fn emit(ctx: &EmitCtx<'_>, env: &EnvFacts) -> (Vec<OutputFile>, Vec<String>) {
    let mut tf = Tf::new(ctx, env);
    let plan_cloud = ctx.facts.cloud.clone().unwrap_or_else(|| "aws".into());
    tf.clouds.insert(plan_cloud.clone());

    for located in &ctx.blocks {
        let block = located.block;
        if block.name.is_none() || !ctx.exists_in(block, &env.name) {
            continue;
        }
        let Some(schema) = crate::catalog::Catalog::builtin().kind(&block.kind) else { continue };
        if !schema.resource {
            continue;
        }
        let attrs = block.env_attrs(&env.name);
        let cloud = if matches!(block.kind.as_str(), "alert" | "slo") {
            // Built where the watched block is, and only where it exists.
            match get_ref(&attrs, "on").and_then(|it| ctx.find(it)) {
                Some(target) if ctx.exists_in(target.block, &env.name) => {
                    alerts::watched_cloud(&tf, &attrs).unwrap_or_else(|| plan_cloud.clone())
                }
                _ => continue,
            }
        } else {
            ctx.facts.cloud_of(&attrs, env).unwrap_or_else(|| plan_cloud.clone())
        };
        tf.clouds.insert(cloud.clone());
        if matches!(block.kind.as_str(), "alert" | "slo") {
            tf.alert_clouds.insert(cloud.clone());
        }
        tf.keep_name = moved::first_name(block, &env.name).map(|old| (located.name().to_string(), old));
        if block.kind == "terraform" {
            (Provider::of(&cloud).foundation)(&mut tf);
            tf.rendered.clear();
            raw::resource(&mut tf, located, &attrs);
        } else {
            Provider::of(&cloud).render(&mut tf, located, &attrs);
            if let Some(ValueKind::Body(entries)) = attrs.get("terraform").map(|it| &it.kind) {
                raw::merge_override(&mut tf, located, &attrs, &cloud, entries);
            }
            if !matches!(block.kind.as_str(), "service" | "worker" | "job") {
                raw::apply_depends_on(&mut tf, located, &attrs, &cloud);
            }
        }
        tf.keep_name = None;
        let addresses = tf.rendered_addresses();
        moved::moved(&mut tf, located, &cloud, &addresses);
        if !addresses.is_empty() {
            let key = format!("{} {}", block.kind, located.name());
            tf.produced.push((key, addresses.iter().map(|(kind, name)| format!("{kind}.{name}")).collect()));
        }
        if block.kind == "terraform" {
            continue;
        }
        if matches!(block.kind.as_str(), "service" | "worker" | "job") {
            collect_workload_values(&mut tf, located, &attrs);
        }
    }
    monitoring(&mut tf, env.cloud.clone().unwrap_or(plan_cloud));
    kubernetes_values(&mut tf);
    block_outputs(&mut tf);

    let header = format!(
        "Generated by planc from plan `{}`, environment `{}`.\nDo not edit: change the .plan files and run `planc build` again.",
        ctx.plan_name(),
        env.name
    );
    let dir = format!("{}/terraform", env.name);
    let mut out = Vec::new();
    out.push(OutputFile { path: format!("{dir}/versions.tf"), contents: versions(&tf).render(&header) });
    out.push(OutputFile { path: format!("{dir}/providers.tf"), contents: providers(&tf).render(&header) });
    let mut variables = File::default();
    for block in tf.variables.values() {
        variables.add(Vec::new(), block.clone());
    }
    out.push(OutputFile { path: format!("{dir}/variables.tf"), contents: variables.render(&header) });
    let mut outputs = File::default();
    for block in &tf.outputs {
        outputs.add(Vec::new(), block.clone());
    }
    out.push(OutputFile { path: format!("{dir}/outputs.tf"), contents: outputs.render(&header) });
    for (name, file) in &tf.files {
        if !file.is_empty() {
            out.push(OutputFile { path: format!("{dir}/{name}"), contents: file.render(&header) });
        }
    }
    out.push(OutputFile { path: format!("{}/{MANIFEST}", env.name), contents: manifest(&tf) });
    (out, tf.notes)
}

/// The `monitoring` block: the log store on the environment's cloud, and the notification
/// channels on it and on every cloud an alert is built on.
fn monitoring(tf: &mut Tf<'_>, env_cloud: String) {
    let Some(located) = tf.ctx.blocks.iter().find(|it| it.block.kind == "monitoring") else { return };
    let attrs = located.block.env_attrs(&tf.env.name);
    tf.logs_cloud = Some(env_cloud.clone());
    let mut clouds = tf.alert_clouds.clone();
    clouds.insert(env_cloud);
    for cloud in clouds {
        tf.clouds.insert(cloud.clone());
        Provider::of(&cloud).render(tf, located, &attrs);
    }
}

fn collect_workload_values(tf: &mut Tf<'_>, located: &Located<'_>, attrs: &EnvAttrs<'_>) {
    let Some(cluster) = get_ref(attrs, "cluster") else { return };
    let mut values = WorkloadValues { cluster: cluster.to_string(), ..WorkloadValues::default() };
    for (key, value) in map_entries(attrs, "vars") {
        let route = tf.ctx.var_route(value, tf.env);
        if matches!(route, super::VarRoute::Literal(_)) {
            continue; // The Kubernetes output writes it itself.
        }
        let Some(expression) = var_expression(tf, value) else { continue };
        match route {
            super::VarRoute::Secret => values.secret.push((key.to_string(), expression)),
            _ => values.applied.push((key.to_string(), expression)),
        }
    }
    if !values.secret.is_empty() || !values.applied.is_empty() {
        tf.workload_values.insert(located.name().to_string(), values);
    }
}

/// The Secrets and ConfigMaps the Kubernetes output refers to, filled from cloud outputs and
/// variables.
fn kubernetes_values(tf: &mut Tf<'_>) {
    let all = std::mem::take(&mut tf.workload_values);
    let metadata = |name: String| {
        Block::new("metadata", &[])
            .attr("name", name)
            .attr("namespace", tf.ctx.plan_name())
            .attr("labels", Expr::Object(vec![("app.kubernetes.io/managed-by".into(), Expr::str("planc"))]))
    };
    for (workload, values) in &all {
        let provider = format!("kubernetes.{}", tf_name(&values.cluster));
        if !values.secret.is_empty() {
            let block = Block::resource("kubernetes_secret_v1", &format!("{}_env", tf_name(workload)))
                .raw("provider", provider.clone())
                .block(metadata(super::k8s::secret_name(workload)))
                .attr("data", Expr::Object(values.secret.clone()))
                .attr("type", "Opaque");
            tf.add_plain(
                "kubernetes.tf",
                vec![format!("Secrets of `{workload}`: read by its pods through secretKeyRef.")],
                block,
            );
        }
        if !values.applied.is_empty() {
            let block = Block::resource("kubernetes_config_map_v1", &format!("{}_outputs", tf_name(workload)))
                .raw("provider", provider)
                .block(metadata(super::k8s::outputs_config_name(workload)))
                .attr("data", Expr::Object(values.applied.clone()));
            tf.add_plain(
                "kubernetes.tf",
                vec![format!(
                    "Outputs `{workload}` reads that are known only after apply and are not secret: read through configMapKeyRef."
                )],
                block,
            );
        }
    }
    tf.workload_values = all;
}

/// `outputs.tf`: the outputs of LANGUAGE.md §6 for every block that has them.
fn block_outputs(tf: &mut Tf<'_>) {
    let ctx = tf.ctx;
    for located in &ctx.blocks {
        let Some(schema) = crate::catalog::Catalog::builtin().kind(&located.block.kind) else { continue };
        if located.block.name.is_none() || !ctx.exists_in(located.block, &tf.env.name) {
            continue;
        }
        for output in &schema.outputs {
            let Some(expression) = output_expression(ctx, tf.env, located.name(), &output.name) else { continue };
            let secret = output_is_secret(ctx, tf.env, located.name(), &output.name);
            let block = Block::new("output", &[&format!("{}_{}", tf_name(located.name()), output.name)])
                .attr(
                    "description",
                    format!("{} of {} `{}` ({}).", output.name, located.block.kind, located.name(), located.source()),
                )
                .attr("value", expression)
                .attr_if(secret, "sensitive", true);
            tf.outputs.push(block);
        }
    }
}

fn versions(tf: &Tf<'_>) -> File {
    let mut providers = Vec::new();
    for cloud in &tf.clouds {
        let (name, source, version) = match cloud.as_str() {
            "azure" => ("azurerm", "hashicorp/azurerm", "~> 4.14"),
            "gcp" => ("google", "hashicorp/google", "~> 6.14"),
            _ => ("aws", "hashicorp/aws", "~> 5.80"),
        };
        providers.push((
            name.to_string(),
            Expr::Object(vec![("source".into(), Expr::str(source)), ("version".into(), Expr::str(version))]),
        ));
    }
    providers.push((
        "random".into(),
        Expr::Object(vec![("source".into(), Expr::str("hashicorp/random")), ("version".into(), Expr::str("~> 3.6"))]),
    ));
    if !tf.workload_values.is_empty() {
        providers.push((
            "kubernetes".into(),
            Expr::Object(vec![
                ("source".into(), Expr::str("hashicorp/kubernetes")),
                ("version".into(), Expr::str("~> 2.35")),
            ]),
        ));
    }
    providers.sort_by(|a, b| a.0.cmp(&b.0));
    let mut terraform = Block::new("terraform", &[]).attr("required_version", ">= 1.10");
    let mut required = Block::new("required_providers", &[]);
    for (name, value) in providers {
        required = required.attr(&name, value);
    }
    terraform = terraform.block(required);
    if let Some(backend) = backend(tf) {
        terraform = terraform.block(backend);
    }
    let mut file = File::default();
    file.add(Vec::new(), terraform);
    file
}

/// The state backend from the plan's `state { }`, one state per environment; the backend
/// follows from the plan's cloud when `state` does not name one. CAT508 has checked that the
/// fields fit the backend.
fn backend(tf: &Tf<'_>) -> Option<Block> {
    let plan = tf.ctx.of_kind("plan").next()?;
    let attrs = plan.block.env_attrs(&tf.env.name);
    attrs.get("state")?;
    let state = |field: &str| super::field(&attrs, "state", field).and_then(|it| it.as_str().map(String::from));
    let prefix = format!("{}/{}", state("key").unwrap_or_else(|| tf.ctx.plan_name()), tf.env.name);
    let key = format!("{prefix}/terraform.tfstate");
    let backend =
        state("backend").unwrap_or_else(|| crate::deploy::state_backend(tf.ctx.facts.cloud.as_deref()).to_string());
    Some(match backend.as_str() {
        "s3" => Block::new("backend", &["s3"])
            .attr("bucket", state("bucket").unwrap_or_default())
            .attr("key", key)
            .attr("region", tf.ctx.facts.region.clone().unwrap_or_default())
            .attr("encrypt", true)
            .attr("use_lockfile", super::field(&attrs, "state", "lock").and_then(Value::as_bool).unwrap_or(true)),
        "azurerm" => Block::new("backend", &["azurerm"])
            .attr("storage_account_name", state("account").unwrap_or_default())
            .attr("container_name", state("bucket").unwrap_or_default())
            .attr("key", key)
            .attr("use_azuread_auth", true),
        "gcs" => {
            Block::new("backend", &["gcs"]).attr("bucket", state("bucket").unwrap_or_default()).attr("prefix", prefix)
        }
        _ => Block::new("backend", &["local"]).attr("path", format!("{}.tfstate", tf.env.name)),
    })
}

fn providers(tf: &Tf<'_>) -> File {
    let mut file = File::default();
    let region = tf.env.region.clone().or_else(|| tf.ctx.facts.region.clone()).unwrap_or_default();
    let tags: Vec<(String, Expr)> = tf.default_tags().into_iter().map(|(key, value)| (key, Expr::Str(value))).collect();
    for cloud in &tf.clouds {
        match cloud.as_str() {
            "azure" => {
                file.add(
                    Vec::new(),
                    Block::new("provider", &["azurerm"]).attr("storage_use_azuread", true).block(
                        Block::new("features", &[])
                            .block(Block::new("key_vault", &[]).attr("purge_soft_delete_on_destroy", false)),
                    ),
                );
            }
            "gcp" => {
                let labels: Vec<(String, Expr)> = tags
                    .iter()
                    .map(|(key, value)| {
                        (
                            gcp::label(key),
                            match value {
                                Expr::Str(text) => Expr::Str(gcp::label(text)),
                                other => other.clone(),
                            },
                        )
                    })
                    .collect();
                file.add(
                    Vec::new(),
                    Block::new("provider", &["google"])
                        .raw("project", "var.gcp_project")
                        .attr(
                            "region",
                            if cloud == tf.ctx.facts.cloud.as_deref().unwrap_or("aws") {
                                region.clone()
                            } else {
                                "us-central1".into()
                            },
                        )
                        .attr("default_labels", Expr::Object(labels)),
                );
            }
            _ => {
                file.add(
                    Vec::new(),
                    Block::new("provider", &["aws"])
                        .attr(
                            "region",
                            if cloud == tf.ctx.facts.cloud.as_deref().unwrap_or("aws") {
                                region.clone()
                            } else {
                                "us-east-1".into()
                            },
                        )
                        .block(Block::new("default_tags", &[]).attr("tags", Expr::Object(tags.clone()))),
                );
            }
        }
    }
    for region in &tf.aws_regions {
        file.add(
            vec![format!("Disaster-recovery copies in {region}.")],
            Block::new("provider", &["aws"])
                .attr("alias", region_alias(region))
                .attr("region", region.clone())
                .block(Block::new("default_tags", &[]).attr("tags", Expr::Object(tags.clone()))),
        );
    }
    if tf.global_aws {
        file.add(
            vec!["CloudFront's web ACLs are global and live in us-east-1.".into()],
            Block::new("provider", &["aws"])
                .attr("alias", "global")
                .attr("region", "us-east-1")
                .block(Block::new("default_tags", &[]).attr("tags", Expr::Object(tags.clone()))),
        );
    }
    for values in tf.workload_values.values() {
        let cluster = &values.cluster;
        let cluster_name = tf_name(cluster);
        if file.items.iter().any(|(_, block)| {
            block.kind == "provider"
                && block.labels == ["kubernetes"]
                && block.items.contains(&hcl::Item::Attr("alias".into(), Expr::str(cluster_name.clone())))
        }) {
            continue;
        }
        let cloud = tf
            .ctx
            .find(cluster)
            .map(|it| tf.ctx.facts.cloud_of(&it.block.env_attrs(&tf.env.name), tf.env).unwrap_or_default())
            .unwrap_or_default();
        let provider = match cloud.as_str() {
            "azure" => Block::new("provider", &["kubernetes"])
                .attr("alias", cluster_name.clone())
                .raw("host", format!("azurerm_kubernetes_cluster.{cluster_name}.kube_config[0].host"))
                .raw(
                    "cluster_ca_certificate",
                    format!(
                        "base64decode(azurerm_kubernetes_cluster.{cluster_name}.kube_config[0].cluster_ca_certificate)"
                    ),
                )
                .raw(
                    "client_certificate",
                    format!(
                        "base64decode(azurerm_kubernetes_cluster.{cluster_name}.kube_config[0].client_certificate)"
                    ),
                )
                .raw(
                    "client_key",
                    format!("base64decode(azurerm_kubernetes_cluster.{cluster_name}.kube_config[0].client_key)"),
                ),
            "gcp" => Block::new("provider", &["kubernetes"])
                .attr("alias", cluster_name.clone())
                .raw("host", format!("\"https://${{google_container_cluster.{cluster_name}.endpoint}}\""))
                .raw(
                    "cluster_ca_certificate",
                    format!(
                        "base64decode(google_container_cluster.{cluster_name}.master_auth[0].cluster_ca_certificate)"
                    ),
                )
                .raw("token", "data.google_client_config.current.access_token"),
            _ => Block::new("provider", &["kubernetes"])
                .attr("alias", cluster_name.clone())
                .raw("host", format!("aws_eks_cluster.{cluster_name}.endpoint"))
                .raw(
                    "cluster_ca_certificate",
                    format!("base64decode(aws_eks_cluster.{cluster_name}.certificate_authority[0].data)"),
                )
                .raw("token", format!("data.aws_eks_cluster_auth.{cluster_name}.token")),
        };
        file.add(vec![format!("Kubernetes API of cluster `{cluster}`, for the Secrets of its workloads.")], provider);
    }
    file
}

//! What the three clouds' alert renderers share: the watched block of an `alert` or `slo`,
//! the condition from the deployment model, and the `monitoring` block's channels.

use super::Tf;
use crate::catalog::{CloudMetric, MetricSchema};
use crate::deploy::monitoring::{self, Condition, Evaluation};
use crate::ir::{Block, EnvAttrs};
use crate::{get_ref, Located};

/// An alert on a cloud resource, as the cloud's renderer builds it.
pub struct Watch<'a> {
    pub target: &'a Located<'a>,
    pub target_attrs: EnvAttrs<'a>,
    pub metric: &'static MetricSchema,
    pub cloud_metric: &'static CloudMetric,
    pub condition: Condition,
    /// The threshold in the cloud's unit.
    pub threshold: f64,
}

/// The alert's watch, when the cloud evaluates it. Alerts on workloads are the Kubernetes
/// output's (a PrometheusRule); an alert the checker rejected renders nothing.
pub fn watch<'a>(tf: &Tf<'a>, cloud: &str, attrs: &EnvAttrs<'_>) -> Option<Watch<'a>> {
    let target = tf.ctx.find(get_ref(attrs, "on")?)?;
    let target_attrs = target.block.env_attrs(&tf.env.name);
    let metric_name = attrs.get("metric")?.as_str()?;
    let (metric, evaluation) =
        monitoring::evaluation(target.block, &target_attrs, cloud, metric_name, tf.ctx.facts.prometheus()).ok()?;
    let Evaluation::Cloud(cloud_metric) = evaluation else { return None };
    let condition = monitoring::condition(attrs, metric.unit)?;
    let threshold = monitoring::cloud_threshold(condition.value, cloud_metric);
    Some(Watch { target, target_attrs, metric, cloud_metric, condition, threshold })
}

/// The plan's `monitoring` block.
pub fn monitoring_block<'a>(tf: &Tf<'a>) -> Option<&'a Block> {
    tf.ctx.blocks.iter().map(|it| it.block).find(|it| it.kind == "monitoring")
}

/// A `notify` channel of the monitoring block: its emails and webhook.
pub struct Channel<'a> {
    pub name: &'a str,
    pub emails: Vec<&'a str>,
    pub webhook: Option<&'a crate::ir::Value>,
}

/// The channels an alert lists, in its order, that the monitoring block declares.
pub fn channels<'a>(tf: &Tf<'a>, attrs: &EnvAttrs<'_>) -> Vec<Channel<'a>> {
    let Some(monitoring) = monitoring_block(tf) else { return Vec::new() };
    monitoring::notify_names(attrs).iter().filter_map(|name| monitoring.child(name)).filter_map(channel).collect()
}

/// Every channel of the monitoring block.
pub fn all_channels<'a>(monitoring: &'a Block) -> Vec<Channel<'a>> {
    monitoring.children.iter().filter(|it| it.kind == "notify").filter_map(channel).collect()
}

fn channel(block: &Block) -> Option<Channel<'_>> {
    let emails = match block.attr("email").map(|it| &it.value.kind) {
        Some(crate::ir::ValueKind::List(items)) => items.iter().filter_map(|it| it.as_str()).collect(),
        _ => Vec::new(),
    };
    Some(Channel { name: block.name.as_deref()?, emails, webhook: block.attr("webhook").map(|it| &it.value) })
}

/// The cloud an `alert` or `slo` is built on: that of the block it watches.
pub fn watched_cloud(tf: &Tf<'_>, attrs: &EnvAttrs<'_>) -> Option<String> {
    let target = tf.ctx.find(get_ref(attrs, "on")?)?;
    tf.ctx.facts.cloud_of(&target.block.env_attrs(&tf.env.name), tf.env)
}

/// The alert's description: its own, else what it watches.
pub fn description(located: &Located<'_>, attrs: &EnvAttrs<'_>, watch: &Watch<'_>) -> String {
    let own = attrs.get("description").and_then(|it| it.as_str());
    let comparison = if watch.condition.above { "above" } else { "below" };
    let what = format!(
        "{} of {} `{}` {comparison} the threshold for {} min (planc alert `{}`)",
        watch.metric.name,
        watch.target.block.kind,
        watch.target.name(),
        watch.condition.minutes,
        located.name()
    );
    match own {
        Some(text) => format!("{text} ({what})"),
        None => what,
    }
}

/// A channel's webhook URL: a sensitive variable for a secret, else the text.
pub fn webhook_url(tf: &mut Tf<'_>, webhook: &crate::ir::Value) -> Option<super::hcl::Expr> {
    match &webhook.kind {
        crate::ir::ValueKind::Secret(name) => Some(super::hcl::Expr::Raw(tf.variable_secret(name))),
        crate::ir::ValueKind::String(url) => Some(super::hcl::Expr::str(url.clone())),
        _ => None,
    }
}

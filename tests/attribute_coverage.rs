//! Every attribute of every kind in the catalog, on every cloud, either changes what is built
//! or priced, or is rejected with a diagnostic (issue "one deployment model", item 3).
//!
//! Generated from the catalog: for each attribute, its catalog `example` is set on a block of a
//! plan that holds every kind, in an `env default { }` override so that it replaces a value the
//! block already has; the outputs, the cost report and the diagnostics are compared with the plan
//! without it. A new attribute in the catalog is covered without touching this file.

mod common;
mod tf_schema;

use std::collections::BTreeSet;

use common::*;
use planc::catalog::Catalog;
use planc::db::{plan_cost, workspace_envs, Database};
use planc::emit::{emit, Target};

/// The plan with every kind; `{kind}` marks where a block of that kind takes an override.
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
    let zones = if cloud == "gcp" { "" } else { "zones = 2" };
    // An SLO on the gateway is Terraform on AWS and Google Cloud; Azure builds none (OBS705),
    // so there it watches a workload and is left out of the coverage.
    let slo = match cloud {
        "azure" => "slo api-up { on = api  objective = 99.9%  notify = [oncall] }".to_string(),
        _ => "slo edge-up {{ on = edge  objective = 99.9%  notify = [oncall]  {{slo}} }}"
            .replace("{{", "{")
            .replace("}}", "}"),
    };
    // Cloud Run runs whole vCPUs when CPU is always allocated.
    let container_cpu = if cloud == "gcp" { "1" } else { "500m" };
    // Cross-region replicas are not built on Azure (CAT509).
    let replica = match cloud {
        "aws" => "replica dr { region = \"us-west-2\"  {replica} }",
        "gcp" => "replica dr { region = \"us-east1\"  {replica} }",
        _ => "",
    };
    format!(
        r#"plan sink {{ cloud = {cloud}  region = "{region}"  {{plan}} }}
network main {{ cidr = "10.0.0.0/16"  {zones}  {{network}} }}
cluster apps {{
  version = "1.35"  network = main  {{cluster}}
  node_pool general {{ size = "{node}"  nodes = 2..4  {{node_pool}} }}
}}
service api {{ cluster = apps  image = "ghcr.io/acme/api:1.0.0"  port = 8080  health = "/healthz"  ready = "/ready"  expose = internal  {{service}} }}
worker runner {{ cluster = apps  image = "ghcr.io/acme/runner:1.0.0"  {{worker}} }}
job nightly-report {{ cluster = apps  image = "ghcr.io/acme/report:1.0.0"  schedule = "0 3 * * *"  timeout = 1h  {{job}} }}
database orders {{ engine = postgres  version = "16"  tier = "{db_tier}"  network = main  {{database}}  {replica} }}
cache sessions {{ engine = redis  {cache}  network = main  {{cache}} }}
bucket assets {{ {{bucket}} }}
queue jobs {{ dead_letter = jobs-dlq  {{queue}} }}
queue jobs-dlq {{ }}
topic events {{ {{topic}} }}
function hook {{ runtime = python3.12  trigger = http  {{function}} }}
gateway edge {{ host = "api.sink.example"  routes {{ "/" = api }}  {{gateway}} }}
cdn assets-cdn {{ origin = assets  host = "cdn.sink.example"  {{cdn}} }}
vm box {{ size = "{vm}"  image = "{image}"  network = main  {{vm}} }}
registry images {{ {{registry}} }}
container app {{ image = "ghcr.io/acme/app:1.0.0"  cpu = {container_cpu}  memory = 1Gi  port = 8080  {{container}} }}
monitoring {{
  metrics = prometheus  {{monitoring}}
  notify oncall {{ email = ["oncall@sink.example"]  {{notify}} }}
}}
alert orders-cpu {{ on = orders  metric = cpu  above = 80%  for = 15min  notify = [oncall]  {{alert}} }}
{slo}
dns sink-zone {{
  zone = "sink.example"  {{dns}}
  record www {{ value = ["203.0.113.10"]  {{record}} }}
}}
migration move-jobs {{
  title = "Move the jobs queue"  type = replatform  from = jobs-dlq  to = jobs  {{migration}}
  phase copy {{ duration = 1d  rollback = "drain the new queue"  {{phase}} }}
  risk loss {{ probability = low  impact = high  {{risk}} }}
}}
decision store {{
  title = "Use PostgreSQL"  status = accepted  date = "2026-01-20"
  criteria {{ consistency = 9 }}
  option postgres {{ scores {{ consistency = 9 }} }}
  chosen = postgres  {{decision}}
}}
"#
    )
}

/// Everything a plan produces that a user can see: outputs, costs, diagnostics.
fn observe(plan: &str) -> (Vec<(String, String)>, String, BTreeSet<String>) {
    let files = vec![("main.plan".to_string(), plan.as_bytes().to_vec())];
    let checked = check_files(files.clone());
    let codes: BTreeSet<String> =
        checked.diagnostics.iter().map(|it| format!("{} {} {}", it.code, it.severity.as_str(), it.message)).collect();
    let (db, workspace) = Database::with_files(files);
    let envs = workspace_envs(&db, workspace);
    let targets: BTreeSet<Target> = [Target::Terraform, Target::K8s, Target::Adr].into_iter().collect();
    let outputs = emit(&db, workspace, &envs, &targets, "").into_iter().map(|it| (it.path, it.contents)).collect();
    (outputs, format!("{:?}", plan_cost(&db, workspace)), codes)
}

/// The plan with `text` in the block of `kind`: in an `env default { }` override for resource
/// kinds, so it replaces a value the block has; inline for the others.
fn with(plan: &str, kind: &str, text: &str) -> String {
    let mut out = plan.to_string();
    for other in Catalog::builtin().kinds() {
        let marker = format!("{{{}}}", other.kind);
        let replacement = if other.kind == kind {
            if other.resource && kind != "plan" {
                format!("env default {{ {text} }}")
            } else {
                text.to_string()
            }
        } else {
            String::new()
        };
        out = out.replace(&marker, &replacement);
    }
    out
}

/// The catalog default of an attribute or `attr.field`, as Plan source.
fn default_of(kind: &planc::catalog::KindSchema, name: &str) -> Option<String> {
    let catalog = Catalog::builtin();
    let (attr, field) = name.split_once('.').map_or((name, None), |(attr, field)| (attr, Some(field)));
    let schema = kind.attrs.iter().chain(catalog.common.iter()).find(|it| it.name == attr)?;
    match field {
        Some(field) => schema.fields.iter().find(|it| it.name == field)?.default.clone(),
        None => schema.default.clone(),
    }
}

/// The line of the kitchen sink that declares the block of `kind`.
fn block_text<'a>(sink: &'a str, kind: &str) -> &'a str {
    let marker = format!("{{{kind}}}");
    sink.lines().find(|line| line.contains(&marker)).unwrap_or("")
}

/// Attributes whose effect is on what is checked rather than on what is built, with where it
/// shows; they pass when they change the diagnostics.
#[test]
fn every_attribute_reaches_an_output_or_a_diagnostic_on_every_cloud() {
    let catalog = Catalog::builtin();
    let schemas = tf_schema::Schemas::load(&repo_root().join("stdlib/provider-schemas"));
    let mut dropped = Vec::new();
    let mut rejected = Vec::new();
    let mut off_schema = BTreeSet::new();
    for cloud in ["aws", "azure", "gcp"] {
        let sink = kitchen_sink(cloud);
        let base_plan = with(&sink, "", "");
        let base = observe(&base_plan);
        assert!(
            !base.2.iter().any(|it| it.contains(" error ")),
            "the kitchen sink must check clean on {cloud}: {:#?}",
            base.2
        );
        off_schema.extend(schema_problems(&schemas, &base, &format!("{cloud} kitchen sink")));
        for kind in catalog.kinds() {
            if !sink.contains(&format!("{{{}}}", kind.kind)) {
                continue;
            }
            let mut attrs: Vec<(String, String)> = Vec::new();
            for attr in kind.attrs.iter().chain(if kind.resource { catalog.common.iter() } else { [].iter() }) {
                if attr.fields.is_empty() {
                    attrs.push((attr.name.clone(), attr.example.clone()));
                } else {
                    for field in &attr.fields {
                        attrs.push((
                            format!("{}.{}", attr.name, field.name),
                            format!("{} {{ {} }}", attr.name, field.example),
                        ));
                    }
                }
            }
            for (name, example) in attrs {
                // An example that is the default, or what the plan already says, changes nothing
                // by design: it says nothing about whether the attribute is built.
                let value = example.split_once('=').map(|it| it.1.trim().trim_end_matches('}').trim()).unwrap_or("");
                let default = default_of(kind, &name);
                // `network = main` names the plan's only network, which blocks use anyway, and
                // `cloud = <this cloud>` the plan's own cloud.
                let same_as_plan = example == "network = main" || example == format!("cloud = {cloud}");
                if default.as_deref() == Some(value)
                    || block_text(&sink, &kind.kind).contains(example.as_str())
                    || same_as_plan
                {
                    continue;
                }
                let variant = with(&sink, &kind.kind, &example);
                let seen = observe(&variant);
                let reported: Vec<&String> = seen.2.iter().filter(|it| !base.2.contains(*it)).collect();
                if seen.0 != base.0 || seen.1 != base.1 {
                    if seen.0 != base.0 {
                        off_schema.extend(schema_problems(&schemas, &seen, &format!("{cloud}: {}.{name}", kind.kind)));
                    }
                    continue;
                }
                if reported.is_empty() {
                    dropped.push(format!("{cloud}: {}.{name} (`{example}`)", kind.kind));
                } else {
                    rejected.push(format!("{cloud}: {}.{name} (`{example}`): {reported:?}", kind.kind));
                }
            }
        }
    }
    println!("rejected with a diagnostic:\n{}", rejected.join("\n"));
    assert!(dropped.is_empty(), "set, but nothing built, priced or reported changed:\n{}", dropped.join("\n"));
    assert!(
        off_schema.is_empty(),
        "Terraform the pinned providers' schemas reject:\n{}",
        off_schema.into_iter().collect::<Vec<_>>().join("\n")
    );
}

/// The provider-schema problems of the Terraform a plan builds (none when the plan has errors).
fn schema_problems(
    schemas: &tf_schema::Schemas,
    seen: &(Vec<(String, String)>, String, BTreeSet<String>),
    label: &str,
) -> Vec<String> {
    if seen.2.iter().any(|it| it.contains(" error ")) {
        return Vec::new();
    }
    seen.0
        .iter()
        .filter(|(path, _)| path.ends_with(".tf"))
        .flat_map(|(path, text)| schemas.check_file(path, text))
        .map(|problem| format!("{label}: {problem}"))
        .collect()
}

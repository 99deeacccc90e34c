//! `planc new NAME [--cloud C] [--pattern P]`: a starter workspace that checks clean and builds,
//! with comments that teach the language, and a `.gitignore` for the output directory. It
//! writes into a new (or empty) directory only: an existing workspace is never overwritten.

use std::path::{Path, PathBuf};

use super::{NewArgs, EXIT_OK, EXIT_USAGE};

/// What differs between clouds in the starter: the region and classes it names.
struct Cloud {
    name: &'static str,
    region: &'static str,
    node_size: &'static str,
    database_tier: &'static str,
    state: &'static str,
}

const CLOUDS: &[Cloud] = &[
    Cloud {
        name: "aws",
        region: "us-east-1",
        node_size: "m6i.large",
        database_tier: "db.t4g.large",
        state: "backend = s3  bucket = \"NAME-tfstate\"",
    },
    Cloud {
        name: "azure",
        region: "eastus",
        node_size: "Standard_D4s_v5",
        database_tier: "GP_Standard_D2ds_v5",
        state: "backend = azurerm  account = \"NAMEtfstate\"  bucket = \"tfstate\"",
    },
    Cloud {
        name: "gcp",
        region: "us-central1",
        node_size: "e2-standard-4",
        database_tier: "db-custom-2-7680",
        state: "backend = gcs  bucket = \"NAME-tfstate\"",
    },
];

pub const PATTERNS: &[&str] = &["monolith", "modular_monolith", "microservices", "serverless", "event_driven"];

pub fn run(args: &NewArgs) -> i32 {
    if !crate::ir::is_valid_name(&args.name) {
        eprintln!(
            "error: `{}` is not a valid plan name: use letters, digits, `_` and `-`, starting with a letter, at most 63 characters",
            args.name
        );
        return EXIT_USAGE;
    }
    let Some(cloud) = CLOUDS.iter().find(|it| it.name == args.cloud) else {
        eprintln!("error: no cloud `{}`; use aws, azure or gcp", args.cloud);
        return EXIT_USAGE;
    };
    if !PATTERNS.contains(&args.pattern.as_str()) {
        eprintln!("error: no pattern `{}`; the patterns are {}", args.pattern, PATTERNS.join(", "));
        return EXIT_USAGE;
    }
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from(&args.name));
    if std::fs::read_dir(&dir).is_ok_and(|mut entries| entries.next().is_some()) {
        eprintln!(
            "error: {} exists and is not empty; `planc new` only writes into a new or empty directory",
            dir.display()
        );
        return EXIT_USAGE;
    }
    let files = starter(&args.name, cloud, &args.pattern);
    if let Err(error) = write(&dir, &files) {
        eprintln!("error: cannot write {}: {error}", dir.display());
        return EXIT_USAGE;
    }
    eprintln!("created {} ({} on {}, {} files)", dir.display(), args.pattern, cloud.name, files.len());
    eprintln!("next: planc check {0} && planc cost {0} && planc build {0}", dir.display());
    EXIT_OK
}

/// Writes the files, each `.plan` file as `planc fmt` would lay it out.
fn write(dir: &Path, files: &[(String, String)]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in files {
        let text = match name.ends_with(".plan") {
            true => crate::fmt::format(text).unwrap_or_else(|_| text.clone()),
            false => text.clone(),
        };
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

/// The files of a starter workspace, by name.
fn starter(name: &str, cloud: &Cloud, pattern: &str) -> Vec<(String, String)> {
    let mut files = vec![
        (
            ".gitignore".to_string(),
            "# What `planc build` writes: generated, rebuilt from the .plan files.\n/out/\n".to_string(),
        ),
        ("plan.plan".to_string(), plan_file(name, cloud, pattern)),
        // GCP subnets are regional: there `zones` has no effect (P026), so it is left out.
        (
            "network.plan".to_string(),
            NETWORK.replace("\n  ZONES", if cloud.name == "gcp" { "" } else { "\n  zones = 3" }),
        ),
    ];
    let data = DATABASE.replace("TIER", cloud.database_tier);
    match pattern {
        "serverless" => {
            files.push(("data.plan".into(), data));
            // Azure's Consumption plan fixes memory and takes no handler: both are left out there.
            let function = if cloud.name == "azure" {
                SERVERLESS.replace("  handler = \"index.handler\"\n", "").replace("  memory  = 512Mi\n", "")
            } else {
                SERVERLESS.to_string()
            };
            files.push(("functions.plan".into(), function));
        }
        "event_driven" => {
            files.push(("data.plan".into(), data));
            files.push(("cluster.plan".into(), CLUSTER.replace("SIZE", cloud.node_size)));
            files.push(("events.plan".into(), EVENTS.to_string()));
            files.push(("monitoring.plan".into(), MONITORING.to_string()));
        }
        "microservices" => {
            files.push(("data.plan".into(), data));
            files.push(("cluster.plan".into(), CLUSTER.replace("SIZE", cloud.node_size)));
            files.push(("services.plan".into(), MICROSERVICES.to_string()));
            files.push(("monitoring.plan".into(), MONITORING.to_string()));
        }
        _ => {
            files.push(("data.plan".into(), data));
            files.push(("cluster.plan".into(), CLUSTER.replace("SIZE", cloud.node_size)));
            files.push(("app.plan".into(), MONOLITH.to_string()));
        }
    }
    files
}

fn plan_file(name: &str, cloud: &Cloud, pattern: &str) -> String {
    let state_name: String = name.chars().filter(|it| it.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
    let state = cloud
        .state
        .replace("NAMEtfstate", &format!("{}tfstate", &state_name[..state_name.len().min(16)]))
        .replace("NAME", name);
    format!(
        r#"// A Plan workspace: every `.plan` file in this directory is part of one plan.
// `planc check` reports problems, `planc cost` estimates the monthly bill, `planc build` writes
// Terraform, Kubernetes manifests and decision records to ./out. See LANGUAGE.md for the rest.

/// `///` comments document the block below them; they reach the generated files.
plan {name} {{
  cloud   = {cloud}
  region  = "{region}"
  // The architecture the plan follows: the checker verifies it has the parts it needs.
  pattern = {pattern}
  // Money has a unit: per month (`/mo`) or per hour (`/h`). Budgets are checked on every build.
  budget = $5000/mo

  // Tags reach every cloud resource; the `policy` below makes two of them mandatory.
  tags {{ team = "platform"  cost_center = "cc-1" }}

  // Where Terraform keeps its state, one key per environment.
  state {{ {state} }}
}}

// Environments: every block exists in each of them unless it says `envs = [...]`, and a block
// changes a value for one of them with a nested `env NAME {{ ... }}`.
env staging {{ budget = $1500/mo }}

/// Production: the stricter reliability and security rules apply here.
env prod {{
  production = true
  budget     = $3000/mo
}}

policy {{
  require_tags = ["team", "cost_center"]
}}
"#,
        cloud = cloud.name,
        region = cloud.region,
    )
}

const NETWORK: &str = r#"/// The private network everything runs in: three availability zones, NAT for outbound traffic.
/// Flows the plan's references imply are allowed, and nothing else; add `allow` rules for the
/// rest, e.g. `allow office-ssh { from = ["203.0.113.0/24"]  to = bastion  ports = [22] }`.
network main {
  cidr  = "10.0.0.0/16"
  ZONES
}
"#;

const CLUSTER: &str = r#"/// A managed Kubernetes cluster. Quantities carry units (`100GB`, `250m` cores, `512Mi`), and a
/// range `low..high` gives an autoscaler its bounds and the cost estimate its range.
cluster apps {
  version = "1.35"
  network = main

  node_pool general {
    size  = "SIZE"
    nodes = 2..4
    // Staging needs less: an override changes one value in one environment.
    env staging { nodes = 2..3 }
  }
}
"#;

const MONITORING: &str = r#"/// How the plan is watched: `microservices` and `event_driven` plans need it. Alerts on
/// workloads become a PrometheusRule, alerts on cloud resources the cloud's own alarms.
monitoring {
  metrics = both
  logs { retention = 30d  volume = 10GB }
  notify oncall { email = ["oncall@example.com"] }
}

alert app-db-cpu {
  on     = app-db
  metric = cpu
  above  = 80%
  for    = 15min
  notify = [oncall]
}
"#;

const DATABASE: &str = r#"/// The application's database. Secrets such as its `url` never appear in plain text: a
/// workload that references `app-db.url` reads it from a Kubernetes Secret.
database app-db {
  engine  = postgres
  version = "16"
  tier    = "TIER"
  storage = 128GB
  network = main
  backup { retention = 7d }

  // Production gets a standby in another zone and point-in-time restore.
  env prod {
    ha = true
    backup { retention = 14d  pitr = true }
  }
}
"#;

const MONOLITH: &str = r#"/// The application: a container on the cluster, reached through the gateway.
service web {
  cluster  = apps
  image    = "ghcr.io/example/web:1.0.0"
  port     = 8080
  replicas = 2..4
  cpu      = 250m..500m
  memory   = 512Mi..1Gi
  health   = "/healthz"
  ready    = "/ready"
  // References are plain names; `app-db.url` is an output of the database.
  vars { DATABASE_URL = app-db.url }
}

/// The public entry point: HTTPS, with a web application firewall.
gateway edge {
  network = main
  waf     = true
  routes { "/" = web }
}
"#;

const MICROSERVICES: &str = r#"/// The public API, behind the gateway.
service api {
  cluster  = apps
  image    = "ghcr.io/example/api:1.0.0"
  port     = 8080
  replicas = 2..6
  cpu      = 250m..500m
  memory   = 512Mi..1Gi
  health   = "/healthz"
  ready    = "/ready"
  vars {
    DATABASE_URL = app-db.url
    EVENTS_URL   = events.url
  }
  // How a new version replaces the running one, and how fast the autoscaler may react.
  rollout { strategy = rolling  max_surge = 25%  max_unavailable = 0 }
  autoscale { cpu = 70%  scale_down { max = 1  period = 60s  stabilization = 5min } }
}

/// A background worker that consumes the events the API publishes.
worker processor {
  cluster  = apps
  image    = "ghcr.io/example/processor:1.0.0"
  replicas = 2..4
  // Only the API owns the database: in microservices each service keeps its own data.
  vars { QUEUE_URL = events.url }
}

/// Messaging between the services, with a dead-letter queue for messages that keep failing.
queue events {
  dead_letter = events-dlq
}

queue events-dlq {}

/// The public entry point: HTTPS, with a web application firewall.
gateway edge {
  network = main
  waf     = true
  routes { "/api" = api }
}
"#;

const SERVERLESS: &str = r#"/// An HTTP function: the code in `functions/api` runs on each request to the gateway.
function api {
  runtime = nodejs22
  source  = "functions/api"
  handler = "index.handler"
  memory  = 512Mi
  timeout = 30s
  trigger = http
  vars { DATABASE_URL = app-db.url }
}

/// The public entry point: HTTPS, with a web application firewall.
gateway edge {
  network = main
  waf     = true
  routes { "/" = api }
}
"#;

const EVENTS: &str = r#"/// Events flow through a topic into a queue, and a worker on the cluster consumes them.
topic orders {}

queue order-events {
  subscribe   = [orders]
  dead_letter = order-events-dlq
}

queue order-events-dlq {}

/// The consumer: scales between 2 and 6 pods.
worker order-consumer {
  cluster  = apps
  image    = "ghcr.io/example/consumer:1.0.0"
  replicas = 2..6
  vars {
    QUEUE_URL    = order-events.url
    DATABASE_URL = app-db.url
  }
}
"#;

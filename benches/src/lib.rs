//! Generates large, realistic workspaces for benchmarks: services with image, replicas, cpu
//! and memory ranges, a port, vars, probes, autoscale and a prod override, plus the clusters
//! and databases they reference. The output checks clean, so benchmarks measure the whole
//! pipeline and not an early exit.

/// `(file name, text)` for a workspace of about `blocks` blocks spread over `files` files.
pub fn workspace(blocks: usize, files: usize) -> Vec<(String, String)> {
    let files = files.max(1);
    let per_file = blocks.div_ceil(files);
    let mut out = Vec::with_capacity(files);
    for file in 0..files {
        let mut text = String::with_capacity(per_file * 380);
        if file == 0 {
            text.push_str("plan bench {\n  cloud   = aws\n  region  = \"us-east-1\"\n  pattern = modular_monolith\n  budget  = $5000000/mo\n}\n\nenv dev { budget = $2000000/mo }\nenv prod {\n  budget     = $3000000/mo\n  production = true\n}\n\n");
        }
        text.push_str(&format!(
            "network net-{file:03} {{\n  cidr  = \"10.{}.0.0/16\"\n  zones = 3\n}}\n\ncluster apps-{file:03} {{\n  version = \"1.34\"\n  network = net-{file:03}\n  node_pool general {{\n    size  = \"m6i.4xlarge\"\n    nodes = 4..16\n    env prod {{ nodes = 6..24 }}\n  }}\n}}\n\n",
            file % 256
        ));
        text.push_str(&format!(
            "database db-{file:03} {{\n  engine  = postgres\n  version = \"16\"\n  tier    = \"db.r6g.large\"\n  storage = 200GB\n  backup {{ retention = 30d  pitr = true }}\n  env prod {{ ha = true }}\n}}\n\n"
        ));
        for index in 0..per_file.saturating_sub(2) {
            let name = format!("svc-{file:03}-{index:03}");
            text.push_str(&format!(
                "service {name} {{\n  cluster  = apps-{file:03}\n  image    = \"ghcr.io/acme/{name}:1.4.2\"\n  port     = 8080\n  replicas = 2..6\n  cpu      = 250m..1\n  memory   = 512Mi..1Gi\n  health   = \"/healthz\"\n  ready    = \"/ready\"\n  vars {{ DATABASE_URL = db-{file:03}.url  LOG_LEVEL = \"info\" }}\n  autoscale {{ cpu = 70% }}\n  env prod {{ replicas = 3..12 }}\n}}\n\n"
            ));
        }
        out.push((format!("part-{file:03}.plan"), text));
    }
    out
}

/// The files as raw bytes, as the database takes them.
pub fn workspace_bytes(blocks: usize, files: usize) -> Vec<(String, Vec<u8>)> {
    workspace(blocks, files).into_iter().map(|(name, text)| (name, text.into_bytes())).collect()
}

/// N services on one cluster, each with an image, a fixed replica count, cpu and memory
/// request..limit ranges, one port, two plain vars and a health path: the workload of the
/// `build --target k8s` benchmark.
/// N buckets in one file: the shape that showed a quadratic pass in the checker.
pub fn buckets(n: usize) -> Vec<(String, String)> {
    let mut text = String::from("plan buckets { cloud = aws  region = \"us-east-1\" }\n");
    for index in 0..n {
        text.push_str(&format!("bucket b{index} {{ versioning = true }}\n"));
    }
    vec![("main.plan".to_string(), text)]
}

pub fn k8s_services(n: usize) -> Vec<(String, String)> {
    let mut text = String::from(
        "plan bench {\n  cloud  = aws\n  region = \"us-east-1\"\n}\n\nnetwork net {\n  cidr = \"10.0.0.0/16\"\n}\n\ncluster apps {\n  version = \"1.34\"\n  network = net\n  node_pool general {\n    size  = \"m6i.4xlarge\"\n    nodes = 100..400\n  }\n}\n\n",
    );
    for index in 0..n {
        text.push_str(&format!(
            "service svc-{index:05} {{\n  cluster  = apps\n  image    = \"ghcr.io/acme/svc-{index:05}:1.4.2\"\n  replicas = 2\n  cpu      = 250m..500m\n  memory   = 256Mi..512Mi\n  port     = 8080\n  health   = \"/healthz\"\n  ready    = \"/healthz\"\n  vars {{ LOG_LEVEL = \"info\"  REGION = \"us-east-1\" }}\n}}\n\n"
        ));
    }
    vec![("services.plan".to_string(), text)]
}

/// 1,000 services, 100 databases and 10 clusters in three environments: the all-targets
/// build benchmark.
pub fn platform() -> Vec<(String, String)> {
    let mut files = Vec::new();
    files.push((
        "plan.plan".to_string(),
        "plan bench {\n  cloud  = aws\n  region = \"us-east-1\"\n}\n\nenv dev {}\nenv staging {}\nenv prod {\n  production = true\n}\n\nnetwork net {\n  cidr  = \"10.0.0.0/16\"\n  zones = 3\n}\n".to_string(),
    ));
    for cluster in 0..10 {
        let mut text = format!(
            "cluster apps-{cluster:02} {{\n  version = \"1.34\"\n  network = net\n  node_pool general {{\n    size  = \"m6i.4xlarge\"\n    nodes = 6..20\n  }}\n}}\n\n"
        );
        for database in 0..10 {
            let index = cluster * 10 + database;
            text.push_str(&format!(
                "database db-{index:03} {{\n  engine  = postgres\n  version = \"16\"\n  tier    = \"db.t4g.medium\"\n  storage = 50GB\n  backup {{ retention = 7d }}\n  env prod {{ ha = true }}\n}}\n\n"
            ));
        }
        for service in 0..100 {
            let index = cluster * 100 + service;
            let database = cluster * 10 + service % 10;
            text.push_str(&format!(
                "service svc-{index:04} {{\n  cluster  = apps-{cluster:02}\n  image    = \"ghcr.io/acme/svc-{index:04}:1.4.2\"\n  replicas = 2..4\n  cpu      = 100m..250m\n  memory   = 128Mi..256Mi\n  port     = 8080\n  health   = \"/healthz\"\n  ready    = \"/ready\"\n  vars {{ DATABASE_URL = db-{database:03}.url  LOG_LEVEL = \"info\" }}\n}}\n\n"
            ));
        }
        files.push((format!("cluster-{cluster:02}.plan"), text));
    }
    files
}

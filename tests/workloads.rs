//! Workload placement, rollout, scaling behaviour and disruption budgets (LANGUAGE.md §10.1):
//! what each attribute builds, checked against the Kubernetes schemas and, for Argo Rollouts,
//! against the Rollout CRD's own schema (tests/crds/argo-rollouts).

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::*;
use planc::emit::Target;
use serde_yaml_ng::Value as Yaml;

fn build(plan: &str) -> BTreeMap<String, String> {
    emit_plan(plan, &[Target::Terraform, Target::K8s])
}

fn codes(plan: &str) -> Vec<&'static str> {
    check_files(vec![("main.plan".into(), plan.as_bytes().to_vec())]).codes()
}

/// The documents of the cluster's `workloads.yaml`, by `Kind/name`.
fn workloads(files: &BTreeMap<String, String>) -> BTreeMap<String, Yaml> {
    let text = files.get("default/k8s/apps/workloads.yaml").expect("no workloads.yaml");
    let mut docs = BTreeMap::new();
    for doc in serde_yaml_ng::Deserializer::from_str(text) {
        let doc = <Yaml as serde::Deserialize>::deserialize(doc).unwrap();
        let key = format!("{}/{}", doc["kind"].as_str().unwrap(), doc["metadata"]["name"].as_str().unwrap());
        docs.insert(key, doc);
    }
    docs
}

fn yaml(text: &str) -> Yaml {
    serde_yaml_ng::from_str(text).unwrap()
}

const HEAD: &str = r#"
plan demo { cloud = CLOUD  region = "REGION" }
network main { cidr = "10.0.0.0/16" }
cluster apps {
  version = "1.34"  network = main
  node_pool general { size = "SIZE"  nodes = 2..6 }
  node_pool batch   { size = "SIZE"  nodes = 0..4  taints = ["workload=batch:NoSchedule", "dedicated:NoExecute"] }
}
"#;

fn plan(cloud: &str, body: &str) -> String {
    let (region, size) = match cloud {
        "aws" => ("us-east-1", "m6i.xlarge"),
        "azure" => ("eastus", "Standard_D4s_v5"),
        _ => ("us-central1", "e2-standard-4"),
    };
    HEAD.replace("CLOUD", cloud).replace("REGION", region).replace("SIZE", size) + body
}

const WORKLOADS: &str = r#"
service api {
  cluster = apps  node_pool = apps.general  spread = nodes
  image = "ghcr.io/acme/api:1.4.2"  port = 8080  health = "/healthz"  ready = "/ready"
  replicas = 3..12
  rollout { strategy = rolling  max_surge = 25%  max_unavailable = 0 }
  autoscale {
    cpu = 70%
    scale_up   { max = 100%  period = 15s  stabilization = 0s }
    scale_down { max = 1     period = 60s  stabilization = 5min }
  }
  disruption { max_unavailable = 1 }
}
worker batch {
  cluster = apps  node_pool = apps.batch  image = "ghcr.io/acme/batch:2.0.0"
  replicas = 1..4
  rollout { strategy = canary  steps = [10%, 50%, 100%]  pause = 5min }
}
service web {
  cluster = apps  image = "ghcr.io/acme/web:3.1.0"  port = 80  health = "/h"  ready = "/r"
  replicas = 2
  rollout { strategy = blue_green  auto_promote = true }
  disruption { min_available = 50% }
}
service legacy {
  cluster = apps  image = "ghcr.io/acme/legacy:0.9.0"  port = 80  health = "/h"  ready = "/r"
  replicas = 2
  rollout { strategy = recreate }
}
job nightly {
  cluster = apps  node_pool = apps.batch  image = "ghcr.io/acme/nightly:1.0.0"  timeout = 1h
  schedule = "0 3 * * *"
}
"#;

#[test]
fn placement_selects_the_pool_label_and_tolerates_its_taints() {
    let docs = workloads(&build(&plan("aws", WORKLOADS)));
    let api = &docs["Deployment/api"]["spec"]["template"]["spec"];
    assert_eq!(api["nodeSelector"], yaml("plan.dev/node-pool: general"));
    assert!(api.get("tolerations").is_none(), "an untainted pool needs no toleration");
    assert_eq!(api["topologySpreadConstraints"][0]["topologyKey"], yaml("kubernetes.io/hostname"));

    let batch = &docs["Rollout/batch"]["spec"]["template"]["spec"];
    assert_eq!(batch["nodeSelector"], yaml("plan.dev/node-pool: batch"));
    assert_eq!(
        batch["tolerations"],
        yaml(
            "- { key: workload, operator: Equal, value: batch, effect: NoSchedule }\n\
             - { key: dedicated, operator: Exists, effect: NoExecute }"
        )
    );
    // Spread defaults to zones when there can be more than one pod.
    assert_eq!(batch["topologySpreadConstraints"][0]["topologyKey"], yaml("topology.kubernetes.io/zone"));
    let nightly = &docs["CronJob/nightly"]["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    assert_eq!(nightly["nodeSelector"], yaml("plan.dev/node-pool: batch"));
    assert!(nightly.get("topologySpreadConstraints").is_none());
}

#[test]
fn every_node_pool_carries_the_label_workloads_select_on_each_cloud() {
    for (cloud, resource, key) in [
        ("aws", "aws_eks_node_group", "labels"),
        ("azure", "azurerm_kubernetes_cluster_node_pool", "node_labels"),
        ("gcp", "google_container_node_pool", "labels"),
    ] {
        let files = build(&plan(cloud, WORKLOADS));
        let tf: String =
            files.iter().filter(|(path, _)| path.ends_with(".tf")).map(|(_, text)| text.as_str()).collect();
        assert!(tf.contains(resource), "{cloud}: no {resource}");
        for pool in ["general", "batch"] {
            assert!(
                tf.contains(&format!("\"plan.dev/node-pool\" = \"{pool}\"")),
                "{cloud}: pool {pool} is not labelled ({key})"
            );
        }
    }
}

#[test]
fn rollout_strategies_compile_to_deployments_or_argo_rollouts() {
    let files = build(&plan("aws", WORKLOADS));
    let docs = workloads(&files);
    assert_eq!(
        docs["Deployment/api"]["spec"]["strategy"],
        yaml("{ type: RollingUpdate, rollingUpdate: { maxUnavailable: 0, maxSurge: 25% } }")
    );
    assert_eq!(docs["Deployment/legacy"]["spec"]["strategy"], yaml("{ type: Recreate }"));
    assert!(!docs.contains_key("Deployment/batch") && !docs.contains_key("Deployment/web"));
    assert_eq!(
        docs["Rollout/batch"]["spec"]["strategy"]["canary"]["steps"],
        yaml(
            "[{ setWeight: 10 }, { pause: { duration: 300s } }, { setWeight: 50 }, { pause: { duration: 300s } }, \
             { setWeight: 100 }]"
        )
    );
    assert_eq!(
        docs["Rollout/web"]["spec"]["strategy"],
        yaml("{ blueGreen: { activeService: web, autoPromotionEnabled: true, previewService: web-preview } }")
    );
    assert!(docs.contains_key("Service/web-preview"), "the preview Service is missing");
    // The autoscaler scales the Rollout, not a Deployment that does not exist.
    assert_eq!(docs["HorizontalPodAutoscaler/batch"]["spec"]["scaleTargetRef"]["kind"], yaml("Rollout"));
    let kustomization = &files["default/k8s/apps/kustomization.yaml"];
    assert!(kustomization.contains("Requires the Argo Rollouts controller"), "{kustomization}");
}

#[test]
fn autoscale_behaviour_and_disruption_budgets_are_built_as_written() {
    let docs = workloads(&build(&plan("aws", WORKLOADS)));
    assert_eq!(
        docs["HorizontalPodAutoscaler/api"]["spec"]["behavior"],
        yaml(
            "scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: Percent, value: 100, periodSeconds: 15 }] }\n\
             scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: Pods, value: 1, periodSeconds: 60 }] }"
        )
    );
    assert_eq!(docs["PodDisruptionBudget/api"]["spec"]["maxUnavailable"], yaml("1"));
    assert_eq!(docs["PodDisruptionBudget/web"]["spec"]["minAvailable"], yaml("50%"));
    // Unwritten, the budget keeps one pod up when there are two.
    assert_eq!(docs["PodDisruptionBudget/legacy"]["spec"]["minAvailable"], yaml("1"));
}

#[test]
fn the_manifests_validate_against_the_kubernetes_schemas_and_the_rollout_crd() {
    let tools = repo_root().join(".tools");
    assert!(tools.join("venv/bin/kubernetes-validate").exists(), "run scripts/install-test-tools");
    let files = build(&plan("aws", WORKLOADS));
    let dir = std::env::temp_dir().join(format!("planc-workloads-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path: PathBuf = dir.join("workloads.yaml");
    std::fs::write(&path, &files["default/k8s/apps/workloads.yaml"]).unwrap();

    // Built-in kinds against the Kubernetes schemas; the Rollouts are left to the CRD.
    let output = std::process::Command::new(tools.join("venv/bin/kubernetes-validate"))
        .args(["--strict", "--quiet"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));

    let output = std::process::Command::new(tools.join("venv/bin/python"))
        .arg(repo_root().join("tests/validate_crd.py"))
        .arg(repo_root().join("tests/crds/argo-rollouts/rollout-crd.yaml"))
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the Rollouts do not validate against the Argo Rollouts CRD:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn workload_manifests_snapshot() {
    let files = build(&plan("aws", WORKLOADS));
    insta::assert_snapshot!(files["default/k8s/apps/workloads.yaml"]);
}

#[test]
fn impossible_settings_are_errors_that_say_why() {
    let cases = [
        ("rollout { max_surge = 0  max_unavailable = 0 }", "REL213"),
        ("rollout { strategy = canary  steps = [10%, 50%] }", "REL213"),
        ("rollout { strategy = canary  steps = [50%, 20%, 100%] }", "REL213"),
        ("rollout { strategy = canary  steps = [10%, 100%]  pause = 1500ms }", "CAT508"),
        ("rollout { max_surge = 12.5% }", "CAT508"),
        ("rollout { strategy = recreate  max_surge = 2 }", "P026"),
        ("rollout { strategy = sideways }", "P008"),
        ("rollout { max_surge = 1s }", "P007"),
        ("autoscale { scale_up { max = 0 } }", "REL213"),
        ("autoscale { scale_up { max = 50%  period = 2h } }", "CAT508"),
        ("autoscale { scale_down { stabilization = 2h } }", "CAT508"),
        ("autoscale { scale_down { period = 30s } }", "P026"),
        ("autoscale { scale_sideways { max = 1 } }", "P004"),
        ("disruption { max_unavailable = 1  min_available = 1 }", "REL213"),
        ("disruption { min_available = 100% }", "REL214"),
        ("node_pool = apps.missing", "P011"),
        ("node_pool = apps", "P010"),
    ];
    for (attribute, code) in cases {
        let body = format!(
            "service api {{\n  cluster = apps  image = \"ghcr.io/acme/api:1.4.2\"  port = 8080  health = \"/h\"  ready = \"/r\"\n  replicas = 2..4\n  {attribute}\n}}\n"
        );
        let found = codes(&plan("aws", &body));
        assert!(found.contains(&code), "`{attribute}` should report {code}, got {found:?}");
    }
}

#[test]
fn a_pool_of_another_cluster_or_only_tainted_pools_is_an_error() {
    let other = plan(
        "aws",
        r#"
cluster data {
  version = "1.34"  network = main
  node_pool small { size = "m6i.large"  nodes = 1..2 }
}
worker w { cluster = apps  node_pool = data.small  image = "ghcr.io/acme/w:1.0.0" }
"#,
    );
    assert!(codes(&other).contains(&"REL212"));
    let tainted = plan("aws", "worker w { cluster = apps  image = \"ghcr.io/acme/w:1.0.0\" }\n")
        .replace("node_pool general { size = \"m6i.xlarge\"  nodes = 2..6 }", "");
    assert!(codes(&tainted).contains(&"REL212"), "{:?}", codes(&tainted));
    let pinned = tainted.replace("worker w { cluster = apps ", "worker w { cluster = apps  node_pool = apps.batch ");
    assert!(!codes(&pinned).contains(&"REL212"), "{:?}", codes(&pinned));
}

#[test]
fn a_workload_too_large_for_its_pool_is_unschedulable_even_when_another_pool_is_larger() {
    let body = r#"
worker w {
  cluster = apps  node_pool = apps.small  image = "ghcr.io/acme/w:1.0.0"
  memory = 12Gi
}
"#;
    let text = plan("aws", body)
        .replace("node_pool batch ", "node_pool small { size = \"m6i.large\"  nodes = 1..3 }\n  node_pool batch ");
    assert!(codes(&text).contains(&"REL205"), "{:?}", codes(&text));
    assert!(!codes(&text.replace("apps.small", "apps.general")).contains(&"REL205"));
}

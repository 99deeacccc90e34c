//! `planc import`: the Terraform root modules in `tests/fixtures/import/` become Plan
//! workspaces that check and build; their reports are snapshotted; the resources Plan models
//! come out of `planc build` with the same types and key arguments; every example's own built
//! Terraform imports back to the same blocks; bad input is reported and loses nothing.

mod common;
mod tf_schema;

use std::path::{Path, PathBuf};

use common::*;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("planc-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures/import").join(name)
}

/// Runs `planc ARGS`, returning the exit code and stderr.
fn run(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, String) {
    let output = planc().args(args).output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn import(from: &Path, out: &Path) -> (Option<i32>, String) {
    let output = planc().arg("import").arg(from).arg("--out").arg(out).output().unwrap();
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// The `.plan` files of a workspace, in name order, as one text.
fn plan_text(dir: &Path) -> String {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|it| it.unwrap().path())
        .filter(|it| it.extension().is_some_and(|it| it == "plan"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|it| {
            format!("// --- {}\n{}", it.file_name().unwrap().to_string_lossy(), std::fs::read_to_string(it).unwrap())
        })
        .collect()
}

/// `resource "TYPE" "NAME"` in the `.tf` files of a directory, and the value of an argument
/// at a dotted path (`settings.tier`) as Terraform would print it.
fn built_value(dir: &Path, r#type: &str, name: &str, path: &str) -> Option<String> {
    for entry in std::fs::read_dir(dir).unwrap() {
        let file = entry.unwrap().path();
        if file.extension().is_none_or(|it| it != "tf") {
            continue;
        }
        let body = hcl::parse(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for block in body.blocks() {
            let labels: Vec<&str> = block.labels.iter().map(|it| it.as_str()).collect();
            if block.identifier.as_str() != "resource" || labels != [r#type, name] {
                continue;
            }
            let mut node = &block.body;
            let mut keys: Vec<&str> = path.split('.').collect();
            let last = keys.pop().unwrap();
            for key in keys {
                node = &node.blocks().find(|it| it.identifier.as_str() == key)?.body;
            }
            let attribute = node.attributes().find(|it| it.key.as_str() == last)?;
            let text = hcl::format::to_string(&attribute.expr).unwrap();
            return Some(text.split_whitespace().collect::<Vec<_>>().join(""));
        }
    }
    None
}

/// The key arguments of each fixture's modelled resources, as `planc build` must write them.
const EXPECTED: &[(&str, &[(&str, &str, &str, &str)])] = &[
    (
        "aws-eks-platform",
        &[
            ("aws_vpc", "this_vpc", "cidr_block", "\"10.20.0.0/16\""),
            ("aws_eks_cluster", "this", "version", "\"1.33\""),
            ("aws_eks_cluster", "this", "name", "\"platform\""),
            ("aws_eks_cluster", "this", "vpc_config.public_access_cidrs", "[\"203.0.113.0/24\"]"),
            ("aws_eks_node_group", "this_general", "instance_types", "[\"c5.xlarge\"]"),
            ("aws_eks_node_group", "this_general", "disk_size", "50"),
            ("aws_eks_node_group", "this_general", "scaling_config.max_size", "6"),
            ("aws_eks_node_group", "this_batch", "capacity_type", "\"SPOT\""),
            ("aws_eks_addon", "coredns", "cluster_name", "aws_eks_cluster.this.name"),
            ("aws_ecr_repository", "app", "name", "\"platform/app\""),
            ("aws_ecr_repository", "app", "image_tag_mutability", "\"IMMUTABLE\""),
        ],
    ),
    (
        "aws-data-services",
        &[
            ("aws_db_instance", "orders", "instance_class", "\"db.m6g.large\""),
            ("aws_db_instance", "orders", "engine_version", "\"16\""),
            ("aws_db_instance", "orders", "allocated_storage", "200"),
            ("aws_db_instance", "orders", "multi_az", "true"),
            ("aws_db_instance", "orders", "backup_retention_period", "30"),
            ("aws_db_instance", "orders", "identifier", "\"shop-prod-orders\""),
            ("aws_db_instance", "orders", "storage_type", "\"gp3\""),
            ("aws_elasticache_replication_group", "sessions", "node_type", "\"cache.t4g.medium\""),
            ("aws_elasticache_replication_group", "sessions", "engine_version", "\"7.1\""),
            ("aws_s3_bucket", "uploads", "bucket", "\"shop-prod-uploads\""),
            ("aws_sqs_queue", "fulfilment", "visibility_timeout_seconds", "60"),
            ("aws_sqs_queue", "fulfilment", "message_retention_seconds", "345600"),
            ("aws_cloudwatch_log_group", "app", "retention_in_days", "30"),
        ],
    ),
    (
        "aws-registry-modules",
        &[
            ("aws_vpc", "vpc", "cidr_block", "\"10.60.0.0/16\""),
            ("aws_eks_cluster", "eks", "name", "\"checkout\""),
            ("aws_eks_cluster", "eks", "version", "\"1.34\""),
            ("aws_eks_node_group", "eks_general", "instance_types", "[\"m6i.large\"]"),
            ("aws_eks_node_group", "eks_general", "disk_size", "80"),
            ("aws_eks_node_group", "eks_spot", "capacity_type", "\"SPOT\""),
            ("aws_db_instance", "db", "identifier", "\"checkout-orders\""),
            ("aws_db_instance", "db", "instance_class", "\"db.t4g.large\""),
            ("aws_db_instance", "db", "max_allocated_storage", "200"),
            ("aws_db_instance", "db", "db_name", "\"orders\""),
            ("aws_s3_bucket", "assets", "bucket", "\"checkout-assets\""),
            ("aws_eks_addon", "metrics", "cluster_name", "aws_eks_cluster.eks.name"),
        ],
    ),
    (
        "azure-aks",
        &[
            ("azurerm_kubernetes_cluster", "aks", "kubernetes_version", "\"1.33\""),
            ("azurerm_kubernetes_cluster", "aks", "dns_prefix", "\"shop\""),
            ("azurerm_kubernetes_cluster", "aks", "default_node_pool.vm_size", "\"Standard_D4s_v5\""),
            ("azurerm_postgresql_flexible_server", "orders", "sku_name", "\"GP_Standard_D2ds_v5\""),
            ("azurerm_postgresql_flexible_server", "orders", "version", "\"16\""),
            ("azurerm_postgresql_flexible_server", "orders", "storage_mb", "131072"),
            ("azurerm_postgresql_flexible_server", "orders", "zone", "\"1\""),
            ("azurerm_storage_account", "exports", "account_replication_type", "\"ZRS\""),
            ("azurerm_log_analytics_workspace", "logs", "retention_in_days", "30"),
        ],
    ),
    (
        "gcp-gke",
        &[
            ("google_container_cluster", "primary", "name", "\"platform\""),
            ("google_container_node_pool", "primary_general", "node_config.machine_type", "\"n2d-standard-4\""),
            ("google_sql_database_instance", "orders", "database_version", "\"POSTGRES_16\""),
            ("google_sql_database_instance", "orders", "settings.tier", "\"db-custom-2-7680\""),
            ("google_sql_database_instance", "orders", "settings.availability_type", "\"REGIONAL\""),
            ("google_storage_bucket", "exports", "name", "\"example-project-exports\""),
            ("google_pubsub_topic", "orders_pubsub_topic", "name", "\"orders\""),
        ],
    ),
];

#[test]
fn every_fixture_imports_checks_and_builds_with_its_key_arguments() {
    let schemas = tf_schema::Schemas::load(&repo_root().join("stdlib/provider-schemas"));
    for (name, expected) in EXPECTED {
        let expected: Vec<(&str, &str, &str, String)> = expected
            .iter()
            .map(|(t, n, p, v)| (*t, *n, *p, v.split_whitespace().collect::<Vec<_>>().join("")))
            .collect();
        let out = temp(name);
        let (code, stderr) = import(&fixture(name), &out);
        assert_eq!(code, Some(0), "{name}: {stderr}");
        let report = std::fs::read_to_string(out.join("import-report.md")).unwrap();
        insta::assert_snapshot!(format!("import-{name}-report"), report);
        let markdownlint = repo_root().join(".tools/node_modules/.bin/markdownlint");
        assert!(markdownlint.exists(), "markdownlint is not installed: run `scripts/install-test-tools` (CI does)");
        let lint = std::process::Command::new(&markdownlint).arg(out.join("import-report.md")).output().unwrap();
        assert!(lint.status.success(), "{name}: markdownlint:\n{}", String::from_utf8_lossy(&lint.stderr));
        insta::assert_snapshot!(format!("import-{name}-plan"), plan_text(&out));

        let (code, stdout, _) = run(&["check".as_ref(), out.as_os_str(), "--color=never".as_ref()]);
        assert_eq!(code, Some(0), "{name}: the imported workspace does not check:\n{stdout}");

        let built = temp(&format!("{name}-built"));
        let (code, stdout, stderr) = run(&[
            "build".as_ref(),
            out.as_os_str(),
            "--out".as_ref(),
            built.as_os_str(),
            "--target".as_ref(),
            "terraform".as_ref(),
        ]);
        assert_eq!(code, Some(0), "{name}: {stdout}{stderr}");
        let terraform = built.join("default/terraform");
        for (r#type, resource, path, value) in &expected {
            assert_eq!(
                built_value(&terraform, r#type, resource, path).as_deref(),
                Some(value.as_str()),
                "{name}: {type}.{resource}.{path}"
            );
        }
        for entry in std::fs::read_dir(&terraform).unwrap() {
            let file = entry.unwrap().path();
            if file.extension().is_some_and(|it| it == "tf") {
                let problems =
                    schemas.check_file(&file.display().to_string(), &std::fs::read_to_string(&file).unwrap());
                assert!(problems.is_empty(), "{name}: {problems:#?}");
            }
        }
        let _ = std::fs::remove_dir_all(&out);
        let _ = std::fs::remove_dir_all(&built);
    }
}

#[test]
fn a_file_that_does_not_parse_is_reported_with_its_line_and_the_others_are_imported() {
    let out = temp("broken");
    let (code, stderr) = import(&fixture("broken"), &out);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("bad.tf: line 3, column"), "{stderr}");
    let text = plan_text(&out);
    assert!(text.contains("bucket logs"), "{text}");
    // Nothing of the broken file, not even its well-formed second resource.
    assert!(!text.contains("never"), "{text}");
    let report = std::fs::read_to_string(out.join("import-report.md")).unwrap();
    assert!(report.contains("## Files not imported") && report.contains("bad.tf: line 3"), "{report}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn nothing_is_written_when_no_file_parses_or_the_output_is_not_empty() {
    let input = temp("deep-input");
    std::fs::create_dir_all(&input).unwrap();
    let deep = format!("locals {{\n  x = {}{}\n}}\n", "[".repeat(50_000), "]".repeat(50_000));
    std::fs::write(input.join("deep.tf"), deep).unwrap();
    let out = temp("deep-out");
    let (code, stderr) = import(&input, &out);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("nest deeper than"), "{stderr}");
    assert!(!out.exists(), "nothing may be written when no file parses");

    let taken = temp("taken");
    std::fs::create_dir_all(&taken).unwrap();
    std::fs::write(taken.join("keep.txt"), "mine").unwrap();
    let (code, stderr) = import(&fixture("aws-eks-platform"), &taken);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(std::fs::read_dir(&taken).unwrap().count(), 1);
    assert_eq!(std::fs::read_to_string(taken.join("keep.txt")).unwrap(), "mine");
    let _ = std::fs::remove_dir_all(&input);
    let _ = std::fs::remove_dir_all(&taken);
}

#[test]
fn unknown_resource_types_are_never_dropped() {
    let input = temp("unknown-input");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(
        input.join("main.tf"),
        "provider \"aws\" { region = \"us-east-1\" }\n\
         resource \"aws_made_up_thing\" \"x\" { size = 3 }\n\
         resource \"helm_release\" \"ingress\" { name = \"ingress\" }\n",
    )
    .unwrap();
    let out = temp("unknown-out");
    let (code, stderr) = import(&input, &out);
    assert_eq!(code, Some(0), "{stderr}");
    let text = plan_text(&out);
    assert!(text.contains("type = \"aws_made_up_thing\"") && text.contains("size = 3"), "{text}");
    assert!(text.contains("type = \"helm_release\""), "{text}");
    let report = std::fs::read_to_string(out.join("import-report.md")).unwrap();
    assert!(report.contains("`helm_release.ingress`") && report.contains("another provider"), "{report}");
    // And `planc check` says what is wrong with them, on their spans.
    let (code, stdout, _) = run(&["check".as_ref(), out.as_os_str()]);
    assert_eq!(code, Some(1));
    assert!(stdout.contains("aws_made_up_thing") && stdout.contains("helm_release"), "{stdout}");
    let _ = std::fs::remove_dir_all(&input);
    let _ = std::fs::remove_dir_all(&out);
}

/// The blocks of a kind in a Plan text, by name, with their attribute lines.
fn blocks<'a>(text: &'a str, kind: &str) -> Vec<(&'a str, &'a str)> {
    let mut found = Vec::new();
    let mut rest = text;
    let opener = format!("\n{kind} ");
    while let Some(at) = rest.find(&opener) {
        let start = at + opener.len();
        let name_end = rest[start..].find(' ').map_or(rest.len(), |it| start + it);
        let end = rest[start..].find("\n}\n").map_or(rest.len(), |it| start + it);
        found.push((&rest[start..name_end], &rest[start..end]));
        rest = &rest[end..];
    }
    found
}

/// Every example's built Terraform imports back: each database, cache, cluster and bucket it
/// has comes back as a block of the same kind and name, with the same tier or version; the
/// imported workspace parses and resolves (its errors are values the report lists).
#[test]
fn examples_built_terraform_imports_back_to_the_same_blocks() {
    for example in ["shop", "payments-azure", "events-gcp"] {
        let built = temp(&format!("{example}-built"));
        let (code, stdout, stderr) = run(&[
            "build".as_ref(),
            repo_root().join("examples").join(example).as_os_str(),
            "--out".as_ref(),
            built.as_os_str(),
            "--target".as_ref(),
            "terraform".as_ref(),
        ]);
        assert_eq!(code, Some(0), "{example}: {stdout}{stderr}");
        let env = std::fs::read_dir(&built)
            .unwrap()
            .map(|it| it.unwrap().path())
            .filter(|it| it.join("terraform").is_dir())
            .max()
            .unwrap();
        let out = temp(&format!("{example}-imported"));
        let (code, stderr) = import(&env.join("terraform"), &out);
        assert_eq!(code, Some(0), "{example}: {stderr}");
        let imported = plan_text(&out);

        let source: String = plan_files(&repo_root().join("examples").join(example))
            .iter()
            .map(|it| std::fs::read_to_string(it).unwrap())
            .collect::<Vec<_>>()
            .join("\n");
        let source = format!("\n{source}");
        let mut compared = 0;
        for kind in ["database", "cache", "cluster", "bucket"] {
            let back = blocks(&imported, kind);
            for (name, body) in blocks(&source, kind) {
                let tf_name = name.replace('-', "_");
                let Some((_, imported_body)) = back.iter().find(|(it, _)| *it == tf_name) else {
                    panic!("{example}: {kind} {name} did not come back as `{kind} {tf_name}`:\n{imported}");
                };
                for key in ["tier", "version", "engine"] {
                    let written = body.lines().find(|it| it.trim_start().starts_with(&format!("{key} ")));
                    let Some(written) = written else { continue };
                    let value = written.split_once('=').unwrap().1.split_whitespace().next().unwrap();
                    assert!(
                        imported_body.contains(&format!("{key} ")) && imported_body.contains(value),
                        "{example}: {kind} {name} `{key}` should be {value}:\n{imported_body}"
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared >= 3, "{example}: only {compared} values compared");

        // The imported text parses and every name in it resolves.
        let checked = check_dir(&out);
        let unresolved: Vec<&str> = checked
            .diagnostics
            .iter()
            .filter(|it| it.code.starts_with('P') && it.severity == planc::diagnostics::Severity::Error)
            .map(|it| it.code)
            .collect();
        assert!(unresolved.is_empty(), "{example}: {}", checked.rendered());
        let _ = std::fs::remove_dir_all(&built);
        let _ = std::fs::remove_dir_all(&out);
    }
}

/// Plan reads 64 levels of brackets and blocks; a Terraform block or value nested almost that
/// deep sits two levels further down in Plan (the block and its `terraform { }`). Found by the
/// import fuzz target: 63 nested blocks were written and did not parse.
#[test]
fn blocks_and_values_too_deep_for_plan_are_reported_and_the_rest_is_written() {
    let nested_blocks = |depth: usize| format!("{}x = 1\n{}", "b {\n".repeat(depth), "}\n".repeat(depth));
    let nested_value = |depth: usize| format!("{}1{}", "{ a = ".repeat(depth), " }".repeat(depth));
    for (depth, reported) in [(20, false), (21, true), (63, true)] {
        let text = format!("resource \"aws_sqs_queue\" \"q\" {{\n  name = \"q\"\n{}}}\n", nested_blocks(depth));
        let imported = planc::import::import_texts(&[("main.tf".into(), text)]);
        let plan = imported.files.values().cloned().collect::<String>();
        assert!(planc::syntax::parse(&plan).errors.is_empty(), "{depth} blocks:\n{plan}");
        let said = imported.attention.iter().any(|it| it.contains("blocks nest deeper than the 20 levels"));
        assert_eq!(said, reported, "{depth} blocks: {:?}", imported.attention);
        assert!(plan.contains("name = \"q\""), "the rest of the resource is written:\n{plan}");
    }
    for (depth, reported) in [(40, false), (41, true), (63, true)] {
        let text =
            format!("resource \"aws_sqs_queue\" \"q\" {{\n  name = \"q\"\n  tags = {}\n}}\n", nested_value(depth));
        let imported = planc::import::import_texts(&[("main.tf".into(), text)]);
        let plan = imported.files.values().cloned().collect::<String>();
        assert!(planc::syntax::parse(&plan).errors.is_empty(), "a value {depth} deep:\n{plan}");
        let said = imported.attention.iter().any(|it| it.contains(&format!("nests {depth} levels")));
        assert_eq!(said, reported, "a value {depth} deep: {:?}", imported.attention);
    }
}

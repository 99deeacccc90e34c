//! Completion: kinds, attributes, values, references, environments, units, catalog classes and
//! a block's outputs, from the cursor's context.

use planc::ast::{self, AstNode};
use planc::catalog::{Catalog, Placement, Ty};
use planc::db::{file_ir, parse, workspace_index, Database, SourceFile, Workspace};
use planc::syntax::{SyntaxKind, SyntaxNode, TextSize};

use crate::target::{attr_at, is_kind_block, schema_kind, schema_path};

/// A completion candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: String,
    /// A snippet (LSP syntax with `$1` tab stops), when the insertion is not the label.
    pub snippet: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Kind,
    Attribute,
    Value,
    Reference,
    Env,
    Unit,
}

/// What can be typed at `offset`.
pub fn completions(db: &Database, workspace: Workspace, file: SourceFile, offset: TextSize) -> Vec<Completion> {
    let text = file.text(db).to_string();
    let mut offset_usize = usize::from(offset).min(text.len());
    while !text.is_char_boundary(offset_usize) {
        offset_usize -= 1;
    }
    let before = &text[..offset_usize];
    let catalog = Catalog::builtin();

    // Right after a number: units. The word starts after the last character that is not part
    // of one, which may be several bytes long.
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, ch)| !(ch.is_ascii_alphanumeric() || *ch == '_' || *ch == '-' || *ch == '.' || *ch == '%'))
        .map_or(0, |(index, ch)| index + ch.len_utf8());
    let word = &before[word_start..];
    if word.chars().next().is_some_and(|ch| ch.is_ascii_digit()) {
        return ["m", "Mi", "Gi", "Ti", "MB", "GB", "TB", "ms", "s", "min", "h", "d", "%"]
            .iter()
            .map(|unit| Completion {
                label: format!("{}{unit}", word.trim_end_matches(|ch: char| ch.is_ascii_alphabetic() || ch == '%')),
                kind: CompletionKind::Unit,
                detail: unit_detail(unit).into(),
                snippet: None,
            })
            .collect();
    }

    let root = parse(db, file).syntax();
    let probe = TextSize::from(word_start as u32);
    let token = root.token_at_offset(probe).left_biased();
    let node = token.as_ref().and_then(|it| it.parent()).unwrap_or(root.clone());
    let block = enclosing_block_at(&root, probe);
    let line = before.rsplit('\n').next().unwrap_or("");
    let before_word = &line[..line.len() - word.len()];
    let after_eq = before_word.trim_end().ends_with('=');

    // Inside `size = "…"` or `tier = "…"`: the classes of the block's cloud.
    if let Some(key) = before_word.strip_suffix('"').map(str::trim_end).and_then(|it| it.strip_suffix('=')) {
        let key = key.trim_end().rsplit(|ch: char| ch.is_whitespace() || ch == '{').next().unwrap_or("");
        if let Some(block) = &block {
            return class_completions(db, workspace, block, key);
        }
    }
    // After `name.`: the outputs and nested blocks of the block it names.
    if let Some((name, _)) = word.rsplit_once('.') {
        if !name.contains('.') && !after_eq_context_is_number(word) {
            let found = output_completions(db, workspace, name);
            if !found.is_empty() {
                return found;
            }
        }
    }

    if after_eq {
        // A value: find the attribute being set.
        let key = line[..line.len() - word.len()]
            .trim_end()
            .trim_end_matches('=')
            .trim_end()
            .rsplit(|ch: char| ch.is_whitespace() || ch == '{')
            .next()
            .unwrap_or("")
            .to_string();
        let ty = block.as_ref().and_then(schema_path).and_then(|(kind, mut path)| {
            path.push(key.clone());
            attr_at(&kind, &path).map(|it| it.ty.clone())
        });
        return value_completions(db, workspace, ty.as_ref(), block.as_ref());
    }

    let _ = node;
    match block {
        None => catalog
            .kinds()
            .filter(|it| it.placement != Placement::Nested)
            .map(|schema| Completion {
                label: schema.kind.clone(),
                kind: CompletionKind::Kind,
                detail: schema.summary.clone(),
                snippet: Some(block_snippet(schema)),
            })
            .collect(),
        Some(block) => {
            let Some((kind, path)) = schema_path(&block) else { return Vec::new() };
            if !path.is_empty() {
                if attr_at(&kind, &path[..1]).is_some_and(|it| it.ty == Ty::Hcl) {
                    return terraform_completions(db, workspace, file, &block, &kind, &path);
                }
                return field_completions(&block, &kind, &path);
            }
            let Some(schema) = catalog.kind(&kind) else { return Vec::new() };
            let set = set_names(&block);
            let mut out: Vec<Completion> = schema
                .attr_names()
                .into_iter()
                .filter(|name| !set.iter().any(|it| it == name))
                .filter_map(|name| schema.attr(name))
                .map(|attr| Completion {
                    label: attr.name.clone(),
                    kind: CompletionKind::Attribute,
                    detail: format!("{}{}", attr.ty, if attr.required { " (required)" } else { "" }),
                    snippet: Some(match attr.ty {
                        Ty::Object | Ty::Map(_) => format!("{} {{ $1 }}", attr.name),
                        _ => format!("{} = $1", attr.name),
                    }),
                })
                .collect();
            for nested in catalog.kinds().filter(|it| it.placement == Placement::Nested && it.parents.contains(&kind)) {
                out.push(Completion {
                    label: nested.kind.clone(),
                    kind: CompletionKind::Kind,
                    detail: nested.summary.clone(),
                    snippet: Some(block_snippet(nested)),
                });
            }
            if schema.resource {
                for env in planc::db::workspace_envs(db, workspace) {
                    out.push(Completion {
                        label: format!("env {env}"),
                        kind: CompletionKind::Env,
                        detail: format!("override for environment `{env}`"),
                        snippet: Some(format!("env {env} {{ $1 }}")),
                    });
                }
            }
            out
        }
    }
}

/// Inside `terraform { }` or a raw resource's `args { }`: the arguments and blocks the
/// provider's schema gives the resource there (the block's main resource, or the raw `type`),
/// at the nesting of `path` after its first element.
fn terraform_completions(
    db: &Database,
    workspace: Workspace,
    file: SourceFile,
    block: &ast::Block,
    kind: &str,
    path: &[String],
) -> Vec<Completion> {
    use planc::catalog::provider_schema::{self as schema, Field};
    // The kind block the cursor is in, by its name, in the first environment.
    let mut owner = Some(block.clone());
    while let Some(current) = owner.clone() {
        if is_kind_block(&current) {
            break;
        }
        owner = current.syntax().parent().and_then(|body| body.parent()).and_then(ast::Block::cast);
    }
    let Some(name) = owner.and_then(|it| it.label()).and_then(|it| it.name()) else { return Vec::new() };
    let ir = &file_ir(db, file).value;
    let Some(ir_block) = ir.blocks.iter().find(|it| it.name.as_deref() == Some(name.as_str())) else {
        return Vec::new();
    };
    let facts = planc::db::plan_facts(db, workspace);
    let Some(env) = facts.envs.first() else { return Vec::new() };
    let attrs = ir_block.env_attrs(&env.name);
    let cloud = facts.cloud_of(&attrs, env).unwrap_or_else(|| "aws".into());
    let resource_type = match kind {
        "terraform" => attrs.get("type").and_then(|it| it.as_str()).map(String::from),
        _ => Catalog::builtin()
            .main_resource(kind, &cloud, |condition| planc::deploy::holds(kind, &attrs, condition))
            .map(String::from),
    };
    let Some(resource_type) = resource_type else { return Vec::new() };
    let Some(mut node) = schema::provider_of(&resource_type).and_then(|it| it.resource(&resource_type)) else {
        return Vec::new();
    };
    for name in &path[1..] {
        match schema::field(node, name) {
            Field::Block { node: inner, .. } => node = inner,
            _ => return Vec::new(),
        }
    }
    let set = set_names(block);
    let mut names: Vec<&str> = schema::settable_names(node).filter(|it| !set.iter().any(|set| set == it)).collect();
    names.sort_unstable();
    names
        .into_iter()
        .map(|name| {
            let is_block = matches!(schema::field(node, name), Field::Block { .. });
            Completion {
                label: name.to_string(),
                kind: CompletionKind::Attribute,
                detail: format!("{} of {resource_type}", if is_block { "block" } else { "argument" }),
                snippet: Some(if is_block { format!("{name} {{ $1 }}") } else { format!("{name} = $1") }),
            }
        })
        .collect()
}

/// The attributes and blocks a block body sets already, by name.
fn set_names(block: &ast::Block) -> Vec<String> {
    block
        .items()
        .filter_map(|item| match item {
            ast::Item::Attribute(attribute) => attribute.key().and_then(|it| it.name()),
            ast::Item::Block(inner) => inner.kind_token().map(|it| it.text().to_string()),
        })
        .collect()
}

/// The fields of the object attribute at `path` not set yet in `block`; a Terraform body
/// (`terraform { }`) completes nothing here, as its names come from the provider's schema.
fn field_completions(block: &ast::Block, kind: &str, path: &[String]) -> Vec<Completion> {
    let Some(attr) = attr_at(kind, path) else { return Vec::new() };
    let set = set_names(block);
    attr.fields
        .iter()
        .filter(|field| !set.contains(&field.name))
        .map(|field| Completion {
            label: field.name.clone(),
            kind: CompletionKind::Attribute,
            detail: format!("{}{}", field.ty, if field.required { " (required)" } else { "" }),
            snippet: Some(match field.ty {
                Ty::Object => format!("{} {{ $1 }}", field.name),
                _ => format!("{} = $1", field.name),
            }),
        })
        .collect()
}

/// `1.5` is a number being typed, not `name.` followed by a field.
fn after_eq_context_is_number(word: &str) -> bool {
    word.chars().next().is_some_and(|ch| ch.is_ascii_digit())
}

/// The machine classes (`size`) or tiers (`tier`) the block's cloud offers, with vCPU, memory
/// and monthly price.
fn class_completions(db: &Database, workspace: Workspace, block: &ast::Block, key: &str) -> Vec<Completion> {
    let Some(kind) = schema_kind(block) else { return Vec::new() };
    let attr_text = |name: &str| -> Option<String> {
        block.items().find_map(|item| match item {
            ast::Item::Attribute(attribute) if attribute.key().and_then(|it| it.name()).as_deref() == Some(name) => {
                Some(attribute.value()?.syntax().text().to_string().trim_matches('"').to_string())
            }
            _ => None,
        })
    };
    let table: Vec<String> = match (kind.as_str(), key) {
        ("vm" | "node_pool", "size") => vec!["compute".into()],
        ("database", "tier") => match attr_text("engine").as_deref() {
            Some("mongodb") => vec!["document_database".into()],
            Some(engine) => vec!["database".into(), engine.into()],
            None => return Vec::new(),
        },
        ("cache", "tier") => vec!["cache".into(), attr_text("engine").unwrap_or_else(|| "redis".into())],
        _ => return Vec::new(),
    };
    let facts = planc::db::plan_facts(db, workspace);
    let Some(cloud) = attr_text("cloud").or_else(|| facts.cloud.clone()) else { return Vec::new() };
    let Some(prices) = planc::catalog::pricing::PriceBook::builtin().cloud(&cloud) else { return Vec::new() };
    let path: Vec<&str> = table.iter().map(String::as_str).collect();
    prices
        .class_names(&path)
        .into_iter()
        .filter_map(|name| {
            let class = prices.class(&path, name)?;
            let mut detail = Vec::new();
            if let Some(vcpu) = class.vcpu {
                detail.push(format!("{vcpu} vCPU"));
            }
            if let Some(memory) = class.memory_gib {
                detail.push(format!("{memory} GiB"));
            }
            if let Some(arch) = &class.arch {
                detail.push(arch.clone());
            }
            detail.push(format!("{}/mo on {cloud}", class.hourly.monthly_from_hourly()));
            Some(Completion {
                label: name.to_string(),
                kind: CompletionKind::Value,
                detail: detail.join(", "),
                snippet: None,
            })
        })
        .collect()
}

/// After `name.`: the outputs of the block `name` declares, and its nested blocks. Labels are
/// the part after the dot, which editors take as the word being completed.
fn output_completions(db: &Database, workspace: Workspace, name: &str) -> Vec<Completion> {
    let index = workspace_index(db, workspace);
    let Some(declaration) = index.lookup(name) else { return Vec::new() };
    let Some(schema) = Catalog::builtin().kind(&declaration.kind) else { return Vec::new() };
    let mut out: Vec<Completion> = schema
        .outputs
        .iter()
        .map(|output| Completion {
            label: output.name.clone(),
            kind: CompletionKind::Reference,
            detail: format!("{} output of {} `{name}`: {}", output.ty, declaration.kind, output.doc),
            snippet: None,
        })
        .collect();
    let block = file_ir(db, declaration.file).value.blocks.iter().find(|it| it.name.as_deref() == Some(name));
    // A raw resource: every attribute of its type, computed ones included.
    let raw_type =
        block.filter(|it| it.kind == "terraform").and_then(|it| it.attr("type")).and_then(|it| it.value.as_str());
    if let Some(node) = raw_type.and_then(|it| planc::catalog::provider_schema::provider_of(it)?.resource(it)) {
        let attributes = node
            .as_object()
            .into_iter()
            .flat_map(|it| it.iter())
            .filter(|(key, value)| key.as_str() != "_" && value.is_string());
        for (attribute, _) in attributes {
            out.push(Completion {
                label: attribute.clone(),
                kind: CompletionKind::Reference,
                detail: format!("attribute of {} `{name}`", raw_type.unwrap_or_default()),
                snippet: None,
            });
        }
    }
    if let Some(block) = block {
        for child in &block.children {
            if let Some(child_name) = &child.name {
                out.push(Completion {
                    label: child_name.clone(),
                    kind: CompletionKind::Reference,
                    detail: format!("{} in {} `{name}`", child.kind, declaration.kind),
                    snippet: None,
                });
            }
        }
    }
    out
}

fn unit_detail(unit: &str) -> &'static str {
    match unit {
        "m" => "millicores (cpu)",
        "Mi" | "Gi" | "Ti" => "binary size",
        "MB" | "GB" | "TB" => "decimal size",
        "ms" | "s" | "min" | "h" | "d" => "duration",
        _ => "percent",
    }
}

fn enclosing_block_at(root: &SyntaxNode, offset: TextSize) -> Option<ast::Block> {
    let token = root.token_at_offset(offset).left_biased()?;
    let body = token.parent_ancestors().find(|it| it.kind() == SyntaxKind::BLOCK_BODY)?;
    // Inside the braces only.
    let brace = ast::BlockBody::cast(body.clone())?.l_brace()?;
    if offset <= brace.text_range().start() {
        return body.parent()?.parent().and_then(|it| it.ancestors().find_map(ast::Block::cast));
    }
    ast::Block::cast(body.parent()?)
}

fn block_snippet(schema: &planc::catalog::KindSchema) -> String {
    let mut lines = Vec::new();
    let mut stop = 2;
    for attr in schema.attrs.iter().filter(|it| it.required) {
        let placeholder = attr
            .example
            .split_once('=')
            .map(|it| it.1.trim().to_string())
            .unwrap_or_default()
            .replace('$', "\\$")
            .replace('}', "\\}");
        lines.push(format!("  {} = ${{{stop}:{placeholder}}}", attr.name));
        stop += 1;
    }
    let name = if schema.is_named() { " ${1:name}" } else { "" };
    if lines.is_empty() {
        format!("{}{name} {{\n  $0\n}}", schema.kind)
    } else {
        format!("{}{name} {{\n{}\n}}", schema.kind, lines.join("\n"))
    }
}

fn value_completions(
    db: &Database,
    workspace: Workspace,
    ty: Option<&Ty>,
    block: Option<&ast::Block>,
) -> Vec<Completion> {
    let mut out = Vec::new();
    let index = workspace_index(db, workspace);
    let add_type = |ty: &Ty, out: &mut Vec<Completion>| match ty {
        Ty::Enum(values) => out.extend(values.iter().map(|value| Completion {
            label: value.clone(),
            kind: CompletionKind::Value,
            detail: "value".into(),
            snippet: None,
        })),
        Ty::Bool => out.extend(["true", "false"].iter().map(|value| Completion {
            label: value.to_string(),
            kind: CompletionKind::Value,
            detail: "bool".into(),
            snippet: None,
        })),
        Ty::Ref(kinds) => {
            let mut names: Vec<(&String, &str)> = index
                .names
                .iter()
                .filter_map(|(name, declarations)| {
                    let kind = declarations.first()?.kind.as_str();
                    (kinds.is_empty() || kinds.iter().any(|it| it == kind)).then_some((name, kind))
                })
                .collect();
            names.sort();
            out.extend(names.into_iter().map(|(name, kind)| Completion {
                label: name.clone(),
                kind: if kind == "env" { CompletionKind::Env } else { CompletionKind::Reference },
                detail: kind.to_string(),
                snippet: None,
            }));
            if kinds.iter().any(|it| it == "option") {
                if let Some(block) = block {
                    for item in block.items() {
                        if let ast::Item::Block(inner) = item {
                            if inner.kind_token().is_some_and(|it| it.text() == "option") {
                                if let Some(name) = inner.label().and_then(|it| it.name()) {
                                    out.push(Completion {
                                        label: name,
                                        kind: CompletionKind::Reference,
                                        detail: "option".into(),
                                        snippet: None,
                                    });
                                }
                            }
                        }
                    }
                }
            }
        }
        Ty::Name => out.extend(watched_metrics(index, block)),
        Ty::Secret => out.push(Completion {
            label: "secret(\"\")".into(),
            kind: CompletionKind::Value,
            detail: "a secret kept out of every output".into(),
            snippet: Some("secret(\"$1\")".into()),
        }),
        _ => {}
    };
    match ty {
        Some(Ty::Union(options)) => {
            for option in options {
                add_type(option, &mut out);
            }
        }
        Some(Ty::List(inner) | Ty::Range(inner)) => add_type(inner, &mut out),
        Some(Ty::Map(inner)) => match &**inner {
            Ty::Union(options) => {
                for option in options {
                    add_type(option, &mut out);
                }
            }
            other => add_type(other, &mut out),
        },
        Some(ty) => add_type(ty, &mut out),
        None => {}
    }
    out
}

/// The metrics of the block an alert's `on` names, for `metric = `.
fn watched_metrics(index: &planc::db::Index, block: Option<&ast::Block>) -> Vec<Completion> {
    let target = block.and_then(|block| {
        block.items().find_map(|item| match item {
            ast::Item::Attribute(attr) if attr.key().and_then(|it| it.name()).as_deref() == Some("on") => {
                match attr.value()? {
                    ast::Expr::NameRef(name) => name.name(),
                    _ => None,
                }
            }
            _ => None,
        })
    });
    let Some(kind) = target.and_then(|name| index.lookup(&name)).and_then(|it| Catalog::builtin().kind(&it.kind))
    else {
        return Vec::new();
    };
    kind.metrics
        .iter()
        .map(|metric| {
            let clouds: Vec<&str> = metric.clouds.keys().map(String::as_str).collect();
            let source = if metric.prometheus.is_some() { "Prometheus".to_string() } else { clouds.join(", ") };
            Completion {
                label: metric.name.clone(),
                kind: CompletionKind::Value,
                detail: format!("{}: {} ({source})", kind.kind, metric.unit.describe()),
                snippet: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::fixture::with_cursor;

    fn labels(fixture: &str) -> Vec<String> {
        let (analysis, file, offset) = with_cursor(fixture);
        analysis.completions(file, offset).unwrap().into_iter().map(|it| it.label).collect()
    }

    #[test]
    fn a_top_level_line_completes_kinds() {
        let found = labels("bucket assets {}\n$0\n");
        for kind in ["service", "database", "cluster", "bucket", "env"] {
            assert!(found.iter().any(|it| it == kind), "{kind} missing from {found:?}");
        }
    }

    #[test]
    fn a_block_body_completes_the_attributes_it_does_not_have_yet() {
        let found = labels("bucket assets {\n  versioning = true\n  $0\n}\n");
        assert!(found.iter().any(|it| it == "lifecycle"), "{found:?}");
        assert!(!found.iter().any(|it| it == "versioning"), "{found:?}");
    }

    #[test]
    fn a_size_completes_the_classes_of_the_block_s_cloud_with_their_shape_and_price() {
        let (analysis, file, offset) = with_cursor(
            r#"
            plan shop {
              cloud  = aws
              region = "us-east-1"
            }
            vm bastion {
              size = "$0"
            }
            "#,
        );
        let found = analysis.completions(file, offset).unwrap();
        let m5 = found.iter().find(|it| it.label == "m5.xlarge").expect("m5.xlarge is offered");
        insta::assert_snapshot!(m5.detail, @"4 vCPU, 16 GiB, x86_64, $140.16/mo on aws");
        assert!(!found.iter().any(|it| it.label.starts_with("Standard_")), "no Azure size on AWS");
    }

    #[test]
    fn after_a_name_and_a_dot_completes_the_block_s_outputs() {
        let found = labels(
            r#"
            database orders {
              engine = postgres
            }
            service api {
              env { DB = orders.$0 }
            }
            "#,
        );
        assert!(found.iter().any(|it| it == "host"), "{found:?}");
    }
}

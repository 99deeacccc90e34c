//! CAT510 `invalid-terraform`: a `terraform { }` override or a raw `terraform NAME { }`
//! resource that the pinned provider's schema does not accept: an unknown resource type,
//! argument or block (with the nearest names), an argument the provider only computes, an
//! argument written as a block or the other way round, a block that may appear once written
//! twice, a missing required argument of a raw resource, or a value Terraform cannot be given.

use super::*;
use crate::catalog::provider_schema::{self as schema, Field};
use crate::diagnostics::did_you_mean;
use crate::ir::{MapEntry, Value, ValueKind};

pub static RULE: Rule = Rule { code: "CAT510", check: Check::PerEnv(RESOURCE_AND_WORKLOAD_KINDS, check) };

/// Terraform's `lifecycle` block, which any resource takes.
const LIFECYCLE: &[&str] = &["create_before_destroy", "prevent_destroy", "ignore_changes", "replace_triggered_by"];

struct Checker<'a, 'b> {
    ctx: &'a RuleCtx<'b>,
    acc: &'a mut Vec<Diagnostic>,
    /// What the body belongs to, for messages: `aws_db_instance` (from database `orders`).
    what: String,
}

impl Checker<'_, '_> {
    fn report(&mut self, range: TextRange, message: String, label: &str, help: String) {
        self.acc.push(diagnostic("CAT510", message, self.ctx.path, range).label(label.to_string()).help(help));
    }

    /// One body against its schema node; `raw` also requires the node's required names.
    fn body(&mut self, entries: &[MapEntry], node: &serde_json::Value, range: TextRange, path: &str, raw: bool) {
        for entry in entries {
            let name = entry.key.as_str();
            let at = if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
            let is_block = matches!(entry.value.kind, ValueKind::Body(_));
            if path.is_empty() && schema::META_ARGUMENTS.contains(&name) {
                let help = match name {
                    "depends_on" => "use the block's own `depends_on = [..]`, which takes Plan names".to_string(),
                    _ => format!("planc writes `{name}` itself; a block exists once per environment in `envs`"),
                };
                self.report(
                    entry.key_range,
                    format!("`{name}` is a Terraform meta-argument planc sets"),
                    "not settable here",
                    help,
                );
                continue;
            }
            if path.is_empty() && schema::META_BLOCKS.contains(&name) {
                self.lifecycle(entry);
                continue;
            }
            match schema::field(node, name) {
                Field::Argument { computed_only: true, .. } => self.report(
                    entry.key_range,
                    format!("`{at}` of {} is set by the provider and cannot be written", self.what),
                    "computed only",
                    "remove it; read it from the resource instead".into(),
                ),
                Field::Argument { .. } if is_block => self.report(
                    entry.key_range,
                    format!("`{at}` of {} is an argument, not a block", self.what),
                    "written as a block",
                    format!("write `{name} = ...`"),
                ),
                Field::Argument { .. } => self.value(&entry.value),
                Field::Block { node: inner, once, .. } => {
                    let ValueKind::Body(children) = &entry.value.kind else {
                        self.report(
                            entry.key_range,
                            format!("`{at}` of {} is a nested block, not an argument", self.what),
                            "written as an argument",
                            format!("write it as a block: `{name} {{ ... }}`"),
                        );
                        continue;
                    };
                    let count = entries.iter().filter(|it| it.key == name).count();
                    let first = entries.iter().find(|it| it.key == name).is_some_and(|it| std::ptr::eq(it, entry));
                    if once && count > 1 && !first {
                        self.report(
                            entry.key_range,
                            format!("`{at}` may appear once in {}", self.what),
                            "a second block",
                            format!("merge the `{name}` blocks into one"),
                        );
                    }
                    if !schema::is_open(inner) {
                        self.body(children, inner, entry.value.range, &at, raw);
                    }
                }
                Field::Unknown => {
                    let names: Vec<&str> = schema::settable_names(node).collect();
                    let help = match did_you_mean(name, names.iter().copied()) {
                        Some(nearest) => format!("did you mean `{nearest}`?"),
                        None => {
                            let mut sorted = names.clone();
                            sorted.sort_unstable();
                            let shown: Vec<String> = sorted.iter().take(12).map(|it| format!("`{it}`")).collect();
                            let more = if sorted.len() > 12 {
                                format!(" and {} more", sorted.len() - 12)
                            } else {
                                String::new()
                            };
                            format!("{} takes {}{more}", self.what, shown.join(", "))
                        }
                    };
                    self.report(
                        entry.key_range,
                        format!("{} has no argument or block `{at}`", self.what),
                        "unknown to the provider",
                        help,
                    );
                }
            }
        }
        if raw {
            let missing: Vec<String> = schema::required_names(node)
                .into_iter()
                .filter(|name| !entries.iter().any(|it| it.key == *name))
                .map(|name| format!("`{name}`"))
                .collect();
            if !missing.is_empty() {
                let where_ = if path.is_empty() { String::new() } else { format!(" in `{path}`") };
                self.report(
                    range,
                    format!("{} requires {}{where_}", self.what, missing.join(", ")),
                    "required arguments missing",
                    "set them; the provider rejects the resource without them".into(),
                );
            }
        }
    }

    fn lifecycle(&mut self, entry: &MapEntry) {
        let ValueKind::Body(children) = &entry.value.kind else {
            self.report(
                entry.key_range,
                "`lifecycle` is a block".into(),
                "written as an argument",
                "write `lifecycle { ... }`".into(),
            );
            return;
        };
        for child in children {
            if !LIFECYCLE.contains(&child.key.as_str()) {
                let help = match did_you_mean(&child.key, LIFECYCLE.iter().copied()) {
                    Some(nearest) => format!("did you mean `{nearest}`?"),
                    None => format!(
                        "`lifecycle` takes {}",
                        LIFECYCLE.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(", ")
                    ),
                };
                self.report(child.key_range, format!("`lifecycle` has no argument `{}`", child.key), "unknown", help);
            }
        }
    }

    /// A value must become a Terraform expression: a Plan reference must name an output, or
    /// an attribute of a raw resource's type.
    fn value(&mut self, value: &Value) {
        value.for_each_ref(&mut |reference| {
            let declared = self.ctx.index.lookup(&reference.name);
            if let Some(declaration) = declared.filter(|it| it.kind == "terraform") {
                self.raw_reference(reference, declaration.file);
                return;
            }
            let outputs: Vec<String> = declared
                .and_then(|it| crate::catalog::Catalog::builtin().kind(&it.kind))
                .map(|kind| kind.outputs.iter().map(|it| format!("`{}.{}`", reference.name, it.name)).collect())
                .unwrap_or_default();
            let is_output = reference.field.as_ref().is_some_and(|(field, _)| {
                outputs.iter().any(|it| it.trim_matches('`').ends_with(&format!(".{field}")))
            });
            if declared.is_some() && !is_output {
                let help = if outputs.is_empty() {
                    format!("`{}` has no outputs; write the value itself", reference.name)
                } else {
                    format!("refer to an output: {}", outputs.join(", "))
                };
                self.acc.push(
                    diagnostic(
                        "CAT510",
                        format!("`{}` is a block, not a value Terraform can take", reference.name),
                        self.ctx.path,
                        reference.name_range,
                    )
                    .label("not an output")
                    .help(help),
                );
            }
        });
    }
}

impl Checker<'_, '_> {
    /// `name.attr` of a raw `terraform name { type = T }`: `attr` must be one of T's
    /// attributes, arguments and computed ones alike.
    fn raw_reference(&mut self, reference: &crate::ir::Ref, file: crate::db::SourceFile) {
        let Some((field, field_range)) = &reference.field else {
            self.acc.push(
                diagnostic(
                    "CAT510",
                    format!("`{}` is a raw resource, not a value Terraform can take", reference.name),
                    self.ctx.path,
                    reference.name_range,
                )
                .label("a whole resource")
                .help(format!("refer to one of its attributes, e.g. `{}.id`", reference.name)),
            );
            return;
        };
        let ir = crate::db::file_ir(self.ctx.db, file);
        let raw_type = ir
            .value
            .blocks
            .iter()
            .find(|it| it.kind == "terraform" && it.name.as_deref() == Some(reference.name.as_str()))
            .and_then(|it| it.attr("type"))
            .and_then(|it| it.value.as_str().map(str::to_string));
        // A missing or unknown type is reported on the raw block itself.
        let Some(node) = raw_type.as_deref().and_then(|it| schema::provider_of(it)?.resource(it)) else { return };
        if !matches!(schema::field(node, field), Field::Argument { .. }) {
            let names: Vec<&str> = node
                .as_object()
                .into_iter()
                .flat_map(|it| it.iter())
                .filter(|(name, value)| name.as_str() != "_" && value.is_string())
                .map(|(name, _)| name.as_str())
                .collect();
            let help = match did_you_mean(field, names.iter().copied()) {
                Some(nearest) => format!("did you mean `{}.{nearest}`?", reference.name),
                None => format!("`{}` has no such attribute", raw_type.as_deref().unwrap_or_default()),
            };
            self.acc.push(
                diagnostic(
                    "CAT510",
                    format!(
                        "`{}` (`{}`) has no attribute `{field}`",
                        reference.name,
                        raw_type.as_deref().unwrap_or_default()
                    ),
                    self.ctx.path,
                    *field_range,
                )
                .label("unknown attribute")
                .help(help),
            );
        }
    }
}

fn check(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    if view.block.kind == "terraform" {
        raw(ctx, view, acc);
    }
    let Some(value) = view.attrs.get("terraform") else { return };
    let ValueKind::Body(entries) = &value.kind else { return };
    let kind = view.block.kind.as_str();
    let main = crate::catalog::Catalog::builtin()
        .main_resource(kind, &view.cloud, |condition| crate::deploy::holds(kind, view.attrs, condition));
    let main = match (kind, main) {
        ("terraform", _) => None,
        (_, main) => main,
    };
    let Some(main) = main else {
        let help = match kind {
            "service" | "worker" | "job" => format!(
                "a {kind} is Kubernetes objects; use a top-level `terraform NAME {{ type args }}` for a cloud resource"
            ),
            "terraform" => "write the arguments in `args { ... }`".to_string(),
            _ => "use a top-level `terraform NAME { type args }` block".to_string(),
        };
        acc.push(
            diagnostic(
                "CAT510",
                format!(
                    "{} has no Terraform resource for `terraform {{ }}` to merge into on {}",
                    describe(view.block),
                    view.cloud
                ),
                ctx.path,
                value.range,
            )
            .label("nothing to merge into")
            .help(help),
        );
        return;
    };
    let Some(node) = schema::provider_of(main).and_then(|it| it.resource(main)) else { return };
    let what = format!("`{main}` (the main resource of {})", describe(view.block));
    Checker { ctx, acc, what }.body(entries, node, value.range, "", false);
}

fn raw(ctx: &RuleCtx<'_>, view: &BlockView<'_>, acc: &mut Vec<Diagnostic>) {
    let Some(type_value) = view.attrs.get("type") else { return };
    let Some(resource_type) = type_value.as_str() else { return };
    let expected = schema::provider_name(&view.cloud);
    let prefix = resource_type.split('_').next().unwrap_or_default();
    if prefix != expected && prefix != "random" {
        acc.push(
            diagnostic(
                "CAT510",
                format!("`{resource_type}` is not a resource of the {} provider", expected),
                ctx.path,
                type_value.range,
            )
            .label(format!("{} resources are `{expected}_*`", view.cloud))
            .help(format!(
                "use a `{expected}_*` type, or set `cloud` on this block to the cloud whose provider has it"
            )),
        );
        return;
    }
    let Some(provider) = schema::provider(prefix) else { return };
    let Some(node) = provider.resource(resource_type) else {
        let help = match did_you_mean(resource_type, provider.resource_types()) {
            Some(nearest) => format!("did you mean `{nearest}`?"),
            None => format!("see the {} provider {} documentation for its resource types", prefix, provider.version),
        };
        acc.push(
            diagnostic(
                "CAT510",
                format!("the {prefix} provider {} has no resource `{resource_type}`", provider.version),
                ctx.path,
                type_value.range,
            )
            .label("unknown resource type")
            .help(help),
        );
        return;
    };
    let what = format!("`{resource_type}`");
    let (entries, range): (&[MapEntry], TextRange) = match view.attrs.get("args").map(|it| (&it.kind, it.range)) {
        Some((ValueKind::Body(entries), range)) => (entries, range),
        _ => (&[], name_range(view.block)),
    };
    Checker { ctx, acc, what }.body(entries, node, range, "", true);
}

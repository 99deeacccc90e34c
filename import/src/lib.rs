//! `planc import`: existing Terraform to a Plan workspace (DESIGN.md, `planc import`).
//!
//! The steps: `read` parses the root module; each resource is then classified as a Plan block
//! of a kind (`kinds`), as part of what such a block generates (its subnets, its IAM role:
//! "absorbed", by the catalog's mapping of each kind to Terraform types), or as a raw
//! `terraform NAME { type args }` block, the escape hatch. Values become Plan values
//! (`value`); every argument that becomes neither a Plan attribute nor a `terraform { }`
//! override is listed in the import report, and every address read is in it.

mod kinds;
mod read;
mod value;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use hcl::{Body, Expression};

use read::{Module, Resource};
use value::{Target, Translator};

/// What an import produces: the `.plan` files and the report, or nothing for files that did
/// not parse (their errors say where).
pub struct Imported {
    /// File name → Plan text, formatted.
    pub files: BTreeMap<String, String>,
    /// `import-report.md`: every Terraform address read and what it became.
    pub report: String,
    /// Files that did not parse: nothing of them was imported.
    pub errors: Vec<String>,
    /// Values that need a person: each address, argument and why.
    pub attention: Vec<String>,
    /// How many `.tf` files parsed; with none, there is nothing to write.
    pub parsed: usize,
}

/// The import report's file name in the output directory.
pub const REPORT: &str = "import-report.md";

/// A Plan block being written.
#[derive(Default)]
pub struct PlanBlock {
    pub kind: String,
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<PlanBlock>,
    /// Lines of the nested `terraform { }` override (or a raw block's `args { }`).
    pub terraform: Vec<String>,
    /// `//` comments at the end of the block: what was not imported.
    pub comments: Vec<String>,
    /// The `.plan` file it goes to: the name of the `.tf` file it came from.
    pub file: String,
}

impl PlanBlock {
    pub fn new(kind: &str, name: &str, file: &str) -> PlanBlock {
        PlanBlock { kind: kind.into(), name: name.into(), file: file.into(), ..PlanBlock::default() }
    }

    pub fn attr(&mut self, key: &str, value: impl Into<String>) {
        self.attrs.push((key.to_string(), value.into()));
    }

    fn render(&self, indent: usize, out: &mut String) {
        let pad = "  ".repeat(indent);
        match self.name.as_str() {
            "" => out.push_str(&format!("{pad}{} {{\n", self.kind)),
            name => out.push_str(&format!("{pad}{} {name} {{\n", self.kind)),
        }
        for (key, value) in &self.attrs {
            out.push_str(&format!("{pad}  {key} = {value}\n"));
        }
        for child in &self.children {
            child.render(indent + 1, out);
        }
        if !self.terraform.is_empty() {
            let keyword = if self.kind == "terraform" { "args" } else { "terraform" };
            out.push_str(&format!("{pad}  {keyword} {{\n"));
            for line in &self.terraform {
                out.push_str(&format!("{pad}    {line}\n"));
            }
            out.push_str(&format!("{pad}  }}\n"));
        }
        for comment in &self.comments {
            // One line each, whatever the values quoted in it hold: a line break would end
            // the `//` comment and leave the rest as Plan.
            let one_line = comment.split(|it: char| it.is_control()).collect::<Vec<_>>().join(" ");
            out.push_str(&format!("{pad}  // {one_line}\n"));
        }
        out.push_str(&format!("{pad}}}\n"));
    }
}

/// One line of the report's table.
struct Row {
    address: String,
    file: String,
    became: String,
}

/// The state of one import.
pub struct Cx<'a> {
    module: &'a Module,
    pub cloud: &'static str,
    /// The plan's region.
    pub region: String,
    pub translator: Translator<'a>,
    /// Plan name of each resource address.
    names: BTreeMap<String, String>,
    /// Address of each absorbed resource → the address it is part of.
    owner: BTreeMap<String, String>,
    attention: Vec<String>,
}

impl<'a> Cx<'a> {
    pub fn name(&self, address: &str) -> String {
        self.names.get(address).cloned().unwrap_or_default()
    }

    /// The resources absorbed into this one.
    pub fn absorbed(&self, address: &str) -> Vec<&'a Resource> {
        self.module
            .resources
            .iter()
            .filter(|it| self.owner.get(&it.address()).map(String::as_str) == Some(address))
            .collect()
    }

    pub fn resource(&self, address: &str) -> Option<&'a Resource> {
        self.module.resources.iter().find(|it| it.address() == address)
    }

    /// A value that needs a person, kept for the report and written as a comment.
    pub fn attention(&mut self, block: &mut PlanBlock, address: &str, argument: &str, why: &str) {
        // One line each: a line break would end the `//` comment.
        let one_line = |text: &str| text.split(|it: char| it.is_control()).collect::<Vec<_>>().join(" ");
        let (argument, why) = (one_line(argument), one_line(why));
        self.attention.push(format!("`{address}` `{argument}`: {why}"));
        block.comments.push(format!("not imported: `{argument}`: {why}"));
    }

    /// A value Terraform leaves to the provider's default, written out because Plan needs it:
    /// a comment in the block and a line in the report, like a value not imported.
    pub fn defaulted(&mut self, block: &mut PlanBlock, address: &str, argument: &str, why: &str) {
        self.attention.push(format!("`{address}` `{argument}`: {why}"));
        block.comments.push(format!("defaulted: `{argument}`: {why}"));
    }

    /// A body's arguments and blocks as Plan lines (for `args { }` and `terraform { }`),
    /// skipping `skip`. What has no Plan value is a comment and an attention line.
    pub fn body_lines(
        &mut self,
        block: &mut PlanBlock,
        address: &str,
        body: &Body,
        skip: &BTreeSet<&str>,
    ) -> Vec<String> {
        self.body_lines_at(block, address, body, skip, 0)
    }

    /// The lines of a body `depth` blocks below the `terraform { }` override.
    fn body_lines_at(
        &mut self,
        block: &mut PlanBlock,
        address: &str,
        body: &Body,
        skip: &BTreeSet<&str>,
        depth: usize,
    ) -> Vec<String> {
        let mut lines = Vec::new();
        for attribute in body.attributes() {
            let key = attribute.key.as_str();
            if skip.contains(key) || META.contains(&key) {
                continue;
            }
            if matches!(attribute.expr, Expression::Null) {
                continue; // `null` is Terraform's way of leaving an argument unset.
            }
            match self.translator.value(&attribute.expr) {
                Ok(value) => lines.push(format!("{} = {value}", value::object_key(key))),
                Err(why) => self.attention(block, address, key, &why),
            }
        }
        for nested in body.blocks() {
            let key = nested.identifier.as_str();
            if skip.contains(key) || META_BLOCKS.contains(&key) {
                continue;
            }
            if value::object_key(key) != key {
                self.attention(block, address, key, "a block name Plan cannot write");
                continue;
            }
            if key == "dynamic" || !nested.labels.is_empty() {
                let label = nested.labels.first().map(|it| it.as_str().to_string()).unwrap_or_default();
                self.attention(
                    block,
                    address,
                    &format!("{key} {label}"),
                    "a dynamic block is generated by Terraform; write its blocks out",
                );
                continue;
            }
            if depth >= value::MAX_BLOCK_NESTING {
                let why = format!("blocks nest deeper than the {} levels import writes", value::MAX_BLOCK_NESTING);
                self.attention(block, address, key, &why);
                continue;
            }
            let inner =
                self.body_lines_at(block, &format!("{address}.{key}"), &nested.body, &BTreeSet::new(), depth + 1);
            lines.push(format!("{key} {{"));
            lines.extend(inner.into_iter().map(|it| format!("  {it}")));
            lines.push("}".into());
        }
        lines
    }

    /// Meta-arguments: `depends_on` as Plan references; `count`, `for_each`, `provider` and
    /// `lifecycle` reported, since a Plan block is one resource per environment.
    pub fn meta(&mut self, block: &mut PlanBlock, resource: &Resource, count_is_modelled: bool) {
        let address = resource.address();
        for attribute in resource.body.attributes() {
            let key = attribute.key.as_str();
            match key {
                "depends_on" => {
                    let Expression::Array(items) = &attribute.expr else { continue };
                    let mut names = Vec::new();
                    for item in items {
                        let target = match item {
                            Expression::Traversal(traversal) => match &traversal.expr {
                                Expression::Variable(root) => traversal.operators.first().and_then(|it| match it {
                                    hcl::expr::TraversalOperator::GetAttr(name) => {
                                        Some(format!("{}.{name}", root.as_str()))
                                    }
                                    _ => None,
                                }),
                                _ => None,
                            },
                            _ => None,
                        };
                        let resolved = target.as_deref().and_then(|it| match self.translator.targets.get(it) {
                            Some(Target::Raw { name } | Target::Modelled { name, .. }) => Some(name.clone()),
                            Some(Target::Absorbed { owner, .. }) => Some(owner.clone()),
                            _ => None,
                        });
                        match resolved {
                            Some(name) if name != block.name && !names.contains(&name) => names.push(name),
                            Some(_) => {}
                            None => self.attention(
                                block,
                                &address,
                                "depends_on",
                                &format!("`{}` is not an imported resource", value::text(item)),
                            ),
                        }
                    }
                    if !names.is_empty() {
                        block.attr("depends_on", format!("[{}]", names.join(", ")));
                    }
                }
                "count" if count_is_modelled => {}
                "count" | "for_each" => {
                    let written = value::text(&attribute.expr);
                    let one = key == "count" && self.translator.int(&attribute.expr) == Some(1);
                    if !one {
                        self.attention(
                            block,
                            &address,
                            key,
                            &format!(
                                "`{key} = {written}`: a Plan block is one resource per environment; one was written"
                            ),
                        );
                    }
                }
                "provider" => {
                    self.attention(block, &address, key, "a provider alias: Plan configures the providers itself")
                }
                _ => {}
            }
        }
        for nested in resource.body.blocks() {
            if META_BLOCKS.contains(&nested.identifier.as_str()) {
                let key = nested.identifier.to_string();
                self.attention(block, &address, &key, &format!("Terraform's `{key}` block has no Plan form"));
            }
        }
    }
}

/// Arguments every resource takes that are not the provider's.
const META: &[&str] = &["count", "for_each", "depends_on", "provider"];
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

/// The resource addresses (`TYPE.NAME`) a body refers to.
fn references(body: &Body) -> BTreeSet<String> {
    fn walk(body: &Body, found: &mut BTreeSet<String>) {
        for attribute in body.attributes() {
            expression_references(&attribute.expr, found);
        }
        for block in body.blocks() {
            walk(&block.body, found);
        }
    }
    let mut found = BTreeSet::new();
    walk(body, &mut found);
    found
}

/// The resource addresses (`TYPE.NAME`) an expression refers to, added to `found`.
fn expression_references(expr: &Expression, found: &mut BTreeSet<String>) {
    use expression_references as expression;
    {
        match expr {
            Expression::Traversal(traversal) => {
                if let (Expression::Variable(root), Some(hcl::expr::TraversalOperator::GetAttr(name))) =
                    (&traversal.expr, traversal.operators.first())
                {
                    found.insert(format!("{}.{name}", root.as_str()));
                }
                for operator in &traversal.operators {
                    if let hcl::expr::TraversalOperator::Index(index) = operator {
                        expression(index, found);
                    }
                }
            }
            Expression::Array(items) => items.iter().for_each(|it| expression(it, found)),
            Expression::Object(entries) => entries.values().for_each(|it| expression(it, found)),
            Expression::Parenthesis(inner) => expression(inner, found),
            Expression::FuncCall(call) => call.args.iter().for_each(|it| expression(it, found)),
            Expression::Conditional(it) => {
                expression(&it.cond_expr, found);
                expression(&it.true_expr, found);
                expression(&it.false_expr, found);
            }
            Expression::Operation(operation) => match operation.as_ref() {
                hcl::expr::Operation::Unary(it) => expression(&it.expr, found),
                hcl::expr::Operation::Binary(it) => {
                    expression(&it.lhs_expr, found);
                    expression(&it.rhs_expr, found);
                }
            },
            Expression::TemplateExpr(template) => {
                if let Ok(parsed) = hcl::Template::from_expr(template) {
                    for element in parsed.elements() {
                        if let hcl::template::Element::Interpolation(it) = element {
                            expression(&it.expr, found);
                        }
                    }
                }
            }
            Expression::ForExpr(it) => {
                expression(&it.collection_expr, found);
                expression(&it.value_expr, found);
            }
            _ => {}
        }
    }
}

/// Which cloud the module is for: the provider most of its resources belong to.
fn cloud_of(module: &Module) -> &'static str {
    let mut counts = [("aws", 0usize), ("azure", 0), ("gcp", 0)];
    for resource in &module.resources {
        let at = match resource.r#type.split('_').next() {
            Some("aws") => 0,
            Some("azurerm") => 1,
            Some("google") => 2,
            _ => continue,
        };
        counts[at].1 += 1;
    }
    counts.iter().max_by_key(|(_, count)| *count).map(|(cloud, _)| *cloud).unwrap_or("aws")
}

/// Text as the characters of a Plan name: others become `_`.
fn clean(text: &str) -> String {
    text.chars().map(|it| if it.is_ascii_alphanumeric() || it == '_' || it == '-' { it } else { '_' }).collect()
}

/// At most `max` characters, not ending with a hyphen (cut after shortening, since cutting
/// can leave one at the end).
fn shorten(name: &str, max: usize) -> String {
    name.chars().take(max).collect::<String>().trim_end_matches('-').to_string()
}

/// A Plan name for a name from Terraform (a nested pool's `name`, say), without uniqueness.
pub fn plan_ident(text: &str) -> String {
    let mut name = clean(text);
    if !name.starts_with(|it: char| it.is_ascii_alphabetic() || it == '_') {
        name.insert(0, 'r');
    }
    shorten(&name, 63)
}

/// A Plan name for a Terraform name: the same where it is valid, so that the generated
/// addresses stay the same; unique across the workspace.
fn plan_name(name: &str, r#type: &str, taken: &mut BTreeSet<String>) -> String {
    let mut base = shorten(&plan_ident(name), 56);
    if base.is_empty() {
        base = "resource".into();
    }
    let mut candidate = base.clone();
    if taken.contains(&candidate) {
        // `main` the VPC and `main` the KMS key: `main_kms_key`.
        let short = clean(r#type.split_once('_').map_or(r#type, |it| it.1));
        candidate = shorten(&format!("{base}_{short}"), 56);
    }
    let stem = candidate.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{stem}_{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// Imports the Terraform files of the paths.
pub fn import(paths: &[PathBuf]) -> Result<Imported, String> {
    Ok(import_sources(&read::sources(paths)?))
}

/// Imports Terraform texts, by file name (`main.tf`, `terraform.tfvars`).
pub fn import_texts(files: &[(String, String)]) -> Imported {
    let sources: Vec<read::Source> = files
        .iter()
        .map(|(name, text)| read::Source {
            name: name.clone(),
            text: Ok(text.clone()),
            tfvars: name.ends_with(".tfvars"),
        })
        .collect();
    import_sources(&sources)
}

fn import_sources(sources: &[read::Source]) -> Imported {
    let module = read::read(sources);
    let cloud = cloud_of(&module);
    let catalog = plan_catalog::Catalog::builtin();

    // Names, by address; the kinds each modelled resource becomes.
    // The plan's and the environment's names are names too; `true` and `false` are values.
    let mut taken: BTreeSet<String> = ["imported", "default", "true", "false"].map(String::from).into();
    let mut names = BTreeMap::new();
    let mut modelled: BTreeMap<String, &'static kinds::Rule> = BTreeMap::new();
    for resource in &module.resources {
        if let Some(rule) = kinds::rule(&resource.r#type, cloud) {
            if (rule.accepts)(resource) {
                modelled.insert(resource.address(), rule);
            }
        }
    }
    // Modelled top-level blocks first, so that they keep their Terraform names.
    for resource in
        module.resources.iter().filter(|it| modelled.get(&it.address()).is_some_and(|rule| rule.parent.is_none()))
    {
        names.insert(resource.address(), plan_name(&resource.name, &resource.r#type, &mut taken));
    }
    for resource in &module.resources {
        names.entry(resource.address()).or_insert_with(|| plan_name(&resource.name, &resource.r#type, &mut taken));
    }

    // What each resource refers to, once.
    let refs: BTreeMap<String, BTreeSet<String>> =
        module.resources.iter().map(|it| (it.address(), references(&it.body))).collect();

    // Nested blocks (node pools) belong to the block they refer to.
    let mut parent: BTreeMap<String, String> = BTreeMap::new();
    for (address, rule) in &modelled {
        if let Some(parent_type) = rule.parent {
            let found = refs[address]
                .iter()
                .find(|it| it.starts_with(&format!("{parent_type}.")) && modelled.contains_key(*it));
            match found {
                Some(owner) => {
                    parent.insert(address.clone(), owner.clone());
                }
                None => {} // A pool whose cluster is not here stays a raw block (below).
            }
        }
    }
    modelled.retain(|address, rule| rule.parent.is_none() || parent.contains_key(address));

    // Absorption: a resource of a type the owner's kind generates (the catalog's mapping),
    // connected to the owner or to something already absorbed into it, either way round.
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    for (address, rule) in &modelled {
        if let Some(from) = kinds::merged_into(&module, address, rule, &modelled) {
            owner.insert(address.clone(), from);
        }
    }
    // Once: the types each modelled block (with its nested blocks) generates, and who refers
    // to each address, so that the passes below are linear in the references.
    let mut generated: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (address, rule) in &modelled {
        let root = parent.get(address).unwrap_or(address);
        let mapping = catalog.kind(rule.kind).and_then(|it| it.mapping.get(cloud));
        generated
            .entry(root.as_str())
            .or_default()
            .extend(mapping.iter().flat_map(|it| it.terraform.iter().map(String::as_str)));
    }
    let mut referrers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in &refs {
        for target in to {
            referrers.entry(target.as_str()).or_default().push(from.as_str());
        }
    }
    loop {
        let mut changed = false;
        for resource in &module.resources {
            let address = resource.address();
            if modelled.contains_key(&address) || owner.contains_key(&address) {
                continue;
            }
            let root_of = |it: &str| -> Option<String> {
                let top = parent.get(it).cloned().unwrap_or_else(|| it.to_string());
                if modelled.contains_key(&top) && !owner.contains_key(&top) {
                    return Some(top);
                }
                owner.get(it).cloned()
            };
            let referring = referrers.get(address.as_str()).into_iter().flatten().copied();
            let found = refs[&address].iter().map(String::as_str).chain(referring).filter_map(root_of).find(|root| {
                generated.get(root.as_str()).is_some_and(|types| types.contains(resource.r#type.as_str()))
            });
            if let Some(root) = found {
                owner.insert(address, root);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }

    // Targets for references.
    let mut targets = BTreeMap::new();
    for resource in &module.resources {
        let address = resource.address();
        let name = names[&address].clone();
        let target = if let Some(root) = owner.get(&address) {
            let kind = modelled.get(root).map_or("block", |it| it.kind);
            Target::Absorbed { owner: names[root].clone(), kind }
        } else if let Some(rule) = modelled.get(&address) {
            Target::Modelled { name, kind: rule.kind, r#type: resource.r#type.clone() }
        } else if raw_provider(&resource.r#type, cloud) {
            Target::Raw { name }
        } else {
            Target::Skipped
        };
        targets.insert(address, target);
    }

    let mut cx = Cx {
        module: &module,
        cloud,
        region: String::new(),
        translator: Translator { context: read::context(&module), targets: &targets },
        names,
        owner: owner.clone(),
        attention: Vec::new(),
    };
    let settings_notes = kinds::region(&mut cx);
    let mut rows = Vec::new();
    let mut blocks: Vec<PlanBlock> = Vec::new();
    let mut children: BTreeMap<String, Vec<PlanBlock>> = BTreeMap::new();

    for resource in &module.resources {
        let address = resource.address();
        if let Some(root) = owner.get(&address) {
            let became = if resource.r#type == "aws_db_instance" {
                // An RDS instance that is part of another is its read replica.
                format!("a read replica of {} `{}` (`read_replicas`)", modelled[root].kind, cx.name(root))
            } else {
                format!("part of {} `{}`: Plan generates it", modelled[root].kind, cx.name(root))
            };
            rows.push(Row { address, file: resource.file.clone(), became });
            continue;
        }
        if let Some(rule) = modelled.get(&address) {
            let mut block = (rule.translate)(&mut cx, resource);
            cx.meta(&mut block, resource, rule.kind == "vm");
            match parent.get(&address) {
                Some(top) => {
                    rows.push(Row {
                        address,
                        file: resource.file.clone(),
                        became: format!("{} `{}.{}`", rule.kind, cx.name(top), block.name),
                    });
                    children.entry(top.clone()).or_default().push(block);
                }
                None => {
                    rows.push(Row {
                        address,
                        file: resource.file.clone(),
                        became: format!("{} `{}`", rule.kind, block.name),
                    });
                    blocks.push(block);
                }
            }
            continue;
        }
        let name = cx.name(&address);
        let mut block = PlanBlock::new("terraform", &name, &resource.file);
        block.attr("type", format!("\"{}\"", value::escape(&resource.r#type)));
        let lines = cx.body_lines(&mut block, &address, &resource.body, &BTreeSet::new());
        block.terraform = lines;
        cx.meta(&mut block, resource, false);
        let became = if raw_provider(&resource.r#type, cloud) {
            format!("raw `terraform {name}`")
        } else {
            cx.attention.push(format!(
                "`{address}`: a resource of a provider Plan does not emit on {cloud}; it is written as a raw block, which `planc check` reports (CAT510)"
            ));
            format!("raw `terraform {name}` (not emitted: another provider)")
        };
        rows.push(Row { address, file: resource.file.clone(), became });
        blocks.push(block);
    }
    for block in &mut blocks {
        let address = targets
            .iter()
            .find(|(_, target)| matches!(target, Target::Modelled { name, .. } if *name == block.name))
            .map(|(address, _)| address.clone());
        if let Some(found) = address.and_then(|it| children.remove(&it)) {
            // Pools go before the block's own `terraform { }`.
            block.children.extend(found);
        }
    }
    for data in &module.data {
        rows.push(Row {
            address: format!("data.{}", data.address()),
            file: data.file.clone(),
            became: "not imported: a data source (Plan has none); values read from it are listed below".into(),
        });
    }
    for skipped in &module.skipped {
        rows.push(Row {
            address: skipped.address.clone(),
            file: skipped.file.clone(),
            became: format!("not imported: {}", skipped.why),
        });
    }

    let plan_text = kinds::plan_block(&cx);
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    files.insert("plan.plan".into(), plan_text);
    for block in &blocks {
        let file = block.file.trim_end_matches(".tf").to_string() + ".plan";
        let text = files.entry(file).or_default();
        if !text.is_empty() {
            text.push('\n');
        }
        block.render(0, text);
    }
    for text in files.values_mut() {
        if let Ok(formatted) = plan_fmt::format(text) {
            *text = formatted;
        }
    }

    let attention = cx.attention.clone();
    let report = report(&module, cloud, &rows, &settings_notes, &attention);
    Imported { files, report, errors: module.errors.clone(), attention, parsed: module.parsed }
}

/// Whether a raw block of this type can be emitted on the cloud.
fn raw_provider(r#type: &str, cloud: &str) -> bool {
    let prefix = r#type.split('_').next().unwrap_or_default();
    prefix == plan_catalog::provider_schema::provider_name(cloud) || prefix == "random"
}

/// `import-report.md`: prose wrapped and lists, as markdownlint accepts.
fn report(module: &Module, cloud: &str, rows: &[Row], settings: &[String], attention: &[String]) -> String {
    use plan_fmt::markdown::{bullet, wrap};
    let mut out = String::from("# Import report\n\n");
    let files = module.files.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(", ");
    let plural = if module.files.len() == 1 { "" } else { "s" };
    out.push_str(&wrap(&format!("Written by `planc import` from {} file{plural}: {files}.", module.files.len())));
    out.push_str(&format!("\n\nCloud: `{cloud}`.\n"));
    for note in settings {
        out.push_str(&format!("\n{}\n", wrap(note)));
    }
    if !module.errors.is_empty() {
        out.push_str("\n## Files not imported\n\nThese files did not parse; nothing of them was imported.\n\n");
        for error in &module.errors {
            out.push_str(&format!("{}\n", bullet(&error.replace('\n', " "))));
        }
    }
    out.push_str("\n## Addresses\n\nEach Terraform address read, its file, and what it became.\n\n");
    for row in rows {
        out.push_str(&format!("{}\n", bullet(&format!("`{}` (`{}`): {}", row.address, row.file, row.became))));
    }
    out.push_str("\n## Values that need attention\n\n");
    if attention.is_empty() {
        out.push_str(&wrap(
            "None: every argument became a Plan attribute, a `terraform { }` override or a raw block argument.",
        ));
        out.push('\n');
    } else {
        out.push_str("Each is also a `// not imported` comment in the block it belongs to.\n\n");
        for line in attention {
            out.push_str(&format!("{}\n", bullet(&line.replace('\n', " "))));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever the Terraform names, the `.plan` files parse (found by the import fuzz target).
    #[test]
    fn odd_names_and_keys_still_give_plan_that_parses() {
        let text = "resource \"aws_route_table_`x\" \"a b\" {\n  ключ = 1\n  name = \"${x}\"\n}\n\
                    resource \"aws_route_table_`x\" \"a_b\" {\n  note = \"line\\nbreak */ // \"\n}\n\
                    resource \"azurerm_x\" \"no-------------------------------------------------------------x\" {}\n\
                    resource \"azurerm_virtual_network\" \"v\" { address_space = [\"10.0.0.0/16\"] }\n\
                    resource \"azurerm_subnet\" \"s\" {\n  virtual_network_name = azurerm_virtual_network.v.name\n  address_prefixes = [\"10\\n\\n.1.0.0/20\"]\n}\n";
        let imported = import_texts(&[("main.tf".into(), text.into())]);
        assert_eq!(imported.parsed, 1, "{:?}", imported.errors);
        for (name, plan) in &imported.files {
            let parse = plan_syntax::parse(plan);
            assert!(parse.errors.is_empty(), "{name}:\n{plan}\n{:?}", parse.errors);
        }
        let main = &imported.files["main.plan"];
        assert!(main.contains("terraform a_b {") && main.contains("terraform a_b_route_table__x {"), "{main}");
        // The subnet's range, line breaks and all, is quoted in a comment of the network.
        assert!(main.contains("Plan lays out its own subnets"), "{main}");
    }
}

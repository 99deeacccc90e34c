//! Lowering: typed AST views to the IR, driven by the catalog's attribute types.
//!
//! Types decide what a literal means (a bare name is an enum value where an enum is expected
//! and a reference elsewhere; a plain number is cores where a `cpu` is expected), so lowering
//! is where type, unit, placement and per-block structure errors are found. References are
//! only recorded here; `check` resolves them against the whole workspace.

use std::sync::Arc;

use super::units::{self, Dimension};
use super::{Attr, Block, EnvOverride, FileIr, InterpolationPart, MapEntry, Ref, Value, ValueKind, F64};
use plan_catalog::{AttrSchema, Catalog, Format, KindSchema, Placement, Ty};
use plan_diagnostics::{did_you_mean, Applicability, Diagnostic};
use plan_syntax::ast::{self, AstNode, Expr, Item};
use plan_syntax::{strings, Parse, SyntaxKind, SyntaxToken, TextRange, TextSize};

/// Lowers one parsed file. Syntax errors are not repeated here; broken values become
/// `ValueKind::Error` and are not reported a second time.
pub fn lower_file(parse: &Parse, file: &Arc<str>, catalog: &Catalog) -> (FileIr, Vec<Diagnostic>) {
    let mut lowerer = Lowerer::new(file, catalog);
    let blocks = exact(parse.tree().items().filter_map(|item| lowerer.top_item(item)).collect());
    (FileIr { blocks }, lowerer.diagnostics)
}

/// Whether values of this type may be written as an object with the attribute's fields:
/// `object`, or a union with it (`disk = 200GB` or `disk { size = 200GB  type = ssd }`).
fn takes_fields(ty: &Ty) -> bool {
    match ty {
        Ty::Object => true,
        Ty::Union(options) => options.contains(&Ty::Object),
        _ => false,
    }
}

/// Where an object entry's value is written: `key = value`, or a nested block for an object
/// field (`scale_up { .. }` inside `autoscale { .. }`).
enum EntrySource {
    Expr(Expr),
    Block(ast::Block),
}

pub(crate) struct Lowerer<'a> {
    file: &'a Arc<str>,
    catalog: &'a Catalog,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl<'a> Lowerer<'a> {
    pub(crate) fn new(file: &'a Arc<str>, catalog: &'a Catalog) -> Lowerer<'a> {
        Lowerer { file, catalog, diagnostics: Vec::new() }
    }
}

/// `items` in an allocation of exactly their number. Lowering pushes as it goes, so a vector
/// ends with up to twice the room it needs (a service's 11 attributes in room for 16), and the
/// IR is kept for the whole run: a large check's memory, each page of which the kernel zeroes
/// on first use. The copy is a fresh allocation; the old one serves the next block.
pub(crate) fn exact<T>(items: Vec<T>) -> Vec<T> {
    if items.len() == items.capacity() {
        return items;
    }
    let mut out = Vec::with_capacity(items.len());
    out.extend(items);
    out
}

/// The longest block name: a DNS label, as Kubernetes names and most cloud names allow.
pub const MAX_NAME_LEN: usize = 63;

/// Whether a name can be referenced: an identifier of at most 63 characters that does not end
/// with a hyphen and is not `true` or `false`. The compiler, `planc new` and the language
/// server's rename all ask this one function.
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    // Names become parts of cloud resource names, Kubernetes names and directories.
    name.len() <= MAX_NAME_LEN
        && matches!(chars.next(), Some(first) if first.is_ascii_alphabetic() || first == '_')
        && name.chars().all(|it| it.is_ascii_alphanumeric() || it == '_' || it == '-')
        && !name.ends_with('-')
        && name != "true"
        && name != "false"
}

impl Lowerer<'_> {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub(crate) fn top_item(&mut self, item: Item) -> Option<Block> {
        match item {
            Item::Attribute(attribute) => {
                let name = attribute.key().and_then(|key| key.name()).unwrap_or_default();
                let range = attribute.key().map_or(attribute.range(), |key| key.range());
                self.push(
                    Diagnostic::error("P020", format!("attribute `{name}` is outside of any block"), self.file, range)
                        .label("attributes belong inside a block")
                        .help("move it into the block it describes, e.g. `plan NAME { ... }`"),
                );
                None
            }
            Item::Block(block) => self.top_block(&block),
        }
    }

    fn top_block(&mut self, block: &ast::Block) -> Option<Block> {
        let kind_token = block.kind_token()?;
        let kind = kind_token.text().to_string();
        let schema = self.catalog.kind(&kind);
        match schema {
            None => {
                let candidates =
                    self.catalog.kinds().filter(|it| it.placement != Placement::Nested).map(|it| it.kind.as_str());
                let suggestion = did_you_mean(&kind, candidates);
                let mut diagnostic =
                    Diagnostic::error("P003", format!("unknown kind `{kind}`"), self.file, kind_token.text_range())
                        .label("not a kind the catalog knows");
                diagnostic = match suggestion {
                    Some(suggestion) => diagnostic.help(format!("did you mean `{suggestion}`?")).replace_with(
                        format!("Change to `{suggestion}`"),
                        Applicability::Safe,
                        suggestion,
                    ),
                    None => diagnostic.help("`planc catalog` lists the kinds"),
                };
                self.push(diagnostic);
            }
            Some(schema) if schema.placement == Placement::Nested => {
                let parents = schema.parents.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(" or ");
                self.push(
                    Diagnostic::error(
                        "P020",
                        format!("a `{kind}` block cannot stand at the top level"),
                        self.file,
                        kind_token.text_range(),
                    )
                    .label(format!("`{kind}` blocks go inside a {parents} block"))
                    .help(format!("move it into the {parents} block it belongs to")),
                );
            }
            Some(_) => {}
        }
        let (name, name_range) = self.block_name(block, schema, &kind_token);
        let mut lowered = self.block_body(block, schema, kind, kind_token.text_range(), name, name_range);
        lowered.doc = block.doc_comment();
        Some(lowered)
    }

    /// The label of a block, checked against what its kind expects.
    fn block_name(
        &mut self,
        block: &ast::Block,
        schema: Option<&KindSchema>,
        kind_token: &SyntaxToken,
    ) -> (Option<String>, Option<TextRange>) {
        let kind = kind_token.text();
        let label = block.label();
        let named = schema.is_none_or(|it| it.is_named());
        match label.as_ref().and_then(|label| Some((label.name()?, label.range()))) {
            None if named => {
                self.push(
                    Diagnostic::error(
                        "P019",
                        format!("this `{kind}` block has no name"),
                        self.file,
                        kind_token.text_range(),
                    )
                    .label("a name is expected after the kind")
                    .help(format!("name it, e.g. `{kind} main {{ ... }}`; other blocks refer to it by that name")),
                );
                (None, None)
            }
            None => (None, None),
            Some((_, range)) if !named => {
                self.push(
                    Diagnostic::error("P020", format!("a `{kind}` block takes no name"), self.file, range)
                        .label("remove this name")
                        .help(format!("write `{kind} {{ ... }}`: there is one `{kind}` per workspace")),
                );
                (None, None)
            }
            Some((name, range)) => {
                if !is_valid_name(&name) {
                    self.push(
                        Diagnostic::error("P019", format!("`{name}` is not a valid name"), self.file, range)
                            .label("names are identifiers")
                            .help("use at most 63 letters, digits, `_` and `-`, starting with a letter or `_` and not ending with `-`, and not `true` or `false`, e.g. `orders-db`"),
                    );
                }
                (Some(name), Some(range))
            }
        }
    }

    fn block_body(
        &mut self,
        block: &ast::Block,
        schema: Option<&KindSchema>,
        kind: String,
        kind_range: TextRange,
        name: Option<String>,
        name_range: Option<TextRange>,
    ) -> Block {
        let mut lowered = Block {
            kind,
            kind_range,
            name,
            name_range,
            range: block.range(),
            doc: None,
            attrs: Vec::new(),
            children: Vec::new(),
            overrides: Vec::new(),
        };
        for item in block.items() {
            match item {
                Item::Attribute(attribute) => {
                    if let Some(attr) = self.attribute(&attribute, schema) {
                        self.push_attr(&mut lowered.attrs, attr);
                    }
                }
                Item::Block(nested) => self.nested_block(&nested, schema, &mut lowered),
            }
        }
        if let Some(schema) = schema {
            self.check_required(&lowered, schema);
        }
        lowered.attrs = exact(lowered.attrs);
        lowered.children = exact(lowered.children);
        lowered.overrides = exact(lowered.overrides);
        lowered
    }

    fn push_attr(&mut self, attrs: &mut Vec<Attr>, attr: Attr) {
        if let Some(first) = attrs.iter().find(|it| it.name == attr.name) {
            let first_range = first.name_range;
            self.push(
                Diagnostic::error("P013", format!("`{}` is set twice", attr.name), self.file, attr.name_range)
                    .label("set again here")
                    .secondary(self.file, first_range, "first set here")
                    .help(
                        "keep one of the two; to change a value in one environment, use an `env NAME { ... }` override",
                    ),
            );
            return;
        }
        attrs.push(attr);
    }

    fn check_required(&mut self, block: &Block, schema: &KindSchema) {
        let range = block.name_range.unwrap_or(block.kind_range);
        for attr in schema.attrs.iter().filter(|it| it.required) {
            if block.attr(&attr.name).is_none() {
                self.push(
                    Diagnostic::error(
                        "P005",
                        format!(
                            "`{}` {} is missing the required attribute `{}`",
                            block.kind,
                            display_name(block),
                            attr.name
                        ),
                        self.file,
                        range,
                    )
                    .label(format!("`{}` must be set here", attr.name))
                    .note(first_sentence(&attr.doc))
                    .help(format!("add `{}`", attr.example)),
                );
            }
        }
    }

    fn attribute(&mut self, attribute: &ast::Attribute, schema: Option<&KindSchema>) -> Option<Attr> {
        let key = attribute.key()?;
        let name = key.name()?;
        let name_range = key.range();
        let value_expr = attribute.value();
        let attr_schema = match schema {
            Some(schema) => match schema.attr(&name) {
                Some(attr_schema) => Some(attr_schema),
                None => {
                    self.unknown_attribute(&name, name_range, schema);
                    None
                }
            },
            None => None,
        };
        let value = match (value_expr, attr_schema) {
            (Some(expr), Some(attr_schema)) => self.attr_value(&expr, attr_schema),
            (Some(expr), None) => self.untyped(&expr),
            (None, _) => Value { kind: ValueKind::Error, range: attribute.range() },
        };
        Some(Attr { name, name_range, value, doc: attribute.doc_comment() })
    }

    fn unknown_attribute(&mut self, name: &str, range: TextRange, schema: &KindSchema) {
        let mut candidates = schema.attr_names();
        let nested: Vec<&str> = self
            .catalog
            .kinds()
            .filter(|it| it.placement == Placement::Nested && it.parents.contains(&schema.kind))
            .map(|it| it.kind.as_str())
            .collect();
        candidates.extend(nested);
        let mut diagnostic =
            Diagnostic::error("P004", format!("`{}` has no attribute `{name}`", schema.kind), self.file, range)
                .label("unknown attribute");
        diagnostic = match did_you_mean(name, candidates.iter().copied()) {
            Some(suggestion) => diagnostic.help(format!("did you mean `{suggestion}`?")).replace_with(
                format!("Change to `{suggestion}`"),
                Applicability::Safe,
                suggestion,
            ),
            None => {
                let mut names = schema.attrs.iter().map(|it| format!("`{}`", it.name)).collect::<Vec<_>>();
                names.truncate(12);
                diagnostic.help(format!("the attributes of `{}` are {}", schema.kind, names.join(", ")))
            }
        };
        self.push(diagnostic);
    }

    fn nested_block(&mut self, nested: &ast::Block, schema: Option<&KindSchema>, parent: &mut Block) {
        let Some(kind_token) = nested.kind_token() else {
            return;
        };
        let kind = kind_token.text().to_string();
        let label = nested.label();
        let label_name = label.as_ref().and_then(|it| it.name());

        // `env prod { ... }`: an override of this block's attributes in one environment.
        if kind == "env" && label_name.is_some() && parent.kind != "env" {
            let env = label_name.unwrap_or_default();
            let env_range = label.map_or(kind_token.text_range(), |it| it.range());
            self.env_override(nested, schema, env, env_range, parent);
            return;
        }

        let parent_kind = parent.kind.clone();
        // Block-as-object sugar: `tags { team = "core" }` means `tags = { team = "core" }`.
        let attr_schema = schema.and_then(|it| it.attr(&kind));
        if label.is_none() {
            if let Some(attr_schema) = attr_schema {
                let value = match &attr_schema.ty {
                    Ty::Object | Ty::Map(_) => self.block_as_object(nested, attr_schema),
                    ty if takes_fields(ty) => self.block_as_object(nested, attr_schema),
                    Ty::Hcl => self.hcl_body(nested),
                    other => {
                        self.push(
                            Diagnostic::error(
                                "P006",
                                format!("`{kind}` is a {other}, not a block"),
                                self.file,
                                kind_token.text_range(),
                            )
                            .label("written as a block here")
                            .help(format!("write it as an attribute, e.g. `{}`", attr_schema.example)),
                        );
                        Value { kind: ValueKind::Error, range: nested.range() }
                    }
                };
                let attr = Attr { name: kind, name_range: kind_token.text_range(), value, doc: nested.doc_comment() };
                self.push_attr(&mut parent.attrs, attr);
                return;
            }
            if schema.is_none() {
                // Unknown parent kind: keep the structure without checking it.
                let value = self.untyped_block(nested);
                let attr = Attr { name: kind, name_range: kind_token.text_range(), value, doc: nested.doc_comment() };
                self.push_attr(&mut parent.attrs, attr);
                return;
            }
        }

        match self.catalog.kind(&kind) {
            Some(child_schema)
                if child_schema.placement == Placement::Nested && child_schema.parents.contains(&parent_kind) =>
            {
                let (name, name_range) = self.block_name(nested, Some(child_schema), &kind_token);
                if let (Some(name), Some(range)) = (&name, name_range) {
                    if let Some(first) =
                        parent.children.iter().find(|it| it.kind == kind && it.name.as_ref() == Some(name))
                    {
                        let first_range = first.name_range.unwrap_or(first.kind_range);
                        self.push(
                            Diagnostic::error(
                                "P012",
                                format!(
                                    "`{parent_kind}` {} already has a `{kind}` named `{name}`",
                                    display_name(parent)
                                ),
                                self.file,
                                range,
                            )
                            .label("declared again here")
                            .secondary(self.file, first_range, "first declared here")
                            .help("give each nested block its own name"),
                        );
                    }
                }
                let mut child =
                    self.block_body(nested, Some(child_schema), kind, kind_token.text_range(), name, name_range);
                child.doc = nested.doc_comment();
                parent.children.push(child);
            }
            Some(child_schema) if schema.is_some() => {
                let message = format!("a `{kind}` block cannot be nested in a `{parent_kind}` block");
                let help = match child_schema.placement {
                    Placement::Nested => {
                        let parents =
                            child_schema.parents.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(" or ");
                        format!("`{kind}` blocks go inside a {parents} block")
                    }
                    _ => format!("declare `{kind}` at the top level of a file and refer to it by name"),
                };
                self.push(
                    Diagnostic::error("P020", message, self.file, kind_token.text_range())
                        .label("misplaced block")
                        .help(help),
                );
            }
            _ => {
                if let Some(schema) = schema {
                    self.unknown_attribute(&kind, kind_token.text_range(), schema);
                }
            }
        }
    }

    fn env_override(
        &mut self,
        nested: &ast::Block,
        schema: Option<&KindSchema>,
        env: String,
        env_range: TextRange,
        parent: &mut Block,
    ) {
        if let Some(first) = parent.overrides.iter().find(|it| it.env == env) {
            let first_range = first.env_range;
            self.push(
                Diagnostic::error("P015", format!("`{env}` is overridden twice in this block"), self.file, env_range)
                    .label("second override")
                    .secondary(self.file, first_range, "first override")
                    .help(format!("merge the two `env {env} {{ ... }}` blocks into one")),
            );
            return;
        }
        let mut attrs = Vec::new();
        for item in nested.items() {
            match item {
                Item::Attribute(attribute) => {
                    if let Some(attr) = self.attribute(&attribute, schema) {
                        self.push_attr(&mut attrs, attr);
                    }
                }
                Item::Block(inner) => {
                    let Some(kind_token) = inner.kind_token() else {
                        continue;
                    };
                    let name = kind_token.text().to_string();
                    let attr_schema = schema.and_then(|it| it.attr(&name));
                    match attr_schema {
                        Some(attr_schema)
                            if inner.label().is_none()
                                && (matches!(attr_schema.ty, Ty::Map(_) | Ty::Hcl)
                                    || takes_fields(&attr_schema.ty)) =>
                        {
                            let value = if attr_schema.ty == Ty::Hcl {
                                self.hcl_body(&inner)
                            } else {
                                self.block_as_object(&inner, attr_schema)
                            };
                            let attr =
                                Attr { name, name_range: kind_token.text_range(), value, doc: inner.doc_comment() };
                            self.push_attr(&mut attrs, attr);
                        }
                        _ if schema.is_some() && attr_schema.is_none() && inner.label().is_none() => {
                            self.unknown_attribute(&name, kind_token.text_range(), schema.unwrap());
                        }
                        _ => {
                            self.push(
                                Diagnostic::error(
                                    "P020",
                                    format!("an `env {env}` override holds attributes, not `{name}` blocks"),
                                    self.file,
                                    kind_token.text_range(),
                                )
                                .label("misplaced block")
                                .help(format!(
                                    "put the `env {env} {{ ... }}` override inside the `{name}` block instead"
                                )),
                            );
                        }
                    }
                }
            }
        }
        parent.overrides.push(EnvOverride { env, env_range, range: nested.range(), attrs: exact(attrs) });
    }

    /// The body of `tags { .. }` / `backup { .. }` as a map value. An object field that is an
    /// object itself may be written as a nested block too: `autoscale { scale_up { .. } }`.
    fn block_as_object(&mut self, block: &ast::Block, attr_schema: &AttrSchema) -> Value {
        let mut entries: Vec<(String, TextRange, Option<EntrySource>, TextRange)> = Vec::new();
        for item in block.items() {
            match item {
                Item::Attribute(attribute) => {
                    let Some(key) = attribute.key() else { continue };
                    let Some(name) = key.name() else { continue };
                    entries.push((name, key.range(), attribute.value().map(EntrySource::Expr), attribute.range()));
                }
                Item::Block(inner) => {
                    let range = inner.kind_token().map_or(inner.range(), |it| it.text_range());
                    if takes_fields(&attr_schema.ty) && inner.label().is_none() && inner.kind_token().is_some() {
                        let name = inner.kind_token().map(|it| it.text().to_string()).unwrap_or_default();
                        entries.push((name, range, Some(EntrySource::Block(inner.clone())), inner.range()));
                        continue;
                    }
                    self.push(
                        Diagnostic::error(
                            "P020",
                            format!("`{}` holds attributes, not blocks", attr_schema.name),
                            self.file,
                            range,
                        )
                        .label("misplaced block")
                        .help(format!("write entries as `key = value`, e.g. `{}`", attr_schema.example)),
                    );
                }
            }
        }
        let value = self.object_value(entries, attr_schema, block.range());
        if let Some(format) = attr_schema.format {
            self.check_format(&value, format, &attr_schema.name);
        }
        value
    }

    fn object_value(
        &mut self,
        entries: Vec<(String, TextRange, Option<EntrySource>, TextRange)>,
        attr_schema: &AttrSchema,
        range: TextRange,
    ) -> Value {
        let mut lowered: Vec<MapEntry> = Vec::new();
        for (key, key_range, source, entry_range) in entries {
            if let Some(first) = lowered.iter().find(|it| it.key == key) {
                let first_range = first.key_range;
                self.push(
                    Diagnostic::error("P013", format!("key `{key}` is set twice"), self.file, key_range)
                        .label("set again here")
                        .secondary(self.file, first_range, "first set here")
                        .help("keep one of the two"),
                );
                continue;
            }
            let value = match (&attr_schema.ty, source) {
                (_, None) => Value { kind: ValueKind::Error, range: entry_range },
                (Ty::Map(inner), Some(EntrySource::Expr(expr))) => self.value(&expr, inner, None),
                (_, source) => match (attr_schema.field(&key), source) {
                    (Some(field), Some(EntrySource::Expr(expr))) => self.attr_value(&expr, field),
                    (Some(field), Some(EntrySource::Block(block))) if field.ty == Ty::Object => {
                        self.block_as_object(&block, field)
                    }
                    (Some(field), _) => {
                        self.push(
                            Diagnostic::error(
                                "P006",
                                format!("`{key}` is a {}, not a block", field.ty),
                                self.file,
                                key_range,
                            )
                            .label("written as a block here")
                            .help(format!("write it as a field, e.g. `{}`", field.example)),
                        );
                        Value { kind: ValueKind::Error, range: entry_range }
                    }
                    (None, source) => {
                        self.unknown_field(&key, key_range, attr_schema);
                        match source {
                            Some(EntrySource::Expr(expr)) => self.untyped(&expr),
                            _ => Value { kind: ValueKind::Error, range: entry_range },
                        }
                    }
                },
            };
            lowered.push(MapEntry { key, key_range, value });
        }
        if takes_fields(&attr_schema.ty) {
            for field in attr_schema.fields.iter().filter(|it| it.required) {
                if !lowered.iter().any(|it| it.key == field.name) {
                    self.push(
                        Diagnostic::error(
                            "P005",
                            format!("`{}` is missing the required field `{}`", attr_schema.name, field.name),
                            self.file,
                            range,
                        )
                        .label(format!("`{}` must be set here", field.name))
                        .help(format!("add `{}`", field.example)),
                    );
                }
            }
        }
        Value { kind: ValueKind::Map(exact(lowered)), range }
    }

    /// P004 for a key an object attribute does not have, with the nearest field.
    fn unknown_field(&mut self, key: &str, key_range: TextRange, attr_schema: &AttrSchema) {
        let mut diagnostic =
            Diagnostic::error("P004", format!("`{}` has no field `{key}`", attr_schema.name), self.file, key_range)
                .label("unknown field");
        let names: Vec<&str> = attr_schema.fields.iter().map(|it| it.name.as_str()).collect();
        diagnostic = match did_you_mean(key, names.iter().copied()) {
            Some(suggestion) => diagnostic.help(format!("did you mean `{suggestion}`?")).replace_with(
                format!("Change to `{suggestion}`"),
                Applicability::Safe,
                suggestion,
            ),
            None => diagnostic.help(format!(
                "the fields of `{}` are {}",
                attr_schema.name,
                names.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(", ")
            )),
        };
        self.push(diagnostic);
    }

    fn attr_value(&mut self, expr: &Expr, attr_schema: &AttrSchema) -> Value {
        if attr_schema.ty == Ty::Hcl {
            return match expr {
                Expr::Object(_) => {
                    let value = self.hcl_value(expr);
                    let ValueKind::Map(entries) = value.kind else { return value };
                    Value { kind: ValueKind::Body(entries), range: value.range }
                }
                _ => self.mismatch(expr, &Ty::Hcl, Some(&attr_schema.example)),
            };
        }
        let fields = takes_fields(&attr_schema.ty) || matches!(attr_schema.ty, Ty::Map(_));
        let value = if let (true, Expr::Object(object)) = (fields, expr) {
            let entries = object
                .entries()
                .filter_map(|entry| {
                    let key = entry.key()?;
                    Some((key.name()?, key.range(), entry.value().map(EntrySource::Expr), entry.syntax().text_range()))
                })
                .collect();
            self.object_value(entries, attr_schema, expr.range())
        } else {
            self.value(expr, &attr_schema.ty, Some(&attr_schema.example))
        };
        if let Some(format) = attr_schema.format {
            self.check_format(&value, format, &attr_schema.name);
        }
        value
    }

    /// P027: every plain string of the value (list items, map keys and values) in `format`.
    /// Interpolated strings are left to the rules that know what they resolve to.
    fn check_format(&mut self, value: &Value, format: Format, attr: &str) {
        let report = |this: &mut Self, text: &str, range: TextRange, reason: String| {
            let shown: String = text.chars().flat_map(char::escape_default).take(60).collect();
            this.push(
                Diagnostic::error("P027", format!("`{shown}` is not {}: {reason}", format.what()), this.file, range)
                    .label(format!("not {}", format.what()))
                    .help(format!("`{attr}` takes {}, e.g. `{}`", format.what(), format.example())),
            );
        };
        match &value.kind {
            ValueKind::String(text) => {
                if let Some(reason) = format.check(text) {
                    report(self, text, value.range, reason);
                }
            }
            ValueKind::List(items) => {
                for item in items {
                    self.check_format(item, format, attr);
                }
            }
            ValueKind::Map(entries) => {
                for entry in entries {
                    if let Some(reason) = format.check_key(&entry.key) {
                        report(self, &entry.key, entry.key_range, reason);
                    }
                    self.check_format(&entry.value, format, attr);
                }
            }
            _ => {}
        }
    }

    /// Lowers `expr` as a value of type `ty`; `example` is the catalog's example line for the
    /// attribute, shown when the value has the wrong type.
    fn value(&mut self, expr: &Expr, ty: &Ty, example: Option<&str>) -> Value {
        let range = expr.range();
        let kind = match (expr, ty) {
            (Expr::Error(_), _) => ValueKind::Error,
            (Expr::Paren(paren), _) => {
                return paren
                    .inner()
                    .map_or(Value { kind: ValueKind::Error, range }, |inner| self.value(&inner, ty, example))
            }
            (_, Ty::Union(options)) => {
                // A quantity in a unit no branch takes goes to the first quantity branch, whose
                // error names the unit (P007).
                let fitting = options.iter().find(|option| shape_fits(expr, option)).or_else(|| {
                    options.iter().find(|option| {
                        matches!(option, Ty::Cpu | Ty::Size | Ty::Duration | Ty::Percent)
                            && matches!(expr, Expr::Literal(literal) if literal.token().is_some_and(|it| it.kind() == SyntaxKind::QUANTITY))
                    })
                });
                return match fitting {
                    Some(option) => self.value(expr, option, example),
                    None => self.mismatch(expr, ty, example),
                };
            }
            (Expr::Range(range_expr), Ty::Range(inner)) => {
                let low =
                    range_expr.low().map_or(Value { kind: ValueKind::Error, range }, |it| self.value(&it, inner, None));
                let high = range_expr
                    .high()
                    .map_or(Value { kind: ValueKind::Error, range }, |it| self.value(&it, inner, None));
                if let Some(ordering) = compare(&low.kind, &high.kind) {
                    if ordering == std::cmp::Ordering::Greater {
                        let source = expr.syntax().text().to_string();
                        let swapped = match (range_expr.low(), range_expr.high()) {
                            (Some(l), Some(h)) => {
                                format!("{}..{}", h.syntax().text(), l.syntax().text())
                            }
                            _ => source.clone(),
                        };
                        self.push(
                            Diagnostic::error("P018", format!("the range `{source}` runs backwards"), self.file, range)
                                .label("the low end is above the high end")
                                .note("a range is written `low..high`")
                                .help(format!("write `{swapped}`"))
                                .replace_with("Swap the ends of the range", Applicability::Safe, swapped),
                        );
                    }
                }
                ValueKind::Range(Box::new(low), Box::new(high))
            }
            (_, Ty::Range(inner)) if !matches!(expr, Expr::Range(_)) => {
                // A plain `T` means `T..T`.
                let single = self.value(expr, inner, example);
                if matches!(single.kind, ValueKind::Error) {
                    return single;
                }
                ValueKind::Range(Box::new(single.clone()), Box::new(single))
            }
            (Expr::List(list), Ty::List(inner)) => {
                ValueKind::List(exact(list.items().map(|item| self.value(&item, inner, None)).collect()))
            }
            (Expr::Object(_), Ty::Map(_) | Ty::Object) => {
                // Reached for maps nested in lists or maps; attributes go through `attr_value`.
                let schema = AttrSchema {
                    name: "value".into(),
                    ty: ty.clone(),
                    required: false,
                    default: None,
                    doc: String::new(),
                    example: ty.example(),
                    fields: Vec::new(),
                    unsupported: Default::default(),
                    format: None,
                };
                return self.attr_value(expr, &schema);
            }
            (Expr::Literal(literal), _) => return self.literal(literal, ty, example, expr),
            (Expr::String(string), Ty::String) => self.string(string),
            (Expr::String(string), Ty::Enum(values)) => {
                let text = string.token().map(|it| ast::token_name(&it)).unwrap_or_default();
                if values.contains(&text) {
                    ValueKind::Enum(text)
                } else {
                    return self.unknown_value(&text, values, range);
                }
            }
            (Expr::NameRef(name_ref), Ty::Enum(values)) => {
                let text = name_ref.name().unwrap_or_default();
                if values.contains(&text) {
                    ValueKind::Enum(text)
                } else {
                    return self.unknown_value(&text, values, range);
                }
            }
            (Expr::NameRef(name_ref), Ty::Name) => match name_ref.name() {
                Some(name) => ValueKind::Enum(name),
                None => ValueKind::Error,
            },
            (Expr::String(string), Ty::Name) => {
                ValueKind::Enum(string.token().map(|it| ast::token_name(&it)).unwrap_or_default())
            }
            (Expr::NameRef(name_ref), Ty::Ref(kinds)) => match name_ref.name() {
                Some(name) => {
                    ValueKind::Ref(Box::new(Ref { name, name_range: range, field: None, kinds: kinds.clone() }))
                }
                None => ValueKind::Error,
            },
            (Expr::Field(field), Ty::Ref(_) | Ty::String) => match self.field_ref(field) {
                Some(mut reference) => {
                    if let Ty::Ref(kinds) = ty {
                        reference.kinds = kinds.clone();
                    }
                    ValueKind::Ref(Box::new(reference))
                }
                None => return self.mismatch(expr, ty, example),
            },
            (Expr::Call(call), Ty::Secret) => return self.call(call, ty, example, expr),
            (Expr::Call(call), _) => {
                // Report an unknown function before a type mismatch: it is the first problem.
                let value = self.call(call, &Ty::Secret, None, expr);
                if matches!(value.kind, ValueKind::Error) {
                    return value;
                }
                return self.mismatch(expr, ty, example);
            }
            _ => return self.mismatch(expr, ty, example),
        };
        Value { kind, range }
    }

    fn unknown_value(&mut self, text: &str, values: &[String], range: TextRange) -> Value {
        let shown = values.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(", ");
        let mut diagnostic =
            Diagnostic::error("P008", format!("`{text}` is not one of the allowed values"), self.file, range)
                .label(format!("expected one of {shown}"));
        diagnostic = match did_you_mean(text, values.iter().map(String::as_str)) {
            Some(suggestion) => diagnostic.help(format!("did you mean `{suggestion}`?")).replace_with(
                format!("Change to `{suggestion}`"),
                Applicability::Safe,
                suggestion,
            ),
            None => diagnostic.help(format!("use one of {shown}")),
        };
        self.push(diagnostic);
        Value { kind: ValueKind::Error, range }
    }

    fn field_ref(&mut self, field: &ast::FieldExpr) -> Option<Ref> {
        let Some(Expr::NameRef(target)) = field.target() else {
            return None;
        };
        let name = target.name()?;
        let field_name = field.field()?;
        Some(Ref {
            name,
            name_range: target.range(),
            field: Some((field_name.name()?, field_name.range())),
            kinds: Vec::new(),
        })
    }

    fn string(&mut self, string: &ast::StringLit) -> ValueKind {
        let Some(token) = string.token() else {
            return ValueKind::Error;
        };
        let mut parts = strings::string_parts(token.text());
        if let [strings::StringPart::Text(text)] = parts.as_mut_slice() {
            return ValueKind::String(std::mem::take(text));
        }
        let token_start = token.text_range().start();
        let mut lowered = Vec::new();
        for part in parts {
            match part {
                strings::StringPart::Text(text) => lowered.push(InterpolationPart::Text(text)),
                strings::StringPart::Interpolation { offset, source } => {
                    lowered.push(InterpolationPart::Value(
                        self.interpolation(&source, token_start + TextSize::from(offset)),
                    ));
                }
            }
        }
        ValueKind::Interpolated(exact(lowered))
    }

    /// Parses the source of `${ .. }` on its own and shifts its ranges into the file.
    fn interpolation(&mut self, source: &str, start: TextSize) -> Value {
        const PREFIX: &str = "x=";
        let parse = plan_syntax::parse(&format!("{PREFIX}{source}"));
        let shift = |range: TextRange| -> TextRange {
            let offset = TextSize::from(PREFIX.len() as u32);
            let start_in_source = range.start().checked_sub(offset).unwrap_or_default();
            let end_in_source = range.end().checked_sub(offset).unwrap_or_default();
            TextRange::new(start + start_in_source, start + end_in_source)
        };
        let whole = TextRange::at(start, TextSize::from(source.len() as u32));
        if let Some(error) = parse.errors.first() {
            self.push(
                Diagnostic::error(
                    "P001",
                    format!("in this interpolation: {}", error.message),
                    self.file,
                    shift(error.range),
                )
                .label("cannot read this interpolation"),
            );
            return Value { kind: ValueKind::Error, range: whole };
        }
        let expr = parse.tree().items().next().and_then(|item| match item {
            Item::Attribute(attribute) => attribute.value(),
            Item::Block(_) => None,
        });
        match expr {
            Some(Expr::NameRef(name_ref)) => match name_ref.name() {
                Some(name) => Value {
                    kind: ValueKind::Ref(Box::new(Ref { name, name_range: whole, field: None, kinds: Vec::new() })),
                    range: whole,
                },
                None => Value { kind: ValueKind::Error, range: whole },
            },
            Some(Expr::Field(field)) => match self.field_ref(&field) {
                Some(mut reference) => {
                    reference.name_range = shift(reference.name_range);
                    if let Some((_, range)) = reference.field.as_mut() {
                        *range = shift(*range);
                    }
                    Value { kind: ValueKind::Ref(Box::new(reference)), range: whole }
                }
                None => Value { kind: ValueKind::Error, range: whole },
            },
            Some(Expr::Literal(_) | Expr::String(_)) => {
                Value { kind: ValueKind::String(source.trim().to_string()), range: whole }
            }
            _ => {
                self.push(
                    Diagnostic::error(
                        "P006",
                        "an interpolation can only hold a reference, like `${api.host}`",
                        self.file,
                        whole,
                    )
                    .label("not a reference"),
                );
                Value { kind: ValueKind::Error, range: whole }
            }
        }
    }

    fn call(&mut self, call: &ast::CallExpr, ty: &Ty, example: Option<&str>, expr: &Expr) -> Value {
        let range = expr.range();
        let callee = match call.callee() {
            Some(Expr::NameRef(name_ref)) => name_ref.name().unwrap_or_default(),
            _ => String::new(),
        };
        if callee != "secret" {
            self.push(
                Diagnostic::error("P022", format!("unknown function `{callee}`"), self.file, range)
                    .label("not a function")
                    .help("the only function is `secret(\"name\")`, a value kept out of every output"),
            );
            return Value { kind: ValueKind::Error, range };
        }
        let args = call.args();
        let name = match args.as_slice() {
            [Expr::String(string)] => string.token().map(|it| ast::token_name(&it)),
            _ => None,
        };
        let Some(name) = name else {
            self.push(
                Diagnostic::error(
                    "P022",
                    "`secret` takes one argument: the secret's name as a string",
                    self.file,
                    range,
                )
                .label("wrong arguments")
                .help("write `secret(\"orders-db-password\")`"),
            );
            return Value { kind: ValueKind::Error, range };
        };
        if *ty != Ty::Secret {
            return self.mismatch(expr, ty, example);
        }
        Value { kind: ValueKind::Secret(name), range }
    }

    fn literal(&mut self, literal: &ast::Literal, ty: &Ty, example: Option<&str>, expr: &Expr) -> Value {
        let range = expr.range();
        let Some(token) = literal.token() else {
            return Value { kind: ValueKind::Error, range };
        };
        let text = token.text();
        let kind = match (token.kind(), ty) {
            (SyntaxKind::TRUE_KW, Ty::Bool) => ValueKind::Bool(true),
            (SyntaxKind::FALSE_KW, Ty::Bool) => ValueKind::Bool(false),
            (SyntaxKind::TEXT_BLOCK, Ty::String) => ValueKind::String(strings::text_block_value(text)),
            (SyntaxKind::NUMBER, Ty::Int | Ty::Float | Ty::Cpu | Ty::Percent) => {
                let Some(number) = self.number(text, range) else {
                    return Value { kind: ValueKind::Error, range };
                };
                match ty {
                    Ty::Int if number.fract() != 0.0 => return self.mismatch(expr, ty, example),
                    Ty::Int if number.abs() > 9.0e15 => {
                        self.push(
                            Diagnostic::error("P021", format!("`{text}` is too large"), self.file, range)
                                .label("out of range"),
                        );
                        return Value { kind: ValueKind::Error, range };
                    }
                    Ty::Int => ValueKind::Int(number as i64),
                    Ty::Float => ValueKind::Float(F64::new(number)),
                    // A plain number where a cpu is expected means cores.
                    Ty::Cpu if number >= 0.0 => ValueKind::Cpu((number * 1000.0).round() as u64),
                    Ty::Percent => {
                        let with_unit = format!("{text}%");
                        self.push(
                            Diagnostic::error(
                                "P007",
                                format!("`{text}` has no unit; a percentage is expected"),
                                self.file,
                                range,
                            )
                            .label("add `%`")
                            .help(format!("write `{with_unit}`"))
                            .replace_with(
                                format!("Change to `{with_unit}`"),
                                Applicability::Safe,
                                with_unit,
                            ),
                        );
                        return Value { kind: ValueKind::Error, range };
                    }
                    _ => return self.negative(text, range),
                }
            }
            (SyntaxKind::NUMBER, Ty::Size | Ty::Duration) => {
                let unit = if *ty == Ty::Size { "Mi" } else { "s" };
                let suggestion = format!("{text}{unit}");
                self.push(
                    Diagnostic::error("P007", format!("`{text}` has no unit; a {ty} is expected"), self.file, range)
                        .label("a unit is missing")
                        .help(format!("add a unit, e.g. `{suggestion}`; the units are {}", units::ALL_UNITS))
                        .replace_with(format!("Change to `{suggestion}`"), Applicability::Unsafe, suggestion),
                );
                return Value { kind: ValueKind::Error, range };
            }
            (SyntaxKind::QUANTITY, Ty::Cpu | Ty::Size | Ty::Duration | Ty::Percent) => {
                return self.quantity(text, ty, range)
            }
            (SyntaxKind::MONEY, Ty::Money) => match self.money(text, range) {
                Some(micros) => ValueKind::Money(micros),
                None => ValueKind::Error,
            },
            (SyntaxKind::QUANTITY, _) if units::unit(split_quantity(text).1).is_none() => {
                // An unknown unit is the first problem, whatever the type.
                return self.quantity(text, &Ty::Size, range);
            }
            _ => return self.mismatch(expr, ty, example),
        };
        Value { kind, range }
    }

    fn negative(&mut self, text: &str, range: TextRange) -> Value {
        self.push(
            Diagnostic::error("P021", format!("`{text}` cannot be negative here"), self.file, range)
                .label("negative value")
                .help("use a value of zero or more"),
        );
        Value { kind: ValueKind::Error, range }
    }

    fn number(&mut self, text: &str, range: TextRange) -> Option<f64> {
        match text.replace('_', "").parse::<f64>() {
            Ok(number) if number.is_finite() => Some(number),
            _ => {
                self.push(
                    Diagnostic::error("P021", format!("`{text}` is not a number that can be read"), self.file, range)
                        .label("invalid number"),
                );
                None
            }
        }
    }

    fn quantity(&mut self, text: &str, ty: &Ty, range: TextRange) -> Value {
        let (number_text, unit_text) = split_quantity(text);
        let error = Value { kind: ValueKind::Error, range };
        let Some((dimension, scale)) = units::unit(unit_text) else {
            self.push(
                Diagnostic::error("P021", format!("unknown unit `{unit_text}`"), self.file, range)
                    .label("not a unit")
                    .help(format!("the units are {}", units::ALL_UNITS)),
            );
            return error;
        };
        let expected = match ty {
            Ty::Cpu => Dimension::Cpu,
            Ty::Size => Dimension::Size,
            Ty::Duration => Dimension::Duration,
            _ => Dimension::Percent,
        };
        if dimension != expected {
            let mut diagnostic = Diagnostic::error(
                "P007",
                format!("`{text}` is a {}, but a {} is expected here", dimension.name(), expected.name()),
                self.file,
                range,
            )
            .label(format!("`{unit_text}` measures {}", dimension.name()));
            if unit_text == "m" {
                diagnostic = diagnostic
                    .note("`m` means millicores (a thousandth of a core); mebibytes are `Mi` and minutes `min`");
            }
            diagnostic = match units::likely_literal(number_text, unit_text, expected) {
                Some(likely) => diagnostic.help(format!("did you mean `{likely}`?")).replace_with(
                    format!("Change to `{likely}`"),
                    Applicability::Unsafe,
                    likely,
                ),
                None => diagnostic.help(format!("write a {}, e.g. `{}`", expected.name(), ty.example())),
            };
            self.push(diagnostic);
            return error;
        }
        let Some(number) = self.number(number_text, range) else {
            return error;
        };
        if number < 0.0 {
            return self.negative(text, range);
        }
        let base = number * scale;
        if base > 1.8e19 {
            self.push(
                Diagnostic::error("P021", format!("`{text}` is too large"), self.file, range).label("out of range"),
            );
            return error;
        }
        let kind = match expected {
            Dimension::Cpu => ValueKind::Cpu(base.round() as u64),
            Dimension::Size => ValueKind::Size(base.round() as u64),
            Dimension::Duration => ValueKind::Duration(base.round() as u64),
            Dimension::Percent => ValueKind::Percent(F64::new(number)),
        };
        Value { kind, range }
    }

    /// `$4000/mo` to micro-USD per month (730 hours, 12 months a year).
    fn money(&mut self, text: &str, range: TextRange) -> Option<i64> {
        let body = text.trim_start_matches('$');
        let (amount_text, period) = match body.split_once('/') {
            Some((amount, period)) => (amount, period),
            None => {
                self.push(
                    Diagnostic::error("P021", format!("`{text}` has no period"), self.file, range)
                        .label("per month, hour or year?")
                        .help(format!("write `{text}/mo`, `{text}/h` or `{text}/yr`"))
                        .replace_with("Add `/mo`", Applicability::Unsafe, format!("{text}/mo")),
                );
                return None;
            }
        };
        let amount = self.number(amount_text, range)?;
        let per_month = match period {
            "mo" => amount,
            "h" => amount * 730.0,
            "yr" => amount / 12.0,
            _ => {
                self.push(
                    Diagnostic::error("P021", format!("unknown period `/{period}`"), self.file, range)
                        .label("not a period")
                        .help("money is written per month `/mo`, per hour `/h` or per year `/yr`"),
                );
                return None;
            }
        };
        if per_month.abs() > 9.0e12 {
            self.push(
                Diagnostic::error("P021", format!("`{text}` is too large"), self.file, range).label("out of range"),
            );
            return None;
        }
        Some((per_month * 1e6).round() as i64)
    }

    fn mismatch(&mut self, expr: &Expr, ty: &Ty, example: Option<&str>) -> Value {
        let range = expr.range();
        let found = describe(expr);
        let mut diagnostic =
            Diagnostic::error("P006", format!("expected {}, found {found}", describe_ty(ty)), self.file, range)
                .label(format!("this is {found}"));
        let example = example.map(str::to_string).unwrap_or_else(|| ty.example());
        // Common slips get a precise fix.
        let text = expr.syntax().text().to_string();
        diagnostic = match (expr, ty) {
            (Expr::NameRef(_), Ty::String) => {
                let quoted = format!("\"{text}\"");
                diagnostic.help(format!("strings are quoted: `{quoted}`")).replace_with("Quote the string", Applicability::Safe, quoted)
            }
            (Expr::String(string), Ty::Ref(_)) => {
                let name = string.token().map(|it| ast::token_name(&it)).unwrap_or_default();
                if is_valid_name(&name) {
                    diagnostic
                        .help(format!("a reference is written without quotes: `{name}`"))
                        .replace_with("Remove the quotes", Applicability::Safe, name)
                } else {
                    diagnostic.help(format!("e.g. `{example}`"))
                }
            }
            (Expr::String(_), Ty::Secret) => diagnostic
                .help(format!("keep secret values out of plan files: write `secret(\"name\")` and store the value in the secret store"))
                .note("a plain string would be written into every output"),
            (Expr::Literal(_), Ty::String) if !text.starts_with('"') => {
                let quoted = format!("\"{text}\"");
                diagnostic.help(format!("strings are quoted: `{quoted}`")).replace_with("Quote the value", Applicability::Unsafe, quoted)
            }
            _ => diagnostic.help(format!("e.g. `{example}`")),
        };
        self.push(diagnostic);
        Value { kind: ValueKind::Error, range }
    }

    /// Lowers a value whose type is unknown (an unknown attribute or kind), so that its
    /// references are still resolved.
    fn untyped(&mut self, expr: &Expr) -> Value {
        let range = expr.range();
        let kind = match expr {
            Expr::NameRef(name_ref) => match name_ref.name() {
                Some(name) => ValueKind::Ref(Box::new(Ref { name, name_range: range, field: None, kinds: Vec::new() })),
                None => ValueKind::Error,
            },
            Expr::Field(field) => {
                self.field_ref(field).map_or(ValueKind::Error, |reference| ValueKind::Ref(Box::new(reference)))
            }
            Expr::List(list) => ValueKind::List(exact(list.items().map(|item| self.untyped(&item)).collect())),
            Expr::Object(object) => ValueKind::Map(exact(self.object_entries(object, range, Self::untyped))),
            Expr::String(string) => self.string(string),
            Expr::Paren(paren) => {
                return paren.inner().map_or(Value { kind: ValueKind::Error, range }, |it| self.untyped(&it))
            }
            Expr::Range(range_expr) => {
                let low = range_expr.low().map_or(Value { kind: ValueKind::Error, range }, |it| self.untyped(&it));
                let high = range_expr.high().map_or(Value { kind: ValueKind::Error, range }, |it| self.untyped(&it));
                ValueKind::Range(Box::new(low), Box::new(high))
            }
            _ => ValueKind::Error,
        };
        Value { kind, range }
    }

    /// A Terraform body: `key = value` arguments and unlabelled nested blocks, which may
    /// repeat. Values stay as written for the provider's schema to judge (CAT510).
    fn hcl_body(&mut self, block: &ast::Block) -> Value {
        let mut entries: Vec<MapEntry> = Vec::new();
        for item in block.items() {
            match item {
                Item::Attribute(attribute) => {
                    let Some(key) = attribute.key() else { continue };
                    let Some(name) = key.name() else { continue };
                    if let Some(first) =
                        entries.iter().find(|it| it.key == name && !matches!(it.value.kind, ValueKind::Body(_)))
                    {
                        let first_range = first.key_range;
                        self.push(
                            Diagnostic::error(
                                "P013",
                                format!("argument `{name}` is set twice"),
                                self.file,
                                key.range(),
                            )
                            .label("set again here")
                            .secondary(self.file, first_range, "first set here")
                            .help("keep one of the two"),
                        );
                        continue;
                    }
                    let value = attribute
                        .value()
                        .map_or(Value { kind: ValueKind::Error, range: attribute.range() }, |it| self.hcl_value(&it));
                    entries.push(MapEntry { key: name, key_range: key.range(), value });
                }
                Item::Block(inner) => {
                    let Some(kind_token) = inner.kind_token() else { continue };
                    if let Some(label) = inner.label() {
                        self.push(
                            Diagnostic::error(
                                "P020",
                                format!(
                                    "a nested Terraform block is written without a label: `{} {{ ... }}`",
                                    kind_token.text()
                                ),
                                self.file,
                                label.range(),
                            )
                            .label("unexpected label")
                            .help("remove the label; Terraform's nested blocks of a resource have none"),
                        );
                        continue;
                    }
                    let value = self.hcl_body(&inner);
                    entries.push(MapEntry {
                        key: kind_token.text().to_string(),
                        key_range: kind_token.text_range(),
                        value,
                    });
                }
            }
        }
        Value { kind: ValueKind::Body(exact(entries)), range: block.range() }
    }

    /// A Terraform argument's value: a number, bool, string, list, object, `secret(..)` or a
    /// reference to a Plan output (`orders.host`). Quantities have no Terraform meaning and are
    /// rejected rather than guessed at.
    fn hcl_value(&mut self, expr: &Expr) -> Value {
        let range = expr.range();
        let kind = match expr {
            Expr::Paren(paren) => {
                return paren.inner().map_or(Value { kind: ValueKind::Error, range }, |it| self.hcl_value(&it))
            }
            Expr::Literal(literal) => match literal.token().map(|it| it.kind()) {
                Some(SyntaxKind::TRUE_KW | SyntaxKind::FALSE_KW) => return self.value(expr, &Ty::Bool, None),
                Some(SyntaxKind::TEXT_BLOCK) => return self.value(expr, &Ty::String, None),
                Some(SyntaxKind::NUMBER) => {
                    let text = literal.token().map(|it| it.text().to_string()).unwrap_or_default();
                    let whole = !text.contains(['.', 'e', 'E']);
                    return self.value(expr, if whole { &Ty::Int } else { &Ty::Float }, None);
                }
                _ => {
                    let text = expr.syntax().text().to_string();
                    self.push(
                        Diagnostic::error(
                            "P006",
                            format!("`{text}` is a Plan quantity; Terraform arguments take plain values"),
                            self.file,
                            range,
                        )
                        .label("no unit in Terraform")
                        .help("write the number the provider's argument takes (e.g. `7` for days), or a string"),
                    );
                    ValueKind::Error
                }
            },
            Expr::String(string) => self.string(string),
            Expr::List(list) => ValueKind::List(exact(list.items().map(|item| self.hcl_value(&item)).collect())),
            Expr::Object(object) => ValueKind::Map(exact(self.object_entries(object, range, Self::hcl_value))),
            Expr::Call(_) => return self.value(expr, &Ty::Secret, None),
            Expr::NameRef(_) | Expr::Field(_) => return self.untyped(expr),
            _ => return self.mismatch(expr, &Ty::Hcl, None),
        };
        Value { kind, range }
    }

    /// The entries of an object literal, each value lowered by `lower`.
    fn object_entries(
        &mut self,
        object: &ast::ObjectExpr,
        range: TextRange,
        lower: fn(&mut Self, &Expr) -> Value,
    ) -> Vec<MapEntry> {
        object
            .entries()
            .filter_map(|entry| {
                let key = entry.key()?;
                let value = entry.value().map_or(Value { kind: ValueKind::Error, range }, |it| lower(self, &it));
                Some(MapEntry { key: key.name()?, key_range: key.range(), value })
            })
            .collect()
    }

    fn untyped_block(&mut self, block: &ast::Block) -> Value {
        let entries = block
            .items()
            .filter_map(|item| match item {
                Item::Attribute(attribute) => {
                    let key = attribute.key()?;
                    let value = attribute
                        .value()
                        .map_or(Value { kind: ValueKind::Error, range: attribute.range() }, |it| self.untyped(&it));
                    Some(MapEntry { key: key.name()?, key_range: key.range(), value })
                }
                Item::Block(_) => None,
            })
            .collect();
        Value { kind: ValueKind::Map(exact(entries)), range: block.range() }
    }
}

/// `512Mi` to (`512`, `Mi`).
fn split_quantity(text: &str) -> (&str, &str) {
    let split = text.find(|ch: char| ch.is_ascii_alphabetic() || ch == '%').unwrap_or(text.len());
    text.split_at(split)
}

/// Whether an expression has the shape of a type, for choosing a branch of a union.
fn shape_fits(expr: &Expr, ty: &Ty) -> bool {
    match (expr, ty) {
        (Expr::Paren(paren), _) => paren.inner().is_some_and(|inner| shape_fits(&inner, ty)),
        (Expr::NameRef(name_ref), Ty::Enum(values)) => name_ref.name().is_some_and(|name| values.contains(&name)),
        (Expr::NameRef(_) | Expr::Field(_), Ty::Ref(_)) => true,
        (Expr::NameRef(_) | Expr::String(_), Ty::Name) => true,
        (Expr::String(_), Ty::String) => true,
        (Expr::Literal(literal), Ty::String) => literal.token().is_some_and(|it| it.kind() == SyntaxKind::TEXT_BLOCK),
        (Expr::Call(_), Ty::Secret) => true,
        (Expr::List(_), Ty::List(_)) => true,
        (Expr::Object(_), Ty::Map(_) | Ty::Object | Ty::Hcl) => true,
        (Expr::Range(_), Ty::Range(_)) => true,
        (Expr::Literal(literal), ty) => match literal.token().map(|it| it.kind()) {
            Some(SyntaxKind::TRUE_KW | SyntaxKind::FALSE_KW) => *ty == Ty::Bool,
            Some(SyntaxKind::NUMBER) => matches!(ty, Ty::Int | Ty::Float | Ty::Cpu),
            Some(SyntaxKind::QUANTITY) => {
                // The unit picks the branch: `500ms` is the duration of `percent | duration`.
                let text = literal.token().map(|it| it.text().to_string()).unwrap_or_default();
                match units::unit(split_quantity(&text).1).map(|it| it.0) {
                    Some(Dimension::Cpu) => *ty == Ty::Cpu,
                    Some(Dimension::Size) => *ty == Ty::Size,
                    Some(Dimension::Duration) => *ty == Ty::Duration,
                    Some(Dimension::Percent) => *ty == Ty::Percent,
                    None => matches!(ty, Ty::Cpu | Ty::Size | Ty::Duration | Ty::Percent),
                }
            }
            Some(SyntaxKind::MONEY) => *ty == Ty::Money,
            _ => false,
        },
        _ => false,
    }
}

/// Orders two scalar values of the same kind, for range checks.
fn compare(low: &ValueKind, high: &ValueKind) -> Option<std::cmp::Ordering> {
    match (low, high) {
        (ValueKind::Int(a), ValueKind::Int(b)) => Some(a.cmp(b)),
        (ValueKind::Cpu(a), ValueKind::Cpu(b))
        | (ValueKind::Size(a), ValueKind::Size(b))
        | (ValueKind::Duration(a), ValueKind::Duration(b)) => Some(a.cmp(b)),
        (ValueKind::Money(a), ValueKind::Money(b)) => Some(a.cmp(b)),
        (ValueKind::Float(a), ValueKind::Float(b)) | (ValueKind::Percent(a), ValueKind::Percent(b)) => {
            a.get().partial_cmp(&b.get())
        }
        _ => None,
    }
}

fn describe(expr: &Expr) -> String {
    match expr {
        Expr::Literal(literal) => match literal.token().map(|it| (it.kind(), it.text().to_string())) {
            Some((SyntaxKind::TRUE_KW | SyntaxKind::FALSE_KW, _)) => "a bool".into(),
            Some((SyntaxKind::NUMBER, _)) => "a number".into(),
            Some((SyntaxKind::QUANTITY, text)) => {
                let (_, unit) = split_quantity(&text);
                match units::unit(unit) {
                    Some((dimension, _)) => format!("a {}", dimension.name()),
                    None => "a quantity".into(),
                }
            }
            Some((SyntaxKind::MONEY, _)) => "an amount of money".into(),
            Some((SyntaxKind::TEXT_BLOCK, _)) => "a text block".into(),
            _ => "a value".into(),
        },
        Expr::String(_) => "a string".into(),
        Expr::NameRef(name_ref) => format!("the name `{}`", name_ref.name().unwrap_or_default()),
        Expr::Field(_) => "a reference".into(),
        Expr::Call(_) => "a call".into(),
        Expr::Paren(paren) => paren.inner().map_or("a value".into(), |it| describe(&it)),
        Expr::List(_) => "a list".into(),
        Expr::Object(_) => "an object".into(),
        Expr::Range(_) => "a range".into(),
        Expr::Error(_) => "an error".into(),
    }
}

fn describe_ty(ty: &Ty) -> String {
    match ty {
        Ty::Enum(_) | Ty::Ref(_) | Ty::Union(_) => ty.to_string(),
        Ty::Object => "an object".into(),
        Ty::Hcl => "a Terraform body `{ argument = value ... }`".into(),
        _ => format!("a {ty}"),
    }
}

fn display_name(block: &Block) -> String {
    block.name.as_ref().map_or_else(String::new, |name| format!("`{name}`"))
}

fn first_sentence(doc: &str) -> String {
    let doc = doc.trim();
    match doc.find(". ") {
        Some(end) => doc[..=end].to_string(),
        None => doc.to_string(),
    }
}

//! Name resolution: every reference names a declared block of an accepted kind (or one of its
//! outputs or nested blocks), every top-level name is declared once, every `env` override
//! names a declared environment.

use std::sync::Arc;

use crate::catalog::{Catalog, Placement};
use crate::db::{file_ir, workspace_index, Db, Index, SourceFile, Workspace};
use crate::diagnostics::{did_you_mean, Applicability, Diagnostic};
use crate::ir::{Attr, Block, FileIr, Ref};

pub(super) fn check_names(db: &dyn Db, workspace: Workspace, file: SourceFile, ir: &FileIr, acc: &mut Vec<Diagnostic>) {
    let index = workspace_index(db, workspace);
    let path = file.path(db);
    let mut resolver = Resolver { index, path, acc };
    for (position, block) in ir.blocks.iter().enumerate() {
        if let (Some(name), Some(range)) = (&block.name, block.name_range) {
            resolver.check_duplicate(db, workspace, file, ir, position, name, range);
        }
        resolver.block(block);
    }
}

struct Resolver<'a> {
    index: &'a Index,
    path: &'a Arc<str>,
    acc: &'a mut Vec<Diagnostic>,
}

impl Resolver<'_> {
    #[allow(clippy::too_many_arguments)]
    fn check_duplicate(
        &mut self,
        db: &dyn Db,
        workspace: Workspace,
        file: SourceFile,
        ir: &FileIr,
        position: usize,
        name: &str,
        range: crate::syntax::TextRange,
    ) {
        let Some(declarations) = self.index.names.get(name) else { return };
        if declarations.len() < 2 {
            return;
        }
        let first = &declarations[0];
        // The first declaration is in an earlier file, or earlier in this one.
        let first_here = ir.blocks.iter().position(|it| it.name.as_deref() == Some(name));
        if first.file == file && first_here == Some(position) {
            return;
        }
        let first_range = if first.file == file {
            first_here.and_then(|at| ir.blocks[at].name_range)
        } else {
            file_ir(db, first.file)
                .value
                .blocks
                .iter()
                .find(|it| it.name.as_deref() == Some(name))
                .and_then(|it| it.name_range)
        };
        let _ = workspace;
        let mut diagnostic =
            Diagnostic::error("P012", format!("the name `{name}` is declared more than once"), self.path, range)
                .label("declared again here")
                .note("names are global to the workspace: every file shares one namespace")
                .help("rename one of the two blocks");
        if let Some(first_range) = first_range {
            diagnostic =
                diagnostic.secondary(first.file.path(db), first_range, format!("`{name}` is first declared here"));
        }
        self.acc.push(diagnostic);
    }

    fn block(&mut self, block: &Block) {
        self.block_in(block, None);
    }

    fn block_in(&mut self, block: &Block, parent: Option<&Block>) {
        for attr in &block.attrs {
            self.attr(attr, block, parent);
        }
        for child in &block.children {
            self.block_in(child, Some(block));
        }
        for env_override in &block.overrides {
            if !self.index.envs.contains(&env_override.env) {
                self.undeclared_env(&env_override.env, env_override.env_range);
            }
            for attr in &env_override.attrs {
                self.attr(attr, block, parent);
            }
        }
    }

    fn attr(&mut self, attr: &Attr, block: &Block, parent: Option<&Block>) {
        // A decision's `chosen` and `affects` are checked by ADR601 and ADR602.
        if block.kind == "decision" && matches!(attr.name.as_str(), "chosen" | "affects") {
            return;
        }
        // A phase's `after` names its siblings (`after = [replicate]`).
        let scope = match parent {
            Some(parent) if block.kind == "phase" => parent,
            _ => block,
        };
        attr.value.for_each_ref(&mut |reference| {
            if !self.nested_reference(reference, scope) {
                self.reference(reference);
            }
        });
    }

    /// A reference to a nested kind (`chosen = postgres` naming an `option`) names a block
    /// nested in the block it is written in (or, for a phase, in its migration). Returns
    /// whether the reference was handled.
    fn nested_reference(&mut self, reference: &Ref, block: &Block) -> bool {
        let catalog = Catalog::builtin();
        let nested_only = !reference.kinds.is_empty()
            && reference
                .kinds
                .iter()
                .all(|kind| catalog.kind(kind).is_some_and(|it| it.placement == Placement::Nested));
        if !nested_only || reference.field.is_some() {
            return false;
        }
        let nested_here =
            reference.kinds.iter().any(|kind| catalog.kind(kind).is_some_and(|it| it.parents.contains(&block.kind)));
        if !nested_here && self.singleton_child(reference) {
            return true;
        }
        if !nested_here {
            self.nested_elsewhere(reference);
            return true;
        }
        if block
            .children
            .iter()
            .any(|child| child.name.as_ref() == Some(&reference.name) && reference.kinds.contains(&child.kind))
        {
            return true;
        }
        let kinds = reference.kinds.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(" or ");
        let siblings: Vec<&str> = block
            .children
            .iter()
            .filter(|child| reference.kinds.contains(&child.kind))
            .filter_map(|child| child.name.as_deref())
            .collect();
        let owner = block
            .name
            .as_deref()
            .map_or_else(|| format!("this `{}`", block.kind), |name| format!("`{}` `{name}`", block.kind));
        let mut diagnostic = Diagnostic::error(
            "P009",
            format!("{owner} has no {kinds} named `{}`", reference.name),
            self.path,
            reference.name_range,
        )
        .label(format!("no such {kinds} in this block"));
        diagnostic = match did_you_mean(&reference.name, siblings.iter().copied()) {
            Some(suggestion) => diagnostic.help(format!("did you mean `{suggestion}`?")).replace_with(
                format!("Change to `{suggestion}`"),
                Applicability::Safe,
                suggestion,
            ),
            None if siblings.is_empty() => diagnostic
                .help(format!("declare it inside this block: `{} {} {{ ... }}`", reference.kinds[0], reference.name)),
            None => diagnostic.help(format!(
                "the {kinds} blocks here are {}",
                siblings.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(", ")
            )),
        };
        self.acc.push(diagnostic);
        true
    }

    /// A kind nested in an unnamed block (`notify` in `monitoring`) is named by itself from
    /// anywhere: there is one such parent. Returns whether the reference was handled.
    fn singleton_child(&mut self, reference: &Ref) -> bool {
        let catalog = Catalog::builtin();
        let parents: Vec<&String> = reference
            .kinds
            .iter()
            .filter_map(|kind| catalog.kind(kind))
            .flat_map(|kind| kind.parents.iter())
            .filter(|parent| catalog.kind(parent).is_some_and(|it| it.placement == Placement::Singleton))
            .collect();
        let Some(parent) = parents.first() else { return false };
        let declared: Vec<&str> = self
            .index
            .singleton_children
            .get(parent.as_str())
            .into_iter()
            .flatten()
            .filter(|(_, kind)| reference.kinds.contains(kind))
            .map(|(name, _)| name.as_str())
            .collect();
        if declared.contains(&reference.name.as_str()) {
            return true;
        }
        let kinds = reference.kinds.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(" or ");
        let mut diagnostic = Diagnostic::error(
            "P009",
            format!("no {kinds} named `{}` is declared in `{parent}`", reference.name),
            self.path,
            reference.name_range,
        )
        .label(format!("not a {kinds} of `{parent}`"));
        diagnostic = match did_you_mean(&reference.name, declared.iter().copied()) {
            Some(suggestion) => diagnostic.help(format!("did you mean `{suggestion}`?")).replace_with(
                format!("Change to `{suggestion}`"),
                Applicability::Safe,
                suggestion,
            ),
            None if declared.is_empty() => diagnostic.help(format!(
                "declare it in the `{parent}` block: `{} {} {{ ... }}`",
                reference.kinds[0], reference.name
            )),
            None => diagnostic.help(format!(
                "the {kinds} blocks are {}",
                declared.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(", ")
            )),
        };
        self.acc.push(diagnostic);
        true
    }

    /// A nested kind named from outside its parent (`node_pool = general` on a service) must be
    /// written `parent.name`.
    fn nested_elsewhere(&mut self, reference: &Ref) {
        let kinds = reference.kinds.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(" or ");
        let mut choices: Vec<String> = self
            .index
            .children
            .iter()
            .flat_map(|(parent, children)| {
                children
                    .iter()
                    .filter(|(_, kind)| reference.kinds.contains(kind))
                    .map(move |(child, _)| format!("{parent}.{child}"))
            })
            .collect();
        choices.sort();
        let declared = self.index.lookup(&reference.name);
        let (code, message) = match declared {
            Some(declaration) => (
                "P010",
                format!(
                    "`{}` is {} `{}`, but {kinds} is expected here",
                    reference.name,
                    article_of(&declaration.kind),
                    declaration.kind
                ),
            ),
            None => ("P009", format!("`{}` is not declared", reference.name)),
        };
        let mut diagnostic = Diagnostic::error(code, message, self.path, reference.name_range)
            .label(format!("a {kinds} is named through the block it is declared in"));
        let prefix = format!("{}.", reference.name);
        let own: Vec<String> = choices.iter().filter(|it| it.starts_with(&prefix)).cloned().collect();
        diagnostic = match (own.as_slice(), choices.as_slice()) {
            ([one], _) => diagnostic.help(format!("did you mean `{one}`?")).replace_with(
                format!("Change to `{one}`"),
                Applicability::Unsafe,
                one.as_str(),
            ),
            ([], []) => diagnostic.help(format!("write `parent.name`, e.g. `apps.general` for a {kinds} of `apps`")),
            ([], some) | (some, _) => diagnostic.help(format!(
                "write `parent.name`: {}",
                some.iter().take(8).map(|it| format!("`{it}`")).collect::<Vec<_>>().join(", ")
            )),
        };
        self.acc.push(diagnostic);
    }

    fn undeclared_env(&mut self, env: &str, range: crate::syntax::TextRange) {
        let declared: Vec<&str> = self.index.envs.iter().map(String::as_str).collect();
        let shown = declared.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(", ");
        let mut diagnostic =
            Diagnostic::error("P014", format!("the environment `{env}` is not declared"), self.path, range)
                .label("no `env` block declares it")
                .note(format!("the declared environments are {shown}"));
        diagnostic = match did_you_mean(env, declared.iter().copied()) {
            Some(suggestion) => diagnostic.help(format!("did you mean `{suggestion}`?")).replace_with(
                format!("Change to `{suggestion}`"),
                Applicability::Safe,
                suggestion,
            ),
            None => diagnostic.help(format!("declare it at the top level: `env {env} {{ }}`")),
        };
        self.acc.push(diagnostic);
    }

    fn reference(&mut self, reference: &Ref) {
        let name = reference.name.as_str();
        let wants_env = reference.kinds.iter().any(|it| it == "env");
        if wants_env && reference.field.is_none() && !self.index.has_env_blocks && name == "default" {
            return;
        }
        let Some(declaration) = self.index.lookup(name) else {
            if wants_env && reference.kinds.len() == 1 {
                self.undeclared_env(name, reference.name_range);
                return;
            }
            let mut diagnostic =
                Diagnostic::error("P009", format!("`{name}` is not declared"), self.path, reference.name_range)
                    .label("no block has this name");
            let candidates: Vec<&str> = self.index.names_of_kinds(&reference.kinds).collect();
            diagnostic = match did_you_mean(name, candidates.iter().copied()) {
                Some(suggestion) => diagnostic.help(format!("did you mean `{suggestion}`?")).replace_with(
                    format!("Change to `{suggestion}`"),
                    Applicability::Safe,
                    suggestion,
                ),
                None if reference.kinds.is_empty() => {
                    diagnostic.help("declare a block with this name, or fix the name")
                }
                None => diagnostic.help(format!("declare it, e.g. `{} {name} {{ ... }}`", reference.kinds[0])),
            };
            self.acc.push(diagnostic);
            return;
        };
        let mut resolved_kind = declaration.kind.clone();
        if let Some((field, field_range)) = &reference.field {
            let child =
                self.index.children.get(name).and_then(|children| children.iter().find(|(child, _)| child == field));
            let schema = Catalog::builtin().kind(&declaration.kind);
            match (child, schema) {
                // A raw resource's attributes are its provider's; CAT510 checks the name.
                (None, _) if declaration.kind == "terraform" => return,
                (Some((_, child_kind)), _) => resolved_kind = child_kind.clone(),
                (None, Some(schema)) if schema.output(field).is_some() => return,
                (None, None) => return, // An unknown kind was reported where it is declared.
                (None, Some(schema)) => {
                    let outputs: Vec<&str> = schema.outputs.iter().map(|it| it.name.as_str()).collect();
                    let mut candidates = outputs.clone();
                    if let Some(children) = self.index.children.get(name) {
                        candidates.extend(children.iter().map(|(child, _)| child.as_str()));
                    }
                    let mut diagnostic = Diagnostic::error(
                        "P011",
                        format!("`{}` `{name}` has no output or nested block `{field}`", declaration.kind),
                        self.path,
                        *field_range,
                    )
                    .label("unknown output");
                    diagnostic = match did_you_mean(field, candidates.iter().copied()) {
                        Some(suggestion) => diagnostic.help(format!("did you mean `{suggestion}`?")).replace_with(
                            format!("Change to `{suggestion}`"),
                            Applicability::Safe,
                            suggestion,
                        ),
                        None if outputs.is_empty() => {
                            diagnostic.help(format!("a `{}` has no outputs", declaration.kind))
                        }
                        None => diagnostic.help(format!(
                            "the outputs of a `{}` are {}",
                            declaration.kind,
                            outputs.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(", ")
                        )),
                    };
                    self.acc.push(diagnostic);
                    return;
                }
            }
        }
        if !reference.kinds.is_empty() && !reference.kinds.contains(&resolved_kind) {
            let expected = reference.kinds.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(" or ");
            let article = if reference.kinds[0].starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
            let candidates: Vec<&str> = self.index.names_of_kinds(&reference.kinds).collect();
            let mut diagnostic = Diagnostic::error(
                "P010",
                format!(
                    "`{name}` is {} `{resolved_kind}`, but {article} {expected} is expected here",
                    article_of(&resolved_kind)
                ),
                self.path,
                reference.name_range,
            )
            .label(format!("this names {} `{resolved_kind}`", article_of(&resolved_kind)));
            let mut candidates = candidates;
            candidates.sort();
            diagnostic = match candidates.as_slice() {
                [] => diagnostic.help(format!("declare {article} {expected} block and refer to it by name")),
                [one] => diagnostic.help(format!("did you mean `{one}`?")).replace_with(
                    format!("Change to `{one}`"),
                    Applicability::Unsafe,
                    *one,
                ),
                some => diagnostic.help(format!(
                    "the {expected} blocks are {}",
                    some.iter().take(8).map(|it| format!("`{it}`")).collect::<Vec<_>>().join(", ")
                )),
            };
            self.acc.push(diagnostic);
        }
    }
}

fn article_of(kind: &str) -> &'static str {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

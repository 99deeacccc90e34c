//! Architecture Decision Records in MADR form: `NNNN-slug.md` per decision and an index
//! `README.md` with a Mermaid diagram of the plan.
//!
//! Numbers: a decision's `number` if it has one; the others, in the order of `date` then name,
//! take the lowest numbers not taken. A decision added later with a later date therefore never
//! renumbers the ones before it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::{dns_name, EmitCtx, Located, OutputFile};
use crate::cost::plan_cost;
use crate::cost::Money;
use crate::ir::{Block, Value, ValueKind};

struct Decision<'a> {
    located: &'a Located<'a>,
    number: u32,
    slug: String,
}

pub(super) fn text<'a>(block: &'a Block, name: &str) -> Option<&'a str> {
    block.attr(name).and_then(|it| it.value.as_str())
}

pub(super) fn list(block: &Block, name: &str) -> Vec<String> {
    match block.attr(name).map(|it| &it.value.kind) {
        Some(ValueKind::List(items)) => items
            .iter()
            .filter_map(|it| match &it.kind {
                ValueKind::String(text) | ValueKind::Enum(text) => Some(text.clone()),
                ValueKind::Ref(reference) => Some(reference.name.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn ref_name(block: &Block, name: &str) -> Option<String> {
    match &block.attr(name)?.value.kind {
        ValueKind::Ref(reference) => Some(reference.name.clone()),
        _ => None,
    }
}

fn int_map(block: &Block, name: &str) -> Vec<(String, i64)> {
    match block.attr(name).map(|it| &it.value.kind) {
        Some(ValueKind::Map(entries)) => {
            entries.iter().filter_map(|it| Some((it.key.clone(), it.value.as_int()?))).collect()
        }
        _ => Vec::new(),
    }
}

fn object_list(block: &Block, attr: &str, field: &str) -> Vec<String> {
    match block.attr(attr).map(|it| &it.value.kind) {
        Some(ValueKind::Map(entries)) => match entries.iter().find(|it| it.key == field).map(|it| &it.value.kind) {
            Some(ValueKind::List(items)) => items.iter().filter_map(Value::as_str).map(String::from).collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

pub(super) fn slug(title: &str) -> String {
    let mut slug = dns_name(title);
    if slug.len() > 50 {
        slug.truncate(50);
        slug = slug.trim_end_matches('-').to_string();
    }
    slug
}

pub(super) use crate::markdown::{bullet, wrap};

fn weighted(criteria: &[(String, i64)], scores: &[(String, i64)]) -> Option<f64> {
    let total: i64 = criteria.iter().map(|it| it.1).sum();
    if criteria.is_empty() || total <= 0 {
        return None;
    }
    let sum: i64 = criteria
        .iter()
        .map(|(name, weight)| weight * scores.iter().find(|it| &it.0 == name).map_or(0, |it| it.1))
        .sum();
    Some(sum as f64 / total as f64)
}

fn number_decisions<'a>(ctx: &'a EmitCtx<'a>) -> Vec<Decision<'a>> {
    let decisions: Vec<&Located<'_>> = ctx.of_kind("decision").collect();
    let mut taken: BTreeSet<u32> = BTreeSet::new();
    let mut numbered: Vec<(u32, &Located<'_>)> = Vec::new();
    let mut rest: Vec<&Located<'_>> = Vec::new();
    for decision in decisions {
        match decision.block.attr("number").and_then(|it| it.value.as_int()) {
            Some(number) if number > 0 && taken.insert(number as u32) => numbered.push((number as u32, decision)),
            _ => rest.push(decision),
        }
    }
    rest.sort_by(|a, b| {
        (text(a.block, "date").unwrap_or("9999"), a.name()).cmp(&(text(b.block, "date").unwrap_or("9999"), b.name()))
    });
    let mut next = 1;
    for decision in rest {
        while taken.contains(&next) {
            next += 1;
        }
        taken.insert(next);
        numbered.push((next, decision));
    }
    numbered.sort_by_key(|it| it.0);
    numbered
        .into_iter()
        .map(|(number, located)| {
            let title = text(located.block, "title").unwrap_or(located.name());
            Decision { located, number, slug: slug(title) }
        })
        .collect()
}

fn file_name(decision: &Decision<'_>) -> String {
    format!("{:04}-{}.md", decision.number, decision.slug)
}

pub fn emit(ctx: &EmitCtx<'_>) -> Vec<OutputFile> {
    let decisions = number_decisions(ctx);
    let migrations = super::runbook::number_migrations(ctx);
    if decisions.is_empty() && migrations.is_empty() {
        return Vec::new();
    }
    let cost = plan_cost(ctx.db, ctx.workspace);
    let mut files = Vec::new();
    for decision in &decisions {
        files.push(OutputFile {
            path: format!("adr/{}", file_name(decision)),
            contents: record(ctx, decision, &decisions, &cost),
        });
    }
    for migration in &migrations {
        let adr = ref_name(migration.located.block, "decision")
            .filter(|name| decisions.iter().any(|it| it.located.name() == name))
            .map(|name| link_to(&decisions, &name).replace("](", "](../adr/"));
        files.push(OutputFile {
            path: format!("migrations/{}", migration.file_name()),
            contents: super::runbook::runbook(migration, adr, &cost),
        });
    }
    files.push(OutputFile { path: "adr/README.md".into(), contents: index(ctx, &decisions, &migrations) });
    files
}

fn link_to(decisions: &[Decision<'_>], name: &str) -> String {
    match decisions.iter().find(|it| it.located.name() == name) {
        Some(other) => format!("[ADR-{:04}]({})", other.number, file_name(other)),
        None => format!("`{name}`"),
    }
}

fn record(ctx: &EmitCtx<'_>, decision: &Decision<'_>, all: &[Decision<'_>], cost: &crate::cost::PlanCost) -> String {
    let block = decision.located.block;
    let title = text(block, "title").unwrap_or(decision.located.name());
    let status = text(block, "status").unwrap_or("proposed");
    let mut out = String::new();
    out.push_str("---\n");
    let _ = writeln!(out, "status: {status}");
    if let Some(date) = text(block, "date") {
        let _ = writeln!(out, "date: {date}");
    }
    let deciders = list(block, "deciders");
    if !deciders.is_empty() {
        let _ = writeln!(out, "decision-makers: {}", deciders.join(", "));
    }
    out.push_str("---\n\n");
    let _ = writeln!(
        out,
        "<!--\nGenerated by planc from decision `{}`,\n{}.\nEdit the plan, not this file.\n-->\n",
        decision.located.name(),
        decision.located.source()
    );
    let heading = format!("# {:04}. {title}", decision.number);
    if heading.chars().count() > 80 {
        out.push_str("<!-- markdownlint-disable-next-line MD013 -->\n");
    }
    let _ = writeln!(out, "{heading}\n");
    // The `///` doc comment is the decision's summary (LANGUAGE.md §2), shown above its context.
    if let Some(doc) = block.doc.as_deref().filter(|it| !it.trim().is_empty()) {
        let _ = writeln!(out, "{}\n", wrap(doc));
    }

    out.push_str("## Context and Problem Statement\n\n");
    let context = text(block, "context").unwrap_or("No context was recorded.");
    let _ = writeln!(out, "{}\n", wrap(context));

    let criteria = int_map(block, "criteria");
    if !criteria.is_empty() {
        out.push_str("## Decision Drivers\n\n");
        for (name, weight) in &criteria {
            let _ = writeln!(out, "* {name} (weight {weight})");
        }
        out.push('\n');
    }

    let options: Vec<&Block> = block.children.iter().filter(|it| it.kind == "option").collect();
    if !options.is_empty() {
        out.push_str("## Considered Options\n\n");
        for option in &options {
            let name = option.name.as_deref().unwrap_or("");
            let mut line = match text(option, "title") {
                Some(option_title) => format!("{name}: {option_title}"),
                None => name.to_string(),
            };
            if let Some(doc) = option.doc.as_deref().filter(|it| !it.trim().is_empty()) {
                line = format!("{line}. {}", doc.trim());
            }
            let _ = writeln!(out, "{}", bullet(&line));
        }
        out.push('\n');
    }

    out.push_str("## Decision Outcome\n\n");
    let chosen = ref_name(block, "chosen");
    let scores: Vec<(String, Option<f64>)> = options
        .iter()
        .map(|option| (option.name.clone().unwrap_or_default(), weighted(&criteria, &int_map(option, "scores"))))
        .collect();
    match &chosen {
        Some(chosen) => {
            let because = match (text(block, "rationale"), scores.iter().find(|it| &it.0 == chosen).and_then(|it| it.1))
            {
                (Some(rationale), _) => rationale.to_string(),
                (None, Some(score)) => format!("it has the highest weighted score, {score:.1} of 10."),
                (None, None) => "it was chosen by the deciders.".to_string(),
            };
            let _ = writeln!(out, "{}\n", wrap(&format!("Chosen option: \"{chosen}\", because {because}")));
        }
        None => out.push_str("No option has been chosen yet.\n\n"),
    }
    if let Some(outcome) = text(block, "decision") {
        let _ = writeln!(out, "{}\n", wrap(outcome));
    }
    let positive = object_list(block, "consequences", "positive");
    let negative = object_list(block, "consequences", "negative");
    let neutral = object_list(block, "consequences", "neutral");
    if !positive.is_empty() || !negative.is_empty() || !neutral.is_empty() {
        out.push_str("### Consequences\n\n");
        for item in &positive {
            let _ = writeln!(out, "{}", bullet(&format!("Good, because {item}")));
        }
        for item in &neutral {
            let _ = writeln!(out, "{}", bullet(&format!("Neutral, because {item}")));
        }
        for item in &negative {
            let _ = writeln!(out, "{}", bullet(&format!("Bad, because {item}")));
        }
        out.push('\n');
    }

    let affects = list(block, "affects");
    if !affects.is_empty() {
        out.push_str("### Monthly Cost of What It Affects\n\n");
        out.push_str("| Resource | Environment | Monthly cost (USD) |\n| --- | --- | ---: |\n");
        let mut rows = 0;
        for env in &cost.envs {
            for resource in env.resources.iter().filter(|it| affects.contains(&it.name)) {
                let amount =
                    if resource.lines.is_empty() && resource.notes.iter().any(|it| it.starts_with("usage-based")) {
                        "usage-based".to_string()
                    } else if resource.low == resource.high {
                        resource.low.to_string()
                    } else {
                        format!("{}..{}", resource.low, resource.high)
                    };
                let _ = writeln!(out, "| {} `{}` | {} | {amount} |", resource.kind, resource.name, env.env);
                rows += 1;
            }
        }
        if rows == 0 {
            out.push_str("| (none priced) | - | - |\n");
        }
        let total: Money = cost
            .envs
            .iter()
            .flat_map(|env| env.resources.iter())
            .filter(|it| affects.contains(&it.name) && it.allocated_from.is_none())
            .map(|it| it.high)
            .sum();
        let _ = writeln!(out, "\nAt most {total} a month over all environments (on-demand list prices).\n");
    }

    if !options.is_empty() && !criteria.is_empty() {
        out.push_str("## Scoring\n\n");
        let _ = write!(out, "| Criterion | Weight |");
        for option in &options {
            let _ = write!(out, " {} |", option.name.as_deref().unwrap_or(""));
        }
        out.push_str("\n| --- | ---: |");
        for _ in &options {
            out.push_str(" ---: |");
        }
        out.push('\n');
        for (criterion, weight) in &criteria {
            let _ = write!(out, "| {criterion} | {weight} |");
            for option in &options {
                let score = int_map(option, "scores")
                    .into_iter()
                    .find(|it| &it.0 == criterion)
                    .map_or("-".to_string(), |it| it.1.to_string());
                let _ = write!(out, " {score} |");
            }
            out.push('\n');
        }
        out.push_str("| **Weighted score** | |");
        for (_, score) in &scores {
            let _ = write!(out, " **{}** |", score.map_or("-".to_string(), |it| format!("{it:.1}")));
        }
        out.push_str("\n\n");
    }

    if options.iter().any(|option| !list(option, "pros").is_empty() || !list(option, "cons").is_empty()) {
        out.push_str("## Pros and Cons of the Options\n\n");
        for option in &options {
            let _ = writeln!(out, "### {}\n", option.name.as_deref().unwrap_or(""));
            if let Some(description) = text(option, "description") {
                let _ = writeln!(out, "{}\n", wrap(description));
            }
            let pros = list(option, "pros");
            let cons = list(option, "cons");
            for item in &pros {
                let _ = writeln!(out, "{}", bullet(&format!("Good, because {item}")));
            }
            for item in &cons {
                let _ = writeln!(out, "{}", bullet(&format!("Bad, because {item}")));
            }
            if pros.is_empty() && cons.is_empty() {
                out.push_str("* No pros or cons were recorded.");
                out.push('\n');
            }
            out.push('\n');
        }
    }

    let supersedes = list(block, "supersedes");
    let superseded_by = ref_name(block, "superseded_by");
    let superseded_here: Vec<&Decision<'_>> = all
        .iter()
        .filter(|other| ref_name(other.located.block, "superseded_by").as_deref() == Some(decision.located.name()))
        .collect();
    if superseded_by.is_some() || !supersedes.is_empty() || !superseded_here.is_empty() {
        out.push_str("## More Information\n\n");
        if let Some(successor) = &superseded_by {
            let _ = writeln!(out, "* Superseded by {}.", link_to(all, successor));
        }
        let mut predecessors: Vec<String> = supersedes.clone();
        predecessors.extend(superseded_here.iter().map(|it| it.located.name().to_string()));
        predecessors.sort();
        predecessors.dedup();
        for predecessor in predecessors {
            let _ = writeln!(out, "* Supersedes {}.", link_to(all, &predecessor));
        }
        out.push('\n');
    }
    let _ = ctx;
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn index(ctx: &EmitCtx<'_>, decisions: &[Decision<'_>], migrations: &[super::runbook::Migration<'_>]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Architecture Decision Records of `{}`\n", ctx.plan_name());
    out.push_str("<!-- Generated by planc. Edit the plan's `decision` blocks, not these files. -->\n\n");
    // The plan's own description, owner and pattern head the record of its decisions.
    if let Some(plan) = ctx.of_kind("plan").next() {
        if let Some(description) = text(plan.block, "description") {
            let _ = writeln!(out, "{}\n", wrap(description));
        }
        let facts: Vec<String> =
            [("Owner", text(plan.block, "owner")), ("Architecture pattern", text(plan.block, "pattern"))]
                .into_iter()
                .filter_map(|(label, value)| Some(format!("* {label}: {}", value?.replace('_', " "))))
                .collect();
        if !facts.is_empty() {
            let _ = writeln!(out, "{}\n", facts.join("\n"));
        }
    }
    out.push_str("| ADR | Title | Status | Date |\n| ---: | --- | --- | --- |\n");
    for decision in decisions {
        let block = decision.located.block;
        let _ = writeln!(
            out,
            "| {:04} | [{}]({}) | {} | {} |",
            decision.number,
            text(block, "title").unwrap_or(decision.located.name()),
            file_name(decision),
            text(block, "status").unwrap_or("proposed"),
            text(block, "date").unwrap_or("-")
        );
    }
    if !migrations.is_empty() {
        out.push_str("\n## Migrations\n\n| # | Runbook | Type | From | To |\n| ---: | --- | --- | --- | --- |\n");
        for migration in migrations {
            let block = migration.located.block;
            let _ = writeln!(
                out,
                "| {:04} | [{}](../migrations/{}) | {} | {} | {} |",
                migration.number,
                migration.title(),
                migration.file_name(),
                text(block, "type").unwrap_or("-").replace('_', " "),
                ref_name(block, "from").map_or("-".to_string(), |it| format!("`{it}`")),
                ref_name(block, "to").map_or("-".to_string(), |it| format!("`{it}`"))
            );
        }
    }
    let slos: Vec<&Located<'_>> = ctx.of_kind("slo").collect();
    if !slos.is_empty() {
        out.push_str(
            "\n## Service level objectives\n\n| SLO | On | Objective | Window |\n| --- | --- | ---: | ---: |\n",
        );
        for slo in slos {
            let objective = match slo.block.attr("objective").map(|it| &it.value.kind) {
                Some(ValueKind::Percent(p)) => format!("{}%", p.get()),
                _ => "-".into(),
            };
            let window = match slo.block.attr("window").map(|it| &it.value.kind) {
                Some(ValueKind::Duration(ms)) => crate::ir::format_duration(*ms),
                _ => "30d".into(),
            };
            let on = ref_name(slo.block, "on").map_or("-".to_string(), |it| format!("`{it}`"));
            let _ = writeln!(out, "| {} | {on} | {objective} | {window} |", slo.name());
        }
    }
    out.push_str("\n## Architecture\n\n```mermaid\n");
    out.push_str(&diagram(ctx));
    out.push_str("```\n");
    out
}

/// A Mermaid flowchart: workloads inside their cluster, edges for references between blocks.
fn diagram(ctx: &EmitCtx<'_>) -> String {
    let mut out = String::from("flowchart LR\n");
    let id = |name: &str| format!("n_{}", name.replace('-', "_"));
    let shown: Vec<&Located<'_>> = ctx
        .blocks
        .iter()
        .filter(|it| it.block.name.is_some())
        .filter(|it| crate::catalog::Catalog::builtin().kind(&it.block.kind).is_some_and(|kind| kind.resource))
        .filter(|it| !matches!(it.block.kind.as_str(), "network" | "registry" | "alert" | "slo"))
        .collect();
    let mut in_cluster: BTreeMap<String, Vec<&Located<'_>>> = BTreeMap::new();
    for located in &shown {
        if let Some(Value { kind: ValueKind::Ref(cluster), .. }) = located.block.attr("cluster").map(|it| &it.value) {
            in_cluster.entry(cluster.name.clone()).or_default().push(located);
        }
    }
    for located in &shown {
        let name = located.name();
        if located.block.kind == "cluster" {
            let _ = writeln!(out, "  subgraph {}[\"cluster {name}\"]", id(name));
            for workload in in_cluster.get(name).into_iter().flatten() {
                let _ = writeln!(out, "    {}[\"{} {}\"]", id(workload.name()), workload.block.kind, workload.name());
            }
            out.push_str("  end\n");
        } else if !in_cluster.values().flatten().any(|it| it.name() == name) {
            let shape = match located.block.kind.as_str() {
                "database" | "cache" | "bucket" => ("[(", ")]"),
                "queue" | "topic" => ("[/", "/]"),
                _ => ("[", "]"),
            };
            let _ = writeln!(out, "  {}{}\"{} {name}\"{}", id(name), shape.0, located.block.kind, shape.1);
        }
    }
    let mut edges = BTreeSet::new();
    for located in &shown {
        for attr in located
            .block
            .attrs
            .iter()
            .filter(|it| !matches!(it.name.as_str(), "cluster" | "network" | "depends_on" | "envs"))
        {
            attr.value.for_each_ref(&mut |reference| {
                if reference.name != located.name() && shown.iter().any(|it| it.name() == reference.name) {
                    edges.insert((located.name().to_string(), reference.name.clone()));
                }
            });
        }
    }
    for (from, to) in edges {
        let _ = writeln!(out, "  {} --> {}", id(&from), id(&to));
    }
    // A migration is a dotted edge from the old side to the new.
    for migration in ctx.of_kind("migration") {
        let (Some(from), Some(to)) = (ref_name(migration.block, "from"), ref_name(migration.block, "to")) else {
            continue;
        };
        if [&from, &to].iter().all(|name| shown.iter().any(|it| it.name() == name.as_str())) {
            let _ = writeln!(out, "  {} -. \"migration {}\" .-> {}", id(&from), migration.name(), id(&to));
        }
    }
    out
}

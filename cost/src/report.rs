//! Cost reports: a terminal table, JSON and Markdown; the same plan priced on several clouds;
//! the difference between two versions of a plan, as a pull-request comment.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{json, Value as Json};

use super::{EnvCost, Money, PlanCost, ResourceCost, ASSUMPTIONS};

fn range_text(low: Money, high: Money) -> String {
    if low == high {
        low.to_string()
    } else {
        format!("{low}..{high}")
    }
}

fn share(value: Money, budget: Money) -> String {
    if budget <= Money::ZERO {
        return String::new();
    }
    format!("{:.0}%", value.dollars_f64() / budget.dollars_f64() * 100.0)
}

/// A resource's monthly cost as every report, the hover and the inlay hints show it: the
/// amount or range, `+ unknown` when part of it has no price, `(est.)` for an estimated region.
pub fn resource_cell(resource: &ResourceCost) -> String {
    if !resource.unknown.is_empty() && resource.lines.is_empty() {
        return "unknown".into();
    }
    if resource.lines.is_empty() && resource.notes.iter().any(|it| it.starts_with("usage-based")) {
        return "usage-based".into();
    }
    let mut text = range_text(resource.low, resource.high);
    if !resource.unknown.is_empty() || !resource.partial.is_empty() {
        text.push_str(" + unknown");
    }
    if resource.estimated_region.is_some() {
        text.push_str(" (est.)");
    }
    text
}

/// The plain-text report `planc cost` prints by default.
pub fn table(cost: &PlanCost, env_filter: Option<&str>) -> String {
    let mut out = String::new();
    let plan = cost.plan.as_deref().unwrap_or("(unnamed)");
    let _ = writeln!(out, "Monthly cost estimate of plan `{plan}`, USD\n");
    for env in cost.envs.iter().filter(|it| env_filter.is_none_or(|name| it.env == name)) {
        env_table(&mut out, env);
    }
    if env_filter.is_none() {
        let _ = write!(out, "Plan total: {}/mo", range_text(cost.low, cost.high));
        if let Some(budget) = cost.budget {
            let _ = write!(
                out,
                "  (budget {budget}/mo: {} at the low end, {} at the high end)",
                share(cost.low, budget),
                share(cost.high, budget)
            );
        }
        out.push_str("\n\n");
    }
    footer(&mut out, cost, env_filter);
    out
}

fn env_table(out: &mut String, env: &EnvCost) {
    let _ = write!(out, "Environment `{}`", env.env);
    if env.production {
        out.push_str(" (production)");
    }
    if let Some(budget) = env.budget {
        let _ = write!(out, ", budget {budget}/mo");
    }
    out.push('\n');
    let rows: Vec<[String; 4]> = env
        .billed()
        .map(|it| {
            let budget_share = env.budget.map(|budget| share(it.high, budget)).unwrap_or_default();
            [it.kind.clone(), it.name.clone(), resource_cell(it), budget_share]
        })
        .collect();
    let header = ["kind", "name", "monthly", "of budget"];
    let widths: Vec<usize> = (0..4)
        .map(|i| rows.iter().map(|row| row[i].chars().count()).chain([header[i].len()]).max().unwrap_or(0))
        .collect();
    let line = |cells: &[String; 4]| -> String {
        format!(
            "  {:<w0$}  {:<w1$}  {:>w2$}  {:>w3$}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3]
        )
        .trim_end()
        .to_string()
    };
    let _ = writeln!(out, "{}", line(&header.map(String::from)));
    for row in &rows {
        let _ = writeln!(out, "{}", line(row));
    }
    let total = [
        String::new(),
        "total".into(),
        range_text(env.low, env.high),
        env.budget.map(|budget| share(env.high, budget)).unwrap_or_default(),
    ];
    let _ = writeln!(out, "{}", line(&total));
    let dr = dr_share(env);
    if dr > Money::ZERO {
        let _ = writeln!(out, "  of which disaster recovery (replicas and copies in the DR region): {dr}/mo");
    }
    let allocated: Vec<&ResourceCost> = env.resources.iter().filter(|it| it.allocated_from.is_some()).collect();
    if !allocated.is_empty() {
        let _ = writeln!(out, "  workloads, as their share of their cluster's nodes (counted in the cluster):");
        for it in allocated {
            let amount = if it.lines.is_empty() { "-".to_string() } else { range_text(it.low, it.high) };
            let _ = writeln!(
                out,
                "    {} `{}` on `{}`: {amount}",
                it.kind,
                it.name,
                it.allocated_from.as_deref().unwrap_or("")
            );
        }
    }
    out.push('\n');
}

/// The monthly cost of the environment's disaster-recovery copies: the lines the cost model
/// labels `DR:`.
pub fn dr_share(env: &EnvCost) -> Money {
    env.billed()
        .flat_map(|it| it.lines.iter())
        .filter(|it| it.label.starts_with("DR:"))
        .fold(Money::ZERO, |sum, it| sum + it.high)
}

fn footer(out: &mut String, cost: &PlanCost, env_filter: Option<&str>) {
    let envs = cost.envs.iter().filter(|it| env_filter.is_none_or(|name| it.env == name));
    let mut estimated = BTreeMap::new();
    let mut unknown = BTreeMap::new();
    let mut usage = BTreeMap::new();
    for resource in envs.flat_map(|it| it.resources.iter()) {
        let key = format!("{} `{}`", resource.kind, resource.name);
        if let Some(region) = &resource.estimated_region {
            estimated.insert(key.clone(), region.clone());
        }
        if !resource.unknown.is_empty() || !resource.partial.is_empty() {
            let what: Vec<String> = resource.unknown.iter().chain(&resource.partial).cloned().collect();
            unknown.insert(key.clone(), what.join(", "));
        }
        for note in resource.notes.iter().filter(|it| it.starts_with("usage-based")) {
            usage.insert(key.clone(), note.clone());
        }
    }
    out.push_str("Assumptions:\n");
    for assumption in ASSUMPTIONS {
        let _ = writeln!(out, "  - {assumption}");
    }
    if !estimated.is_empty() {
        out.push_str("Estimated with a region multiplier:\n");
        for (key, region) in &estimated {
            let _ = writeln!(out, "  - {key}: {region}");
        }
    }
    if !usage.is_empty() {
        out.push_str("Not priced (usage-based, no usage given):\n");
        for (key, note) in &usage {
            let _ = writeln!(out, "  - {key}: {}", note.trim_start_matches("usage-based: "));
        }
    }
    if !unknown.is_empty() {
        out.push_str("Unknown prices (left out of the totals):\n");
        for (key, what) in &unknown {
            let _ = writeln!(out, "  - {key}: {what}");
        }
    }
}

fn money_json(money: Money) -> Json {
    // Decimal strings: amounts stay exact for tools that read them.
    json!(format!("{}.{:02}", money.cents() / 100, (money.cents() % 100).abs()))
}

/// The report as JSON; with `env_filter`, that environment only (the plan's totals stay).
pub fn json(cost: &PlanCost, env_filter: Option<&str>) -> String {
    let envs: Vec<Json> = cost
        .envs
        .iter()
        .filter(|it| env_filter.is_none_or(|name| it.env == name))
        .map(|env| {
            json!({
                "env": env.env,
                "production": env.production,
                "budget": env.budget.map(money_json),
                "low": money_json(env.low),
                "high": money_json(env.high),
                "resources": env.resources.iter().map(|it| json!({
                    "kind": it.kind,
                    "name": it.name,
                    "cloud": it.cloud,
                    "region": it.region,
                    "low": money_json(it.low),
                    "high": money_json(it.high),
                    "allocated_from": it.allocated_from,
                    "estimated_region": it.estimated_region,
                    "unknown": it.unknown,
                    "not_priced": it.partial,
                    "notes": it.notes,
                    "lines": it.lines.iter().map(|line| json!({
                        "label": line.label,
                        "low": money_json(line.low),
                        "high": money_json(line.high),
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let document = json!({
        "currency": "USD",
        "period": "month",
        "plan": cost.plan,
        "budget": cost.budget.map(money_json),
        "low": money_json(cost.low),
        "high": money_json(cost.high),
        "envs": envs,
        "assumptions": ASSUMPTIONS,
    });
    serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"
}

pub fn markdown(cost: &PlanCost, env_filter: Option<&str>) -> String {
    let mut out = String::new();
    let plan = cost.plan.as_deref().unwrap_or("(unnamed)");
    let _ = writeln!(out, "## Monthly cost of `{plan}`\n");
    out.push_str("| environment | estimate | budget | of budget (high end) |\n| --- | ---: | ---: | ---: |\n");
    for env in cost.envs.iter().filter(|it| env_filter.is_none_or(|name| it.env == name)) {
        let budget = env.budget.map(|it| it.to_string()).unwrap_or_else(|| "-".into());
        let of = env.budget.map(|it| share(env.high, it)).unwrap_or_else(|| "-".into());
        let _ = writeln!(out, "| `{}` | {} | {budget} | {of} |", env.env, range_text(env.low, env.high));
    }
    for env in cost.envs.iter().filter(|it| env_filter.is_none_or(|name| it.env == name)) {
        let _ = writeln!(out, "\n### `{}`\n", env.env);
        out.push_str("| resource | monthly |\n| --- | ---: |\n");
        for resource in env.billed() {
            let _ = writeln!(out, "| {} `{}` | {} |", resource.kind, resource.name, resource_cell(resource));
        }
        let _ = writeln!(out, "| **total** | **{}** |", range_text(env.low, env.high));
        let dr = dr_share(env);
        if dr > Money::ZERO {
            let _ = writeln!(out, "| of which disaster recovery | {dr} |");
        }
    }
    out.push_str("\n<details><summary>Assumptions</summary>\n\n");
    for assumption in ASSUMPTIONS {
        let _ = writeln!(out, "- {assumption}");
    }
    out.push_str("\n</details>\n");
    out
}

/// What a change does to the monthly cost, per environment and per resource, in Markdown.
pub fn diff_markdown(base: &PlanCost, head: &PlanCost) -> String {
    let mut out = String::new();
    let plan = head.plan.as_deref().or(base.plan.as_deref()).unwrap_or("(unnamed)");
    let _ = writeln!(out, "## Cost change of `{plan}`\n");
    let delta = |before: Money, after: Money| -> String {
        let change = after - before;
        if change == Money::ZERO {
            "no change".into()
        } else if change > Money::ZERO {
            format!("+{change}")
        } else {
            change.to_string()
        }
    };
    out.push_str("| environment | before | after | change (high end) |\n| --- | ---: | ---: | ---: |\n");
    let mut env_names: Vec<&str> = base.envs.iter().chain(&head.envs).map(|it| it.env.as_str()).collect();
    env_names.sort();
    env_names.dedup();
    let find = |cost: &'_ PlanCost, name: &str| cost.envs.iter().find(|it| it.env == name).cloned().unwrap_or_default();
    for name in &env_names {
        let (before, after) = (find(base, name), find(head, name));
        let _ = writeln!(
            out,
            "| `{name}` | {} | {} | {} |",
            range_text(before.low, before.high),
            range_text(after.low, after.high),
            delta(before.high, after.high)
        );
    }
    let _ = writeln!(
        out,
        "| **plan** | **{}** | **{}** | **{}** |",
        range_text(base.low, base.high),
        range_text(head.low, head.high),
        delta(base.high, head.high)
    );

    let mut rows = Vec::new();
    for name in &env_names {
        let (before, after) = (find(base, name), find(head, name));
        let mut keys: Vec<(String, String)> =
            before.billed().chain(after.billed()).map(|it| (it.kind.clone(), it.name.clone())).collect();
        keys.sort();
        keys.dedup();
        for (kind, resource) in keys {
            let old = before.billed().find(|it| it.kind == kind && it.name == resource);
            let new = after.billed().find(|it| it.kind == kind && it.name == resource);
            let (old_text, old_high) =
                old.map_or(("-".to_string(), Money::ZERO), |it| (range_text(it.low, it.high), it.high));
            let (new_text, new_high) =
                new.map_or(("-".to_string(), Money::ZERO), |it| (range_text(it.low, it.high), it.high));
            if old_text != new_text {
                rows.push(format!(
                    "| `{name}` | {kind} `{resource}` | {old_text} | {new_text} | {} |",
                    delta(old_high, new_high)
                ));
            }
        }
    }
    if rows.is_empty() {
        out.push_str("\nNo resource changes its cost.\n");
    } else {
        out.push_str(
            "\n| environment | resource | before | after | change (high end) |\n| --- | --- | ---: | ---: | ---: |\n",
        );
        for row in rows {
            out.push_str(&row);
            out.push('\n');
        }
    }
    out.push_str("\nOn-demand list prices, 730 hours a month; `planc cost` lists every assumption.\n");
    out
}

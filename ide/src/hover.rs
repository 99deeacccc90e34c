//! Hover: a kind's or an attribute's documentation, a block's summary and monthly cost per env.

use planc::catalog::Catalog;
use planc::db::{file_ir, parse, workspace_index, Database, SourceFile, Workspace};
use planc::syntax::{TextRange, TextSize};

use crate::navigation::declaration;
use crate::target::{attr_at, target_at, Target};

/// Markdown for hover.
pub fn hover(db: &Database, workspace: Workspace, file: SourceFile, offset: TextSize) -> Option<(String, TextRange)> {
    let target = target_at(db, file, offset)?;
    let catalog = Catalog::builtin();
    match target {
        Target::Kind { kind, range, .. } => {
            let schema = catalog.kind(&kind)?;
            let mut text = format!("**{}**: {}\n\n{}", schema.kind, schema.summary, schema.doc.trim());
            text.push_str(&format!("\n\n```plan\n{}\n```", schema.example.trim()));
            if let Some(name) = block_name_at(db, file, offset) {
                text.push_str(&cost_section(db, workspace, &name));
            }
            Some((text, range))
        }
        Target::Attribute { kind, path, name, range } => {
            let full: Vec<String> = path.iter().cloned().chain([name.clone()]).collect();
            let attr = attr_at(&kind, &full)?;
            let mut text =
                format!("**{}** `{}`{}\n\n{}", name, attr.ty, if attr.required { " (required)" } else { "" }, attr.doc);
            if let Some(default) = &attr.default {
                text.push_str(&format!("\n\nDefault: `{default}`"));
            }
            text.push_str(&format!("\n\n```plan\n{}\n```", attr.example));
            if let Some(values) = env_values(db, workspace, file, offset, &name) {
                text.push_str(&values);
            }
            Some((text, range))
        }
        Target::Declaration { name, range } => Some((block_summary(db, workspace, &name)?, range)),
        Target::Reference { name, field, range } => {
            let mut text = block_summary(db, workspace, &name)?;
            if let Some(field) = field {
                let kind = workspace_index(db, workspace).lookup(&name).map(|it| it.kind.clone()).unwrap_or_default();
                if let Some(output) = catalog.kind(&kind).and_then(|it| it.output(&field)) {
                    text = format!("**{name}.{field}** `{}`: {}\n\n---\n\n{text}", output.ty, output.doc);
                }
            }
            Some((text, range))
        }
    }
}

fn block_name_at(db: &Database, file: SourceFile, offset: TextSize) -> Option<String> {
    let ir = &file_ir(db, file).value;
    ir.blocks.iter().find(|it| it.kind_range.contains_inclusive(offset)).and_then(|it| it.name.clone())
}

/// The values an attribute takes in each environment, when overrides make them differ.
fn env_values(db: &Database, workspace: Workspace, file: SourceFile, offset: TextSize, name: &str) -> Option<String> {
    let ir = &file_ir(db, file).value;
    let block = ir.blocks.iter().find(|it| it.range.contains(offset))?;
    if block.overrides.is_empty() {
        return None;
    }
    let envs = planc::db::workspace_envs(db, workspace);
    let text = parse(db, file).syntax().text().to_string();
    let mut lines = Vec::new();
    for env in envs {
        let attrs = block.env_attrs(env);
        if let Some(value) = attrs.get(name) {
            let source =
                text.get(usize::from(value.range.start())..usize::from(value.range.end())).unwrap_or("").to_string();
            lines.push(format!("| `{env}` | `{}` |", source.replace('\n', " ")));
        }
    }
    (!lines.is_empty()).then(|| format!("\n\n| env | value |\n| --- | --- |\n{}", lines.join("\n")))
}

pub fn block_summary(db: &Database, workspace: Workspace, name: &str) -> Option<String> {
    let (location, ir) = declaration(db, workspace, name)?;
    let block = ir.blocks.iter().find(|it| it.name.as_deref() == Some(name))?;
    let text = location.file.text(db);
    let line = planc::diagnostics::LineIndex::new(text).line_col(text, block.kind_range.start()).line + 1;
    let path = location.file.path(db);
    let file_name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let mut summary = format!("**{} {}** ({file_name}:{line})", block.kind, name);
    if let Some(doc) = &block.doc {
        summary.push_str(&format!("\n\n{doc}"));
    }
    if let Some(schema) = Catalog::builtin().kind(&block.kind) {
        summary.push_str(&format!("\n\n{}", schema.summary));
    }
    summary.push_str(&cost_section(db, workspace, name));
    Some(summary)
}

/// The monthly cost of a block in each environment, with the share of the env's budget.
pub fn cost_section(db: &Database, workspace: Workspace, name: &str) -> String {
    // The env totals are a query; the block's own costs come from its file alone.
    let totals = planc::db::plan_totals(db, workspace);
    let costs = planc::db::block_costs(db, workspace, name);
    let mut rows = Vec::new();
    for env in &totals.envs {
        for resource in costs.iter().filter(|it| it.env == env.env) {
            let amount = cost_text(resource);
            // In the cost's own cell: editors draw hover tables without padding, so a third
            // column's header ran into the second's.
            let share = match env.budget {
                Some(budget) if budget > planc::cost::Money::ZERO && resource.allocated_from.is_none() => {
                    format!(" · {:.0}% of budget", resource.high.dollars_f64() / budget.dollars_f64() * 100.0)
                }
                _ => String::new(),
            };
            rows.push(format!("| `{}` | {amount}{share} |", env.env));
        }
    }
    if rows.is_empty() {
        return String::new();
    }
    format!("\n\n**Monthly cost** (on-demand, USD)\n\n| env | cost |\n| --- | --- |\n{}", rows.join("\n"))
}

pub fn cost_text(resource: &planc::cost::ResourceCost) -> String {
    // The same text as `planc cost`: a partly unpriced resource says `+ unknown`.
    let mut text = planc::cost::report::resource_cell(resource);
    if resource.allocated_from.is_some() {
        text.push_str(" (share of cluster)");
    }
    text
}

#[cfg(test)]
mod tests {
    use crate::fixture::with_cursor;

    fn hover(fixture: &str) -> String {
        let (analysis, file, offset) = with_cursor(fixture);
        analysis.hover(file, offset).unwrap().map(|it| it.0).unwrap_or_default()
    }

    #[test]
    fn a_kind_shows_its_documentation() {
        insta::assert_snapshot!(hover(
            r#"
            buck$0et assets {}
            "#
        ));
    }

    #[test]
    fn an_attribute_shows_its_type_and_documentation() {
        insta::assert_snapshot!(hover(
            r#"
            bucket assets {
              versio$0ning = true
            }
            "#
        ));
    }

    #[test]
    fn a_reference_shows_the_block_and_its_monthly_cost_per_env() {
        insta::assert_snapshot!(hover(
            r#"
            //- /plan.plan
            plan shop {
              cloud  = aws
              region = "us-east-1"
            }
            env prod {}
            //- /data.plan
            database orders {
              engine  = postgres
              version = "16"
              tier    = "db.t4g.medium"
              storage = 20GB
            }
            bucket exports {
              notify = ord$0ers
            }
            "#
        ));
    }

    #[test]
    fn nothing_under_the_cursor_is_no_hover() {
        assert_eq!(hover("bucket assets {}\n$0\n"), "");
    }
}

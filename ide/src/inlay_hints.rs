//! Inlay hints: each resource's monthly cost after its name.

use std::collections::BTreeMap;

use planc::db::{file_ir, Database, SourceFile};
use planc::syntax::TextSize;

use crate::hover::cost_text;

/// Inlay hints: the monthly cost of each resource, after its name. Only what the file declares
/// is read; a workload's share of its cluster gets no hint.
pub fn inlay_hints(db: &Database, file: SourceFile) -> Vec<(TextSize, String)> {
    let costs = planc::db::file_costs(db, file);
    let mut hints = Vec::new();
    for block in &file_ir(db, file).value.blocks {
        let (Some(name), Some(range)) = (&block.name, block.name_range) else { continue };
        let mut parts: BTreeMap<String, String> = BTreeMap::new();
        for resource in costs.iter().filter(|it| &it.name == name && it.allocated_from.is_none()) {
            parts.entry(resource.env.clone()).or_insert_with(|| cost_text(resource));
        }
        if parts.is_empty() {
            continue;
        }
        let label = if parts.len() == 1 {
            format!("{}/mo", parts.values().next().cloned().unwrap_or_default())
        } else {
            parts.iter().map(|(env, amount)| format!("{env} {amount}")).collect::<Vec<_>>().join(" · ") + " /mo"
        };
        hints.push((range.end(), label));
    }
    hints
}

#[cfg(test)]
mod tests {
    use crate::fixture::{files, text_at};

    #[test]
    fn a_priced_block_gets_its_monthly_cost_after_its_name() {
        let (analysis, _) = files(
            r#"
            //- /data.plan
            database orders {
              engine  = postgres
              version = "16"
              tier    = "db.t4g.medium"
              storage = 20GB
            }
            //- /plan.plan
            plan shop {
              cloud  = aws
              region = "us-east-1"
            }
            "#,
        );
        let file = analysis.file("/data.plan").unwrap();
        let hints = analysis.inlay_hints(file).unwrap();
        assert_eq!(hints.len(), 1, "{hints:?}");
        let (at, label) = &hints[0];
        let before = text_at(&analysis, file, planc::syntax::TextRange::up_to(*at));
        assert!(before.ends_with("database orders"), "{before:?}");
        insta::assert_snapshot!(label, @"$49.75/mo");
    }
}

//! The cost report an editor command shows: the same Markdown as `planc cost --format markdown`.

use planc::db::{plan_cost, Database, Workspace};

/// The `workspace/executeCommand` that returns the cost report.
pub const COST_REPORT_COMMAND: &str = "plan.server.costReport";

/// The workspace's cost report in Markdown, optionally for one environment.
pub fn cost_report(db: &Database, workspace: Workspace, env: Option<&str>) -> String {
    planc::cost::report::markdown(&plan_cost(db, workspace), env)
}

#[cfg(test)]
mod tests {
    use crate::fixture::files;

    #[test]
    fn the_report_is_the_cli_s_markdown_for_one_env_or_all() {
        let (analysis, _) = files(
            r#"
            plan shop {
              cloud  = aws
              region = "us-east-1"
            }
            env dev {}
            env prod {}
            database orders {
              engine  = postgres
              version = "16"
              tier    = "db.t4g.medium"
              storage = 20GB
            }
            "#,
        );
        let all = analysis.cost_report(None).unwrap();
        let prod = analysis.cost_report(Some("prod")).unwrap();
        assert!(all.contains("dev") && all.contains("prod"), "{all}");
        assert!(!prod.contains("## dev"), "{prod}");
        assert!(prod.contains("orders"), "{prod}");
    }
}

//! The cost report an editor command shows: the same Markdown as `planc cost --format markdown`.

use planc::db::{plan_cost, Database, Workspace};

/// The `workspace/executeCommand` that returns the cost report.
pub const COST_REPORT_COMMAND: &str = "plan.server.costReport";

/// The workspace's cost report in Markdown, optionally for one environment.
pub fn cost_report(db: &Database, workspace: Workspace, env: Option<&str>) -> String {
    planc::cost::report::markdown(&plan_cost(db, workspace), env)
}

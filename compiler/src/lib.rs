//! `planc`: the compiler of the Plan infrastructure language.
//!
//! The pipeline, one module a step:
//!
//! ```text
//! text ─syntax─▶ rowan tree ─ast─▶ typed views ─ir─▶ typed IR ─check─▶ diagnostics
//!                                                        └─deploy─▶ deployment per env ─▶ cost, emit
//! ```
//!
//! Each step is a crate of its own, so Cargo refuses an arrow that points back (ARCHITECTURE.md
//! has the whole list): `plan-syntax` (with `ast`) ← `plan-diagnostics` ← `plan-catalog` ←
//! `plan-ir` ← `plan-deploy` ← `plan-db` ← `plan-cost` ← `plan-check`, and `plan-cost` ←
//! `plan-emit`; `plan-fmt` (with `markdown`) and `plan-import` beside them. This crate holds
//! the commands (`cli`) and re-exports every step under its module name; `db` gathers the
//! queries of `plan-db`, `plan-cost` and `plan-check`.
//!
//! - Counts and catalog defaults are computed once, in `deploy`: cost and the emitters read them.
//! - `syntax` knows nothing of kinds or the catalog: the grammar is generic, like HCL.
//! - Nothing panics on user input: every problem becomes a `Diagnostic`.

pub use plan_catalog as catalog;
pub use plan_check as check;
pub use plan_syntax::ast;
pub mod cli;
pub use plan_cost as cost;
/// The database and every query, whichever crate defines it: what the CLI and the IDE layer
/// call.
pub mod db {
    pub use plan_check::{all_diagnostics, dead_letter_targets, file_diagnostics, file_ignores, workspace_diagnostics};
    pub use plan_cost::{block_costs, cluster_capacities, file_costs, file_unknown_prices, plan_cost, plan_totals};
    pub use plan_db::*;
}
pub use plan_deploy as deploy;
pub use plan_diagnostics as diagnostics;
pub use plan_emit as emit;
pub use plan_fmt as fmt;
pub use plan_fmt::markdown;
pub use plan_import as import;
pub use plan_ir as ir;
pub use plan_syntax as syntax;

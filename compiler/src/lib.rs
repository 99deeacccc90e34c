//! `planc`: the compiler of the Plan infrastructure language.
//!
//! The pipeline, one module a step:
//!
//! ```text
//! text ─syntax─▶ rowan tree ─ast─▶ typed views ─ir─▶ typed IR ─check─▶ diagnostics
//!                                                        └─deploy─▶ deployment per env ─▶ cost, emit
//! ```
//!
//! Invariants (ARCHITECTURE.md has the whole list):
//! - Dependencies point one way: `syntax ← ast ← ir ← check`, `ir ← deploy ← cost, emit`; `db`
//!   wires them into salsa queries; `diagnostics` is a leaf that everyone uses; `cli` only calls
//!   the database.
//! - Counts and catalog defaults are computed once, in `deploy`: cost and the emitters read them.
//! - `syntax` knows nothing of kinds or the catalog: the grammar is generic, like HCL. It is a
//!   crate of its own (`plan-syntax`, with `ast`), re-exported here as `syntax` and `ast`, so
//!   Cargo refuses any arrow from it back into the compiler. `diagnostics` is the crate
//!   `plan-diagnostics` on top of it, `catalog` the crate `plan-catalog` on top of that, and
//!   `ir` the crate `plan-ir` on top of all three, and `deploy` the crate `plan-deploy` on top
//!   of `ir`; `fmt` (with `markdown`) and `import` are the crates `plan-fmt` and `plan-import`.
//!   All are re-exported here under their module names.
//! - Nothing panics on user input: every problem becomes a `Diagnostic`.

pub use plan_catalog as catalog;
pub use plan_syntax::ast;
pub mod check;
pub mod cli;
pub mod cost;
pub mod db;
pub use plan_deploy as deploy;
pub use plan_diagnostics as diagnostics;
pub mod emit;
pub use plan_fmt as fmt;
pub use plan_fmt::markdown;
pub use plan_import as import;
pub use plan_ir as ir;
pub use plan_syntax as syntax;

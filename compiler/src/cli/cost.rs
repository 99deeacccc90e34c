//! `planc cost`: the monthly cost of a workspace, per block and environment, against budgets;
//! `--compare` prices it on other clouds, `--diff BASE` shows what a change does.

use std::path::Path;

use super::{workspace, CostArgs, CostFormat, EXIT_DIAGNOSTICS, EXIT_OK, EXIT_USAGE};
use crate::cost::report;
use crate::db::{all_diagnostics, plan_cost, Database};
use crate::diagnostics::Severity;

pub fn run(args: &CostArgs) -> i32 {
    let (head, errors) = match load_cost(&args.dir) {
        Ok(cost) => cost,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    if let Some(env) = &args.env {
        if !head.envs.iter().any(|it| &it.env == env) {
            let names = head.envs.iter().map(|it| format!("`{}`", it.env)).collect::<Vec<_>>().join(", ");
            eprintln!("error: no environment `{env}`; the environments are {names}");
            return EXIT_USAGE;
        }
    }
    if let Some(base_dir) = &args.diff {
        let base = match load_cost(base_dir) {
            Ok((cost, _)) => cost,
            Err(message) => {
                eprintln!("error: {message}");
                return EXIT_USAGE;
            }
        };
        print!("{}", report::diff_markdown(&base, &head));
        return incomplete(errors);
    }
    if let Some(clouds) = &args.compare {
        let clouds: Vec<String> =
            clouds.split(',').map(|it| it.trim().to_ascii_lowercase()).filter(|it| !it.is_empty()).collect();
        if let Some(bad) = clouds.iter().find(|it| !crate::catalog::pricing::CLOUDS.contains(&it.as_str())) {
            eprintln!("error: unknown cloud `{bad}`; compare among aws, azure and gcp");
            return EXIT_USAGE;
        }
        let (db, workspace) = match workspace::open(&args.dir) {
            Ok(opened) => opened,
            Err(code) => return code,
        };
        let comparison = crate::cost::compare::compare(&db, workspace, &clouds);
        let text = match args.format {
            CostFormat::Json => crate::cost::compare::json(&comparison),
            CostFormat::Markdown => crate::cost::compare::markdown(&comparison),
            CostFormat::Table => crate::cost::compare::table(&comparison),
        };
        print!("{text}");
        return incomplete(errors);
    }
    let text = match args.format {
        CostFormat::Table => report::table(&head, args.env.as_deref()),
        CostFormat::Json => report::json(&head, args.env.as_deref()),
        CostFormat::Markdown => report::markdown(&head, args.env.as_deref()),
    };
    print!("{text}");
    incomplete(errors)
}

/// A workspace with errors still gets the estimate that can be made, said to be incomplete on
/// stderr, and exit code 1: what an error hides (a block that did not lower, a class that is
/// not known) is missing from the totals.
fn incomplete(errors: usize) -> i32 {
    if errors == 0 {
        return EXIT_OK;
    }
    eprintln!(
        "error: the workspace has {errors} error{}, so this estimate is incomplete; `planc check` shows {}",
        if errors == 1 { "" } else { "s" },
        if errors == 1 { "it" } else { "them" }
    );
    EXIT_DIAGNOSTICS
}

/// The cost of a workspace and how many errors it has.
fn load_cost(dir: &Path) -> Result<(crate::cost::PlanCost, usize), String> {
    let files = workspace::load(dir)?;
    let (db, workspace) = Database::with_files(files);
    let errors = all_diagnostics(&db, workspace).iter().filter(|it| it.severity == Severity::Error).count();
    Ok((plan_cost(&db, workspace), errors))
}

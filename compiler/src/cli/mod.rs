//! The `planc` command line: argument parsing with clap, then one function per command.
//!
//! Exit codes: 0 clean (warnings allowed unless `--deny-warnings`), 1 diagnostics at error
//! level (or files that `fmt --check` would change), 2 usage or I/O error.

mod build;
mod catalog;
mod check;
mod cost;
mod explain;
mod fmt;
mod import;
mod new;
pub mod workspace;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub const EXIT_OK: i32 = 0;
pub const EXIT_DIAGNOSTICS: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

#[derive(Parser)]
#[command(
    name = "planc",
    version,
    about = "The Plan compiler: check, format and explain infrastructure plans",
    long_about = "The Plan compiler.\n\n\
        A workspace is a directory: every `.plan` file below it belongs to one plan.\n\
        `planc check` reads them all, type-checks them against the catalog of cloud services \
        and prints diagnostics; `planc fmt` formats them; `planc explain CODE` documents a diagnostic.",
    after_help = "Examples:\n  planc check examples/shop\n  planc build examples/shop --out /tmp/shop\n  planc cost examples/shop --env prod\n  planc check --format sarif > planc.sarif\n  planc fmt --check .\n  planc explain P007\n  planc catalog vm --cloud aws --cpu 4 --memory 16Gi"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse, resolve and type-check a workspace and print its diagnostics
    Check(CheckArgs),
    /// Check, then write Terraform, Kubernetes YAML and ADRs (nothing at all if there is an error)
    Build(BuildArgs),
    /// Estimate the monthly cost per block and environment, against budgets
    Cost(CostArgs),
    /// Format `.plan` files in place (or only report with --check)
    Fmt(FmtArgs),
    /// Show the documentation of a diagnostic code, e.g. `planc explain P007`
    Explain(ExplainArgs),
    /// List the catalog: kinds, a kind's attributes, and its classes with vCPU, memory and price
    Catalog(CatalogArgs),
    /// Create a starter workspace that checks and builds, with comments that teach the language
    New(NewArgs),
    /// Turn existing Terraform (a root module's `.tf` files) into a Plan workspace and a report
    Import(ImportArgs),
    /// Run the language server over stdio (the `plan-lsp` binary next to `planc`, or on PATH)
    Lsp,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// A Terraform root module's directory, or `.tf` files
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The new workspace's directory (it must not exist, or be empty)
    #[arg(long, default_value = "imported")]
    pub out: PathBuf,
}

#[derive(clap::Args)]
pub struct NewArgs {
    /// The plan's name; also the directory created, unless --dir says otherwise
    pub name: String,
    /// The cloud: aws, azure or gcp
    #[arg(long, default_value = "aws")]
    pub cloud: String,
    /// The architecture pattern: monolith, modular_monolith, microservices, serverless, event_driven
    #[arg(long, default_value = "monolith")]
    pub pattern: String,
    /// Where to create the workspace (a new or empty directory)
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// The workspace directory (default: the current directory)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with code 1 when there are warnings, not only errors
    #[arg(long)]
    pub deny_warnings: bool,
    /// When to color terminal output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// In text output, show at most this many reports of each code and count the rest (0: all)
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub max_diagnostics: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable reports with source snippets
    Text,
    /// One JSON document with every diagnostic
    Json,
    /// SARIF 2.1.0, for code-scanning upload
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(clap::Args)]
pub struct BuildArgs {
    /// The workspace directory (default: the current directory)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Only this environment (the outputs of the others are kept as they are)
    #[arg(long)]
    pub env: Option<String>,
    /// The output directory (default: `out` in the workspace)
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// What to generate
    #[arg(long, value_delimiter = ',', default_value = "terraform,k8s,adr")]
    pub target: Vec<String>,
    /// Write nothing; list the files of the output directory that differ from what the build
    /// would write (for teams that commit generated files) and exit with code 1 if any do
    #[arg(long)]
    pub check: bool,
}

#[derive(clap::Args)]
pub struct CostArgs {
    /// The workspace directory (default: the current directory)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Only this environment
    #[arg(long)]
    pub env: Option<String>,
    /// Price the same plan on these clouds, e.g. `aws,azure,gcp`
    #[arg(long, value_name = "CLOUDS")]
    pub compare: Option<String>,
    /// Show what the workspace changes against another version of it (a Markdown PR comment)
    #[arg(long, value_name = "BASE_DIR")]
    pub diff: Option<PathBuf>,
    /// How to print the report
    #[arg(long, value_enum, default_value_t = CostFormat::Table)]
    pub format: CostFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CostFormat {
    /// A readable table per environment
    Table,
    /// Every figure as JSON (amounts as decimal strings)
    Json,
    /// Markdown tables, e.g. for a pull-request comment
    Markdown,
}

#[derive(clap::Args)]
pub struct FmtArgs {
    /// Files or directories to format (default: the current directory)
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Change nothing; list the files that are not formatted and exit with code 1 if any
    #[arg(long)]
    pub check: bool,
}

#[derive(clap::Args)]
pub struct CatalogArgs {
    /// A kind (`vm`, `database`, `cache`, ...); without one, list every kind
    pub kind: Option<String>,
    /// Only this cloud's classes: aws, azure or gcp
    #[arg(long)]
    pub cloud: Option<String>,
    /// Only this family: `c5`, `n2d`, `n1-highcpu`, `Standard_D`
    #[arg(long)]
    pub family: Option<String>,
    /// Only classes with this many vCPUs
    #[arg(long)]
    pub cpu: Option<u32>,
    /// Only classes with this much memory, e.g. `16Gi`
    #[arg(long)]
    pub memory: Option<String>,
    /// Only this CPU architecture
    #[arg(long, value_parser = ["x86_64", "arm64"])]
    pub arch: Option<String>,
    /// How to print it
    #[arg(long, value_enum, default_value_t = CatalogFormat::Table)]
    pub format: CatalogFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogFormat {
    /// Readable tables
    Table,
    /// Everything as JSON (prices as decimal strings)
    Json,
}

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// A diagnostic code (`P007`) or name (`wrong-unit`); without one, list every code
    pub code: Option<String>,
}

/// Runs `planc` with the process arguments and returns the exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Cost(args) => cost::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Catalog(args) => catalog::run(&args),
        Command::New(args) => new::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Lsp => lsp(),
    }
}

/// `planc lsp`: hands stdio to the `plan-lsp` binary installed next to `planc`, or else to the
/// first one on `PATH` (`cargo install` puts both in the same place, a package manager may not).
fn lsp() -> i32 {
    let name = format!("plan-lsp{}", std::env::consts::EXE_SUFFIX);
    let beside = std::env::current_exe().ok().and_then(|it| it.parent().map(|dir| dir.join(&name)));
    let on_path = || {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path).map(|dir| dir.join(&name)).find(|it| it.is_file())
    };
    let Some(server) = beside.filter(|it| it.is_file()).or_else(on_path) else {
        eprintln!(
            "error: `plan-lsp` is neither next to `planc` nor on PATH; install it with `cargo install --locked --path lsp` from the Plan repository"
        );
        return EXIT_USAGE;
    };
    match std::process::Command::new(&server).status() {
        Ok(status) => status.code().unwrap_or(EXIT_USAGE),
        Err(error) => {
            eprintln!("error: cannot start `{}`: {error}", server.display());
            EXIT_USAGE
        }
    }
}

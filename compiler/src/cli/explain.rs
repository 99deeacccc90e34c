//! `planc explain CODE`: the documentation page of a diagnostic code.

use super::{ExplainArgs, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::{code_info, CODES};

pub fn run(args: &ExplainArgs) -> i32 {
    let Some(code) = &args.code else {
        for info in CODES {
            println!("{}  {:<24} {:<8} {}", info.code, info.name, info.severity.as_str(), info.summary);
        }
        return EXIT_OK;
    };
    match code_info(code) {
        Some(info) => {
            let doc = info.doc();
            if doc.is_empty() {
                println!("# {} {}\n\n{}", info.code, info.name, info.summary);
            } else {
                print!("{doc}");
            }
            EXIT_OK
        }
        None => {
            eprintln!("error: unknown code `{code}`; `planc explain` lists every code");
            EXIT_USAGE
        }
    }
}

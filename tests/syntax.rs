//! Whole-suite properties of the parser and the formatter, on every fixture and example.

mod common;

use common::*;
use planc::{fmt, syntax};

fn all_plan_files() -> Vec<std::path::PathBuf> {
    let root = repo_root();
    let mut files = plan_files(&root.join("tests/fixtures"));
    files.extend(plan_files(&root.join("examples")));
    assert!(files.len() > 40, "expected the fixtures and examples, found {} files", files.len());
    files
}

#[test]
fn every_file_round_trips_byte_for_byte() {
    for path in all_plan_files() {
        let Ok(text) = std::fs::read_to_string(&path) else { continue }; // The invalid UTF-8 fixture.
        let parse = syntax::parse(&text);
        assert_eq!(parse.syntax().to_string(), text, "{} does not round-trip", path.display());
    }
}

#[test]
fn formatting_is_idempotent_and_changes_only_whitespace() {
    for path in all_plan_files() {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let Ok(once) = fmt::format(&text) else { continue }; // Files with syntax errors are not formatted.
        let twice = fmt::format(&once).expect("formatted text parses");
        assert_eq!(twice, once, "formatting {} twice changes it", path.display());
        let strip = |text: &str| text.chars().filter(|ch| !ch.is_whitespace()).collect::<String>();
        assert_eq!(strip(&once), strip(&text), "formatting {} changed more than whitespace", path.display());
    }
}

#[test]
fn every_prefix_of_every_file_parses_without_panicking() {
    for path in all_plan_files() {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        for (end, _) in text.char_indices().step_by(3) {
            let prefix = &text[..end];
            let parse = syntax::parse(prefix);
            assert_eq!(parse.syntax().to_string(), prefix);
        }
    }
}

#[test]
fn examples_are_formatted() {
    for path in plan_files(&repo_root().join("examples")) {
        let text = std::fs::read_to_string(&path).unwrap();
        if let Ok(formatted) = fmt::format(&text) {
            assert_eq!(formatted, text, "{} is not formatted; run `planc fmt examples`", path.display());
        }
    }
}

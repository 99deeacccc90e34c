//! No input makes the compiler panic: arbitrary bytes, and random mutations of real files,
//! through parsing, lowering, checking, every renderer and the formatter.

mod common;

use common::*;
use proptest::prelude::*;

fn run_everything(bytes: Vec<u8>) {
    let checked =
        check_files(vec![("main.plan".to_string(), bytes.clone()), ("other.plan".to_string(), CLEAN.to_vec())]);
    let _ = checked.rendered();
    let _ = planc::diagnostics::render::json(&checked.diagnostics, &checked.sources);
    let _ = planc::diagnostics::render::sarif(&checked.diagnostics, &checked.sources);
    let _ = planc::diagnostics::render::github(&checked.diagnostics, &checked.sources);
    if let Ok(text) = String::from_utf8(bytes) {
        if let Ok(formatted) = planc::fmt::format(&text) {
            assert_eq!(
                planc::fmt::format(&formatted).as_ref(),
                Ok(&formatted),
                "formatting is not idempotent on {text:?}"
            );
        }
    }
}

const CLEAN: &[u8] = b"env dev {}\ncluster apps { version = \"1.33\" }\n";

fn corpus() -> Vec<String> {
    let root = repo_root();
    let mut files = plan_files(&root.join("tests/fixtures"));
    files.extend(plan_files(&root.join("examples")));
    files.into_iter().filter_map(|path| std::fs::read_to_string(path).ok()).collect()
}

/// Pieces that, spliced in, exercise the grammar's corners.
const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "=",
    ",",
    ";",
    ".",
    "..",
    "\"",
    "\"\"\"",
    "${",
    "/*",
    "*/",
    "//",
    "///",
    "$",
    "-",
    "%",
    "512m",
    "2Gi",
    "$4/mo",
    "secret(",
    "env prod {",
    "service x {",
    "\n",
    " ",
    "é",
    "😀",
    "\\u{",
    "\\",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        run_everything(bytes);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        run_everything(text.into_bytes());
    }

    #[test]
    fn mutated_files_never_panic(
        file_index in any::<prop::sample::Index>(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0usize..8, any::<bool>()), 1..6),
    ) {
        let corpus = corpus();
        let mut text = corpus[file_index.index(corpus.len())].clone();
        for (position, piece, delete, insert) in edits {
            let mut at = position.index(text.len() + 1);
            while !text.is_char_boundary(at) { at -= 1; }
            let mut end = (at + delete).min(text.len());
            while !text.is_char_boundary(end) { end += 1; }
            text.replace_range(at..end, if insert { PIECES[piece.index(PIECES.len())] } else { "" });
        }
        run_everything(text.into_bytes());
    }
}

/// Every `.plan` file of the repository read as one workspace (many plans, every cloud, every
/// rule fixture side by side): no command panics. This found a tier lookup that indexed past a
/// one-element table for a `mongodb` database with a Cloud SQL custom tier.
#[test]
fn the_whole_repository_as_one_workspace_never_panics() {
    let root = repo_root();
    let out = std::env::temp_dir().join(format!("planc-robustness-{}", std::process::id()));
    let commands: [&[&str]; 5] = [
        &["check", "--format", "json"],
        &["cost", "--format", "json"],
        &["cost", "--compare", "aws,azure,gcp"],
        &["fmt", "--check"],
        &["build", "--out", out.to_str().unwrap()],
    ];
    for args in commands {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_planc")).args(args).arg(&root).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("panicked") && output.status.code() != Some(101),
            "planc {args:?} panicked:\n{stderr}"
        );
    }
    let _ = std::fs::remove_dir_all(out);
}

/// 100,000 levels of each construct that nests: every pass stops at the documented depth with
/// one syntax error instead of overflowing the stack.
fn deep_inputs() -> Vec<(&'static str, String)> {
    const N: usize = 100_000;
    let plan = "plan deep { cloud = aws  region = \"us-east-1\" }\n";
    let value = |open: &str, inner: &str, close: &str| {
        format!("{plan}bucket b {{ tags = {}{inner}{} }}\nbucket after {{ }}\n", open.repeat(N), close.repeat(N))
    };
    vec![
        ("lists", value("[", "", "]")),
        ("parentheses", value("(", "1", ")")),
        ("objects", value("{ a = ", "1", " }")),
        ("blocks", format!("{plan}{}{}\n", "x {".repeat(N), "}".repeat(N))),
        ("labelled blocks", format!("{plan}{}{}\n", "bucket b {".repeat(N), "}".repeat(N))),
        ("calls", format!("{plan}bucket b {{ tags = f{} }}\n", "()".repeat(N))),
        ("references", format!("{plan}bucket b {{ tags = a{} }}\n", ".b".repeat(N))),
        ("unclosed", format!("{plan}bucket b {{ tags = {}\n", "[".repeat(N))),
    ]
}

#[test]
fn nesting_100000_levels_deep_is_one_syntax_error_in_every_pass() {
    for (name, text) in deep_inputs() {
        let checked = check_files(vec![("main.plan".to_string(), text.clone().into_bytes())]);
        let nesting: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|it| {
                it.code == "P001" && (it.message.contains("nesting deeper") || it.message.contains("chain is longer"))
            })
            .collect();
        assert_eq!(nesting.len(), 1, "{name}: {:#?}", checked.codes());
        let _ = checked.rendered();
        let _ = planc::diagnostics::render::sarif(&checked.diagnostics, &checked.sources);
        assert!(planc::fmt::format(&text).is_err(), "{name}: fmt formats a file with a syntax error");
        // The tree stays lossless: every byte is still there.
        assert_eq!(planc::syntax::parse(&text).syntax().text().to_string(), text, "{name}");
    }
}

#[test]
fn deep_nesting_through_the_binary_ends_in_a_diagnostic() {
    let dir = std::env::temp_dir().join(format!("planc-deep-{}", std::process::id()));
    for (name, text) in deep_inputs() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("main.plan"), &text).unwrap();
        for args in [&["check"][..], &["build", "--out"], &["cost"], &["fmt", "--check"]] {
            let mut command = planc();
            command.arg(args[0]);
            command.arg(&dir);
            if args.len() > 1 && args[1] == "--out" {
                command.arg("--out").arg(dir.join("out"));
            } else if args.len() > 1 {
                command.arg(args[1]);
            }
            let output = command.output().unwrap();
            let code = output.status.code();
            assert!(
                matches!(code, Some(0..=2)),
                "{name}: planc {args:?} ended with {:?}: {}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
            assert_ne!(code, Some(0), "{name}: planc {args:?} accepted the file");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

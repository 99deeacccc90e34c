use super::*;

fn check(text: &str) -> Parse {
    let parse = parse(text);
    assert_eq!(parse.syntax().to_string(), text, "the tree must hold every byte");
    parse
}

#[test]
fn example_from_the_reference_parses_without_errors() {
    let text = r#"
plan shop {
  cloud = aws  region = "us-east-1"  pattern = microservices
  budget = $5000/mo
  tags { team = "platform"  cost_center = "cc-42" }
}
/// The API.
service api {
  cluster = apps  image = "ghcr.io/acme/api:1.4.2"  port = 8080
  replicas = 2..6  cpu = 250m..1  memory = 512Mi..1Gi
  vars { DATABASE_URL = orders.url  API_KEY = secret("api-key") }
  autoscale { cpu = 70% }
  routes { "/" = api }
  list = [a, b, "c",]
  obj = { a = 1, b = -2; c = { d = [] } }
  host = "x ${api.host}"
  env prod { replicas = 3..20 }
}
"#;
    let parse = check(text);
    assert!(parse.errors.is_empty(), "{:?}\n{}", parse.errors, debug_tree(&parse.syntax()));
}

#[test]
fn three_independent_errors_are_reported_once_each() {
    let text = "service api {\n  replicas = \n  cpu = 250m..1\n  memory = [1, 2\n  port = 8080\n}\nqueue q { retention = ) }\n";
    let parse = check(text);
    let messages: Vec<_> = parse.errors.iter().map(|e| format!("{:?} {}", e.range, e.message)).collect();
    assert_eq!(messages.len(), 3, "{messages:#?}\n{}", debug_tree(&parse.syntax()));
    eprintln!("{messages:#?}");
}

#[test]
fn unclosed_block_is_one_error() {
    let parse = check("service api {\n  port = 1\n");
    assert_eq!(parse.errors.len(), 1, "{:?}", parse.errors);
}

#[test]
fn dotted_versions_stay_one_name() {
    let parse = check("function f { runtime = python3.12 x = orders.url }");
    assert!(parse.errors.is_empty(), "{:?}", parse.errors);
    let tree = debug_tree(&parse.syntax());
    assert!(tree.contains("IDENT@23..33 \"python3.12\""), "{tree}");
}

/// Every `.plan` file of the examples and test fixtures.
fn corpus() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    let mut dirs = vec![root.join("examples"), root.join("tests/fixtures")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|it| it == "plan") {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    files.push(text);
                }
            }
        }
    }
    files.sort();
    files
}

fn assert_same_as_whole_parse(text: &str) {
    let (by_items, whole) = (parse(text), parse_whole(text));
    assert_eq!(by_items.errors, whole.errors, "errors differ on {text:?}");
    assert_eq!(debug_tree(&by_items.syntax()), debug_tree(&whole.syntax()), "trees differ on {text:?}");
}

#[test]
fn parsing_item_by_item_equals_parsing_the_whole_file() {
    let corpus = corpus();
    assert!(corpus.len() > 50);
    for text in &corpus {
        assert_same_as_whole_parse(text);
    }
    // Reused item parses give the same result as fresh ones.
    let cache = ItemCache::default();
    for text in corpus.iter().chain(&corpus) {
        let reused = parse_reusing(text, &cache);
        let whole = parse_whole(text);
        assert_eq!(reused.errors, whole.errors, "errors differ on {text:?}");
        assert_eq!(debug_tree(&reused.syntax()), debug_tree(&whole.syntax()), "trees differ on {text:?}");
    }
}

const PIECES: &[&str] = &[
    "{", "}", "[", "]", "(", ")", "=", ",", ";", ".", "..", "\"", "\"\"\"", "${", "/*", "*/", "//", "x", "x =", "a {",
    "a b {", "\"k\" =", "-", "1", "\n",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

    /// Broken files too: the split never changes the tree or the errors.
    #[test]
    fn parsing_item_by_item_equals_parsing_the_whole_file_after_edits(
        file in proptest::prelude::any::<proptest::sample::Index>(),
        edits in proptest::collection::vec(
            (proptest::prelude::any::<proptest::sample::Index>(), proptest::prelude::any::<proptest::sample::Index>(), 0usize..6, proptest::prelude::any::<bool>()),
            1..5,
        ),
    ) {
        let corpus = corpus();
        let mut text = corpus[file.index(corpus.len())].clone();
        for (position, piece, delete, insert) in edits {
            let mut at = position.index(text.len() + 1);
            while !text.is_char_boundary(at) { at -= 1; }
            let mut end = (at + delete).min(text.len());
            while !text.is_char_boundary(end) { end += 1; }
            text.replace_range(at..end, if insert { PIECES[piece.index(PIECES.len())] } else { "" });
        }
        assert_same_as_whole_parse(&text);
    }
}

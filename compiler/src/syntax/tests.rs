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

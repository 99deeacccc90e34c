//! The real `plan-lsp` binary driven over stdio on a multi-file workspace, one test per
//! feature, with the answers snapshotted (paths replaced by `WORKSPACE`).

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use serde_json::{json, Value};

/// A copy of `tests/fixtures/lsp/workspace` in a fresh directory, removed when dropped.
fn workspace(name: &str) -> Workspace {
    let source = repo_root().join("tests/fixtures/lsp/workspace");
    let dir = std::env::temp_dir().join(format!("plan-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(source).unwrap().flatten() {
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    Workspace(dir)
}

/// A test's workspace directory: a path to the test, gone when the test ends.
struct Workspace(PathBuf);

impl std::ops::Deref for Workspace {
    type Target = PathBuf;

    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Object keys in sorted order: LSP maps (`WorkspaceEdit.changes`) have no order of their own.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(entries.into_iter().map(|(key, value)| (key.clone(), sorted(value))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

fn normalize(value: &Value, root: &Path) -> String {
    let text = serde_json::to_string_pretty(&sorted(value)).unwrap();
    text.replace(&uri(root), "file:///WORKSPACE").replace(&root.display().to_string(), "WORKSPACE")
}

fn position(line: u32, character: u32) -> Value {
    json!({ "line": line, "character": character })
}

fn at(file: &Path, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri(file) }, "position": position(line, character) })
}

fn started(name: &str) -> (Client, Workspace) {
    let root = workspace(name);
    let mut client = Client::start();
    client.initialize(&root);
    client.open(&root.join("services.plan"));
    // The first diagnostics may take a while on a loaded machine; then wait for the rest.
    client.wait_for(|it| it.get("method") == Some(&json!("textDocument/publishDiagnostics")), Duration::from_secs(20));
    client.settle(Duration::from_millis(300));
    (client, root)
}

#[test]
fn diagnostics_are_published_for_every_file_with_codes_and_fixes() {
    let (client, root) = started("diagnostics");
    let data = client
        .diagnostics
        .get(&uri(&root.join("data.plan")))
        .cloned()
        .expect("diagnostics for data.plan, a file that is not open");
    insta::assert_snapshot!(normalize(&data, &root));
    assert_eq!(client.diagnostics.get(&uri(&root.join("services.plan"))), Some(&json!([])));
    client.shutdown();
}

#[test]
fn a_rename_in_one_file_updates_diagnostics_in_another() {
    let (mut client, root) = started("cross-file");
    let plan = root.join("plan.plan");
    client.open(&plan);
    // `main` becomes `core`: the cluster in services.plan now refers to a missing network.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri(&plan), "version": 2 },
            "contentChanges": [{ "range": { "start": position(12, 8), "end": position(12, 12) }, "text": "core" }],
        }),
    );
    client.settle(Duration::from_millis(300));
    let services = &client.diagnostics[&uri(&root.join("services.plan"))];
    assert_eq!(services[0]["code"], "P009", "{services}");
    assert!(services[0]["message"].as_str().unwrap().contains("`main`"));
    client.shutdown();
}

#[test]
fn an_edit_that_moves_lines_but_no_offsets_republishes_the_positions() {
    let (mut client, root) = started("same-offsets");
    let data = root.join("data.plan");
    client.open(&data);
    client.settle(Duration::from_millis(300));
    let before = client.diagnostics[&uri(&data)].clone();
    let first = before
        .as_array()
        .unwrap()
        .iter()
        .find(|it| it["range"]["start"]["line"].as_u64().unwrap() > 0)
        .cloned()
        .unwrap_or_else(|| panic!("a diagnostic below the first line: {before}"));
    // The space in `database orders {` becomes a line break: every offset stays, every later
    // line moves down one, so the same diagnostics must be published at new positions.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri(&data), "version": 2 },
            "contentChanges": [{ "range": { "start": position(0, 8), "end": position(0, 9) }, "text": "\n" }],
        }),
    );
    client.settle(Duration::from_millis(300));
    let after = &client.diagnostics[&uri(&data)];
    let moved = after
        .as_array()
        .unwrap()
        .iter()
        .find(|it| it["code"] == first["code"] && it["message"] == first["message"])
        .unwrap_or_else(|| panic!("{first} is still reported: {after}"));
    assert_eq!(moved["range"]["start"]["line"], first["range"]["start"]["line"].as_u64().unwrap() + 1, "{after}");
    client.shutdown();
}

#[test]
fn incremental_edits_count_utf16_units() {
    let (mut client, root) = started("utf16");
    let services = root.join("services.plan");
    // Line 0 holds "😀" (two UTF-16 units); replace the `.` after it.
    let line = std::fs::read_to_string(&services).unwrap().lines().next().unwrap().to_string();
    let units = line.encode_utf16().count() as u32;
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri(&services), "version": 2 },
            "contentChanges": [{ "range": { "start": position(0, units - 1), "end": position(0, units) }, "text": "!" }],
        }),
    );
    // The hover on `api` still lands: offsets after the emoji are right.
    let hover = client.request("textDocument/hover", at(&services, 1, 9));
    assert!(hover["contents"]["value"].as_str().unwrap().contains("service api"), "{hover}");
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri(&services) } }));
    assert_eq!(symbols[0]["name"], "api");
    client.shutdown();
}

#[test]
fn hover_shows_docs_values_and_cost() {
    let (mut client, root) = started("hover");
    let services = root.join("services.plan");
    let kind = client.request("textDocument/hover", at(&services, 1, 2));
    let attribute = client.request("textDocument/hover", at(&services, 5, 3));
    let reference = client.request("textDocument/hover", at(&services, 10, 26));
    let declaration = client.request("textDocument/hover", at(&services, 14, 9));
    insta::assert_snapshot!(normalize(
        &json!({ "kind": kind, "attribute": attribute, "reference": reference, "declaration": declaration }),
        &root
    ));
    client.shutdown();
}

#[test]
fn completion_offers_kinds_attributes_values_and_units() {
    let (mut client, root) = started("completion");
    let services = root.join("services.plan");
    let text = std::fs::read_to_string(&services).unwrap();
    let edited = format!("{text}\ns\nworker w {{\n  expose = \n  cluster = \n  cpu = 25\n  \n}}\n");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri(&services), "version": 2 }, "contentChanges": [{ "text": edited }] }),
    );
    let base = text.lines().count() as u32;
    let labels = |value: &Value| -> Vec<String> {
        value.as_array().unwrap().iter().map(|it| it["label"].as_str().unwrap().to_string()).collect()
    };
    let kinds = labels(&client.request("textDocument/completion", at(&services, base + 1, 1)));
    assert!(
        kinds.contains(&"service".to_string())
            && kinds.contains(&"database".to_string())
            && !kinds.contains(&"subnet".to_string()),
        "{kinds:?}"
    );
    let cluster_refs = labels(&client.request("textDocument/completion", at(&services, base + 4, 12)));
    assert_eq!(cluster_refs, ["apps"]);
    let units = labels(&client.request("textDocument/completion", at(&services, base + 5, 10)));
    assert!(units.contains(&"25m".to_string()), "{units:?}");
    let attributes = labels(&client.request("textDocument/completion", at(&services, base + 6, 2)));
    assert!(
        attributes.contains(&"image".to_string()) && !attributes.contains(&"cluster".to_string()),
        "attributes not yet set: {attributes:?}"
    );
    let snippet = client.request("textDocument/completion", at(&services, base + 1, 1));
    let database = snippet.as_array().unwrap().iter().find(|it| it["label"] == "database").unwrap().clone();
    insta::assert_snapshot!(normalize(&database, &root));
    client.shutdown();
}

#[test]
fn navigation_finds_definitions_references_and_symbols() {
    let (mut client, root) = started("navigation");
    let services = root.join("services.plan");
    let definition = client.request("textDocument/definition", at(&services, 10, 26));
    let references = client.request("textDocument/references", json!({ "textDocument": { "uri": uri(&services) }, "position": position(14, 9), "context": { "includeDeclaration": true } }));
    let highlights = client.request("textDocument/documentHighlight", at(&services, 2, 14));
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri(&services) } }));
    let workspace_symbols = client.request("workspace/symbol", json!({ "query": "ord" }));
    insta::assert_snapshot!(normalize(
        &json!({ "definition": definition, "references": references, "highlights": highlights, "symbols": symbols, "workspace_symbols": workspace_symbols }),
        &root
    ));
    client.shutdown();
}

#[test]
fn rename_edits_every_file_and_refuses_bad_names() {
    let (mut client, root) = started("rename");
    let services = root.join("services.plan");
    let prepare = client.request("textDocument/prepareRename", at(&services, 14, 10));
    assert_eq!(prepare["placeholder"], "apps");
    let rename = client.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri(&services) }, "position": position(10, 26), "newName": "orders-db" }),
    );
    insta::assert_snapshot!(normalize(&json!({ "prepare": prepare, "rename": rename }), &root));
    let invalid = client.request_response(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri(&services) }, "position": position(14, 10), "newName": "9 lives" }),
    );
    assert!(invalid["error"]["message"].as_str().unwrap().contains("not a valid name"), "{invalid}");
    let clash = client.request_response(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri(&services) }, "position": position(14, 10), "newName": "orders" }),
    );
    assert!(clash["error"]["message"].as_str().unwrap().contains("already"), "{clash}");
    client.shutdown();
}

#[test]
fn formatting_and_quick_fixes_are_edits() {
    let (mut client, root) = started("edits");
    let data = root.join("data.plan");
    client.open(&data);
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri(&data), "version": 2 }, "contentChanges": [{ "text": "bucket   assets {\n    public=true\n}\ndatabase orders { engine = postgres  version = \"16\"  tier = \"db.t4g.medium\"  env prod { ha = true } }\n" }] }),
    );
    let formatting = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri(&data) }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri(&data) },
            "range": { "start": position(1, 11), "end": position(1, 15) },
            "context": { "diagnostics": [] },
        }),
    );
    insta::assert_snapshot!(normalize(&json!({ "formatting": formatting, "actions": actions }), &root));
    client.shutdown();
}

#[test]
fn inlay_hints_tokens_folding_and_selection() {
    let (mut client, root) = started("presentation");
    let services = root.join("services.plan");
    let hints = client.request("textDocument/inlayHint", json!({ "textDocument": { "uri": uri(&services) }, "range": { "start": position(0, 0), "end": position(30, 0) } }));
    let tokens =
        client.request("textDocument/semanticTokens/full", json!({ "textDocument": { "uri": uri(&services) } }));
    let folding = client.request("textDocument/foldingRange", json!({ "textDocument": { "uri": uri(&services) } }));
    let selection = client.request(
        "textDocument/selectionRange",
        json!({ "textDocument": { "uri": uri(&services) }, "positions": [position(5, 14)] }),
    );
    assert!(tokens["data"].as_array().unwrap().len() > 40);
    insta::assert_snapshot!(normalize(&json!({ "hints": hints, "folding": folding, "selection": selection }), &root));
    client.shutdown();
}

#[test]
fn broken_input_and_malformed_messages_do_not_stop_the_server() {
    let (mut client, root) = started("robustness");
    let services = root.join("services.plan");
    // A syntax error: requests still answer from what parsed.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri(&services), "version": 2 }, "contentChanges": [{ "range": { "start": position(4, 13), "end": position(4, 17) }, "text": "" }] }),
    );
    let hover = client.request("textDocument/hover", at(&services, 14, 9));
    assert!(hover["contents"]["value"].as_str().unwrap().contains("cluster apps"), "{hover}");
    client.settle(Duration::from_millis(300));
    assert!(client.diagnostics[&uri(&services)].as_array().unwrap().iter().any(|it| it["code"] == "P001"));
    // Malformed JSON is answered with an error, and the server keeps serving.
    client.send_raw(b"{ this is not json");
    let parse_error = client.wait_for(|message| message.get("error").is_some(), Duration::from_secs(5));
    assert_eq!(parse_error.unwrap()["error"]["code"], -32700);
    // A request for a file the server does not know answers null.
    let unknown = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "file:///nowhere.plan" }, "position": position(0, 0) }),
    );
    assert_eq!(unknown, Value::Null);
    // A cancelled request does not break the next one.
    client.notify("$/cancelRequest", json!({ "id": 9999 }));
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri(&services) } }));
    assert!(!symbols.as_array().unwrap().is_empty());
    client.shutdown();
}

#[test]
fn the_cost_report_command_returns_the_markdown_report() {
    let (mut client, root) = started("cost-report");
    let init_commands = client.request_response("workspace/executeCommand", json!({ "command": "plan.nope" }));
    assert!(init_commands["error"]["message"].as_str().unwrap().contains("unknown command"), "{init_commands}");

    let all = client.request("workspace/executeCommand", json!({ "command": "plan.server.costReport" }));
    let prod = client.request(
        "workspace/executeCommand",
        json!({ "command": "plan.server.costReport", "arguments": [{ "env": "prod" }] }),
    );
    let (all, prod) = (all.as_str().unwrap(), prod.as_str().unwrap());
    // The same report as `planc cost --format markdown`, per environment.
    let files = planc::cli::workspace::load(&root).unwrap();
    let (db, workspace) = planc::db::Database::with_files(files);
    let cost = planc::db::plan_cost(&db, workspace);
    assert_eq!(all, planc::cost::report::markdown(&cost, None));
    assert_eq!(prod, planc::cost::report::markdown(&cost, Some("prod")));
    assert!(all.contains("dev") && all.contains("prod") && all.contains("database `orders`"), "{all}");
    assert!(!prod.contains("### `dev`") && prod.contains("### `prod`"), "{prod}");
    client.shutdown();
}

#[test]
fn positions_inside_emoji_and_inverted_ranges_are_answered_not_panicked_on() {
    let (mut client, root) = started("unicode-positions");
    let services = root.join("services.plan");
    // A line of emoji and CJK text at the top: every UTF-16 column of it, including the ones
    // between the two halves of a surrogate pair, is a valid place to ask for completion.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri(&services), "version": 2 }, "contentChanges": [{ "range": { "start": position(0, 0), "end": position(0, 0) }, "text": "// 😀a🚀配置😀\n" }] }),
    );
    for character in 0..16 {
        let answer = client.request_response("textDocument/completion", at(&services, 0, character));
        assert!(answer.get("error").is_none(), "completion at 0:{character}: {answer}");
    }
    // A code action whose range runs backwards.
    let answer = client.request_response(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri(&services) }, "range": { "start": position(6, 10), "end": position(2, 0) }, "context": { "diagnostics": [] } }),
    );
    assert!(answer.get("error").is_none(), "{answer}");
    // The server still serves.
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri(&services) } }));
    assert!(!symbols.as_array().unwrap().is_empty());
    client.shutdown();
}

#[test]
fn a_file_nested_100000_levels_deep_is_a_diagnostic_and_the_server_keeps_serving() {
    let (mut client, root) = started("deep-nesting");
    let services = root.join("services.plan");
    let deep = root.join("deep.plan");
    let text = format!("bucket deep {{ tags = {}{} }}\n", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(&deep, &text).unwrap();
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri(&deep), "languageId": "plan", "version": 1, "text": text } }),
    );
    // Typing 6,000 `(` into an open file, one change.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri(&services), "version": 2 }, "contentChanges": [{ "range": { "start": position(0, 0), "end": position(0, 0) }, "text": "(".repeat(6000) }] }),
    );
    let published = client.wait_for(
        |message| {
            message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri(&deep)
                && message["params"]["diagnostics"]
                    .as_array()
                    .is_some_and(|it| it.iter().any(|d| d["message"].as_str().unwrap_or("").contains("nesting deeper")))
        },
        Duration::from_secs(20),
    );
    assert!(published.is_some(), "no nesting diagnostic for deep.plan");
    let hover = client.request("textDocument/hover", at(&services, 14, 9));
    assert!(hover["contents"]["value"].as_str().is_some_and(|it| it.contains("cluster apps")), "{hover}");
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri(&deep) } }));
    assert!(symbols.is_array(), "{symbols}");
    client.shutdown();
}

/// Every malformed input the protocol can carry, each answered as JSON-RPC asks, and the server
/// still serves after all of them.
#[test]
fn protocol_abuse_is_answered_and_the_server_keeps_serving() {
    let (mut client, root) = started("protocol-abuse");
    let services = root.join("services.plan");
    let still_serves = |client: &mut Client| {
        let symbols =
            client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri(&services) } }));
        assert!(!symbols.as_array().unwrap().is_empty());
    };
    let error_code = |client: &mut Client| {
        client
            .wait_for(|message| message.get("error").is_some(), Duration::from_secs(5))
            .map(|it| (it["id"].clone(), it["error"]["code"].as_i64().unwrap()))
    };
    // Valid JSON that is not a JSON-RPC message: -32600 Invalid Request.
    for body in [
        "{}",
        "[]",
        "1",
        "[{\"jsonrpc\":\"2.0\",\"id\":70,\"method\":\"shutdown\"}]",
        "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"textDocument/hover\"}",
        "{\"id\":71,\"method\":\"textDocument/hover\"}",
    ] {
        client.send_raw(body.as_bytes());
        let (_, code) = error_code(&mut client).unwrap_or_else(|| panic!("no answer to {body}"));
        assert_eq!(code, -32600, "{body}");
        still_serves(&mut client);
    }
    // An unknown `$/` request: -32601 with its id.
    client.send_raw(b"{\"jsonrpc\":\"2.0\",\"id\":72,\"method\":\"$/plan.unknown\"}");
    assert_eq!(error_code(&mut client), Some((json!(72), -32601)));
    // Bad headers: skipped, and the next good frame is read.
    for bad in [
        &b"Content-Length: abc\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}"[..],
        b"Content-Length: -5\r\n\r\n{}",
        b"\r\n{\"no\":\"header\"}",
        // Shorter than its body: the rest of the body is skipped as junk.
        b"Content-Length: 5\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}",
    ] {
        client.send_bytes(bad);
        still_serves(&mut client);
    }
    // `exit` without `shutdown` ends the process with 1.
    client.notify("exit", json!(null));
    let status = client.wait_exit(Duration::from_secs(10)).expect("the server did not exit");
    assert_eq!(status.code(), Some(1));
}

#[test]
fn exit_after_shutdown_is_0_and_a_length_over_the_limit_ends_with_a_message() {
    let (client, _root) = started("clean-exit");
    assert_eq!(client.shutdown_status().and_then(|it| it.code()), Some(0));

    let (mut client, _root) = started("huge-length");
    client.send_bytes(b"Content-Length: 99999999999999\r\n\r\n{}");
    let status = client.wait_exit(Duration::from_secs(10)).expect("the server did not exit");
    assert_eq!(status.code(), Some(1));
}

#[test]
fn completion_inside_size_and_tier_offers_the_clouds_classes_and_after_a_name_its_outputs() {
    let (mut client, root) = started("class-completion");
    let services = root.join("services.plan");
    let text = std::fs::read_to_string(&services).unwrap();
    let edited = format!(
        "{text}\nvm box {{\n  size = \"c5\"\n}}\ndatabase extra {{\n  engine = postgres\n  tier = \"\"\n}}\nservice probe {{\n  vars {{ X = extra. }}\n}}\n"
    );
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri(&services), "version": 2 }, "contentChanges": [{ "text": edited }] }),
    );
    let base = text.lines().count() as u32;
    let items = |value: &Value| -> Vec<(String, String)> {
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|it| (it["label"].as_str().unwrap().to_string(), it["detail"].as_str().unwrap_or("").to_string()))
            .collect()
    };
    let sizes = items(&client.request("textDocument/completion", at(&services, base + 2, 12)));
    let c5 = sizes
        .iter()
        .find(|(label, _)| label == "c5.large")
        .unwrap_or_else(|| panic!("no c5.large in {} items", sizes.len()));
    assert_eq!(c5.1, "2 vCPU, 4 GiB, x86_64, $62.05/mo on aws");
    let tiers = items(&client.request("textDocument/completion", at(&services, base + 6, 10)));
    assert!(tiers.iter().any(|(label, _)| label == "db.r6g.large"), "{tiers:?}");
    assert!(!tiers.iter().any(|(label, _)| label == "c5.large"), "compute classes are not database tiers");
    let outputs = items(&client.request("textDocument/completion", at(&services, base + 9, 19)));
    let labels: Vec<&str> = outputs.iter().map(|(label, _)| label.as_str()).collect();
    assert!(labels.contains(&"url") && labels.contains(&"host"), "{labels:?}");
    client.shutdown();
}

#[test]
fn completion_after_a_raw_resources_name_offers_its_types_attributes() {
    let (mut client, root) = started("raw-attributes");
    let services = root.join("services.plan");
    let base = append(
        &mut client,
        &services,
        "\nterraform nodes {\n  type = \"aws_iam_role\"\n  args { name = \"nodes\"  assume_role_policy = \"{}\" }\n}\nterraform attach {\n  type = \"aws_iam_role_policy_attachment\"\n  args { role = nodes. }\n}\n",
    );
    let found = labels(&client.request("textDocument/completion", at(&services, base + 7, 22)));
    assert!(found.iter().any(|it| it == "arn") && found.iter().any(|it| it == "name"), "{found:?}");
    client.shutdown();
}

/// A partly priced block says so in the hover, as `planc cost` does: its storage has a price,
/// its missing tier does not.
#[test]
fn hover_says_plus_unknown_for_a_partly_priced_block() {
    let (mut client, root) = started("partly-priced");
    let services = root.join("services.plan");
    let base = append(
        &mut client,
        &services,
        "\ndatabase notier {\n  engine = postgres\n  version = \"16\"\n  storage = 100GB\n}\n",
    );
    client.settle(Duration::from_millis(300));
    let hover = client.request("textDocument/hover", at(&services, base + 1, 11));
    let text = hover["contents"]["value"].as_str().unwrap_or_default().to_string();
    assert!(text.contains("+ unknown"), "{text}");
    client.shutdown();
}

/// Appends `extra` to `services.plan` in the editor and returns the line it starts on.
fn append(client: &mut Client, services: &Path, extra: &str) -> u32 {
    let text = std::fs::read_to_string(services).unwrap();
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri(services), "version": 2 }, "contentChanges": [{ "text": format!("{text}{extra}") }] }),
    );
    text.lines().count() as u32
}

/// The labels of a completion answer.
fn labels(value: &Value) -> Vec<String> {
    value.as_array().unwrap().iter().map(|it| it["label"].as_str().unwrap().to_string()).collect()
}

#[test]
fn completion_and_hover_reach_into_object_attributes_and_the_new_kinds() {
    let (mut client, root) = started("nested-completion");
    let services = root.join("services.plan");
    let base = append(
        &mut client,
        &services,
        "\nworker probe {\n  rollout { strategy = canary  \n  }\n  autoscale {\n    scale_up { max = 50% }\n  }\n  terraform { x = 1 }\n}\nnetwork edge-net {\n  allow office {  }\n}\n",
    );
    // Inside `rollout { }`: its fields, not the worker's attributes; `strategy` is set already.
    let rollout = labels(&client.request("textDocument/completion", at(&services, base + 2, 32)));
    assert!(rollout.contains(&"steps".to_string()) && rollout.contains(&"pause".to_string()), "{rollout:?}");
    assert!(!rollout.contains(&"strategy".to_string()) && !rollout.contains(&"image".to_string()), "{rollout:?}");
    // After `strategy = `: its values.
    let values = labels(&client.request("textDocument/completion", at(&services, base + 2, 25)));
    assert!(values.contains(&"blue_green".to_string()), "{values:?}");
    // Inside an `allow` rule: the rule's attributes.
    let rule = labels(&client.request("textDocument/completion", at(&services, base + 10, 16)));
    assert!(rule.contains(&"from".to_string()) && rule.contains(&"ports".to_string()), "{rule:?}");
    // Hover on a field two levels down, and on an attribute written as a block.
    let mut hover = |line: u32, character: u32| {
        client.request("textDocument/hover", at(&services, line, character))["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    let max = hover(base + 5, 17);
    assert!(max.contains("**max**") && max.contains("int or percent"), "{max}");
    let scale_up = hover(base + 5, 6);
    assert!(scale_up.contains("**scale_up**") && scale_up.contains("behavior.scaleUp"), "{scale_up}");
    let escape = hover(base + 7, 4);
    assert!(escape.contains("**terraform**") && escape.contains("main Terraform resource"), "{escape}");
    client.shutdown();
}

#[test]
fn completion_after_metric_offers_the_watched_blocks_metrics() {
    let (mut client, root) = started("metric-completion");
    let services = root.join("services.plan");
    let base = append(&mut client, &services, "\nalert probe-cpu {\n  on = orders\n  metric = \n}\n");
    let items = client.request("textDocument/completion", at(&services, base + 3, 11));
    let metrics = labels(&items);
    assert!(metrics.contains(&"cpu".to_string()) && metrics.contains(&"connections".to_string()), "{metrics:?}");
    assert!(!metrics.contains(&"depth".to_string()), "a queue's metric offered for a database: {metrics:?}");
    client.shutdown();
}

#[test]
fn renaming_a_node_pool_updates_every_reference_to_it() {
    let (mut client, root) = started("rename-nested");
    let services = root.join("services.plan");
    let text = std::fs::read_to_string(&services).unwrap();
    let base = append(&mut client, &services, "\nworker pinned {\n  cluster = apps\n  node_pool = apps.general\n}\n");
    let line = text.lines().position(|it| it.contains("node_pool general")).unwrap() as u32;
    let column = text.lines().nth(line as usize).unwrap().find("general").unwrap() as u32;
    let prepare = client.request("textDocument/prepareRename", at(&services, line, column + 1));
    assert_eq!(prepare["placeholder"], "general");
    let rename = client.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri(&services) }, "position": position(line, column + 1), "newName": "apps-pool" }),
    );
    let edits = rename["changes"][uri(&services)].as_array().cloned().unwrap_or_default();
    let lines: Vec<u64> = edits.iter().map(|it| it["range"]["start"]["line"].as_u64().unwrap()).collect();
    assert_eq!(edits.len(), 2, "the label and `apps.general`: {rename}");
    assert!(lines.contains(&(line as u64)) && lines.contains(&(base as u64 + 3)), "{rename}");
    client.shutdown();
}

#[test]
fn renaming_a_block_a_previous_build_produced_records_its_old_name() {
    let (mut client, root) = started("rename-built");
    // What `planc build` leaves in the default output directory.
    std::fs::create_dir_all(root.join("out/prod")).unwrap();
    std::fs::write(
        root.join("out/prod/planc-manifest.json"),
        r#"{ "env": "prod", "blocks": { "database orders": ["aws_db_instance.orders"] }, "moved": [] }"#,
    )
    .unwrap();
    let services = root.join("services.plan");
    let rename = client.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri(&services) }, "position": position(10, 26), "newName": "orders-db" }),
    );
    let edits: Vec<String> = rename["changes"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|it| it.as_array().unwrap().iter().map(|edit| edit["newText"].as_str().unwrap().to_string()))
        .collect();
    assert!(edits.iter().any(|it| it == "  renamed_from = [\"orders\"]\n"), "{rename}");
    client.shutdown();
}

#[test]
fn completion_inside_a_terraform_override_offers_the_providers_arguments() {
    let (mut client, root) = started("terraform-completion");
    let services = root.join("services.plan");
    let base = append(
        &mut client,
        &services,
        "\ndatabase extra {\n  engine = postgres\n  tier = \"db.t4g.medium\"\n  terraform { blue_green_update {  }  }\n}\nterraform check {\n  type = \"aws_route53_health_check\"\n  args {  }\n}\n",
    );
    // In the override: aws_db_instance's arguments, not the database's attributes.
    let database = labels(&client.request("textDocument/completion", at(&services, base + 4, 14)));
    assert!(database.contains(&"performance_insights_enabled".to_string()), "{database:?}");
    assert!(
        !database.contains(&"engine_version_actual".to_string()) && !database.contains(&"arn".to_string()),
        "computed-only names are offered"
    );
    // In a nested block of it: that block's arguments.
    let nested = labels(&client.request("textDocument/completion", at(&services, base + 4, 33)));
    assert_eq!(nested, ["enabled"], "{nested:?}");
    // In a raw resource's args: its type's arguments.
    let raw = labels(&client.request("textDocument/completion", at(&services, base + 8, 9)));
    assert!(raw.contains(&"fqdn".to_string()) && raw.contains(&"failure_threshold".to_string()), "{raw:?}");
    client.shutdown();
}

/// The server and `planc check --format json` agree: for every example, the diagnostics the
/// server publishes (after opening one file) are exactly the CLI's, by file, code, severity,
/// message, help and range. The CLI side is its own code path: `cli::workspace::open`, then the
/// JSON renderer, parsed back.
#[test]
fn the_server_publishes_exactly_what_planc_check_reports_for_every_example() {
    let mut examples: Vec<PathBuf> = std::fs::read_dir(repo_root().join("examples"))
        .unwrap()
        .map(|it| it.unwrap().path())
        .filter(|it| it.is_dir())
        .collect();
    examples.sort();
    assert!(examples.len() >= 5);
    let mut compared = 0;
    for example in examples {
        let (db, workspace) = planc::cli::workspace::open(&example).expect("the example loads");
        let sources: planc::diagnostics::render::Sources = workspace
            .files(&db)
            .iter()
            .map(|file| (file.path(&db).clone(), std::sync::Arc::clone(file.text(&db))))
            .collect();
        let cli: Value = serde_json::from_str(&planc::diagnostics::render::json(
            &planc::db::all_diagnostics(&db, workspace),
            &sources,
        ))
        .unwrap();
        // (file, line, column, end line, end column, code, severity, message with help)
        let mut expected: Vec<(String, u64, u64, u64, u64, String, String, String)> = cli["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|it| {
                let file = example.join(it["file"].as_str().unwrap()).canonicalize().unwrap();
                let mut message = it["message"].as_str().unwrap().to_string();
                if let Some(help) = it["help"].as_str() {
                    message.push_str(&format!("\nhelp: {help}"));
                }
                (
                    uri(&file),
                    it["range"]["start"]["line"].as_u64().unwrap() - 1,
                    it["range"]["start"]["column"].as_u64().unwrap() - 1,
                    it["range"]["end"]["line"].as_u64().unwrap() - 1,
                    it["range"]["end"]["column"].as_u64().unwrap() - 1,
                    it["code"].as_str().unwrap().to_string(),
                    it["severity"].as_str().unwrap().to_string(),
                    message,
                )
            })
            .collect();
        expected.sort();

        let root = example.canonicalize().unwrap();
        let mut client = Client::start();
        client.initialize(&root);
        let first = planc::cli::workspace::discover(&root).unwrap().remove(0);
        client.open(&first);
        client.wait_for(
            |it| it.get("method") == Some(&json!("textDocument/publishDiagnostics")),
            Duration::from_secs(20),
        );
        client.settle(Duration::from_millis(500));
        let severity = |it: &Value| match it.as_u64() {
            Some(1) => "error",
            Some(2) => "warning",
            _ => "info",
        };
        let mut published: Vec<(String, u64, u64, u64, u64, String, String, String)> = client
            .diagnostics
            .iter()
            .flat_map(|(file, list)| {
                list.as_array().unwrap().iter().map(move |it| {
                    (
                        file.clone(),
                        it["range"]["start"]["line"].as_u64().unwrap(),
                        it["range"]["start"]["character"].as_u64().unwrap(),
                        it["range"]["end"]["line"].as_u64().unwrap(),
                        it["range"]["end"]["character"].as_u64().unwrap(),
                        it["code"].as_str().unwrap().to_string(),
                        severity(&it["severity"]).to_string(),
                        it["message"].as_str().unwrap().to_string(),
                    )
                })
            })
            .collect();
        published.sort();
        assert_eq!(published, expected, "{}", example.display());
        compared += expected.len();
        client.shutdown();
    }
    // examples/errors-demo alone has more than twenty.
    assert!(compared > 20, "only {compared} diagnostics compared");
}

/// The server's hover and `planc cost` agree: for the examples on each cloud, every block the
/// CLI's cost model prices (workloads' shares of their cluster included) shows the same amount
/// in each environment in its hover.
#[test]
fn hover_costs_are_the_costs_planc_cost_reports() {
    for example in ["shop", "payments-azure", "events-gcp"] {
        let root = repo_root().join("examples").join(example).canonicalize().unwrap();
        let (db, workspace) = planc::cli::workspace::open(&root).expect("the example loads");
        let cost = planc::db::plan_cost(&db, workspace);
        let mut client = Client::start();
        client.initialize(&root);
        let files = planc::cli::workspace::discover(&root).unwrap();
        client.open(&files[0]);
        client.wait_for(
            |it| it.get("method") == Some(&json!("textDocument/publishDiagnostics")),
            Duration::from_secs(20),
        );
        let mut compared = 0;
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            for env in &cost.envs {
                for resource in &env.resources {
                    // The block's name where it is declared: `KIND NAME {` at the start of a line.
                    let Some((line, column)) = text.lines().enumerate().find_map(|(at, line)| {
                        let rest = line.strip_prefix(&format!("{} ", resource.kind))?;
                        rest.starts_with(&format!("{} ", resource.name)).then(|| (at, resource.kind.len() + 1))
                    }) else {
                        continue;
                    };
                    let hover = client.request("textDocument/hover", at(file, line as u32, column as u32 + 1));
                    let shown = hover["contents"]["value"].as_str().unwrap_or_default();
                    let share = if resource.allocated_from.is_some() { " (share of cluster)" } else { "" };
                    let expected = format!("| `{}` | {}{share}", env.env, planc::cost::report::resource_cell(resource));
                    assert!(
                        shown.contains(&expected),
                        "{example}: {} {}: want `{expected}` in\n{shown}",
                        resource.kind,
                        resource.name
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared >= 5, "{example}: only {compared} costs compared");
        client.shutdown();
    }
}

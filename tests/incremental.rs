//! The database re-runs only what an edit can change. Edits come from an editor, whose
//! database keeps each file's tree and reuses its unchanged items (`reusing_items`).

use planc::db::{all_diagnostics, file_diagnostics, Database, SourceFile};
use salsa::Setter;

fn files() -> Vec<(String, Vec<u8>)> {
    vec![
        (
            "a.plan".into(),
            b"plan demo { cloud = aws  region = \"us-east-1\" }\nbucket assets { versioning = true }\n".to_vec(),
        ),
        ("b.plan".into(), b"queue jobs { dead_letter = jobs-dlq }\nqueue jobs-dlq { retention = 14d }\n".to_vec()),
        ("c.plan".into(), b"topic events { }\n".to_vec()),
    ]
}

fn executed_for(log: &[String], query: &str) -> usize {
    log.iter().filter(|it| it.starts_with(query)).count()
}

#[test]
fn an_edit_that_renames_nothing_reparses_only_the_edited_file() {
    let (mut db, workspace) = Database::with_execution_log().reusing_items().load(files());
    assert!(all_diagnostics(&db, workspace).is_empty());
    db.take_executed();

    let b: SourceFile = workspace.files(&db)[1];
    b.set_text(&mut db)
        .to("queue jobs { dead_letter = jobs-dlq  retention = 2d }\nqueue jobs-dlq { retention = 14d }\n".into());
    assert!(all_diagnostics(&db, workspace).is_empty());
    let log = db.take_executed();
    assert_eq!(executed_for(&log, "parse("), 1, "{log:#?}");
    assert_eq!(executed_for(&log, "file_ir("), 1, "{log:#?}");
    // Only the edited file is checked again: the names of the workspace did not change.
    assert_eq!(executed_for(&log, "file_diagnostics("), 1, "{log:#?}");
}

#[test]
fn a_rename_in_one_file_updates_the_diagnostics_of_another() {
    let (mut db, workspace) = Database::with_execution_log().load(files());
    let b = workspace.files(&db)[1];
    assert!(file_diagnostics(&db, b).is_empty());

    let c = workspace.files(&db)[2];
    // Renaming `jobs-dlq` would break `b.plan`; here `c.plan` declares a clashing name instead.
    c.set_text(&mut db).to("topic jobs { }\n".into());
    let diagnostics = all_diagnostics(&db, workspace);
    assert_eq!(diagnostics.iter().map(|it| it.code).collect::<Vec<_>>(), ["P012"], "{diagnostics:#?}");
    assert_eq!(&*diagnostics[0].primary.file, "c.plan");
    assert_eq!(&*diagnostics[0].secondary[0].file, "b.plan");
}

#[test]
fn a_whitespace_edit_reruns_only_that_files_parse_lowering_and_checks() {
    let (mut db, workspace) = Database::with_execution_log().reusing_items().load(files());
    assert!(all_diagnostics(&db, workspace).is_empty());
    db.take_executed();

    // Every position in `a.plan` (the file with the `plan` block) moves; no meaning changes.
    let a: SourceFile = workspace.files(&db)[0];
    a.set_text(&mut db).to(
        "\n\n  plan demo {\n  cloud = aws\n  region = \"us-east-1\"\n}\n\nbucket   assets {\n  versioning = true\n}\n"
            .into(),
    );
    assert!(all_diagnostics(&db, workspace).is_empty());
    let log = db.take_executed();
    assert_eq!(executed_for(&log, "parse("), 1, "{log:#?}");
    assert_eq!(executed_for(&log, "file_ir("), 1, "{log:#?}");
    // The edited file is checked again (its positions moved); no other file is.
    let checked: Vec<&String> = log.iter().filter(|it| it.starts_with("file_diagnostics(")).collect();
    assert_eq!(checked.len(), 1, "{log:#?}");
    assert!(executed_for(&log, "file_costs(") <= 1, "{log:#?}");
}

#[test]
fn a_batch_run_keeps_no_tree() {
    // `planc` never asks for a tree after lowering: each is dropped as soon as its file is
    // lowered, so the next file's tree is built in the same memory.
    let (db, workspace) = Database::with_execution_log().load(files());
    assert!(all_diagnostics(&db, workspace).is_empty());
    let log = db.take_executed();
    assert_eq!(executed_for(&log, "file_ir("), 3, "{log:#?}");
    assert_eq!(executed_for(&log, "parse("), 0, "{log:#?}");
}

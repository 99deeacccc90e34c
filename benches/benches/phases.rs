//! Phase benchmarks on the generated workspace (10,000 blocks in 100 files): parse throughput,
//! a cold check through the database, and a re-check after a one-line edit in one file.

use divan::counter::BytesCount;
use divan::Bencher;
use planc::db::{all_diagnostics, Database};
use salsa::Setter;

fn main() {
    divan::main();
}

const BLOCKS: usize = 10_000;
const FILES: usize = 100;

#[divan::bench]
fn parse_one_file(bencher: Bencher) {
    let files = plan_bench::workspace(BLOCKS, FILES);
    let text = files[1].1.clone();
    bencher.counter(BytesCount::of_str(&text)).bench(|| planc::syntax::parse(divan::black_box(&text)));
}

#[divan::bench(sample_count = 20)]
fn check_cold(bencher: Bencher) {
    let files = plan_bench::workspace_bytes(BLOCKS, FILES);
    let total: usize = files.iter().map(|(_, bytes)| bytes.len()).sum();
    bencher.counter(BytesCount::new(total)).with_inputs(|| files.clone()).bench_values(|files| {
        let (db, workspace) = Database::with_files(files);
        let diagnostics = all_diagnostics(&db, workspace);
        assert!(diagnostics.is_empty());
        diagnostics.len()
    });
}

#[divan::bench(sample_count = 50)]
fn recheck_after_one_line_edit(bencher: Bencher) {
    let files = plan_bench::workspace(BLOCKS, FILES);
    let bytes: Vec<(String, Vec<u8>)> =
        files.iter().map(|(name, text)| (name.clone(), text.clone().into_bytes())).collect();
    let (mut db, workspace) = Database::with_files(bytes);
    assert!(all_diagnostics(&db, workspace).is_empty());
    let file = workspace.files(&db)[50];
    let original = files[50].1.clone();
    let mut toggle = false;
    bencher.bench_local(move || {
        toggle = !toggle;
        let replicas = if toggle { "replicas = 2..7" } else { "replicas = 2..6" };
        let edited = original.replacen("replicas = 2..6", replicas, 1);
        file.set_text(&mut db).to(edited.into());
        all_diagnostics(&db, workspace).len()
    });
}

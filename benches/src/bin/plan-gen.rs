//! `plan-gen DIR [BLOCKS] [FILES]`: writes a generated workspace (default 10,000 blocks in 100
//! files) to DIR, for whole-process benchmarks of `planc`.

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: plan-gen DIR [BLOCKS] [FILES]");
        std::process::exit(2);
    };
    let blocks = args.next().and_then(|it| it.parse().ok()).unwrap_or(10_000);
    let files = args.next().and_then(|it| it.parse().ok()).unwrap_or(100);
    let dir = std::path::Path::new(&dir);
    if let Err(error) = std::fs::create_dir_all(dir) {
        eprintln!("error: cannot create `{}`: {error}", dir.display());
        std::process::exit(2);
    }
    let mut bytes = 0;
    let mut lines = 0;
    for (name, text) in plan_bench::workspace(blocks, files) {
        bytes += text.len();
        lines += text.lines().count();
        if let Err(error) = std::fs::write(dir.join(&name), text) {
            eprintln!("error: cannot write `{name}`: {error}");
            std::process::exit(2);
        }
    }
    eprintln!("wrote {files} files, {lines} lines, {bytes} bytes to {}", dir.display());
}

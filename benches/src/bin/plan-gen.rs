//! `plan-gen DIR [BLOCKS] [FILES]`: writes a generated workspace (default 10,000 blocks in 100
//! files) to DIR, for whole-process benchmarks of `planc`.
//! `plan-gen DIR k8s N`: N services on one cluster (the `build --target k8s` benchmark).
//! `plan-gen DIR platform`: 1,000 services, 100 databases, 10 clusters, 3 environments.
//! `plan-gen DIR buckets N`: N buckets in one file (`planc check` must stay linear in blocks).

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: plan-gen DIR [BLOCKS] [FILES]");
        std::process::exit(2);
    };
    let first = args.next();
    let second = args.next();
    let workspace = match first.as_deref() {
        Some("k8s") => plan_bench::k8s_services(second.and_then(|it| it.parse().ok()).unwrap_or(1000)),
        Some("platform") => plan_bench::platform(),
        Some("buckets") => plan_bench::buckets(second.and_then(|it| it.parse().ok()).unwrap_or(100_000)),
        _ => plan_bench::workspace(
            first.and_then(|it| it.parse().ok()).unwrap_or(10_000),
            second.and_then(|it| it.parse().ok()).unwrap_or(100),
        ),
    };
    let files = workspace.len();
    let dir = std::path::Path::new(&dir);
    if let Err(error) = std::fs::create_dir_all(dir) {
        eprintln!("error: cannot create `{}`: {error}", dir.display());
        std::process::exit(2);
    }
    let mut bytes = 0;
    let mut lines = 0;
    for (name, text) in workspace {
        bytes += text.len();
        lines += text.lines().count();
        if let Err(error) = std::fs::write(dir.join(&name), text) {
            eprintln!("error: cannot write `{name}`: {error}");
            std::process::exit(2);
        }
    }
    eprintln!("wrote {files} files, {lines} lines, {bytes} bytes to {}", dir.display());
}

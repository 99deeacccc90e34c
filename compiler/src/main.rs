// The compiler allocates many small tree nodes; mimalloc is markedly faster at that than glibc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(planc::cli::run());
}

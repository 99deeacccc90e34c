//! `plan-lsp`: the language server of Plan, over stdio, on the compiler's database.
//!
//! Messages pass through `frames` on both sides: what is not a JSON-RPC message is answered
//! there (-32700, -32600, -32601) and never reaches tower-lsp, whose reader would stop at the
//! first malformed message.

use plan_lsp::{frames, server};

// Many small tree nodes: mimalloc is markedly faster at that than glibc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h (the same index in mimalloc 2 and 3).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

extern "C" {
    /// From the mimalloc library that `mimalloc` links in.
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

fn main() {
    if std::env::args().any(|arg| arg == "--version") {
        println!("plan-lsp {}", env!("CARGO_PKG_VERSION"));
        return;
    }
    // Memory freed on one thread is returned after a millisecond, not mimalloc's default ten:
    // analyses now run on other threads than the ones that free their results, and with the
    // default the server kept 30-40 MB more at its peak (benches/lsp_latency.py).
    // SAFETY: setting an option is thread-safe and takes plain integers.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 1) };
    // Requests and diagnostics runs each take a blocking thread. A few are enough (a keystroke
    // cancels the run before it), and every thread that ever ran one keeps an allocator heap.
    let runtime = match tokio::runtime::Builder::new_multi_thread().max_blocking_threads(4).enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("plan-lsp: cannot start: {error}");
            std::process::exit(2);
        }
    };
    runtime.block_on(serve());
    // Stdin is read on a blocking thread that the runtime would wait for: leave now, with 1
    // when the client never asked for a shutdown (an `exit` without one, or a closed pipe).
    std::process::exit(frames::exit_code());
}

async fn serve() {
    let (service, socket) = tower_lsp::LspService::new(server::Backend::new);
    let (server_input, server_output, pump) = frames::pipes();
    tokio::spawn(pump);
    tower_lsp::Server::new(server_input, server_output, socket).serve(service).await;
}

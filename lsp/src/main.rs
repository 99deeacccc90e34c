//! `plan-lsp`: the language server of Plan, over stdio, on the compiler's database.
//!
//! Messages pass through `frames` on both sides: what is not a JSON-RPC message is answered
//! there (-32700, -32600, -32601) and never reaches tower-lsp, whose reader would stop at the
//! first malformed message.

use plan_lsp::{frames, server};

// The system allocator, not mimalloc as in `planc`: a server's analyses run on some threads and
// free on others, and mimalloc's per-thread pages in transparent huge pages held 80 MB at the
// peak of the 5,000-line benchmark where glibc holds 29 MB (its live heap is under 10 MB), with
// the same keystroke latency (benches/lsp_latency.py, interleaved).

fn main() {
    if std::env::args().any(|arg| arg == "--version") {
        println!("plan-lsp {}", env!("CARGO_PKG_VERSION"));
        return;
    }
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

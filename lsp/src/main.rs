//! `plan-lsp`: the language server of Plan, over stdio, on the compiler's database.
//!
//! Messages pass through `frames` on both sides: what is not a JSON-RPC message is answered
//! there (-32700, -32600, -32601) and never reaches tower-lsp, whose reader would stop at the
//! first malformed message.

use plan_lsp::{frames, server};

// Many small tree nodes: mimalloc is markedly faster at that than glibc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    if std::env::args().any(|arg| arg == "--version") {
        println!("plan-lsp {}", env!("CARGO_PKG_VERSION"));
        return;
    }
    // A keystroke changes one item of a file: parse only that item again.
    planc::syntax::enable_reuse();
    let (service, socket) = tower_lsp::LspService::new(server::Backend::new);
    let (server_input, server_output, pump) = frames::pipes();
    tokio::spawn(pump);
    tower_lsp::Server::new(server_input, server_output, socket).serve(service).await;
    // Stdin is read on a blocking thread that the runtime would wait for: leave now, with 1
    // when the client never asked for a shutdown (an `exit` without one, or a closed pipe).
    std::process::exit(frames::exit_code());
}

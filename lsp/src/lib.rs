//! The language server of Plan on the compiler's database: `server` speaks the protocol,
//! `analysis` answers (hover, completion, navigation, fixes), `frames` reads and writes the
//! messages on stdio. The `plan-lsp` binary wires them together; the fuzz targets read frames.

pub mod analysis;
pub mod frames;
pub mod server;

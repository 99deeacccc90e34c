//! The language server of Plan: `server` translates the protocol into calls on `plan_ide`'s
//! analysis host and snapshots, `frames` reads and writes the messages on stdio. The `plan-lsp`
//! binary wires them together; the fuzz targets read frames.

pub mod frames;
pub mod server;

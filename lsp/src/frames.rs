//! Framing between stdio and tower-lsp: every message is read and written whole, and bodies
//! that are not JSON are answered with a parse error instead of being passed on.

use std::future::Future;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;

const PARSE_ERROR: &str =
    r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error: the message is not valid JSON"}}"#;

/// The input and output tower-lsp should use, and the task that connects them to stdio.
pub fn pipes() -> (DuplexStream, DuplexStream, impl Future<Output = ()>) {
    let (server_input, mut to_server) = tokio::io::duplex(1 << 20);
    let (server_output, from_server) = tokio::io::duplex(1 << 20);
    let pump = async move {
        let (outgoing, mut queue) = mpsc::unbounded_channel::<Vec<u8>>();
        // One writer owns stdout, so whole messages never interleave.
        let writer = tokio::spawn(async move {
            let mut stdout = tokio::io::stdout();
            while let Some(body) = queue.recv().await {
                let frame = format!("Content-Length: {}\r\n\r\n", body.len());
                if stdout.write_all(frame.as_bytes()).await.is_err()
                    || stdout.write_all(&body).await.is_err()
                    || stdout.flush().await.is_err()
                {
                    return;
                }
            }
        });
        let server_messages = outgoing.clone();
        let from_server_task = tokio::spawn(async move {
            let mut reader = BufReader::new(from_server);
            while let Some(body) = read_frame(&mut reader).await {
                if server_messages.send(body).is_err() {
                    return;
                }
            }
        });
        let mut stdin = BufReader::new(tokio::io::stdin());
        while let Some(body) = read_frame(&mut stdin).await {
            let Ok(message) = serde_json::from_slice::<serde_json::Value>(&body) else {
                let _ = outgoing.send(PARSE_ERROR.as_bytes().to_vec());
                continue;
            };
            let frame = format!("Content-Length: {}\r\n\r\n", body.len());
            if to_server.write_all(frame.as_bytes()).await.is_err() || to_server.write_all(&body).await.is_err() {
                break;
            }
            // After `exit` nothing more is read: closing the input lets the server stop.
            if message.get("method").and_then(|it| it.as_str()) == Some("exit") {
                break;
            }
        }
        // End of input: let tower-lsp see it, then drain what it still has to say.
        drop(to_server);
        let _ = from_server_task.await;
        drop(outgoing);
        let _ = writer.await;
    };
    (server_input, server_output, pump)
}

/// One message body; `None` at the end of input. Headers other than Content-Length are skipped.
async fn read_frame<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R) -> Option<Vec<u8>> {
    // A header claiming more than this is not a message we can hold; treat it as the end.
    const MAX_BODY: usize = 256 << 20;
    let mut length: Option<usize> = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            if length.is_some() {
                break;
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok();
            }
        }
    }
    let length = length.filter(|it| *it <= MAX_BODY)?;
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.ok()?;
    Some(body)
}

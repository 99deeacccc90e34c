//! Framing between stdio and tower-lsp: every message is read and written whole, and what is
//! not a JSON-RPC message is answered here instead of being passed on (tower-lsp's own reader
//! stops at the first malformed message, and exits quietly on some valid JSON that is not a
//! message).
//!
//! - a body that is not JSON: -32700 Parse error;
//! - JSON that is not a JSON-RPC 2.0 request, notification or response (`{}`, `[]`, `1`, a
//!   batch, an object as `id`, no `"jsonrpc"`): -32600 Invalid Request;
//! - a request for a `$/` method: -32601 Method not found (we implement none);
//! - a header without a usable `Content-Length` (`abc`, `-5`, none): skipped with a line on
//!   stderr, reading on from the next `Content-Length`, so a bad frame never wedges the reader;
//! - a `Content-Length` over the limit: a line on stderr and the end of input.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;

/// The largest body read: far above any real message, far below exhausting memory.
const MAX_BODY: usize = 256 << 20;

/// Whether a `shutdown` request came before the input ended: the process exit code follows it
/// (0 after a shutdown, 1 otherwise, as the protocol asks of `exit`).
static SHUT_DOWN: AtomicBool = AtomicBool::new(false);

pub fn exit_code() -> i32 {
    if SHUT_DOWN.load(Ordering::SeqCst) {
        0
    } else {
        1
    }
}

fn error_response(id: &Value, code: i64, message: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code, "message": message },
    }))
    .expect("a JSON value serialises")
}

/// What to do with one body read from the client.
pub enum Verdict {
    Forward,
    Answer(Vec<u8>),
}

pub fn judge(body: &[u8]) -> Verdict {
    let Ok(message) = serde_json::from_slice::<Value>(body) else {
        return Verdict::Answer(error_response(&Value::Null, -32700, "Parse error: the message is not valid JSON"));
    };
    let invalid =
        |id: &Value, why: &str| Verdict::Answer(error_response(id, -32600, &format!("Invalid Request: {why}")));
    let Some(object) = message.as_object() else {
        return invalid(&Value::Null, "a message is a JSON object (batches are not part of the protocol)");
    };
    let id = object.get("id");
    let id_is_valid = id.is_none_or(|it| it.is_number() || it.is_string() || it.is_null());
    let reply_id = id.filter(|_| id_is_valid).cloned().unwrap_or(Value::Null);
    if object.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return invalid(&reply_id, "`jsonrpc` must be \"2.0\"");
    }
    if !id_is_valid {
        return invalid(&Value::Null, "`id` must be a number or a string");
    }
    match object.get("method") {
        Some(Value::String(method)) => {
            if method.starts_with("$/") && id.is_some() {
                return Verdict::Answer(error_response(&reply_id, -32601, &format!("Method not found: {method}")));
            }
            if method == "shutdown" && id.is_some() {
                SHUT_DOWN.store(true, Ordering::SeqCst);
            }
            Verdict::Forward
        }
        Some(_) => invalid(&reply_id, "`method` must be a string"),
        // A response to a request of ours.
        None if id.is_some() && (object.contains_key("result") || object.contains_key("error")) => Verdict::Forward,
        None => invalid(&reply_id, "neither a request, a notification nor a response"),
    }
}

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
            while let Ok(Some(body)) = read_frame(&mut reader).await {
                if server_messages.send(body).is_err() {
                    return;
                }
            }
        });
        let mut stdin = BufReader::new(tokio::io::stdin());
        loop {
            let body = match read_frame(&mut stdin).await {
                Ok(Some(body)) => body,
                Ok(None) => break,
                Err(message) => {
                    eprintln!("plan-lsp: {message}");
                    break;
                }
            };
            match judge(&body) {
                Verdict::Answer(answer) => {
                    let _ = outgoing.send(answer);
                    continue;
                }
                Verdict::Forward => {}
            }
            let frame = format!("Content-Length: {}\r\n\r\n", body.len());
            if to_server.write_all(frame.as_bytes()).await.is_err() || to_server.write_all(&body).await.is_err() {
                break;
            }
            // After `exit` nothing more is read: closing the input lets the server stop.
            if serde_json::from_slice::<Value>(&body).ok().and_then(|it| it.get("method").cloned())
                == Some(Value::String("exit".into()))
            {
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

/// One message body; `Ok(None)` at the end of input; `Err` when the input cannot go on (a
/// length over the limit). A header block without a usable `Content-Length` is skipped with a
/// line on stderr, and reading resumes at the next `Content-Length`, wherever it starts.
pub async fn read_frame<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R) -> Result<Option<Vec<u8>>, String> {
    loop {
        if !skip_to_content_length(reader).await {
            return Ok(None);
        }
        let mut value = String::new();
        if reader.read_line(&mut value).await.map_err(|e| e.to_string())? == 0 {
            return Ok(None);
        }
        let value = value.trim();
        let length = match value.parse::<usize>() {
            Ok(length) if length <= MAX_BODY => length,
            Ok(length) => {
                return Err(format!(
                    "a message claims {length} bytes, more than the {} MiB a message may have; stopping",
                    MAX_BODY >> 20
                ))
            }
            Err(_) => {
                eprintln!("plan-lsp: skipping a frame whose Content-Length `{value}` is not a number of bytes");
                continue;
            }
        };
        // Other headers (Content-Type), up to the blank line that ends the header block.
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).await.map_err(|e| e.to_string())? == 0 {
                return Ok(None);
            }
            if line.trim().is_empty() {
                break;
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            return Ok(None);
        }
        return Ok(Some(body));
    }
}

/// Reads up to and including the next `Content-Length:` (any case); false at the end of input.
/// Bytes before it are not a header: they are reported once and dropped.
async fn skip_to_content_length<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R) -> bool {
    const NEEDLE: &[u8] = b"content-length:";
    let mut matched = 0;
    let mut skipped = false;
    loop {
        let Ok(byte) = reader.read_u8().await else { return false };
        if byte.to_ascii_lowercase() == NEEDLE[matched] {
            matched += 1;
            if matched == NEEDLE.len() {
                return true;
            }
            continue;
        }
        if !skipped && (matched > 0 || !byte.is_ascii_whitespace()) {
            eprintln!("plan-lsp: skipping input that is not a message header");
            skipped = true;
        }
        matched = usize::from(byte.to_ascii_lowercase() == NEEDLE[0]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn frames(input: &[u8]) -> Vec<Result<Option<Vec<u8>>, String>> {
        let mut reader = BufReader::new(input);
        let mut out = Vec::new();
        loop {
            let frame = read_frame(&mut reader).await;
            let done = !matches!(frame, Ok(Some(_)));
            out.push(frame);
            if done {
                return out;
            }
        }
    }

    #[tokio::test]
    async fn bad_headers_are_skipped_up_to_the_next_frame() {
        let input =
            b"Content-Length: abc\r\n\r\n{\"a\":1}Content-Length: -5\r\n\r\n{}garbageContent-Length: 2\r\n\r\n{}\
                      content-length: 3\r\nContent-Type: x\r\n\r\n[1]";
        let found = frames(input).await;
        let bodies: Vec<&[u8]> = found.iter().filter_map(|it| it.as_ref().ok()?.as_deref()).collect();
        assert_eq!(bodies, [&b"{}"[..], b"[1]"]);
        assert!(matches!(found.last(), Some(Ok(None))));
    }

    #[tokio::test]
    async fn a_length_over_the_limit_ends_the_input() {
        let found = frames(b"Content-Length: 99999999999\r\n\r\n{}").await;
        assert!(matches!(&found[0], Err(message) if message.contains("more than")));
    }

    #[test]
    fn what_is_not_a_message_is_answered() {
        let code = |body: &str| match judge(body.as_bytes()) {
            Verdict::Answer(answer) => serde_json::from_slice::<Value>(&answer).unwrap()["error"]["code"].as_i64(),
            Verdict::Forward => None,
        };
        assert_eq!(code("{ nope"), Some(-32700));
        for body in [
            "{}",
            "[]",
            "1",
            "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"}]",
            "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"x\"}",
            "{\"id\":1,\"method\":\"x\"}",
        ] {
            assert_eq!(code(body), Some(-32600), "{body}");
        }
        assert_eq!(code("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$/unknown\"}"), Some(-32601));
        assert_eq!(code("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":1}}"), None);
        assert_eq!(code("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}"), None);
    }
}

//! A minimal LSP client that drives the real `plan-lsp` binary over stdio, as an editor does.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// The latest diagnostics published per URI.
    pub diagnostics: HashMap<String, Value>,
    /// How many `publishDiagnostics` notifications arrived.
    pub published: usize,
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

impl Client {
    pub fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plan-lsp"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length: ") {
                        length = value.parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                if let Ok(message) = serde_json::from_slice::<Value>(&body) {
                    if sender.send(message).is_err() {
                        return;
                    }
                }
            }
        });
        Client { child, stdin, messages, next_id: 1, diagnostics: HashMap::new(), published: 0 }
    }

    pub fn send_raw(&mut self, body: &[u8]) {
        if std::env::var_os("PLAN_LSP_TRACE").is_some() {
            eprintln!(">> {}", String::from_utf8_lossy(body));
        }
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(body).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Writes bytes as they are, with no framing: for malformed headers.
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Waits for the process to end by itself, at most `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    fn send(&mut self, message: &Value) {
        self.send_raw(serde_json::to_string(message).unwrap().as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its whole response (`result` or `error`).
    pub fn request_response(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        match self.wait_for(
            |message| message.get("id") == Some(&json!(id)) && message.get("method").is_none(),
            Duration::from_secs(30),
        ) {
            Some(response) => response,
            None => panic!("no response to {method}; the server {:?}", self.child.try_wait()),
        }
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_response(method, params);
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    /// Handles messages until `done` says one is the one wanted.
    pub fn wait_for(&mut self, mut done: impl FnMut(&Value) -> bool, timeout: Duration) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = match self.messages.recv_timeout(left) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => return None,
            };
            self.handle(&message);
            if done(&message) {
                return Some(message);
            }
        }
    }

    fn handle(&mut self, message: &Value) {
        if message.get("method") == Some(&json!("textDocument/publishDiagnostics")) {
            let uri = message["params"]["uri"].as_str().unwrap_or("").to_string();
            self.diagnostics.insert(uri, message["params"]["diagnostics"].clone());
            self.published += 1;
        }
        // Requests from the server (registerCapability) get an empty answer.
        if message.get("method").is_some() && message.get("id").is_some() {
            let answer = json!({ "jsonrpc": "2.0", "id": message["id"], "result": null });
            self.send(&answer);
        }
    }

    /// Waits until no diagnostics arrive for `quiet`.
    pub fn settle(&mut self, quiet: Duration) {
        while self
            .wait_for(|message| message.get("method") == Some(&json!("textDocument/publishDiagnostics")), quiet)
            .is_some()
        {}
    }

    pub fn initialize(&mut self, root: &Path) -> Value {
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(root),
                "workspaceFolders": [{ "uri": uri(root), "name": "workspace" }],
                "capabilities": {
                    "textDocument": { "hover": { "contentFormat": ["markdown"] } },
                    "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } },
                },
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    pub fn open(&mut self, path: &Path) {
        let text = std::fs::read_to_string(path).unwrap();
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri(path), "languageId": "plan", "version": 1, "text": text } }),
        );
    }

    pub fn shutdown(mut self) {
        let _ = self.request_response("shutdown", json!(null));
        self.notify("exit", json!(null));
        let _ = self.child.wait();
    }

    /// `shutdown` then `exit`, returning how the process ended.
    pub fn shutdown_status(mut self) -> Option<std::process::ExitStatus> {
        let _ = self.request_response("shutdown", json!(null));
        self.notify("exit", json!(null));
        self.wait_exit(Duration::from_secs(10))
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

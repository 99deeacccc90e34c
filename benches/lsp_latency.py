#!/usr/bin/env python3
"""Keystroke latency and memory of plan-lsp, measured from the client side over stdio.

    cargo build --release -p plan-lsp
    python3 benches/lsp_latency.py [--lines 5000] [--files 50] [--edits 200]
    python3 benches/lsp_latency.py --workspace DIR


Generates a workspace of FILES files, one of them about LINES lines long, opens the large
file, then types one character at a time into it (alternately inserting and deleting a
character, so every edit changes the diagnostics and the server has something to publish).
Latency is from sending `didChange` to receiving `publishDiagnostics` for that file, debounce
included. Hover and completion are timed as request/response round trips. "Hover during a
re-check" sends an edit to the large file, waits 5 ms (past the debounce, so the re-check is
under way) and times a hover on an attribute of another file, which needs nothing the edit
changed: a server that re-checks under a lock answers it only after the re-check. Peak server memory
is the server's VmHWM. Prints medians and 99th/95th percentiles.

With --workspace DIR (for example the 10,000-block workspace of `plan-gen`), it opens the
first .plan file of an existing workspace instead and measures the initial analysis: the time
from `didOpen` until diagnostics for every file have been published and the server has been
quiet for two seconds (the quiet time is not counted), the server's peak memory, and how long
a hover on an attribute of that file takes when it is sent 20 ms after `didOpen`, while the
initial analysis runs.
"""

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import threading
import queue
import re
import time

SERVICE = """service svc-{i:05} {{
  cluster  = apps
  image    = "ghcr.io/acme/svc-{i:05}:1.4.2"
  replicas = 2
  cpu      = 250m..500m
  memory   = 256Mi..512Mi
  port     = 8080
  health   = "/healthz"
  vars {{ LOG_LEVEL = "info"  REGION = "us-east-1" }}
}}

"""
HEADER = """plan bench {
  cloud  = aws
  region = "us-east-1"
}

network net {
  cidr = "10.0.0.0/16"
}

cluster apps {
  version = "1.34"
  network = net
  node_pool general {
    size  = "m6i.4xlarge"
    nodes = 100..400
  }
}

"""


def generate(root: pathlib.Path, lines: int, files: int) -> pathlib.Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "plan.plan").write_text(HEADER)
    per_service = SERVICE.count("\n")
    index = 0
    big = root / "big.plan"
    text = ""
    while text.count("\n") < lines:
        text += SERVICE.format(i=index)
        index += 1
    big.write_text(text)
    for file in range(files - 2):
        small = "".join(SERVICE.format(i=index + k) for k in range(100 // per_service + 1))
        index += 100 // per_service + 1
        (root / f"small-{file:03}.plan").write_text(small)
    return big


class Server:
    def __init__(self, binary: str):
        self.process = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.messages: "queue.Queue[dict]" = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            self.messages.put((time.perf_counter(), json.loads(stream.read(length))))

    def send(self, message: dict):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: dict) -> int:
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.next_id

    def wait(self, match, timeout=30.0):
        deadline = time.perf_counter() + timeout
        while True:
            at, message = self.messages.get(timeout=max(0.0, deadline - time.perf_counter()))
            if message.get("method") in ("workspace/configuration", "client/registerCapability", "window/workDoneProgress/create"):
                reply = [None] * len(message["params"].get("items", [])) if message["method"] == "workspace/configuration" else None
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": reply})
                continue
            if match(message):
                return at, message

    def response(self, request_id: int):
        return self.wait(lambda m: m.get("id") == request_id and "method" not in m)

    def diagnostics(self, uri: str):
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)

    def peak_memory_mb(self) -> float:
        for line in pathlib.Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def initial_analysis(binary: str, root: pathlib.Path):
    files = sorted(root.rglob("*.plan"))
    first = files[0]
    server = Server(binary)
    server.response(server.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {}}))
    server.notify("initialized", {})
    text = first.read_text()
    # An attribute key of the opened file, hovered while the initial analysis runs.
    attribute = next(i for i, line in enumerate(text.splitlines()) if re.match(r"^  [a-z_]+ +=", line))
    sent = time.perf_counter()
    server.notify("textDocument/didOpen", {"textDocument": {"uri": first.as_uri(), "languageId": "plan", "version": 1, "text": text}})
    time.sleep(0.02)
    hover_sent = time.perf_counter()
    hover_id = server.request("textDocument/hover", {"textDocument": {"uri": first.as_uri()}, "position": {"line": attribute, "character": 3}})
    hover_during = None
    published = set()
    last = sent
    while True:
        try:
            at, message = server.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" or (m.get("id") == hover_id and "method" not in m), timeout=2.0)
        except queue.Empty:
            break
        if "method" not in message:
            hover_during = (at - hover_sent) * 1000
            continue
        published.add(message["params"]["uri"])
        last = at
    memory = server.peak_memory_mb()
    hovers = []
    for _ in range(50):
        start = time.perf_counter()
        at, _ = server.response(server.request("textDocument/hover", {"textDocument": {"uri": first.as_uri()}, "position": {"line": 0, "character": 2}}))
        hovers.append((at - start) * 1000)
    server.response(server.request("shutdown", None))
    server.notify("exit", None)
    server.process.wait(timeout=10)
    print(f"workspace: {len(files)} files, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB")
    print(f"initial diagnostics for {len(published)} files: {(last - sent) * 1000:.0f} ms after didOpen")
    print(f"hover on an attribute 20 ms after didOpen, during the initial analysis: {hover_during:.1f} ms")
    print(f"hover afterwards: median {statistics.median(hovers):.1f} ms")
    print(f"server peak memory: {memory:.0f} MB")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--server", default=str(pathlib.Path(__file__).resolve().parent.parent / "target/release/plan-lsp"))
    parser.add_argument("--workspace", type=pathlib.Path, help="measure the initial analysis of this workspace")
    args = parser.parse_args()
    if args.workspace:
        initial_analysis(args.server, args.workspace.resolve())
        return

    root = pathlib.Path(tempfile.mkdtemp(prefix="plan-lsp-bench-"))
    big = generate(root, args.lines, args.files)
    uri = big.as_uri()
    text = big.read_text()

    server = Server(args.server)
    server.response(server.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {}}))
    server.notify("initialized", {})
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "plan", "version": 1, "text": text}})
    # A clean file may get no diagnostics at all; give the first analysis time to finish.
    time.sleep(2)
    while not server.messages.empty():
        server.messages.get()

    # Type after the cluster reference of a service in the middle of the file: `apps` becomes
    # `appsx` (an unknown reference) and back.
    middle = text.splitlines().index("service svc-{:05} {{".format(text.count("service ") // 2))
    line = middle + 1
    column = len("  cluster  = apps")
    latencies = []
    version = 1
    for edit in range(args.edits):
        version += 1
        if edit % 2 == 0:
            change = {"range": {"start": {"line": line, "character": column}, "end": {"line": line, "character": column}}, "text": "x"}
        else:
            change = {"range": {"start": {"line": line, "character": column}, "end": {"line": line, "character": column + 1}}, "text": ""}
        sent = time.perf_counter()
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        at, _ = server.diagnostics(uri)
        latencies.append((at - sent) * 1000)

    def round_trips(method, position, count=100):
        times = []
        for _ in range(count):
            sent = time.perf_counter()
            at, _ = server.response(server.request(method, {"textDocument": {"uri": uri}, "position": position}))
            times.append((at - sent) * 1000)
        return times

    # Hover on a small file while the large one is re-checked.
    other = (root / "small-000.plan").as_uri()
    during = []
    for edit in range(min(args.edits, 100)):
        version += 1
        change = {"range": {"start": {"line": line, "character": column}, "end": {"line": line, "character": column + (edit % 2)}}, "text": "" if edit % 2 else "x"}
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        time.sleep(0.005)
        sent = time.perf_counter()
        request = server.request("textDocument/hover", {"textDocument": {"uri": other}, "position": {"line": 1, "character": 4}})
        published = False
        while True:
            at, message = server.wait(lambda m: (m.get("id") == request and "method" not in m) or m.get("method") == "textDocument/publishDiagnostics")
            if "method" not in message:
                break
            published = published or message["params"]["uri"] == uri
        during.append((at - sent) * 1000)
        if not published:
            server.diagnostics(uri)

    hovers = round_trips("textDocument/hover", {"line": line, "character": 14})
    completions = round_trips("textDocument/completion", {"line": line, "character": 15})
    memory = server.peak_memory_mb()
    server.response(server.request("shutdown", None))
    server.notify("exit", None)
    server.process.wait(timeout=10)

    lines = text.count("\n")
    print(f"workspace: {args.files} files, edited file {lines} lines")
    print(f"diagnostics after an edit: median {statistics.median(latencies):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms ({len(latencies)} edits)")
    print(f"hover: median {statistics.median(hovers):.2f} ms, p95 {percentile(hovers, 0.95):.2f} ms")
    print(f"hover on another file during a re-check: median {statistics.median(during):.2f} ms, p95 {percentile(during, 0.95):.2f} ms")
    print(f"completion: median {statistics.median(completions):.2f} ms, p95 {percentile(completions, 0.95):.2f} ms")
    print(f"server peak memory: {memory:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())

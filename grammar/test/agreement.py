#!/usr/bin/env python3
"""The tree-sitter grammar and the compiler agree on what is a syntax error.

Takes every example, mutates it at random (a fixed seed: the same cases every run) and checks
that `tree-sitter parse` finds an error exactly when `planc check` reports a syntax error
(P001). Usage: agreement.py PLANC [CASES]
"""
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIECES = ["{", "}", "[", "]", "(", ")", "=", ",", ";", ".", "..", '"', '"""', "${", "/*", "*/",
          "//", "///", "////", "$", "-", "%", "\\", "\\u{", "1", "a", "-1", "512Mi", "$4/mo", "\n"]


def mutate(rng, text):
    at = rng.randrange(len(text) + 1)
    kind = rng.randrange(3)
    if kind == 0:
        return text[:at] + text[at + rng.randrange(1, 12):]
    if kind == 1:
        return text[:at] + rng.choice(PIECES) + text[at:]
    other = rng.randrange(len(text) + 1)
    return text[:at] + text[other:other + 6] + text[at:]


def main():
    planc = sys.argv[1]
    cases = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    rng = random.Random(20261122)
    sources = [p.read_text() for p in sorted(ROOT.glob("examples/*/*.plan"))]
    disagreements = 0
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as lib_dir:
        # Built once: `parse -p` would compile the grammar again for every file.
        lib = Path(lib_dir) / "plan.so"
        subprocess.run(["tree-sitter", "build", "-o", str(lib), str(ROOT / "grammar")], check=True)
        path = Path(tmp) / "main.plan"
        for case in range(cases):
            text = rng.choice(sources)
            for _ in range(rng.randrange(1, 4)):
                text = mutate(rng, text)
            path.write_text(text)
            report = subprocess.run([planc, "check", "--format", "json", tmp], capture_output=True, text=True)
            planc_error = any(d["code"] == "P001" for d in json.loads(report.stdout)["diagnostics"])
            parse = subprocess.run(["tree-sitter", "parse", "--lib-path", str(lib), "--lang-name", "plan", "-q", str(path)],
                                   capture_output=True, text=True)
            tree_sitter_error = parse.returncode != 0
            if planc_error != tree_sitter_error:
                disagreements += 1
                kept = Path(tempfile.gettempdir()) / f"plan-disagreement-{case}.plan"
                kept.write_text(text)
                print(f"case {case}: planc syntax error {planc_error}, tree-sitter error {tree_sitter_error}: {kept}")
    print(f"{cases} mutated files, {disagreements} disagreements")
    sys.exit(1 if disagreements else 0)


if __name__ == "__main__":
    main()

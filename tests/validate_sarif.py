"""Validates a SARIF file against the official SARIF 2.1.0 JSON schema.

Usage: validate_sarif.py SCHEMA SARIF. Prints each violation and exits 1 if there is any.
"""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
document = json.load(open(sys.argv[2], encoding="utf-8"))
validator = jsonschema.validators.validator_for(schema)(schema)
errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
for error in errors:
    print(f"{'/'.join(map(str, error.path))}: {error.message}")
sys.exit(1 if errors else 0)

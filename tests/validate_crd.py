"""Validates custom resources against a CRD's openAPIV3Schema, offline.

Usage: validate_crd.py CRD.yaml MANIFEST.yaml...

Every document of the CRD's group and kind in the manifests is checked against the schema of
its apiVersion, strictly: an object with declared properties takes no other field (as
`kubectl apply --validate=strict` does), unless the CRD preserves unknown fields there. A document
with a pod template (`spec.template`, as a Rollout has) also has that template validated, as a
Deployment's, against the Kubernetes schemas of kubernetes-validate. Exits 1 and prints each
error when a document does not validate, 2 when no document was checked.
"""

import sys

import jsonschema
import kubernetes_validate
import yaml


def strict(node):
    if isinstance(node, dict):
        if (
            node.get("type") == "object"
            and "properties" in node
            and "additionalProperties" not in node
            and not node.get("x-kubernetes-preserve-unknown-fields")
        ):
            node["additionalProperties"] = False
        for value in node.values():
            strict(value)
    elif isinstance(node, list):
        for value in node:
            strict(value)


def main(crd_path, manifests):
    with open(crd_path) as crd_file:
        crd = yaml.safe_load(crd_file)
    group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
    schemas = {}
    for version in crd["spec"]["versions"]:
        if version.get("served", True):
            schema = version["schema"]["openAPIV3Schema"]
            strict(schema)
            schemas[f"{group}/{version['name']}"] = schema
    checked, failed = 0, False
    for path in manifests:
        with open(path) as manifest:
            documents = list(yaml.safe_load_all(manifest))
        for document in documents:
            if not document or document.get("kind") != kind:
                continue
            schema = schemas.get(document.get("apiVersion"))
            if schema is None:
                print(f"{path}: {kind} has apiVersion {document.get('apiVersion')}, not one the CRD serves")
                failed = True
                continue
            checked += 1
            name = document.get("metadata", {}).get("name")
            errors = jsonschema.Draft4Validator(schema).iter_errors(document)
            for error in sorted(errors, key=lambda it: list(it.path)):
                failed = True
                where = ".".join(map(str, error.path))
                print(f"{path}: {kind}/{name}: {where}: {error.message}")
            template = document.get("spec", {}).get("template")
            if template is not None:
                deployment = {
                    "apiVersion": "apps/v1",
                    "kind": "Deployment",
                    "metadata": {"name": name},
                    "spec": {"selector": document["spec"].get("selector", {}), "template": template},
                }
                try:
                    kubernetes_validate.validate(deployment, kubernetes_validate.latest_version(), strict=True)
                except kubernetes_validate.ValidationError as error:
                    failed = True
                    print(f"{path}: {kind}/{name}: spec.template: {error.message}")
    if checked == 0:
        print(f"no {kind} in {', '.join(manifests)}")
        sys.exit(2)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])

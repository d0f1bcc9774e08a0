"""Every API answer any test receives is checked against the served schema.

The suite's API tests reach most answers a client can get, error paths included; here each of them
is held to the contract: the status is documented for its operation, the body validates against the
documented schema (OpenAPI 3.0 turned into JSON Schema: `nullable` becomes a null alternative), and
an error's `code` is one the operation documents for that status. A test that receives an answer
the schema does not describe fails, naming the operation, the status and the code.

Only operations of the schema are checked: an unknown path or a method the operation does not have
is the router's answer, not the operation's.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass, field

import jsonschema
from django.test import Client


def as_json_schema(node):
    """OpenAPI 3.0 -> JSON Schema (draft 2020-12): `nullable: true` becomes a null alternative."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: as_json_schema(value) for key, value in node.items()}
    if "$ref" in node:
        node["$ref"] = node["$ref"].replace("#/components/schemas/", "#/$defs/")
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


@functools.cache
def served_schema() -> dict:
    from django.utils import translation
    from drf_spectacular.generators import SchemaGenerator

    with translation.override("en"):
        return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))


@functools.cache
def _routes() -> list[tuple[re.Pattern, str]]:
    routes = []
    for path in served_schema()["paths"]:
        pattern = "[^/]+".join(re.escape(part) for part in re.split(r"\{[^}]+\}", path))
        routes.append((re.compile(f"^{pattern}$"), path))
    # Literal paths before templated ones: /events/nearby/ is not /events/{event_id}/.
    return sorted(routes, key=lambda route: route[1].count("{"))


@functools.cache
def _validator(path: str, method: str, status: str, media: str) -> jsonschema.Draft202012Validator | None:
    schema = served_schema()
    answer = schema["paths"][path][method]["responses"][status].get("content", {}).get(media, {}).get("schema")
    if answer is None:
        return None
    document = as_json_schema(copy.deepcopy(answer))
    document["$defs"] = {name: as_json_schema(copy.deepcopy(s)) for name, s in schema["components"]["schemas"].items()}
    return jsonschema.Draft202012Validator(document, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def documented_codes(response: dict) -> set[str]:
    """The error codes an operation's response documents, from its examples."""
    media = response.get("content", {}).get("application/json", {})
    codes = set()
    for example in media.get("examples", {}).values():
        value = example.get("value")
        if isinstance(value, dict) and isinstance(value.get("error"), dict):
            codes.add(value["error"].get("code"))
    return codes


def operation_of(path: str, method: str) -> tuple[str, dict] | None:
    for pattern, template in _routes():
        if pattern.match(path):
            operation = served_schema()["paths"][template].get(method)
            return (template, operation) if operation is not None else None
    return None


@dataclass
class Answers:
    """What the current test was answered that the schema does not say."""

    violations: list[str] = field(default_factory=list)

    def check(self, request: dict, response) -> None:
        path, method = request.get("PATH_INFO", ""), request.get("REQUEST_METHOD", "GET").lower()
        if not path.startswith("/api/v1/") or method in ("options", "head"):
            return
        found = operation_of(path, method)
        if found is None:
            return
        template, operation = found
        status = str(response.status_code)
        name = f"{method.upper()} {template} answered {status}"
        documented = operation["responses"].get(status) or operation["responses"].get("default")
        if documented is None:
            code = _code(response)
            self.violations.append(f"{name}{f' {code}' if code else ''}: not documented")
            return
        media = response.get("Content-Type", "").split(";")[0].strip()
        if response.status_code == 304 or media not in ("application/json",):
            return  # other media types (CSV, SVG, HTML) are described, not validated here
        try:
            body = json.loads(response.content)
        except ValueError:
            self.violations.append(f"{name}: not JSON")
            return
        validator = _validator(template, method, status if status in operation["responses"] else "default", media)
        if validator is None:
            self.violations.append(f"{name}: no JSON schema documented")
            return
        for error in validator.iter_errors(body):
            self.violations.append(f"{name}: {list(error.absolute_path)}: {error.message[:200]}")
        if response.status_code >= 400 and isinstance(body, dict) and isinstance(body.get("error"), dict):
            codes = documented_codes(documented)
            code = body["error"].get("code")
            if code not in codes:
                self.violations.append(f"{name} {code}: code not documented (documented: {sorted(codes)})")


def _code(response) -> str:
    try:
        return json.loads(response.content)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return ""


def checking(answers: Answers):
    """Wrap django.test.Client.request (APIClient inherits it) to check each answer."""
    original = Client.request

    def request(self, **request):
        response = original(self, **request)
        answers.check(request, response)
        return response

    return original, request

"""Copies an OpenAPI 3.1 document for openapi-python-client, which refuses boolean subschemas.

`true` (any value) and `false` (no value) are valid JSON Schema 2020-12, but openapi-python-client
0.29 accepts a boolean only as `additionalProperties`; elsewhere they become the equivalent `{}`
and `{"not": {}}`. Usage: python prepare_document.py IN.json OUT.json
"""

import json
import sys
from typing import Any

# Keywords whose value is one schema, a list of schemas, or a map of names to schemas.
ONE = {"items", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems",
       "unevaluatedProperties", "additionalItems"}
MANY = {"allOf", "anyOf", "oneOf", "prefixItems"}
NAMED = {"properties", "patternProperties", "$defs", "dependentSchemas"}


def schema(value: Any) -> Any:
    if value is True:
        return {}
    if value is False:
        return {"not": {}}
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in ONE:
            out[key] = schema(item)
        elif key in MANY and isinstance(item, list):
            out[key] = [schema(s) for s in item]
        elif key in NAMED and isinstance(item, dict):
            out[key] = {name: schema(s) for name, s in item.items()}
        elif key == "additionalProperties" and isinstance(item, dict):
            out[key] = schema(item)
        else:
            out[key] = walk(item)
    return out


def walk(value: Any) -> Any:
    """Every `schema` object of the document (components, parameters, media types) goes through `schema`."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key == "schema":
                out[key] = schema(item)
            elif key == "schemas" and isinstance(item, dict):
                out[key] = {name: schema(s) for name, s in item.items()}
            else:
                out[key] = walk(item)
        return out
    if isinstance(value, list):
        return [walk(item) for item in value]
    return value


def main() -> None:
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        document = json.load(f)
    prepared = walk(document)
    with open(target, "w", encoding="utf-8") as f:
        json.dump(prepared, f, indent=2)
    changed = "unchanged" if prepared == document else "boolean subschemas replaced"
    print(f"{target}: {changed}")


if __name__ == "__main__":
    main()

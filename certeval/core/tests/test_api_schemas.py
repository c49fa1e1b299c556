"""Every API schema has a name of its own: the OpenAPI document keys schemas by class name, so two
classes with the same name would document one endpoint with the other's fields."""

from __future__ import annotations

from collections import Counter

from ninja import Schema

import certeval.api  # noqa: F401  (imports every router, so every schema class exists)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def test_schema_class_names_are_unique() -> None:
    ours = [cls for cls in _subclasses(Schema) if cls.__module__.startswith("certeval.")]
    counts = Counter(cls.__name__ for cls in ours)
    duplicates = {
        name: sorted(c.__module__ for c in ours if c.__name__ == name) for name, n in counts.items() if n > 1
    }
    assert not duplicates, duplicates

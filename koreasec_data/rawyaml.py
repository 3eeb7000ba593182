"""Load curators' YAML safely, keeping the line of every mapping and key."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["Mapping", "YamlError", "load_yaml"]


class Mapping(dict):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """Return the line of ``key``, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class YamlError(Exception):
    """The file is not valid YAML or uses a construct we refuse; carries the line."""

    def __init__(self, line: int | None, message: str):
        self.line = line
        super().__init__(message)


@cache
def _loader_class():
    import yaml

    # The C parser when PyYAML was built with libyaml; safe construction either way:
    # tags such as !!python/object raise instead of building objects.
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LineLoader(base):
        pass

    def construct_mapping(loader, node):
        mapping = Mapping()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in mapping:
                first = mapping.key_lines[key]
                message = f"key {key!r} appears twice in one mapping (first at line {first})"
                raise YamlError(key_node.start_mark.line + 1, message)
            mapping[key] = loader.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    LineLoader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    return LineLoader


def load_yaml(path: Path) -> Any:
    """Parse one YAML file with a safe loader.

    Raises
    ------
    YamlError
        For syntax errors, duplicate keys and tags that would construct Python objects.
    """
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise YamlError(None, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    try:
        return yaml.load(text, Loader=_loader_class())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(part for part in (error.context, error.problem) if part)
        raise YamlError(line, f"invalid YAML: {message}") from None
    except yaml.YAMLError as error:
        raise YamlError(None, f"invalid YAML: {error}") from None

"""Load curators' YAML safely, keeping the line of every mapping and key."""

from __future__ import annotations

import io
import sys
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["LineIndex", "Mapping", "YamlError", "load_yaml"]


class Mapping(dict):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    __slots__ = ("key_lines", "line")  # no __dict__: there is one per record

    def __init__(self, *args, line: int = 0, key_lines: dict[str, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.key_lines = {} if key_lines is None else key_lines

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
        def construct_object(self, node, deep=False):
            # PyYAML's constructors raise plain Python errors for values they match but
            # cannot build: 2024-02-30 (a date), !!int abc, a 5000-digit number, ...
            try:
                return super().construct_object(node, deep=deep)
            except (YamlError, yaml.YAMLError, RecursionError):
                raise
            except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
                raise YamlError(node.start_mark.line + 1, _unbuildable(node, error)) from None

    def construct_mapping(loader, node):
        mapping = Mapping(line=node.start_mark.line + 1)
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:  # a list, mapping or set
                kind = {list: "list", set: "set"}.get(type(key), "mapping")
                message = f"a key must be a plain value such as a name, not a {kind}"
                raise YamlError(key_node.start_mark.line + 1, message) from None
            if key in mapping:
                first = mapping.key_lines[key]
                message = f"key {key!r} appears twice in one mapping (first at line {first})"
                raise YamlError(key_node.start_mark.line + 1, message)
            if isinstance(key, str):
                key = sys.intern(key)  # the same few keys recur in every record
            mapping[key] = loader.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    LineLoader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    return LineLoader


_KINDS = {"timestamp": "date", "int": "whole number", "float": "number", "bool": "true/false"}


def _unbuildable(node, error: Exception) -> str:
    kind = node.tag.rsplit(":", 1)[-1]
    value = node.value if isinstance(node.value, str) else ""
    shown = repr(value if len(value) <= 40 else value[:37] + "...")
    return (
        f"invalid YAML: {shown} is not a valid {_KINDS.get(kind, kind)} ({error}); "
        "correct it, or quote it if it is text"
    )


def load_yaml(path: Path, content: bytes | None = None) -> Any:
    """Parse one YAML file with a safe loader; ``content``: its bytes, if already read.

    Raises
    ------
    YamlError
        For syntax errors, duplicate keys, keys that are lists or mappings, values
        that cannot be built (``2024-02-30``, ``!!int abc``), nesting too deep to read,
        unreadable files and tags that would construct Python objects.
    """
    import yaml

    try:
        if content is None:
            text = Path(path).read_text(encoding="utf-8")
        else:  # decoded as read_text decodes: newlines made \n
            text = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8").read()
    except UnicodeDecodeError as error:
        raise YamlError(None, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise YamlError(None, f"cannot read the file: {error.strerror or error}") from None
    try:
        return yaml.load(text, Loader=_loader_class())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(part for part in (error.context, error.problem) if part)
        raise YamlError(line, f"invalid YAML: {message}") from None
    except yaml.YAMLError as error:
        raise YamlError(None, f"invalid YAML: {error}") from None
    except RecursionError:
        message = "invalid YAML: lists or mappings nested too deeply to read"
        raise YamlError(None, message) from None


class LineIndex:
    """The mappings of a parsed file by the line they start on, found in one walk.

    Rows keep only the line where their record starts; a problem found later in the
    tables is placed at its column's line through this index, in constant time, so a
    file with many problems is reported in time linear in its size.

    Examples
    --------
    >>> record = Mapping({"id": "x", "date": 1}, line=3, key_lines={"id": 3, "date": 4})
    >>> index = LineIndex(Mapping(items=[record], line=1))
    >>> index.line_of(3, "date"), index.line_of(3, "missing"), index.line_of(3, None)
    (4, 3, 3)
    """

    def __init__(self, content: Any):
        self.starting: dict[int, list[Mapping]] = {}
        stack, seen = [content], set()
        while stack:
            node = stack.pop()
            if id(node) in seen:  # YAML aliases share nodes, and may nest them in themselves
                continue
            seen.add(id(node))
            if isinstance(node, Mapping):
                self.starting.setdefault(node.line, []).append(node)
            if isinstance(node, dict):
                stack += node.values()
            elif isinstance(node, list):
                stack += node

    def line_of(self, line: int, column: str | None) -> int:
        """The line of ``column`` in the record starting at ``line`` (else ``line``)."""
        if column is None:
            return line
        for mapping in self.starting.get(line, []):
            if column in mapping:
                return mapping.line_of(column)
        return line

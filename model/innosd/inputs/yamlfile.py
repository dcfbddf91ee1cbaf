"""The one way a YAML file a user edits is read: bounded, strict, with line numbers.

Every YAML input (scenarios, region profiles, behaviour checks) goes through :func:`read_yaml`,
which checks, before anything is built from the file:

* its size (:data:`MAX_BYTES`): a scenario is a page of text, not 50 MB;
* the size of the document once aliases are expanded (:data:`MAX_NODES`): an alias bomb
  ("billion laughs") is refused before it is expanded;
* duplicate keys: PyYAML silently keeps the last of two ``levers:`` blocks, this loader refuses;
* NaN and infinities (``.nan``, ``.inf``, ``1e400``): no number in an input may be one.

Errors are :class:`YamlError`, one line ``file:line: message``.
"""
from __future__ import annotations

import math
from pathlib import Path

import yaml

from .tables import DataError

MAX_BYTES = 1_000_000       # the largest shipped YAML is 11 kB
MAX_NODES = 100_000         # nodes after alias expansion; the largest shipped file has about 1,000


class YamlError(DataError):
    """A YAML file that cannot be read; the message names the file and line."""

    def __init__(self, path, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}" + (f":{line}" if line else "") + f": {message}")


class Line(int):
    """A line number that remembers its file: a key merged from an ``extends`` parent is
    reported in the parent."""

    def __new__(cls, line: int, file: Path | None = None):
        obj = super().__new__(cls, line)
        obj.file = file
        return obj


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader refusing duplicate keys and non-finite numbers."""

    path: Path

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise YamlError(self.path, key_node.start_mark.line + 1, "a mapping key must be a name or "
                                "a number, not a list or mapping") from None
            if key in seen:
                raise YamlError(self.path, key_node.start_mark.line + 1, f"duplicate key '{key}' (first at line "
                                f"{seen[key]}); YAML would silently keep only the last one: merge them")
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_float(self, node):
        value = super().construct_yaml_float(node)
        if not math.isfinite(value):
            raise YamlError(self.path, node.start_mark.line + 1, f"'{node.value}' is not a finite number "
                            "(NaN and infinities are not allowed; write the number)")
        return value


_StrictLoader.add_constructor("tag:yaml.org,2002:float", _StrictLoader.construct_yaml_float)


def _expanded_size(node, memo: dict, limit: int) -> int:
    """Number of nodes of ``node`` with every alias expanded (shared nodes counted each time)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = limit + 1  # a node reached while being counted: a recursive alias
    if isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(v, memo, limit) for v in node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo, limit) + _expanded_size(v, memo, limit) for k, v in node.value)
    else:
        size = 1
    memo[key] = min(size, limit + 1)
    return memo[key]


def line_map(node, file: Path | None = None, path=()) -> dict[tuple, Line]:
    """``(key, subkey, ...) -> Line`` for every key of a composed document."""
    out = {path: Line(node.start_mark.line + 1, file)}
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = path + (k.value if not isinstance(k.value, list) else str(k.value),)
            out.update(line_map(v, file, key))
            out[key] = Line(k.start_mark.line + 1, file)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            out.update(line_map(v, file, path + (i,)))
    return out


def read_yaml(path: Path, what: str = "YAML file"):
    """``(data, lines)`` of a YAML file after the checks of this module; ``data`` is None for an
    empty file."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise YamlError(path, None, f"{size:,} bytes; a {what} is at most {MAX_BYTES:,} bytes "
                            "(split it, or use `extends` for what several scenarios share)")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise YamlError(path, None, "file not found") from None
    except IsADirectoryError:
        raise YamlError(path, None, f"is a folder; expected a {what}") from None
    except PermissionError:
        raise YamlError(path, None, f"permission denied (cannot read the {what})") from None
    except UnicodeDecodeError:
        raise YamlError(path, None, f"not a UTF-8 text file; save the {what} as UTF-8") from None
    loader = _StrictLoader(text)
    loader.path = path
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        size = _expanded_size(node, {}, MAX_NODES)
        if size > MAX_NODES:
            raise YamlError(path, None, f"more than {MAX_NODES:,} values once its aliases (*name) are expanded; "
                            f"a {what} needs far fewer (an alias bomb?)")
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlError(path, mark.line + 1 if mark else None, f"not valid YAML ({problem})") from None
    except RecursionError:
        raise YamlError(path, None, f"nested too deeply to be a {what}") from None
    finally:
        loader.dispose()
    return data, line_map(node, path)

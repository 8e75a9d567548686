"""YAML → plain data, with the line and column of every key and value.

PyYAML's own loaders silently keep the last of two duplicate keys, expand aliases (a few lines
can expand to gigabytes) and construct Python objects from tags. This loader builds the data
itself from the parser's event stream, iteratively, so that it can refuse all of that, keep
every location, and never recurse however deep the nesting goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode

from generator.errors import ContentError, ContentErrors, display_path

MAX_FILE_BYTES = 5 * 1024 * 1024
"""A bank of 500 exercises in both languages weighs about 2 MiB; past 5 MiB, split the bank."""
MAX_DEPTH = 32
"""The deepest legitimate value (a set entry's note) sits at depth 5."""
MAX_DIGITS = 18
"""Digits in a whole number: every limit of the model is far below 10**18, and Python refuses
to convert more than 4,300 digits (with a traceback) — refused here, located, long before."""

Location = tuple[int, int]
KeyPath = tuple[str | int, ...]

_ParserLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = SafeConstructor()
_resolver = yaml.resolver.Resolver()  # PyYAML's implicit typing: null, bool, int, float
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "map", "seq")
}


@dataclass
class LocatedData:
    """A YAML document as plain data, with where each part stands in its file."""

    path: Path
    data: Any
    values: dict[KeyPath, Location] = field(default_factory=dict)
    keys: dict[KeyPath, Location] = field(default_factory=dict)

    @property
    def shown(self) -> str:
        return display_path(self.path)

    def locate(self, key_path: KeyPath, *, key: bool = False) -> Location:
        """Where ``key_path`` stands, or its nearest ancestor that exists."""
        table = self.keys if key else self.values
        for end in range(len(key_path), -1, -1):
            prefix = key_path[:end]
            if prefix in table:
                return table[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)

    def error(self, key_path: KeyPath, message: str, *, key: bool = False) -> ContentError:
        line, col = self.locate(key_path, key=key)
        return ContentError(self.shown, line, col, message)


def _mark(mark: Any) -> Location:
    return (mark.line + 1, mark.column + 1)


def _refuse_tag(event: yaml.NodeEvent) -> None:
    tag = getattr(event, "tag", None)
    if tag not in (None, "!") and tag not in _STANDARD_TAGS:
        shown = str(tag).replace("tag:yaml.org,2002:", "!!")
        raise _Refused(
            f"the tag '{shown}' is not allowed: remove it and write a plain value",
            event.start_mark,
        )


def _scalar_value(event: yaml.ScalarEvent) -> Any:
    _refuse_tag(event)
    if event.tag in (None, "!") and event.implicit[0]:
        tag = str(_resolver.resolve(ScalarNode, event.value, event.implicit))  # type: ignore[no-untyped-call]
    else:
        tag = str(event.tag) if event.tag not in (None, "!") else "tag:yaml.org,2002:str"
    node = ScalarNode(tag, event.value)
    if tag.endswith(":null"):
        return None
    if tag.endswith(":int"):
        _refuse_long_number(event)
    try:
        if tag.endswith(":bool"):
            return _constructor.construct_yaml_bool(node)
        if tag.endswith(":int"):
            number = _constructor.construct_yaml_int(node)
            if abs(number) >= 10**MAX_DIGITS:  # sexagesimal, 1:2:3:…, grows fast
                raise _Refused(
                    f"this number has more than {MAX_DIGITS} digits: write a smaller number",
                    event.start_mark,
                )
            return number
        if tag.endswith(":float"):
            return _constructor.construct_yaml_float(node)
    except (ValueError, KeyError, OverflowError) as problem:  # `!!int abc`, `!!bool maybe`
        kind = tag.rsplit(":", 1)[-1]
        raise _Refused(
            f"'{_cut(event.value)}' is not a valid {kind}: "
            f"write the value without the !!{kind} tag",
            event.start_mark,
        ) from problem
    return event.value  # str, and timestamps kept as written


def _cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _refuse_long_number(event: yaml.ScalarEvent) -> None:
    body = event.value.replace("_", "").lstrip("+-")
    if body[:2].lower() in ("0x", "0o", "0b"):
        body = body[2:]
    digits = sum(1 for char in body if char.isalnum())
    if digits > MAX_DIGITS:
        raise _Refused(
            f"this number has {digits:,} digits, more than {MAX_DIGITS}: write a smaller number",
            event.start_mark,
        )


class _Refused(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


@dataclass
class _Frame:
    container: dict[Any, Any] | list[Any]
    path: KeyPath
    pending_key: Any = None
    key_mark: Any = None
    has_key: bool = False
    flow: bool = False


def _build(text: str, located: LocatedData) -> list[ContentError]:
    """Fill ``located`` from ``text``; return the problems found."""
    errors: list[ContentError] = []
    stack: list[_Frame] = []
    documents = 0
    root: Any = None

    def place(value: Any, start_mark: Any) -> KeyPath | None:
        """Attach ``value`` to the current container; return its path, or None for a key."""
        nonlocal root
        if not stack:
            located.values[()] = _mark(start_mark)
            root = value
            return ()
        frame = stack[-1]
        if isinstance(frame.container, list):
            path = (*frame.path, len(frame.container))
            frame.container.append(value)
            located.values[path] = _mark(start_mark)
            return path
        if not frame.has_key:
            if isinstance(value, (dict, list)) or value is None:
                raise _Refused("a key must be a plain name: write `name: value`", start_mark)
            key = str(value) if not isinstance(value, str) else value
            if key in frame.container:
                first = located.keys[(*frame.path, key)]
                raise _Refused(
                    f"duplicate key '{key}' (first at line {first[0]}): keep only one",
                    start_mark,
                )
            frame.pending_key, frame.key_mark, frame.has_key = key, start_mark, True
            return None
        path = (*frame.path, frame.pending_key)
        frame.container[frame.pending_key] = value
        located.keys[path] = _mark(frame.key_mark)
        located.values[path] = _mark(start_mark)
        frame.has_key = False
        return path

    try:
        for event in yaml.parse(text, Loader=_ParserLoader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Refused(
                        "this file holds several YAML documents (---): keep one", event.start_mark
                    )
            elif isinstance(event, yaml.AliasEvent):
                raise _Refused(
                    "aliases (*name) are not supported: write the value out in full",
                    event.start_mark,
                )
            elif isinstance(event, yaml.ScalarEvent):
                place(_scalar_value(event), event.start_mark)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                _refuse_tag(event)
                if len(stack) >= MAX_DEPTH:
                    raise _Refused(
                        f"nesting deeper than {MAX_DEPTH} levels: this is not a workbook file",
                        event.start_mark,
                    )
                container: dict[Any, Any] | list[Any] = (
                    {} if isinstance(event, yaml.MappingStartEvent) else []
                )
                path = place(container, event.start_mark)
                if path is None:
                    raise _Refused(
                        "a key must be a plain name: write `name: value`", event.start_mark
                    )
                stack.append(_Frame(container, path, flow=bool(event.flow_style)))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
    except _Refused as refused:
        errors.append(ContentError(located.shown, *_mark(refused.mark), refused.message))
    except yaml.MarkedYAMLError as problem:
        if "nesting depth" in str(problem.problem):
            # PyYAML ≥ 6.0.4 stops deep flow nesting itself, scanning ahead of our own check:
            # say the same as our check, where it would have stopped.
            block_levels = sum(1 for frame in stack if not frame.flow)
            where = _flow_depth_position(text, MAX_DEPTH - block_levels + 1)
            message = f"nesting deeper than {MAX_DEPTH} levels: this is not a workbook file"
        else:
            mark = problem.problem_mark or problem.context_mark
            where = _mark(mark) if mark else (1, 1)
            what = " ".join(part for part in (problem.context, problem.problem) if part)
            message = f"YAML syntax error: {what}; fix the syntax here"
        errors.append(ContentError(located.shown, *where, message))
    except yaml.reader.ReaderError as problem:
        line = text.count("\n", 0, problem.position) + 1
        col = problem.position - (text.rfind("\n", 0, problem.position) + 1) + 1
        message = f"character {problem.character!r} is not allowed in YAML: remove it"
        errors.append(ContentError(located.shown, line, col, message))
    except yaml.YAMLError as problem:  # any other parser complaint, without a position
        errors.append(ContentError(located.shown, 1, 1, f"YAML error: {problem}; fix the file"))
    located.data = root
    return errors


def _flow_depth_position(text: str, depth: int) -> Location:
    """Line and column of the bracket that opens flow level ``depth`` (outside quotes)."""
    level, quote, line, col = 0, "", 1, 0
    for index, char in enumerate(text):
        col += 1
        if char == "\n":
            line, col = line + 1, 0
            quote = "" if quote == "\n" else quote
            continue
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t"):
            quote = "\n"  # a comment runs to the end of the line
        elif char in "[{":
            level += 1
            if level >= depth:
                return line, col
        elif char in "]}":
            level -= 1
    return 1, 1


def _decode(raw: bytes, shown: str) -> tuple[str | None, list[ContentError]]:
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        line = raw.count(b"\n", 0, offset) + 1
        col = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
        return None, [
            ContentError(shown, line, col, "binary data (a NUL byte): this is not a YAML text file")
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as problem:
        offset = problem.start
        line = raw.count(b"\n", 0, offset) + 1
        col = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
        return None, [
            ContentError(
                shown, line, col, "this file is not UTF-8: save it with the UTF-8 encoding"
            )
        ]
    return text.removeprefix("\ufeff"), []


def _refused(shown: str, message: str, where: Location = (1, 1)) -> ContentErrors:
    return ContentErrors([ContentError(shown, *where, message)])


_kept: dict[str, tuple[bytes, LocatedData]] | None = None


def keep_parsed_files(keep: bool = True) -> None:
    """From now on (``keep``), a file read again with the same bytes gives back the very same
    ``LocatedData``, without parsing it again: for a process that reads the content over and
    over, as `workbook serve` does on every save. Every check on the file runs each time."""
    global _kept
    _kept = {} if keep else None


def keeping_parsed_files() -> bool:
    return _kept is not None


def load_yaml(path: Path, root: Path) -> LocatedData:
    """Read one YAML file of a content folder; raise ContentErrors on any problem."""
    located = LocatedData(path=path, data=None)
    shown = located.shown
    real, real_root = path.resolve(), root.resolve()
    if not real.is_relative_to(real_root):
        raise _refused(
            shown,
            f"this link leads outside the content folder ({real}): "
            "copy the file into the folder instead",
        )
    if not real.is_file():  # a folder or a FIFO named *.yml: reading it could hang
        raise _refused(shown, "not a regular file: remove it")
    size = real.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _refused(
            shown,
            f"file too large ({size:,} bytes, limit {MAX_FILE_BYTES:,}): "
            "split it into several banks",
        )
    raw = real.read_bytes()
    kept = _kept.get(str(path)) if _kept is not None else None
    if kept is not None and kept[0] == raw:
        return kept[1]
    text, errors = _decode(raw, shown)
    if text is None:
        raise ContentErrors(errors)
    errors = _build(text, located)
    if errors:
        raise ContentErrors(errors)
    if located.data is None:
        raise _refused(shown, "this file is empty: fill it in or delete it")
    if not isinstance(located.data, dict):
        raise _refused(
            shown,
            "expected a mapping of `key: value` lines at the top of the file",
            located.locate(()),
        )
    if _kept is not None:
        _kept[str(path)] = (raw, located)
    return located

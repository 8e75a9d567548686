"""ToUnicode CMaps: read one into ``code → text``, write one from it (ISO 32000-1 §9.10.3).

WeasyPrint writes ``bfchar`` blocks only; ``bfrange`` blocks (which other writers use) are
read too. Codes are two bytes (``Identity-H`` fonts) unless the codespace says otherwise.
"""

from __future__ import annotations

import re
from functools import lru_cache

_BLOCK = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.S)
_HEX = re.compile(rb"<([0-9a-fA-F]*)>")
_ARRAY = re.compile(rb"\[([^\]]*)\]")

_HEADER = (
    b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
    b"1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n"
)
_FOOTER = b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"


def _text(hexdigits: bytes) -> str:
    raw = bytes.fromhex(hexdigits.decode("ascii"))
    if len(raw) % 2:
        raw = b"\0" + raw
    return raw.decode("utf-16-be", errors="replace")


def parse(data: bytes) -> dict[int, str]:
    """``code → text`` of a ToUnicode CMap (the first mapping of a code wins)."""
    return dict(_parse(data))


@lru_cache(maxsize=32)
def _parse(data: bytes) -> dict[int, str]:
    """Parts of a build share their fonts' maps (a whole font's, in a fillable part)."""
    mapping: dict[int, str] = {}
    for kind, body in _BLOCK.findall(data):
        if kind == b"bfchar":
            values = _HEX.findall(body)
            for code, text in zip(values[::2], values[1::2], strict=False):
                mapping.setdefault(int(code, 16), _text(text))
            continue
        for line in body.splitlines():
            values = _HEX.findall(line)
            if len(values) < 2:
                continue
            low, high = int(values[0], 16), int(values[1], 16)
            listed = _ARRAY.search(line)
            if listed is not None:
                for offset, text in enumerate(_HEX.findall(listed.group(1))):
                    mapping.setdefault(low + offset, _text(text))
            elif len(values) >= 3:
                start = _text(values[2])
                for offset in range(high - low + 1):
                    mapping.setdefault(low + offset, start[:-1] + chr(ord(start[-1]) + offset))
    return mapping


def write(mapping: dict[int, str]) -> bytes:
    """A ToUnicode CMap for two-byte codes, codes in order (the same map, the same bytes)."""
    items = sorted(mapping.items())
    chunks = [_HEADER]
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        chunks.append(f"{len(batch)} beginbfchar\n".encode())
        for code, text in batch:
            chunks.append(f"<{code:04x}> <{text.encode('utf-16-be').hex()}>\n".encode())
        chunks.append(b"endbfchar\n")
    chunks.append(_FOOTER)
    return b"".join(chunks)

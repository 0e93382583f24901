"""vCard 4.0 content lines (RFC 6350 section 3): value escaping, parameter quoting, folding at 75 octets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

MAX_OCTETS = 75  # per physical line, CRLF excluded (RFC 6350 3.2)
CRLF = "\r\n"


def escape_text(value: str) -> str:
    """A TEXT value (3.4): backslash, comma, semicolon and newline escaped; CR LF and lone CR are newlines."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def structured(components: Sequence[str | Sequence[str] | None]) -> str:
    """N, ADR, ORG: components split by ';', each a text or a comma-separated list of texts."""
    out = []
    for part in components:
        if part is None:
            out.append("")
        elif isinstance(part, str):
            out.append(escape_text(part))
        else:
            out.append(",".join(escape_text(p) for p in part))
    return ";".join(out)


def text_list(values: Iterable[str]) -> str:
    return ",".join(escape_text(v) for v in values)


def param_value(value: str) -> str:
    """A parameter value: RFC 6868 caret encoding, double quotes when it holds ':', ';' or ','."""
    # A lone CR is a line break to every parser too: left raw it ended the line mid-parameter.
    value = value.replace("^", "^^").replace("\r\n", "\n").replace("\r", "\n").replace("\n", "^n")
    value = value.replace('"', "^'")
    return f'"{value}"' if any(ch in value for ch in ":;,") else value


Params = Sequence[tuple[str, str | Sequence[str]]]


def content_line(name: str, value: str, params: Params = ()) -> str:
    """One property, folded, with its CRLF. `value` is already escaped for its type; a parameter given
    several values (TYPE=work,voice) lists them comma-separated, as the ABNF of 5.6 allows."""
    if "\r" in value or "\n" in value:  # an unescaped value would end the property, or the vCard, here
        raise ValueError(f"{name} value holds a raw line break; escape it first")
    head = name
    for key, val in params:
        values = [val] if isinstance(val, str) else list(val)
        head += f";{key}=" + ",".join(param_value(v) for v in values)
    return fold(f"{head}:{value}") + CRLF


def fold(line: str) -> str:
    """Split a logical line into physical lines of at most 75 octets of UTF-8, each continuation starting
    with one space, never inside a multi-octet character."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for ch in line:
        octets = len(ch.encode("utf-8"))
        if size + octets > MAX_OCTETS:
            pieces.append("".join(current))
            current, size = [" "], 1  # the space a continuation starts with counts toward its 75
        current.append(ch)
        size += octets
    pieces.append("".join(current))
    return CRLF.join(pieces)


def unfold(text: str) -> str:
    """The logical lines of folded text (3.2): a CRLF followed by a space or tab is removed."""
    return text.replace("\r\n ", "").replace("\r\n\t", "")

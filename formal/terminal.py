"""Text for a terminal: what a spec says is shown, never obeyed.

Ids, titles and event names come from a spec or a timeline file, and a terminal
acts on some characters instead of showing them: ``ESC`` starts a colour or
cursor command, ``NUL`` and ``CR`` hide text, U+202E reverses what follows. The
command's text output passes through :func:`printable`, which writes each such
character as a visible escape (``\\x1b``, ``\\u202e``); lone surrogates (from
bytes on the command line that are not UTF-8) are escaped too, so writing never
fails on them. JSON needs nothing: it is written with ``ensure_ascii``.
"""

from __future__ import annotations

import io
import re
from typing import TextIO

_HIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF \
        else f"\\U{code:08x}"


def printable(text: str) -> str:
    r"""``text`` with control, format and bidi characters written as escapes; ``\n`` and tabs kept.

    >>> printable("a\x1b[31mb\u202ec\x00")
    'a\\x1b[31mb\\u202ec\\x00'
    """
    return _HIDDEN.sub(_escape, text)


class EscapingWriter(io.TextIOBase):
    """A text stream that writes everything through :func:`printable` to another stream."""

    def __init__(self, inner: TextIO) -> None:
        super().__init__()
        self.inner = inner

    def write(self, text: str) -> int:
        self.inner.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

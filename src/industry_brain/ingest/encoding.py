"""A CSV's encoding, without holding the file in memory: UTF-8 (with or without BOM) is checked
chunk by chunk and read in place; GB18030/GBK is re-encoded chunk by chunk into a temporary
UTF-8 file. (A 199 MB CSV used to be held as bytes, decoded whole to check it, and re-encoded
whole: three copies before the reader started.)"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from industry_brain.ingest.problems import FileProblem

CHUNK = 1 << 24


def is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        try:
            while chunk := fh.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _to_utf8(path: Path, target: Path) -> None:
    decoder = codecs.getincrementaldecoder("gb18030")()
    with path.open("rb") as source, target.open("wb") as out:
        try:
            while chunk := source.read(CHUNK):
                out.write(decoder.decode(chunk).encode("utf-8"))
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
        except UnicodeDecodeError:
            raise FileProblem("encoding-error", detail="undecodable bytes") from None


@contextmanager
def utf8_file(path: Path) -> Iterator[tuple[Path, str]]:
    """The CSV as a UTF-8 file (itself, or a temporary copy while the block runs) and the
    encoding it was in (utf-8 or gb18030); F102 when it is neither."""
    if is_utf8(path):
        yield path, "utf-8"
        return
    with tempfile.TemporaryDirectory(prefix="industry-brain-") as tmp:
        target = Path(tmp) / "utf8.csv"
        _to_utf8(path, target)
        yield target, "gb18030"

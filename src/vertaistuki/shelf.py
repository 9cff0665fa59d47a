"""A renderer's spill space: bytes made once and needed again later, kept in a temporary
file rather than in memory.

A national catalogue's renderers make the same pieces many times over (a card on the
index page, the fragment and a municipality page; an event in its own calendar and in
the catalogue feed). Keeping each piece in memory until its last use would hold the
whole output at once; a shelf holds only where each piece is on disk. The operating
system's page cache keeps recently written pieces in memory, so reading them back is
cheap, and that memory is given back under pressure instead of failing the build.
"""

from __future__ import annotations

import os
import tempfile
from typing import IO

#: Where a piece is: (offset, length) in the shelf's file.
Handle = tuple[int, int]

# One call to read a piece where the system has it (POSIX); elsewhere a seek and a read.
_pread = getattr(os, "pread", None)


class Shelf:
    """Pieces of bytes put once and read back any number of times, in one render call.
    :meth:`clear` (or leaving the ``with`` block) removes the file; a shelf is usable
    again afterwards.

    Pieces are appended through the file's buffer and read back by position
    (``os.pread``), so that putting and getting, interleaved piece by piece for a
    national listing's cards, cost no seek and few system calls."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._end = 0  # where the next piece goes
        self._flushed = 0  # how much of the file the system has (the rest is in the buffer)

    def put(self, data: bytes) -> Handle:
        if self._file is None:
            self._file = tempfile.TemporaryFile()
        if _pread is None:
            self._file.seek(self._end)  # a read moved the position
        self._file.write(data)
        handle = (self._end, len(data))
        self._end += len(data)
        return handle

    def get(self, handle: Handle) -> bytes:
        offset, length = handle
        if self._file is None:
            raise KeyError(handle)  # cleared, or never written: a caller's bug, not an empty piece
        if offset + length > self._flushed:
            self._file.flush()
            self._flushed = self._end
        if _pread is None:
            self._file.seek(offset)
            return self._file.read(length)
        return _read_at(self._file.fileno(), offset, length)

    def clear(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file, self._end, self._flushed = None, 0, 0

    def __enter__(self) -> Shelf:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.clear()


def _read_at(descriptor: int, offset: int, length: int) -> bytes:
    piece = _pread(descriptor, length, offset)
    if len(piece) == length:
        return piece
    parts = [piece]  # a short read (rare, but allowed): read on
    while (done := sum(map(len, parts))) < length:
        more = _pread(descriptor, length - done, offset + done)
        if not more:
            raise OSError(f"the shelf's file ended {length - done} bytes short of a piece")
        parts.append(more)
    return b"".join(parts)

"""Writing outputs so that a reader never sees half a file.

Every file is written to a temporary name beside its target; once all are written they
are flushed to disk (one flush of the file system for a large build) and renamed over
their targets (an atomic step on POSIX and Windows). All files of a build are
written before any is renamed, so a build that fails or is killed while writing leaves
the previous outputs in place. A manifest lists what the last build wrote, and which
output wrote it, so files that a later build no longer produces are removed rather than
left to go stale, except those of an output that failed this time, which stay. A file
whose target already holds the same bytes is left as it is (compared as it streams):
a rebuild after one edit makes new files only for what changed.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import os
import re
import secrets
import stat
import time
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import IO, Any, NamedTuple

#: A file's content: its bytes, or an iterable of byte chunks written one after another
#: (a page of a national listing is hundreds of megabytes; it never needs to exist whole).
Content = bytes | Iterable[bytes]

MANIFEST = ".vertaistuki-manifest.json"
MANIFEST_FORMAT = "vertaistuki-manifest/2"  # {"outputs": {renderer: [files]}}; /1 was a list of files


class UnsafeOutputPath(ValueError):
    """A renderer asked to write outside the output folder."""


#: Why a file could not be staged that no renderer can help: the disk is full, the
#: quota used up, the file system read-only or the file too large for it.
OUT_OF_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})


class OutputsUnwritable(Exception):
    """Staging a file failed for a reason in :data:`OUT_OF_ROOM`, or a file could not
    be made in the output folder at all (no permission): every output would fail alike,
    so the whole build stops (``error`` is the OSError)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def _target(out_dir: Path, relative: str) -> Path:
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or relative.startswith("~"):
        raise UnsafeOutputPath(f"output path {relative!r} is not inside the output folder")
    return out_dir.joinpath(*pure.parts)


# Create-only, no following of a link someone put at the name, binary on Windows.
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _temporary_beside(target: Path, suffix: str) -> tuple[int, str]:
    """A new, empty file with a random name beside ``target``: (descriptor, path).

    Unlike ``tempfile.mkstemp``, which makes files only its owner can read (0600), the
    file gets the permissions any file the user makes gets (0666 less the umask): the
    outputs are published by renaming it, and a web server running as another user
    must be able to read the pages it serves."""
    for _ in range(100):
        temporary = os.path.join(target.parent, f".{target.name}.{secrets.token_hex(4)}{suffix}")
        try:
            return os.open(temporary, _NEW_FILE, 0o666), temporary
        except FileExistsError:  # another writer drew the same name: draw again
            continue
    raise FileExistsError(f"no free temporary name beside {target}")


def check_writable_folder(folder: Path) -> None:
    """Prove that ``folder`` can be made and written: ``OSError`` when it cannot (no
    permission, a file in the way, a read-only disk). Leaves the file system as it was:
    the folders it had to make for the test are removed again (a strict build with
    errors makes no output folder)."""
    missing = [folder, *folder.parents]
    missing = missing[:next((index for index, path in enumerate(missing) if path.exists()), len(missing))]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = _temporary_beside(folder / ".vertaistuki-check", ".tmp")
        os.close(handle)
        os.unlink(temporary)
    finally:
        for made in missing:  # the deepest first
            with contextlib.suppress(OSError):
                made.rmdir()


def write_atomic(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = _temporary_beside(path, ".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Published(NamedTuple):
    """What :meth:`StagedOutputs.commit` published."""

    files: tuple[Path, ...] = ()  # every file of the build, those left as they were included
    changed: tuple[Path, ...] = ()  # the files written this time: new, or with bytes that changed


class StagedOutputs:
    """The files of one build, each written to a temporary name beside its target as
    soon as a renderer has produced it, then renamed into place together by
    :meth:`commit`. A national catalogue's outputs run to gigabytes: staging them as
    they come means no build holds them all in memory, and a reader still never sees a
    half-published build."""

    def __init__(self, out_dir: Path, *, tag: str = "") -> None:
        self.out_dir = out_dir
        # A worker process of a parallel build tags its temporary names, so that the
        # files of a worker that died can still be found and removed (see parallel.py).
        self.suffix = f".{tag}.tmp" if tag else ".tmp"
        # relative → (temporary, target); no temporary when the target already holds
        # exactly these bytes (see _write)
        self._staged: dict[str, tuple[Path | None, Path]] = {}
        self._new_file_mode = _new_file_mode()
        # Which output made each staged file (see own), and the outputs that failed this
        # time: commit keeps their files from the previous build.
        self._owners: dict[str, str] = {}
        self._failed: set[str] = set()

    def own(self, relatives: Iterable[str], owner: str) -> None:
        """Record that the output ``owner`` (a renderer's name) made these staged files."""
        self._owners.update((relative, owner) for relative in relatives)

    def failed(self, owner: str) -> None:
        """The output ``owner`` failed this time: :meth:`commit` keeps its files from the
        previous build in place, rather than removing them as no longer made."""
        self._failed.add(owner)

    def add(self, files: Mapping[str, Content]) -> None:
        """Stage ``files`` (relative path → content); a path staged again is replaced."""
        targets = {relative: _target(self.out_dir, relative) for relative in files}  # refuse before writing any
        for relative, target in targets.items():
            self._write(relative, target, files[relative])

    def stage(self, relative: str, content: Content) -> int:
        """Stage one file, writing its chunks as they come (a file whose bytes equal its
        target's is left as it is, see :meth:`_write`); returns its size in bytes. A chunk
        that is not bytes raises TypeError, and the file may stay staged half-written
        until :meth:`remove` or :meth:`discard` (the caller decides: see ``render_all``)."""
        return self._write(relative, _target(self.out_dir, relative), content)

    def _write(self, relative: str, target: Path, content: Content) -> int:
        # A rebuild leaves a file whose bytes did not change as it is: no new file (making
        # files and copying gigabytes into the page cache are most of a rebuild's time in
        # the kernel), and its modification time still says when its content last
        # changed, for web servers' Last-Modified, calendar clients, rsync and CDNs.
        self._unstage(relative)
        existing = self._same_kind_of_file(target)
        if existing is None:
            return self._write_new(relative, target, _chunks(relative, content))
        # Compared with the target as the chunks come, holding none of them: nothing is
        # written while they match, and at the first difference the new file starts
        # with the target's bytes so far (copied), then the rest of the chunks.
        with existing:
            chunks = iter(_chunks(relative, content))
            same = 0
            for chunk in chunks:
                if not isinstance(chunk, bytes):
                    chunk = bytes(chunk)  # bytes compare with memcmp, memoryviews item by item
                for start in range(0, len(chunk), _COMPARE_BLOCK):  # a large chunk is not read whole
                    block = chunk if len(chunk) <= _COMPARE_BLOCK else chunk[start:start + _COMPARE_BLOCK]
                    if existing.read(len(block)) != block:
                        rest = itertools.chain((memoryview(chunk)[start:],), chunks)  # not copied
                        return self._write_new(relative, target, rest, (existing, same))
                    same += len(block)
            if existing.read(1) != b"":  # the target is longer
                return self._write_new(relative, target, (), (existing, same))
        self._staged[relative] = (None, target)
        return same

    def _same_kind_of_file(self, target: Path) -> IO[bytes] | None:
        """``target`` open for reading if it is a regular file with the permissions a
        new file would get: a file an older version made owner-only is replaced, so
        that it becomes readable, and a link by a file."""
        try:
            status = os.lstat(target)
            if not stat.S_ISREG(status.st_mode) or stat.S_IMODE(status.st_mode) != self._new_file_mode:
                return None
            return open(target, "rb")
        except OSError:
            return None

    def _write_new(self, relative: str, target: Path, chunks: Iterable[Any],
                   same_start: tuple[IO[bytes], int] | None = None) -> int:
        """Write a new temporary file for ``target``: first ``same_start``'s bytes (an
        open target and how many of its first bytes the content repeats), then ``chunks``."""
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = _temporary_beside(target, self.suffix)
        except OSError as error:  # a folder in the output that became another user's, say
            if error.errno in OUT_OF_ROOM or error.errno in (errno.EACCES, errno.EPERM):
                raise OutputsUnwritable(error) from error
            raise  # a path whose folder is a file: the renderer's own mistake
        self._staged[relative] = (Path(temporary), target)
        size = 0
        with os.fdopen(handle, "wb") as stream:
            if same_start is not None:
                size += _copy_start(*same_start, stream)
            for chunk in chunks:
                size += stream.write(chunk)
        return size  # made durable all together in commit()

    def hand_over(self, relatives: Iterable[str]) -> dict[str, tuple[Path | None, Path]]:
        """Give up these staged files (relative → (temporary, target)) to another
        :class:`StagedOutputs`, which :meth:`adopt` s them: a worker process stages, the
        build's own process publishes."""
        return {relative: self._staged.pop(relative) for relative in relatives if relative in self._staged}

    def adopt(self, staged: Mapping[str, tuple[Path | None, Path]]) -> None:
        """Take over files staged by another :class:`StagedOutputs` for the same folder."""
        for relative, (temporary, target) in staged.items():
            self._unstage(relative)
            self._staged[relative] = (None if temporary is None else Path(temporary), Path(target))

    def remove(self, relatives: Iterable[str]) -> None:
        """Unstage files (a renderer that failed half-way publishes none of its files)."""
        for relative in relatives:
            self._unstage(relative)

    def _unstage(self, relative: str) -> None:
        """Forget a staged file, removing its temporary (none when the target was left as it is)."""
        staged = self._staged.pop(relative, None)
        if staged is not None and staged[0] is not None:
            staged[0].unlink(missing_ok=True)

    def commit(self) -> Published:
        """Rename every staged file over its target, remove what the previous build wrote
        and this one did not, and record what was published (unchanged files included)
        and which output made it. The previous files of an output that :meth:`failed`
        stay, and stay listed, until a build in which it works removes what it no longer
        makes (a manifest of an older version, which does not say whose a file is,
        keeps them all when any output failed)."""
        try:
            _make_durable([temporary for temporary, _ in self._staged.values() if temporary is not None])
        except BaseException:  # killed before anything was renamed: the previous outputs stand
            self.discard()
            raise
        for temporary, target in self._staged.values():
            if temporary is not None:
                os.replace(temporary, target)
        listed = {relative: self._owners.get(relative, "") for relative in self._staged}
        previous = _previous_manifest(self.out_dir)
        for relative, owner in previous.items():
            if relative not in listed and (owner in self._failed or (owner is None and self._failed)):
                listed[relative] = owner or ""  # a failed output's last files stay, listed as still its
        _remove_stale(self.out_dir, list(previous), set(listed))
        _remove_abandoned_temporaries(self.out_dir)
        by_owner: dict[str, list[str]] = {}
        for relative, owner in sorted(listed.items()):
            by_owner.setdefault(owner, []).append(relative)
        write_atomic(self.out_dir / MANIFEST, json.dumps({"format": MANIFEST_FORMAT, "outputs": by_owner},
                                                         indent=1, ensure_ascii=False).encode("utf-8"))
        published = Published(tuple(target for _, target in self._staged.values()),
                              tuple(target for temporary, target in self._staged.values() if temporary is not None))
        self._staged, self._owners, self._failed = {}, {}, set()
        return published

    def discard(self) -> None:
        """Remove every staged file: the previous outputs stay as they were."""
        for temporary, _ in self._staged.values():
            if temporary is not None:
                temporary.unlink(missing_ok=True)
        self._staged, self._owners, self._failed = {}, {}, set()


# Above this many files one flush of every file system is cheaper than one fsync per
# file (about 0.3 ms each: a national build writes tens of thousands of files).
_SYNC_ALL_ABOVE = 64


# A temporary name of ours: ".index.html.1a2b3c4d.tmp", a worker's ".x.json.1a2b3c4d.w1.tmp".
_TEMPORARY_NAME = re.compile(r"\..+\.[0-9a-f]{8}(?:\.[A-Za-z0-9_-]+)?\.tmp")
#: A temporary file this old was left by a build that was killed (or lost its machine)
#: before it could remove it; a build that is running renames or removes its own long
#: before (and two builds into one folder at once are not supported anyway).
ABANDONED_AFTER_SECONDS = 3600


def _remove_abandoned_temporaries(out_dir: Path) -> None:
    """Remove the half-written files of builds that were killed in this folder: nothing
    else ever would, and they are not outputs (the manifest never lists them)."""
    too_old = time.time() - ABANDONED_AFTER_SECONDS
    for folder, _, names in os.walk(out_dir):
        for name in names:
            if _TEMPORARY_NAME.fullmatch(name):
                path = os.path.join(folder, name)
                with contextlib.suppress(OSError):  # gone already, or not ours to remove
                    if os.lstat(path).st_mtime < too_old:
                        os.unlink(path)


def _make_durable(paths: list[Path]) -> None:
    """Have the files' contents on disk before they are renamed into place, so that a
    crash never leaves a published name pointing at a file that was not written out."""
    if len(paths) > _SYNC_ALL_ABOVE and hasattr(os, "sync"):
        os.sync()
        return
    for path in paths:
        with open(path, "rb+") as stream:  # Windows' fsync needs a handle open for writing
            os.fsync(stream.fileno())


# Bytes compared with a target at a time.
_COMPARE_BLOCK = 1024 * 1024


def _copy_start(existing: IO[bytes], length: int, stream: IO[bytes]) -> int:
    """Copy the first ``length`` bytes of ``existing`` to ``stream``; returns ``length``."""
    existing.seek(0)
    left = length
    while left:
        block = existing.read(min(left, _COMPARE_BLOCK))
        if not block:  # the target shrank while we read it: nothing a build does
            raise OSError(f"{existing.name} changed while it was compared")
        stream.write(block)
        left -= len(block)
    return length


def _new_file_mode() -> int:
    """The permissions a file made now gets (0666 less the umask)."""
    try:  # Linux says it without changing it
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0o022)  # elsewhere the only way to read it is to set it
    os.umask(umask)
    return 0o666 & ~umask


def _chunks(relative: str, content: Content) -> Iterable[bytes]:
    if isinstance(content, (bytes, bytearray, memoryview)):
        yield content
        return
    if isinstance(content, str) or not isinstance(content, Iterable):
        raise TypeError(f"{relative!r} is {type(content).__name__}, not bytes")
    for chunk in content:
        if not isinstance(chunk, (bytes, bytearray, memoryview)):
            raise TypeError(f"{relative!r} has a chunk that is {type(chunk).__name__}, not bytes")
        yield chunk


def joined(relative: str, content: Content) -> bytes:
    """The whole content of a file as bytes (chunks joined), checking every chunk."""
    if isinstance(content, bytes):
        return content
    return b"".join(_chunks(relative, content))


def _previous_manifest(out_dir: Path) -> dict[str, str | None]:
    """What the previous build in ``out_dir`` published: file → the output that made it
    ("" for the reports; None from a manifest that did not say). Nothing, if it left no
    readable manifest."""
    try:
        previous = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if isinstance(previous, list):  # the first format: files only
        return {relative: None for relative in previous if isinstance(relative, str)}
    outputs = previous.get("outputs") if isinstance(previous, dict) else None
    if not isinstance(outputs, dict):
        return {}
    return {relative: str(owner) for owner, files in outputs.items() if isinstance(files, list)
            for relative in files if isinstance(relative, str)}


def _remove_stale(out_dir: Path, previous: list[str], current: set[str]) -> None:
    for relative in previous:
        if relative not in current:
            try:
                _target(out_dir, relative).unlink(missing_ok=True)
            except (UnsafeOutputPath, OSError):
                continue

"""The shelf: pieces of bytes put once, read back any number of times and in any order."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vertaistuki import shelf as shelf_module
from vertaistuki.shelf import Shelf

# Put a piece (its bytes), or get back the n-th piece put so far (modulo how many there are).
operations = st.lists(st.one_of(st.binary(max_size=300).map(lambda data: ("put", data)),
                                st.integers(0, 1000).map(lambda n: ("get", n))), max_size=60)


def check(steps) -> None:
    pieces: list[tuple[tuple[int, int], bytes]] = []
    with Shelf() as shelf:
        for kind, value in steps:
            if kind == "put":
                pieces.append((shelf.put(value), value))
            elif pieces:
                handle, data = pieces[value % len(pieces)]
                assert shelf.get(handle) == data
        for handle, data in pieces:  # every piece, once more, after all the puts
            assert shelf.get(handle) == data


@settings(max_examples=300, deadline=None)
@given(operations)
def test_every_piece_reads_back_as_it_was_put_whatever_the_order(steps):
    # A national listing's cards are shelved and read back interleaved, piece by piece.
    check(steps)


@settings(max_examples=100, deadline=None)
@given(operations)
def test_without_positional_reads_the_shelf_reads_back_the_same(monkeypatch_steps):
    # Windows has no os.pread: the shelf seeks and reads instead.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shelf_module, "_pread", None)
        check(monkeypatch_steps)


def test_a_large_piece_and_a_cleared_shelf():
    shelf = Shelf()
    big = bytes(range(256)) * 40_000  # 10 MB, past any buffer
    first, second = shelf.put(b"small"), shelf.put(big)
    assert shelf.get(second) == big and shelf.get(first) == b"small"
    shelf.clear()
    with pytest.raises(KeyError):  # a handle from before clear() is a caller's bug, never b""
        shelf.get(first)
    assert shelf.get(shelf.put(b"again")) == b"again"  # usable after clear()
    shelf.clear()

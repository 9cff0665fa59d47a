"""Bulk work on many small objects: loading and rendering whole catalogues.

A national catalogue becomes hundreds of thousands of small frozen objects. CPython's
cyclic garbage collector is triggered by allocations and, once many objects are alive,
each of its full passes walks all of them: a third of the time of loading a large
catalogue went to passes that found nothing, because frozen records and tuples form no
cycles. :func:`collector_paused` switches the collector off for one bulk step and back
on afterwards; reference counting still frees everything that is dropped.
:func:`collector_skips_existing` keeps the collector on but leaves out of its passes
every object alive when the step starts (the loaded catalogue, while it is rendered).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block (nesting is fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# During a render: a collection of the youngest objects once 100,000 have piled up rather
# than 700, and so far fewer of the passes that walk every object not frozen.
RENDER_THRESHOLDS = (100_000, 10, 10)


@contextlib.contextmanager
def collector_skips_existing() -> Iterator[None]:
    """Leave every object alive now out of the cyclic collector's passes for the ``with``
    block, and put them back afterwards (:func:`frozen`). Rendering makes many
    short-lived objects, whose collections would otherwise walk the whole loaded
    catalogue again and again; the collector still runs for what the block makes, which
    may hold cycles, but less often."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*RENDER_THRESHOLDS)
    try:
        with frozen():
            yield
    finally:
        gc.set_threshold(*thresholds)


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """``gc.freeze()`` for the ``with`` block and ``gc.unfreeze()`` after it, unless the
    process had frozen objects already: freezing is the process's, and an application
    that froze its own (before forking workers, say) must find them frozen still, so
    then nothing is frozen or unfrozen here."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()

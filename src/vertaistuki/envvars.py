"""Settings read from the environment, and setting one for a while.

A process-wide choice such as which JSON Schema or JSON backend to use is an
environment variable, so that a build started from the command line, a test and a
worker process all see it; comparing the choices in one process sets it for a block.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator


@contextlib.contextmanager
def temporarily(name: str, value: str) -> Iterator[None]:
    """The environment variable ``name`` is ``value`` inside the block, and as it was
    (or unset) afterwards."""
    saved = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = saved

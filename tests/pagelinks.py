"""What a built page lists and where its links lead, for the listing tests."""

from __future__ import annotations

import posixpath
import re


def relative_targets(files: dict[str, bytes] | dict[str, str], path: str) -> list[str]:
    """The output paths that the page at ``path`` links to or loads (``href`` and
    ``src``), resolved from the page's folder; anchors, the page's own query (``?``)
    and links with a scheme (other sites, mail, phone) left out."""
    page = files[path]
    text = page.decode("utf-8") if isinstance(page, bytes) else page
    targets = []
    for href in re.findall(r'(?:href|src)="([^"]*)"', text):
        if not href or href[0] in "#?" or re.match(r"[a-z][a-z0-9+.-]*:", href):
            continue
        targets.append(posixpath.normpath(posixpath.join(posixpath.dirname(path), href.split("#")[0])))
    return targets


def card_ids(page: bytes | str) -> set[str]:
    """The ids of the cards a listing page shows (hidden or not)."""
    text = page.decode("utf-8") if isinstance(page, bytes) else page
    return set(re.findall(r'<li class="vt-card[^"]*" id="([^"]+)"', text))

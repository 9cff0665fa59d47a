"""Built-in source ``http``: another organisation's ``catalogue.json`` feed read over
HTTPS, under the limits of :class:`vertaistuki.feeds.FeedPolicy`.

Chosen automatically for ``https://`` (and, when ``allow_http = true``, ``http://``)
paths in ``catalogue.toml``::

    [[sources]]
    path = "https://omaiset.example/vertaistuki/catalogue.json"
    options = { total_timeout = 20, cache = ".feed-cache" }

When the feed cannot be read, the last good copy from the cache is used and a warning
says so; only when there is none does the source fail.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from .. import options as option_checks
from ..feeds import (POLICY_OPTIONS, FeedCache, FeedPolicy, FetchStatus, catalogue_offers, decode_catalogue, read_feed_sync,
                     set_aside_oversized)
from ..hookspecs import hookimpl
from ..problems import Problem
from ..registry import Source, SourceOutput, SourceRequest


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "vertaistuki" / "feeds"


#: The feed limits (:class:`FeedPolicy`) and the folder of last good copies.
OPTIONS = {**POLICY_OPTIONS, "cache": option_checks.text}


def read_http_feed(request: SourceRequest) -> SourceOutput:
    url = request.path_or_url
    option_checks.check("http", request.options, OPTIONS)  # the build reports a mistake
    policy = FeedPolicy.from_options(request.options)
    cache = FeedCache(Path(request.options.get("cache") or default_cache_dir()))
    read = read_feed_sync(url, partial(decode_catalogue, policy=policy), policy=policy, cache=cache, offers=catalogue_offers)
    if read.status is FetchStatus.FAILED:
        failure = read.failure
        return SourceOutput({}, problems=(Problem.error(url, "$", f"syötettä ei saatu: {failure.message.get('fi')}",
                                                        f"the feed could not be read: {failure.message.get('en')}",
                                                        code="source_failed"),))
    problems: list[Problem] = []
    if read.status is FetchStatus.FALLBACK:
        problems.append(Problem.warning(
            url, "$", f"syötettä ei saatu ({read.failure.message.get('fi')}); käytettiin {read.fetched_at:%Y-%m-%d %H:%M} haettua kopiota",
            f"the feed could not be read ({read.failure.message.get('en')}); used the copy fetched {read.fetched_at:%Y-%m-%d %H:%M}",
            code="feed_fallback"))
    if read.cache_failure is not None:
        problems.append(Problem.warning(url, "$", read.cache_failure.message.get("fi"), read.cache_failure.message.get("en"),
                                        code="feed_cache_unwritable"))
    data, origins, oversized = set_aside_oversized(read.value, policy, url)
    pointers = {key: f"$.{key[0]}[{origin.index}]" for key, origin in origins.items()}
    return SourceOutput(data, pointers=pointers, problems=tuple(problems + oversized))


@hookimpl
def register_sources(register):
    register(Source(
        name="http",
        read=read_http_feed,
        description="A vertaistuki feed (catalogue.json) over https, with timeouts, size caps and the last good copy.",
        schemes=("https", "http"),
        options=OPTIONS,
    ))

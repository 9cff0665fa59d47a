"""The HTTP feed reader: what a federation relies on when a member's server misbehaves."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import functools
import json
import os
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import attrs
import certifi
import pytest

from feedserver import Declared, Endless, Feed, FeedServer, GzipBomb, Hang, LoopbackOnly, Redirect, Status, Unsized, member_feed
from vertaistuki.feeds import (
    FeedCache,
    FeedPolicy,
    FeedRejected,
    FetchStatus,
    address_kind,
    catalogue_offers,
    client_for,
    decode_catalogue,
    read_feed,
    read_feed_sync,
    run_async,
    set_aside_oversized,
)
from vertaistuki.options import OptionError

# Generous timeouts: a healthy loopback feed must not time out on a loaded machine.
LOOPBACK = FeedPolicy(allow_http=True, allow_addresses={"loopback"}, total_timeout=10, read_timeout=5,
                      connect_timeout=5, max_bytes=200_000)


def read(url, policy=LOOPBACK, cache=None, decode=None, transport=None, now=None, offers=None):
    decode = decode or functools.partial(decode_catalogue, policy=policy)

    async def run():
        async with client_for(policy, transport=transport) as client:
            kwargs = {"now": now} if now else {}
            return await read_feed(client, url, decode, policy=policy, cache=cache, offers=offers, **kwargs)

    return run_async(run)


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"), ("172.16.0.1", "private"),
    ("192.168.1.1", "private"), ("fd00::1", "private"), ("169.254.169.254", "link_local"), ("fe80::1", "link_local"),
    ("::ffff:10.0.0.1", "private"), ("::ffff:127.0.0.1", "loopback"), ("0.0.0.0", "reserved"), ("224.0.0.1", "reserved"),
    ("100.64.0.1", "private"), ("8.8.8.8", None), ("2001:4860:4860::8888", None), ("193.166.3.2", None),
])
def test_addresses_are_classified_so_that_only_public_ones_pass_by_default(address, kind):
    assert address_kind(address) == kind


def test_plain_http_is_refused_unless_allowed_and_nothing_is_requested(server):
    server.routes["/feed.json"] = Feed.of(member_feed("m"))
    result = read(server.url("/feed.json"), FeedPolicy(allow_addresses={"loopback"}))
    assert result.status is FetchStatus.FAILED
    assert result.failure.code == "refused_scheme"
    assert "https" in result.failure.message.get("en")
    assert server.requests == []


def test_loopback_is_refused_unless_the_configuration_allows_it(server):
    server.routes["/feed.json"] = Feed.of(member_feed("m"))
    result = read(server.url("/feed.json"), FeedPolicy(allow_http=True))
    assert result.failure.code == "refused_address"
    assert "127.0.0.1" in result.failure.message.get("en")
    assert server.requests == []


def test_a_fresh_feed_is_decoded_and_kept_as_the_last_good_copy(server, tmp_path):
    server.routes["/feed.json"] = Feed.of(member_feed("m", 2))
    cache = FeedCache(tmp_path)
    result = read(server.url("/feed.json"), cache=cache)
    assert result.status is FetchStatus.FRESH
    assert [g["id"] for g in result.value["groups"]] == ["ryhma-0", "ryhma-1"]
    assert result.http_status == 200 and result.bytes_received > 0
    assert result.last_modified == dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)
    assert cache.load(server.url("/feed.json")).etag


def test_an_unchanged_feed_is_answered_304_and_read_from_the_copy(server, tmp_path):
    server.routes["/feed.json"] = Feed.of(member_feed("m", 2))
    cache = FeedCache(tmp_path)
    first = read(server.url("/feed.json"), cache=cache)
    second = read(server.url("/feed.json"), cache=cache)
    assert second.status is FetchStatus.NOT_MODIFIED
    assert second.value == first.value
    assert second.fetched_at == first.fetched_at  # the copy's age, not this run's
    last = server.requests_to("/feed.json")[-1]
    assert last.headers["If-None-Match"] and last.status == 304 and last.body_bytes == 0


def test_without_an_etag_if_modified_since_is_used(server, tmp_path):
    server.routes["/feed.json"] = Feed.of(member_feed("m"), etag=False)
    cache = FeedCache(tmp_path)
    read(server.url("/feed.json"), cache=cache)
    second = read(server.url("/feed.json"), cache=cache)
    assert second.status is FetchStatus.NOT_MODIFIED
    assert server.requests_to("/feed.json")[-1].headers["If-Modified-Since"] == "Mon, 02 Nov 2026 10:00:00 GMT"


@pytest.mark.parametrize("fault", [Status(500), Status(404), Feed(b"{not json"), Feed(b'{"groups": []}')],
                         ids=["500", "404", "invalid-json", "not-a-catalogue"])
def test_a_failing_feed_falls_back_to_the_last_good_copy_and_says_why(server, tmp_path, fault):
    url = server.url("/feed.json")
    cache = FeedCache(tmp_path)
    server.routes["/feed.json"] = Feed.of(member_feed("m", 2))
    good = read(url, cache=cache)
    server.routes["/feed.json"] = fault
    result = read(url, cache=cache)
    assert result.status is FetchStatus.FALLBACK
    assert result.value == good.value
    assert result.failure.code in {"http_status", "not_json", "not_a_catalogue"}
    assert result.failure.message.get("fi") and result.failure.message.get("en")
    # A broken answer never replaces the good copy, nor its validators.
    assert cache.load(url).body == json.dumps(member_feed("m", 2), ensure_ascii=False).encode()


def test_a_failing_feed_without_a_copy_fails_with_the_reason(server, tmp_path):
    server.routes["/feed.json"] = Status(503)
    result = read(server.url("/feed.json"), cache=FeedCache(tmp_path))
    assert result.status is FetchStatus.FAILED and result.value is None
    assert result.http_status is None or result.http_status == 503
    assert "503" in result.failure.message.get("en")


@pytest.mark.parametrize("fault", [Declared(10_000_000), Unsized(1_000_000), GzipBomb(5_000_000)],
                         ids=["declared-length", "chunked", "gzip-bomb"])
def test_a_body_over_the_byte_cap_is_refused_while_it_streams(server, fault):
    server.routes["/feed.json"] = fault
    result = read(server.url("/feed.json"))
    assert result.failure.code == "too_large"
    assert "MB" in result.failure.message.get("en")
    if isinstance(fault, GzipBomb):
        assert result.bytes_received < 200_000  # the compressed bytes: the cap counted what they unpack to


def test_an_endless_body_is_cut_off(server):
    server.routes["/feed.json"] = Endless(limit=6)
    result = read(server.url("/feed.json"), FeedPolicy(allow_http=True, allow_addresses={"loopback"}, total_timeout=1,
                                                        max_bytes=50_000_000))
    assert result.status is FetchStatus.FAILED
    assert result.failure.code == "timeout"


def test_a_server_that_never_answers_times_out(server):
    server.routes["/feed.json"] = Hang(limit=5)
    result = read(server.url("/feed.json"), attrs.evolve(LOOPBACK, total_timeout=2, read_timeout=1))
    assert result.failure.code == "timeout"
    assert "2 " in result.failure.message.get("en") or "timed out" in result.failure.message.get("en")


def test_a_redirect_to_a_private_address_is_refused_before_connecting(server):
    server.routes["/feed.json"] = Redirect("http://10.255.255.1/feed.json")
    transport = LoopbackOnly()
    result = read(server.url("/feed.json"), transport=transport)
    assert result.failure.code == "refused_address"
    assert "10.255.255.1" in result.failure.message.get("en")
    assert transport.hosts == ["127.0.0.1"]


class RebindingResolver:
    """A DNS name whose answer changes: a public address for the first question, the
    address behind it (the test server on 127.0.0.1) for every later one."""

    def __init__(self, name: str, public: str = "193.166.3.2") -> None:
        self.name, self.public, self.questions = name, public, 0
        self.real = socket.getaddrinfo

    def __call__(self, host, port, *args, **kwargs):
        if (host.decode("ascii") if isinstance(host, bytes) else host) != self.name:
            return self.real(host, port, *args, **kwargs)
        self.questions += 1
        address = self.public if self.questions == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, int(port)))]


def test_a_name_that_resolves_inside_after_the_check_is_refused_where_it_connects(server, monkeypatch):
    # DNS rebinding: the check before the request sees a public address; the connection
    # would have gone to 127.0.0.1, where an inside service (here the test server) answers.
    server.routes["/feed.json"] = Feed.of(member_feed("m"))
    resolver = RebindingResolver("feeds.rebinding.test")
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    url = server.url("/feed.json").replace("127.0.0.1", "feeds.rebinding.test")
    result = read(url, attrs.evolve(LOOPBACK, allow_addresses=frozenset()))
    assert result.status is FetchStatus.FAILED
    assert result.failure.code == "refused_address"
    assert "127.0.0.1" in result.failure.message.get("en") and "feeds.rebinding.test" in result.failure.message.get("en")
    assert resolver.questions == 2  # once for the check, once where the connection is made: no third answer used
    assert server.requests == []


def test_a_name_that_resolves_to_an_allowed_address_is_read_over_the_checked_connection(server, monkeypatch):
    server.routes["/feed.json"] = Feed.of(member_feed("m", 2))
    monkeypatch.setattr(socket, "getaddrinfo", RebindingResolver("feeds.loopback.test", public="127.0.0.1"))
    result = read(server.url("/feed.json").replace("127.0.0.1", "feeds.loopback.test"))
    assert result.status is FetchStatus.FRESH and len(result.value["groups"]) == 2
    assert server.requests[0].headers["Host"].startswith("feeds.loopback.test:")  # the name, not the address


def test_a_name_with_several_addresses_is_read_from_the_first_that_answers(server, monkeypatch):
    # 127.0.0.2 is allowed (loopback) but nothing listens there: the next address is tried.
    server.routes["/feed.json"] = Feed.of(member_feed("m", 1))

    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, int(port)))
                for address in ("127.0.0.2", "127.0.0.1")]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    result = read(server.url("/feed.json").replace("127.0.0.1", "feeds.two-addresses.test"))
    assert result.status is FetchStatus.FRESH and len(server.requests) == 1


def test_ipv4_addresses_are_tried_first_in_the_resolvers_order():
    from vertaistuki.feeds import _connect_order

    assert _connect_order(["2001:db8::1", "192.0.2.1", "2001:db8::2", "198.51.100.7"]) == [
        "192.0.2.1", "198.51.100.7", "2001:db8::1", "2001:db8::2"]


def test_the_address_check_reaches_the_http_librarys_connection_pool():
    # The check where connections are made is set on httpx's (private) connection pool:
    # an httpx release that moves it must fail here rather than drop the check in silence.
    async def backend():
        async with client_for(FeedPolicy()) as client:
            return client._transport._pool._network_backend

    assert type(run_async(backend)).__name__ == "_CheckedConnections"


def test_redirects_are_followed_a_few_times_at_most(server):
    server.routes["/a"] = Redirect("/b")
    server.routes["/b"] = Redirect("/feed.json")
    server.routes["/feed.json"] = Feed.of(member_feed("m"))
    assert read(server.url("/a")).status is FetchStatus.FRESH
    server.routes["/loop"] = Redirect("/loop")
    looping = read(server.url("/loop"))
    assert looping.failure.code == "too_many_redirects"
    assert len(server.requests_to("/loop")) == LOOPBACK.max_redirects + 1


def test_a_copy_older_than_max_stale_days_is_not_used(server, tmp_path):
    url = server.url("/feed.json")
    cache = FeedCache(tmp_path)
    server.routes["/feed.json"] = Feed.of(member_feed("m"))
    read(url, cache=cache)
    server.routes["/feed.json"] = Status(500)
    later = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(days=LOOPBACK.max_stale_days + 1)  # noqa: E731
    assert read(url, cache=cache, now=later).status is FetchStatus.FAILED
    assert read(url, cache=cache).status is FetchStatus.FALLBACK


def test_a_feed_that_suddenly_offers_nothing_is_held_back_for_a_while(server, tmp_path):
    """An export gone wrong that lists no groups must not empty the national listing (and
    send tombstones downstream) at once; an association that really closed everything
    is taken at its word after hold_emptied_days."""
    url = server.url("/feed.json")
    cache = FeedCache(tmp_path)
    server.routes["/feed.json"] = Feed.of(member_feed("m", 3))
    assert read(url, cache=cache, offers=catalogue_offers).status is FetchStatus.FRESH
    server.routes["/feed.json"] = Feed.of(member_feed("m", 0))
    held = read(url, cache=cache, offers=catalogue_offers)
    assert (held.status, held.failure.code, len(held.value["groups"])) == (FetchStatus.FALLBACK, "emptied", 3)
    assert "its last good copy offered 3" in held.failure.message.get("en") and held.failure.message.get("fi")
    week_later = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(days=LOOPBACK.hold_emptied_days)  # noqa: E731
    taken = read(url, cache=cache, offers=catalogue_offers, now=week_later)
    assert (taken.status, taken.value["groups"]) == (FetchStatus.FRESH, [])
    # now the empty feed is the last good copy: empty again is no news
    assert read(url, cache=cache, offers=catalogue_offers).status is FetchStatus.NOT_MODIFIED


def test_an_emptied_feed_is_taken_at_once_with_no_hold_or_no_earlier_copy(server, tmp_path):
    url = server.url("/feed.json")
    server.routes["/feed.json"] = Feed.of(member_feed("m", 0))
    assert read(url, cache=FeedCache(tmp_path / "new"), offers=catalogue_offers).status is FetchStatus.FRESH  # never offered
    cache = FeedCache(tmp_path / "old")
    server.routes["/feed.json"] = Feed.of(member_feed("m", 2))
    read(url, cache=cache, offers=catalogue_offers)
    server.routes["/feed.json"] = Feed.of(member_feed("m", 0))
    at_once = attrs.evolve(LOOPBACK, hold_emptied_days=0)
    assert read(url, policy=at_once, cache=cache, offers=catalogue_offers).status is FetchStatus.FRESH


def test_a_torn_cache_entry_is_no_copy(server, tmp_path):
    url = server.url("/feed.json")
    cache = FeedCache(tmp_path)
    server.routes["/feed.json"] = Feed.of(member_feed("m"))
    read(url, cache=cache)
    next(tmp_path.glob("*.body")).write_bytes(b'{"format": "vertaistuki/1"')
    assert cache.load(url) is None


def test_a_feed_with_more_records_than_the_cap_is_refused():
    policy = FeedPolicy(max_records=3)
    with pytest.raises(FeedRejected) as refused:
        decode_catalogue(json.dumps(member_feed("m", 3)).encode(), policy)  # 1 organisation + 1 place + 3 groups
    assert refused.value.failure.code == "too_many_records"
    assert decode_catalogue(json.dumps(member_feed("m", 1)).encode(), policy)["groups"]


def test_a_record_with_an_overlong_text_is_set_aside_and_the_rest_kept():
    feed = member_feed("m", 3)
    feed["groups"][1]["description"] = {"fi": "x" * 500}
    kept, origins, problems = set_aside_oversized(feed, FeedPolicy(max_field_length=100), "https://m.example/feed.json")
    assert [g["id"] for g in kept["groups"]] == ["ryhma-0", "ryhma-2"]
    assert origins[("groups", 1)].index == 2  # later problems still name the member's own index
    [problem] = problems
    assert (problem.record_id, problem.path, problem.code) == ("ryhma-1", "$.groups[1].description.fi", "field_too_long")
    assert "500" in problem.message.get("fi")


@pytest.mark.parametrize(("options", "en", "fi"), [
    ({"allow_http": "yes"}, 'option allow_http must be true or false (without quotes), not "yes"',
     'asetuksen allow_http pitää olla true tai false'),
    ({"total_timeout": -1}, "option total_timeout must be a number above zero, not -1",
     "asetuksen total_timeout pitää olla nollaa suurempi luku"),
    ({"allow_addresses": ["intranet"]}, 'option allow_addresses must be a list of some of "loopback", "private", "link_local"',
     "asetuksen allow_addresses pitää olla luettelo"),
    ({"max_bytes": 1.5}, "option max_bytes must be a whole number 1 or more, not 1.5", "asetuksen max_bytes pitää olla kokonaisluku"),
])
def test_policy_options_are_checked_with_the_key_named(options, en, fi):
    with pytest.raises(OptionError) as error:
        FeedPolicy.from_options(options)
    assert str(error.value).startswith(en) and error.value.fi.startswith(fi)
    assert error.value.name == next(iter(options))  # federation.toml's problem points at $.fetch.<name>


def test_options_that_are_not_a_policys_are_left_to_the_caller():
    policy = FeedPolicy.from_options({"cache": "somewhere", "concurrency": 4, "max_redirects": 0, "allow_addresses": []})
    assert (policy.max_redirects, policy.allow_addresses) == (0, frozenset())


def test_a_build_reads_an_https_style_feed_source_and_keeps_the_copy_when_it_fails(server, tmp_path):
    from vertaistuki.build import build
    from vertaistuki.config import read_config

    server.routes["/feed.json"] = Feed.of(member_feed("omaiset", 2))
    (tmp_path / "catalogue.toml").write_text(
        f'[[sources]]\npath = "{server.url("/feed.json")}"\n'
        f'options = {{ allow_http = true, allow_addresses = ["loopback"], cache = "{tmp_path / "cache"}" }}\n'
        '[[outputs]]\nrenderer = "json"\n', encoding="utf-8")
    config = read_config(tmp_path / "catalogue.toml")
    first = build(config, tmp_path / "out")
    assert [g.id for g in first.catalogue.groups] == ["ryhma-0", "ryhma-1"] and not first.errors
    server.routes["/feed.json"] = Status(502)
    second = build(config, tmp_path / "out")
    assert [g.id for g in second.catalogue.groups] == ["ryhma-0", "ryhma-1"]
    [warning] = [p for p in second.problems if p.code == "feed_fallback"]
    assert "502" in warning.message.get("en") and warning.source == server.url("/feed.json")
    # Without the options, plain http on loopback is refused and said so; nothing is published from it.
    (tmp_path / "catalogue.toml").write_text(f'[[sources]]\npath = "{server.url("/feed.json")}"\n', encoding="utf-8")
    refused = build(read_config(tmp_path / "catalogue.toml"), tmp_path / "out2")
    assert refused.catalogue.groups == ()
    [failed] = [p for p in refused.errors if p.code == "source_failed"]
    assert "only https" in failed.message.get("en")


def test_a_build_whose_feed_cache_cannot_be_written_still_uses_the_fresh_feed_and_says_so(server, tmp_path):
    from vertaistuki.build import build
    from vertaistuki.config import read_config

    server.routes["/feed.json"] = Feed.of(member_feed("omaiset", 2))
    (tmp_path / "cache").write_text("a file where the cache folder should be", encoding="utf-8")
    (tmp_path / "catalogue.toml").write_text(
        f'[[sources]]\npath = "{server.url("/feed.json")}"\n'
        f'options = {{ allow_http = true, allow_addresses = ["loopback"], cache = "{tmp_path / "cache" / "feeds"}" }}\n'
        '[[outputs]]\nrenderer = "json"\n', encoding="utf-8")
    result = build(read_config(tmp_path / "catalogue.toml"), tmp_path / "out")
    assert [g.id for g in result.catalogue.groups] == ["ryhma-0", "ryhma-1"] and not result.errors
    [warning] = [p for p in result.problems if p.code == "feed_cache_unwritable"]
    assert str(tmp_path / "cache" / "feeds") in warning.message.get("en") and warning.source == server.url("/feed.json")


def test_a_feed_can_be_read_from_code_that_already_runs_an_event_loop(server):
    """A notebook, an async web app or Playwright's sync API: asyncio.run() would fail."""
    server.routes["/feed.json"] = Feed.of(member_feed("m", 1))

    async def inside_a_loop():
        return read_feed_sync(server.url("/feed.json"), functools.partial(decode_catalogue, policy=LOOPBACK), policy=LOOPBACK)

    # A thread of its own, so that this test's loop is the only one (the browser tests'
    # Playwright loop may be running in the main thread).
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(lambda: asyncio.run(inside_a_loop())).result()
    assert result.status is FetchStatus.FRESH


# -- https, end to end: the checked connection still verifies the certificate ------------
TLS_NAME = "feeds.tls.test"


def _openssl(*arguments: str, cwd: Path) -> None:
    subprocess.run(["openssl", *arguments], cwd=cwd, check=True, capture_output=True)


def _certificate_authority(folder: Path, name: str) -> None:
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name}",
             "-keyout", f"{name}.key", "-out", f"{name}.pem", cwd=folder)


def _server_certificate(folder: Path, authority: str, host: str) -> tuple[Path, Path]:
    """A certificate for ``host`` signed by ``authority``; (certificate, key)."""
    stem = f"{host}-by-{authority}"
    (folder / f"{stem}.ext").write_text(f"subjectAltName=DNS:{host}\n", encoding="ascii")
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={host}", "-keyout", f"{stem}.key",
             "-out", f"{stem}.csr", cwd=folder)
    _openssl("x509", "-req", "-in", f"{stem}.csr", "-CA", f"{authority}.pem", "-CAkey", f"{authority}.key",
             "-CAcreateserial", "-days", "2", "-extfile", f"{stem}.ext", "-out", f"{stem}.pem", cwd=folder)
    return folder / f"{stem}.pem", folder / f"{stem}.key"


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory) -> Path:
    if shutil.which("openssl") is None:
        if os.environ.get("CI"):
            pytest.fail("the openssl command is missing, but CI must provide it (.ci/run installs it)")
        pytest.skip("the openssl command is needed to make test certificates (apt-get install -y openssl)")
    folder = tmp_path_factory.mktemp("tls")
    for authority in ("trusted-ca", "stranger-ca"):
        _certificate_authority(folder, authority)
    for authority, host in (("trusted-ca", TLS_NAME), ("trusted-ca", "other.example"), ("stranger-ca", TLS_NAME)):
        _server_certificate(folder, authority, host)
    return folder


@contextlib.contextmanager
def tls_server(tls_files: Path, authority: str, host: str, monkeypatch) -> Iterator[tuple[FeedServer, RebindingResolver]]:
    """An https feed host on 127.0.0.1 with a certificate for ``host`` by ``authority``,
    reached as https://feeds.tls.test/; the client trusts only trusted-ca (in place of
    the public authorities httpx takes from certifi)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tls_files / f"{host}-by-{authority}.pem", tls_files / f"{host}-by-{authority}.key")
    monkeypatch.setattr(certifi, "where", lambda: str(tls_files / "trusted-ca.pem"))
    resolver = RebindingResolver(TLS_NAME, public="127.0.0.1")
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with FeedServer(tls=context) as running:
        running.routes["/feed.json"] = Feed.of(member_feed("m", 2))
        yield running, resolver


HTTPS_LOOPBACK = attrs.evolve(LOOPBACK, allow_http=False)


def test_an_https_feed_is_read_over_the_checked_connection_with_its_certificate_verified(tls_files, monkeypatch):
    with tls_server(tls_files, "trusted-ca", TLS_NAME, monkeypatch) as (server, resolver):
        result = read(server.url("/feed.json").replace("127.0.0.1", TLS_NAME), HTTPS_LOOPBACK)
    assert result.status is FetchStatus.FRESH and len(result.value["groups"]) == 2
    assert resolver.questions == 2  # the check before the request, and the one where the connection was made
    assert server.requests[0].headers["Host"].startswith(f"{TLS_NAME}:")


@pytest.mark.parametrize(("authority", "host"), [("trusted-ca", "other.example"), ("stranger-ca", TLS_NAME)],
                         ids=["certificate for another name", "certificate by an unknown authority"])
def test_an_https_feed_whose_certificate_does_not_hold_is_refused_though_its_address_is_allowed(
        tls_files, monkeypatch, authority, host):
    # The connection goes to the checked address (127.0.0.1), not to the name: the name
    # must still be what the certificate is checked against, and by a known authority.
    with tls_server(tls_files, authority, host, monkeypatch) as (server, resolver):
        result = read(server.url("/feed.json").replace("127.0.0.1", TLS_NAME), HTTPS_LOOPBACK)
    assert result.status is FetchStatus.FAILED and result.failure.code == "certificate"
    assert result.failure.message.get("en").startswith("the server's certificate could not be verified")
    assert result.failure.message.get("fi").startswith("palvelimen varmennetta ei voitu tarkistaa")
    assert ("Hostname mismatch" if host != TLS_NAME else "unable to get local issuer") in result.failure.message.get("en")
    assert resolver.questions == 2 and server.requests == []  # refused in the handshake: nothing was asked

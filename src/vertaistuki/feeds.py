"""Reading catalogue feeds over HTTP without trusting the other end.

A federation reads hundreds of member feeds that it does not control. Any of them may
be down, slow, huge, endless, not JSON, or (through a redirect or a DNS name) point at
an address inside the federation's own network. So every fetch here:

- speaks https, and plain http only when the configuration allows it;
- refuses loopback, private, link-local and other non-public addresses unless allowed,
  checked again at every redirect hop (redirects are followed by hand, a few at most)
  and once more where the connection is made, to the very address that was checked: a
  name that resolves to a public address for the check and to an inside one a moment
  later ("DNS rebinding") is refused too;
- has a connect timeout and a *total* deadline, so a server that trickles bytes
  forever is cut off as surely as one that never answers;
- counts the bytes as they arrive, after decompression, and stops at a cap;
- sends ``If-None-Match`` / ``If-Modified-Since`` from the last good copy, so an
  unchanged feed costs a few hundred bytes;
- on any failure, falls back to the last good copy kept in a cache folder, and says so.

A copy becomes "good" only when the caller's ``decode`` accepted it: a feed that
answers 200 with broken JSON neither replaces the last good copy nor its validators.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import email.utils
import enum
import hashlib
import ipaddress
import json
import socket
import ssl
from collections.abc import Callable, Coroutine, Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import urljoin, urlsplit

import attrs
import httpcore
import httpx

from . import options as option_checks
from .atomic import write_atomic
from .documents import loads_json_bytes
from .model import COLLECTIONS, Text
from .problems import Problem, os_reason
from .validate import Origin, _raw_id

T = TypeVar("T")

#: Address kinds a configuration may allow; everything else that is not public is
#: always refused (unspecified, multicast, reserved).
ADDRESS_KINDS = ("loopback", "private", "link_local")
USER_AGENT = "vertaistuki-feed-reader (+https://example.invalid/vertaistuki)"


@attrs.frozen
class FeedPolicy:
    """Limits for reading feeds one does not control. The defaults suit a federation
    reading member associations' public feeds."""

    allow_http: bool = False
    allow_addresses: frozenset[str] = attrs.field(default=frozenset(), converter=frozenset)
    connect_timeout: float = 5.0
    read_timeout: float = 10.0  # longest silence between two chunks
    total_timeout: float = 30.0  # the whole fetch, redirects included
    max_bytes: int = 20 * 1024 * 1024  # after decompression
    max_redirects: int = 3
    max_records: int = 20_000
    max_field_length: int = 20_000  # characters in any one text value
    max_stale_days: int | None = 90  # last good copies older than this are not used
    # A feed that suddenly offers nothing (an export gone wrong, more often than an
    # association closing everything at once) is held back this long after its last
    # good copy, which stands in meanwhile; 0 accepts it at once. See read_feed's offers.
    hold_emptied_days: int = 7

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> FeedPolicy:
        """A policy from a ``catalogue.toml`` source's or ``federation.toml``'s
        ``[fetch]`` options: those that are a policy's (:data:`POLICY_OPTIONS`) are
        checked, the others belong to the caller, which checks their names.
        :class:`vertaistuki.options.OptionError` (a ValueError) names a wrong one."""
        values: dict[str, Any] = {}
        for name, value in options.items():
            if name in POLICY_OPTIONS:
                option_checks.require(name, value, POLICY_OPTIONS[name])
                values[name] = value
        return cls(**values)

    @allow_addresses.validator
    def _known_kinds(self, attribute, value) -> None:
        unknown = sorted(set(value) - set(ADDRESS_KINDS))
        if unknown:
            raise ValueError(f"unknown address kind {unknown[0]!r}; known: {', '.join(ADDRESS_KINDS)}")


#: What each of :class:`FeedPolicy`'s limits takes, as an option.
POLICY_OPTIONS: dict[str, option_checks.Check] = {
    "allow_http": option_checks.flag,
    "allow_addresses": option_checks.some_of(*ADDRESS_KINDS, may_be_empty=True),
    "connect_timeout": option_checks.positive_number,
    "read_timeout": option_checks.positive_number,
    "total_timeout": option_checks.positive_number,
    "max_bytes": option_checks.whole_number(1),
    "max_redirects": option_checks.whole_number(0),
    "max_records": option_checks.whole_number(1),
    "max_field_length": option_checks.whole_number(1),
    "max_stale_days": option_checks.whole_number(0),
    "hold_emptied_days": option_checks.whole_number(0),
}


class FetchStatus(enum.Enum):
    FRESH = "fresh"  # downloaded and accepted now
    NOT_MODIFIED = "not_modified"  # 304: the last good copy is current
    FALLBACK = "fallback"  # this fetch failed; the last good copy was used
    FAILED = "failed"  # this fetch failed and there is no usable copy


@attrs.frozen
class Failure:
    """Why a fetch did not give a usable feed, in words for the federation's editors."""

    code: str  # timeout, too_large, http_status, refused_address, refused_scheme, ...
    message: Text

    @classmethod
    def of(cls, code: str, fi: str, en: str) -> Failure:
        return cls(code, Text.of(fi=fi, en=en))


class FeedRejected(Exception):
    """Raised by a ``decode`` function: the body arrived but is not a usable feed."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message.get("en"))
        self.failure = failure


@attrs.frozen
class CachedCopy:
    body: bytes
    etag: str | None
    last_modified: str | None  # the server's header, sent back verbatim
    fetched_at: dt.datetime


class FeedCache:
    """The last good copy of each feed, with the validators to ask whether it changed.

    One body file and one small JSON file per URL, named by a hash of the URL, both
    written atomically so that a crash never leaves a half copy behind."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:40]
        return self.directory / f"{key}.body", self.directory / f"{key}.json"

    def load(self, url: str) -> CachedCopy | None:
        body_path, meta_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
            if meta.get("url") != url or hashlib.sha256(body).hexdigest() != meta.get("sha256"):
                return None  # a torn or foreign copy is no copy
            return CachedCopy(body, meta.get("etag"), meta.get("last_modified"), dt.datetime.fromisoformat(meta["fetched_at"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, url: str, copy: CachedCopy) -> None:
        body_path, meta_path = self._paths(url)
        write_atomic(body_path, copy.body)
        meta = {"url": url, "etag": copy.etag, "last_modified": copy.last_modified,
                "fetched_at": copy.fetched_at.isoformat(), "sha256": hashlib.sha256(copy.body).hexdigest()}
        write_atomic(meta_path, json.dumps(meta, indent=1).encode("utf-8"))


@attrs.frozen
class FeedRead(Generic[T]):
    """The outcome of reading one feed: the decoded value (fresh or the last good copy),
    how it was obtained, and what went wrong this time if anything did."""

    url: str
    status: FetchStatus
    value: T | None = None
    fetched_at: dt.datetime | None = None  # when the copy in use was downloaded
    last_modified: dt.datetime | None = None
    failure: Failure | None = None
    http_status: int | None = None
    bytes_received: int = 0  # bytes on the wire this run (compressed, headers excluded)
    cache_failure: Failure | None = None  # the fresh copy is in use but could not be kept as the last good one

    @property
    def usable(self) -> bool:
        return self.value is not None


def address_kind(address: str) -> str | None:
    """``None`` for a public address; else its kind ("loopback", "private",
    "link_local", or "reserved" for addresses that are never fetched)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link_local"
    if ip.is_unspecified or ip.is_multicast or ip.is_reserved:
        return "reserved"
    if ip.is_private or not ip.is_global:
        return "private"
    return None


async def _refusal(url: str, policy: FeedPolicy) -> Failure | None:
    """Why ``url`` may not be fetched under ``policy``, or None. Resolves the host and
    checks every address it resolves to."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or (scheme == "http" and not policy.allow_http):
        allowed = "https tai http" if policy.allow_http else "vain https"
        return Failure.of("refused_scheme", f"osoite {url} ei käy: {allowed} on sallittu",
                          f"address {url} refused: {'https or http' if policy.allow_http else 'only https'} is allowed")
    host = parts.hostname
    if not host:
        return Failure.of("bad_url", f"osoitteesta {url} puuttuu palvelin", f"address {url} has no host")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        return Failure.of("bad_url", f"osoitteen {url} portti on virheellinen", f"address {url} has a bad port")
    try:
        addresses = await _addresses(host, port)
    except OSError as error:
        return Failure.of("dns", f"palvelimen {host} nimeä ei löydy: {error}", f"cannot resolve {host}: {error}")
    return _address_refusal(url, addresses, policy)


async def _addresses(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, each once, in the resolver's order (an
    address is itself); ``OSError`` when it does not resolve."""
    if _is_ip(host):
        return [host]
    found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in found))


def _address_refusal(where: str, addresses: list[str], policy: FeedPolicy) -> Failure | None:
    """Why one of the ``addresses`` that ``where`` leads to may not be connected to, or None."""
    for address in addresses:
        kind = address_kind(address)
        if kind is not None and kind not in policy.allow_addresses:
            return Failure.of("refused_address", f"osoite {where} johtaa sisäverkon osoitteeseen {address} ({kind}), jota ei sallita",
                              f"address {where} leads to a non-public address {address} ({kind}), which is not allowed")
    return None


class _CheckedConnections(httpcore.AsyncNetworkBackend):
    """Connects only to addresses the policy allows, checked where the connection is
    made. :func:`_refusal` resolves a feed's host before the request; the HTTP library
    would resolve it again to connect, and a name whose answers change in between (a
    short-lived DNS record, "DNS rebinding") could then lead inside the federation's
    network. Here the name is resolved once, every address is checked, and the
    connection goes to a checked address itself. TLS still verifies the certificate
    against the host name: httpcore starts TLS with the request's host, not the address."""

    def __init__(self, policy: FeedPolicy, inner: httpcore.AsyncNetworkBackend) -> None:
        self.policy = policy
        self.inner = inner

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                          socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await _addresses(host, port)
        except OSError as error:
            raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from error
        refusal = _address_refusal(f"{host}:{port}", addresses, self.policy)
        if refusal is not None:
            raise _Refused(refusal)
        last_error: Exception = httpcore.ConnectError(f"{host} has no addresses")
        for address in _connect_order(addresses):
            try:
                return await self.inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                    socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last_error = error
        raise last_error

    async def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None
                                  ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("feeds are read over TCP only")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def _connect_order(addresses: list[str]) -> list[str]:
    """IPv4 addresses first, each family in the resolver's order. The addresses are tried
    one after another (a name resolved again to race them, as HTTP libraries do, could
    answer differently): where IPv6 is routed but goes nowhere, as on some networks, an
    IPv6-first order would wait out the connect timeout on every fetch of a dual-stack
    host, while a missing IPv4 route fails at once."""
    return sorted(addresses, key=lambda address: ":" in address)


def checked_transport(policy: FeedPolicy, limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """httpx's own transport (TLS verified, no proxies from the environment), connecting
    only to addresses ``policy`` allows (:class:`_CheckedConnections`)."""
    transport = httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
    # httpx takes no network backend of its own choosing; its connection pool (httpcore)
    # does. tests/test_feeds.py checks that this still reaches the pool, so an httpx
    # release that moves it fails the tests rather than losing the check in silence.
    pool = transport._pool
    pool._network_backend = _CheckedConnections(policy, pool._network_backend)
    return transport


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def _certificate_failure(error: httpx.HTTPError) -> Failure | None:
    """A TLS certificate that did not hold, in words for whoever keeps the member list
    (the library's own words after them, for the member's web host), or None."""
    cause: BaseException | None = error
    while cause is not None and not isinstance(cause, ssl.SSLCertVerificationError):
        cause = cause.__cause__ or cause.__context__
    if cause is None:
        return None
    detail = cause.verify_message or str(cause)
    return Failure.of("certificate",
                      f"palvelimen varmennetta ei voitu tarkistaa, joten syötettä ei luettu: osoite voi olla väärä tai "
                      f"varmenne vanhentunut tai tehty toiselle nimelle ({detail})",
                      f"the server's certificate could not be verified, so the feed was not read: the address may be "
                      f"wrong, or the certificate expired or made for another name ({detail})")


def _http_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def client_for(policy: FeedPolicy, *, concurrency: int = 16, transport: httpx.AsyncBaseTransport | None = None
               ) -> httpx.AsyncClient:
    """An HTTP client for :func:`read_feed`: redirects off (followed by hand, checked at
    each hop), connections only to addresses the policy allows (checked again as they
    are made), no proxies or .netrc from the environment, gzip/deflate accepted.
    ``transport`` replaces the HTTP transport (tests); then only the checks before each
    request apply."""
    timeout = httpx.Timeout(connect=policy.connect_timeout, read=policy.read_timeout,
                            write=policy.read_timeout, pool=policy.total_timeout)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False,
                             transport=transport or checked_transport(policy, limits),
                             headers={"User-Agent": USER_AGENT, "Accept": "application/json"})


@attrs.frozen
class _Download:
    status: int
    body: bytes | None
    etag: str | None
    last_modified: str | None
    received: int


class _Refused(Exception):
    def __init__(self, failure: Failure, received: int = 0) -> None:
        self.failure = failure
        self.received = received


async def _download(client: httpx.AsyncClient, url: str, policy: FeedPolicy, cached: CachedCopy | None) -> _Download:
    headers = {}
    if cached is not None:
        if cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
    received = 0
    current = url
    for _hop in range(policy.max_redirects + 1):
        refusal = await _refusal(current, policy)
        if refusal is not None:
            raise _Refused(refusal, received)
        async with client.stream("GET", current, headers=headers) as response:
            if response.is_redirect and "location" in response.headers:
                received += response.num_bytes_downloaded
                current = urljoin(current, response.headers["location"])
                continue
            if response.status_code == 304:
                return _Download(304, None, None, None, received + response.num_bytes_downloaded)
            if response.status_code != 200:
                raise _Refused(Failure.of("http_status", f"palvelin vastasi {response.status_code}",
                                          f"the server answered {response.status_code}"),
                               received + response.num_bytes_downloaded)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > policy.max_bytes:
                raise _Refused(_too_large(policy), received)
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():  # decompressed: a gzip bomb stops here too
                size += len(chunk)
                if size > policy.max_bytes:
                    raise _Refused(_too_large(policy), received + response.num_bytes_downloaded)
                chunks.append(chunk)
            return _Download(200, b"".join(chunks), response.headers.get("etag"), response.headers.get("last-modified"),
                             received + response.num_bytes_downloaded)
    raise _Refused(Failure.of("too_many_redirects", f"yli {policy.max_redirects} uudelleenohjausta",
                              f"more than {policy.max_redirects} redirects"), received)


def _too_large(policy: FeedPolicy) -> Failure:
    megabytes = policy.max_bytes / 1_000_000
    return Failure.of("too_large", f"syöte on suurempi kuin sallittu {megabytes:g} Mt", f"the feed is larger than the allowed {megabytes:g} MB")


async def read_feed(
    client: httpx.AsyncClient,
    url: str,
    decode: Callable[[bytes], T],
    *,
    policy: FeedPolicy,
    cache: FeedCache | None = None,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    offers: Callable[[T], int] | None = None,
) -> FeedRead[T]:
    """Fetch ``url`` under ``policy`` and decode it; never raises for the feed's faults.

    ``decode`` turns the body into a value or raises :class:`FeedRejected`; only an
    accepted body is stored as the new last good copy. ``offers`` counts what a value
    offers (a catalogue's groups, services and events): a feed that offers nothing
    where its last good copy offered something is refused as ``emptied`` for
    ``policy.hold_emptied_days`` after that copy, which stands in meanwhile."""
    cached = cache.load(url) if cache is not None else None
    started = now()
    if cached is not None and policy.max_stale_days is not None and started - cached.fetched_at > dt.timedelta(days=policy.max_stale_days):
        cached = None  # too old to stand in for a feed that keeps failing
    received = 0
    http_status = None
    try:
        async with asyncio.timeout(policy.total_timeout):
            download = await _download(client, url, policy, cached)
        received, http_status = download.received, download.status
        if download.status == 304:
            if cached is None:
                raise _Refused(Failure.of("not_modified_without_copy", "palvelin vastasi 304, mutta aiempaa kopiota ei ole",
                                          "the server answered 304 but there is no earlier copy"), received)
            value = decode(cached.body)
            return FeedRead(url, FetchStatus.NOT_MODIFIED, value, cached.fetched_at, _http_date(cached.last_modified),
                            http_status=304, bytes_received=received)
        assert download.body is not None
        value = decode(download.body)
        if offers is not None and cached is not None and offers(value) == 0:
            _refuse_if_emptied(offers, decode, cached, started, policy)
        cache_failure = None
        if cache is not None:
            try:
                cache.store(url, CachedCopy(download.body, download.etag, download.last_modified, started))
            except OSError as error:  # a full disk, say: this run has the feed; a later failing one has no copy
                reason = os_reason(error)
                cache_failure = Failure.of(
                    "cache_unwritable", f"viimeisintä toimivaa kopiota ei voitu tallentaa kansioon {cache.directory} ({reason})",
                    f"the last good copy could not be saved in {cache.directory} ({reason})")
        return FeedRead(url, FetchStatus.FRESH, value, started, _http_date(download.last_modified),
                        http_status=200, bytes_received=received, cache_failure=cache_failure)
    except _Refused as refused:
        failure, received = refused.failure, refused.received
    except FeedRejected as rejected:
        failure = rejected.failure
    except TimeoutError:
        failure = Failure.of("timeout", f"syöte ei valmistunut {policy.total_timeout:g} sekunnissa",
                             f"the feed did not arrive within {policy.total_timeout:g} seconds")
    except httpx.TimeoutException as error:
        failure = Failure.of("timeout", f"aikakatkaisu: {type(error).__name__}", f"timed out: {type(error).__name__}")
    except httpx.HTTPError as error:
        failure = _certificate_failure(error) or Failure.of(
            "network", f"yhteysvirhe: {type(error).__name__}: {error}", f"connection failed: {type(error).__name__}: {error}")
    return _fallback(url, decode, cached, failure, http_status, received)


def _refuse_if_emptied(offers: Callable[[Any], int], decode: Callable[[bytes], Any], cached: CachedCopy,
                       started: dt.datetime, policy: FeedPolicy) -> None:
    held = dt.timedelta(days=policy.hold_emptied_days)
    if started - cached.fetched_at >= held:
        return  # held long enough: an association may really have closed everything
    try:
        before = offers(decode(cached.body))
    except FeedRejected:
        return
    if before:
        until = (cached.fetched_at + held).date().isoformat()
        raise FeedRejected(Failure.of(
            "emptied", f"syötteessä ei ole yhtään ryhmää, palvelua eikä tapahtumaa, vaikka viimeisimmässä toimivassa kopiossa oli {before}; "
                       f"jos ne on todella poistettu, tyhjä syöte otetaan käyttöön {until}",
            f"the feed offers no groups, services or events, though its last good copy offered {before}; "
            f"if they were really removed, the empty feed is taken on {until}"))


def _fallback(url: str, decode: Callable[[bytes], Any], cached: CachedCopy | None, failure: Failure,
              http_status: int | None, received: int) -> FeedRead:
    if cached is not None:
        try:
            value = decode(cached.body)
        except FeedRejected:
            value = None  # a copy the current rules no longer accept (e.g. a lower cap)
        if value is not None:
            return FeedRead(url, FetchStatus.FALLBACK, value, cached.fetched_at, _http_date(cached.last_modified),
                            failure, http_status, received)
    return FeedRead(url, FetchStatus.FAILED, None, None, None, failure, http_status, received)


def run_async(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion from synchronous code, also when the calling thread
    already runs an event loop (a notebook, a web app, Playwright's sync API): then it
    runs on a loop of its own in a worker thread, instead of failing."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="vertaistuki-feeds") as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def read_feed_sync(url: str, decode: Callable[[bytes], T], *, policy: FeedPolicy, cache: FeedCache | None = None,
                   offers: Callable[[T], int] | None = None) -> FeedRead[T]:
    """:func:`read_feed` for one feed from synchronous code (the ``http`` source)."""

    async def run() -> FeedRead[T]:
        async with client_for(policy, concurrency=1) as client:
            return await read_feed(client, url, decode, policy=policy, cache=cache, offers=offers)

    return run_async(run)


# --- vertaistuki catalogue feeds -------------------------------------------------------

def decode_catalogue(body: bytes, policy: FeedPolicy) -> dict[str, Any]:
    """A vertaistuki feed (``catalogue.json``) as plain data, or :class:`FeedRejected`.

    Only what makes the whole feed unusable is refused here (not JSON, not a catalogue,
    more records than the cap); a bad record is the validator's business, and a record
    with an over-long field is set aside by :func:`set_aside_oversized`."""
    try:
        data = loads_json_bytes(body)  # json.loads' result and errors, in less memory
    except (ValueError, RecursionError) as error:
        raise FeedRejected(Failure.of("not_json", f"syöte ei ole kelvollista JSONia: {error}",
                                      f"the feed is not valid JSON: {error}")) from None
    if not isinstance(data, dict) or not str(data.get("format", "")).startswith("vertaistuki/"):
        raise FeedRejected(Failure.of("not_a_catalogue", "syöte ei ole vertaistuki-luettelo (format: vertaistuki/1)",
                                      "the feed is not a vertaistuki catalogue (format: vertaistuki/1)"))
    count = sum(len(value) for key in COLLECTIONS if isinstance(value := data.get(key), list))
    if count > policy.max_records:
        raise FeedRejected(Failure.of("too_many_records", f"syötteessä on {count} tietuetta, enintään {policy.max_records} sallitaan",
                                      f"the feed has {count} records; at most {policy.max_records} are allowed"))
    return data


def catalogue_offers(data: dict[str, Any]) -> int:
    """How many groups, services and events a decoded catalogue feed offers (its
    organisations and places alone offer nothing to a visitor)."""
    return sum(len(value) for key in ("groups", "services", "events") if isinstance(value := data.get(key), list))


def longest_text(value: Any, path: str = "$") -> tuple[int, str]:
    """The length and path of the longest string anywhere in ``value``."""
    if isinstance(value, str):
        return len(value), path
    best = (0, path)
    if isinstance(value, dict):
        items = ((f"{path}.{key}", item) for key, item in value.items())
    elif isinstance(value, list):
        items = ((f"{path}[{index}]", item) for index, item in enumerate(value))
    else:
        return best
    for where, item in items:
        found = longest_text(item, where)
        if found[0] > best[0]:
            best = found
    return best


def set_aside_oversized(data: dict[str, Any], policy: FeedPolicy, label: str):
    """Leave out records holding a text longer than ``policy.max_field_length`` (one
    runaway description must not cost the feed, nor fill the listing), reporting each.

    Returns the data without them, the :class:`~vertaistuki.validate.Origin` of each
    kept record (so later problems still point at the member's own index) and the
    problems."""
    kept = dict(data)
    origins: dict[tuple[str, int], Origin] = {}
    problems: list[Problem] = []
    for collection in COLLECTIONS:
        records = data.get(collection)
        if not isinstance(records, list):
            continue
        survivors = []
        for index, record in enumerate(records):
            length, where = longest_text(record, f"$.{collection}[{index}]")
            if length > policy.max_field_length:
                problems.append(Problem.error(
                    label, where, f"teksti on liian pitkä ({length} merkkiä, enintään {policy.max_field_length}); tietue jätettiin pois",
                    f"text too long ({length} characters, at most {policy.max_field_length}); the record was left out",
                    record_id=_raw_id(record), code="field_too_long"))
                continue
            origins[(collection, len(survivors))] = Origin(label, index)
            survivors.append(record)
        kept[collection] = survivors
    return kept, origins, problems

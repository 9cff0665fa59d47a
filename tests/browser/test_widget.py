"""The HTML listing in real headless Chromium: accessibility (axe-core), JavaScript off,
keyboard, hostile data, the enhancement module's filters, URL and announcements."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from browser.harness import describe_violations
from vertaistuki.build import build
from vertaistuki.config import BuildConfig, OutputSpec, SourceSpec
from vertaistuki.listing import Query
from vertaistuki.serve import PreviewApp

TODAY = dt.date(2026, 11, 23)  # Monday; the browser clock is fixed to the same week
NOW = dt.datetime(2026, 11, 23, 10, 0)
HOSTILE = ("<img src=x onerror=alert(1)>", '"><script>alert(2)</script>', "{{7*7}}")


def _group(number: int, municipality_place: str, **extra) -> dict:
    days = ["MO", "TU", "WE", "TH", "FR"]
    return {"id": f"g{number}", "organiser": "yhdistys", "openness": "open" if number % 2 else "closed",
            "name": {"fi": f"Ryhmä {number}", "sv": f"Grupp {number}"},
            "topics": [["stress", "pain", "insomnia"][number % 3]],
            "channels": [{"kind": "in_person", "place": municipality_place}],
            "schedule": {"rrule": f"FREQ=WEEKLY;BYDAY={days[number % 5]}", "start_time": f"{10 + number}:00",
                         "season": {"start": "2026-12-07" if number == 3 else "2026-08-01", "end": "2027-05-31"}},
            "fee": {"kind": "free"} if number % 3 else {"kind": "self_payment", "amount": 5}, **extra}


def catalogue(hostile: str | None = None) -> dict:
    groups = [_group(n, "talo" if n < 4 else "kirjasto") for n in range(1, 7)]
    groups.append({"id": "verkko", "organiser": "yhdistys", "openness": "open", "nationwide": True,
                   "name": {"fi": "Verkkoryhmä", "sv": "Nätgrupp"},
                   "channels": [{"kind": "online", "url": "https://example.fi/chat"}]})
    if hostile:
        groups[0] |= {"name": {"fi": hostile, "sv": hostile}, "description": {"fi": hostile}}
    return {
        "source": "testi", "publisher": "yhdistys", "name": {"fi": "Testiyhdistyksen ryhmät", "sv": "Testföreningens grupper"},
        "organisations": [{"id": "yhdistys", "kind": "association", "name": {"fi": hostile or "Yhdistys ry", "sv": "Förening rf"},
                           "contact": {"email": "info@example.fi"}}],
        "places": [{"id": "talo", "name": {"fi": hostile or "Järjestötalo"}, "municipality": {"fi": "Tampere", "sv": "Tammerfors"},
                    "accessibility": {"step_free_entrance": True}},
                   {"id": "kirjasto", "name": {"fi": "Kirjasto"}, "municipality": {"fi": "Oulu", "sv": "Uleåborg"}}],
        "groups": groups,
        "services": [{"id": "paivystys", "kind": "drop_in", "organiser": "yhdistys",
                      "name": {"fi": "Päivystys", "sv": "Jour"}, "channels": [{"kind": "in_person", "place": "talo"}],
                      "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=TH", "start_time": "12:00", "end_time": "14:30",
                                   "skip_public_holidays": True},
                      "status": {"state": "suspended", "reason": {"fi": "Tilat remontissa", "sv": "Lokalerna renoveras"}}}],
    }


def build_site(folder: Path, data: dict, **options) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "catalogue.json").write_text(json.dumps(data), encoding="utf-8")
    settings = "".join(f", {name} = {value}" for name, value in options.items())
    (folder / "catalogue.toml").write_text(
        '[[sources]]\npath = "catalogue.json"\n\n[[outputs]]\nrenderer = "html"\n'
        f'options = {{ languages = ["fi", "sv"]{settings} }}\n', encoding="utf-8")
    config = BuildConfig(path=folder / "catalogue.toml", sources=(SourceSpec("catalogue.json"),),
                         outputs=(OutputSpec("html", {"languages": ["fi", "sv"], **options}),))
    result = build(config, folder / "dist", today=TODAY)
    assert not result.errors, result.errors
    return folder / "dist"


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("widget"), catalogue())


@pytest.fixture
def site(site_dir, serve_directory):
    return serve_directory(site_dir)


def open_listing(new_page, url: str, **page_options):
    watch = new_page(**page_options)
    if page_options.get("javascript", True):
        watch.page.clock.set_fixed_time(NOW)
    watch.page.goto(url)
    if page_options.get("javascript", True):
        watch.page.wait_for_selector("[data-vt-enhanced]", state="attached")
    return watch


def visible_cards(page) -> list[str]:
    return page.eval_on_selector_all(".vt-card", "cards => cards.filter(c => c.isConnected && !c.hidden"
                                                 " && c.offsetParent !== null).map(c => c.id)")


# -- accessibility ----------------------------------------------------------------------
@pytest.mark.parametrize(("path", "width"), [
    ("widget/fi/index.html", 1024),
    ("widget/sv/index.html", 1024),
    ("widget/fi/index.html?topic=stress&free=1", 1024),
    ("widget/sv/index.html?q=ingenting-sådant", 1024),
    ("widget/fi/index.html", 320),
    ("widget/sv/oulu.html", 320),
])
def test_axe_finds_no_wcag_21_aa_violations(site, new_page, axe, path, width):
    watch = open_listing(new_page, site.url + path, width=width)
    violations = axe(watch.page)
    assert violations == [], describe_violations(violations)
    watch.assert_clean()  # and nothing broke the strict CSP


def test_no_horizontal_scrolling_at_320_px(site, new_page):
    watch = open_listing(new_page, site.url + "widget/fi/index.html", width=320)
    assert watch.page.evaluate("document.documentElement.scrollWidth") <= 320


# -- JavaScript off ---------------------------------------------------------------------
def test_without_javascript_every_record_is_visible(site, new_page):
    watch = open_listing(new_page, site.url + "widget/fi/index.html", javascript=False)
    assert len(visible_cards(watch.page)) == 8  # 7 groups and the drop-in service
    assert watch.page.text_content("[role=status]") == "8 tulosta"


def serve_preview(site_dir: Path) -> Iterator[str]:
    """``vertaistuki serve``'s application for the site's configuration on a free port
    (the GET form answered server-side); yields its address."""
    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    with PreviewApp(site_dir.parent / "catalogue.toml", today=lambda: TODAY, log=lambda message: None) as app:
        server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}/"
        server.shutdown()
        server.server_close()


@pytest.fixture
def preview(site_dir):
    yield from serve_preview(site_dir)


def test_without_javascript_the_filter_form_works(preview, new_page):
    watch = open_listing(new_page, preview + "widget/fi/index.html", javascript=False)
    page = watch.page
    page.select_option("#vt-municipality", "oulu")
    page.check("#vt-free")
    page.click("button[type=submit]")
    page.wait_for_url("**municipality=oulu**")
    shown = visible_cards(page)
    assert shown and set(shown) == {"vt-testi-g4", "vt-testi-g5", "vt-testi-verkko"}
    assert page.text_content("[role=status]") == "3 tulosta"
    assert page.input_value("#vt-municipality") == "oulu" and page.is_checked("#vt-free")
    page.fill("#vt-q", "ei mitään tällaista")
    page.click("button[type=submit]")
    page.wait_for_url("**q=**")
    assert visible_cards(page) == [] and page.is_visible("[data-vt-empty]")


# -- keyboard ---------------------------------------------------------------------------
def test_keyboard_alone_reaches_and_operates_every_filter_with_visible_focus(site, new_page):
    watch = open_listing(new_page, site.url + "widget/fi/index.html")
    page = watch.page
    controls = page.eval_on_selector_all("[data-vt-filters] input, [data-vt-filters] select, [data-vt-filters] button",
                                         "els => els.map(e => e.id || e.type)")
    reached, outlines = [], {}
    for _ in range(len(controls) + 15):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            return [e.id || e.type, s.outlineStyle, s.outlineWidth]; }""")
        reached.append(focused[0])
        outlines[focused[0]] = focused[1:]
    for control in controls:
        assert control in reached, f"{control} cannot be reached with Tab"
        style, width = outlines[control]
        assert style != "none" and width != "0px", f"{control} has no visible focus"
    page.focus("#vt-topic")
    page.keyboard.press("ArrowDown")  # the first topic
    page.wait_for_function("() => location.search.includes('topic=')")
    topic_count = page.text_content("[role=status]")
    page.focus("#vt-free")
    page.keyboard.press("Space")
    page.wait_for_function("() => location.search.includes('free=1')")
    assert page.text_content("[role=status]") != "8 tulosta" and topic_count != "8 tulosta"
    assert page.evaluate("document.activeElement.id") == "vt-free"  # the announcement did not move focus


# -- hostile data -----------------------------------------------------------------------
@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_renders_as_text_and_runs_nothing(tmp_path, serve_directory, new_page, payload):
    site = serve_directory(build_site(tmp_path, catalogue(hostile=payload)))
    for language in ("fi", "sv"):
        watch = open_listing(new_page, site.url + f"widget/{language}/index.html")
        page = watch.page
        assert page.locator("#vt-testi-g1-name").text_content() == payload
        assert page.locator(".vt-card img").count() == 0
        page.fill("#vt-q", payload)  # and typed into the search box it is just text, in the URL too
        page.wait_for_function("() => location.search.includes('q=')")
        assert payload not in page.evaluate("location.search")
        assert page.evaluate("document.title").startswith("Test")
        watch.assert_clean()  # no dialog, no error, no CSP violation


# -- the module's filters ----------------------------------------------------------------
QUERIES = [
    {}, {"q": "ryhmä 4"}, {"q": "GRUPP"}, {"municipality": "tampere"}, {"municipality": "oulu", "openness": "open"},
    {"topic": "pain"}, {"day": "we"}, {"time": "afternoon"}, {"free": "1"}, {"channel": "online"},
    {"week": "1"}, {"openness": "closed", "free": "1"}, {"q": "zzz"},
]


def test_the_module_filters_exactly_as_the_server_does(site_dir, site, new_page):
    from vertaistuki.default_plugins.html_widget import Listing
    from vertaistuki.loading import load_data
    from vertaistuki.privacy import publishable

    data = json.loads((site_dir.parent / "catalogue.json").read_text(encoding="utf-8"))
    listing = Listing(publishable(load_data(data).catalogue, TODAY), "fi", TODAY)
    watch = open_listing(new_page, site.url + "widget/fi/index.html")
    for params in QUERIES:
        expected = {f"vt-{card['anchor']}" for card in listing.cards
                    if Query.from_params(params).matches(card["facets"], TODAY)}
        search = "&".join(f"{name}={value}" for name, value in params.items())
        watch.page.goto(site.url + "widget/fi/index.html" + (f"?{search}" if search else ""))
        watch.page.wait_for_selector("[data-vt-enhanced]", state="attached")
        assert set(visible_cards(watch.page)) == expected, params
    assert len(QUERIES) > 10


def test_choices_update_the_url_and_announce_the_count(site, new_page):
    watch = open_listing(new_page, site.url + "widget/fi/index.html")
    page = watch.page
    status = page.locator("[role=status]")
    assert status.text_content() == "8 tulosta"
    page.select_option("#vt-municipality", "oulu")
    page.wait_for_function("() => location.search === '?municipality=oulu'")
    assert status.text_content() == "4 tulosta"  # g4, g5, g6 and the nationwide online group
    page.fill("#vt-q", "ryhmä 5")
    page.wait_for_function("() => document.querySelector('[role=status]').textContent === '1 tulos'")
    assert page.evaluate("document.activeElement.id") == "vt-q"
    deep_link = page.url
    other = open_listing(new_page, deep_link)  # a shared link opens with the same choices
    assert other.page.input_value("#vt-q") == "ryhmä 5" and visible_cards(other.page) == ["vt-testi-g5"]
    page.click(".vt-clear")
    page.wait_for_function("() => location.search === ''")
    assert status.text_content() == "8 tulosta"


def test_long_results_show_more_on_request(tmp_path, serve_directory, new_page):
    site = serve_directory(build_site(tmp_path, catalogue(), page_size=3))
    watch = open_listing(new_page, site.url + "widget/fi/index.html")
    page = watch.page
    assert len(visible_cards(page)) == 4  # 3 groups + the one service
    more = page.locator(".vt-more")
    assert more.count() == 1 and more.text_content() == "Näytä 3 lisää"
    more.click()
    assert len(visible_cards(page)) == 7
    more.click()
    assert len(visible_cards(page)) == 8 and not more.is_visible()
    # the button left with the last page: focus went to the first card it revealed, not to <body>
    assert page.evaluate("document.activeElement.id") == "vt-testi-verkko"
    assert page.text_content("[role=status]") == "8 tulosta"


def test_the_page_makes_no_third_party_requests_and_stores_nothing(site, new_page):
    watch = open_listing(new_page, site.url + "widget/fi/index.html")
    watch.page.select_option("#vt-topic", "pain")
    watch.page.wait_for_function("() => location.search.includes('topic')")
    assert all(path.startswith(("/widget/", "/favicon")) for path in site.requests)
    assert watch.page.context.cookies() == []
    assert watch.page.evaluate("localStorage.length + sessionStorage.length") == 0


# -- a listing too large for one page: a directory of the municipality pages ----------
@pytest.fixture(scope="module")
def directory_dir(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("directory"), catalogue(), directory_above=5)


@pytest.mark.parametrize(("path", "width"), [("widget/fi/index.html", 1024), ("widget/sv/index.html", 320),
                                             ("widget/fi/tampere.html", 1024)])
def test_a_directory_and_its_municipality_pages_have_no_wcag_21_aa_violations(directory_dir, serve_directory, new_page,
                                                                              axe, path, width):
    site = serve_directory(directory_dir)
    watch = new_page(width=width)
    watch.page.goto(site.url + path)
    watch.page.wait_for_load_state("load")
    violations = axe(watch.page)
    assert violations == [], describe_violations(violations)
    watch.assert_clean()
    assert watch.page.evaluate("document.documentElement.scrollWidth") <= width


def test_on_a_municipality_page_another_municipality_opens_its_own_page_when_the_listing_is_a_directory(
        directory_dir, serve_directory, new_page):
    site = serve_directory(directory_dir)
    page = open_listing(new_page, site.url + "widget/fi/tampere.html").page
    page.check("#vt-free")
    page.wait_for_function("() => location.search.includes('free=1')")
    page.select_option("#vt-municipality", "oulu")
    page.wait_for_url("**/widget/fi/oulu.html?municipality=oulu&free=1")  # not the directory, and the choices kept
    page.wait_for_selector("[data-vt-enhanced]", state="attached")
    assert page.input_value("#vt-municipality") == "oulu" and page.is_checked("#vt-free")
    assert set(visible_cards(page)) == {"vt-testi-g4", "vt-testi-g5", "vt-testi-verkko"}


def test_without_javascript_a_directory_answers_the_form_with_the_chosen_municipality_page(directory_dir, new_page):
    for address in serve_preview(directory_dir):
        page = open_listing(new_page, address + "widget/fi/tampere.html", javascript=False).page
        page.select_option("#vt-municipality", "oulu")
        page.check("#vt-free")
        page.click("button[type=submit]")
        page.wait_for_url("**/widget/fi/index.html?*municipality=oulu*")
        assert set(visible_cards(page)) == {"vt-testi-g4", "vt-testi-g5", "vt-testi-verkko"}
        assert page.text_content("[role=status]") == "3 tulosta" and page.input_value("#vt-municipality") == "oulu"

"""The HTML listing as written to disk: content, escaping, embedding rules, budgets.
(The same pages are exercised in a real browser under tests/browser/.)"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import vertaistuki
from vertaistuki.build import build
from vertaistuki.config import BuildConfig, OutputSpec, SourceSpec, read_config
from vertaistuki.default_plugins.html_widget import LISTED_CARD_KEYS, Listing, environment, render_without_globals, safe_href
from vertaistuki.privacy import publishable

from pagelinks import card_ids, relative_targets

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "src" / "vertaistuki" / "static"
TODAY = dt.date(2026, 11, 23)  # a Monday
PAYLOADS = ("<img src=x onerror=alert(1)>", '"><script>alert(2)</script>', "{{7*7}}", "</script><b>x</b>")


class Elements(HTMLParser):
    """Start tags with their attributes, and the text, of an HTML document."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.script_bodies: list[tuple[dict, str]] = []
        self._in_script: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self.script_bodies.append((self._in_script, data))
        else:
            self.text.append(data)

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]


def catalogue(**group_changes) -> dict:
    group = {
        "id": "ryhma", "openness": "open", "organiser": "yhdistys",
        "name": {"fi": "Omaisten ryhmä"}, "description": {"fi": "Keskustellaan.", "sv": "Vi samtalar."},
        "topics": ["stress"], "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=TH", "start_time": "12:00", "end_time": "14:30"},
        "channels": [{"kind": "in_person", "place": "talo"}],
        "facilitation": {"kind": "trained_volunteer", "leaders": ["ohjaaja", "salainen"]},
    }
    group.update(group_changes)
    return {
        "source": "testi", "publisher": "yhdistys",
        "organisations": [{"id": "yhdistys", "kind": "association", "name": {"fi": "Yhdistys ry", "sv": "Förening rf"},
                           "contact": {"email": "info@example.fi"}}],
        "places": [{"id": "talo", "name": {"fi": "Järjestötalo"}, "municipality": {"fi": "Tampere", "sv": "Tammerfors"},
                    "accessibility": {"step_free_entrance": True, "induction_loop": True}},
                   {"id": "toinen", "name": {"fi": "Kirjasto"}, "municipality": {"fi": "Oulu", "sv": "Uleåborg"}}],
        "groups": [group,
                   {"id": "oulu", "openness": "closed", "organiser": "yhdistys", "name": {"fi": "Oulun ryhmä"},
                    "channels": [{"kind": "in_person", "place": "toinen"}], "fee": {"kind": "self_payment", "amount": 5}},
                   {"id": "verkko", "openness": "open", "organiser": "yhdistys", "name": {"fi": "Verkkoryhmä"},
                    "nationwide": True, "channels": [{"kind": "online", "url": "https://example.fi/chat"}]}],
        "volunteers": [
            {"id": "ohjaaja", "organisation": "yhdistys",
             "personal": {"name": {"value": "Maija Ohjaaja", "consent": {"given": "2025-01-01"}},
                          "phone": {"value": "040 1234567", "consent": {"given": "2025-01-01"}},
                          "email": {"value": "maija@example.fi"}}},
            {"id": "salainen", "organisation": "yhdistys",
             "personal": {"name": {"value": "Salainen Henkilö"}}},
        ],
    }


def render(tmp_path: Path, data: dict, **options) -> tuple[dict[str, str], object]:
    (tmp_path / "catalogue.json").write_text(json.dumps(data), encoding="utf-8")
    config = BuildConfig(path=tmp_path / "catalogue.toml", sources=(SourceSpec("catalogue.json"),),
                         outputs=(OutputSpec("html", {"languages": ["fi", "sv"], **options}),))
    result = build(config, today=TODAY, write=False)
    return {name: content.decode("utf-8") for name, content in result.files.items()}, result


def answer(tmp_path: Path, data: dict, page: str, query: dict, **options) -> dict[str, str]:
    """What a host answering the GET form serves (docs/widget.md): the html renderer
    called with ``page`` and ``query``, options catalogue.toml does not give."""
    from vertaistuki import plugins
    from vertaistuki.registry import RenderContext

    _, result = render(tmp_path, data, **options)
    context = RenderContext(options={"languages": ["fi", "sv"], **options, "page": page, "query": query}, today=TODAY)
    answered = dict(plugins.renderers()["html"].render(publishable(result.catalogue, TODAY), context))
    return {name: content.decode("utf-8") for name, content in answered.items()}


def test_the_listing_shows_what_a_visitor_needs_to_decide(tmp_path):
    files, result = render(tmp_path, catalogue())
    assert not result.errors, result.errors
    page = files["widget/fi/index.html"]
    text = " ".join(Elements(page).text)
    for expected in ("Omaisten ryhmä", "torstaisin klo 12–14.30", "Järjestötalo", "Tampere",
                     "esteetön sisäänkäynti", "induktiosilmukka", "Maksuton", "Omavastuu 5 €",
                     "Avoin ryhmä", "Suljettu ryhmä", "Koulutettu vertaisohjaaja", "Koko Suomi", "3 tulosta"):
        assert expected in text, expected
    times = Elements(page).all("time")
    assert {"datetime": "2026-11-26T12:00:00+02:00"} in times  # next meeting, offset-correct
    sv = " ".join(Elements(files["widget/sv/index.html"]).text)
    assert "torsdagar kl. 12–14.30" in sv and "Tammerfors" in sv and "3 träffar" in sv


def test_only_consented_contact_details_are_shown(tmp_path):
    files, _ = render(tmp_path, catalogue())
    page = files["widget/fi/index.html"]
    assert "Maija Ohjaaja" in page and "040 1234567" in page
    assert "maija@example.fi" not in page  # e-mail given without consent
    assert "Salainen" not in page


def test_report_outdated_information_link_goes_to_the_publisher(tmp_path):
    files, _ = render(tmp_path, catalogue())
    links = [a["href"] for a in Elements(files["widget/fi/index.html"]).all("a") if a.get("class") == "vt-report"]
    assert links and all(link.startswith("mailto:info@example.fi?subject=") for link in links)
    assert "testi%3Aryhma" in links[0]  # the record's stable id, so the editor knows which one


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_is_escaped_everywhere(tmp_path, payload):
    data = catalogue(name={"fi": payload}, description={"fi": payload})
    data["places"][0]["name"] = {"fi": payload}
    data["organisations"][0]["name"] = {"fi": payload}
    files, result = render(tmp_path, data)
    assert not result.errors
    for name in ("widget/fi/index.html", "widget/fi/fragment.html", "widget/fi/tampere.html"):
        page = files[name]
        parsed = Elements(page)
        assert payload in " ".join(parsed.text), "the payload should show as text"
        assert "49" not in " ".join(parsed.text).replace("2026", ""), "template syntax in data must not run"
        assert not [attrs for tag, attrs in parsed.tags if tag == "img"]
        assert all(attrs.get("type") in ("module", "application/ld+json") for attrs in parsed.all("script"))
        for attrs, body in parsed.script_bodies:  # JSON-LD stays one inert data block
            assert attrs.get("type") == "application/ld+json"
            json.loads(body)


def test_the_json_ld_is_embedded_only_in_a_listing_a_search_engine_can_read_whole(tmp_path):
    # A national listing's page runs to hundreds of megabytes; its graph is in the
    # jsonld renderer's file instead.
    def scripts(files, page):
        return [body for attrs, body in Elements(files[page]).script_bodies if attrs.get("type") == "application/ld+json"]

    data = catalogue()
    listed = len(data["groups"]) + len(data.get("services", ())) + len(data.get("events", ()))
    files, _ = render(tmp_path, data, embed_jsonld=listed)
    [graph] = scripts(files, "widget/fi/fragment.html")
    assert len(json.loads(graph)["@graph"]) == listed and scripts(files, "widget/fi/index.html") == [graph]
    for too_few in (listed - 1, 0):
        files, _ = render(tmp_path, data, embed_jsonld=too_few)
        for page in ("widget/fi/fragment.html", "widget/fi/index.html", "widget/sv/fragment.html"):
            assert scripts(files, page) == [], (too_few, page)
        assert "Omaisten ryhmä" in files["widget/fi/fragment.html"]  # the listing itself is whole


def test_the_room_of_an_in_person_meeting_is_shown_with_its_place(tmp_path):
    # "Sali 2" tells a first-timer where to go in a big building; a room given only in
    # Finnish says so on the Swedish page.
    data = catalogue(channels=[{"kind": "in_person", "place": "talo", "room": {"fi": "Sali 2 <b>"}}])
    files, result = render(tmp_path, data)
    assert not result.errors
    assert "<span>Järjestötalo</span>, <span>Sali 2 &lt;b&gt;</span>, Tampere" in files["widget/fi/fragment.html"]
    assert ('<span lang="fi">Järjestötalo</span>, <span lang="fi">Sali 2 &lt;b&gt;</span>, Tammerfors'
            in files["widget/sv/fragment.html"])


def test_a_card_is_rendered_as_render_would_and_a_global_it_names_is_an_error():
    template = environment().from_string("<p>{{ card['name'] }}{% if visible %} {{ ui['more'] }}{% endif %}</p>")
    values = {"card": {"name": "<Ryhmä & co>"}, "visible": True, "ui": {"more": "Lisää"}}
    assert render_without_globals(template, values) == template.render(**values) == "<p>&lt;Ryhmä &amp; co&gt; Lisää</p>"
    with pytest.raises(jinja2.UndefinedError, match="range"):  # not silently empty
        render_without_globals(environment().from_string("{{ range(2) | list }}"), {})


def test_links_are_written_only_for_safe_schemes():
    assert safe_href("https://example.fi/a?b=1") == "https://example.fi/a?b=1"
    assert safe_href("mailto:a@example.fi") and safe_href("tel:+358401234567")
    for hostile in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
                    "data:text/html,<script>", "vbscript:x", "//evil.example/x", "", "https://[::1/x"):
        assert safe_href(hostile) is None, hostile


def test_a_javascript_url_in_data_is_refused_and_the_rest_still_published(tmp_path):
    data = catalogue()
    data["groups"][1]["url"] = "javascript:alert(1)"
    files, result = render(tmp_path, data)
    assert any("url" in problem.path for problem in result.errors)
    assert "javascript:" not in files["widget/fi/index.html"]
    assert "Omaisten ryhmä" in files["widget/fi/index.html"]


def test_the_fragment_embeds_under_a_strict_content_security_policy(tmp_path):
    files, _ = render(tmp_path, catalogue())
    fragment = files["widget/fi/fragment.html"]
    parsed = Elements(fragment)
    assert not re.search(r"\sstyle\s*=", fragment)
    assert not [name for _, attrs in parsed.tags for name in attrs if name.startswith("on")]
    assert [attrs.get("type") for attrs in parsed.all("script")] == ["application/ld+json"]
    assert not parsed.all("main") and not parsed.all("h1") and not parsed.all("link")
    # no third-party assets (links to an association's own pages are fine):
    for tag, attrs in parsed.tags:
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            if tag in ("img", "script", "link", "iframe") and value:
                assert not value.startswith(("http:", "https:", "//")), f"third-party {tag}: {value}"


def test_heading_level_is_configurable_but_never_h1(tmp_path):
    files, _ = render(tmp_path, catalogue(), heading_level=3)
    parsed = Elements(files["widget/fi/fragment.html"])
    assert [tag for tag, _ in parsed.tags if re.fullmatch(r"h[1-6]", tag)][:3] == ["h3", "h4", "h5"]
    files, _ = render(tmp_path, catalogue(), heading_level=1)
    assert not Elements(files["widget/fi/fragment.html"]).all("h1")


def test_text_in_another_language_is_marked_with_lang(tmp_path):
    files, _ = render(tmp_path, catalogue())
    parsed = Elements(files["widget/sv/fragment.html"])
    name = next(attrs for tag, attrs in parsed.tags if attrs.get("id") == "vt-testi-ryhma-name")
    assert name.get("lang") == "fi"  # the group has no Swedish name: Finnish is shown, and said so
    description = [attrs for tag, attrs in parsed.tags if attrs.get("class") == "vt-description"]
    assert description[0].get("lang") is None  # the Swedish description exists
    assert parsed.all("section")[0]["lang"] == "sv"


def test_municipality_pages_list_that_municipality_and_nationwide_records(tmp_path):
    files, _ = render(tmp_path, catalogue())
    oulu = files["widget/fi/oulu.html"]
    assert "Oulun ryhmä" in oulu and "Verkkoryhmä" in oulu and "Omaisten ryhmä" not in oulu
    index = Elements(files["widget/fi/index.html"])
    assert {"oulu.html", "tampere.html"} <= {a.get("href") for a in index.all("a")}


def _with_a_regional_phone_line(data: dict) -> dict:
    """The catalogue with a service that meets in no municipality and is not nationwide."""
    data["services"] = [{"id": "puhelin", "kind": "phone_line", "organiser": "yhdistys", "name": {"fi": "Alueen tukipuhelin"},
                         "regions": ["pirkanmaa"], "channels": [{"kind": "phone", "phone": "040 754 9716"}]}]
    return data


@pytest.mark.parametrize("options", [{"directory_above": 3}, {"directory_above": 3, "repeat_nationwide": 0}],
                         ids=["nationwide repeated", "nationwide page"])
def test_past_directory_above_the_whole_listing_is_a_directory_of_the_municipality_pages(tmp_path, options):
    # A national listing on one page is tens of megabytes: past the option it links to
    # the municipality pages (with their counts) and the nationwide page instead.
    files, result = render(tmp_path, _with_a_regional_phone_line(catalogue()), **options)
    assert not result.errors, result.errors
    for language, count, phone_lead in (("fi", "4 tulosta", "Nämä eivät kokoonnu"), ("sv", "4 träffar", "Dessa träffas inte")):
        for name in ("index.html", "fragment.html"):
            page = files[f"widget/{language}/{name}"]
            parsed = Elements(page)
            assert not parsed.all("form")  # the filters are on the municipality pages
            links = {a.get("href"): a for a in parsed.all("a")}
            assert links["tampere.html"]["data-vt-code"] == "tampere" and "oulu.html" in links
            assert "nationwide.html" in links
            text = " ".join(parsed.text)
            assert count in text and phone_lead in text and "(1)" in text
            # Only the record that no other page lists is on the directory itself.
            assert card_ids(page) == {"vt-testi-puhelin"}
    # Every record is still listed: on the directory or on a page it links to.
    listed = set().union(*(card_ids(files[f"widget/fi/{name}"])
                           for name in ("index.html", "tampere.html", "oulu.html", "nationwide.html")))
    assert listed == {"vt-testi-ryhma", "vt-testi-oulu", "vt-testi-verkko", "vt-testi-puhelin"}
    # The municipality pages' forms know the whole listing is a directory (see vertaistuki.js).
    assert 'data-vt-subset="oulu" data-vt-directory' in files["widget/fi/oulu.html"]


def test_up_to_directory_above_or_with_it_0_the_whole_listing_lists_every_record(tmp_path):
    data = _with_a_regional_phone_line(catalogue())
    for options in ({"directory_above": 4}, {"directory_above": 0}, {}):
        files, _ = render(tmp_path, data, **options)
        index = files["widget/fi/index.html"]
        assert card_ids(index) == {"vt-testi-ryhma", "vt-testi-oulu", "vt-testi-verkko", "vt-testi-puhelin"}
        assert Elements(index).all("form") and "data-vt-directory" not in files["widget/fi/oulu.html"]
        assert "widget/fi/nationwide.html" not in files  # 1 nationwide record: repeated on each municipality's page


def test_the_get_form_sent_to_a_directory_is_answered_by_the_chosen_municipality_page(tmp_path):
    # A municipality page's form goes to index.html; with JavaScript off and the whole
    # listing a directory, a server answers with the chosen municipality's page.
    files = answer(tmp_path, catalogue(), "widget/fi/index.html", {"municipality": "oulu", "openness": "open"},
                      directory_above=2)
    page = files["widget/fi/index.html"]
    assert re.search(r'<li class="vt-card[^"]*" id="vt-testi-oulu"[^>]* hidden>', page)  # closed: hidden
    assert "vt-testi-ryhma" not in page and 'aria-current="page"' in page
    files = answer(tmp_path, catalogue(), "widget/fi/index.html", {"topic": "stress"}, directory_above=2)
    assert card_ids(files["widget/fi/index.html"]) == set() and "tampere.html" in files["widget/fi/index.html"]


@pytest.mark.parametrize("options", [{}, {"repeat_nationwide": 0}, {"directory_above": 2}],
                         ids=["nationwide repeated", "nationwide page", "directory"])
def test_every_relative_link_on_the_widget_pages_leads_to_a_file_the_build_wrote(tmp_path, options):
    files, _ = render(tmp_path, catalogue(), **options)
    checked = 0
    for path in (name for name in files if name.endswith(".html")):
        for target in relative_targets(files, path):
            assert target in files, f"{path} links to {target}, which the build did not write"
            checked += 1
    assert checked > 20


@pytest.mark.parametrize(("pattern", "expected"), [
    ("/ryhmat/{language}/{code}/", {"/ryhmat/fi/oulu/", "/ryhmat/fi/tampere/"}),
    ("https://yhdistys.example/{code}", {"https://yhdistys.example/oulu", "https://yhdistys.example/tampere"}),
    ("javascript:go('{code}')", set()),  # not a link a listing may have: no links at all
])
def test_the_municipality_links_can_lead_to_the_host_sites_own_pages(tmp_path, pattern, expected):
    files, _ = render(tmp_path, catalogue(), municipality_href=pattern)
    hrefs = {element["href"] for element in Elements(files["widget/fi/fragment.html"]).all("a")}
    assert expected <= hrefs and not {"oulu.html", "tampere.html"} & hrefs
    assert not [href for href in hrefs if href.startswith("javascript")]


def test_past_the_limit_nationwide_records_get_a_page_of_their_own_that_municipality_pages_link_to(tmp_path):
    data = catalogue()
    data["groups"] += [{"id": f"verkko-{n}", "openness": "open", "organiser": "yhdistys", "name": {"fi": f"Chatti {n}"},
                        "nationwide": True, "channels": [{"kind": "online", "url": "https://example.fi/chat"}]}
                       for n in range(2)]
    files, result = render(tmp_path, data, repeat_nationwide=2)  # three nationwide groups: one too many
    assert not result.errors, result.errors
    for language, words in (("fi", "Katso myös koko Suomessa toimivat ryhmät ja palvelut (3)"),
                            ("sv", "Se också grupper och tjänster i hela Finland (3)")):
        oulu = Elements(files[f"widget/{language}/oulu.html"])
        assert "Oulun ryhmä" in " ".join(oulu.text) and not any("Chatti" in t or "Verkkoryhmä" in t for t in oulu.text)
        assert {"href": "nationwide.html"} in oulu.all("a") and words in oulu.text
        nationwide = Elements(files[f"widget/{language}/nationwide.html"])
        cards = [attrs["id"] for tag, attrs in nationwide.tags if tag == "li" and "vt-card" in (attrs.get("class") or "")]
        assert cards == ["vt-testi-verkko", "vt-testi-verkko-0", "vt-testi-verkko-1"]  # listing order, nothing local
        [form] = nationwide.all("form")
        assert "data-vt-subset" not in form  # its filters stay on the page with JavaScript
    # The whole listing still has everything; within the limit the pages repeat them.
    assert all(name in files["widget/fi/index.html"] for name in ("Chatti 0", "Chatti 1", "Verkkoryhmä", "Oulun ryhmä"))
    repeated, _ = render(tmp_path, data, repeat_nationwide=3)
    assert "Chatti 1" in repeated["widget/fi/oulu.html"] and "widget/fi/nationwide.html" not in repeated
    assert "nationwide.html" not in repeated["widget/fi/oulu.html"]


def test_every_card_carries_its_filter_facets(tmp_path):
    files, _ = render(tmp_path, catalogue())
    cards = {attrs["id"]: attrs for tag, attrs in Elements(files["widget/fi/index.html"]).tags
             if tag == "li" and "vt-card" in (attrs.get("class") or "")}
    group = cards["vt-testi-ryhma"]
    assert group["data-vt-municipality"] == "tampere" and group["data-vt-day"] == "th"
    assert group["data-vt-time"] == "afternoon" and group["data-vt-free"] == "1"
    assert group["data-vt-dates"].split()[0] == "2026-11-26"
    assert cards["vt-testi-oulu"]["data-vt-free"] == "" and cards["vt-testi-oulu"]["data-vt-openness"] == "closed"
    assert cards["vt-testi-verkko"]["data-vt-nationwide"] == "1" and cards["vt-testi-verkko"]["data-vt-channel"] == "online"


def test_the_seed_drop_in_reads_as_suspended_in_every_language():
    config = read_config(ROOT / "examples" / "tampere-peer-centre" / "catalogue.toml")
    result = build(config, today=TODAY, write=False)
    for language, words in (("fi", "keskeytetty toistaiseksi"), ("sv", "inställd tills vidare"),
                            ("en", "suspended until further notice")):
        page = result.files[f"widget/{language}/index.html"].decode()
        drop_in = page[page.index('id="vt-tampere-peer-centre-paivystys"'):]
        drop_in = drop_in[:drop_in.index("\n    </li>")]
        assert words in drop_in
        assert 'data-vt-dates=""' in drop_in  # no meetings while suspended, so never "this week"


def test_script_and_stylesheet_stay_within_their_size_budgets():
    assert len(gzip.compress((STATIC / "vertaistuki.js").read_bytes(), 9)) <= 15 * 1024
    assert len(gzip.compress((STATIC / "vertaistuki.css").read_bytes(), 9)) <= 8 * 1024


def test_the_module_uses_no_storage_cookies_or_network():
    script = (STATIC / "vertaistuki.js").read_text(encoding="utf-8")
    for forbidden in ("localStorage", "sessionStorage", "document.cookie", "fetch(", "XMLHttpRequest", "eval(",
                      "innerHTML", "import("):
        assert forbidden not in script, forbidden


def test_pages_written_in_chunks_are_the_pages_rendered_whole():
    # A national listing's pages are streamed to disk; what lands must be what a
    # host rendering one page (vertaistuki serve) gets.
    import vertaistuki
    from vertaistuki.default_plugins.html_widget import Listing, ListingMemo, render_listing, stream_listing
    from vertaistuki.listing import Query
    from vertaistuki.privacy import publishable

    published = publishable(vertaistuki.load_data(catalogue()).catalogue, TODAY)
    # The GET form's answer (a query) is streamed as well.
    for municipality, query in ((None, None), ("tampere", None), (None, Query(topic="stress")), ("tampere", Query(day="fr"))):
        whole = render_listing(published, "fi", TODAY, {}, query=query, municipality=municipality,
                               jsonld={"@graph": [{"a": "<b>"}]})
        listing = Listing(published, "fi", TODAY, memo=ListingMemo())
        streamed = stream_listing(published, "fi", TODAY, {}, query=query, municipality=municipality, listing=listing,
                                  jsonld={"@graph": [{"a": "<b>"}]})
        assert [b"".join(chunks).decode("utf-8") for chunks in streamed] == list(whole)
        # Now every card's markup is in the store, and goes into the chunks as its bytes.
        again = stream_listing(published, "fi", TODAY, {}, query=query, municipality=municipality, listing=listing,
                               jsonld={"@graph": [{"a": "<b>"}]})
        assert [b"".join(chunks).decode("utf-8") for chunks in again] == list(whole)
        if query is not None:
            assert " hidden>" in whole[1]  # the query left some card out


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.one_of(
    st.text(max_size=20),
    st.text(max_size=20).map(lambda text: text.encode("utf-8")),  # a card's markup, kept as bytes
    st.sampled_from(["\x00vertaistuki-card-\x00", "\x00vertaistuki-card-0123456789abcdef\x00", "\x00"]),
), max_size=40), size=st.integers(1, 64))
def test_cards_spliced_into_a_streamed_page_land_where_the_template_placed_them(parts, size):
    # A streamed page gets a marker for each card and the card's bytes in its place; a
    # text that looks like a marker (a catalogue's texts are in the same stream) is text.
    from collections import deque

    from markupsafe import Markup

    from vertaistuki.default_plugins.html_widget import _SplicedCards, _utf8

    class Cards:
        MARK = _SplicedCards.MARK
        waiting: deque = deque()

    cards = Cards()

    def pieces():
        for part in parts:
            if isinstance(part, bytes):
                cards.waiting.append(part)  # as _SplicedCards does when the template asks for the card
                yield Markup(Cards.MARK)
            else:
                yield part

    chunks = list(_utf8(pieces(), size=size, cards=cards))
    assert b"".join(chunks) == b"".join(part if isinstance(part, bytes) else part.encode("utf-8") for part in parts)
    assert not cards.waiting  # every card placed, none left over


def test_a_card_whose_markup_is_shelved_is_shown_again_and_hidden_on_request():
    # A listing's card holds only what filtering needs; a query page asking for it
    # hidden must still get the whole card.
    import vertaistuki
    from vertaistuki.default_plugins.html_widget import Listing
    from vertaistuki.privacy import publishable

    listing = Listing(publishable(vertaistuki.load_data(catalogue()).catalogue, TODAY), "fi", TODAY)
    card = listing.cards[0]
    shown = listing.card_markup(card, True, "vt", 2)
    assert "name" not in card  # what it shows was made for the markup, which is on the shelf
    assert listing.card_markup(card, True, "vt", 2) == shown
    hidden = listing.card_markup(card, False, "vt", 2)
    assert "Omaisten ryhmä" in shown and str(hidden).replace(" hidden>", ">", 1) == str(shown)


@pytest.mark.parametrize("example", sorted(path.parent.name for path in (ROOT / "examples").glob("*/catalogue.yaml")))
def test_a_listed_card_filters_and_shows_like_the_full_card(example):
    # A listing holds each card without what it shows (made for its markup only), and
    # the markup reuses the listed card's terms and facets: what filtering, the form's
    # choices and the order use, and the markup itself, must not differ from the card
    # made whole from the record, with and without the listing's search texts.
    catalogue = publishable(vertaistuki.load(ROOT / "examples" / example / "catalogue.yaml").catalogue, TODAY)
    for language in ("fi", "sv", "en"):
        for search_texts in (True, False):
            listing = Listing(catalogue, language, TODAY, search_texts=search_texts)
            whole = Listing(catalogue, language, TODAY)
            assert listing.cards
            for card in listing.cards:
                full = whole.card(card["record"], card["kind"])
                if search_texts:
                    assert card == {key: full[key] for key in LISTED_CARD_KEYS}
                assert listing.card_markup(card, True, "vt", 2) == whole.card_markup(full, True, "vt", 2)


def test_a_listing_made_without_search_texts_refuses_a_text_query_rather_than_match_nothing():
    # The shards renderer's static pages copy card markup and skip the search texts; a
    # text query on such a listing would silently find no card.
    from vertaistuki.default_plugins.html_widget import CardMarkups, Listing, ListingMemo, render_listing
    from vertaistuki.listing import Query

    published = publishable(vertaistuki.load_data(catalogue()).catalogue, TODAY)
    markups = CardMarkups()  # the build's store, as the html and shards renderers share it
    full = Listing(published, "fi", TODAY, memo=ListingMemo(markups))
    for card in full.cards:
        full.card_markup(card, True, "vt", 2)  # the markup is made: later listings copy it
    slim = Listing(published, "fi", TODAY, memo=ListingMemo(markups), search_texts=False)
    assert slim.cards and all(card["facets"].text == "" for card in slim.cards)
    assert render_listing(published, "fi", TODAY, {}, listing=slim)  # static pages need no text
    with pytest.raises(ValueError, match="search texts"):
        render_listing(published, "fi", TODAY, {}, listing=slim, query=Query(q="omaisten"))


def test_a_host_answering_the_form_serves_the_nationwide_page_only_when_it_exists(tmp_path):
    files = answer(tmp_path, catalogue(), "widget/fi/nationwide.html", {"q": "verkko"}, repeat_nationwide=0)
    page = Elements(files["widget/fi/nationwide.html"])
    cards = {attrs["id"]: "hidden" in attrs for tag, attrs in page.tags if tag == "li" and "vt-card" in (attrs.get("class") or "")}
    assert cards == {"vt-testi-verkko": False}
    oulu = answer(tmp_path, catalogue(), "widget/fi/oulu.html", {}, repeat_nationwide=0)
    assert {"href": "nationwide.html"} in Elements(oulu["widget/fi/oulu.html"]).all("a")
    repeated = answer(tmp_path, catalogue(), "widget/fi/nationwide.html", {})
    assert "widget/fi/nationwide.html" not in repeated


@pytest.mark.parametrize("options", [{}, {"repeat_nationwide": 0}, {"directory_above": 3},
                                     {"directory_above": 3, "repeat_nationwide": 0}],
                         ids=["nationwide repeated", "nationwide page", "directory", "directory, nationwide page"])
def test_a_host_answering_with_no_choices_serves_the_page_the_build_wrote(tmp_path, options):
    # What a visitor sees must not depend on whether a server or the static file answered.
    data = _with_a_regional_phone_line(catalogue())
    built, _ = render(tmp_path, data, embed_jsonld=0, **options)  # an answer embeds no JSON-LD
    pages = [name for name in built if name.startswith("widget/fi/") and name.endswith(".html") and name != "widget/fi/fragment.html"]
    assert {"widget/fi/index.html", "widget/fi/oulu.html"} <= set(pages)
    for name in pages:
        answered = answer(tmp_path, data, name, {}, embed_jsonld=0, **options)
        assert answered[name] == built[name], name


def test_a_text_that_looks_like_a_page_marker_is_shown_as_text(tmp_path):
    # A streamed page puts the fragment into the page shell at a marker, and cards at
    # markers of their own. A member's feed can say anything: a municipality or a group
    # named like a marker must be shown as its name, not break the municipality's page.
    # A catalogue read from a file cannot hold the control character the markers use
    # (test_loading), but one made in Python can: the renderer must not trust its texts.
    import attrs

    from vertaistuki import plugins
    from vertaistuki.model import Text
    from vertaistuki.registry import RenderContext

    (tmp_path / "plain").mkdir()
    plain, result = render(tmp_path / "plain", catalogue())
    loaded = publishable(result.catalogue, TODAY)
    marked = attrs.evolve(
        loaded,
        groups=tuple(attrs.evolve(g, name=Text.of(fi="Ryhmä \x00vertaistuki-card-\x00")) if g.id == "ryhma" else g
                     for g in loaded.groups),
        places=tuple(attrs.evolve(p, municipality=Text.of(fi="\x00vertaistuki-fragment\x00")) if p.id == "toinen" else p
                     for p in loaded.places))
    context = RenderContext(options={"languages": ["fi", "sv"]}, today=TODAY)
    files = {name: b"".join(content).decode("utf-8") if not isinstance(content, bytes) else content.decode("utf-8")
             for name, content in plugins.renderers()["html"].render(marked, context)}

    def cards_per_page(pages):
        return sorted(page.count('<li class="vt-card ') for name, page in pages.items() if name.startswith("widget/fi/"))

    assert cards_per_page(files) == cards_per_page(plain)  # every page, every card, once
    assert any("\x00vertaistuki-fragment\x00</h" in page for page in files.values())  # the municipality's page title
    assert "Ryhmä \x00vertaistuki-card-\x00" in files["widget/fi/index.html"]


def test_a_directory_without_municipalities_lists_its_records_and_offers_no_choice_of_municipality(tmp_path):
    data = catalogue()
    data["groups"] = [group for group in data["groups"] if group["id"] == "verkko"]
    data["services"] = _with_a_regional_phone_line(catalogue())["services"]
    files, _ = render(tmp_path, data, directory_above=1)
    page = files["widget/fi/fragment.html"]
    assert 'class="vt-places' not in page and "Valitse kunta" not in page
    # The nationwide group is on nationwide.html, linked; the phone line here.
    assert card_ids(page) == {"vt-testi-puhelin"} and 'href="nationwide.html"' in page
    assert card_ids(files["widget/fi/nationwide.html"]) == {"vt-testi-verkko"}


def test_a_card_says_how_to_sign_up_and_who_else_may_be_there(tmp_path):
    """Every fact a seed page gives a reader about joining: the sign-up address, phone
    and last day, staff or guest experts sometimes present, what the leader brings."""
    data = catalogue(
        registration={"required": True, "email": "ilmo@example.fi", "phone": "+358401234567",
                      "deadline": "2027-01-08", "instructions": {"fi": "Kerro nimesi."}},
        staff_sometimes_present=True, guest_lecturers=True,
        facilitation={"kind": "trained_volunteer", "note": {"fi": "Vetäjällä on omaa kokemusta."}})
    files, result = render(tmp_path, data)
    assert not result.errors, result.errors
    page = Elements(files["widget/fi/index.html"])
    text = " ".join(page.text)
    for expected in ("Ilmoittautuminen.", "Kerro nimesi.", "ilmo@example.fi", "040 1234567",
                     "Ilmoittaudu viimeistään 8.1.2027", "Mukana joskus yhdistyksen työntekijä",
                     "Joskus vierailevia asiantuntijoita", "Vetäjällä on omaa kokemusta."):
        assert expected in text, expected
    links = {a.get("href") for a in page.all("a")}
    assert {"mailto:ilmo@example.fi", "tel:+358401234567"} <= links
    assert {"datetime": "2027-01-08"} in page.all("time")
    sv = " ".join(Elements(files["widget/sv/index.html"]).text)
    assert "Anmäl dig senast 8.1.2027" in sv and "Ibland gästföreläsare" in sv
    # the note has no Swedish text: shown in Finnish, marked as Finnish
    assert {"class": "vt-note", "lang": "fi"} in Elements(files["widget/sv/index.html"]).all("p")


def test_a_last_day_to_sign_up_that_has_passed_says_so(tmp_path):
    files, _ = render(tmp_path, catalogue(registration={"required": True, "deadline": "2026-11-01"}))  # TODAY 23.11.
    text = " ".join(Elements(files["widget/fi/index.html"]).text)
    assert "Ilmoittautuminen päättyi 1.11.2026" in text and "viimeistään" not in text


@pytest.mark.parametrize(("schedule", "badge"), [
    # ended in the summer: a break between seasons
    ({"rrule": "FREQ=WEEKLY;BYDAY=TH", "start_time": "18:00", "season": {"start": "2026-01-10", "end": "2026-09-30"}},
     "Kausitauko"),
    # ended years ago: shown as ended, not as a break
    ({"rrule": "FREQ=WEEKLY;BYDAY=TH", "start_time": "18:00", "season": {"start": "2019-01-14", "end": "2019-05-31"}},
     "Kausi päättyi 31.5.2019"),
    ({"rrule": "FREQ=WEEKLY;BYDAY=TH", "start_time": "18:00", "season": {"start": "2027-01-14", "end": "2027-05-31"}},
     "Uusi kausi alkaa"),
    ({"rrule": "FREQ=WEEKLY;BYDAY=TH;UNTIL=20250601", "start_time": "18:00"}, "Päättyi 1.6.2025"),
    # a closed group's ten meetings, all held
    ({"rrule": "FREQ=WEEKLY;BYDAY=TH;COUNT=10", "start_time": "18:00", "starts": "2019-09-05"},
     "Kaikki tapaamiset on pidetty"),
])
def test_a_group_whose_meetings_are_over_does_not_read_as_meeting_now(tmp_path, schedule, badge):
    files, result = render(tmp_path, catalogue(schedule=schedule))
    assert not [p for p in result.problems if p.severity == "error"], result.problems
    badges = re.findall(r'class="vt-badge">([^<]*)<', files["widget/fi/index.html"])
    assert badge in badges
    others = {"Kausitauko", "Uusi kausi alkaa", "Kaikki tapaamiset on pidetty"} - {badge}
    assert not others & set(badges)


def test_a_group_with_meetings_to_come_has_no_season_badge(tmp_path):
    files, _ = render(tmp_path, catalogue(schedule={"rrule": "FREQ=WEEKLY;BYDAY=TH;COUNT=10", "start_time": "18:00",
                                                    "starts": "2026-11-05"}))
    badges = re.findall(r'class="vt-badge">([^<]*)<', files["widget/fi/index.html"])
    assert not {"Kausitauko", "Kaikki tapaamiset on pidetty"} & set(badges)
    assert "torstaisin klo 18, 10 kertaa 5.11.2026 alkaen" in files["widget/fi/index.html"]


def test_an_events_partners_are_shown_beside_its_organiser(tmp_path):
    data = catalogue()
    data["organisations"].append({"id": "potilas", "kind": "association", "name": {"fi": "Potilasyhdistys ry"}})
    data["events"] = [{"id": "ensitieto", "kind": "first_information_day", "name": {"fi": "Ensitietopäivä"},
                       "organiser": "yhdistys", "co_organisers": ["potilas"], "start_date": "2027-01-30"}]
    files, result = render(tmp_path, data)
    assert not result.errors, result.errors
    card = files["widget/fi/index.html"].split('id="vt-testi-ensitieto"')[1].split("</article>")[0]
    assert re.search(r"<dt>Järjestäjä</dt>\s*<dd><span>Yhdistys ry</span>, <span>Potilasyhdistys ry</span></dd>", card)

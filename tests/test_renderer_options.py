"""A built-in renderer's options are checked before it renders: a mistake in
catalogue.toml is a problem naming the output and the option in Finnish and English,
that output publishes nothing, and the others are published as usual."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from repository_plugins import every_renderer_name, renderer_available
from vertaistuki.build import build
from vertaistuki.config import BuildConfig, OutputSpec, SourceSpec
from vertaistuki.options import OptionError, check, whole_number

TODAY = dt.date(2026, 11, 23)
CATALOGUE = {
    "source": "testi",
    "organisations": [{"id": "yhdistys", "kind": "association", "name": {"fi": "Yhdistys ry"}}],
    "places": [{"id": "talo", "name": {"fi": "Talo"}, "municipality": {"fi": "Tampere"}}],
    "groups": [{"id": "ryhma", "organiser": "yhdistys", "openness": "open", "name": {"fi": "Ryhmä"},
                "channels": [{"kind": "in_person", "place": "talo"}]}],
}


def build_with(tmp_path: Path, renderer: str, options: dict):
    (tmp_path / "catalogue.json").write_text(json.dumps(CATALOGUE), encoding="utf-8")
    config = BuildConfig(path=tmp_path / "catalogue.toml", sources=(SourceSpec("catalogue.json"),),
                         outputs=(OutputSpec(renderer, options), OutputSpec("json" if renderer != "json" else "csv", {})))
    return build(config, tmp_path / "out", today=TODAY, keep_files=False)


@pytest.mark.parametrize(("renderer", "options", "en", "fi"), [
    # a text where a list belongs: read as the languages "f" and "i" before
    ("html", {"languages": "fi"}, 'option languages must be a list of language codes such as ["fi", "sv"], not "fi"',
     'asetuksen languages pitää olla luettelo kielikoodeja, esimerkiksi ["fi", "sv"], ei "fi"'),
    # a misspelt name: ignored without a word before
    ("html", {"langauges": ["fi"]}, 'unknown option "langauges" (did you mean "languages"?); html takes',
     'tuntematon asetus "langauges" (tarkoititko "languages"?); html ottaa asetukset'),
    # a host's options (docs/widget.md), not catalogue.toml's: query made the build one answer
    ("html", {"query": {"topic": "pain"}}, 'unknown option "query"; html takes asset_url, directory_above, embed_jsonld, '
     "heading_level, id_prefix, languages, municipality_href, page_size, repeat_nationwide",
     'tuntematon asetus "query"; html ottaa asetukset asset_url'),
    ("html", {"page_size": -5}, "option page_size must be a whole number 0 or more, not -5",
     "asetuksen page_size pitää olla kokonaisluku vähintään 0, ei -5"),
    # the text "false" is not false: shards with html wrote their pages anyway before
    ("shards", {"html": "false"}, 'option html must be true or false (without quotes), not "false"',
     'asetuksen html pitää olla true tai false (ilman lainausmerkkejä), ei "false"'),
    ("shards", {"by": "region"}, 'option by must be a list of some of "region", "municipality", not "region"',
     'asetuksen by pitää olla luettelo, jossa on joitakin näistä: "region", "municipality"; ei "region"'),
    ("shards", {"asset_url": "/x/"}, 'unknown option "asset_url"', 'tuntematon asetus "asset_url"'),
    ("csv", {"headers": "sv"}, 'option headers must be one of "fi", "en", not "sv"', 'asetuksen headers pitää olla jokin näistä'),
    ("csv", {"delimiter": ";;"}, "option delimiter must be one character", "asetuksen delimiter pitää olla yksi merkki"),
    ("ics", {"language": "finnish"}, 'option language must be a language code such as "fi", not "finnish"',
     'asetuksen language pitää olla kielikoodi'),
    ("jsonld", {"upcoming": "3"}, 'option upcoming must be a whole number from 0 to 100, not "3"',
     "asetuksen upcoming pitää olla kokonaisluku 0–100"),
    ("json", {"indent": True}, "option indent must be a number of spaces from 1 to 8, or false for compact JSON, not True",
     "asetuksen indent pitää olla välilyöntien määrä 1–8 tai false"),
])
def test_a_mistaken_option_is_reported_and_only_that_output_is_left_out(tmp_path, renderer, options, en, fi):
    result = build_with(tmp_path, renderer, options)
    [problem] = result.errors
    assert problem.code == "renderer_option" and problem.source.endswith(f"[outputs.{renderer}]")
    assert problem.path == f"$.options.{next(iter(options))}"
    assert problem.message.get("en").startswith(f"output {renderer}: {en}"), problem.message.get("en")
    assert problem.message.get("fi").startswith(f"tulosteen {renderer} {fi}"), problem.message.get("fi")
    written = {path.relative_to(tmp_path / "out").as_posix() for path in result.written}
    other = "catalogue.json" if renderer != "json" else "csv/groups.csv"
    assert other in written and not any(path.startswith(("widget/", "shards/", "calendar/", "jsonld/")) for path in written)


@pytest.mark.parametrize(("renderer", "options"), [
    ("html", {"languages": ["fi", "sv", "en"], "heading_level": 3, "id_prefix": "ryhmat", "page_size": 0,
              "repeat_nationwide": 0, "directory_above": 0, "embed_jsonld": 0, "asset_url": "/a/",
              "municipality_href": "/ryhmat/{code}/"}),
    ("shards", {"html": False, "by": ["municipality"], "include_nationwide": True, "languages": ["fi"], "page_size": 10}),
    ("csv", {"headers": "en", "delimiter": ","}), ("ics", {"language": "sv"}),
    ("jsonld", {"language": "en", "upcoming": 5}), ("json", {"indent": False}),
])
def test_the_options_the_docs_describe_are_taken(tmp_path, renderer, options):
    result = build_with(tmp_path, renderer, options)
    assert not result.errors, [p.message.get("en") for p in result.errors]


def test_options_are_reported_in_a_stable_order_and_a_far_off_name_gets_no_guess():
    with pytest.raises(OptionError) as caught:
        check("demo", {"zzz": 1, "size": -1}, {"size": whole_number(0)})
    assert caught.value.name == "size"  # "size" comes before "zzz"
    with pytest.raises(OptionError) as caught:
        check("demo", {"colour": 1}, {"size": whole_number(0)})
    assert "did you mean" not in str(caught.value) and str(caught.value).endswith("demo takes size")


@pytest.mark.parametrize("name", every_renderer_name())
def test_every_renderer_of_this_repository_refuses_an_option_it_does_not_take(tmp_path, name):
    """Held to every renderer, built-in or a plugin's here, so that a new one cannot
    ignore a misspelt option silently."""
    with renderer_available(name):
        result = build_with(tmp_path, name, {"no_such_option": 1})
    [problem] = result.errors
    assert (problem.code, problem.path) == ("renderer_option", "$.options.no_such_option")
    assert problem.message.get("en").startswith(f'output {name}: unknown option "no_such_option"')


def test_the_core_checks_the_options_a_renderer_declares_before_rendering(tmp_path):
    """A plugin's renderer that declares its options (Renderer.options) and does not
    check them itself: a misspelt one is reported and render is never called."""
    import types

    from vertaistuki import options, plugins
    from vertaistuki.hookspecs import hookimpl
    from vertaistuki.registry import Renderer

    called: list[dict] = []

    def render(catalogue, context):
        called.append(dict(context.options))
        return {"hello.txt": context.options.get("greeting", "hei").encode()}

    module = types.ModuleType("declaring")
    module.register_renderers = hookimpl(lambda register: register(Renderer(
        name="declaring", media_type="text/plain", suffix=".txt", render=render, options={"greeting": options.text})))
    with plugins.registered_plugin(module, "declaring"):
        result = build_with(tmp_path, "declaring", {"greting": "moi"})
        [problem] = result.errors
        assert (problem.code, problem.path) == ("renderer_option", "$.options.greting")
        assert problem.message.get("en").startswith('output declaring: unknown option "greting" (did you mean "greeting"?)')
        assert not called
        assert not build_with(tmp_path, "declaring", {"greeting": "moi"}).errors and called == [{"greeting": "moi"}]

"""The hello renderer, registered for the test only and built through the core."""

from pathlib import Path

import vertaistuki_hello
from vertaistuki import plugins
from vertaistuki.build import build
from vertaistuki.config import read_config

EXAMPLE = Path(__file__).resolve().parent.parent


def test_hello_lists_every_group_in_finnish(tmp_path):
    with plugins.registered_plugin(vertaistuki_hello, "hello"):
        assert plugins.provider_of(plugins.renderers()["hello"]) == "hello"
        result = build(read_config(EXAMPLE / "catalogue.toml"), tmp_path)
    assert not result.errors
    assert (tmp_path / "hello.txt").read_text(encoding="utf-8") == (
        "Hei! Tervetuloa ryhmiimme:\n- Miesten voimaa\n- Käsityöilta\n")

"""``vertaistuki serve``'s WSGI application, called directly (no sockets)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from vertaistuki.cli import main
from vertaistuki.serve import PreviewApp

TODAY = dt.date(2026, 11, 23)


def write_catalogue(folder: Path, group_name: str = "Kipuryhmä") -> Path:
    data = {
        "source": "testi",
        "organisations": [{"id": "yhdistys", "kind": "association", "name": {"fi": "Yhdistys ry"}}],
        "places": [{"id": "talo", "name": {"fi": "Talo"}, "municipality": {"fi": "Tampere"}}],
        "groups": [
            {"id": "kipu", "organiser": "yhdistys", "openness": "open", "name": {"fi": group_name}, "topics": ["pain"],
             "channels": [{"kind": "in_person", "place": "talo"}]},
            {"id": "uni", "organiser": "yhdistys", "openness": "closed", "name": {"fi": "Uniryhmä"}, "topics": ["insomnia"],
             "channels": [{"kind": "in_person", "place": "talo"}]},
        ],
    }
    (folder / "catalogue.json").write_text(json.dumps(data), encoding="utf-8")
    config = folder / "catalogue.toml"
    config.write_text('[[sources]]\npath = "catalogue.json"\n\n[[outputs]]\nrenderer = "json"\n\n'
                      '[[outputs]]\nrenderer = "html"\noptions = { languages = ["fi", "sv"] }\n', encoding="utf-8")
    return config


def request(app: PreviewApp, path: str, query: str = "", method: str = "GET") -> tuple[str, dict[str, str], str]:
    seen: dict = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "wsgi.input": io.BytesIO()}
    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body.decode("utf-8", errors="replace")


@pytest.fixture
def app(tmp_path) -> Iterator[PreviewApp]:
    with PreviewApp(write_catalogue(tmp_path), today=lambda: TODAY, log=lambda message: None) as app:
        yield app


def hidden_cards(html: str) -> dict[str, bool]:
    """Card id → whether the card is marked hidden."""
    return {m.group(1): m.group(0).endswith(" hidden>") for m in re.finditer(r'<li class="vt-card[^"]*" id="([^"]+)"[^>]*>', html)}


def test_root_redirects_to_the_finnish_listing_served_under_a_strict_policy(app):
    status, headers, _ = request(app, "/")
    assert status.startswith("302") and headers["Location"] == "/widget/fi/index.html"
    status, headers, body = request(app, "/widget/fi/index.html")
    assert status.startswith("200") and "Kipuryhmä" in body
    assert headers["Content-Security-Policy"] == "default-src 'self'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize(("path", "media_type"), [("/widget/vertaistuki.css", "text/css"),
                                                   ("/widget/vertaistuki.js", "text/javascript"),
                                                   ("/catalogue.json", "application/json")])
def test_every_output_is_served_with_its_media_type(app, path, media_type):
    status, headers, _ = request(app, path)
    assert status.startswith("200") and headers["Content-Type"].startswith(media_type)


@pytest.mark.parametrize("path", ["/nothing.html", "/../../etc/passwd", "/widget/../../../etc/passwd"])
def test_unknown_paths_are_not_found_and_never_leave_the_build(app, path):
    status, _, body = request(app, path)
    assert status.startswith("404") and "root:" not in body


def test_the_outputs_are_served_from_the_preview_folder_not_held_in_memory(app):
    # A national catalogue's outputs are gigabytes: the preview publishes them as a
    # build does and sends them from disk.
    assert app.result.files == {}
    status, headers, body = request(app, "/widget/fi/index.html")
    on_disk = (app.folder / "widget/fi/index.html").read_bytes()
    assert status.startswith("200") and body.encode("utf-8") == on_disk
    assert headers["Content-Length"] == str(len(on_disk))
    # What the build keeps for itself is not an output.
    assert next(app.folder.glob(".vertaistuki-*"), None) is not None
    assert request(app, "/.vertaistuki-manifest.json")[0].startswith("404")
    folder = app.folder
    app.close()
    assert not folder.exists()


def test_a_page_the_rebuild_no_longer_makes_is_not_served(tmp_path):
    config = write_catalogue(tmp_path)
    with PreviewApp(config, today=lambda: TODAY, log=lambda message: None) as app:
        assert request(app, "/widget/fi/tampere.html")[0].startswith("200")
        time.sleep(0.01)
        catalogue = tmp_path / "catalogue.json"
        catalogue.write_text(catalogue.read_text(encoding="utf-8").replace("Tampere", "Nokia"), encoding="utf-8")
        assert request(app, "/widget/fi/tampere.html")[0].startswith("404")
        assert request(app, "/widget/fi/nokia.html")[0].startswith("200")
        assert not (app.folder / "widget/fi/tampere.html").exists()


def test_only_get_is_answered(app):
    status, headers, _ = request(app, "/widget/fi/index.html", method="POST")
    assert status.startswith("405") and "GET" in headers["Allow"]


def test_the_get_form_is_answered_on_the_server(app):
    _, _, body = request(app, "/widget/fi/index.html", "topic=pain")
    cards = hidden_cards(body)
    assert cards == {"vt-testi-kipu": False, "vt-testi-uni": True}
    assert re.search(r'role="status"[^>]*>1 tulos<', body)
    assert '<option value="pain" selected>' in body
    assert re.search(r'<p class="vt-empty" data-vt-empty hidden>', body)
    _, _, body = request(app, "/widget/sv/index.html", "q=ingenting")
    assert set(hidden_cards(body).values()) == {True}
    assert re.search(r'<p class="vt-empty" data-vt-empty>', body) and re.search(r'role="status"[^>]*>0 träffar<', body)


def test_answers_share_the_cards_made_for_the_first_and_change_with_the_catalogue(tmp_path, monkeypatch):
    """Each record's card is made once for all the answers to the form (a national
    page has thousands), and an answer never shows the cards of an earlier build."""
    from vertaistuki.default_plugins.html_widget import CardMarkups

    made: list[str] = []
    put = CardMarkups.put
    monkeypatch.setattr(CardMarkups, "put", lambda self, record, *rest: made.append(record.id) or put(self, record, *rest))
    config = write_catalogue(tmp_path)
    with PreviewApp(config, today=lambda: TODAY, log=lambda message: None) as app:
        made.clear()  # the build's own
        first = request(app, "/widget/fi/index.html", "topic=pain")[2]
        assert sorted(made) == ["kipu", "uni"]
        second = request(app, "/widget/fi/index.html", "topic=insomnia")[2]  # each card as the other one was
        assert sorted(made) == ["kipu", "kipu", "uni", "uni"]
        third = request(app, "/widget/fi/index.html", "topic=pain")[2]
        fourth = request(app, "/widget/fi/index.html", "q=ryhmä")[2]
        assert len(made) == 4 and third == first  # each card made once shown and once hidden, then copied
        assert set(hidden_cards(fourth).values()) == {False}
        assert hidden_cards(second) == {"vt-testi-kipu": True, "vt-testi-uni": False}
        with PreviewApp(config, today=lambda: TODAY, log=lambda message: None) as fresh:
            assert request(fresh, "/widget/fi/index.html", "topic=insomnia")[2] == second
        time.sleep(0.01)
        write_catalogue(tmp_path, group_name="Kivun kanssa elävien ryhmä")
        edited = request(app, "/widget/fi/index.html", "topic=pain")[2]
        assert "Kivun kanssa elävien ryhmä" in edited and "Kipuryhmä" not in edited and app.builds == 2


def test_an_edit_is_picked_up_on_the_next_request_and_only_then(tmp_path):
    config = write_catalogue(tmp_path)
    app = PreviewApp(config, today=lambda: TODAY, log=lambda message: None)
    request(app, "/widget/fi/index.html")
    assert app.builds == 1
    time.sleep(0.01)
    write_catalogue(tmp_path, group_name="Kivun kanssa elävien ryhmä")
    _, _, body = request(app, "/widget/fi/index.html")
    assert "Kivun kanssa elävien ryhmä" in body and app.builds == 2
    request(app, "/widget/fi/index.html")
    assert app.builds == 2


def test_a_broken_edit_is_reported_not_a_crash(tmp_path):
    config = write_catalogue(tmp_path)
    app = PreviewApp(config, today=lambda: TODAY, log=lambda message: None)
    (tmp_path / "catalogue.json").write_text('{"source": "testi", "groups": [', encoding="utf-8")
    status, _, _ = request(app, "/widget/fi/index.html")
    assert status.startswith("200")
    _, _, problems = request(app, "/problems.txt")
    assert "catalogue.json" in problems


def test_serve_with_a_missing_configuration_exits_2_without_a_traceback(tmp_path, capsys):
    assert main(["serve", str(tmp_path / "missing.toml")]) == 2
    assert "Traceback" not in capsys.readouterr().out


def test_serve_on_a_port_that_is_taken_exits_2_and_says_so(tmp_path, capsys, monkeypatch):
    import socket

    import vertaistuki.serve

    builds: list = []
    monkeypatch.setattr(vertaistuki.serve, "build", lambda *args, **kwargs: builds.append(args))
    config = write_catalogue(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", str(config), "--port", str(port)]) == 2
    out = capsys.readouterr().out
    assert f"cannot start the preview on 127.0.0.1 port {port}" in out and "--port 0 picks a free port" in out
    assert "Traceback" not in out and builds == []  # the port is tried before anything is built


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_serve_refuses_a_port_that_is_no_port(tmp_path, capsys, port):
    with pytest.raises(SystemExit) as stopped:
        main(["serve", str(write_catalogue(tmp_path)), "--port", port])
    assert stopped.value.code == 2 and "--port" in capsys.readouterr().err


def test_root_redirects_to_the_first_configured_language(tmp_path):
    config = write_catalogue(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace('["fi", "sv"]', '["sv", "fi"]'), encoding="utf-8")
    app = PreviewApp(config, today=lambda: TODAY, log=lambda message: None)
    _, headers, _ = request(app, "/")
    assert headers["Location"] == "/widget/sv/index.html"


def test_the_python_host_example_in_the_widget_docs_answers_the_form(tmp_path, monkeypatch):
    """docs/widget.md's listing_page(), run as written, against a catalogue.toml in the
    working folder: a page is answered with the choices applied, twice with what was
    kept, and a page that does not exist is None."""
    guide = (Path(__file__).resolve().parents[1] / "docs" / "widget.md").read_text(encoding="utf-8")
    section = guide.split("## Embedding in a Python web application", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    write_catalogue(tmp_path)
    monkeypatch.chdir(tmp_path)
    example: dict = {}
    exec(compile(code, "docs/widget.md", "exec"), example)  # noqa: S102 (the documentation's own code)
    first = example["listing_page"]("widget/fi/index.html", {"topic": "pain"}).decode("utf-8")
    assert hidden_cards(first) == {"vt-testi-kipu": False, "vt-testi-uni": True}
    kept = example["ANSWERS"]["shared"]
    second = example["listing_page"]("widget/fi/index.html", {"topic": "insomnia"}).decode("utf-8")
    assert hidden_cards(second) == {"vt-testi-kipu": True, "vt-testi-uni": False} and example["ANSWERS"]["shared"] is kept
    assert example["listing_page"]("widget/fi/nowhere.html", {}) is None

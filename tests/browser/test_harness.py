"""The browser harness itself: the server's CSP, axe-core under that CSP, the page
watcher and javascript=False. Each check has a counterpart showing it can fail."""

from __future__ import annotations

from pathlib import Path

from browser.harness import DEFAULT_CSP, describe_violations

ACCESSIBLE = """<!doctype html>
<html lang="fi">
<head><meta charset="utf-8"><title>Vertaistukiryhmät</title></head>
<body>
<main>
  <h1>Vertaistukiryhmät</h1>
  <p>Omaisten ryhmä kokoontuu torstaisin klo 18–20.</p>
  <img src="logo.svg" alt="Omaisyhdistyksen logo">
  <a href="ryhmat.html">Kaikki ryhmät</a>
</main>
</body>
</html>
"""
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def page(title: str, body: str, head: str = "") -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f"{head}</head><body><main><h1>{title}</h1>{body}</main></body></html>")


def test_axe_passes_an_accessible_page_served_with_the_csp(tmp_path: Path, serve_directory, new_page, axe) -> None:
    (tmp_path / "index.html").write_text(ACCESSIBLE, encoding="utf-8")
    (tmp_path / "logo.svg").write_text(LOGO, encoding="utf-8")
    site = serve_directory(tmp_path)
    watch = new_page()

    response = watch.page.goto(site.url + "index.html")

    assert response is not None and response.headers["content-security-policy"] == DEFAULT_CSP
    violations = axe(watch.page)
    assert violations == [], describe_violations(violations)
    assert watch.page.evaluate("typeof axe.run") == "function"  # axe ran despite the CSP
    assert "/index.html" in site.requests and "/logo.svg" in site.requests
    watch.assert_clean()


def test_axe_reports_an_image_without_alt(tmp_path: Path, serve_directory, new_page, axe) -> None:
    (tmp_path / "index.html").write_text(page("Kuva", '<img src="logo.svg">'), encoding="utf-8")
    (tmp_path / "logo.svg").write_text(LOGO, encoding="utf-8")
    site = serve_directory(tmp_path)
    watch = new_page()
    watch.page.goto(site.url + "index.html")

    violations = axe(watch.page)

    assert [v["id"] for v in violations] == ["image-alt"], describe_violations(violations)
    assert 'img src="logo.svg"' in describe_violations(violations)


def test_the_default_csp_blocks_an_inline_script_and_the_watcher_records_it(
        tmp_path: Path, serve_directory, new_page) -> None:
    inline = page("Ennen", "<script>document.title = 'Jälkeen'</script>")
    (tmp_path / "index.html").write_text(inline, encoding="utf-8")
    strict = serve_directory(tmp_path)
    lax = serve_directory(tmp_path, headers={"Content-Security-Policy": None})

    blocked = new_page()
    blocked.page.goto(strict.url + "index.html")
    allowed = new_page()
    response = allowed.page.goto(lax.url + "index.html")

    assert blocked.page.title() == "Ennen"
    assert any("Content Security Policy" in text for text in blocked.console_errors), blocked.console_errors
    assert blocked.problems  # so assert_clean() would fail
    assert response is not None and "content-security-policy" not in response.headers
    assert allowed.page.title() == "Jälkeen"
    allowed.assert_clean()


def test_javascript_false_does_not_run_an_external_script(tmp_path: Path, serve_directory, new_page) -> None:
    (tmp_path / "index.html").write_text(
        page("Ennen", "<p>Sisältö</p>", head='<script src="app.js"></script>'), encoding="utf-8")
    (tmp_path / "app.js").write_text("document.title = 'Jälkeen';\n", encoding="utf-8")
    site = serve_directory(tmp_path)

    without = new_page(javascript=False)
    without.page.goto(site.url + "index.html")
    with_js = new_page()
    with_js.page.goto(site.url + "index.html")

    assert without.page.title() == "Ennen"
    assert with_js.page.title() == "Jälkeen"
    without.assert_clean()
    with_js.assert_clean()


def test_dialogs_are_dismissed_and_uncaught_errors_recorded(tmp_path: Path, serve_directory, new_page) -> None:
    (tmp_path / "index.html").write_text(
        page("Ennen", "", head='<script src="app.js"></script>'), encoding="utf-8")
    (tmp_path / "app.js").write_text(
        "document.title = String(confirm('Poistetaanko?'));\nthrow new Error('rikki');\n",
        encoding="utf-8")
    site = serve_directory(tmp_path)
    watch = new_page()

    watch.page.goto(site.url + "index.html")

    assert watch.page.title() == "false"  # dismissed, and the script went on
    assert watch.dialogs == ["confirm: Poistetaanko?"]
    assert watch.page_errors == ["Error: rikki"]

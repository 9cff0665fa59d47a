"""`vertaistuki validate`: grouped output, JSON for machines, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from vertaistuki.cli import main

GOOD = "source: x\norganisations:\n- {id: o, name: {fi: Yhdistys}, kind: association}\n"
BAD = GOOD + "groups:\n- {id: g, name: {fi: Ryhmä}, organiser: o, openness: ajar}\n"


@pytest.fixture
def files(tmp_path):
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "binary.yaml").write_bytes(b"\x00\x01\x02")
    return tmp_path


@pytest.mark.parametrize(("names", "code"), [(["good"], 0), (["good", "bad"], 1), (["bad", "binary"], 2)])
def test_exit_codes(files, capsys, names, code):
    assert main(["validate", *(str(files / f"{n}.yaml") for n in names)]) == code


def test_text_output_groups_problems_by_file_in_finnish(files, capsys):
    main(["validate", str(files / "good.yaml"), str(files / "bad.yaml")])
    out = capsys.readouterr().out
    good_at, bad_at = out.index("good.yaml"), out.index("bad.yaml")
    assert good_at < bad_at
    assert "[g] $.groups[0].openness" in out[bad_at:]  # the record's id, then where in it
    assert "sallitut arvot" in out  # Finnish by default


def test_json_output_for_machines(files, capsys):
    main(["validate", "--format", "json", str(files / "bad.yaml")])
    report = json.loads(capsys.readouterr().out)
    problem = report["files"][0]["problems"][0]
    assert (problem["path"], problem["record_id"], problem["severity"]) == ("$.groups[0].openness", "g", "error")
    assert set(problem["message"]) == {"fi", "en"}
    assert report["exit_code"] == 1


def test_an_opt_in_plugin_no_installed_plugin_has_is_refused(files, capsys):
    """--enable-plugin house_rule (for house_rules) would check nothing and pass the files."""
    assert main(["validate", "--enable-plugin", "no_such_rules", str(files / "good.yaml")]) == 2
    assert "no installed plugin is named 'no_such_rules'" in capsys.readouterr().out


def test_installed_command_runs_without_traceback(files):
    run = subprocess.run([sys.executable, "-m", "vertaistuki", "validate", str(files / "binary.yaml")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr + run.stdout


# A whole configuration: every source read as a build reads it, nothing rendered or written.
TOML = """[[sources]]
path = "good.yaml"
[[sources]]
path = "ryhmat.csv"
{csv_options}
[[outputs]]
renderer = "json"
[[outputs]]
renderer = "html"
options = {html_options}
[build]
out = "site"
"""
CSV = "tunniste;nimi_fi;järjestäjä;avoimuus\nmiehet;Miesten ryhmä;o;open\nnaiset;Naisten ryhmä;o;ajar\n"


def write_config(folder, csv_options="", html_options='{ languages = ["fi", "sv"] }'):
    (folder / "ryhmat.csv").write_text(CSV, encoding="utf-8")
    config = folder / "catalogue.toml"
    config.write_text(TOML.format(csv_options=csv_options, html_options=html_options), encoding="utf-8")
    return config


def test_a_catalogue_toml_is_validated_with_every_source_and_nothing_is_written(files, capsys):
    """A spreadsheet's rows are checked where they belong, in the catalogue they join;
    before, validate knew only YAML and JSON files and a CSV could be checked only by
    building."""
    code = main(["validate", "--lang", "en", str(write_config(files))])
    out = capsys.readouterr().out
    assert code == 1 and "1 groups" in out and "1 error(s)" in out  # the good row kept, the bad one reported
    # the problem names the spreadsheet and its row, not only the configuration
    assert "ryhmat.csv (row 3) [naiset] $.groups[1].openness" in out.replace("\n", " ")
    assert not (files / "site").exists()


@pytest.mark.parametrize(("csv_options", "html_options", "code", "problem_code", "path"), [
    ("", '{ langauges = ["fi"] }', 1, "renderer_option", "$.options.langauges"),
    ("", '{ languages = "fi" }', 1, "renderer_option", "$.options.languages"),
    ('options = { colection = "groups" }', '{ languages = ["fi"] }', 2, "source_option", "$.options.colection"),
])
def test_a_catalogue_tomls_options_are_checked_without_rendering(files, capsys, csv_options, html_options, code,
                                                                   problem_code, path):
    config = write_config(files, csv_options, html_options)
    assert main(["validate", "--format", "json", str(config)]) == code
    report = json.loads(capsys.readouterr().out)
    assert report["exit_code"] == code
    assert [(p["code"], p["path"]) for p in report["files"][0]["problems"] if p["code"] == problem_code] == [(problem_code, path)]
    assert not (files / "site").exists()


def test_a_catalogue_toml_that_cannot_be_read_is_unusable(files, capsys):
    (files / "broken.toml").write_text("[[sources]\n", encoding="utf-8")
    assert main(["validate", str(files / "broken.toml"), str(files / "missing.toml")]) == 2
    out = capsys.readouterr().out
    assert "broken.toml" in out and "missing.toml" in out and "Traceback" not in out


def test_build_command_writes_outputs_and_reports(tmp_path, capsys):
    (tmp_path / "catalogue.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "catalogue.toml").write_text('[[sources]]\npath = "catalogue.yaml"\n', encoding="utf-8")
    code = main(["build", str(tmp_path / "catalogue.toml"), "--out", str(tmp_path / "site"), "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 1  # published, but with a problem to fix
    assert (tmp_path / "site" / "catalogue.json").is_file()
    assert "$.groups[0].openness" in out and "wrote" in out


def test_build_command_sums_up_a_large_build_and_says_how_many_files_a_rebuild_changed(tmp_path, capsys, monkeypatch):
    # A national build publishes tens of thousands of files: a line each drowned the
    # problems (and took seconds to print). Above a few dozen files, the counts.
    monkeypatch.setattr("vertaistuki.cli._LISTED_FILES", 3)
    (tmp_path / "catalogue.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "catalogue.toml").write_text('[[sources]]\npath = "catalogue.yaml"\n', encoding="utf-8")
    site = tmp_path / "site"

    def build_lines() -> list[str]:
        assert main(["build", str(tmp_path / "catalogue.toml"), "--out", str(site), "--lang", "en"]) == 0
        return capsys.readouterr().out.splitlines()

    first = build_lines()
    total = len([p for p in site.rglob("*") if p.is_file()]) - 1  # the manifest is not an output
    assert total > 3 and not [line for line in first if line.lstrip().startswith("wrote")]
    assert f"  {total} files in {site}: {total} written, 0 unchanged" in first
    assert f"  {total} files in {site}: 0 written, {total} unchanged" in build_lines()
    (tmp_path / "catalogue.yaml").write_text(GOOD.replace("Yhdistys", "Seura"), encoding="utf-8")
    [summary] = [line for line in build_lines() if " files in " in line]
    written = int(summary.split(": ")[1].split(" written")[0])
    assert 0 < written < total  # the organisation's name is not in every file


def test_build_command_prints_the_first_problems_and_where_the_rest_are(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("vertaistuki.cli._LISTED_PROBLEMS", 2)
    bad_groups = "".join(f"- {{id: g{n}, name: {{fi: Ryhmä}}, organiser: o, openness: ajar}}\n" for n in range(5))
    (tmp_path / "catalogue.yaml").write_text(GOOD + "groups:\n" + bad_groups, encoding="utf-8")
    (tmp_path / "catalogue.toml").write_text('[[sources]]\npath = "catalogue.yaml"\n', encoding="utf-8")
    assert main(["build", str(tmp_path / "catalogue.toml"), "--out", str(tmp_path / "site"), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert out.count("$.groups[") == 2 and f"… 3 more in {tmp_path / 'site' / 'problems.txt'}" in out
    assert (tmp_path / "site" / "problems.txt").read_text(encoding="utf-8").count("$.groups[") == 5
    # Nothing published (--strict): no problems.txt to point to, so every problem is printed.
    assert main(["build", str(tmp_path / "catalogue.toml"), "--out", str(tmp_path / "strict"), "--strict"]) == 1
    assert capsys.readouterr().out.count("$.groups[") == 5


def test_build_command_into_a_folder_it_cannot_make_says_so_without_a_traceback(tmp_path):
    (tmp_path / "catalogue.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "catalogue.toml").write_text('[[sources]]\npath = "catalogue.yaml"\n', encoding="utf-8")
    (tmp_path / "site").write_text("a file in the way", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "vertaistuki", "build", str(tmp_path / "catalogue.toml"),
                          "--out", str(tmp_path / "site" / "fi"), "--lang", "en"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    assert "not published" in run.stdout and f"cannot write to the folder {tmp_path / 'site' / 'fi'}" in " ".join(run.stdout.split())


def test_build_command_strict_and_bad_config(tmp_path, capsys):
    (tmp_path / "catalogue.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "catalogue.toml").write_text('[[sources]]\npath = "catalogue.yaml"\n', encoding="utf-8")
    assert main(["build", str(tmp_path / "catalogue.toml"), "--out", str(tmp_path / "site"), "--strict"]) == 1
    assert not (tmp_path / "site").exists()
    (tmp_path / "broken.toml").write_text("[[sources]\n", encoding="utf-8")
    assert main(["build", str(tmp_path / "broken.toml")]) == 2


def test_version_is_shown(capsys):
    import vertaistuki

    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0 and capsys.readouterr().out.strip() == f"vertaistuki {vertaistuki.__version__}"


def test_a_build_that_read_nothing_does_not_end_its_line_in_a_dash(tmp_path, capsys):
    (tmp_path / "catalogue.toml").write_text('[[sources]]\npath = "puuttuu.yaml"\n', encoding="utf-8")
    main(["build", str(tmp_path / "catalogue.toml"), "--lang", "en"])
    first = capsys.readouterr().out.splitlines()[0]
    assert "not published" in first and not first.rstrip().endswith("—")

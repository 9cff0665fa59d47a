"""The association's own spreadsheet, read through the core's build pipeline."""

from pathlib import Path

import pytest
import vertaistuki_relatives_spreadsheet.source as spreadsheet

from vertaistuki import plugins
from vertaistuki.build import build
from vertaistuki.config import BuildConfig, OutputSpec, SourceSpec

SHEET = (
    "Ryhmä;Kuvaus;Kohderyhmä;Aika;Kausi alkaa;Kausi päättyy;Paikka;Osoite;Postinumero;Kunta;Ohjaaja;Avoin;Maksu\n"
    "Miesten voimaa;Miesten oma ryhmä;men;torstaisin klo 18–20;14.1.2019;27.5.2019;Omaistalo;Esimerkkikatu 5;00100;Helsinki;"
    "koulutettu vertaisohjaaja;avoin;maksuton\n"
    "Käsillä tekemisen iloa;Askartelua;carers;joka toinen tiistai klo 17.30–19.30;15.1.2019;28.5.2019;Omaistalo;"
    "Esimerkkikatu 5;00100;Helsinki;vertaisohjaaja;avoin;omavastuu 5 € / kerta\n"
    "Toiminnasta voimaa;;;joskus iltaisin;;;;;;;;avoin;\n"
)
ORGANISATION = "source: omaiset\norganisations:\n- {id: omaiset, name: {fi: Omaisyhdistys}, kind: association}\n"


@pytest.fixture
def project(tmp_path: Path) -> BuildConfig:
    (tmp_path / "ryhmat.csv").write_text(SHEET, encoding="utf-8-sig")
    (tmp_path / "catalogue.yaml").write_text(ORGANISATION, encoding="utf-8")
    return BuildConfig(
        path=tmp_path / "catalogue.toml",
        sources=(SourceSpec("catalogue.yaml"),
                 SourceSpec("ryhmat.csv", type="relatives-spreadsheet", options={"organiser": "omaiset", "regions": ["uusimaa"]})),
        outputs=(OutputSpec("json"),),
    )


def test_rows_become_groups_and_places(project):
    with plugins.registered_plugin(spreadsheet, "relatives_spreadsheet"):
        result = build(project, write=False)
    groups = {g.id: g for g in result.catalogue.groups}
    assert set(groups) == {"miesten-voimaa", "kasilla-tekemisen-iloa", "toiminnasta-voimaa"}
    men = groups["miesten-voimaa"]
    assert men.schedule.rrule == "FREQ=WEEKLY;BYDAY=TH"
    assert (str(men.schedule.start_time), str(men.schedule.end_time)) == ("18:00:00", "20:00:00")
    assert (str(men.schedule.season.start), str(men.schedule.season.end)) == ("2019-01-14", "2019-05-27")
    assert men.facilitation.kind.value == "trained_volunteer"
    assert men.regions == ("uusimaa",)
    assert men.provenance.pointer == "row 2"
    crafts = groups["kasilla-tekemisen-iloa"]
    assert crafts.schedule.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert (crafts.fee.kind.value, float(crafts.fee.amount), crafts.fee.announced_in_advance) == ("self_payment", 5.0, True)
    assert [p.id for p in result.catalogue.places] == ["omaistalo-helsinki"]  # one place, not two
    assert not [p for p in result.problems if p.code == "csv_unknown_column"]  # every column of the sheet is read


def test_a_column_the_sheet_does_not_have_is_reported_with_the_nearest(project, tmp_path):
    """A renamed column (Ohjaajat for Ohjaaja) would be left out without a word."""
    (tmp_path / "ryhmat.csv").write_text(SHEET.replace("Ohjaaja;", "Ohjaajat;").replace("Maksu\n", "Maksu;Huom\n", 1),
                                         encoding="utf-8-sig")
    with plugins.registered_plugin(spreadsheet, "relatives_spreadsheet"):
        result = build(project, write=False)
    assert [p.message.get("en") for p in result.problems if p.code == "csv_unknown_column"] == [
        'row 1: unknown column \'Ohjaajat\' (did you mean "ohjaaja"?): its values were left out',
        "row 1: unknown column 'Huom': its values were left out"]
    assert len(result.catalogue.groups) == 3


def test_an_unreadable_time_keeps_the_group_and_reports_the_row(project):
    with plugins.registered_plugin(spreadsheet, "relatives_spreadsheet"):
        result = build(project, write=False)
    group = next(g for g in result.catalogue.groups if g.id == "toiminnasta-voimaa")
    assert group.schedule is None and group.schedule_note.get("fi") == "joskus iltaisin"
    [problem] = [p for p in result.problems if p.code == "schedule_phrase"]
    assert problem.record_id == "toiminnasta-voimaa" and "rivi 4" in problem.message.get("fi")
    assert problem.source.endswith("ryhmat.csv")


@pytest.mark.parametrize(("options", "path", "en"), [
    ({}, "$.options.organiser", "source relatives-spreadsheet: option organiser is missing: the id of the organising association"),
    ({"organiser": "Omaiset ry"}, "$.options.organiser",
     'source relatives-spreadsheet: option organiser must be a record id such as "yhdistys" or "liitto:yhdistys", not "Omaiset ry"'),
    ({"organiser": "omaiset", "regions": "uusimaa"}, "$.options.regions",
     'source relatives-spreadsheet: option regions must be a list of texts such as ["a", "b"], not "uusimaa"'),
    ({"organiser": "omaiset", "region": ["uusimaa"]}, "$.options.region",
     'source relatives-spreadsheet: unknown option "region" (did you mean "regions"?)'),
])
def test_a_missing_or_mistaken_option_is_a_clear_problem(project, options, path, en):
    config = BuildConfig(path=project.path, sources=(SourceSpec("ryhmat.csv", type="relatives-spreadsheet", options=options),),
                         outputs=project.outputs)
    with plugins.registered_plugin(spreadsheet, "relatives_spreadsheet"):
        result = build(config, write=False)
    # the only source: the catalogue then also lacks its name, a problem of its own
    [problem] = [p for p in result.errors if p.code == "source_option"]
    assert (problem.code, problem.path) == ("source_option", path)
    assert problem.message.get("en").startswith(en), problem.message.get("en")
    fi = problem.message.get("fi")
    assert fi.startswith("lähteen relatives-spreadsheet ") and path.rsplit(".", 1)[1] in fi


def sheet_build(tmp_path: Path, rows: str, **options) -> object:
    header = "Ryhmä;Aika;Paikka;Osoite;Kunta;Avoin;Maksu\n"
    (tmp_path / "ryhmat.csv").write_text(header + rows, encoding="utf-8")
    (tmp_path / "catalogue.yaml").write_text(
        ORGANISATION + "places:\n- {id: omaistalo, name: {fi: Omaistalo, sv: Anhörighuset}, municipality: {fi: Helsinki, sv: Helsingfors}}\n",
        encoding="utf-8")
    config = BuildConfig(path=tmp_path / "catalogue.toml", outputs=(OutputSpec("json"),), sources=(
        SourceSpec("catalogue.yaml"),
        SourceSpec("ryhmat.csv", type="relatives-spreadsheet", options={"organiser": "omaiset", **options})))
    with plugins.registered_plugin(spreadsheet, "relatives_spreadsheet"):
        return build(config, write=False)


def test_a_place_the_catalogue_has_is_used_rather_than_copied(tmp_path):
    """The sheet's "Omaistalo" once became a second place with no Swedish name."""
    result = sheet_build(tmp_path, "Kahvila;torstaisin klo 17–19;omaistalo;Esimerkkikatu 5;Helsinki;avoin;\n",
                         places={"Omaistalo": "omaistalo"})
    [group] = result.catalogue.groups
    assert group.channels[0].place == "omaistalo" and [p.id for p in result.catalogue.places] == ["omaistalo"]


def test_a_fee_note_is_what_the_cell_says_besides_the_amount(tmp_path):
    """The listing shows "Omavastuu 2 €" itself: the note once repeated it."""
    result = sheet_build(tmp_path, "Kahvila;torstaisin klo 17–19;;;;avoin;omavastuu 2 € (kahvi)\n")
    [group] = result.catalogue.groups
    assert (float(group.fee.amount), group.fee.note.get("fi")) == (2.0, "kahvi")


def test_unclear_cells_are_reported_and_names_do_not_clash(tmp_path):
    rows = ("Omaisryhmä;torstaisin klo 18–20;Kirjasto;Katu 1;Helsinki;Suljettu ryhmä;\n"
            "Omaisryhmä;torstaisin klo 18–20;Kirjasto;Katu 2;Espoo;joskus;\n"
            "Kolmas;torstaisin klo 18–20;Talo;;;avoin;\n"
            "Neljäs;torstaisin klo 18–20;Kirjasto;Toinen katu 9;Helsinki;suljettu, ilmoittaudu;\n")
    result = sheet_build(tmp_path, rows)
    groups = {g.id: g for g in result.catalogue.groups}
    assert set(groups) == {"omaisryhma", "omaisryhma-espoo", "kolmas", "neljas"} and not result.errors, result.errors
    assert (groups["omaisryhma"].openness.value, groups["neljas"].openness.value) == ("closed", "closed")
    assert groups["omaisryhma-espoo"].openness.value == "open" and groups["kolmas"].channels == ()
    unclear = sorted((p.record_id, p.path) for p in result.problems if p.code == "relatives_spreadsheet.unclear_cell")
    assert unclear == [("kolmas", "$.groups[2].channels"), ("neljas", "$.groups[3].channels"),
                       ("omaisryhma-espoo", "$.groups[1].openness")]


def test_an_empty_sheet_or_one_in_latin_1_is_said_to_be_so(tmp_path):
    assert [p.code for p in sheet_build(tmp_path, "").problems] == ["relatives_spreadsheet.no_groups"]
    (tmp_path / "ryhmat.csv").write_bytes("Ryhmä;Aika\nKäsityöt;torstaisin klo 18\n".encode("latin-1"))
    config = BuildConfig(path=tmp_path / "catalogue.toml", outputs=(OutputSpec("json"),), sources=(
        SourceSpec("ryhmat.csv", type="relatives-spreadsheet", options={"organiser": "omaiset"}),))
    with plugins.registered_plugin(spreadsheet, "relatives_spreadsheet"):
        result = build(config, write=False)
    assert [p.code for p in result.errors if p.path == "$"][0] == "not_utf8"


def test_every_other_week_without_a_season_start_stays_as_words(tmp_path):
    """Which Tuesdays is counted from the season's start: without one it is not known."""
    result = sheet_build(tmp_path, "Kahvila;joka toinen tiistai klo 17–19;;;;avoin;\n")
    [group] = result.catalogue.groups
    assert group.schedule is None and group.schedule_note.get("fi") == "joka toinen tiistai klo 17–19"
    [problem] = [p for p in result.problems if p.code == "schedule_phrase"]
    assert "which weeks the group meets is not known" in problem.message.get("en") and not result.errors

"""Built-in source ``csv``: records exported from a spreadsheet.

Accepts UTF-8 with or without a byte-order mark, ``;`` or ``,`` (or tab) between
cells, and headers in English or Finnish (see :mod:`vertaistuki.tabular`). The path is
one CSV file (option ``collection``, default ``groups``) or a folder holding
``groups.csv``, ``places.csv``, … (or ``ryhmät.csv``, ``paikat.csv``, …, in any case);
a CSV file there whose name says no collection is an error, not a sheet left unread
without a word. Each record remembers its spreadsheet row. A column
it does not know is a warning naming the nearest one it does (``kuvaus_fii``: did you
mean ``kuvaus_fi``?), as its values are left out.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import attrs

from .. import options as option_checks
from ..csvsafe import unguard_cell
from ..documents import MAX_DOCUMENT_BYTES
from ..hookspecs import hookimpl
from ..listing import searchable
from ..options import did_you_mean, nearest
from ..problems import Problem
from ..registry import Source, SourceOutput, SourceRequest
from ..tabular import COLUMNS, record_from_row, unknown_headers

#: Finnish file names accepted in a folder, besides the English collection names.
FINNISH_FILE_NAMES = {"ryhmat": "groups", "palvelut": "services", "tapahtumat": "events",
                      "organisaatiot": "organisations", "paikat": "places", "vapaaehtoiset": "volunteers",
                      "koordinaattorit": "coordinators"}


def _decode(raw: bytes, label: str) -> tuple[str | None, list[Problem]]:
    if b"\x00" in raw:
        return None, [Problem.error(label, "$", "tiedosto ei ole CSV-tekstiä (onko se Excel-tiedosto? tallenna CSV UTF-8 -muodossa)",
                                    "the file is not CSV text (an Excel workbook? save as CSV UTF-8)", code="not_text")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return None, [Problem.error(label, "$", "tiedosto ei ole UTF-8-merkistöä; valitse tallennettaessa 'CSV UTF-8'",
                                    "the file is not UTF-8; choose 'CSV UTF-8' when saving", code="not_utf8")]


def delimiter_of(text: str) -> str:
    """The separator the header line uses most: ; (Finnish Excel), , or tab.

    Only the separator is guessed; quoting follows Excel's rules, which csv.Sniffer
    can get wrong from one line (it may decide quotes are not doubled)."""
    header = text.split("\n", 1)[0]
    return max((";", ",", "\t"), key=header.count)


def read_csv_rows(path: Path, collection: str, label: str) -> tuple[list[dict], dict[int, str], list[Problem]]:
    """Records of one collection from one CSV file, with 'row N' pointers."""
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            return [], {}, [Problem.error(label, "$", "tiedosto on liian suuri", "the file is too large", code="file_too_large")]
        raw = path.read_bytes()
    except OSError:
        return [], {}, [Problem.error(label, "$", "tiedostoa ei löydy tai sitä ei voi lukea", "the file is missing or unreadable",
                                      code="file_missing")]
    text, problems = _decode(raw, label)
    if text is None:
        return [], {}, problems
    if not text.strip():
        return [], {}, [Problem.error(label, "$", "tiedosto on tyhjä", "the file is empty", code="file_empty")]
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=csv.excel, delimiter=delimiter_of(text))
    for header, near in unknown_headers(collection, reader.fieldnames or ()):
        hint_fi, hint_en = option_checks.did_you_mean(near)
        problems.append(attrs.evolve(Problem.warning(
            label, "$", f"tuntematon sarake {header!r}{hint_fi}: sen arvot jätettiin pois",
            f"unknown column {header!r}{hint_en}: its values were left out", code="csv_unknown_column"), where="row 1"))
    records, pointers = [], {}
    for row_number, row in enumerate(reader, start=2):  # row 1 holds the headers
        cleaned = {header: unguard_cell(value or "") for header, value in row.items() if header is not None}
        if not any(value.strip() for value in cleaned.values()):
            continue  # spreadsheets often end in blank rows
        record, errors = record_from_row(collection, cleaned)
        index = len(records)
        pointer = f"row {row_number}"
        for error in errors:
            problems.append(Problem.error(label, f"$.{collection}[{index}].{'.'.join(error.column.path)}",
                                          f"rivi {row_number}: {error.fi}", f"row {row_number}: {error.en}",
                                          record_id=record.get("id"), code="csv_cell"))
        records.append(record)
        pointers[index] = pointer
    return records, pointers, problems


#: One file's collection (a folder's files are named after theirs).
OPTIONS: dict[str, option_checks.Check] = {"collection": option_checks.one_of(*COLUMNS)}


def collection_of(file_name: str) -> str | None:
    """The collection a folder's CSV file holds, by its name in English or Finnish, in
    any case and with or without ä and ö (Ryhmät.CSV is groups)."""
    stem = searchable(file_name.rsplit(".", 1)[0].strip())
    collection = FINNISH_FILE_NAMES.get(stem, stem)
    return collection if collection in COLUMNS else None


def _folder_files(folder: Path) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """The folder's CSV files and their collections; a CSV file whose name says none is
    an error (its rows would be left out without a word: a whole sheet of groups)."""
    files, problems = [], []
    known = sorted({*COLUMNS, *FINNISH_FILE_NAMES})
    for file in sorted(folder.iterdir()):
        if file.suffix.lower() != ".csv" or not file.is_file():
            continue
        collection = collection_of(file.name)
        if collection is not None:
            files.append((file, collection))
            continue
        near = nearest(searchable(file.stem), known)
        hint_fi, hint_en = did_you_mean(f"{near}.csv" if near else None)
        problems.append(Problem.error(
            str(file), "$",
            f"tiedoston nimestä ei näe, mitä se sisältää, joten sitä ei luettu: nimeä se kokoelman mukaan "
            f"(ryhmat.csv, paikat.csv, …){hint_fi}",
            f"the file's name does not say what it holds, so it was not read: name it after its collection "
            f"(groups.csv, places.csv, …){hint_en}", code="csv_unknown_file"))
    return files, problems


def read_csv(request: SourceRequest) -> SourceOutput:
    path = Path(request.path_or_url)
    option_checks.check("csv", request.options, OPTIONS)
    if path.is_dir():
        if "collection" in request.options:  # each file's name says its collection
            raise option_checks.OptionError(
                "option collection is for one CSV file; in a folder each file is named after its collection (groups.csv, places.csv, …)",
                "asetus collection on yhdelle CSV-tiedostolle; kansiossa kunkin tiedoston nimi kertoo kokoelman (ryhmat.csv, paikat.csv, …)",
                "collection")
        files, problems = _folder_files(path)
    else:
        files, problems = [(path, request.options.get("collection", "groups"))], []
    data: dict[str, list] = {}
    pointers: dict[tuple[str, int], str] = {}
    for file, collection in files:
        records, row_pointers, file_problems = read_csv_rows(file, collection, str(file))
        offset = len(data.setdefault(collection, []))
        data[collection].extend(records)
        # In a folder, say which file; for a single file the location already does.
        prefix = f"{file.name} " if path.is_dir() else ""
        pointers.update({(collection, offset + index): prefix + where for index, where in row_pointers.items()})
        problems.extend(file_problems)
    return SourceOutput(data=data, pointers=pointers, problems=tuple(problems))


@hookimpl
def register_sources(register):
    register(Source(
        name="csv",
        read=read_csv,
        description="Spreadsheet rows (CSV, ; or , separated, Finnish or English headers).",
        suffixes=(".csv",),
        options=OPTIONS,
    ))

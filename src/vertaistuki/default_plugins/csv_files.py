"""Built-in renderer ``csv``: one spreadsheet per entity, safe to open in Excel.

- UTF-8 with a byte-order mark, so Excel shows ä and ö correctly;
- ``;`` between cells by default, as Finnish-locale Excel expects (``delimiter`` option);
- every cell quoted, and a cell that would start a formula prefixed with an apostrophe;
- phone numbers in national form (040 754 9716);
- Finnish headers by default (``headers: en`` for English); the CSV source reads both.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator

from .. import options as option_checks
from ..convert import unstructure
from ..csvsafe import guard_cell
from ..hookspecs import hookimpl
from ..model import Catalogue, national_phone
from ..registry import RenderContext, Renderer
from ..tabular import COLUMNS, FOR_PEOPLE, cell_value
from ..wording import describe_schedule, describe_status

# Read-only columns for people (tabular.FOR_PEOPLE): the schedule and status in words.
_SCHEDULE_WORDS = {"en": ("schedule_text", "status_text"), "fi": (FOR_PEOPLE["schedule_text"], FOR_PEOPLE["status_text"])}


def _delimiter(value: object) -> tuple[str, str] | None:
    if isinstance(value, str) and len(value) == 1 and value not in '"\r\n':
        return None
    shown = option_checks.shown(value)
    return f'yksi merkki, esimerkiksi ";" tai ",", ei {shown}', f'one character such as ";" or ",", not {shown}'


OPTIONS: dict[str, option_checks.Check] = {"headers": option_checks.one_of("fi", "en"), "delimiter": _delimiter}


def render_csv(catalogue: Catalogue, context: RenderContext) -> Iterator[tuple[str, Iterator[bytes]]]:
    option_checks.check("csv", context.options, OPTIONS)
    headers = context.options.get("headers", "fi")
    delimiter = context.options.get("delimiter", ";")
    for collection, columns in COLUMNS.items():
        records = getattr(catalogue, collection)
        if records:
            yield f"csv/{collection}.csv", _rows(catalogue, collection, records, columns, headers, delimiter)


def _rows(catalogue: Catalogue, collection: str, records, columns, headers: str, delimiter: str,
          batch: int = 1000) -> Iterator[bytes]:
    """One spreadsheet in chunks of ``batch`` rows: a national one never exists whole."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    in_words = collection in ("groups", "services", "events")
    writer.writerow(["stable_id" if headers == "en" else FOR_PEOPLE["stable_id"],
                     *(getattr(column, headers) for column in columns),
                     *(_SCHEDULE_WORDS[headers] if in_words else ())])
    yield codecs.BOM_UTF8
    for number, record in enumerate(records, 1):
        data = unstructure(record)
        cells = [catalogue.stable_id(record.id), *(cell_value(data, column, national_phone) for column in columns)]
        if in_words:
            schedule = getattr(record, "schedule", None)
            cells += [describe_schedule(schedule, headers) if schedule else "", describe_status(record.status, headers)]
        writer.writerow([guard_cell(cell) for cell in cells])
        if number % batch == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


@hookimpl
def register_renderers(register):
    register(Renderer(
        name="csv",
        media_type="text/csv",
        suffix=".csv",
        render=render_csv,
        description="One Excel-friendly CSV file per entity (groups, services, events, …).",
        cycle_free=True,  # tests/test_build.py: what it makes goes by reference counting
        options=OPTIONS,
    ))

"""Spreadsheet-safe CSV cells.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run
as a formula by Excel and LibreOffice ("CSV injection"). Such cells are written with a
leading apostrophe, which spreadsheets show as text; the CSV source strips it again so
that our own exports read back unchanged.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def guard_cell(value: str) -> str:
    return GUARD + value if value.startswith(FORMULA_STARTS) else value


def unguard_cell(value: str) -> str:
    if value.startswith(GUARD) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value

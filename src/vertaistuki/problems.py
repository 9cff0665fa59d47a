"""The one error shape: whatever layer finds a problem (file reading, JSON Schema,
cattrs, a semantic rule, a plugin), it reports a :class:`Problem` naming the source, the
record, the field path and what is wrong in Finnish and English."""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from .model import Severity, Text


def os_reason(error: OSError) -> str:
    """What went wrong with a file or folder, for a problem's message: the system's own
    words ("No space left on device"), else the whole error."""
    return error.strerror or str(error)


@attrs.frozen
class Problem:
    """One thing wrong with the input, worded for a volunteer editor.

    ``path`` uses the JSON path style shared by jsonschema and cattrs
    (``$.groups[3].schedule.rrule``); ``record_id`` is the id the editor wrote, when
    the record has one; ``code`` is a stable machine-readable name for the rule.
    """

    source: str
    message: Text
    path: str = "$"
    record_id: str | None = None
    severity: Severity = Severity.ERROR
    code: str = "invalid"
    where: str | None = None  # a place a person can find: "row 14", "groups.csv row 3"

    @classmethod
    def error(cls, source: str, path: str, fi: str, en: str, *, record_id: str | None = None, code: str = "invalid") -> Problem:
        return cls(source, Text.of(fi=fi, en=en), path, record_id, Severity.ERROR, code)

    @classmethod
    def warning(cls, source: str, path: str, fi: str, en: str, *, record_id: str | None = None, code: str = "warning") -> Problem:
        return cls(source, Text.of(fi=fi, en=en), path, record_id, Severity.WARNING, code)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def record_path(self) -> str:
        """``$.groups[3]`` for ``$.groups[3].schedule.rrule``: the record the path is in."""
        parts = self.path.split(".")
        return ".".join(parts[:2]) if len(parts) > 1 and "[" in parts[1] else "$"

    def describe(self, language: str = "fi") -> str:
        record = f" [{self.record_id}]" if self.record_id else ""
        where = f" ({self.where})" if self.where else ""
        return f"{self.source}{where}{record} {self.path}: {self.message.get(language)}"

    def for_publishing(self) -> Problem:
        """The problem as a report published beside the outputs says it. A message about
        a volunteer's personal detail may quote the value (a phone number that is not
        one), and nobody consented to it being published: the report says where, and the
        editor sees the whole message when building or with ``vertaistuki validate``."""
        found = _PERSONAL_DETAIL.search(self.path)
        if found is None:
            return self
        detail = found.group(1) or "personal"
        return attrs.evolve(self, message=Text.of(
            fi=f"henkilötieto {detail} ei kelpaa: katso viesti komennolla vertaistuki validate "
               "(henkilötietoa ei näytetä julkaistussa raportissa)",
            en=f"the personal detail {detail} is not valid: see the message with vertaistuki validate "
               "(personal details are not shown in a published report)"))

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "record_id": self.record_id,
            "path": self.path,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message.as_dict(),
            "where": self.where,
        }


# "$.volunteers[2].personal.phone.value": a detail published only with consent.
_PERSONAL_DETAIL = re.compile(r"\.personal(?:\.(\w+))?")


class ProblemError(Exception):
    """Raised where a caller asked for strictness (``strict=True``) and problems exist."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(p.describe("en") for p in self.problems[:20])
        more = f"\n… and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"{len(self.problems)} problem(s):\n{lines}{more}")

"""Federation house rules, as a vertaistuki plugin.

A national listing is only useful if a visitor can reach someone and filter by region,
so the federation asks every member's group to name a contact (an organisation-level
contact, or a consenting volunteer or coordinator) and at least one region. Groups that
break a rule are reported and left out of the build, like any other invalid record.

These are one federation's rules, not everyone's: the plugin is opt-in, used only by
builds that enable it (``[plugins] enable = ["house_rules"]`` in catalogue.toml, or
``vertaistuki validate --enable-plugin house_rules``).
"""

from __future__ import annotations

from vertaistuki.hookspecs import hookimpl
from vertaistuki.model import Group
from vertaistuki.problems import Problem

VERTAISTUKI_OPT_IN = True


@hookimpl
def validate_record(record, context):
    if not isinstance(record, Group):
        return None
    path = f"$.{context.collection}[{context.index}]"
    problems = []
    if record.contact is None and not record.contacts:
        problems.append(Problem.error(
            context.source, f"{path}.contacts",
            "liiton sääntö: ryhmälle pitää nimetä yhteyshenkilö tai yhteystiedot",
            "federation rule: a group must name a contact person or contact details",
            record_id=record.id, code="house_rule.contact"))
    if not record.regions:
        problems.append(Problem.error(
            context.source, f"{path}.regions",
            "liiton sääntö: ryhmälle pitää merkitä alue (maakunta)",
            "federation rule: a group must name its region",
            record_id=record.id, code="house_rule.region"))
    return problems

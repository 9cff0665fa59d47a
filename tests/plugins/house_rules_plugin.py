"""Test plugin (validate_record): one association's house rules for group names.

A name in capitals is an error (the group is left out); a group without a
description gets a warning (the group is kept). Not opt-in, so it applies to every
catalogue while it is registered.
"""

from __future__ import annotations

from vertaistuki.hookspecs import hookimpl
from vertaistuki.model import Group
from vertaistuki.problems import Problem


@hookimpl
def validate_record(record, context):
    if not isinstance(record, Group):
        return None
    path = f"$.{context.collection}[{context.index}]"
    problems = []
    if record.name.get("fi").isupper():
        problems.append(Problem.error(
            context.source, f"{path}.name",
            "yhdistyksen sääntö: ryhmän nimeä ei kirjoiteta isoin kirjaimin",
            "house rule: a group name is not written in capitals",
            record_id=record.id, code="house_rule.capitals"))
    if record.description is None:
        problems.append(Problem.warning(
            context.source, f"{path}.description",
            "yhdistyksen sääntö: ryhmälle kannattaa kirjoittaa kuvaus",
            "house rule: a group should have a description",
            record_id=record.id, code="house_rule.description"))
    return problems

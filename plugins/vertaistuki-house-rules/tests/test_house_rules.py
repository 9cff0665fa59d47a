"""The federation's house rules, applied through the validate_record hook."""

import vertaistuki
import vertaistuki_house_rules
from vertaistuki import plugins

CATALOGUE = {
    "source": "jasen",
    "organisations": [{"id": "jasen", "name": {"fi": "Jäsenyhdistys"}, "kind": "association"}],
    "groups": [
        {"id": "hyva", "name": {"fi": "Hyvä"}, "organiser": "jasen", "openness": "open",
         "regions": ["pirkanmaa"], "contact": {"email": "ryhma@example.org"}},
        {"id": "nimeton", "name": {"fi": "Nimetön"}, "organiser": "jasen", "openness": "open"},
    ],
}


def test_groups_without_contact_or_region_are_reported_and_left_out():
    with plugins.registered_plugin(vertaistuki_house_rules, "house_rules"), plugins.enabled(["house_rules"]):
        result = vertaistuki.load_data(CATALOGUE, "jasen.yaml")
    assert [g.id for g in result.catalogue.groups] == ["hyva"]
    found = {(p.record_id, p.code, p.path) for p in result.problems}
    assert found == {("nimeton", "house_rule.contact", "$.groups[1].contacts"),
                     ("nimeton", "house_rule.region", "$.groups[1].regions")}


def test_installed_but_not_enabled_the_rules_do_not_apply():
    with plugins.registered_plugin(vertaistuki_house_rules, "house_rules"):
        result = vertaistuki.load_data(CATALOGUE, "jasen.yaml")
        [info] = [i for i in plugins.list_plugins() if i.name == "house_rules"]
    assert [g.id for g in result.catalogue.groups] == ["hyva", "nimeton"]
    assert info.opt_in

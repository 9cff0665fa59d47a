"""Meta-tests: every hook is documented, with its exact signature, and tested; every
default plugin is registered; the docs' examples run and the guide shows the example
plugin as it really is."""

from __future__ import annotations

import ast
import inspect
import re
import types
from pathlib import Path

import pytest

import vertaistuki
from vertaistuki import hookspecs, plugins
from vertaistuki.model import Catalogue
from vertaistuki.privacy import publishable
from vertaistuki.registry import RenderContext, Renderer

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
HOOKS_DOC = ROOT / "docs" / "plugin_hooks.md"
GUIDE = ROOT / "docs" / "writing-a-plugin.md"
HELLO = ROOT / "examples" / "plugins" / "hello_renderer"
SPEC_MARK = f"{hookspecs.hookspec.project_name}_spec"

HOOKSPECS = {name: function for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
             if hasattr(function, SPEC_MARK)}


def signature_line(function) -> str:
    """``name(param: Annotation, …) -> Return`` with the annotations as written in the
    source (``from __future__ import annotations`` keeps them as strings)."""
    signature = inspect.signature(function)
    parameters = []
    for parameter in signature.parameters.values():
        text = parameter.name
        if parameter.annotation is not inspect.Parameter.empty:
            text += f": {parameter.annotation}"
        if parameter.default is not inspect.Parameter.empty:
            text += f" = {parameter.default!r}"
        parameters.append(text)
    returns = "" if signature.return_annotation is inspect.Signature.empty else f" -> {signature.return_annotation}"
    return f"{function.__name__}({', '.join(parameters)}){returns}"


def source_signature(name: str) -> str:
    """The same line, read from hookspecs.py with ast, to check signature_line itself."""
    tree = ast.parse(Path(hookspecs.__file__).read_text(encoding="utf-8"))
    [node] = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == name]
    return f"{name}({ast.unparse(node.args)}) -> {ast.unparse(node.returns)}"


def code_blocks(markdown: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", markdown, flags=re.MULTILINE | re.DOTALL)


def test_the_hookspecs_are_the_five_hooks_of_the_design():
    assert sorted(HOOKSPECS) == ["register_renderers", "register_sources", "register_vocabularies",
                                 "transform_catalogue", "validate_record"]
    relay = plugins.get_plugin_manager().hook
    manager_hooks = {name for name, caller in vars(relay).items() if caller.has_spec()}
    assert manager_hooks == set(HOOKSPECS)


@pytest.mark.parametrize("name", sorted(HOOKSPECS))
def test_every_hookspec_has_a_docstring(name):
    docstring = inspect.getdoc(HOOKSPECS[name])
    assert docstring and ":param" in docstring and "Return" in docstring, f"{name} needs a docstring with :param: and Returns"
    assert "Example::" in docstring and f"def {name}(" in docstring, f"{name}'s docstring needs an example"
    for parameter in inspect.signature(HOOKSPECS[name]).parameters:
        assert f":param {parameter}:" in docstring, f"{name}'s docstring does not describe {parameter}"
    # the docstring says whether the hook stops at the first result, and says it truly
    firstresult = getattr(HOOKSPECS[name], SPEC_MARK)["firstresult"]
    assert ("Not firstresult" not in docstring) == firstresult, f"{name}: firstresult={firstresult}, docstring disagrees"


@pytest.mark.parametrize("name", sorted(HOOKSPECS))
def test_every_hook_is_documented_with_its_exact_signature(name):
    line = signature_line(HOOKSPECS[name])
    assert line == source_signature(name)
    document = HOOKS_DOC.read_text(encoding="utf-8")
    assert f"\n## {name}\n" in document, f"docs/plugin_hooks.md has no section for {name}"
    assert line in {text.strip() for text in document.splitlines()}, f"docs/plugin_hooks.md lacks the line: {line}"


@pytest.mark.parametrize("name", sorted(HOOKSPECS))
def test_every_hook_has_a_test(name):
    defined = {node.name
               for path in TESTS.rglob("*.py")
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.FunctionDef)}
    assert f"test_hook_{name}" in defined


def test_every_default_plugin_is_registered_and_listed_as_default():
    manager = plugins.get_plugin_manager()
    infos = {info.name: info for info in plugins.list_plugins()}
    for module_name in plugins.DEFAULT_PLUGINS:
        module = manager.get_plugin(module_name)
        assert module is not None and module.__name__ == module_name
        info = infos[module_name]
        assert info.is_default and info.hooks and info.distribution is None
        assert set(info.hooks) <= set(HOOKSPECS)
    assert {name for name, info in infos.items() if info.is_default} == set(plugins.DEFAULT_PLUGINS)


def test_built_in_vocabularies_come_through_the_same_register_callback():
    """The built-in terms reach the core only as a plugin's would: through the
    register_vocabularies hook, stamped with the plugin's name, and gone when that
    plugin is left out."""
    name = "vertaistuki.default_plugins.vocabularies"
    from vertaistuki.default_plugins.vocabularies import builtin_terms

    [info] = [info for info in plugins.list_plugins() if info.name == name]
    assert info.is_default and info.hooks == ("register_vocabularies",) and info.distribution is None
    registered = plugins.registered_terms()
    assert builtin_terms() and all(registered[(term.vocabulary, term.id)].plugin == name for term in builtin_terms())
    assert all(registered[(term.vocabulary, term.id)].value is term for term in builtin_terms())
    with plugins.disabled([name]):
        assert not set(plugins.vocabulary_terms()) & {(term.vocabulary, term.id) for term in builtin_terms()}


def test_the_core_reaches_built_ins_only_through_the_plugin_manager():
    """No module outside default_plugins imports one: built-ins are plugins, not special cases."""
    package = Path(vertaistuki.__file__).parent
    for path in package.rglob("*.py"):
        if "default_plugins" in path.relative_to(package).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                imported = [f"{node.module or ''}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            else:
                continue
            assert not [name for name in imported if "default_plugins" in name], f"{path.name} imports a built-in plugin"


SAMPLE = {
    "source": "omaiset",
    "organisations": [{"id": "omaiset", "name": {"fi": "Omaisyhdistys"}, "kind": "association"}],
    "groups": [
        {"id": "vertaisryhma", "name": {"fi": "Vertaisryhmä", "sv": "Kamratgrupp"}, "organiser": "omaiset",
         "openness": "open", "description": {"fi": "Omaisille."}},
        {"id": "askartelu", "name": {"fi": "Askartelu"}, "organiser": "omaiset", "openness": "closed"},
    ],
}
PLUGIN_EXAMPLES = [block for block in code_blocks(HOOKS_DOC.read_text(encoding="utf-8"), "python") if "@hookimpl" in block]


def test_every_hook_has_a_runnable_example():
    implemented = {name for block in PLUGIN_EXAMPLES for name in HOOKSPECS if f"def {name}(" in block}
    assert implemented == set(HOOKSPECS)


@pytest.mark.parametrize("number", range(len(PLUGIN_EXAMPLES)))
def test_the_hook_examples_run(number):
    module = types.ModuleType(f"plugin_hooks_example_{number}")
    exec(compile(PLUGIN_EXAMPLES[number], f"docs/plugin_hooks.md (example {number + 1})", "exec"), module.__dict__)
    name = f"docs-example-{number + 1}"
    with plugins.registered_plugin(module, name):
        provided = [value for registry in (plugins.sources(), plugins.renderers(), plugins.vocabulary_terms())
                    for value in registry.values() if plugins.provider_of(value) == name]
        result = vertaistuki.load_data(SAMPLE, "omaiset.json")
        transformed, problems = plugins.apply_transforms(result.catalogue)
        rendered = [renderer.files(publishable(transformed), RenderContext())
                    for renderer in provided if isinstance(renderer, Renderer)]
    registers = [hook for hook in HOOKSPECS if hook.startswith("register_") and hasattr(module, hook)]
    assert bool(provided) == bool(registers)
    assert not [p for p in (*result.problems, *problems) if p.code == "plugin_failed"]
    assert [group.id for group in result.catalogue.groups] == ["vertaisryhma", "askartelu"]
    assert isinstance(transformed, Catalogue)
    for files in rendered:
        assert files and all(isinstance(content, bytes) for content in files.values())


def test_the_guide_shows_the_example_plugin_as_it_is():
    guide = GUIDE.read_text(encoding="utf-8")
    for relative in ("pyproject.toml", "src/vertaistuki_hello/__init__.py", "tests/test_hello.py", "catalogue.toml"):
        content = (HELLO / relative).read_text(encoding="utf-8")
        assert f"```{'toml' if relative.endswith('.toml') else 'python'}\n{content}```" in guide, (
            f"docs/writing-a-plugin.md must show {relative} verbatim")


def test_the_guide_covers_what_a_plugin_author_needs():
    guide = GUIDE.read_text(encoding="utf-8")
    for needed in ("[project.entry-points.vertaistuki]", "from vertaistuki.hookspecs import hookimpl", "provider_of",
                   "PluginError", "registered_plugin", "VERTAISTUKI_LOAD_PLUGINS", "[plugins]", "disable = [",
                   "VERTAISTUKI_OPT_IN", "publish"):
        assert needed in guide, needed

"""Meta-test: every hook in contracts/hookspecs.py is documented in docs/plugins.md (a
``## portal_xxx`` section) and exercised by at least one test file under tests/."""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import contracts.hookspecs as hookspecs
from contracts import PROJECT

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "plugins.md"
SPEC_MARK = f"{PROJECT}_spec"


def defined_functions() -> dict[str, object]:
    return {name: obj for name, obj in vars(hookspecs).items()
            if inspect.isfunction(obj) and obj.__module__ == hookspecs.__name__}


HOOKS = sorted(defined_functions())


def test_hookspecs_holds_only_prefixed_specs():
    assert {"portal_scheme_info", "portal_settle", "portal_adjudicate_claim"} <= set(HOOKS)
    for name, function in defined_functions().items():
        assert name.startswith("portal_"), name
        assert hasattr(function, SPEC_MARK), f"{name} is not a @hookspec"
        assert inspect.getdoc(function), f"{name} has no docstring"
        signature = inspect.signature(function)
        assert signature.return_annotation is not inspect.Signature.empty, name
        assert all(parameter.annotation is not inspect.Parameter.empty
                   for parameter in signature.parameters.values()), name


@pytest.mark.parametrize("hook", HOOKS)
def test_each_hook_has_a_section_in_the_plugin_guide(hook):
    guide = GUIDE.read_text(encoding="utf-8")
    assert re.search(rf"^##\s+`?{hook}`?\s*$", guide, re.MULTILINE), (
        f"docs/plugins.md has no '## {hook}' section")


@pytest.mark.parametrize("hook", HOOKS)
def test_each_hook_is_referenced_by_a_test(hook):
    this = Path(__file__).resolve()
    users = [path for path in (ROOT / "tests").rglob("test_*.py")
             if path.resolve() != this and hook in path.read_text(encoding="utf-8")]
    assert users, f"no test under tests/ calls {hook}"

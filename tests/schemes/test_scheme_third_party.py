"""A third-party scheme becomes available by installing its package, with no change to
portal/, contracts/ or plugins/: examples/tiered_rebate is installed into the running
environment (offline: no dependencies, no build isolation), found through its entry point,
used, then uninstalled so the other tests see the original four schemes."""
from __future__ import annotations

import importlib
import importlib.util
import shutil
import subprocess
import sys
from datetime import date
from importlib import metadata
from pathlib import Path

import pluggy
import pytest
from marshmallow import ValidationError

import contracts.hookspecs
from contracts import Period, PeriodFacts, ShipmentFact, load_terms, validate_result
from tests.schemes.scheme_builders import D

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tiered_rebate"
DISTRIBUTION = "odm-tiered-rebate"
TIERS = {"tiers": [{"min_quantity": 0, "rate": "1"}, {"min_quantity": 1000, "rate": "2"}]}


def installed() -> bool:
    try:
        metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return False
    return True


def can_build_offline() -> bool:
    """setuptools builds wheels alone from 70.1; before that it needs the wheel package."""
    import setuptools

    version = tuple(int(part) for part in setuptools.__version__.split(".")[:2])
    return version >= (70, 1) or importlib.util.find_spec("wheel") is not None


def pip(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check",
                           "--quiet", *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"pip {' '.join(args)} failed:\n{done.stdout}{done.stderr}"


def forget_example() -> None:
    for name in [name for name in sys.modules if name.split(".")[0] == "odm_tiered_rebate"]:
        del sys.modules[name]
    importlib.invalidate_caches()  # also clears importlib.metadata's directory cache


@pytest.fixture(scope="module")
def example_source(tmp_path_factory):
    """Install a copy (building in place would leave build/ in the repository)."""
    if installed():  # someone installed it by hand: use it, leave it
        yield EXAMPLE
        return
    source = tmp_path_factory.mktemp("third_party") / "tiered_rebate"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", "__pycache__", ".pytest_cache"))
    # Offline when the environment can build (wheel present); else pip fetches setuptools.
    offline = ["--no-build-isolation", "--no-index"] if can_build_offline() else []
    pip("install", "--no-deps", *offline, str(source))
    forget_example()
    try:
        yield source
    finally:
        pip("uninstall", "--yes", DISTRIBUTION)
        forget_example()
        assert not installed(), f"{DISTRIBUTION} is still installed"


def fresh_manager() -> pluggy.PluginManager:
    """What the portal does in create_app."""
    manager = pluggy.PluginManager("odm_portal")
    manager.add_hookspecs(contracts.hookspecs)
    manager.load_setuptools_entrypoints("odm_portal.schemes")
    manager.check_pending()
    return manager


def test_an_installed_scheme_package_is_found_beside_the_built_ins(example_source):
    schemes = contracts.collect_schemes(fresh_manager())
    assert {"buyout_rebate", "parts_ratio", "price_discount", "repair_compensation",
            "tiered_rebate"} <= set(schemes)
    info = schemes["tiered_rebate"]
    assert info.name("zh_Hant_HK") == "階梯式貨款回贈"
    assert info.name("fr") == "Ristourne par paliers"
    assert not info.handles_claims


def test_its_terms_are_validated_by_its_own_schema(example_source):
    info = contracts.collect_schemes(fresh_manager())["tiered_rebate"]
    assert load_terms(info, TIERS)["tiers"][1]["rate"] == D("2")
    with pytest.raises(ValidationError):
        load_terms(info, {"tiers": [{"min_quantity": 5, "rate": "101"}]})


def test_it_settles_through_the_same_hook(example_source):
    manager = fresh_manager()
    info = contracts.collect_schemes(manager)["tiered_rebate"]
    facts = PeriodFacts("ACME", "EUR", date(2024, 1, 1),
                        Period(date(2024, 3, 1), date(2024, 3, 31)), shipments=(
                            ShipmentFact("S1", "SH-1", "KTV-55A", "B1", 1200, D("300.00"),
                                         "EUR", date(2024, 3, 5)),))
    result = manager.hook.portal_settle(scheme_key="tiered_rebate",
                                        terms=load_terms(info, TIERS), facts=facts)
    validate_result(result, "EUR", scheme_key="tiered_rebate", info=info)
    assert result.total == D("7200.00")  # 1,200 units reach the 2 % tier


def test_its_own_tests_pass_without_the_portal(example_source):
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                          cwd=example_source, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr

"""The built-in schemes are found the way a third party's are: through the entry points of
the installed odm-portal distribution (``pip install -e .``)."""
from __future__ import annotations

from importlib import metadata

import pluggy

import contracts.hookspecs
from contracts import ENTRY_POINT_GROUP, PROJECT, build_plugin_manager, collect_schemes
from tests.schemes.scheme_builders import D, facts, shipment

BUILT_INS = {"buyout_rebate", "parts_ratio", "price_discount", "repair_compensation"}


def test_the_four_built_ins_load_through_the_entry_point_group():
    declared = {ep.name for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}
    assert BUILT_INS <= declared, "install the project first: pip install --no-deps -e ."

    manager = pluggy.PluginManager("odm_portal")
    manager.add_hookspecs(contracts.hookspecs)
    manager.load_setuptools_entrypoints("odm_portal.schemes")
    manager.check_pending()

    keys = {info.key for info in manager.hook.portal_scheme_info()}
    assert BUILT_INS <= keys
    for key in BUILT_INS:  # each registered under its entry-point name, its scheme key
        assert manager.get_plugin(key).__name__ == f"plugins.{key}"


def test_firstresult_dispatch_reaches_the_contracts_scheme():
    manager = build_plugin_manager()
    assert PROJECT == "odm_portal" and BUILT_INS <= set(collect_schemes(manager))
    period = facts("USD", shipments=(shipment(quantity=120, price="249.99", currency="USD"),))
    discount = manager.hook.portal_settle(
        scheme_key="price_discount", terms={"discount_rate": D("3")},
        facts=period)
    rebate = manager.hook.portal_settle(
        scheme_key="buyout_rebate", terms={"rebate_rate": D("3")},
        facts=period)
    assert discount.lines[0].section == "discount" and rebate.lines[0].section == "rebate"
    assert manager.hook.portal_settle(scheme_key="unknown", terms={}, facts=period) is None

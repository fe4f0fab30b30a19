"""Properties that hold for any facts: totals are sums of rounded lines, entitlements are
never negative, settling is deterministic and independent of the order facts come in."""
from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from contracts import ClaimDecision, ClaimHistory, DecidedClaim, ShippedUnit
from contracts.domain import round_money
from tests.schemes.scheme_builders import D, adjudicate, claim, facts, part_issue, settle, shipment

MODELS = ("KTV-55A", "KTV-43B", "KTM-27C")
CURRENCIES = ("CNY", "USD", "JPY")
FAST = settings(max_examples=60, deadline=None, database=None)

rates = st.decimals(min_value=D("0.01"), max_value=D("100"), places=2)
prices = st.decimals(min_value=D("0"), max_value=D("5000"), places=2)


@st.composite
def shipment_lists(draw, currency):
    rows = draw(st.lists(st.tuples(st.sampled_from(MODELS), st.integers(-40, 400), prices,
                                   st.integers(1, 31)), max_size=12))
    return tuple(shipment(model, quantity, str(price), ref=f"S{index}", day=day,
                          currency=currency, shipment_no=f"SH-{index % 3}")
                 for index, (model, quantity, price, day) in enumerate(rows))


@st.composite
def part_issue_lists(draw, currency):
    rows = draw(st.lists(st.tuples(st.sampled_from(MODELS),
                                   st.sampled_from(("main_board", "panel", "remote")),
                                   st.integers(1, 6), st.integers(1, 31)), max_size=12))
    return tuple(part_issue(f"P-{category}", quantity, ref=f"I{index}", category=category,
                            model=model, day=day, currency=currency)
                 for index, (model, category, quantity, day) in enumerate(rows))


def shuffled(items, seed):
    items = list(items)
    random.Random(seed).shuffle(items)
    return tuple(items)


@FAST
@given(data=st.data(), currency=st.sampled_from(CURRENCIES), rate=rates, seed=st.integers())
def test_discount_total_is_the_sum_of_rounded_lines_in_any_fact_order(data, currency, rate,
                                                                        seed):
    shipments = data.draw(shipment_lists(currency))
    terms = {"discount_rate": str(rate)}
    result = settle("price_discount", terms, facts(currency, shipments=shipments))
    expected = sum((round_money(s.value * rate / 100, currency) for s in shipments), D(0))
    assert result.total == expected
    assert result.total == sum((line.signed_amount for line in result.lines), D(0))
    assert result == settle("price_discount", terms,
                            facts(currency, shipments=shuffled(shipments, seed)))


@FAST
@given(data=st.data(), currency=st.sampled_from(CURRENCIES), rate=rates, seed=st.integers())
def test_rebate_is_one_rounded_line_per_model_in_any_fact_order(data, currency, rate, seed):
    shipments = data.draw(shipment_lists(currency))
    terms = {"rebate_rate": str(rate)}
    result = settle("buyout_rebate", terms, facts(currency, shipments=shipments))
    bases = Counter()
    for s in shipments:
        bases[s.model_code] += s.value
    expected = sum((round_money(base * rate / 100, currency) for base in bases.values()), D(0))
    assert result.total == expected
    assert len({line.reference for line in result.lines}) == len(result.lines)
    assert result == settle("buyout_rebate", terms, facts(currency, shipments=shipments))
    assert result == settle("buyout_rebate", terms,
                            facts(currency, shipments=shuffled(shipments, seed)))


@FAST
@given(data=st.data(), currency=st.sampled_from(CURRENCIES), seed=st.integers(),
       ratio=st.decimals(min_value=D("0"), max_value=D("5"), places=1),
       before=st.integers(-50, 500), free_before=st.integers(0, 8))
def test_entitlement_is_never_negative_and_issues_are_fully_split(
        data, currency, seed, ratio, before, free_before):
    shipments = data.draw(shipment_lists(currency))
    issues = data.draw(part_issue_lists(currency))
    terms = {"category_ratios": {"main_board": str(ratio), "panel": "2"},
             "category_prices": {"main_board": "310.00", "panel": "980.00",
                                 "remote": "15.00"}}
    period_facts = facts(currency, shipments=shipments, part_issues=issues,
                         shipped_before={"KTV-55A": before},
                         free_issued_before={("KTV-55A", "main_board"): free_before})
    result = settle("parts_ratio", terms, period_facts)
    issued = Counter()
    for issue in issues:
        issued[(issue.model_code, issue.part_category)] += issue.quantity
    for row in result.ledger:
        assert min(row.accrued, row.used, row.remaining) >= 0
        assert row.remaining == max(row.accrued - row.used, 0)
        assert row.free_in_period + row.charged_in_period == issued[(row.model_code,
                                                                     row.category)]
    charged = sum(line.quantity for line in result.lines)
    assert charged == sum(row.charged_in_period for row in result.ledger)
    assert all(line.direction == "debit" for line in result.lines)
    assert result == settle("parts_ratio", terms, period_facts)
    assert result == settle("parts_ratio", terms, facts(
        currency, shipments=shuffled(shipments, seed), part_issues=shuffled(issues, seed),
        shipped_before={"KTV-55A": before},
        free_issued_before={("KTV-55A", "main_board"): free_before}))


COMPENSATION = {"labour_fees": {"L1": "50.00", "L2": "80.00", "L3": "120.00"},
                "handling_fee": "5.00", "category_prices": {"main_board": "310.00"}}


@FAST
@given(labour=prices, parts=prices, cap=st.one_of(st.none(), prices.filter(bool)),
       level=st.sampled_from(("L1", "L2", "L3", "L9")), days_late=st.integers(0, 90))
def test_an_adjusted_amount_never_exceeds_claimed_schedule_or_cap(labour, parts, cap,
                                                                   level, days_late):
    terms = dict(COMPENSATION, **({"cap_per_claim": str(cap)} if cap else {}))
    history = ClaimHistory(shipped_units={"SN-1": ShippedUnit("KTV-55A", date(2023, 6, 1))})
    the_claim = claim(level=level, labour=str(labour), parts_amount=str(parts),
                      repair_date=date(2024, 1, 5),
                      submitted_on=date(2024, 1, 5) + timedelta(days=days_late))
    decision = adjudicate("repair_compensation", terms, the_claim, history)
    assert decision.adjusted_amount <= min(decision.claimed_amount, decision.schedule_amount)
    if cap:
        assert decision.adjusted_amount <= cap
    assert (decision.outcome == "rejected") == bool(
        set(decision.reasons) & {"late_submission", "unknown_repair_level"})
    if decision.outcome == "rejected":
        assert decision.adjusted_amount == 0


@FAST
@given(adjusted=st.lists(prices, max_size=10), cap=st.one_of(st.none(), prices.filter(bool)),
       seed=st.integers())
def test_a_period_cap_bounds_the_total_in_any_fact_order(adjusted, cap, seed):
    claims = tuple(
        DecidedClaim(
            claim(f"C{index}", serial=f"SN{index}", decided_on=date(2024, 1, 1 + index % 28)),
            ClaimDecision("accepted", (), amount, amount, amount),
        )
        for index, amount in enumerate(adjusted))
    terms = dict(COMPENSATION, **({"cap_per_period": str(cap)} if cap is not None else {}))
    result = settle("repair_compensation", terms, facts(claims=claims))
    assert len(result.lines) == len(claims)
    assert result.total == (min(sum(adjusted, D(0)), cap) if cap is not None
                            else sum(adjusted, D(0)))
    assert result == settle("repair_compensation", terms,
                            facts(claims=shuffled(claims, seed)))

"""The plugin contract of the ODM after-sales portal. Imports nothing from portal/."""
import pluggy

PROJECT = "odm_portal"
ENTRY_POINT_GROUP = "odm_portal.schemes"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

# The markers above come first: hookspecs (imported through manager) uses them.
from contracts.errors import (  # noqa: E402
    ContractError,
    CurrencyMismatch,
    DuplicateScheme,
    InvalidFacts,
    MalformedResult,
    MalformedScheme,
    TermsIncomplete,
)
from contracts.manager import (  # noqa: E402
    build_plugin_manager,
    collect_schemes,
    dump_terms,
    load_terms,
)
from contracts.types import (  # noqa: E402
    ACCEPTED,
    CREDIT,
    DEBIT,
    REJECTED,
    REVIEW,
    SHIPMENT_GRAINS,
    ClaimDecision,
    ClaimFact,
    ClaimHistory,
    ClaimPart,
    DecidedClaim,
    LedgerRow,
    PartIssueFact,
    Period,
    PeriodFacts,
    RejectedClaim,
    SchemeInfo,
    SettlementLine,
    SettlementResult,
    ShipmentFact,
    ShippedUnit,
)
from contracts.validation import (  # noqa: E402
    check_currency,
    check_facts,
    validate_result,
    validate_scheme_info,
)

__all__ = [
    "PROJECT", "ENTRY_POINT_GROUP", "hookspec", "hookimpl",
    "ContractError", "CurrencyMismatch", "DuplicateScheme", "InvalidFacts",
    "MalformedResult", "MalformedScheme", "TermsIncomplete",
    "build_plugin_manager", "collect_schemes", "dump_terms", "load_terms",
    "ACCEPTED", "CREDIT", "DEBIT", "REJECTED", "REVIEW", "SHIPMENT_GRAINS",
    "ClaimDecision", "ClaimFact", "ClaimHistory", "ClaimPart", "DecidedClaim", "LedgerRow",
    "PartIssueFact", "Period", "PeriodFacts", "RejectedClaim", "SchemeInfo",
    "SettlementLine", "SettlementResult", "ShipmentFact", "ShippedUnit",
    "check_currency", "check_facts", "validate_result", "validate_scheme_info",
]

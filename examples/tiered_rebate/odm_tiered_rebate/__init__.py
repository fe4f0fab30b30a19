"""Tiered rebate: an example third-party warranty scheme for the ODM after-sales portal.

The scheme lives in ``odm_tiered_rebate.scheme`` and is found by the portal through the
``odm_portal.schemes`` entry point declared in pyproject.toml.
"""

__version__ = "1.0.0"

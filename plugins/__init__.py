"""The four built-in warranty schemes, one module each, registered through the
``odm_portal.schemes`` entry-point group exactly as a third-party scheme is.

They import ``contracts`` only, never ``portal``.
"""

"""Message catalogues (.po committed; .mo compiled by `make translations`)."""

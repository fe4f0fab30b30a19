from tests.complaints.conftest import World, world  # noqa: F401  (same made world)

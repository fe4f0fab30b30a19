from tests.rma.conftest import api, count_queries, fast_password_hashing, fixed_today, request_context, world  # noqa: F401

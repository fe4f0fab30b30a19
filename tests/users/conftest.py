from tests.clients.support import api, count_queries, fast_password_hashing, small_pages  # noqa: F401

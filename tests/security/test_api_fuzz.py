"""Issue 11: the OpenAPI API fuzzed in-process with schemathesis, as an admin and as a client
user: whatever the generated request, no operation answers with a server error."""
from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error

from .conftest import issue_tokens

ROLES = ("admin", "client_user")
FUZZ = settings(max_examples=10, deadline=None, database=None, derandomize=True, phases=[Phase.generate],
                suppress_health_check=list(HealthCheck))


def test_no_operation_answers_a_server_error(fuzz_world):
    tokens = issue_tokens(fuzz_world)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_world.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    failures = []
    for operation in operations:
        for role in ROLES:
            headers = {"Authorization": f"Bearer {tokens[role]}"}

            @FUZZ
            @given(case=operation.as_strategy())
            def fuzz(case):
                case.call_and_validate(headers=headers, checks=[not_a_server_error])

            try:
                fuzz()
            except Exception as error:  # collect every operation's failure, then report them all
                failures.append(f"{role} {operation.label}: {str(error)[:1500]}")
    assert not failures, "\n\n".join(failures)

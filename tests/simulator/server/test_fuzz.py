"""Property-based tests: bodies drawn from the OpenAPI spec and mutated X12 never cause a 5xx.

Every JSON route the spec lists gets hypothesis-drawn bodies (right field names with wrong or
random values, random JSON) and path parameters; every answer is below 500 and an error names
its problem. 837s mutated byte by byte are answered with a 999 or TA1, or refused with a reason.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import api_client, claims_for, make_837

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with api_client(tmp_path_factory.mktemp("fuzz"), raise_server_exceptions=True) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def routes(client) -> list[tuple[str, str, list[str]]]:
    """(method, path, body field names) of every route in the OpenAPI spec."""
    spec = client.get("/openapi.json").json()
    found = []
    for path, methods in sorted(spec["paths"].items()):
        for method, operation in sorted(methods.items()):
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = body.get("schema", {}).get("$ref", "")
            fields = list(spec["components"]["schemas"][ref.split("/")[-1]]["properties"]) if ref else []
            found.append((method.upper(), path, fields))
    return found


def _check(response) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        detail = response.json()["detail"]
        assert isinstance(detail, str) and len(detail) > 5


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_json_routes_never_fail_with_5xx(client, routes, data) -> None:
    assert len(routes) >= 12
    for method, path, fields in routes:
        if path == "/x12":
            continue
        concrete = path
        for name in ("claim_key", "file_id"):
            value = data.draw(st.integers(-5, 10**12) | st.text(min_size=1, max_size=6).filter(str.isalnum))
            concrete = concrete.replace("{" + name + "}", str(value))
        body = data.draw(
            st.fixed_dictionaries({}, optional={name: json_values for name in fields}) | json_values
        )
        params = data.draw(
            st.dictionaries(
                st.sampled_from(["kind", "after", "limit", "claim_id"]), st.text(max_size=5), max_size=2
            )
        )
        if method == "GET":
            _check(client.get(concrete, params=params))
        else:
            _check(client.request(method, concrete, json=body))


BASE = make_837(claims_for("Z", 2), 5000)


@SETTINGS
@given(
    cuts=st.lists(
        st.tuples(
            st.integers(0, len(BASE) - 1),
            st.sampled_from(["drop", "insert", "replace", "cut"]),
            st.sampled_from(list("*~:^0A ZN\n")),
        ),
        min_size=1,
        max_size=4,
    ),
    control=st.integers(6000, 999_999_999),
)
def test_mutated_837s_are_answered_never_5xx(client, cuts, control) -> None:
    text = BASE.replace("000005000", f"{control:09d}")
    for at, how, char in cuts:
        at = min(at, len(text) - 1)
        if how == "drop":
            text = text[:at] + text[at + 1 :]
        elif how == "insert":
            text = text[:at] + char + text[at:]
        elif how == "replace":
            text = text[:at] + char + text[at + 1 :]
        else:
            text = text[:at]
    response = client.post("/x12", content=text.encode())
    _check(response)
    if response.status_code == 200:
        kind = response.headers["x-payersim-kind"]
        assert kind in ("TA1", "999", "271", "277")
        if kind == "TA1":
            assert response.headers.get("x-payersim-problem")


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    claim_id=st.text(min_size=1, max_size=38),
    first_name=st.text(min_size=1, max_size=35),
    member_id=st.text(min_size=1, max_size=30),
)
def test_valid_claims_with_any_text_go_through_without_5xx(client, claim_id, first_name, member_id) -> None:
    from simulator.samples import sample_claim, sample_coverage, sample_patient

    try:
        claim = sample_claim(
            claim_id=claim_id,
            patient=sample_patient(first_name=first_name),
            coverage=sample_coverage(member_id=member_id),
        )
    except ValueError:
        return
    response = client.post("/claims", json={"claims": [claim.model_dump(mode="json")]})
    _check(response)
    _check(client.post("/clock/advance", json={"days": 1}))

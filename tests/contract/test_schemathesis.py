"""Schemathesis over the whole served schema, with every check, anonymously and as each role.

Every operation of /api/schema/ gets the examples, coverage and fuzzing phases (positive and
negative data), sent in-process to the WSGI application as it is served, against the test
database (committed per request, as production does, and flushed after each role). Path parameters
and id fields that the generator filled with a well-formed value are swapped, often, for the id of
an object of `world` (tests/contract/conftest.py), so requests reach real events, registrations,
check-ins and campaigns, not only 404s.

The fuzzing phase is bounded: TAZA_CONTRACT_EXAMPLES examples per operation and role (default
below), derandomized, so a CI run is repeatable; raise it locally to dig deeper:

    TAZA_CONTRACT_EXAMPLES=200 DATABASE_URL=... .venv/bin/python -m pytest tests/contract -k schemathesis

Each distinct failure (role, operation, check) is kept with its smallest request as curl, printed
at the end of the run and written to test-artifacts/schemathesis-report.json.
"""

from __future__ import annotations

import logging
import os
import re
import traceback
import uuid
import zlib
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception
from hypothesis import HealthCheck, Phase, settings
from schemathesis.core.failures import FailureGroup
from schemathesis.core.parameters import ParameterLocation
from schemathesis.openapi.checks import RejectedPositiveData

from tests.contract.world import ROLES, World, build_world

EXAMPLES = int(os.environ.get("TAZA_CONTRACT_EXAMPLES", "10"))
# TAZA_CONTRACT_SURVEY=1: record every failing case and go on (no shrinking, nothing hidden behind
# the first failure of an operation); each role then fails once, with the list in the summary.
SURVEY = os.environ.get("TAZA_CONTRACT_SURVEY") == "1"
# Messages in English, as the schema is (the report is read by people).
HEADERS = {"Accept-Language": "en"}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="runs with the PostgreSQL suite (DATABASE_URL)"),
    # Committed per request as in production; the flush after each role empties the database.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(params=ROLES)
def role(request) -> str:
    return request.param


@pytest.fixture(autouse=True)
def quiet():
    """Every refused request is logged as a warning and every task as info: thousands of lines."""
    loggers = [logging.getLogger(name) for name in ("django.request", "celery")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture
def world(role) -> Iterator[World]:
    # The stats answers are cached by ledger position, which starts again after each flush.
    cache.clear()
    yield build_world()
    cache.clear()


# operation -> error code -> the fields such a refusal may name, as patterns (None: any, the code
# says it all).
STATE_REFUSALS: dict[str, dict[str, set[str] | None]] = {
    # Wrong credentials: no schema can say which pair is right (OAuth 2's 400 invalid_grant, RFC 6749 5.2).
    "POST /api/v1/auth/token/": {"invalid_credentials": None},
    # A key from an email: no schema knows the valid ones.
    "POST /api/v1/auth/email/verify/": {"invalid_or_expired_key": None},
    # Parameters that go together or in order, and a position that must exist in the ledger.
    "GET /api/v1/events/": {"validation_error": {"lat", "lon", "date_to"}},
    "GET /api/v1/stats/timeseries/": {"validation_error": {"end"}},
    # period=campaign names its campaign.
    "GET /api/v1/stats/leaderboards/regions/": {"validation_error": {"campaign"}},
    "GET /api/v1/stats/leaderboards/organisations/": {"validation_error": {"campaign"}},
    "GET /api/v1/stats/leaderboards/volunteers/": {"validation_error": {"campaign"}},
    "GET /api/v1/facts/": {"unknown_position": None},
    # One of leaf_index and fact_id; a leaf beyond the tree of a checkpoint; sizes in order.
    "GET /api/v1/log/proofs/inclusion/": {"validation_error": {"leaf_index"}, "leaf_not_in_tree": None},
    "GET /api/v1/log/proofs/consistency/": {"sizes_out_of_order": None},
    # A cosignature is taken only if it verifies, with a listed witness's key, on the checkpoint's text.
    "POST /api/v1/log/cosignatures/": {"cosignature_invalid": {"cosignature"}},
    # The clock and the campaign's days: an event starts in the future, inside its campaign.
    "POST /api/v1/events/": {
        "validation_error": {"starts_at", "ends_at", "organisation_id", "latitude", "longitude"},
        "campaign_not_accepting_events": None,
    },
    "POST /api/v1/events/{event_id}/reschedule/": {"validation_error": {"starts_at", "ends_at"}},
    "PATCH /api/v1/events/{event_id}/": {"validation_error": {"latitude", "longitude"}},
    "POST /api/v1/events/{event_id}/checkins/roster/": {"validation_error": {"checked_in_at"}},
    "POST /api/v1/events/{event_id}/checkins/upload/": {"validation_error": None},
    # A pass or an event code is a secret: only the real one is taken.
    "POST /api/v1/events/{event_id}/checkins/pass/": {
        "invalid_pass": None,
        "pass_code_mistyped": {"token"},  # a short code whose check character fails
        "pass_wrong_event": None,
        "validation_error": {"checked_in_at"},
    },
    # Figures come with an adjustment only, and an adjustment names at least one (non_field_errors);
    # species adjusted must add up to the trees.
    "POST /api/v1/events/{event_id}/result/verify/": {
        "validation_error": {
            "reason",
            "waste_kg",
            r"waste_kg\.\w+",
            "trees",
            "area_ha",
            "headcount",
            "tree_species",
            "non_field_errors",
        }
    },
    # An amount as a JSON number with more decimals than its figure keeps (JSON Schema cannot say
    # "at most 3 decimals" of a binary float; the string form's pattern does).
    # Species that add up to the trees: a rule between two fields.
    "POST /api/v1/events/{event_id}/result/": {"validation_error": {r"waste_kg\.\w+", "area_ha", "tree_species"}},
    # A campaign's days (an end after its start, planned at most two years ahead) and a target's
    # wholeness, which depends on its metric.
    "POST /api/v1/campaigns/": {"campaign_invalid": {"starts_on", "ends_on", r"targets\.\d+\.value"}},
    "POST /api/v1/campaigns/{campaign_id}/targets/": {"campaign_invalid": {r"targets\.\d+\.value"}},
    "POST /api/v1/auth/signup/": {"validation_error": {"password"}},
    # A region goes with the coordinator role, and only with it.
    "POST /api/v1/volunteers/{volunteer_id}/roles/": {"validation_error": {"region"}},
    "POST /api/v1/events/{event_id}/checkins/code/": {"wrong_event_code": None},
    # A report merges into an open dump of its own region, a dump links an approved event of its region:
    # the state of two objects, which no schema says.
    "POST /api/v1/dumps/{dump_id}/merge/": {"dump_invalid": {"into_dump_id"}},
    "POST /api/v1/dumps/{dump_id}/link/": {"dump_invalid": {"event_id"}},
    # A liquidation names after-photos uploaded for that dump; a photo's file must be an image (the
    # schema says only "binary"), its role fit its subject, and its subject be open to photos.
    "POST /api/v1/dumps/{dump_id}/liquidate/": {"dump_invalid": {"photo_ids"}},
    "POST /api/v1/photos/": {"photo_invalid": {"file", "role", "subject_id"}},
}


def _documented_state_refusal(label: str, response) -> bool:
    headers = {name.lower(): value for name, value in response.headers.items()}
    content_type = headers.get("content-type", "")
    if isinstance(content_type, list):
        content_type = content_type[0] if content_type else ""
    if content_type.startswith("text/csv"):
        # A refusal in CSV (asked for with format=csv) is the table `code,message`: no fields.
        rows = response.text.splitlines()
        code = rows[1].split(",")[0] if len(rows) > 1 else None
        return code in STATE_REFUSALS.get(label, {})
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return False
    allowed = STATE_REFUSALS.get(label, {})
    if error.get("code") not in allowed:
        return False
    patterns = allowed[error["code"]]
    return patterns is None or all(
        any(re.fullmatch(pattern, name) for pattern in patterns) for name in error.get("fields") or {}
    )


def _error_code(response) -> str | None:
    try:
        return response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


def _swap(value, candidates: list[str]):
    """A known value instead of a well-formed generated one, chosen from the value itself (so the
    choice is as repeatable as the generation); one draw in len+1 keeps the generated value."""
    if not candidates or not isinstance(value, str) or not value:
        return value
    pick = zlib.crc32(value.encode()) % (len(candidates) + 1)
    return value if pick == len(candidates) else candidates[pick]


def _well_formed(name: str, value) -> bool:
    """Ids must parse as UUIDs; codes, regions, roles and pass tokens are any non-empty string."""
    if not isinstance(value, str) or not value:
        return False
    if not name.endswith("_id") and name != "campaign":
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@pytest.fixture
def api_schema(role, world):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())

    @schema.hook
    def map_case(context, case):
        """Aim well-formed ids at existing objects; values of a negative component stay as generated."""
        meta = case.meta
        for location, container in (
            (ParameterLocation.PATH, case.path_parameters),
            (ParameterLocation.QUERY, case.query),
            (ParameterLocation.BODY, case.body if isinstance(case.body, dict) else None),
        ):
            if not container or (meta is not None and meta.is_negative_at(location)):
                continue
            for name, value in list(container.items()):
                known = world.known(location.value, name, case.operation.label)
                if known and _well_formed(name, value):
                    container[name] = _swap(value, known)
        return case

    @schema.hook
    def filter_failure(context, failure, case, response):
        """ "Schema-valid request rejected" is dropped only for the refusals in STATE_REFUSALS: a 400
        for a rule OpenAPI 3.0 cannot state (two parameters given together, the clock, the state of
        the ledger, a secret no schema knows), with the code and the fields the operation documents.
        Any other 400 of these operations is still a failure."""
        return not (
            isinstance(failure, RejectedPositiveData)
            and response.status_code == 400
            and _documented_state_refusal(case.operation.label, response)
        )

    if role != "anonymous":

        @schema.auth(refresh_interval=None)
        class TokenAuth:
            def get(self, case, context):
                return world.token(role, case.operation.label)

            def set(self, case, data, context):
                case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}

    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def server_errors():
    """Tracebacks of exceptions the application turned into a 500 during the current case."""
    caught: list[str] = []

    def keep(sender, request=None, **kwargs):
        caught.append(traceback.format_exc(limit=-6))

    got_request_exception.connect(keep, dispatch_uid="contract-server-errors")
    yield caught
    got_request_exception.disconnect(dispatch_uid="contract-server-errors")


@pytest.fixture
def verdict(role, contract_figures):
    """In survey mode nothing fails case by case: the role's failures are listed once, at the end."""
    yield
    found = [key for key in contract_figures.failures if key[0] == role]
    if SURVEY and found:
        pytest.fail(f"{len(found)} distinct failures as {role}: see the summary at the end of the run", pytrace=False)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_contract(case, role, contract_figures, server_errors, verdict):
    operation = case.operation.label
    contract_figures.case_run(role, operation)
    server_errors.clear()
    response = case.call(headers=HEADERS)
    contract_figures.statuses[f"{role} {operation}"][response.status_code] += 1
    try:
        case.validate_response(response, headers=HEADERS)
    except FailureGroup as failures:
        contract_figures.failing_cases[role] += 1
        curl = case.as_curl_command(headers=dict(response.request.headers), base_url="http://testserver")
        curl = curl.replace("Authorization: [Filtered]", f"Authorization: Token ${role.upper()}_TOKEN")
        body = response.content.decode(errors="replace") if response.content else ""
        for failure in failures.exceptions:
            detail = failure.message + ("\n" + "\n".join(server_errors) if server_errors else "")
            contract_figures.record(role, operation, failure.title, curl, response.status_code, body, detail)
        if not SURVEY:
            raise

"""OpenAPI pieces the events API shares: path parameters, error responses, examples."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter

from config.openapi import error, errors  # noqa: F401  (the events views write schema.error, schema.errors)

EVENT_ID = OpenApiParameter("event_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
REGISTRATION_ID = OpenApiParameter("registration_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


INVALID = errors(
    "The input breaks a rule; nothing was recorded.",
    error("validation_error", "Some fields are not valid.", {"capacity": ["Give a whole number from 1 to 10000."]}),
)
FORBIDDEN = errors(
    "Signed in, but not allowed to do this.",
    error("permission_denied", "Only the event's organisers may edit it."),
)
EVENT_NOT_FOUND = errors("No such event, or not visible to you.", error("event_not_found", "There is no such event."))
IDEMPOTENCY_CONFLICT = error("idempotency_conflict", "This Idempotency-Key was used for a different request.")

EVENT_EXAMPLE_ID = "1b4e28ba-2fa1-51d2-883f-0016d3cca427"
EVENT_EXAMPLE = OpenApiExample(
    "An approved clean-up in Astana",
    response_only=True,
    value={
        "id": EVENT_EXAMPLE_ID,
        "campaign_id": "8d3f6a52-2b1e-5c43-9a8e-0f4c1e7b2d90",
        "organisation": {
            "id": "0c1f5a7e-9d55-4e0c-8f0e-35a1d2b7c001",
            "name": "ENU Eco-club",
            "name_by_language": {"kk": "ЕҰУ экоклубы", "ru": "Экоклуб ЕНУ", "en": "ENU Eco-club"},
        },
        "kind": "cleanup",
        "title": "Esil embankment clean-up",
        "title_by_language": {"kk": "Есіл жағалауындағы сенбілік", "en": "Esil embankment clean-up"},
        "description": "Litter picking along the left bank.",
        "description_by_language": {"en": "Litter picking along the left bank."},
        "region": "KZ-71",
        "region_name": "Astana",
        "address": "Esil embankment, near the Triumphal Arch",
        "address_by_language": {"en": "Esil embankment, near the Triumphal Arch"},
        "latitude": 51.1283,
        "longitude": 71.4305,
        "starts_at": "2026-04-18T10:00:00+05:00",
        "ends_at": "2026-04-18T13:00:00+05:00",
        "capacity": 40,
        "registered_count": 40,
        "waitlisted_count": 3,
        "places_left": 0,
        "checked_in_count": 0,
        "what_to_bring": "Gloves, water, a hat.",
        "what_to_bring_by_language": {"en": "Gloves, water, a hat."},
        "status": "approved",
        "status_reason": "",
        "short_code": None,
        "distance_km": 1.7,
        "pending_change": None,
        "version": 47,
    },
)
PROPOSE_EXAMPLE = OpenApiExample(
    "Propose a clean-up",
    request_only=True,
    value={
        "campaign_id": "8d3f6a52-2b1e-5c43-9a8e-0f4c1e7b2d90",
        "kind": "cleanup",
        "title": {"kk": "Есіл жағалауындағы сенбілік", "en": "Esil embankment clean-up"},
        "description": "Litter picking along the left bank.",
        "region": "KZ-71",
        "address": "Esil embankment, near the Triumphal Arch",
        "latitude": 51.1283,
        "longitude": 71.4305,
        "starts_at": "2026-04-18T10:00:00+05:00",
        "ends_at": "2026-04-18T13:00:00+05:00",
        "capacity": 40,
        "what_to_bring": "Gloves, water, a hat.",
    },
)
REGISTRATION_EXAMPLE = OpenApiExample(
    "On the waitlist",
    response_only=True,
    value={
        "id": "6f1d2c3b-0a9e-5d8c-b7a6-0123456789ab",
        "event": {
            "id": EVENT_EXAMPLE_ID,
            "title": "Esil embankment clean-up",
            "title_by_language": {"kk": "Есіл жағалауындағы сенбілік", "en": "Esil embankment clean-up"},
            "kind": "cleanup",
            "address": "Esil embankment, near the Triumphal Arch",
            "address_by_language": {"en": "Esil embankment, near the Triumphal Arch"},
            "starts_at": "2026-04-18T10:00:00+05:00",
            "ends_at": "2026-04-18T13:00:00+05:00",
            "status": "approved",
        },
        "status": "waitlisted",
        "waitlist_position": 2,
        "registered_at": "2026-04-10T19:12:03+05:00",
        "promoted_at": None,
        "cancelled_at": None,
        "pass_url": "/api/v1/registrations/6f1d2c3b-0a9e-5d8c-b7a6-0123456789ab/pass.svg",  # an example  # nosec B105
    },
)
CHECKIN_EXAMPLE = OpenApiExample(
    "Checked in by QR",
    response_only=True,
    value={
        "checkin": {
            "id": "b3c1c0de-1111-4f00-9a00-00000000c001",
            "event_id": EVENT_EXAMPLE_ID,
            "volunteer_name": "Aigerim",
            "registration_id": "6f1d2c3b-0a9e-5d8c-b7a6-0123456789ab",
            "method": "qr",
            "checked_in_at": "2026-04-18T09:52:10+05:00",
            "checked_out_at": None,
            "hours": "3.13",
        },
        "recorded": True,
    },
)
UPLOAD_EXAMPLE = OpenApiExample(
    "An offline queue of two",
    request_only=True,
    value={
        "items": [
            {
                "fact_id": "b3c1c0de-1111-4f00-9a00-00000000c001",
                "checked_in_at": "2026-04-18T09:52:10+05:00",
                "token": "eyJyIjoiNmYxZDJjM2Iw…",  # a cut example for the docs  # nosec B105
            },
            {
                "fact_id": "b3c1c0de-1111-4f00-9a00-00000000c002",
                "checked_in_at": "2026-04-18T09:55:41+05:00",
                "registration_id": "7e2d3c4b-1a0f-5e9d-c8b7-123456789abc",
            },
        ]
    },
)
UPLOAD_ANSWER_EXAMPLE = OpenApiExample(
    "One new, one seen before",
    response_only=True,
    value={
        "results": [
            {"fact_id": "b3c1c0de-1111-4f00-9a00-00000000c001", "status": "duplicate", "checkin": {}, "error": None},
            {
                "fact_id": "b3c1c0de-1111-4f00-9a00-00000000c002",
                "status": "error",
                "checkin": None,
                "error": {
                    "code": "not_registered",
                    "message": "The volunteer has no place at this event.",
                    "fields": {},
                },
            },
        ]
    },
)
RESULT_LOG_EXAMPLE = OpenApiExample(
    "A correction of one figure",
    request_only=True,
    value={
        "waste_kg": {"plastic": "120.5", "mixed": "300"},
        "trees": 0,
        "tree_species": {},
        "area_ha": "1.5",
        "headcount": 6,
        "justification": "",
        "correction_reason": "The plastic was weighed again at the depot.",
    },
)
RESULT_ADJUST_EXAMPLE = OpenApiExample(
    "An adjustment of one kind of waste",
    request_only=True,
    value={
        "decision": "adjusted",
        "result_version": 52,
        "reason": "The plastic was weighed again at the landfill: 110 kg.",
        "waste_kg": {"plastic": "110"},
    },
    description="Only the plastic changes: the mixed waste, trees, area and head-count keep the organiser's figures.",
)
RESULT_EXAMPLE = OpenApiExample(
    "Adjusted by the coordinator",
    response_only=True,
    value={
        "event_id": EVENT_EXAMPLE_ID,
        "version": 52,
        "status": "adjusted",
        "verified_version": 52,
        "evidence_grade": "verified",
        "signals": [],
        "figures": {
            "waste_kg.mixed": {"reported": "300", "verified": "300", "status": "verified"},
            "waste_kg.plastic": {"reported": "120.5", "verified": "110", "status": "verified"},
            "trees": {"reported": "0", "verified": "0", "status": "verified"},
            "area_ha": {"reported": "1.5", "verified": "1.5", "status": "verified"},
            "headcount": {"reported": "6", "verified": "6", "status": "verified"},
        },
        "report": {
            "version": 52,
            "waste_kg": {"mixed": "300", "plastic": "120.5"},
            "trees": 0,
            "tree_species": {},
            "area_ha": "1.5000",
            "headcount": 6,
            "justification": "",
            "correction_reason": "The plastic was weighed again at the depot.",
            "logged_at": "2026-04-18T15:20:00+05:00",
        },
        "reports": [],
        "verifications": [],
    },
)

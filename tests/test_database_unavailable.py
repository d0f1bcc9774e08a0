"""With PostgreSQL unreachable the platform answers 503 with Retry-After, never a 500: JSON for the
API, a static page in the visitor's language for people, and /healthz names the database.

The database here is a PostgreSQL URL on a port where nothing listens (a real refused connection,
as when the server is stopped); Django runs in a fresh interpreter because DATABASES is read at
import. tests/test_database_lost.py stops a real cluster in the middle of writes.
"""

import json

from tests.live import django_env, free_port, run_python

ASK = """
import json, django
django.setup()
from django.test import Client

client = Client(raise_request_exception=False)
answers = {}

def keep(name, response):
    answers[name] = {
        "status": response.status_code,
        "type": response["Content-Type"],
        "retry_after": response.get("Retry-After"),
        "language": response.get("Content-Language"),
        "body": response.content.decode(),
    }

keep("facts", client.get("/api/v1/facts/", HTTP_ACCEPT_LANGUAGE="en"))
keep("propose", client.post(
    "/api/v1/events/", {"title": "Esil clean-up"}, content_type="application/json",
    HTTP_IDEMPOTENCY_KEY="esil-2026", HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567",
    HTTP_ACCEPT_LANGUAGE="en",
))
keep("token", client.post(
    "/api/v1/auth/token/", {"email": "a@taza.test", "password": "x"}, content_type="application/json",
    HTTP_ACCEPT_LANGUAGE="en",
))
keep("home_kk", client.get("/"))
keep("home_ru", client.get("/events/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9"))
client.cookies["taza_language"] = "en"
keep("events_en", client.get("/events/", HTTP_ACCEPT_LANGUAGE="ru"))
keep("healthz", client.get("/healthz"))
print(json.dumps(answers))
"""


def test_with_the_database_unreachable_every_answer_is_a_503_that_says_to_retry():
    # Given PostgreSQL is unreachable (nothing listens on its port)
    env = django_env(DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/taza", REDIS_URL=None)

    # When API clients, browsers and the load balancer ask
    result = run_python(ASK, env=env)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])

    # Then the API answers the usual JSON error, 503, with Retry-After, reads and writes alike
    api_error = {
        "error": {
            "code": "unavailable",
            "message": "The platform cannot reach its database right now. Try again in a few seconds.",
            "fields": {},
        }
    }
    for name in ("facts", "propose", "token"):
        answer = answers[name]
        assert (answer["status"], answer["type"], answer["retry_after"]) == (503, "application/json", "5"), name
        assert json.loads(answer["body"]) == api_error, name

    # And pages answer the static 503 page in the visitor's language: the site's default (Kazakh),
    # Accept-Language, and the language cookie over Accept-Language
    for name, language in (("home_kk", "kk"), ("home_ru", "ru"), ("events_en", "en")):
        answer = answers[name]
        assert (answer["status"], answer["type"], answer["retry_after"]) == (503, "text/html; charset=utf-8", "5")
        assert answer["language"] == language
        assert f'<html lang="{language}">' in answer["body"]
        assert "Server Error" not in answer["body"]
    assert "<h1>Briefly unavailable</h1>" in answers["events_en"]["body"]

    # And /healthz still names the failing part
    health = answers["healthz"]
    assert health["status"] == 503
    body = json.loads(health["body"])
    assert (body["status"], body["database"]) == (
        "unavailable",
        {"ok": False, "vendor": "postgresql", "error": "OperationalError"},
    )


def test_the_api_schema_documents_the_503_on_every_operation(client):
    # When a client generator reads the schema
    schema = client.get("/api/schema/?format=json").json()

    # Then every operation says it can answer 503 unavailable, with Retry-After
    operations = [op for ops in schema["paths"].values() for op in ops.values() if isinstance(op, dict)]
    assert len(operations) > 20
    for operation in operations:
        unavailable = operation["responses"]["503"]
        assert unavailable["headers"]["Retry-After"]["schema"] == {"type": "integer", "example": 5}
        example = unavailable["content"]["application/json"]["examples"]["unavailable"]["value"]
        assert example["error"]["code"] == "unavailable"

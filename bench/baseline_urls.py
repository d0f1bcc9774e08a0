"""The baseline the read models must beat: the national totals and the region leaderboard computed
at every request by GROUP BY over ledger_fact (no read models, no cache), through the same Django,
middleware and gunicorn as the real endpoints. Every other URL is the platform's own.
"""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

# Counted events: the latest result of an event, unless its verdict rejected it; participants are
# distinct checked-in volunteers plus the latest head-count (stats/README.md, "What counts").
NATIONAL = """
WITH latest AS (
    SELECT DISTINCT ON (stream) stream, version, data FROM ledger_fact
    WHERE type = 'ResultLogged' ORDER BY stream, version DESC
), verdict AS (
    SELECT DISTINCT ON (stream) stream, data FROM ledger_fact
    WHERE type = 'ResultVerified' ORDER BY stream, version DESC
), checkins AS (
    SELECT stream, count(DISTINCT data->>'volunteer_id') AS n,
           count(*) FILTER (WHERE data->>'age_band' = '14_35') AS youth
    FROM ledger_fact WHERE type = 'VolunteerCheckedIn' GROUP BY stream
)
SELECT count(*) AS events,
       sum(coalesce(c.n, 0) + (l.data->>'headcount')::bigint) AS participants,
       sum(coalesce(c.youth, 0)) AS youth,
       sum((SELECT coalesce(sum(value::numeric), 0) FROM jsonb_each_text(l.data->'waste_kg'))) AS waste_kg,
       sum((l.data->>'trees')::bigint) AS trees,
       sum((l.data->>'area_ha')::numeric) AS area_ha
FROM latest l
LEFT JOIN verdict v ON v.stream = l.stream
LEFT JOIN checkins c ON c.stream = l.stream
WHERE coalesce(v.data->>'decision', '') <> 'rejected'
"""

REGIONS_BY_PARTICIPANTS_PER_1000 = """
WITH proposed AS (
    SELECT stream, data->>'region' AS region FROM ledger_fact WHERE type = 'EventProposed'
), latest AS (
    SELECT DISTINCT ON (stream) stream, data FROM ledger_fact
    WHERE type = 'ResultLogged' ORDER BY stream, version DESC
), checkins AS (
    SELECT stream, count(DISTINCT data->>'volunteer_id') AS n
    FROM ledger_fact WHERE type = 'VolunteerCheckedIn' GROUP BY stream
)
SELECT r.code AS region, r.population,
       coalesce(sum(coalesce(c.n, 0) + (l.data->>'headcount')::bigint), 0) AS participants,
       round(coalesce(sum(coalesce(c.n, 0) + (l.data->>'headcount')::bigint), 0) * 1000.0 / r.population, 4)
           AS per_1000_residents
FROM campaigns_region r
LEFT JOIN proposed p ON p.region = r.code
LEFT JOIN latest l ON l.stream = p.stream
LEFT JOIN checkins c ON c.stream = p.stream
GROUP BY r.code, r.population ORDER BY per_1000_residents DESC, r.code
"""


def answer_of(sql: str):
    def view(request: HttpRequest) -> JsonResponse:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            columns = [column.name for column in cursor.description]
            rows = [{c: str(v) if v is not None else None for c, v in zip(columns, row, strict=True)} for row in cursor]
        return JsonResponse({"data": rows})

    return view


urlpatterns = [
    path("naive/national/", answer_of(NATIONAL)),
    path("naive/leaderboards/regions/", answer_of(REGIONS_BY_PARTICIPANTS_PER_1000)),
    path("", include("config.urls")),
]

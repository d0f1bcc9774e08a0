"""The interactive API docs (Swagger UI from drf-spectacular-sidecar) under the site's strict CSP.

drf-spectacular's usual page starts Swagger UI with an inline <script> and styles it with an inline
<style>, both refused by a CSP without 'unsafe-inline'. Its split view serves the start-up script
as a file of its own (`/api/docs/?script`), so it loads as `script-src 'self'` like any other; the
page's three lines of style live in frontend/static/frontend/api_docs.css. No nonce is needed.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "frontend/api_docs.html"

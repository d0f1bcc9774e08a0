"""The web pages, by audience: public.py (no login), volunteer.py, organiser.py, coordinator.py.

Views validate input with a form, call a service or a selector and render. A service's refusal
(config.errors.DomainError) that the page can explain becomes a message or a field's error
(frontend/errors.py); one the view does not catch, no such thing (404) or not yours (403), is the
site's 404 or 403 page, answered for every view by `RefusalPageMiddleware`. The organisers' and
coordinators' pages say who may open them with `@role_required` (frontend/access.py).
"""

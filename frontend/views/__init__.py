"""The web pages, by audience: public.py (no login), volunteer.py, organiser.py, coordinator.py.

Views validate input with a form, call a service or a selector and render; a service's refusal
(config.errors.DomainError) becomes a message on the page, never a traceback.
"""

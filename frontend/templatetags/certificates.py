"""The certificates' verifier key, for the pages that publish it (the open data page)."""

from __future__ import annotations

from django import template

from certificates.keys import verifier

register = template.Library()


@register.simple_tag
def certificate_verifier_key() -> str:
    """name+keyid+key (the signed-note form), what `manage.py verify_certificate --key` takes."""
    return verifier().vkey

"""The API's JSON parser: DRF's, except that nesting too deep for Python is a parse error.

Python's decoder recurses once per level of nesting, so a body of a thousand `[` raises
RecursionError, which DRF does not catch: a 500 anyone could cause with a few kilobytes.
No request the API takes nests more than a few levels, so refusing it as unparseable is exact.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON parse error - the document is nested too deeply.")) from None

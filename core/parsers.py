"""The API's JSON parser: DRF's, except that a body nested too deeply for Python's parser (a hostile
`[[[[…]]]]`) is malformed JSON (400, the one error shape), not a server error."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON body is nested too deeply.")) from None

"""Renderers for the API's binary answers (PDF letters, SEPA files, uploaded documents).

A binary endpoint lists the renderer of each media type it answers, so that a client sending
`Accept: application/pdf` is served instead of refused with 406. The endpoint itself returns the
file; the renderer only renders what DRF renders for it, the error bodies, and those stay JSON
(with a JSON `Content-Type`).
"""

from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.mediatypes import media_type_matches

from .documents import ALLOWED_MEDIA_TYPES


class BinaryRenderer(BaseRenderer):
    """Bytes as they are; anything else (an error body) as JSON."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return JSONRenderer().render(data, "application/json", renderer_context)


class PDFRenderer(BinaryRenderer):
    media_type = "application/pdf"
    format = "pdf"


class XMLFileRenderer(BinaryRenderer):
    """A ready-made XML file (the SEPA pain.001 export)."""

    media_type = "application/xml"
    format = "xml"


def binary_renderer(media_type: str, format: str) -> type[BinaryRenderer]:
    return type(f"{format.upper()}Renderer", (BinaryRenderer,), {"media_type": media_type, "format": format})


# One renderer per accepted document format (`?format=` takes pdf, odt, docx, xlsx, ods, png, jpeg).
DOCUMENT_RENDERERS = [
    PDFRenderer if media_type == PDFRenderer.media_type else binary_renderer(media_type, name.lower())
    for media_type, name in ALLOWED_MEDIA_TYPES.items()
]


def accepts(request, media_type: str) -> bool:
    """Whether the request's `Accept` header (none means anything) admits `media_type`."""
    accept = request.META.get("HTTP_ACCEPT") or "*/*"
    return any(media_type_matches(media_type, item.strip()) for item in accept.split(",") if item.strip())

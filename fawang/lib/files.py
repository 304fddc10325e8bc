"""Serving a stored file (an uploaded photo) through a view, never by its storage path."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404


def stored_image(name: str, content_type: str, *, cache_control: str) -> FileResponse:
    """The stored file ``name`` shown inline as ``content_type`` (never sniffed as anything else), with the
    caller's caching rule; 404 when the file is gone from storage."""
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    return response

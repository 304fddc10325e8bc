"""Security headers on every response: Content-Security-Policy and Permissions-Policy (Django 5.2 sets neither).

The site runs no inline script (scripts come from /static/, the API's Swagger UI from the split view's script
URL), so ``script-src 'self'`` holds. Inline ``<style>`` blocks remain in a few templates, hence
``style-src 'self' 'unsafe-inline'``. Settings CONTENT_SECURITY_POLICY and PERMISSIONS_POLICY (environment
variables of the same names) replace the defaults; an empty value sends no header. A view that sets its own header
keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
DEFAULT_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        csp = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CSP)
        if csp and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = csp
        policy = getattr(settings, "PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response

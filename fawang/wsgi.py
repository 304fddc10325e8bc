"""WSGI entry point (gunicorn fawang.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
application = get_wsgi_application()

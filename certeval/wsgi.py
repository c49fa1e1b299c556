import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certeval.settings")
application = get_wsgi_application()
# Load every view and the API now, not on each worker's first request: with ``gunicorn --preload``
# the master loads them once before forking, so a restarted server answers at once.
get_resolver().url_patterns  # noqa: B018 - evaluated for its side effect

"""WSGI entry point (waitress in ``intacct-bridge serve``; any WSGI server at scale)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intacct_bridge.settings")
application = get_wsgi_application()

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")

application = get_wsgi_application()

# Import every module the URLs reach now, then keep what starting created (about 200,000
# objects that live as long as the process) out of the garbage collector's full passes,
# which otherwise walked them all, 30-40 ms at a time, in the middle of some request.
get_resolver().url_patterns  # noqa: B018  (loads the URL configuration and its views)
gc.freeze()

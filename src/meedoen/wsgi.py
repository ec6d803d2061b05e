import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meedoen.settings.base")
application = get_wsgi_application()

if "gunicorn" in sys.modules:  # a served worker (not runserver or a test): warm the budget chart's engine
    from meedoen.budgets.reports import warm_chart

    warm_chart()

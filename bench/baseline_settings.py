"""Settings of the baseline server in bench/stats_bench.py: production, plus bench/baseline_urls.py.

Never used by the platform: gunicorn loads it with `--pythonpath bench` and
DJANGO_SETTINGS_MODULE=baseline_settings, so the naive answers are served exactly like the real ones.
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "baseline_urls"

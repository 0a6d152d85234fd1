"""Settings for bench/registry.py's gunicorn: the product's settings (environment as given),
with a URLconf that adds one bare view as the baseline (bench/registry_urls.py)."""

from singleportal.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.registry_urls"

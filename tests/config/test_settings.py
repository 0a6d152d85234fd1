"""Settings fail loudly: production without a secret, or with a malformed value, won't start."""

import os
import subprocess
import sys

import pytest


def start_django(**env):
    """Import the settings in a fresh interpreter, as a server would at start-up."""
    unset = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "PAYMENT_WEBHOOK_SECRET", "PAYMENT_API_KEY"}
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(env, DJANGO_SETTINGS_MODULE="singleportal.config.settings")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_secret_key_stops_with_a_clear_message(tmp_path):
    result = start_django(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/none", SINGLEPORTAL_DATA_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_off_in_the_embedded_mode_also_needs_a_secret(tmp_path):
    result = start_django(DEBUG="false", SINGLEPORTAL_DATA_DIR=str(tmp_path))
    assert "SECRET_KEY is not set" in result.stderr


def test_malformed_boolean_is_named(tmp_path):
    result = start_django(DEBUG="maybe", SINGLEPORTAL_DATA_DIR=str(tmp_path))
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


PRODUCTION = {
    "SECRET_KEY": "s",
    "DEBUG": "false",
    "PAYMENT_WEBHOOK_SECRET": "w",
    "PAYMENT_API_KEY": "k",
}


@pytest.mark.parametrize("env", [{}, PRODUCTION])
def test_embedded_default_and_configured_production_start(tmp_path, env):
    result = start_django(SINGLEPORTAL_DATA_DIR=str(tmp_path), **env)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing", ["PAYMENT_WEBHOOK_SECRET", "PAYMENT_API_KEY"])
def test_production_without_the_payment_providers_secrets_stops(tmp_path, missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = start_django(SINGLEPORTAL_DATA_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr

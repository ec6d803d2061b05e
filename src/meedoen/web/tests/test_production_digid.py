"""Production never runs DigiD's mock identity provider (it accepts any BSN), not even when the environment
asks for it: only the SAML backend, and no mock URLs."""

import json
import subprocess
import sys

from meedoen.web.tests.test_deploy import production_env

PROBE = r"""
import json
import django
django.setup()
from django.conf import settings
from django.urls import Resolver404, resolve

def resolves(path):
    try:
        return resolve(path).view_name
    except Resolver404:
        return None

print(json.dumps({
    "mock": settings.MEEDOEN_DIGID_MOCK,
    "backends": settings.AUTHENTICATION_BACKENDS,
    "idp": resolves("/digid/idp/inloggen/"),
    "idp_bsn": resolves("/digid/idp/inloggen_bsn/"),
}))
"""


def test_production_settings_keep_the_digid_mock_off_even_when_asked():
    env = production_env(MEEDOEN_DIGID_MOCK="1", MEEDOEN_DEMO_MODE="1")
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["mock"] is False
    assert "meedoen.portal.backends.DigiDBackend" in found["backends"]
    assert not [b for b in found["backends"] if "Mock" in b]
    assert found["idp"] is None and found["idp_bsn"] is None  # the mock identity provider is not served

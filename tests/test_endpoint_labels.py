"""Every screen and endpoint that can write a processing-log row has a readable name, so the resident's
*Wie keek er* and the privacy officer's log never show a route code such as ``letters:letter``."""

from django.urls import URLPattern, URLResolver, get_resolver

from meedoen.audit.endpoints import LABELS, endpoint_label
from meedoen.portal.actions import DIGID_ENDPOINT
from meedoen.programmes.successes import NIGHTLY_ENDPOINT
from meedoen.routes.actions import REPLAN_ENDPOINT


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_url_of_the_project_has_a_readable_name():
    missing = sorted(name for name in _url_names(get_resolver()) if name not in LABELS)
    assert not missing, f"add a label in audit/endpoints.py for: {missing}"


def test_every_job_endpoint_has_a_readable_name():
    for endpoint in (NIGHTLY_ENDPOINT, REPLAN_ENDPOINT, DIGID_ENDPOINT, "task:allocation", "demo"):
        assert endpoint in LABELS


def test_a_reviewers_codes_read_as_dutch():
    assert endpoint_label("letters:letter") == "Brief aan de inwoner"
    assert endpoint_label("experiments:analysis") == "Experiment: uitkomst"
    assert endpoint_label("portal:settings") == "Instellingen van Mijn Meedoen"
    assert "programmes:" not in endpoint_label("programmes:behind")

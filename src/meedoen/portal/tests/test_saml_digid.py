"""The real DigiD login: SAML with the artifact binding, end to end, against a test identity provider.

The other DigiD tests use the library's mock, which skips every SAML message. Here Meedoen (the service
provider) gets a throw-away key and certificate, the test identity provider another, and the library's DigiD
configuration gets the identity provider's metadata as written below. Then, as in production:

1. ``/mijn/inloggen/`` → ``digid:login``: a page that posts a signed AuthnRequest to the identity provider.
2. The identity provider sends the resident back to ``digid:acs`` with a SAML artifact (``SAMLart``).
3. The library resolves the artifact: a signed ArtifactResolve over SOAP, with Meedoen's certificate as the
   TLS client certificate, to the identity provider's artifact resolution service. That service is a real
   HTTPS server on 127.0.0.1 in a thread (a stand-in for DigiD; nothing of ours is mocked). It answers with a
   signed ArtifactResponse holding a Response with a signed Assertion whose NameID is ``s00000000:<BSN>``.
4. ``portal.backends.DigiDBackend`` finds the file with that BSN in the municipality the resident chose.
"""

import base64
import datetime as dt
import hashlib
import importlib.util
import ipaddress
import logging
import os
import secrets
import ssl
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

try:  # the C library behind xmlsec (libxmlsec1) must load: it signs and checks every SAML message
    import xmlsec
    from onelogin.saml2.utils import OneLogin_Saml2_Utils
except Exception as exc:  # an ImportError, or xmlsec's own error on a library mismatch
    if os.environ.get("CI", "").lower() == "true":
        raise  # CI=true: the real DigiD path must run there
    pytest.skip(
        f"xmlsec cannot load ({exc}): the real DigiD SAML test needs libxmlsec1", allow_module_level=True
    )

import lxml.html
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from digid_eherkenning.choices import ConfigTypes
from digid_eherkenning.models import ConfigCertificate, DigidConfiguration
from django.core.files.base import ContentFile
from django.test import Client
from lxml import etree
from simple_certmanager.constants import CertificateTypes
from simple_certmanager.models import Certificate

from meedoen.audit.models import ProcessingLogEntry, ProcessingLogSubject, Purpose
from meedoen.residents.models import Resident
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

HOST = "meedoen.apeldoorn.test"
BASE_URL = f"https://{HOST}"
SP_ENTITY_ID = f"{BASE_URL}/digid/metadata"
ACS_URL = f"{BASE_URL}/digid/acs/"
IDP_ENTITY_ID = "https://idp.digid.test/saml/idp/metadata"
IDP_SSO_URL = "https://idp.digid.test/saml/idp/request_authentication"
IDP_SLO_URL = "https://idp.digid.test/saml/idp/request_logout"
BSN_SECTOR = "s00000000"  # DigiD's sector code of a BSN: the NameID is "s00000000:<BSN>"
MIDDLE = (
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"  # DigiD Midden, the library's default
)

NS = {
    "samlp": "urn:oasis:names:tc:SAML:2.0:protocol",
    "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "soap": "http://schemas.xmlsoap.org/soap/envelope/",
}
SAMLP, SAML = NS["samlp"], NS["saml"]
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"


# ---------------------------------------------------------------------------------- keys


@dataclass(frozen=True)
class KeyPair:
    key_pem: bytes
    cert_pem: bytes

    @property
    def cert_b64(self) -> str:
        """The certificate as metadata and KeyInfo carry it: base64 DER, no PEM lines."""
        der = x509.load_pem_x509_certificate(self.cert_pem).public_bytes(serialization.Encoding.DER)
        return base64.b64encode(der).decode()


def _key_pair(common_name: str) -> KeyPair:
    """A throw-away RSA key with a self-signed certificate, valid for a month, also for TLS on 127.0.0.1."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return KeyPair(key_pem=key_pem, cert_pem=certificate.public_bytes(serialization.Encoding.PEM))


@pytest.fixture(scope="module")
def sp_keys() -> KeyPair:
    return _key_pair("Meedoen test service provider")


@pytest.fixture(scope="module")
def idp_keys() -> KeyPair:
    return _key_pair("DigiD test identity provider")


@pytest.fixture(scope="module")
def impostor_keys() -> KeyPair:
    return _key_pair("Not DigiD")


def _sign(xml: str, keys: KeyPair) -> str:
    """Sign the root element (after its first Issuer), as DigiD signs: RSA-SHA256, exclusive c14n."""
    signed = OneLogin_Saml2_Utils.add_sign(xml, keys.key_pem.decode(), keys.cert_pem.decode())
    return signed.decode() if isinstance(signed, bytes) else signed


def _verify(element: Any, keys: KeyPair) -> None:
    """Check the one signature in ``element`` with the certificate of ``keys``; raises xmlsec.Error."""
    node = xmlsec.tree.find_node(element, xmlsec.constants.NodeSignature)
    assert node is not None, "not signed"
    xmlsec.tree.add_ids(element, ["ID"])
    context = xmlsec.SignatureContext()
    context.key = xmlsec.Key.from_memory(keys.cert_pem, xmlsec.constants.KeyDataFormatCertPem)
    context.verify(node)


def _instant(delta: dt.timedelta = dt.timedelta(0)) -> str:
    return (dt.datetime.now(dt.UTC) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def _id() -> str:
    return f"_{uuid.uuid4().hex}"


# ---------------------------------------------------------------------------------- the identity provider


@dataclass
class Answer:
    """What the identity provider answers for one artifact."""

    bsn: str
    in_response_to: str  # the AuthnRequest's ID
    audience: str = SP_ENTITY_ID
    sign_with: str = "idp"  # "idp", "impostor", or "" (unsigned)
    tamper_bsn: str = ""  # after signing, swap the BSN for this one
    status: str = SUCCESS  # DigiD's status; AuthnFailed when the resident cancelled
    hang_up: bool = False  # close the connection without an answer (DigiD unreachable)


@dataclass
class ResolveCall:
    content_type: str
    client_certificate: dict[str, Any]
    artifact: str
    issuer: str
    signed_by_sp: bool


@dataclass
class StandInDigid:
    keys: KeyPair
    impostor: KeyPair
    sp_keys: KeyPair
    url: str = ""
    answers: dict[str, Answer] = field(default_factory=dict)
    calls: list[ResolveCall] = field(default_factory=list)

    def artifact_for(self, answer: Answer) -> str:
        """A SAML 2.0 artifact (SAMLBind 3.6.4): type 4, endpoint index 0, SHA-1 of the entity id, handle."""
        source = hashlib.sha1(IDP_ENTITY_ID.encode(), usedforsecurity=False).digest()
        artifact = base64.b64encode(b"\x00\x04\x00\x00" + source + secrets.token_bytes(20)).decode()
        self.answers[artifact] = answer
        return artifact

    def resolve(self, body: bytes, content_type: str, client_certificate: dict[str, Any]) -> bytes | None:
        envelope = etree.fromstring(body)
        resolve = envelope.find("soap:Body/samlp:ArtifactResolve", NS)
        assert resolve is not None, body
        try:
            _verify(resolve, self.sp_keys)
            signed = True
        except (AssertionError, xmlsec.Error):
            signed = False
        artifact = resolve.findtext("samlp:Artifact", namespaces=NS) or ""
        issuer = resolve.findtext("saml:Issuer", namespaces=NS) or ""
        self.calls.append(ResolveCall(content_type, client_certificate, artifact, issuer, signed))
        answer = self.answers.pop(artifact)  # an artifact is good for one resolution
        if answer.hang_up:
            return None
        return self._artifact_response(resolve.get("ID"), answer).encode()

    def _artifact_response(self, resolve_id: str, answer: Answer) -> str:
        response = self._response(answer)
        artifact_response = (
            f'<samlp:ArtifactResponse xmlns:samlp="{SAMLP}" xmlns:saml="{SAML}" ID="{_id()}" Version="2.0" '
            f'IssueInstant="{_instant()}" InResponseTo="{resolve_id}">'
            f"<saml:Issuer>{IDP_ENTITY_ID}</saml:Issuer>"
            f'<samlp:Status><samlp:StatusCode Value="{SUCCESS}"/></samlp:Status>'
            f"{response}</samlp:ArtifactResponse>"
        )
        signed = _sign(artifact_response, self.keys)
        return f'<soap:Envelope xmlns:soap="{NS["soap"]}"><soap:Body>{signed}</soap:Body></soap:Envelope>'

    def _response(self, answer: Answer) -> str:
        if answer.status == SUCCESS:
            status = f'<samlp:Status><samlp:StatusCode Value="{SUCCESS}"/></samlp:Status>'
            assertion = self._assertion(answer)
        else:
            status = (
                '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder">'
                f'<samlp:StatusCode Value="{answer.status}"/></samlp:StatusCode></samlp:Status>'
            )
            assertion = ""
        return (
            f'<samlp:Response xmlns:samlp="{SAMLP}" xmlns:saml="{SAML}" ID="{_id()}" Version="2.0" '
            f'IssueInstant="{_instant()}" Destination="{ACS_URL}" InResponseTo="{answer.in_response_to}">'
            f"<saml:Issuer>{IDP_ENTITY_ID}</saml:Issuer>{status}{assertion}</samlp:Response>"
        )

    def _assertion(self, answer: Answer) -> str:
        later = _instant(dt.timedelta(minutes=2))
        assertion = (
            f'<saml:Assertion xmlns:saml="{SAML}" ID="{_id()}" Version="2.0" IssueInstant="{_instant()}">'
            f"<saml:Issuer>{IDP_ENTITY_ID}</saml:Issuer>"
            f"<saml:Subject><saml:NameID>{BSN_SECTOR}:{answer.bsn}</saml:NameID>"
            '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f'<saml:SubjectConfirmationData InResponseTo="{answer.in_response_to}" Recipient="{ACS_URL}" '
            f'NotOnOrAfter="{later}"/></saml:SubjectConfirmation></saml:Subject>'
            f'<saml:Conditions NotBefore="{_instant(-dt.timedelta(minutes=1))}" NotOnOrAfter="{later}">'
            f"<saml:AudienceRestriction><saml:Audience>{answer.audience}</saml:Audience>"
            "</saml:AudienceRestriction></saml:Conditions>"
            f'<saml:AuthnStatement AuthnInstant="{_instant()}" SessionIndex="{_id()}">'
            '<saml:SubjectLocality Address="127.0.0.1"/>'
            f"<saml:AuthnContext><saml:AuthnContextClassRef>{MIDDLE}</saml:AuthnContextClassRef>"
            "</saml:AuthnContext></saml:AuthnStatement></saml:Assertion>"
        )
        if answer.sign_with:
            assertion = _sign(assertion, self.keys if answer.sign_with == "idp" else self.impostor)
        if answer.tamper_bsn:
            assertion = assertion.replace(f":{answer.bsn}<", f":{answer.tamper_bsn}<")
        return assertion

    def metadata(self) -> bytes:
        """The identity provider's metadata, shaped like DigiD's own."""
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
            f'xmlns:ds="{NS["ds"]}" entityID="{IDP_ENTITY_ID}">'
            '<md:IDPSSODescriptor WantAuthnRequestsSigned="true" '
            'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
            '<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>'
            f"<ds:X509Certificate>{self.keys.cert_b64}</ds:X509Certificate>"
            "</ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
            '<md:ArtifactResolutionService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" '
            f'Location="{self.url}" index="0"/>'
            '<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
            f'Location="{IDP_SLO_URL}"/>'
            '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" '
            f'Location="{IDP_SSO_URL}"/>'
            '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
            f'Location="{IDP_SSO_URL}"/>'
            "</md:IDPSSODescriptor></md:EntityDescriptor>"
        ).encode()


def _handler(idp: StandInDigid) -> type[BaseHTTPRequestHandler]:
    class ArtifactResolutionService(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            peer = self.connection.getpeercert()  # type: ignore[attr-defined]
            answer = idp.resolve(body, self.headers.get("Content-Type", ""), peer or {})
            if answer is None:
                self.close_connection = True
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return ArtifactResolutionService


@pytest.fixture(scope="module")
def identity_provider(
    idp_keys: KeyPair, impostor_keys: KeyPair, sp_keys: KeyPair, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StandInDigid]:
    """DigiD's artifact resolution service: a real HTTPS server that demands Meedoen's client certificate."""
    folder = tmp_path_factory.mktemp("idp")
    (folder / "idp.pem").write_bytes(idp_keys.cert_pem + idp_keys.key_pem)
    idp = StandInDigid(keys=idp_keys, impostor=impostor_keys, sp_keys=sp_keys)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "idp.pem")
    context.verify_mode = ssl.CERT_REQUIRED  # mutual TLS, as DigiD's back channel asks
    context.load_verify_locations(cadata=sp_keys.cert_pem.decode())
    server = HTTPServer(("127.0.0.1", 0), _handler(idp))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    idp.url = f"https://127.0.0.1:{server.server_address[1]}/saml/idp/resolve_artifact"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield idp
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


# ---------------------------------------------------------------------------------- Meedoen, without the mock


def _urls_without_the_mock() -> ModuleType:
    """A fresh copy of ``meedoen.urls``, read while MEEDOEN_DIGID_MOCK is off: the URLs production serves."""
    spec = importlib.util.find_spec("meedoen.urls")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def saml(
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    sp_keys: KeyPair,
    identity_provider: StandInDigid,
) -> StandInDigid:
    """Meedoen as production runs it (the SAML backend and URLs), with the library's DigiD configuration
    pointing at the test identity provider."""
    settings.MEEDOEN_DIGID_MOCK = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    settings.AUTHENTICATION_BACKENDS = [
        *[b for b in settings.AUTHENTICATION_BACKENDS if not b.startswith("meedoen.portal.")],
        "meedoen.portal.backends.DigiDBackend",
    ]
    settings.ROOT_URLCONF = _urls_without_the_mock()
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"  # the library reads the key and certificate from disk
    trusted = tmp_path / "idp-ca.pem"
    trusted.write_bytes(identity_provider.keys.cert_pem)
    # requests (which the library's SOAP call uses) trusts the test identity provider's TLS certificate.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(trusted))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")

    certificate = Certificate.objects.create(
        label="Meedoen test",
        type=CertificateTypes.key_pair,
        public_certificate=ContentFile(sp_keys.cert_pem, name="meedoen.crt"),
        private_key=ContentFile(sp_keys.key_pem, name="meedoen.key"),
    )
    ConfigCertificate.objects.create(config_type=ConfigTypes.digid, certificate=certificate)
    config = DigidConfiguration.get_solo()
    config.entity_id = SP_ENTITY_ID
    config.base_url = BASE_URL
    config.service_name = "Meedoen"
    config.service_description = "Mijn Meedoen"
    config.idp_service_entity_id = IDP_ENTITY_ID
    config.idp_metadata_file.save("digid-metadata.xml", ContentFile(identity_provider.metadata()), save=False)
    config.save()
    identity_provider.calls.clear()
    return identity_provider


@dataclass(frozen=True)
class SentToDigid:
    request_id: str
    relay_state: str


def go_to_digid(client: Client, municipality: Any, sp_keys: KeyPair) -> SentToDigid:
    """Choose the municipality and press *Inloggen met DigiD*: the library's page posts a signed AuthnRequest
    to DigiD (the browser submits it at once)."""
    response = client.post("/mijn/inloggen/", {"municipality": str(municipality.pk)})
    assert response.status_code == 302 and response["Location"].startswith("/digid/login/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    form = lxml.html.fromstring(page.content).forms[0]
    assert form.method.lower() == "post" and form.action == IDP_SSO_URL
    fields = dict(form.form_values())
    authn_request = etree.fromstring(base64.b64decode(fields["SAMLRequest"]))
    assert authn_request.tag == f"{{{SAMLP}}}AuthnRequest"
    assert authn_request.get("Destination") == IDP_SSO_URL
    assert authn_request.get("AssertionConsumerServiceURL") == ACS_URL
    assert authn_request.get("ProtocolBinding") == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact"
    assert authn_request.findtext("saml:Issuer", namespaces=NS) == SP_ENTITY_ID
    assert authn_request.findtext(".//saml:AuthnContextClassRef", namespaces=NS) == MIDDLE
    _verify(authn_request, sp_keys)  # signed with Meedoen's key
    return SentToDigid(request_id=authn_request.get("ID"), relay_state=fields["RelayState"])


@dataclass(frozen=True)
class Landed:
    url: str  # where the resident's browser ends up
    page: str


def back_from_digid(client: Client, saml: StandInDigid, sent: SentToDigid, **answer: Any) -> Landed:
    """DigiD sends the resident back to the assertion consumer service with an artifact; Meedoen resolves it.
    Redirects are followed by hand: Django's test client takes a page that redirects once to itself (the
    no-file page does, to drop the library's English message) for a loop."""
    artifact = saml.artifact_for(Answer(in_response_to=sent.request_id, **answer))
    response = client.get("/digid/acs/", {"SAMLart": artifact, "RelayState": sent.relay_state})
    url = "/digid/acs/"
    for _hop in range(5):
        if response.status_code != 302:
            break
        url = response["Location"]
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return Landed(url=url, page=response.content.decode())


def resident_browser() -> Client:
    """A browser on Meedoen's own address (the base URL in the DigiD configuration)."""
    return Client(HTTP_HOST=HOST)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# ---------------------------------------------------------------------------------- the tests


def test_a_resident_logs_in_with_real_saml_and_sees_their_own_plan(saml, sp_keys, apeldoorn):
    resident = ResidentFactory(municipality=apeldoorn, given_names="Sanne", work=True)
    client = resident_browser()
    sent = go_to_digid(client, apeldoorn, sp_keys)
    landed = back_from_digid(client, saml, sent, bsn=resident.bsn)

    assert landed.url == "/mijn/"
    assert "Welkom, Sanne" in landed.page
    assert logged_in(client)
    assert client.session.get_expiry_age() <= 15 * 60  # DigiD's rule: at most a quarter of an hour
    # The back channel ran as DigiD asks: a signed ArtifactResolve from Meedoen, over mutual TLS.
    [call] = saml.calls
    assert call.signed_by_sp and call.issuer == SP_ENTITY_ID
    assert ("commonName", "Meedoen test service provider") in call.client_certificate["subject"][0]
    assert call.content_type == "application/soap+xml"  # the library's default for DigiD
    # The login is in the processing log, as with the mock.
    entry = ProcessingLogEntry.objects.get(endpoint="digid:acs")
    assert entry.purpose == Purpose.OWN_FILE and entry.action == "create"
    assert entry.municipality_id == apeldoorn.pk
    assert list(ProcessingLogSubject.objects.filter(entry=entry).values_list("resident_id", flat=True)) == [
        resident.pk
    ]


def test_the_second_real_login_opens_the_same_account_and_is_logged_as_a_view(saml, sp_keys, apeldoorn):
    resident = ResidentFactory(municipality=apeldoorn, work=True)
    back_from_digid(
        first := resident_browser(), saml, go_to_digid(first, apeldoorn, sp_keys), bsn=resident.bsn
    )
    account = Resident.objects.get(pk=resident.pk).user_id
    client = resident_browser()
    landed = back_from_digid(client, saml, go_to_digid(client, apeldoorn, sp_keys), bsn=resident.bsn)
    assert landed.url == "/mijn/"
    assert Resident.objects.get(pk=resident.pk).user_id == account
    actions = (
        ProcessingLogEntry.objects.filter(endpoint="digid:acs")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert list(actions) == ["create", "view"]


def test_a_bsn_without_a_file_in_that_municipality_gets_the_no_file_page(saml, sp_keys, apeldoorn, epe):
    in_epe = ResidentFactory(municipality=epe, work=True)
    client = resident_browser()
    landed = back_from_digid(client, saml, go_to_digid(client, apeldoorn, sp_keys), bsn=in_epe.bsn)
    page = landed.page
    assert landed.url == "/mijn/inloggen/terug/"
    assert "We vinden geen dossier van u" in page
    assert "de gemeente Apeldoorn heeft geen dossier van u" in page
    assert "An error occurred" not in page
    assert not logged_in(client)
    assert Resident.objects.get(pk=in_epe.pk).user is None
    assert not ProcessingLogEntry.objects.filter(endpoint="digid:acs").exists()


@pytest.mark.parametrize(
    ("answer", "refused_because"),
    [
        pytest.param({"sign_with": ""}, "Assertion of the Response is not signed", id="unsigned assertion"),
        pytest.param(
            {"sign_with": "impostor"},
            "Signature validation failed",
            id="signed by a key not in DigiD's metadata",
        ),
        pytest.param(
            {"tamper_bsn": "another resident's"},
            "Signature validation failed",
            id="BSN changed after signing",
        ),
        pytest.param(
            {"audience": "https://another-service.test/"},
            "is not a valid audience",
            id="meant for another service",
        ),
    ],
)
def test_an_assertion_that_is_not_digids_own_for_us_logs_nobody_in(
    saml, sp_keys, apeldoorn, answer, refused_because, caplog
):
    """Refused by the library for the reason named, which it logs (not shown to the resident)."""
    caplog.set_level(logging.INFO, logger="digid_eherkenning")
    resident = ResidentFactory(municipality=apeldoorn, work=True)
    other = ResidentFactory(municipality=apeldoorn, work=True)
    if "tamper_bsn" in answer:
        answer = {**answer, "tamper_bsn": other.bsn}
    client = resident_browser()
    landed = back_from_digid(
        client, saml, go_to_digid(client, apeldoorn, sp_keys), bsn=resident.bsn, **answer
    )
    assert landed.url == "/mijn/inloggen/terug/"
    assert "Inloggen is niet gelukt" in landed.page
    assert not logged_in(client)
    assert (
        Resident.objects.get(pk=resident.pk).user is None and Resident.objects.get(pk=other.pk).user is None
    )
    assert not ProcessingLogEntry.objects.filter(endpoint="digid:acs").exists()
    reasons = " ".join(str(record.exc_info[1]) for record in caplog.records if record.exc_info)
    assert refused_because in reasons


def test_an_answer_to_no_login_of_ours_logs_nobody_in(saml, sp_keys, apeldoorn, caplog):
    """An answer to an AuthnRequest Meedoen never sent (made up, or one already used) is refused."""
    caplog.set_level(logging.INFO, logger="digid_eherkenning")
    resident = ResidentFactory(municipality=apeldoorn, work=True)
    client = resident_browser()
    go_to_digid(client, apeldoorn, sp_keys)
    landed = back_from_digid(
        client, saml, SentToDigid(request_id=_id(), relay_state="/mijn/"), bsn=resident.bsn
    )
    assert landed.url == "/mijn/inloggen/terug/"
    assert "Inloggen is niet gelukt" in landed.page
    assert not logged_in(client)
    assert any("not a request id" in str(record.exc_info[1]) for record in caplog.records if record.exc_info)


def test_cancelling_at_digid_gives_the_page_to_try_again(saml, sp_keys, apeldoorn):
    resident = ResidentFactory(municipality=apeldoorn, work=True)
    client = resident_browser()
    landed = back_from_digid(
        client,
        saml,
        go_to_digid(client, apeldoorn, sp_keys),
        bsn=resident.bsn,
        status="urn:oasis:names:tc:SAML:2.0:status:AuthnFailed",
    )
    assert landed.url == "/mijn/inloggen/terug/"
    assert "Inloggen is niet gelukt" in landed.page
    assert "You have cancelled" not in landed.page
    assert not logged_in(client)


def test_digid_unreachable_on_the_back_channel_gives_the_page_to_try_again(saml, sp_keys, apeldoorn):
    resident = ResidentFactory(municipality=apeldoorn, work=True)
    client = resident_browser()
    landed = back_from_digid(
        client, saml, go_to_digid(client, apeldoorn, sp_keys), bsn=resident.bsn, hang_up=True
    )
    assert landed.url == "/mijn/inloggen/terug/"
    assert "Inloggen is niet gelukt" in landed.page
    assert not logged_in(client)


def test_the_login_page_may_send_the_form_to_digid(saml, sp_keys, apeldoorn):
    """The page with the AuthnRequest posts it to DigiD's own address: the page's Content-Security-Policy
    must allow that form target, or the browser stops the resident right there."""
    client = resident_browser()
    response = client.post("/mijn/inloggen/", {"municipality": str(apeldoorn.pk)})
    page = client.get(response["Location"])
    policy = {
        part.split()[0]: part.split()[1:]
        for part in page["Content-Security-Policy"].split(";")
        if part.strip()
    }
    assert "https://idp.digid.test" in policy["form-action"]
    assert "'self'" in policy["form-action"]

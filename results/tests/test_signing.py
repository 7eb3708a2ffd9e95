"""Signing and verifying PDFs as pure functions on bytes: what a citizen's file proves, checked by
pyHanko's validator (through ``verify_pdf``) and by Poppler's ``pdfsig``."""

from __future__ import annotations

import hashlib
import io

import pytest
from cryptography import x509
from pyhanko.pdf_utils.generic import StreamObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from results import pki
from results.signing import NotAPdf, Verdict, sign_pdf, verify_pdf

from .samples import AGENCY, MARKER, SIGNED_AT, forger_signer, pdfsig, plain_pdf, signed_pdf, stamp


def roots():
    return pki.trust_roots()


def test_a_signed_result_is_valid_names_its_agency_and_the_time_in_the_box():
    data = signed_pdf()

    result = verify_pdf(data, trust_roots=roots())

    assert result.verdict is Verdict.VALID and result.valid
    assert result.signer == AGENCY.name
    assert result.signed_at == SIGNED_AT
    assert result.modified_after_signing is False
    assert result.signed_revision_sha256 == hashlib.sha256(data).hexdigest()


def test_poppler_finds_the_signature_valid_and_pades(tmp_path):
    report = pdfsig(signed_pdf(), tmp_path)

    assert "Signature Validation: Signature is Valid." in report
    assert "Signature Type: ETSI.CAdES.detached" in report
    assert f"Signer Certificate Common Name: {AGENCY.name}" in report
    assert "Total document signed" in report
    # Our development CA is not in the system's trust store: that is expected, the signature is.
    assert "Certificate Validation:" in report


def test_the_agency_certificate_is_for_signing_in_its_name():
    pki.signer_for(AGENCY)
    _key, cert_path = pki._agency_paths(AGENCY)
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())

    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment  # nonRepudiation
    assert not usage.key_cert_sign
    assert certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == AGENCY.name


def test_changed_bytes_break_the_signature(tmp_path):
    data = signed_pdf()
    assert data.count(MARKER) == 1
    altered = data.replace(MARKER, MARKER.replace(b"0123", b"9999"))

    result = verify_pdf(altered, trust_roots=roots())

    assert result.verdict is Verdict.ALTERED and not result.valid
    assert "Signature is Valid" not in pdfsig(altered, tmp_path)


def _append_text(data: bytes) -> bytes:
    """An incremental update that draws on the signed page: what a forger who keeps the
    signature would do."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    overlay = writer.add_object(StreamObject(stream_data=b"BT /F1 24 Tf 100 100 Td (DA SUA) Tj ET"))
    writer.add_stream_to_page(0, overlay)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_content_added_after_signing_is_reported(tmp_path):
    data = signed_pdf()
    changed = _append_text(data)

    result = verify_pdf(changed, trust_roots=roots())

    assert result.verdict is Verdict.MODIFIED and not result.valid
    assert result.modified_after_signing is True
    assert result.signer == AGENCY.name
    # The signed revision is still the file we issued: its hash finds our record.
    assert result.signed_revision_sha256 == hashlib.sha256(data).hexdigest()
    report = pdfsig(changed, tmp_path)
    assert "Signature Validation: Signature is Valid." in report
    assert "Not total document signed" in report


def test_a_look_alike_certificate_is_not_trusted(tmp_path):
    forged = sign_pdf(plain_pdf(), signer=forger_signer(tmp_path / "forger"), stamp=stamp())

    result = verify_pdf(forged, trust_roots=roots())

    assert result.verdict is Verdict.UNTRUSTED and not result.valid
    # Cryptographically sound (pdfsig agrees), but made by a key that no trusted root vouches for.
    assert "Signature Validation: Signature is Valid." in pdfsig(forged, tmp_path)


def test_our_own_result_is_untrusted_where_our_root_is_not_trusted():
    assert verify_pdf(signed_pdf(), trust_roots=[]).verdict is Verdict.UNTRUSTED


def test_an_unsigned_pdf_and_things_that_are_no_pdf():
    assert verify_pdf(plain_pdf(), trust_roots=roots()).verdict is Verdict.UNSIGNED
    assert verify_pdf(b"\x89PNG\r\n\x1a\n" + b"\0" * 100, trust_roots=roots()).verdict is Verdict.NOT_PDF
    assert verify_pdf(b"", trust_roots=roots()).verdict is Verdict.NOT_PDF
    assert verify_pdf(b"%PDF-1.7\n garbage without structure", trust_roots=roots()).verdict is Verdict.NOT_PDF


def test_a_truncated_signed_file_is_not_valid():
    data = signed_pdf()
    truncated = data[: len(data) // 2]

    assert verify_pdf(truncated, trust_roots=roots()).verdict in {Verdict.NOT_PDF, Verdict.UNSIGNED, Verdict.ALTERED}


def test_signing_refuses_what_is_not_a_pdf():
    with pytest.raises(NotAPdf):
        sign_pdf(b"hello", signer=pki.signer_for(AGENCY), stamp=stamp())
    with pytest.raises(NotAPdf):
        sign_pdf(b"%PDF-1.4\nbroken", signer=pki.signer_for(AGENCY), stamp=stamp())


def test_the_local_ca_is_refused_where_another_source_is_configured(settings):
    settings.RESULTS_SIGNING = pki.PKCS12
    settings.RESULTS_PKCS12_PATH = ""
    with pytest.raises(pki.SigningUnavailable):
        pki.ensure_local_ca(AGENCY)
    with pytest.raises(pki.SigningUnavailable):
        pki.signer_for(AGENCY)


def test_an_agency_key_from_a_pkcs12_file_signs_and_configured_roots_are_trusted(settings, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    root_path = pki.ensure_local_ca(AGENCY)
    key_path, cert_path = pki._agency_paths(AGENCY)
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    bundle = pkcs12.serialize_key_and_certificates(
        name=b"agency",
        key=key,  # type: ignore[arg-type]
        cert=x509.load_pem_x509_certificate(cert_path.read_bytes()),
        cas=[x509.load_pem_x509_certificate(root_path.read_bytes())],
        encryption_algorithm=serialization.BestAvailableEncryption(b"mat-khau-thu"),
    )
    (tmp_path / f"{AGENCY.code}.p12").write_bytes(bundle)
    settings.RESULTS_SIGNING = pki.PKCS12
    settings.RESULTS_PKCS12_PATH = str(tmp_path / "{agency}.p12")
    settings.RESULTS_PKCS12_PASSPHRASE = "mat-khau-thu"
    settings.RESULTS_TRUST_ROOTS = [str(root_path)]

    data = sign_pdf(plain_pdf(), signer=pki.signer_for(AGENCY), stamp=stamp())

    assert verify_pdf(data, trust_roots=pki.trust_roots()).verdict is Verdict.VALID
    settings.RESULTS_TRUST_ROOTS = []
    assert verify_pdf(data, trust_roots=pki.trust_roots()).verdict is Verdict.UNTRUSTED
    settings.RESULTS_PKCS12_PASSPHRASE = "sai"
    pki._load_pkcs12.cache_clear()
    with pytest.raises(pki.SigningUnavailable):
        pki.signer_for(AGENCY)


@pytest.mark.django_db
def test_the_command_prepares_the_local_ca_for_every_agency(settings, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from org.tests.factories import agency

    settings.RESULTS_PKI_DIR = tmp_path / "pki"
    place = agency("Sở Thử Lệnh")
    out = StringIO()

    call_command("results_local_ca", stdout=out)

    assert str(tmp_path / "pki" / "root-ca.cert.pem") in out.getvalue()
    key_path, cert_path = pki._agency_paths(pki.AgencyIdentity(code=place.code, name=place.name))
    assert key_path.is_file() and cert_path.is_file()
    assert oct(key_path.stat().st_mode & 0o777) == "0o600"


def test_with_a_time_stamp_authority_the_signature_is_pades_b_t(tmp_path):
    data = sign_pdf(plain_pdf(), signer=pki.signer_for(AGENCY), stamp=stamp(), timestamper=pki.local_timestamper())

    result = verify_pdf(data, trust_roots=roots())

    assert result.verdict is Verdict.VALID and result.timestamped
    assert result.signed_at is not None and result.signed_at > SIGNED_AT  # the authority's time, not ours
    assert "Signature Validation: Signature is Valid." in pdfsig(data, tmp_path)
    assert verify_pdf(signed_pdf(), trust_roots=roots()).timestamped is False


def test_past_many_revisions_anything_appended_still_counts_as_a_change(monkeypatch):
    import results.signing as signing

    changed = _append_text(signed_pdf())
    monkeypatch.setattr(signing, "MAX_REVISIONS", 1)  # the file has two: the difference analysis is skipped

    result = verify_pdf(changed, trust_roots=roots())

    assert result.verdict is Verdict.MODIFIED and result.modified_after_signing is True


def test_where_the_local_ca_is_not_allowed_it_neither_signs_nor_is_trusted(settings):
    from results.checks import local_ca_in_production

    data = signed_pdf()
    assert local_ca_in_production() == []
    settings.RESULTS_LOCAL_CA_ALLOWED = False  # as under motcua.settings.production

    assert [error.id for error in local_ca_in_production()] == ["results.E001"]
    with pytest.raises(pki.SigningUnavailable):
        pki.signer_for(AGENCY)
    assert verify_pdf(data, trust_roots=pki.trust_roots()).verdict is Verdict.UNTRUSTED
    settings.RESULTS_SIGNING = pki.PKCS12
    assert local_ca_in_production() == []


def test_without_a_configured_key_nothing_is_signed_and_nothing_is_wrong_at_start(settings):
    from results.checks import local_ca_in_production

    settings.RESULTS_SIGNING = pki.NONE  # the production default
    settings.RESULTS_LOCAL_CA_ALLOWED = False

    assert local_ca_in_production() == []
    with pytest.raises(pki.SigningUnavailable, match="No signing key"):
        pki.signer_for(AGENCY)

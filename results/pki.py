"""Where each agency's signing key comes from (khóa ký số của cơ quan), and which roots a
verification trusts.

Three sources, chosen by the setting ``RESULTS_SIGNING`` (``MOTCUA_RESULTS_SIGNING``; none by
default in production, where results then stay unsigned until a key is configured):

- ``local``: a local certification authority under ``RESULTS_PKI_DIR`` (``var/pki/``), made on
  first use: one root CA and one signing certificate per agency, its subject the agency's name,
  key usage digitalSignature + nonRepudiation. Development and tests only; production settings
  refuse it. Never committed (``var/`` is ignored).
- ``pkcs12``: a PKCS#12 file per agency (``RESULTS_PKCS12_PATH``, ``{agency}`` replaced by the
  agency's code) unlocked by ``RESULTS_PKCS12_PASSPHRASE``.
- ``pkcs11``: a token or HSM through pyHanko's PKCS#11 support (needs the python-pkcs11 package):
  module, slot or token label, key label (``{agency}`` replaced by the agency's code) and PIN.

Trusted roots for verification: the files in ``RESULTS_TRUST_ROOTS``; in development and tests,
the local root CA as well.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import functools
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.sign import signers, timestamps
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko_certvalidator.registry import SimpleCertificateStore

LOCAL = "local"
PKCS12 = "pkcs12"
PKCS11 = "pkcs11"
NONE = ""  # production until a key is configured: nothing is signed
SOURCES = (LOCAL, PKCS12, PKCS11, NONE)

ROOT_NAME = "motcua - CA thử nghiệm (không dùng thật)"
ROOT_YEARS = 20
AGENCY_YEARS = 5
KEY_BITS = 2048


class SigningUnavailable(ImproperlyConfigured):
    """No signing key can be had for an agency with the current configuration."""


@dataclass(frozen=True)
class AgencyIdentity:
    """Who signs: the agency's code (file names, key labels) and name (the certificate's subject)."""

    code: str
    name: str


def source() -> str:
    value = getattr(settings, "RESULTS_SIGNING", LOCAL)
    if value not in SOURCES:
        raise ImproperlyConfigured(
            f"MOTCUA_RESULTS_SIGNING must be one of {', '.join(repr(s) for s in SOURCES)}, not {value!r}."
        )
    return value


def pki_dir() -> Path:
    return Path(getattr(settings, "RESULTS_PKI_DIR", Path(settings.BASE_DIR) / "var" / "pki"))


# --- The local CA (development and tests) --------------------------------------------------------


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Several processes (test workers, the server and its worker) may create the CA at once."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write(path: Path, data: bytes, *, private: bool = False) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    if private:
        temporary.chmod(0o600)
    os.replace(temporary, path)


def _key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, common_name[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )


def _root_paths() -> tuple[Path, Path]:
    directory = pki_dir()
    return directory / "root-ca.key.pem", directory / "root-ca.cert.pem"


def _make_root(now: datetime.datetime) -> None:
    key_path, cert_path = _root_paths()
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    name = _name(ROOT_NAME)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write(key_path, _key_pem(key), private=True)
    _write(cert_path, certificate.public_bytes(serialization.Encoding.PEM))


def _root(now: datetime.datetime) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key_path, cert_path = _root_paths()
    if not (key_path.is_file() and cert_path.is_file()):
        _make_root(now)
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key, x509.load_pem_x509_certificate(cert_path.read_bytes())


def _agency_stem(agency: AgencyIdentity) -> str:
    """A file name per agency code and name: a renamed agency gets a certificate with its new name."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", agency.code)[:60] or "agency"
    return f"{safe}-{hashlib.sha256(agency.name.encode()).hexdigest()[:10]}"


def _agency_paths(agency: AgencyIdentity) -> tuple[Path, Path]:
    directory = pki_dir() / "agencies"
    stem = _agency_stem(agency)
    return directory / f"{stem}.key.pem", directory / f"{stem}.cert.pem"


def _make_agency(agency: AgencyIdentity, now: datetime.datetime) -> None:
    root_key, root_cert = _root(now)
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(agency.name))
        .issuer_name(root_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(min(now + datetime.timedelta(days=365 * AGENCY_YEARS), root_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )
    key_path, cert_path = _agency_paths(agency)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    _write(key_path, _key_pem(key), private=True)
    _write(cert_path, certificate.public_bytes(serialization.Encoding.PEM))


def _tsa_paths() -> tuple[Path, Path]:
    directory = pki_dir()
    return directory / "tsa.key.pem", directory / "tsa.cert.pem"


def _make_tsa(now: datetime.datetime) -> None:
    """A time-stamp authority certificate of the local CA (extended key usage timeStamping)."""
    root_key, root_cert = _root(now)
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name("motcua - TSA thử nghiệm (không dùng thật)"))
        .issuer_name(root_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(min(now + datetime.timedelta(days=365 * AGENCY_YEARS), root_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    key_path, cert_path = _tsa_paths()
    _write(key_path, _key_pem(key), private=True)
    _write(cert_path, certificate.public_bytes(serialization.Encoding.PEM))


def local_timestamper() -> timestamps.TimeStamper:
    """The development time-stamp authority, in process (MOTCUA_RESULTS_TSA_URL=local): real
    RFC 3161 tokens from the local CA, so that signatures are PAdES-B-T without a network."""
    root_path = ensure_local_ca()
    key_path, cert_path = _tsa_paths()
    with _locked(pki_dir()):
        if not (key_path.is_file() and cert_path.is_file()):
            _make_tsa(datetime.datetime.now(datetime.UTC))
    return _load_tsa(str(key_path), str(cert_path), str(root_path), cert_path.stat().st_mtime)


@functools.lru_cache(maxsize=4)
def _load_tsa(key_path: str, cert_path: str, root_path: str, _mtime: float) -> timestamps.TimeStamper:
    from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    return DummyTimeStamper(
        tsa_cert=load_cert_from_pemder(cert_path),
        tsa_key=load_private_key_from_pemder(key_path, passphrase=None),
        certs_to_embed=SimpleCertificateStore.from_certs([load_cert_from_pemder(root_path)]),
    )


def local_ca_allowed() -> bool:
    """The local CA signs and is trusted only where it is the configured source and the settings
    allow it (development and tests, never the production settings)."""
    return source() == LOCAL and bool(getattr(settings, "RESULTS_LOCAL_CA_ALLOWED", False))


def ensure_local_ca(agency: AgencyIdentity | None = None) -> Path:
    """Create the local root CA (and ``agency``'s certificate) if missing; the root's path."""
    if not local_ca_allowed():
        raise SigningUnavailable(
            "The local CA signs only in development and tests (MOTCUA_RESULTS_SIGNING=local, not production)."
        )
    now = datetime.datetime.now(datetime.UTC)
    with _locked(pki_dir()):
        _root(now)
        if agency is not None:
            key_path, cert_path = _agency_paths(agency)
            if not (key_path.is_file() and cert_path.is_file()):
                _make_agency(agency, now)
    return _root_paths()[1]


class KeyInMemorySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner parses the private key again for every signature (about 37 ms for
    RSA-2048, most of the time a signature takes); a worker signing many results keeps it parsed."""

    _parsed: Any = None

    @classmethod
    def of(cls, signer: signers.SimpleSigner) -> KeyInMemorySigner:
        return cls(signing_cert=signer.signing_cert, signing_key=signer.signing_key, cert_registry=signer.cert_registry)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        if self._parsed is None:
            self._parsed = serialization.load_der_private_key(self.signing_key.dump(), password=None)
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        digest = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._parsed, rsa.RSAPrivateKey):
            return self._parsed.sign(data, PKCS1v15(), digest)
        if mechanism == "ecdsa" and isinstance(self._parsed, EllipticCurvePrivateKey):
            return self._parsed.sign(data, ECDSA(digest))
        return super().sign_raw(data, digest_algorithm)


@functools.lru_cache(maxsize=64)
def _load_local_signer(key_path: str, cert_path: str, root_path: str, _mtime: float) -> signers.Signer:
    signer = signers.SimpleSigner.load(key_path, cert_path, ca_chain_files=(root_path,))
    if signer is None:
        raise SigningUnavailable(f"Cannot read the local signing key {key_path}.")
    return KeyInMemorySigner.of(signer)


@functools.lru_cache(maxsize=64)
def _load_pkcs12(path: str, passphrase: str, _mtime: float) -> signers.Signer:
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase.encode() if passphrase else None)
    if signer is None:
        raise SigningUnavailable(f"Cannot open the PKCS#12 file {path}: wrong passphrase or not a PKCS#12 file.")
    return KeyInMemorySigner.of(signer)


def _pkcs11_signer(agency: AgencyIdentity) -> signers.Signer:
    try:
        from pyhanko.config.pkcs11 import PKCS11SignatureConfig, TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11SigningContext
    except ImportError as error:  # python-pkcs11 is an optional dependency of pyHanko
        raise SigningUnavailable(
            "PKCS#11 signing needs the python-pkcs11 package (pip install python-pkcs11)."
        ) from error
    module = settings.RESULTS_PKCS11_MODULE
    if not module:
        raise SigningUnavailable("MOTCUA_RESULTS_PKCS11_MODULE must name the PKCS#11 library.")
    label = settings.RESULTS_PKCS11_KEY_LABEL.replace("{agency}", agency.code)
    slot = settings.RESULTS_PKCS11_SLOT
    config = PKCS11SignatureConfig(
        module_path=module,
        slot_no=int(slot) if slot else None,
        token_criteria=TokenCriteria(label=settings.RESULTS_PKCS11_TOKEN_LABEL or None),
        cert_label=label,
        key_label=label,
        user_pin=settings.RESULTS_PKCS11_PIN or None,
    )
    # The session stays open for the life of the process: a worker signs many results.
    return PKCS11SigningContext(config).__enter__()


_pkcs11_signers: dict[str, signers.Signer] = {}


def signer_for(agency: AgencyIdentity) -> signers.Signer:
    """The pyHanko signer of ``agency`` under the configured source (see the module docstring)."""
    kind = source()
    if kind == LOCAL:
        root_path = ensure_local_ca(agency)
        key_path, cert_path = _agency_paths(agency)
        return _load_local_signer(str(key_path), str(cert_path), str(root_path), cert_path.stat().st_mtime)
    if kind == NONE:
        raise SigningUnavailable("No signing key is configured (MOTCUA_RESULTS_SIGNING): results are not signed.")
    if kind == PKCS12:
        template = settings.RESULTS_PKCS12_PATH
        if not template:
            raise SigningUnavailable("MOTCUA_RESULTS_PKCS12 must name the agencies' PKCS#12 file(s).")
        path = Path(template.replace("{agency}", agency.code))
        if not path.is_file():
            raise SigningUnavailable(f"No PKCS#12 file for agency {agency.code}: {path}.")
        return _load_pkcs12(str(path), settings.RESULTS_PKCS12_PASSPHRASE, path.stat().st_mtime)
    if agency.code not in _pkcs11_signers:
        _pkcs11_signers[agency.code] = _pkcs11_signer(agency)
    return _pkcs11_signers[agency.code]


# --- Trust ----------------------------------------------------------------------------------------


def _read_certificates(path: Path) -> list[asn1_x509.Certificate]:
    data = path.read_bytes()
    if asn1_pem.detect(data):
        return [asn1_x509.Certificate.load(der) for _type, _headers, der in asn1_pem.unarmor(data, multiple=True)]
    return [asn1_x509.Certificate.load(data)]


def trust_roots() -> list[asn1_x509.Certificate]:
    """The roots a verification trusts: ``RESULTS_TRUST_ROOTS``, plus the local CA where it is used."""
    roots: list[asn1_x509.Certificate] = []
    for name in getattr(settings, "RESULTS_TRUST_ROOTS", []):
        path = Path(name)
        if not path.is_file():
            raise ImproperlyConfigured(f"MOTCUA_RESULTS_TRUST_ROOTS: no such file {path}.")
        roots += _read_certificates(path)
    if local_ca_allowed():
        roots += _read_certificates(ensure_local_ca())
    return roots

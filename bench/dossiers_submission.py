"""Online submission, ``POST /api/v1/dossiers`` by signed-in citizens, with a million dossiers
in the database, under a production server (gunicorn, 2 workers, production settings), in
submissions per second with wrk, beside the bare Django view (``/ping``) in the same run.

Each request is a new dossier of a popular procedure open online, from one of 64 citizens of
the generated pool (sessions built in the database as the e-ID sign-in leaves them), with two
small PDF attachments as multipart (``payload`` JSON + ``document_<required document id>``
files) when the server takes them; otherwise the JSON submission, and the script says so.

Usage: .venv/bin/python bench/dossiers_submission.py [--seconds 10]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/dossiers_submission.py
Target (issue 4): ≥ 100 submissions/s with two small attachments.
"""

from __future__ import annotations

import io
import json
import sys
import urllib.error
import urllib.request
from typing import Any

import dossiers_harness as h

BOUNDARY = "----motcuabench7d1e"


def _arg(name: str, default: float) -> float:
    return float(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def small_pdf(text: str) -> bytes:
    """A one-page PDF of a few kilobytes, as a phone's scan app would not make but a real one."""
    from reportlab.lib.pagesizes import A5
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A5)
    page.drawString(40, 500, text)
    page.save()
    return out.getvalue()


def procedure_choice() -> tuple[dict[str, Any], list[int]]:
    """The most used procedure a citizen can submit online here with two required documents: its
    submission body and the ids of the documents."""
    from catalog.models import DeclarationForm
    from catalog.selectors import public_versions
    from org.models import Agency, OneStopUnit

    with_form = set(DeclarationForm.objects.values_list("procedure_id", flat=True))
    versions = (
        public_versions()
        .exclude(online_level="none")
        .select_related("procedure")
        .order_by("-procedure__popularity", "procedure__code")
    )
    for version in versions[:200]:
        documents = list(version.documents.order_by("position", "pk").values_list("pk", flat=True)[:3])
        if "online" not in version.channels or version.procedure_id in with_form or len(documents) != 2:
            continue
        agency = Agency.objects.filter(catalog_roles__versions=version, is_active=True).order_by("code").first()
        unit = OneStopUnit.objects.filter(served_agencies=agency).order_by("code").first() if agency else None
        if agency is None or unit is None:
            continue
        body = {
            "procedure": version.procedure.code,
            "agency": agency.code,
            "unit": unit.code,
            "result_delivery": "online",
            "applicant": {"address": "12 Trần Phú, phường Nha Trang, tỉnh Khánh Hòa"},
            "documents": [{"required_document": pk, "handed_in": "electronic"} for pk in documents],
        }
        return body, documents
    raise SystemExit("no procedure open online with two required documents")


def multipart(payload: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="payload"\r\n'
        f"Content-Type: application/json\r\n\r\n{json.dumps(payload, ensure_ascii=False)}\r\n".encode()
    ]
    for name, (filename, content) in files.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


def _post(base: str, headers: dict[str, str], body: bytes) -> tuple[int, str]:
    request = urllib.request.Request(
        base + "/api/v1/dossiers", data=body, method="POST", headers={"Host": "localhost", **headers}
    )
    try:
        with urllib.request.urlopen(request) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode()


def main() -> None:
    seconds = _arg("--seconds", 10)
    count = h.ensure_dossiers()
    from django.contrib.auth import get_user_model

    from demo.generator import CITIZEN_PREFIX

    citizens = list(
        get_user_model()
        .objects.filter(username__startswith=CITIZEN_PREFIX, personal_id__isnull=False)
        .order_by("username")[:64]
    )
    cookies = [h.session_cookie(user) for user in citizens]
    body, documents = procedure_choice()
    files = {
        f"document_{documents[0]}": ("to-khai.pdf", small_pdf("To khai - ban dien tu")),
        f"document_{documents[1]}": ("giay-to.pdf", small_pdf("Giay to kem theo - ban chup")),
    }
    form = multipart(body, files)
    with h.production_server() as base:
        common = {"X-CSRFToken": h.CSRF_TOKEN}
        status, answer = _post(
            base, {**common, "Cookie": cookies[0], "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}, form
        )
        with_files = status == 201
        if not with_files:
            print(f"multipart submission refused (HTTP {status}): {answer[:300]}")
            status, answer = _post(
                base,
                {**common, "Cookie": cookies[0], "Content-Type": "application/json"},
                json.dumps(body).encode(),
            )
            if status != 201:
                raise SystemExit(f"submission refused (HTTP {status}): {answer[:500]}")
        requests: list[tuple[str, str, dict[str, str], str | bytes]] = []
        for cookie in cookies:
            if with_files:
                headers = {**common, "Cookie": cookie, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
                requests.append(("POST", "/api/v1/dossiers", headers, form))
            else:
                headers = {**common, "Cookie": cookie, "Content-Type": "application/json"}
                requests.append(("POST", "/api/v1/dossiers", headers, json.dumps(body)))
        h.header("Online submission", count)
        kind = (
            f"multipart with two PDFs ({len(form):,} bytes)"
            if with_files
            else "JSON without files (the multipart submission is not there yet)"
        )
        print(f"procedure {body['procedure']}; {kind}; 64 citizens; wrk {seconds:.0f} s")
        ping = h.wrk(base + "/ping", seconds)
        submitted = h.wrk(base + "/", seconds, script=h.lua_requests(requests * 8))
        print(f"bare Django view {ping.rate:8.0f} req/s")
        print(
            f"submission       {submitted.rate:8.0f} req/s   ratio to bare view {submitted.rate / ping.rate:.3f}   "
            f"p99 {submitted.latency_p99_ms or 0:.0f} ms   errors {submitted.errors}   (target ≥ 100/s)"
        )
        print("after: " + h.machine_load())


if __name__ == "__main__":
    main()

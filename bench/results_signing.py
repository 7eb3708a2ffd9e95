"""Signing one-page electronic results (kết quả điện tử) with the agency's key: PAdES-B-B with a
visible signature box and QR code, as the worker does on approval, and verifying them.

Measures, in one process on this machine, after a warm-up: results made from the template and
signed per second (the figure to meet: at least 20/s), signing alone, and verification; each as
wall-clock rate and as rate per second of this process's CPU time (what one free core does: the
two differ when other work shares the machine). Keys come from the local development CA
(var/pki/, made on first use).

Usage: .venv/bin/python bench/results_signing.py [--count 200]
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from collections.abc import Callable

import _setup  # noqa: F401  (Django settings)

TARGET_PER_SECOND = 20


def main() -> None:
    from zoneinfo import ZoneInfo

    from results import pki, rules
    from results.document import ResultContent, render_result
    from results.signing import Stamp, Verdict, sign_pdf, verify_pdf

    count = int(sys.argv[sys.argv.index("--count") + 1]) if "--count" in sys.argv else 200
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    agency = pki.AgencyIdentity(code="000.00.01.H41", name="Ủy ban nhân dân phường Nha Trang")
    signer = pki.signer_for(agency)
    roots = pki.trust_roots()

    def content(n: int) -> ResultContent:
        code = rules.result_code(f"000.00.01.H41-221107-{n:04d}", 1)
        return ResultContent(
            superior="Ủy ban nhân dân tỉnh Khánh Hòa",
            issuer=agency.name,
            place="Nha Trang",
            day=datetime.date(2022, 11, 7),
            number=code,
            dossier_code=code.rsplit("-KQ", 1)[0],
            received_on=datetime.date(2022, 11, 3),
            procedure_name="Thủ tục đăng ký khai sinh",
            procedure_code="1.001193",
            applicant_name="Nguyễn Thị Hồng Nhung",
            organization_name="",
            applicant_address="12 Trần Phú, phường Nha Trang, tỉnh Khánh Hòa",
            approval_note="Đồng ý.",
            signer_name="Trần Văn Lãnh Đạo",
            verify_url=rules.verify_url(code, "https://dichvucong.khanhhoa.gov.vn"),
        )

    def make_and_sign(n: int) -> bytes:
        notice = content(n)
        data, page, box = render_result(notice)
        stamp = Stamp(
            signer_name=agency.name,
            signed_at=datetime.datetime.now(zone).replace(microsecond=0),
            result_code=notice.number,
            verify_url=notice.verify_url,
        )
        return sign_pdf(data, signer=signer, stamp=stamp, box=box, page=page)

    for n in range(5):  # warm-up: fonts, key, imports
        make_and_sign(n)

    def rates(work: Callable[[], object]) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        return count / (time.perf_counter() - wall), count / (time.process_time() - cpu)

    signed: list[bytes] = []
    full = rates(lambda: signed.extend(make_and_sign(n) for n in range(count)))

    unsigned, page, box = render_result(content(1))
    stamp = Stamp(agency.name, datetime.datetime.now(zone).replace(microsecond=0), "X-KQ1", "https://x/")
    sign_only = rates(
        lambda: [sign_pdf(unsigned, signer=signer, stamp=stamp, box=box, page=page) for _ in range(count)]
    )
    verdicts: list[Verdict] = []
    verify = rates(lambda: verdicts.extend(verify_pdf(data, trust_roots=roots).verdict for data in signed))
    assert all(verdict is Verdict.VALID for verdict in verdicts), "a signed result did not verify"

    size = sum(len(data) for data in signed) / len(signed) / 1024
    print(f"{count} one-page results (A4, PAdES-B-B, RSA-2048, visible box with QR code), average {size:.0f} KiB")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"template + signing: {full[0]:.1f} results/s wall clock, {full[1]:.1f} per CPU-second"
        f" (target >= {TARGET_PER_SECOND}/s)"
    )
    print(f"signing only: {sign_only[0]:.1f} results/s wall clock, {sign_only[1]:.1f} per CPU-second")
    print(
        f"verification (pyHanko, against the local root): {verify[0]:.1f} files/s wall clock,"
        f" {verify[1]:.1f} per CPU-second"
    )


if __name__ == "__main__":
    main()

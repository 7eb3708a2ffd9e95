"""Đăng ký khai sinh online in English and in Korean, on a phone: a mother finds the procedure by
searching in her language, signs in with the VNeID stand-in, fills the real birth registration
form (catalog/declaration_forms/1.001193.json, its labels translated), submits the dossier and,
once asked, pays the fee on the payment stand-in. On every page of the portal on the way, no
Vietnamese interface text is left: what may stay Vietnamese is marked ``lang="vi"`` (official
names: agencies, one-stop units, the form's official number) or is what the citizen typed or
VNeID gave (her name, her address). The stand-ins for VNeID and the payment platform are other
systems' pages and are not scanned."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from catalog.models import Category, FeeItem, Field, ProcedureTranslation
from catalog.services import catalog_revision_bump, declaration_form_load
from dossiers import services
from dossiers.models import Dossier
from dossiers.rules import State
from dossiers.tests.factories import world
from idp.citizens import CITIZENS
from payments.models import Payment

from .test_citizen_dossiers import jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NGOC = CITIZENS[1]  # a woman: the form names her the mother
ADDRESS = "25 Lê Thánh Tôn, phường Nha Trang, tỉnh Khánh Hòa"
SHOTS = os.environ.get("MOTCUA_SCREENSHOTS", "")
BIRTH = json.loads(
    (Path(django_settings.BASE_DIR) / "catalog" / "declaration_forms" / "1.001193.json").read_text(encoding="utf-8")
)

# Letters only Vietnamese writes (with its tone marks): a text holding one is Vietnamese.
VIETNAMESE = re.compile(
    "[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉĩịọỏốồổỗộớờởỡợụủũứừửữựỳỷỹỵĂÂĐÊÔƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈĨỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦŨỨỪỬỮỰỲỶỸỴ]"
)

# Every visible text of the page (and the choices of its lists), outside elements marked
# lang="vi" and outside what people typed (inputs' values are not text nodes).
VISIBLE_TEXTS = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const element = node.parentElement;
    if (!text || !element || element.closest('script, style, template, noscript')) continue;
    const marked = element.closest('[lang]');
    if (marked && marked.getAttribute('lang').toLowerCase().startsWith('vi')) continue;
    const inList = element.closest('select');
    if (!inList && !element.getClientRects().length) continue;
    if (!inList && getComputedStyle(element).visibility === 'hidden') continue;
    found.push(text);
  }
  document.querySelectorAll('[placeholder], [aria-label], img[alt], [title]').forEach((element) => {
    const marked = element.closest('[lang]');
    if (marked && marked.getAttribute('lang').toLowerCase().startsWith('vi')) return;
    for (const name of ['placeholder', 'aria-label', 'alt', 'title']) {
      const value = element.getAttribute(name);
      if (value) found.push(value.trim());
    }
  });
  return found;
}"""


def vietnamese_left(page: Any, allowed: tuple[str, ...]) -> list[str]:
    """The page's visible texts still in Vietnamese, once each; the ``allowed`` data (what the
    citizen typed or VNeID gave) taken out of each text first."""
    left: list[str] = []
    for text in page.evaluate(VISIBLE_TEXTS):
        for data in allowed:
            text = text.replace(data, "")
        if VIETNAMESE.search(text) and text not in left:
            left.append(text)
    return left


class Journey:
    """The pages seen, and what each still said in Vietnamese."""

    def __init__(self, page: Any, portal: str, lang: str) -> None:
        self.page = page
        self.portal = portal
        self.lang = lang
        self.allowed: tuple[str, ...] = (NGOC.full_name, ADDRESS, "Lê Thánh Tôn", "Kinh", "Việt Nam", "Trần Minh Khang")
        self.found: dict[str, list[str]] = {}

    def url(self, path: str) -> str:
        return f"{self.portal}/{self.lang}{path}"

    def scan(self, name: str) -> None:
        assert f"/{self.lang}/" in self.page.url, f"{name}: left the {self.lang} pages for {self.page.url}"
        left = vietnamese_left(self.page, self.allowed)
        if left:
            self.found[name] = left
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(SHOTS) / f"{self.lang}-{name}.png"), full_page=True)


LANGUAGES = {
    "en": {
        "query": "birth registration",
        "name": "Birth registration",
        "document": "Birth certificate",
        "days": "3 working days",
        "field": "Civil status",
        "agency": "Commune People's Committee",
        "unit": "One-stop unit of the test ward",
        "search": "Search",
        "submit_online": "Apply online",
        "sign_in": "Sign in with VNeID",
        "father_known": "The father is known",
        "male": "Male",
        "review": "Review before submitting",
        "submit": "Submit application",
        "submitted": "Your application has been submitted",
        "pay": "Pay",
        "paid": "Payment successful.",
    },
    "ko": {
        "query": "출생신고",
        "name": "출생신고",
        "document": "출생증명서",
        "days": "근무일 기준 3일",
        "field": "호적",
        "agency": "사(社)급 인민위원회",
        "unit": "시험 방(坊) 원스톱 창구",
        "search": "검색",
        "submit_online": "온라인 신청",
        "sign_in": "VNeID로 로그인",
        "father_known": "아버지가 확인됨",
        "male": "남",
        "review": "제출 전 검토",
        "submit": "신청서 제출",
        "submitted": "신청이 제출되었습니다",
        "pay": "납부",
        "paid": "결제가 완료되었습니다.",
    },
}


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_mother_registers_a_birth_and_pays_in_her_language(page: Any, portal: str, lang: str) -> None:
    words = LANGUAGES[lang]
    w = world(documents=["Giấy chứng sinh"], translations={lang: words["name"]})
    # The catalog's data in her language, as the shipped translations give it.
    ProcedureTranslation.objects.filter(version=w.version, language=lang).update(
        documents=[{"case": "", "name": words["document"]}], processing_time_text=words["days"]
    )
    Field.objects.filter(pk=w.version.field_id).update(name_translations={lang: words["field"]})
    Category.objects.filter(fields__pk=w.version.field_id).update(name_translations={lang: words["field"]})
    for implementing in w.version.agencies.all():
        implementing.name_translations = {lang: words["agency"]}
        implementing.save(update_fields=["name_translations"])
    w.unit.translations = {lang: {"name": words["unit"]}}
    w.unit.save(update_fields=["translations"])
    FeeItem.objects.create(version=w.version, amount_vnd=8_000, description="Lệ phí cấp bản sao", unit="bản")
    form, _done = declaration_form_load(BIRTH | {"procedure_code": w.version.procedure.code})
    assert form is not None
    catalog_revision_bump()
    journey = Journey(page, portal, lang)

    # Search in her language, open the procedure.
    page.goto(journey.url("/"))
    journey.scan("home")
    page.locator("#main input[name=q]").first.fill(words["query"])
    page.locator("#main input[name=q]").first.press("Enter")
    page.wait_for_url(re.compile(rf"/{lang}/thu-tuc/\?q="))
    journey.scan("search")
    page.get_by_role("link", name=words["name"]).first.click()
    page.wait_for_url(re.compile(rf"/{lang}/thu-tuc/{re.escape(w.version.procedure.code)}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(words["name"])
    journey.scan("procedure")

    # Sign in with the VNeID stand-in (another system's page), back in her language.
    page.get_by_role("button", name=words["submit_online"]).click()
    journey.scan("sign-in")
    page.get_by_role("link", name=words["sign_in"]).click()
    page.get_by_role("radio", name=re.compile(NGOC.full_name)).check()
    page.get_by_role("button", name="Đồng ý và đăng nhập").click()
    page.wait_for_url(re.compile(rf"/{lang}/nop-ho-so/"))

    # The birth registration form, in her language; the values stored stay the official ones.
    expect(page.locator("#d-mother-full_name")).to_have_value(NGOC.full_name)
    page.get_by_label(words["father_known"]).check()
    page.locator("#d-child-full_name").fill("Trần Minh Khang")
    page.locator("#d-child-birth_date").fill("07/11/2025")
    page.get_by_label(words["male"], exact=True).check()
    page.locator("#d-child-ethnicity").fill("Kinh")
    for field in ("d-child-birth_place", "d-child-hometown", "d-declarant-residence", "d-mother-residence"):
        page.locator(f"#{field}").fill(ADDRESS)
    page.locator("#d-mother-ethnicity").fill("Kinh")
    page.locator("#d-father-full_name").fill("Trần Văn Hùng")
    page.locator("#d-father-birth_year").fill("1990")
    page.locator("#d-father-ethnicity").fill("Kinh")
    page.locator("#d-father-residence").fill(ADDRESS)
    page.locator("#d-father-personal_id").fill("05609")  # too short: told in her language
    page.locator("#id_address").fill(ADDRESS)
    page.locator("input[name=result_delivery][value=online]").check()
    (slot,) = list(w.version.documents.all())
    page.locator(f"#id_document_{slot.pk}").set_input_files(
        files=[{"name": "birth.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    journey.allowed += ("Trần Văn Hùng",)
    journey.scan("form")
    page.get_by_role("button", name=words["review"]).click()
    expect(page.locator("#error-summary")).to_be_visible()
    journey.scan("form-errors")
    page.locator("#d-father-personal_id").fill("056090001234")
    page.get_by_role("button", name=words["review"]).click()
    expect(page.locator("#error-summary")).to_have_count(0)
    journey.scan("review")
    page.get_by_role("button", name=words["submit"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["submitted"])
    journey.scan("submitted")
    dossier = Dossier.objects.get()
    assert dossier.state == State.SUBMITTED
    assert dossier.form_data["father_status"] == "Đã xác định được cha"  # the official value

    # The dossier's page; then the officers ask for the fee and she pays it.
    page.goto(journey.url("/ho-so-cua-toi/"))
    journey.scan("my-dossiers")
    page.goto(journey.url(f"/ho-so-cua-toi/{dossier.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(words["name"])
    journey.scan("dossier")
    dossier = services.dossier_receive(actor=w.counter, dossier=dossier)
    dossier = services.dossier_assign(actor=w.counter, dossier=dossier, to=w.processor)
    dossier = services.dossier_request_payment(actor=w.processor, dossier=dossier)
    page.goto(journey.url(f"/ho-so/{dossier.pk}/thanh-toan/"))
    journey.scan("payment")
    page.locator("input[name=gateway][value=vnpay]").check()
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/thanh-toan-thu/vnpay/\?"))
    page.get_by_role("button", name="Thanh toán", exact=True).click()  # the stand-in's own page
    page.wait_for_url(re.compile(rf"/{lang}/thanh-toan/vnpay/ket-qua/\?"))
    expect(page.locator("#pay-result")).to_have_text(words["paid"])
    journey.scan("paid")
    assert Payment.objects.get(dossier=dossier).state == "paid"

    assert journey.found == {}, "Vietnamese left on the way:\n" + "\n".join(
        f"{name}: {texts}" for name, texts in journey.found.items()
    )

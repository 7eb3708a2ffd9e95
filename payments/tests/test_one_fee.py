"""One fee everywhere: the amount a citizen is shown (dossier page, e-mail, payment page, API) is
the amount the payment charges, assessed by one function (``payments.rules.assess``) from the fee
lines the officer picked, the dossier's channel and day, and the policies in force; the reduction
is explained by one sentence (``common.formats.fee_sentence``); an amount set by hand needs a
reason and is audited."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditAction, AuditEvent
from catalog.models import FeeItem
from common.formats import fee_sentence, format_vnd_per_unit, unit_text
from dossiers import services as dossier_services
from dossiers.errors import DossierInvalid
from dossiers.models import DossierEvent
from dossiers.rules import Action, Channel, State
from dossiers.tests.factories import at, submitted, walk_to
from notifications.messages import compose
from notifications.models import Notification
from org.tests.factories import admin_login
from payments import rules
from payments.models import FeePolicy, Payment, PolicyKind
from payments.rules import REDUCTION, FeeLine, Policy
from payments.services import payment_start

from .factories import RESOLUTION

DAY = datetime.date(2025, 11, 3)
ONLINE_HALF = Policy(1, REDUCTION, "Giảm 50% khi nộp trực tuyến", RESOLUTION, datetime.date(2025, 1, 1),
                     percent=Decimal(50), channel="online")  # fmt: skip


# --- The pure function and its sentence ---------------------------------------------------------


def test_a_line_charged_per_unit_counts_its_quantity_before_the_reduction():
    lines = [FeeLine(1, "Lệ phí cấp bản sao trích lục", 8_000, "bản sao", quantity=3), FeeLine(2, "Lệ phí", 5_001)]
    a = rules.assess(lines, [ONLINE_HALF], procedure="1.001193", channel="online", day=DAY)
    assert [(x.unit_vnd, x.quantity, x.base_vnd, x.reduction_vnd, x.total_vnd) for x in a.lines] == [
        (8_000, 3, 24_000, 12_000, 12_000),
        (5_001, 1, 5_001, 2_501, 2_500),  # half of 5.001 is 2.500,5: rounded half up, off the fee
    ]
    assert (a.base_vnd, a.reduction_vnd, a.total_vnd) == (29_001, 14_501, 14_500)


def test_an_officers_amount_replaces_the_total_only_with_a_reason():
    lines = [FeeLine(1, "Lệ phí", 50_000)]
    a = rules.assess(lines, [ONLINE_HALF], procedure="x", channel="online", day=DAY,
                     override_vnd=40_000, override_reason="Hai di chúc, một bản gốc")  # fmt: skip
    assert (a.computed_vnd, a.total_vnd, a.override_reason) == (25_000, 40_000, "Hai di chúc, một bản gốc")
    with pytest.raises(ValueError):
        rules.assess(lines, [], procedure="x", channel="online", day=DAY, override_vnd=40_000, override_reason=" ")
    with pytest.raises(ValueError):
        rules.assess(lines, [], procedure="x", channel="online", day=DAY, override_vnd=-1, override_reason="x")


def test_an_assessment_kept_as_a_dict_is_the_same_assessment():
    lines = [FeeLine(7, "Lệ phí", 8_000, "bản", quantity=2)]
    for override in (None, 1_000):
        a = rules.assess(lines, [ONLINE_HALF], procedure="x", channel="online", day=DAY,
                         override_vnd=override, override_reason="Theo biên bản" if override else "")  # fmt: skip
        again = rules.Assessment.from_dict(a.as_dict())
        assert again.as_dict() == a.as_dict() and again.total_vnd == a.total_vnd


def test_the_sentence_says_the_fee_its_reduction_with_the_legal_basis_and_what_is_left():
    a = rules.assess([FeeLine(1, "Lệ phí", 50_000)], [ONLINE_HALF], procedure="x", channel="online", day=DAY)
    assert fee_sentence(a.as_dict()) == (
        f"Phí, lệ phí 50.000 đồng, giảm 50% khi nộp trực tuyến theo {RESOLUTION}: còn 25.000 đồng."
    )
    counter = rules.assess([FeeLine(1, "Lệ phí", 50_000)], [ONLINE_HALF], procedure="x", channel="counter", day=DAY)
    assert fee_sentence(counter.as_dict()) == "Phí, lệ phí phải nộp: 50.000 đồng."
    assert fee_sentence(rules.assess([], [], procedure="x", channel="online", day=DAY).as_dict()) == (
        "Không phải nộp phí, lệ phí."
    )
    third = Policy(3, REDUCTION, "Giảm", "Quyết định 5/2025", datetime.date(2025, 1, 1), percent=Decimal("12.5"))
    a = rules.assess([FeeLine(1, "Lệ phí", 80_000)], [third], procedure="x", channel="counter", day=DAY)
    assert fee_sentence(a.as_dict()) == "Phí, lệ phí 80.000 đồng, giảm 12,5% theo Quyết định 5/2025: còn 70.000 đồng."
    a = rules.assess([FeeLine(1, "Lệ phí", 50_000)], [ONLINE_HALF], procedure="x", channel="online", day=DAY,
                     override_vnd=30_000, override_reason="Thêm một bản sao")  # fmt: skip
    assert fee_sentence(a.as_dict()) == (
        "Phí, lệ phí theo biểu phí 25.000 đồng; cán bộ xác định số tiền phải nộp là 30.000 đồng "
        "(lý do: Thêm một bản sao)."
    )


@pytest.mark.parametrize(
    ("unit", "shown"),
    [
        ("di chúc", "50.000 đồng/di chúc"),
        ("/bản sao", "50.000 đồng/bản sao"),
        ("đồng/hồ sơ", "50.000 đồng/hồ sơ"),
        ("1 bản", "50.000 đồng/bản"),
        ("", "50.000 đồng"),
    ],
)
def test_an_amount_per_unit_reads_naturally(unit, shown):
    assert format_vnd_per_unit(50_000, unit) == shown
    assert unit_text(f" {unit} ") == shown.removeprefix("50.000 đồng").removeprefix("/")


def test_the_catalog_page_shows_a_fee_per_unit_with_a_slash(w):
    FeeItem.objects.create(version=w.version, amount_vnd=50_000, unit="di chúc", description="Lệ phí chứng thực")
    page = Client().get(reverse("catalog:detail", args=[w.version.procedure.code])).content.decode()
    assert "50.000 đồng/di chúc" in page and "50.000 đồng di chúc" not in page


# --- The officer picks the lines; the citizen is shown and charged that amount --------------------


def officer_client(user: Any) -> Client:
    client = Client()
    admin_login(client, user)
    return client


def ask(client: Client, dossier: Any, **fields: Any) -> Any:
    data = {f"request_payment-{key}": value for key, value in fields.items()}
    data["request_payment-version"] = dossier.version
    return client.post(reverse("dossiers:officer_act", args=[dossier.pk, "request_payment"]), data)


def shown_due(page: str) -> int:
    found = re.search(r'id="fee-due">([\d.]+) đồng<', page)
    assert found, "the dossier page shows no amount due"
    return int(found.group(1).replace(".", ""))


def test_the_officer_picks_fee_lines_and_the_citizen_sees_and_pays_that_amount(w):
    copies = FeeItem.objects.create(
        version=w.version, amount_vnd=8_000, unit="bản sao", description="Bản sao trích lục"
    )
    first = FeeItem.objects.get(version=w.version, description="Lệ phí 1")  # 50.000 đồng, any channel
    dossier = walk_to(w, State.IN_PROGRESS)
    processor = officer_client(w.processor)
    page = processor.get(reverse("dossiers:officer_dossier", args=[dossier.pk])).content.decode()
    assert "Bản sao trích lục — 8.000 đồng/bản sao" in page and "Số lượng (bản sao)" in page

    answer = ask(processor, dossier, **{f"fee_{first.pk}": "on", f"fee_{copies.pk}": "on", f"qty_{copies.pk}": "3"})
    assert answer.status_code == 302
    event = DossierEvent.objects.get(dossier=dossier, action=Action.REQUEST_PAYMENT)
    # Online: (50.000 + 3 × 8.000) halved.
    assert event.details["amount_vnd"] == 37_000 and event.details["fee"]["base_vnd"] == 74_000

    citizen = Client()
    citizen.force_login(w.citizen)
    detail = citizen.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    sentence = f"Phí, lệ phí 74.000 đồng, giảm 50% khi nộp trực tuyến theo {RESOLUTION}: còn 37.000 đồng."
    assert shown_due(detail) == 37_000 and sentence in detail
    pay_page = citizen.get(reverse("payments:pay", args=[dossier.pk])).content.decode()
    assert 'id="fee-total">37.000 đồng' in pay_page and sentence in pay_page and "3 × 8.000 đồng/bản sao" in pay_page
    notification = Notification.objects.filter(template_key="dossier.request_payment", channel="email").first()
    assert notification is not None
    assert sentence in compose(notification.template_key, notification.payload, "vi").paragraphs
    payment = payment_start(actor=w.citizen, dossier=dossier, method="vnpay")
    assert payment.amount_vnd == 37_000 and payment.assessment["lines"][1]["quantity"] == 3


def test_an_amount_typed_by_the_officer_needs_a_reason_and_is_recorded_and_audited(w):
    dossier = walk_to(w, State.IN_PROGRESS)
    processor = officer_client(w.processor)
    refused = ask(processor, dossier, override_vnd="30000")
    assert refused.status_code == 422 and "Ghi lý do khi nhập số tiền khác với biểu phí." in refused.content.decode()
    assert not DossierEvent.objects.filter(dossier=dossier, action=Action.REQUEST_PAYMENT).exists()
    with pytest.raises(DossierInvalid):
        dossier_services.dossier_request_payment(actor=w.processor, dossier=dossier, override_vnd=30_000)

    first = FeeItem.objects.get(version=w.version)
    ticked = {f"fee_{first.pk}": "on"}  # as the page shows it
    assert ask(processor, dossier, **ticked, override_vnd="30000", override_reason="Hai bản di chúc").status_code == 302
    event = DossierEvent.objects.get(dossier=dossier, action=Action.REQUEST_PAYMENT)
    assert (event.actor, event.details["amount_vnd"]) == (w.processor, 30_000)
    assert event.details["fee"]["override_reason"] == "Hai bản di chúc"
    assert event.details["fee"]["computed_vnd"] == 25_000
    audited = AuditEvent.objects.get(action=AuditAction.FEE_OVERRIDDEN)
    assert audited.actor == w.processor and audited.details["reason"] == "Hai bản di chúc"
    assert audited.target_id == str(dossier.pk)
    assert payment_start(actor=w.citizen, dossier=dossier, method="vnpay").amount_vnd == 30_000


def test_a_pick_of_another_procedures_fee_line_is_refused(w):
    from dossiers.tests.factories import world

    other = world()
    foreign = FeeItem.objects.create(version=other.version, amount_vnd=1, description="Lệ phí khác")
    dossier = walk_to(w, State.IN_PROGRESS)
    with pytest.raises(DossierInvalid):
        dossier_services.dossier_request_payment(actor=w.processor, dossier=dossier, fee_items={foreign.pk: 1})
    assert ask(officer_client(w.processor), dossier, **{f"fee_{foreign.pk}": "on"}).status_code == 422
    assert Payment.objects.count() == 0


def test_the_page_after_submission_shows_the_fee_the_payment_charges(w):
    dossier = submitted(w)
    citizen = Client()
    citizen.force_login(w.citizen)
    page = citizen.get(reverse("dossiers:submitted", args=[dossier.pk])).content.decode()
    sentence = f"Phí, lệ phí 50.000 đồng, giảm 50% khi nộp trực tuyến theo {RESOLUTION}: còn 25.000 đồng."
    assert shown_due(page) == 25_000 and sentence in page
    detail = citizen.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert shown_due(detail) == 25_000 and sentence in detail and "Phí, lệ phí của hồ sơ" in detail
    assert payment_start(actor=w.citizen, dossier=dossier, method="vnpay").amount_vnd == 25_000


# --- The API says the same -----------------------------------------------------------------------


def test_the_api_gives_the_fee_the_page_shows_and_the_payment_charges(w):
    dossier = walk_to(w, State.AWAITING_PAYMENT)
    client = Client()
    client.force_login(w.citizen)
    url = reverse("api:dossier_fees", args=[dossier.pk])
    body = client.get(url).json()
    assert body["amount_due_vnd"] == 25_000 and body["base_vnd"] == 50_000 and body["reduction_vnd"] == 25_000
    assert body["reduction"]["legal_basis"] == RESOLUTION and body["payable"] and not body["paid"]
    assert body["explanation"] == fee_sentence(DossierEvent.objects.get(action="request_payment").details["fee"])
    assert body["lines"][0]["description"] == "Lệ phí 1"
    english = client.get(url, {"lang": "en"})
    assert english["Content-Language"] == "en" and "25,000 VND" in english.json()["explanation"]
    payment = payment_start(actor=w.citizen, dossier=dossier, method="vnpay")
    assert payment.amount_vnd == body["amount_due_vnd"]

    assert Client().get(url).status_code == 401
    stranger = Client()
    stranger.force_login(w.counter)
    assert stranger.get(url).status_code == 404


def test_the_officer_api_asks_for_fee_lines_by_id(w):
    from dossiers.tests.test_officer_api import act
    from dossiers.tests.test_officer_api import officer_client as api_client

    copies = FeeItem.objects.create(version=w.version, amount_vnd=8_000, unit="bản sao", description="Bản sao")
    dossier = walk_to(w, State.IN_PROGRESS)
    client = api_client(w.processor)
    typed = act(client, dossier.pk, "request_payment", override_vnd=30_000)
    assert typed.status_code == 422 and "override_reason" in typed.json()["errors"]
    answer = act(client, dossier.pk, "request_payment", fee_items={str(copies.pk): 2})
    assert answer.status_code == 200 and answer.json()["status"] == State.AWAITING_PAYMENT
    event = DossierEvent.objects.get(dossier=dossier, action=Action.REQUEST_PAYMENT)
    assert event.details["amount_vnd"] == 8_000  # 2 × 8.000, halved online
    assert [line["quantity"] for line in event.details["fee"]["lines"]] == [2]


# --- Every amount shown equals the amount charged ------------------------------------------------

AMOUNTS = st.integers(min_value=0, max_value=3_000_000)
UNITS = st.sampled_from(["", "di chúc", "/bản sao", "hồ sơ"])
FEE_CHANNELS = st.sampled_from(["", "online", "in_person"])


@st.composite
def fee_cases(draw: Any) -> dict[str, Any]:
    lines = draw(st.lists(st.tuples(AMOUNTS, UNITS, FEE_CHANNELS, st.integers(1, 5)), min_size=1, max_size=4))
    policies = draw(
        st.lists(
            st.tuples(
                st.decimals(min_value=0, max_value=100, places=2),
                st.sampled_from(["", "online", "counter"]),
                st.dates(datetime.date(2025, 3, 1), datetime.date(2026, 6, 1)),
                st.one_of(st.none(), st.integers(0, 400)),
            ),
            max_size=3,
        )
    )
    return {
        "lines": lines,
        "policies": policies,
        "channel": draw(st.sampled_from([Channel.ONLINE, Channel.COUNTER])),
        "day": draw(st.dates(datetime.date(2025, 7, 7), datetime.date(2026, 6, 30))),
        "override": draw(st.one_of(st.none(), st.integers(1, 5_000_000))),
        "pick_all": draw(st.booleans()),
    }


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=fee_cases())
def test_every_amount_shown_is_the_amount_charged(w, case):
    FeeItem.objects.filter(version=w.version).delete()
    FeePolicy.objects.all().delete()
    items = [
        FeeItem.objects.create(
            version=w.version, amount_vnd=amount, unit=unit, channel=channel, position=n, description=f"Khoản {n}"
        )
        for n, (amount, unit, channel, _quantity) in enumerate(case["lines"])
    ]
    for n, (percent, channel, start, length) in enumerate(case["policies"]):
        FeePolicy.objects.create(
            kind=PolicyKind.REDUCTION,
            title=f"Giảm {n}",
            legal_basis=f"Nghị quyết {n}/2025/NQ-HĐND",
            valid_from=start,
            valid_to=None if length is None else start + datetime.timedelta(days=length),
            percent=percent,
            channel=channel,
        )
    moment = at(case["day"].year, case["day"].month, case["day"].day)
    dossier = submitted(w, now=moment, channel=case["channel"])
    dossier = dossier_services.dossier_receive(actor=w.counter, dossier=dossier, now=moment)
    dossier = dossier_services.dossier_assign(actor=w.counter, dossier=dossier, to=w.processor, now=moment)
    fee_channel = {Channel.ONLINE: "online", Channel.COUNTER: "in_person"}[case["channel"]]
    applicable = [(item, q) for item, (*_x, q) in zip(items, case["lines"], strict=True)
                  if item.channel in ("", fee_channel)]  # fmt: skip
    picks = {item.pk: q for item, q in applicable} if case["pick_all"] else {item.pk: 1 for item, _q in applicable[:1]}
    override = case["override"]
    expected = rules.assess(
        [FeeLine(item.pk, item.description, item.amount_vnd, item.unit, picks[item.pk])
         for item, _q in applicable if item.pk in picks],
        [Policy(p.pk, p.kind, p.title, p.legal_basis, p.valid_from, p.valid_to, p.percent, p.channel)
         for p in FeePolicy.objects.all()],
        procedure=w.version.procedure.code,
        channel=case["channel"],
        day=case["day"],
        override_vnd=override,
        override_reason="Theo biên bản" if override else "",
    )  # fmt: skip
    try:
        dossier = dossier_services.dossier_request_payment(
            actor=w.processor,
            dossier=dossier,
            fee_items=picks,
            override_vnd=override,
            override_reason="Theo biên bản" if override else "",
            now=moment,
        )
    except DossierInvalid:
        assert expected.total_vnd == 0  # nothing to pay: nothing asked
        return
    asked = DossierEvent.objects.filter(dossier=dossier, action=Action.REQUEST_PAYMENT).get()
    assert asked.details["amount_vnd"] == expected.total_vnd

    citizen = Client()
    citizen.force_login(w.citizen)
    page = citizen.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    sent = Notification.objects.filter(template_key="dossier.request_payment", subject_id=str(dossier.pk))
    message = compose("dossier.request_payment", sent.filter(channel="email").get().payload, "vi")
    api = citizen.get(reverse("api:dossier_fees", args=[dossier.pk])).json()
    payment = payment_start(actor=w.citizen, dossier=dossier, method="vnpay", now=moment)

    charged = payment.amount_vnd
    assert charged == expected.total_vnd
    assert shown_due(page) == charged
    assert api["amount_due_vnd"] == charged
    sentence = fee_sentence(payment.assessment)
    assert sentence in page and sentence in message.paragraphs and api["explanation"] == sentence
    assert sentence.endswith(f"{charged:,} đồng.".replace(",", ".")) or override is not None
    assert (
        f"{charged:,} đồng".replace(",", ".") in message.paragraphs[0]
        and f"{charged:,} đồng".replace(",", ".") in message.sms
    )
    assert payment.assessment == asked.details["fee"]

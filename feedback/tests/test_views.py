"""The feedback pages: the public form (signed in or not, its checks and its abuse guards), the
receipt, tracking, published answers, and the officers' queue, item page, actions and intake."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from dossiers.rules import State as DossierState
from dossiers.tests.factories import walk_to, world
from feedback import services
from feedback.forms import shown_token
from feedback.models import FeedbackItem
from feedback.rules import State, Topic
from notifications.models import Notification
from org.models import Role
from org.tests.factories import admin_login, agency, citizen, officer

from .factories import Desk, make_desk, submit

pytestmark = pytest.mark.django_db
SEND = reverse("feedback:send")


@pytest.fixture
def desk() -> Desk:
    return make_desk()


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    caches["default"].clear()


def _shown_a_minute_ago() -> str:
    with pytest.MonkeyPatch.context() as patch:
        earlier = timezone.now() - datetime.timedelta(minutes=1)
        patch.setattr("django.core.signing.time.time", lambda: earlier.timestamp())
        return shown_token()


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "ho_ten": "Nguyễn Văn An",
        "dia_chi": "5 Trần Phú, Nha Trang",
        "dien_thoai": "0912 345 678",
        "email": "",
        "linh_vuc": Topic.DELAY,
        "tieu_de": "Hồ sơ chậm trả kết quả",
        "noi_dung": "Hồ sơ của tôi đã quá hạn hai tuần.",
        "thu_tuc": "",
        "co_quan": "",
        "ma_ho_so": "",
        "so_kiem_tra": "",
        "trang_web": "",
        "hien_thi": _shown_a_minute_ago(),
    }
    data.update(overrides)
    return data


def test_anyone_sends_feedback_and_gets_a_code_to_track_it(client: Client, desk: Desk):
    page = client.get(SEND)
    assert page.status_code == 200 and 'name="trang_web"' in page.content.decode()
    response = client.post(SEND, form_data())
    assert response.status_code == 302 and response["Location"] == reverse("feedback:sent")
    item = FeedbackItem.objects.get()
    receipt = client.get(reverse("feedback:sent")).content.decode()
    assert item.code in receipt and "Nguyễn" not in receipt
    assert "0912" not in response["Location"]


def test_the_form_refuses_a_filled_honeypot_and_a_form_sent_too_fast(client: Client, desk: Desk):
    trapped = client.post(SEND, form_data(trang_web="http://spam.example"))
    too_fast = client.post(SEND, form_data(hien_thi=shown_token()))
    forged = client.post(SEND, form_data(hien_thi="forged"))
    for response in (trapped, too_fast, forged):
        assert response.status_code == 200
        assert "quá nhanh" in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_content_over_5000_characters_is_refused_with_a_clear_message_and_kept(client: Client, desk: Desk):
    text = "Nội dung dài. " * 400
    response = client.post(SEND, form_data(noi_dung=text))
    body = response.content.decode()
    assert "tối đa 5.000 ký tự" in body and "Nội dung dài." in body
    assert not FeedbackItem.objects.exists()


def test_the_sender_chooses_to_be_answered_by_email_which_then_needs_an_address(client: Client, desk: Desk):
    page = client.get(SEND).content.decode()
    assert 'name="tra_loi_qua"' in page and 'value="email"' in page
    refused = client.post(SEND, form_data(tra_loi_qua="email")).content.decode()
    assert "Cần ghi thư điện tử để nhận trả lời qua thư điện tử." in refused
    assert not FeedbackItem.objects.exists()
    client.post(SEND, form_data(tra_loi_qua="email", email="an@example.vn"))
    item = FeedbackItem.objects.get()
    assert item.reply_by == "email"
    assert [(n.channel, n.address) for n in Notification.objects.about(item)] == [("email", "an@example.vn")]


def test_required_fields_by_the_decree(client: Client, desk: Desk):
    body = client.post(SEND, form_data(ho_ten="", dia_chi="", dien_thoai="")).content.decode()
    assert body.count('class="field-error"') >= 3


def test_signed_in_citizens_find_their_details_filled_in(client: Client, desk: Desk):
    person = citizen("an", full_name="Nguyễn Văn An", phone="0912345678", email="an@example.vn")
    client.force_login(person)
    body = client.get(SEND).content.decode()
    assert 'value="Nguyễn Văn An"' in body and 'value="0912345678"' in body
    client.post(SEND, form_data())
    assert FeedbackItem.objects.get().sender_user == person


def test_a_dossier_code_is_checked_against_its_applicant_without_telling_whether_it_exists(client: Client, desk: Desk):
    w = world()
    dossier = walk_to(w, DossierState.IN_PROGRESS)
    wrong = client.post(SEND, form_data(ma_ho_so=dossier.code, so_kiem_tra="0000")).content.decode()
    unknown = client.post(SEND, form_data(ma_ho_so="X-000000-0001", so_kiem_tra="0000")).content.decode()
    message = "không khớp với hồ sơ nào của bạn"
    assert message in wrong and message in unknown
    assert not FeedbackItem.objects.exists()
    right = client.post(SEND, form_data(ma_ho_so=dossier.code, so_kiem_tra=dossier.applicant_personal_id[-4:]))
    assert right.status_code == 302
    item = FeedbackItem.objects.get()
    assert item.dossier == dossier and item.agency == dossier.processing_agency  # routed to its agency


@override_settings(RATE_LIMIT_FEEDBACK_PHONE="2/d", RATE_LIMIT_FEEDBACK_ADDRESS="3/h")
def test_sendings_are_limited_per_phone_and_per_address(client: Client, desk: Desk):
    for subject in ("Một", "Hai"):
        assert client.post(SEND, form_data(tieu_de=subject)).status_code == 302
    assert client.post(SEND, form_data(tieu_de="Ba")).status_code == 429
    assert client.post(SEND, form_data(dien_thoai="0912000999")).status_code == 429  # the address's fourth
    assert FeedbackItem.objects.count() == 2


def test_tracking_needs_the_code_and_the_last_four_digits_of_the_phone(client: Client, desk: Desk):
    item = submit()
    url = reverse("feedback:track")
    found = client.post(url, {"ma": item.code, "so_kiem_tra": "3456"}).content.decode()
    assert item.subject in found and "Trần Thị Hoà" not in found and "0905" not in found
    for check in ("3457", ""):
        assert "Không tìm thấy phản ánh" in client.post(url, {"ma": item.code, "so_kiem_tra": check}).content.decode()
    assert (
        "Không tìm thấy phản ánh" in client.post(url, {"ma": "PA-000101-0001", "so_kiem_tra": "3456"}).content.decode()
    )


# --- Officers ------------------------------------------------------------------------------------------


def test_the_queue_shows_the_officer_s_agency_only_with_overdue_and_due_today(client: Client, desk: Desk):
    long_ago = timezone.now() - datetime.timedelta(days=40)
    mine = submit(topic=Topic.FEES, now=long_ago)  # routed to the competent agency, answer overdue
    other = submit(subject="Khác hẳn", sender=services.Sender(name="B", address="B", phone="0912000111"))
    admin_login(client, desk.handler)
    url = reverse("feedback:officer_queue")
    body = client.get(url).content.decode()
    assert mine.code in body and other.code not in body
    assert client.get(reverse("feedback:officer_item", args=[other.pk])).status_code == 404
    overdue = client.get(url, {"hang-doi": "overdue"}).content.decode()
    assert mine.code in overdue and "Quá hạn" in overdue
    assert mine.code not in client.get(url, {"hang-doi": "today"}).content.decode()
    assert client.get(reverse("feedback:officer_item", args=[mine.pk])).status_code == 200


def test_an_officer_without_feedback_role_or_a_citizen_gets_nothing(client: Client, desk: Desk):
    controller = officer("ctl", {desk.agency: [Role.PROCEDURE_CONTROLLER]})
    admin_login(client, controller)
    assert client.get(reverse("feedback:officer_queue")).status_code == 404
    client.force_login(citizen("c"))
    assert client.get(reverse("feedback:officer_queue")).status_code == 404


def test_the_agency_handles_answers_and_publishes_through_the_item_page(client: Client, desk: Desk):
    item = submit(topic=Topic.FEES)
    admin_login(client, desk.handler)

    def act(action: str, **data: Any) -> str:
        current = FeedbackItem.objects.get(pk=item.pk)
        url = reverse("feedback:officer_act", args=[item.pk, action])
        response = client.post(url, {"version": current.version, **data}, follow=True)
        return str(response.content.decode())

    act("handle")
    act("answer", tra_loi="Kính gửi bà Trần Thị Hoà (0905 123 456): hồ sơ đã có kết quả.")
    answered = FeedbackItem.objects.get(pk=item.pk)
    assert answered.state == State.ANSWERED and "0905" not in answered.public_answer
    refused = act("publish", tieu_de_cong_khai="Hỏi", hoi_cong_khai="Gọi 0905 123 456", tra_loi_cong_khai="Đã có.")
    assert "Vẫn còn thông tin cá nhân" in refused
    act(
        "publish",
        tieu_de_cong_khai=answered.public_subject,
        hoi_cong_khai=answered.public_question,
        tra_loi_cong_khai=answered.public_answer,
    )
    assert FeedbackItem.objects.get(pk=item.pk).state == State.PUBLISHED
    public = client.get(reverse("feedback:answer", args=[item.code])).content.decode()
    assert "Hoà" not in public and "0905" not in public and "hồ sơ đã có kết quả" in public
    assert item.code in client.get(reverse("feedback:answers"), {"q": "HO SO DA CO KET QUA"}).content.decode()


def test_a_stale_form_is_told_the_item_changed(client: Client, desk: Desk):
    item = submit()
    admin_login(client, desk.hotline)
    url = reverse("feedback:officer_act", args=[item.pk, "classify"])
    client.post(url, {"version": item.version, "linh_vuc": "delay"})
    body = client.post(url, {"version": item.version, "linh_vuc": "fees"}, follow=True).content.decode()
    assert "đã được người khác xử lý" in body


def test_a_hotline_officer_logs_a_call_and_looks_up_the_caller_s_dossier(client: Client, desk: Desk):
    w = world()
    dossier = walk_to(w, DossierState.IN_PROGRESS)
    assert dossier.code is not None
    admin_login(client, desk.hotline)
    lookup = reverse("feedback:officer_dossier_lookup")
    found = client.post(lookup, {"ma_ho_so": dossier.code, "so_kiem_tra": dossier.applicant_personal_id[-4:]})
    assert dossier.code in found.content.decode()
    missed = client.post(lookup, {"ma_ho_so": dossier.code, "so_kiem_tra": "0000"}).content.decode()
    assert dossier.code not in missed
    data = {k: v for k, v in form_data().items() if k not in ("trang_web", "hien_thi")}
    response = client.post(
        reverse("feedback:officer_intake"), {**data, "kenh": "hotline", "bat_dau": "2026-12-07T09:00", "thoi_luong": 4}
    )
    item = FeedbackItem.objects.get()
    assert response.status_code == 302
    assert (item.channel, item.call_seconds, item.received_by) == ("hotline", 240, desk.hotline)


def test_another_agency_s_officer_cannot_act(client: Client, desk: Desk):
    item = submit(topic=Topic.FEES)
    stranger = officer("stranger", {agency("Sở khác"): [Role.LEADER]})
    admin_login(client, stranger)
    response = client.post(reverse("feedback:officer_act", args=[item.pk, "handle"]), {"version": item.version})
    assert response.status_code == 404
    assert FeedbackItem.objects.get(pk=item.pk).state == State.FORWARDED


def test_published_answers_show_on_their_procedure_s_page_as_frequent_questions(client: Client, desk: Desk):
    from dossiers.tests.factories import procedure_for

    version = procedure_for(desk.agency)
    code = version.procedure.code
    item = submit(procedure=version.procedure)
    item = services.feedback_classify(actor=desk.hotline, item=item, topic=Topic.REGULATION)
    item = services.feedback_take(actor=desk.hotline, item=item)
    item = services.feedback_answer(actor=desk.hotline, item=item, text="Nộp bản sao có chứng thực.")
    services.feedback_publish(
        actor=desk.hotline, item=item, subject="Có cần bản chính không?", question="Hỏi về giấy tờ.", answer="Không."
    )
    faq = reverse("feedback:procedure_faq", args=[code])
    page = client.get(reverse("catalog:detail", args=[code])).content.decode()
    assert f'hx-get="{faq}"' in page
    panel = client.get(faq).content.decode()
    assert "Có cần bản chính không?" in panel and "Câu hỏi thường gặp" in panel
    assert (
        "Có cần bản chính không?"
        not in client.get(reverse("feedback:procedure_faq", args=["9.999999"])).content.decode()
    )
    listed = client.get(reverse("feedback:answers"), {"thu-tuc": code}).content.decode()
    assert "Có cần bản chính không?" in listed


def _queue_items(desk: Desk, groups: range) -> None:
    """In each group, one item in every tab: overdue, due today, answered, archived (closed)."""
    long_ago = timezone.now() - datetime.timedelta(days=40)
    for n in groups:
        made = []
        for kind in range(4):
            sender = services.Sender(name=f"Người {n}", address="Nha Trang", phone=f"0912{n:03d}{kind:03d}")
            made.append(submit(topic=Topic.FEES, subject=f"Phản ánh {n}-{kind}", sender=sender, now=long_ago))
        FeedbackItem.objects.filter(pk=made[1].pk).update(answer_by=timezone.localdate())
        for item in made[2:]:
            item = services.feedback_take(actor=desk.handler, item=item)
            services.feedback_answer(actor=desk.handler, item=item, text="Đã trả lời.")
        services.feedback_archive(actor=desk.handler, item=FeedbackItem.objects.get(pk=made[3].pk))


@pytest.mark.parametrize("tab", ["open", "overdue", "today", "answered", "closed"])
def test_the_queue_page_asks_the_same_queries_for_one_item_as_for_many(
    client: Client, desk: Desk, tab: str, django_assert_num_queries: Any
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _queue_items(desk, range(1))
    admin_login(client, desk.handler)
    url = reverse("feedback:officer_queue")
    with CaptureQueriesContext(connection) as one:
        first = client.get(url, {"hang-doi": tab}).content.decode()
    _queue_items(desk, range(1, 6))
    with django_assert_num_queries(len(one.captured_queries)):
        many = client.get(url, {"hang-doi": tab}).content.decode()
    assert many.count("PA-") > first.count("PA-") > 0


def test_the_public_answers_page_asks_the_same_queries_for_one_answer_as_for_many(
    client: Client, desk: Desk, django_assert_num_queries: Any
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def publish(n: int) -> None:
        sender = services.Sender(name=f"Người {n}", address="Nha Trang", phone=f"09120002{n:02d}")
        item = submit(topic=Topic.FEES, subject=f"Hòa giải lần {n}", sender=sender, content="Xin hỏi.")
        item = services.feedback_take(actor=desk.handler, item=item)
        item = services.feedback_answer(actor=desk.handler, item=item, text="Đã trả lời.")
        services.feedback_publish(
            actor=desk.handler, item=item, subject=item.public_subject, question="Xin hỏi.", answer="Đã trả lời."
        )

    publish(0)
    url = reverse("feedback:answers")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url, {"q": "hoà giải"}).status_code == 200
    for n in range(1, 25):
        publish(n)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url, {"q": "hoà giải"}).content.decode()
    assert "25 câu trả lời" in page

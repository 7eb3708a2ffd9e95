"""The public answers' search: however a word is typed (with or without diacritics, the old or new
tone placement, đ or d, upper or lower case), the published answers having every word of the query
are found, through the word index written at publishing and removed when the answer is taken down."""

from __future__ import annotations

import datetime

import pytest

from feedback import rules, selectors, services
from feedback.models import FeedbackItem, PublicWord
from feedback.rules import Sender, Topic

from .factories import MONDAY, Desk, make_desk, submit

pytestmark = pytest.mark.django_db
LATER = MONDAY + datetime.timedelta(hours=1)
SENDER = Sender(name="Phạm Quốc Khánh", address="5 Trần Phú, Quy Nhơn", phone="0912 000 111")


@pytest.fixture
def desk() -> Desk:
    return make_desk()


@pytest.fixture(autouse=True, params=["rarest word leads", "newest answers walked"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with both plans of the search: the same answers either way."""
    if request.param == "newest answers walked":
        monkeypatch.setattr(rules, "FEW_ANSWERS", 1)


def publish(desk: Desk, subject: str, question: str = "Hỏi về thủ tục.", answer: str = "Đã trả lời.") -> FeedbackItem:
    item = submit(subject=subject, sender=SENDER, content="Xin hỏi.")
    item = services.feedback_classify(actor=desk.hotline, item=item, topic=Topic.OTHER, now=LATER)
    item = services.feedback_forward(actor=desk.hotline, item=item, agency=desk.agency, now=LATER)
    item = services.feedback_take(actor=desk.handler, item=item, now=LATER)
    item = services.feedback_answer(actor=desk.handler, item=item, text=answer, now=LATER)
    return services.feedback_publish(
        actor=desk.handler, item=item, subject=subject, question=question, answer=answer, now=LATER
    )


def found(query: str) -> set[str]:
    return {item.public_subject for item in selectors.public_search(query=query)}


def test_the_old_and_new_tone_placement_and_no_diacritics_find_the_same_answers(desk: Desk):
    publish(desk, "Hòa giải ở cơ sở")
    publish(desk, "Thủ tục hoà giải tranh chấp đất đai")
    publish(desk, "Hoàn thuế thu nhập")
    both = {"Hòa giải ở cơ sở", "Thủ tục hoà giải tranh chấp đất đai"}
    assert found("hoà") == found("hòa") == found("HOA") == found("Hoa") == found("hoa") >= both
    assert found("hoà giải") == found("hòa giai") == found("HOA GIAI") == both


def test_d_finds_đ_and_đ_finds_d(desk: Desk):
    publish(desk, "Đăng ký khai sinh")
    publish(desk, "Cấp giấy phép lái xe")
    assert found("đăng ký") == found("dang ky") == found("ĐĂNG KÍ") == {"Đăng ký khai sinh"}
    assert found("đất") == found("dat") == set()


def test_every_word_of_the_query_must_be_found_each_as_a_word_or_the_start_of_one(desk: Desk):
    publish(desk, "Lệ phí cấp giấy chứng nhận quyền sử dụng đất")
    publish(desk, "Giấy phép xây dựng nhà ở")
    assert found("giấy") == {"Lệ phí cấp giấy chứng nhận quyền sử dụng đất", "Giấy phép xây dựng nhà ở"}
    assert found("giay chung nh") == {"Lệ phí cấp giấy chứng nhận quyền sử dụng đất"}
    assert found("giấy xây") == {"Giấy phép xây dựng nhà ở"}
    assert found("giấy khai sinh") == set()
    assert found("ay") == set()  # inside a word is not the start of one


def test_the_question_and_the_answer_are_searched_too(desk: Desk):
    publish(desk, "Hỏi về thời hạn", question="Bao lâu thì có sổ đỏ?", answer="Mười lăm ngày làm việc.")
    assert found("so do") == found("mười lăm") == {"Hỏi về thời hạn"}


def test_an_empty_query_lists_every_published_answer_newest_first(desk: Desk):
    publish(desk, "Thứ nhất")
    publish(desk, "Thứ hai")
    assert [item.public_subject for item in selectors.public_search(query="  ")] == ["Thứ hai", "Thứ nhất"]


def test_an_answer_taken_down_or_archived_leaves_the_index(desk: Desk):
    reopened = publish(desk, "Hòa giải ở cơ sở")
    archived = publish(desk, "Hoà giải đất đai")
    assert PublicWord.objects.filter(item=reopened, word="hoa").exists()
    services.feedback_reopen(actor=desk.handler, item=reopened, reason="Chưa hài lòng", now=LATER)
    services.feedback_archive(actor=desk.handler, item=archived, now=LATER)
    assert found("hoa") == set()
    assert not PublicWord.objects.exists()


def test_the_index_holds_each_folded_word_of_the_public_text_once():
    assert rules.search_words("Hoà hòa HOA đất Đất 1 một") == ["hoa", "dat", "mot"]
    assert rules.search_words("x" * 60) == ["x" * rules.WORD_LENGTH]


def test_the_page_counts_up_to_a_limit_and_says_there_are_more(desk: Desk, client, monkeypatch: pytest.MonkeyPatch):
    from django.urls import reverse

    for n in range(3):
        publish(desk, f"Hòa giải lần {n + 4}")
    monkeypatch.setattr(rules, "COUNT_AT_MOST", 2)
    page = client.get(reverse("feedback:answers"), {"q": "hoa giai"}).content.decode()
    assert "Hơn 2 câu trả lời" in page and page.count("Hòa giải lần") == 3
    monkeypatch.setattr(rules, "COUNT_AT_MOST", 3)
    assert "3 câu trả lời" in client.get(reverse("feedback:answers"), {"q": "hoa giai"}).content.decode()

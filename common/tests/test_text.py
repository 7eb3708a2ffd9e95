"""The Vietnamese text normalizer: what a person types folds to one canonical form."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from common.text import fold, normalize, words

vietnamese = st.text(
    alphabet=st.sampled_from(
        list(
            "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệ"
            "íìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ ĐÁÀ0123456789.,-/"
        )
    )
)


@given(vietnamese)
def test_folding_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(vietnamese)
def test_nfc_and_nfd_fold_alike(text):
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


@given(st.lists(vietnamese.filter(lambda w: words(w) != []), min_size=1, max_size=6))
def test_folding_keeps_word_boundaries(chunks):
    # Every word of the input gives exactly one word of the output.
    text = " ".join(chunks)
    assert len(words(text)) == sum(len(words(c)) for c in chunks)


@given(st.text())
def test_normalize_gives_nfc_without_control_characters(text):
    out = normalize(text)
    assert unicodedata.is_normalized("NFC", out)
    assert not any(unicodedata.category(ch) == "Cc" for ch in out)


def test_tone_placement_old_and_new_are_equal():
    assert fold("hoà") == fold("hòa") == "hoa"
    assert fold("thuỷ") == fold("thủy")
    assert fold("khoẻ") == fold("khỏe")


def test_i_and_y_spellings_are_equal():
    assert fold("kí") == fold("ký")
    assert fold("lí") == fold("lý")
    assert fold("quy") == "quy"  # "uy" is a vowel cluster, not the i/y spelling


def test_d_bar_is_d_and_case_is_ignored():
    assert fold("ĐĂNG KÝ") == fold("đăng ký") == "dang ki"


def test_numbers_one_to_ten_are_read_as_words():
    assert fold("cấp 1 lần") == fold("cấp một lần")
    assert fold("2024") == "2024"

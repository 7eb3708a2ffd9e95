"""Fee assessment, payment states and both gateways' signatures, as pure functions."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from payments import rules
from payments.rules import EXEMPTION, REDUCTION, FeeLine, Policy

DAY = datetime.date(2025, 11, 3)
ONLINE_HALF = Policy(
    1,
    REDUCTION,
    "Giảm 50% khi nộp trực tuyến",
    "Nghị quyết 12/2025/NQ-HĐND",
    datetime.date(2025, 1, 1),
    None,
    Decimal(50),
    "online",
)
POOR = Policy(
    2,
    EXEMPTION,
    "Miễn cho hộ nghèo",
    "Luật Phí và lệ phí",
    datetime.date(2020, 1, 1),
    group="poor_household",
    percent=Decimal(100),
    proof="Giấy chứng nhận hộ nghèo",
)


def test_online_submission_pays_half_explained_line_by_line():
    lines = [FeeLine(1, "Lệ phí cấp bản sao", 8_000, "bản"), FeeLine(2, "Phí thẩm định", 50_001)]
    a = rules.assess(lines, [ONLINE_HALF], procedure="1.001193", channel="online", day=DAY)
    assert [(line.base_vnd, line.reduction_vnd, line.total_vnd) for line in a.lines] == [
        (8_000, 4_000, 4_000),
        (50_001, 25_001, 25_000),  # half of 50.001 is 25.000,5: rounded half up, to whole đồng
    ]
    assert (a.base_vnd, a.reduction_vnd, a.total_vnd) == (58_001, 29_001, 29_000)
    assert a.reduction == ONLINE_HALF


def test_counter_submission_pays_the_full_fee():
    a = rules.assess([FeeLine(1, "Lệ phí", 50_000)], [ONLINE_HALF], procedure="1.1", channel="counter", day=DAY)
    assert a.total_vnd == 50_000 and a.reduction is None


def test_the_policy_in_force_on_the_submission_day_applies():
    ended = Policy(
        3, REDUCTION, "Giảm 30%", "NQ cũ", datetime.date(2023, 1, 1), datetime.date(2024, 12, 31), Decimal(30), "online"
    )
    line = [FeeLine(1, "Lệ phí", 10_000)]
    assert (
        rules.assess(
            line, [ended, ONLINE_HALF], procedure="1.1", channel="online", day=datetime.date(2024, 12, 31)
        ).total_vnd
        == 7_000
    )
    assert (
        rules.assess(
            line, [ended, ONLINE_HALF], procedure="1.1", channel="online", day=datetime.date(2025, 1, 1)
        ).total_vnd
        == 5_000
    )
    assert (
        rules.assess(
            line, [ended, ONLINE_HALF], procedure="1.1", channel="online", day=datetime.date(2022, 6, 1)
        ).total_vnd
        == 10_000
    )


def test_a_procedure_override_beats_the_general_policy():
    none_for_this = Policy(
        4,
        REDUCTION,
        "Không giảm",
        "QĐ riêng",
        datetime.date(2024, 1, 1),
        None,
        Decimal(0),
        "online",
        procedures=frozenset({"2.000001"}),
    )
    line = [FeeLine(1, "Lệ phí", 10_000)]
    assert (
        rules.assess(line, [ONLINE_HALF, none_for_this], procedure="2.000001", channel="online", day=DAY).total_vnd
        == 10_000
    )
    assert (
        rules.assess(line, [ONLINE_HALF, none_for_this], procedure="1.1", channel="online", day=DAY).total_vnd == 5_000
    )


def test_an_exempted_group_pays_nothing_and_gets_no_reduction_on_top():
    a = rules.assess(
        [FeeLine(1, "Lệ phí", 10_000)],
        [ONLINE_HALF, POOR],
        procedure="1.1",
        channel="online",
        day=DAY,
        group="poor_household",
    )
    assert (a.exemption_vnd, a.reduction_vnd, a.total_vnd) == (10_000, 0, 0)
    other = rules.assess(
        [FeeLine(1, "Lệ phí", 10_000)], [POOR], procedure="1.1", channel="online", day=DAY, group="meritorious"
    )
    assert other.exemption is None and other.total_vnd == 10_000


policies = st.builds(
    Policy,
    id=st.integers(1, 50),
    kind=st.sampled_from([REDUCTION, EXEMPTION]),
    title=st.just("p"),
    legal_basis=st.just("b"),
    valid_from=st.dates(datetime.date(2020, 1, 1), datetime.date(2026, 12, 31)),
    valid_to=st.none() | st.dates(datetime.date(2020, 1, 1), datetime.date(2027, 12, 31)),
    percent=st.decimals(0, 100, places=2),
    channel=st.sampled_from(["", "online", "counter"]),
    group=st.sampled_from(["", "poor_household"]),
    procedures=st.sampled_from([frozenset(), frozenset({"1.1"}), frozenset({"9.9"})]),
)
lines = st.lists(
    st.builds(FeeLine, key=st.integers(1, 9), description=st.just("x"), amount_vnd=st.integers(0, 10**10)), max_size=6
)


@given(
    lines,
    st.lists(policies, max_size=6),
    st.dates(datetime.date(2019, 1, 1), datetime.date(2027, 12, 31)),
    st.sampled_from(["online", "counter"]),
    st.sampled_from(["", "poor_household"]),
)
def test_assessment_never_negative_and_adds_up(fee_lines, all_policies, day, channel, group):
    a = rules.assess(fee_lines, all_policies, procedure="1.1", channel=channel, day=day, group=group)
    for line in a.lines:
        assert line.reduction_vnd >= 0 and line.exemption_vnd >= 0 and line.total_vnd >= 0
        assert line.base_vnd == line.exemption_vnd + line.reduction_vnd + line.total_vnd
    assert a.total_vnd == sum(line.total_vnd for line in a.lines)
    assert a.base_vnd == sum(f.amount_vnd for f in fee_lines)
    for chosen in (a.reduction, a.exemption):
        if chosen is not None:
            assert chosen.in_force(day) and chosen.covers("1.1") and chosen.channel in ("", channel)


@given(st.lists(policies, min_size=1, max_size=8), st.dates(datetime.date(2019, 1, 1), datetime.date(2027, 12, 31)))
def test_the_rule_in_force_is_the_latest_and_most_specific(all_policies, day):
    chosen = rules.policy_in_force(all_policies, kind=REDUCTION, procedure="1.1", channel="online", day=day)
    eligible = [
        p
        for p in all_policies
        if p.kind == REDUCTION and p.in_force(day) and p.covers("1.1") and p.channel in ("", "online")
    ]
    if not eligible:
        assert chosen is None
        return
    assert chosen in eligible
    best = max((bool(p.procedures), p.valid_from) for p in eligible)
    assert (bool(chosen.procedures), chosen.valid_from) == best


def test_payment_states():
    assert rules.can_move("created", "pending") and rules.can_move("pending", "paid")
    assert rules.can_move("paid", "refunded") and rules.can_move("expired", "refunded")
    assert not rules.can_move("paid", "pending") and not rules.can_move("refunded", "paid")
    assert not rules.can_move("expired", "paid")


# --- Protocol vectors (computed independently with `openssl dgst -sha512 -hmac` and `sha256sum`) ------

SECRET = "SECRETKEYFORTESTS"
VNPAY_REQUEST = {
    "vnp_Version": "2.1.0",
    "vnp_Command": "pay",
    "vnp_TmnCode": "MOTCUA01",
    "vnp_Amount": "1000000",
    "vnp_CurrCode": "VND",
    "vnp_TxnRef": "HS1T0A1B2C3D4E5F",
    "vnp_OrderInfo": "Nop phi ho so 000.00.01.H41-251103-0001",
    "vnp_OrderType": "other",
    "vnp_Locale": "vn",
    "vnp_ReturnUrl": "https://dichvucong.khanhhoa.gov.vn/thanh-toan/vnpay/ket-qua/",
    "vnp_IpAddr": "127.0.0.1",
    "vnp_CreateDate": "20251103090000",
}
VNPAY_HASH_DATA = (
    "vnp_Amount=1000000&vnp_Command=pay&vnp_CreateDate=20251103090000&vnp_CurrCode=VND&vnp_IpAddr=127.0.0.1"
    "&vnp_Locale=vn&vnp_OrderInfo=Nop+phi+ho+so+000.00.01.H41-251103-0001&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fdichvucong.khanhhoa.gov.vn%2Fthanh-toan%2Fvnpay%2Fket-qua%2F"
    "&vnp_TmnCode=MOTCUA01&vnp_TxnRef=HS1T0A1B2C3D4E5F&vnp_Version=2.1.0"
)
VNPAY_HASH = (
    "a38fa7d9a17e66a7e46d4670f057068e00d44898a1bedead12099f0e7a47ce85"
    "3857792e7268a3043951fbfbd2cc49c12d38fb5145d0b6463119f15faade6c65"
)


def test_vnpay_vector():
    assert rules.vnpay_hash_data(VNPAY_REQUEST) == VNPAY_HASH_DATA
    assert rules.vnpay_sign(VNPAY_REQUEST, SECRET) == VNPAY_HASH
    signed = {**VNPAY_REQUEST, "vnp_SecureHash": VNPAY_HASH.upper(), "vnp_SecureHashType": "HmacSHA512"}
    assert rules.vnpay_verify(signed, SECRET)
    assert not rules.vnpay_verify({**signed, "vnp_Amount": "2000000"}, SECRET)
    assert not rules.vnpay_verify(signed, "another secret")
    assert not rules.vnpay_verify(VNPAY_REQUEST, SECRET)
    assert rules.vnpay_amount(10_000) == "1000000" and rules.vnpay_amount_vnd("1000000") == 10_000
    assert rules.vnpay_amount_vnd("1000050") is None and rules.vnpay_amount_vnd("１0") is None


def test_paygov_vector():
    init = {
        "LoaiBanTin": "INIT",
        "PhienBan": "1.0.0",
        "MaDoiTac": "KHANHHOA",
        "MaThamChieu": "HS1T0A1B2C3D4E5F",
        "SoTien": 25000,
        "LoaiHinhThanhToan": "PAY",
        "MaKenhThanhToan": "1",
        "MaThietBi": "1",
        "NgonNgu": "vi",
        "MaTienTe": "VND",
        "MaNganHang": "",
        "ThongTinGiaoDich": "Nop phi",
        "ThoiGianGD": "20251103090000",
        "Ip": "127.0.0.1",
    }
    expected = "87e1cbdc8da28553b60b04736d8ad00c7ee2e2497e9e32b41e6dbc01c23b6c4a"
    assert rules.paygov_checksum(init, "INIT", SECRET) == expected
    signed = rules.paygov_sign(init, "INIT", SECRET)
    assert rules.paygov_verify(signed, "INIT", SECRET)
    assert not rules.paygov_verify({**signed, "SoTien": 25001}, "INIT", SECRET)


def test_statement_reading_and_reconciliation():
    statement = rules.read_statement(
        "reference,gateway_number,amount_vnd,status\nA,1,25000,00\nB,2,30000,00\nC,3,10000,failed\n,4,x,00\n"
    )
    assert [p.line for p in statement.problems] == [5]
    ours = {"A": (25_000, True), "B": (35_000, True), "C": (10_000, True), "D": (5_000, True), "E": (1, False)}
    found = {(m.reference, m.kind) for m in rules.reconcile(ours, statement.rows)}
    assert found == {("B", "amount"), ("C", "state"), ("D", "missing_there")}
    assert {(m.reference, m.kind) for m in rules.reconcile({}, statement.rows)} == {
        ("A", "missing_here"),
        ("B", "missing_here"),
    }
    assert rules.read_statement("a,b\n1,2\n").problems[0].line == 1


def test_a_statement_names_its_missing_columns_and_its_unreadable_lines():
    semicolons = rules.read_statement("reference;gateway_number;amount_vnd;status\nA;1;1.000;00\n")
    assert semicolons.rows == [rules.StatementRow("A", "1", 1_000, True)]
    header = rules.read_statement("reference,amount_vnd\nA,1\n").problems
    assert [(p.line, p.missing) for p in header] == [(1, ("gateway_number", "status"))]
    spaced = rules.read_statement("\ufeff reference , gateway_number,amount_vnd,status\nA,1,1.000,paid\n")
    assert spaced.problems == [] and spaced.rows == [rules.StatementRow("A", "1", 1_000, True)]
    broken = rules.read_statement('reference,gateway_number,amount_vnd,status\nA,1,²,00\n"B' + "x" * 200_000)
    assert [(p.line, p.missing) for p in broken.problems] == [(2, ()), (3, ())] and broken.rows == []

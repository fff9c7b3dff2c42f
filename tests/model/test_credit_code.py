import pytest

from xietong.model.credit_code import (
    credit_code_check_digit,
    is_valid_credit_code,
    validate_credit_code,
)

# A code whose check digit is worked through in GB 32100-2015 commentaries.
PUBLISHED = "91350100M000100Y43"


def test_published_code_is_valid() -> None:
    assert validate_credit_code(PUBLISHED) == PUBLISHED
    assert credit_code_check_digit(PUBLISHED[:17]) == "3"


def test_lower_case_and_spaces_are_normalised() -> None:
    assert validate_credit_code(f"  {PUBLISHED.lower()} ") == PUBLISHED


def test_wrong_check_digit_names_the_right_one() -> None:
    with pytest.raises(ValueError, match="校验位应为 3，而不是 4"):
        validate_credit_code(PUBLISHED[:17] + "4")


@pytest.mark.parametrize("bad, reason", [
    ("91350100M000100Y4", "须为 18 位，实际为 17 位"),
    ("91350100M000100I43", "第 16 位的字符 'I' 不允许"),
    ("91350100M00010OY43", "第 15 位的字符 'O' 不允许"),
])
def test_bad_codes_say_why(bad: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        validate_credit_code(bad)
    assert not is_valid_credit_code(bad)


def test_check_digit_can_be_a_letter_or_zero() -> None:
    # Build codes over many bodies: every check character must validate and be in the alphabet.
    seen = set()
    for n in range(2000):
        body = f"9131011{n:06d}MA1F"
        code = body + credit_code_check_digit(body)
        assert is_valid_credit_code(code)
        seen.add(code[-1])
    assert "0" in seen and any(ch.isalpha() for ch in seen)


def test_empty_is_invalid() -> None:
    assert not is_valid_credit_code("")
    assert not is_valid_credit_code(None)

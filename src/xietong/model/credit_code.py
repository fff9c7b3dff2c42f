"""统一社会信用代码 (unified social credit code) validation, GB 32100-2015.

The code is 18 characters from a 31-character alphabet (digits and upper-case
letters without I, O, Z, S, V); the last is a check character computed mod 31
over the first 17 with fixed weights.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3**i mod 31


def credit_code_check_digit(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    body = first17.strip().upper()
    if len(body) != 17:
        raise ValueError(f"need 17 characters before the check digit, got {len(body)}")
    total = 0
    for pos, ch in enumerate(body):
        if ch not in _VALUE:
            raise ValueError(f"character {ch!r} at position {pos + 1} is not allowed")
        total += _VALUE[ch] * _WEIGHTS[pos]
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(code: str) -> str:
    """The code normalised to upper case without surrounding spaces; ValueError says why not."""
    norm = code.strip().upper()
    if len(norm) != 18:
        raise ValueError(f"统一社会信用代码须为 18 位，实际为 {len(norm)} 位")
    for pos, ch in enumerate(norm):
        if ch not in _VALUE:
            raise ValueError(
                f"第 {pos + 1} 位的字符 {ch!r} 不允许（只能是数字和大写字母 "
                "A-H、J-N、P-R、T-U、W-Y，不含 I、O、S、V、Z）"
            )
    expected = credit_code_check_digit(norm[:17])
    if norm[17] != expected:
        raise ValueError(f"校验位应为 {expected}，而不是 {norm[17]}")
    return norm


def is_valid_credit_code(code: str | None) -> bool:
    if not code:
        return False
    try:
        validate_credit_code(code)
    except ValueError:
        return False
    return True

"""LAC on ONNX Runtime: the session's threads do not spin while idle."""

from __future__ import annotations

from xietong.extract import lac


def test_the_session_does_not_spin_and_still_tags() -> None:
    session = lac._lac()._session
    config = session.get_session_options()
    assert config.get_session_config_entry("session.intra_op.allow_spinning") == "0"
    words = lac.analyse("上海智元新创技术有限公司在张江发布人形机器人")
    assert "".join("上海智元新创技术有限公司在张江发布人形机器人"[a:b] for a, b, _ in words) \
        == "上海智元新创技术有限公司在张江发布人形机器人"
    assert any(tag == "ORG" for _, _, tag in words)

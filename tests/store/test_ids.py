"""Deterministic ids: the spelled-out forms imports use are the generic one."""

from __future__ import annotations

from xietong.store.ids import attribute_fact_id, entity_id, relation_fact_id, stable_id


def test_spelled_out_ids_are_the_generic_hash_of_their_parts() -> None:
    assert entity_id("enterprise", "智元机器人") == stable_id("E", "enterprise", "智元机器人", None)
    assert entity_id("person", "张伟", "上海交通大学") == stable_id("E", "person", "张伟", "上海交通大学")
    assert relation_fact_id(1, "cooperates", 2) == stable_id("R", 1, "cooperates", 2)
    assert attribute_fact_id(1, "enterprise_count", "70", "家", None) == \
        stable_id("A", 1, "enterprise_count", "70", "家", None)
    assert 0 <= entity_id("park", "模速空间") < 2 ** 63  # fits a signed BIGINT
    assert entity_id("park", "模速空间") != entity_id("enterprise", "模速空间")

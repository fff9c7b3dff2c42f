"""The ICKG data set (entity2id/relation2id/time2id + quadruple splits) as records.

ICKG gives no entity types. We infer them from where an entity stands in relations
(the tail of 持有专利 is a patent, the head of 投资 an organisation, …) and from its name
(…行业 is an industry, …大学 an institute, …资本 an investor); the name wins when it
speaks, since relation positions are noisy in extracted data.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from xietong.ingest.datasets import read_lines, require_files, sha256_of, size_of, split_fields
from xietong.ingest.errors import InputError
from xietong.model.imports import SourceSpec
from xietong.model.records import EntityRecord, EntityRef, Provenance, Record, RelationRecord
from xietong.model.registry import REGISTRY

# (relation label, position) -> the entity type it suggests
POSITION_VOTES: dict[tuple[str, str], str] = {
    ("涉足行业", "h"): "enterprise", ("涉足行业", "t"): "industry",
    ("归属于行业", "t"): "industry",
    ("包含", "h"): "industry", ("包含", "t"): "industry",
    ("上游于", "h"): "industry", ("上游于", "t"): "industry",
    ("持有专利", "h"): "enterprise", ("持有专利", "t"): "patent",
    ("基于专利生产", "h"): "enterprise", ("基于专利生产", "t"): "product",
    ("供给", "h"): "enterprise",
    ("合作", "h"): "enterprise", ("合作", "t"): "enterprise",
    ("并购", "h"): "enterprise", ("并购", "t"): "enterprise",
    ("投资", "h"): "investor", ("投资", "t"): "enterprise",
    ("母公司/控股", "h"): "enterprise", ("母公司/控股", "t"): "enterprise",
    ("竞争", "h"): "enterprise", ("竞争", "t"): "enterprise",
    ("合资", "h"): "enterprise", ("合资", "t"): "enterprise",
}

_NAME_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(大学|学院|研究院|研究所|实验室|科学院|研究中心|创新中心)$"), "institute"),
    (re.compile(r"(资本|创投|基金|投资管理|私募|Capital|Ventures|VC)$|母基金|产业基金",
                re.IGNORECASE), "investor"),
    (re.compile(r"(人民政府|委员会|管委会|监督管理局|管理局|^国家.+局|厅|国资委)$"), "government"),
    (re.compile(r"(公司|集团|有限|控股|股份|银行|分行|支行|Inc\.?|Ltd\.?|Corp\.?|GmbH)$",
                re.IGNORECASE), "enterprise"),
    (re.compile(r"(行业|产业|业)$|^.+-.+-.+$"), "industry"),
    (re.compile(r"^(一种|基于)|(方法|装置|系统及|及其制备方法|的制备方法)$"), "patent"),
)


@dataclass(frozen=True, slots=True)
class IckgFiles:
    directory: Path
    splits: tuple[str, ...]

    @property
    def paths(self) -> list[Path]:
        names = ["entity2id.txt", "relation2id.txt", "time2id.txt", *self.splits]
        return require_files(self.directory, names)


def ickg_source(directory: Path, splits: Sequence[str] = ("train.txt", "valid.txt")) -> SourceSpec:
    files = IckgFiles(directory.resolve(), tuple(splits))
    paths = files.paths
    return SourceSpec(
        kind="dataset",
        name=f"{directory.name} ({'+'.join(Path(s).stem for s in splits)})",
        uri=f"ickg:{files.directory}:{'+'.join(splits)}",
        sha256=sha256_of(paths),
        meta={"format": "ickg", "splits": list(splits)},
        size=size_of(paths),
    )


def _id_table(path: Path, sep: str, key_first: bool) -> dict[int, str]:
    table: dict[int, str] = {}
    for number, line in read_lines(path):
        if "\t" not in line and "," not in line and line.split()[0].isdigit():
            continue  # a count header line, as in some ICKG dumps
        left, right = split_fields(path, number, line, 2, sep)
        name, ident = (left, right) if key_first else (right, left)
        try:
            table[int(ident)] = name
        except ValueError:
            raise InputError(f"{path.name}:{number}: 编号 {ident!r} 不是数字") from None
    return table


def infer_type(name: str, votes: Counter[str]) -> str:
    for pattern, entity_type in _NAME_RULES:
        if pattern.search(name):
            return entity_type
    if not votes:
        return "product"
    return votes.most_common(1)[0][0]


def _vote(votes: dict[int, Counter[str]], ident: int, suggested: str | None) -> None:
    counter = votes.get(ident)
    if counter is None:
        counter = votes[ident] = Counter()
    if suggested:
        counter[suggested] += 1


def ickg_records(
    directory: Path, splits: Sequence[str] = ("train.txt", "valid.txt")
) -> Iterator[Record]:
    files = IckgFiles(directory, tuple(splits))
    entity_path, relation_path, time_path, *split_paths = files.paths
    entity_names = _id_table(entity_path, "\t", key_first=True)
    relation_labels = _id_table(relation_path, "\t", key_first=True)
    dates = _id_table(time_path, ",", key_first=False)
    for label in relation_labels.values():  # fail early on a relation we do not know
        try:
            REGISTRY.relation(label)
        except KeyError as exc:
            raise InputError(f"{relation_path.name}: {exc.args[0]}") from None

    quads: list[tuple[str, int, int, int, int, int]] = []
    votes: dict[int, Counter[str]] = {}
    # This pass runs before the first record, so before the resolver can start: it is
    # written for speed (one lookup per relation id, no Counter built per line).
    head_votes = {rel: POSITION_VOTES.get((label, "h")) for rel, label in relation_labels.items()}
    tail_votes = {rel: POSITION_VOTES.get((label, "t")) for rel, label in relation_labels.items()}
    for path in split_paths:
        file_name = path.name
        for number, line in read_lines(path):
            fields = split_fields(path, number, line, 4)
            try:
                head, rel, tail, time = map(int, fields)
            except ValueError:
                raise InputError(f"{file_name}:{number}: 编号须为数字") from None
            for ident, table, what in ((head, entity_names, "实体"), (tail, entity_names,
                                       "实体"), (rel, relation_labels, "关系"),
                                       (time, dates, "时间")):
                if ident not in table:
                    raise InputError(f"{file_name}:{number}: 未知的{what}编号 {ident}")
            quads.append((file_name, number, head, rel, tail, time))
            _vote(votes, head, head_votes[rel])
            _vote(votes, tail, tail_votes[rel])

    # each type inferred as its record goes (0.2 s for ICKG25's 61K names), not all before
    # the first: the resolver's worker starts at the first organisation
    types: dict[int, str] = {}
    for ident in sorted(votes):
        types[ident] = entity_type = infer_type(entity_names[ident], votes[ident])
        yield EntityRecord(
            type=entity_type, name=entity_names[ident],
            provenance=Provenance(f"entity2id.txt id {ident}"),
        )
    for split_name, number, head, rel, tail, time in quads:
        yield RelationRecord(
            subject=EntityRef(entity_names[head], types[head]),
            predicate=relation_labels[rel],
            object=EntityRef(entity_names[tail], types[tail]),
            provenance=Provenance(f"{split_name} line {number}"),
            valid_from=dates[time],
        )

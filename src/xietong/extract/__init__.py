"""Extraction from Chinese news and reports into the graph, offline.

    >>> from xietong.extract import extract_file, import_document
    >>> doc = extract_file(Path("report.txt"), known_names(eco))
    >>> doc.of_kind("person")[0].label          # '夏立雪（首席执行官 @ 上海无问芯穹…）'
    >>> import_document(eco, doc, dry_run=True)  # what would be added

Every item carries its character span in the ORIGINAL file, its sentence and a confidence;
records reach the graph through entity resolution like any other import.
"""

from __future__ import annotations

from xietong.api import Ecosystem
from xietong.extract.decisions import Decisions
from xietong.extract.entities import KnownNames
from xietong.extract.graph import known_names, shared_person_names
from xietong.extract.pipeline import Document, Item, extract_file, extract_text
from xietong.extract.records import document_records, item_records
from xietong.i18n import _
from xietong.ingest.errors import InputError
from xietong.model.imports import ImportSummary, SourceSpec
from xietong.resolve.names import normalize


def source_spec(doc: Document) -> SourceSpec:
    """One source per file content: the same file twice is the same source."""
    return SourceSpec(kind="text", name=doc.path.name, uri=str(doc.path.resolve()),
                      sha256=doc.sha256)


def unplaced_people(eco: Ecosystem, doc: Document) -> list[Item]:
    """People the document names without an organisation, whose name several people in the
    graph share: nothing says which of them it is, so they are left out (and reported)
    rather than given to one of them or refused with the whole document."""
    shared = shared_person_names(eco)
    if not shared:
        return []
    return [i for i in doc.of_kind("person") if not i.data.get("organisation")
            and normalize(str(i.data["name"])) in shared]


def import_document(eco: Ecosystem, doc: Document, *, only: set[str] | None = None,
                    rejected: set[str] = frozenset(),  # type: ignore[assignment]
                    dry_run: bool = False, unplaced: list[Item] | None = None
                    ) -> ImportSummary:
    """Import a document's records, leaving out ``rejected`` items (and, with ``only``,
    everything not in it) and ``unplaced_people`` (``unplaced``, when the caller has them
    already), in one transaction. An empty document is refused: its source would cite
    nothing."""
    if not doc.text.original.strip():
        raise InputError(_("{name}: 文件为空，没有可抽取的文字；未导入任何内容").format(
            name=doc.path.name))
    if unplaced is None:
        unplaced = unplaced_people(eco, doc)
    skip = set(rejected) | {i.id for i in unplaced}
    if only is not None:
        skip |= {i.id for i in doc.items if i.id not in only}
    return eco.import_records(source_spec(doc), document_records(doc, skip), dry_run=dry_run)


__all__ = ["Decisions", "Document", "Item", "KnownNames", "extract_file", "extract_text",
           "import_document", "item_records", "known_names", "source_spec", "unplaced_people"]

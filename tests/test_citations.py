"""Evidence is cited inside the repository: every citation points at an existing ``docs/intacct/``
file and numbered section, and nothing cites the documents the evidence was first gathered in
(which are not part of the repository). How to cite: docs/intacct/README.md."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EVIDENCE = ROOT / "docs" / "intacct"
SCANNED = ("src", "tests", "docs", "bench", "README.md")
SKIPPED_DIRS = {".git", ".venv", "__pycache__", "node_modules", "var"}
THIS = Path(__file__).resolve()

# Citations of documents outside the repository (this file is exempt: it has to name them).
_OUTSIDE = [
    r"\bdossiers?\b",
    r"\bDESIGN\.md\b",
    r"\bSTYLE\.md\b",
    r"\bpeers\.md\b",
    r"intacct-xml-protocol\.md",
    r"intacct-objects\.md",
    r"(?<![\w./-])(?:\.\./)*shared/[\w.-]+\.md",
    r"/work/shared\b",
]
OUTSIDE = re.compile("|".join(_OUTSIDE), re.IGNORECASE)

# "docs/intacct/objects.md §12", "docs/intacct/protocol.md §5.1-§5.3", "… §4.2` and §4.3", "§9,\n§11-§13"
CITATION = re.compile(
    r"docs/intacct/(?P<file>[\w.-]+\.md)(?P<sections>(?:[`)]?(?:\s|,|/|\u2013|-|\band\b|\bor\b|\bto\b)*§\s?\d+(?:\.\d+)*)*)"
)
SECTION = re.compile(r"§\s?(\d+(?:\.\d+)*)")
HEADING = re.compile(r"^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s", re.MULTILINE)
VECTOR = re.compile(r"\bTV(\d\d)\b")


def scanned_files() -> list[Path]:
    out: list[Path] = []
    for name in SCANNED:
        path = ROOT / name
        if path.is_file():
            out.append(path)
            continue
        for f in sorted(path.rglob("*")):
            parts = set(f.relative_to(ROOT).parts)
            if f.is_file() and not parts & SKIPPED_DIRS and not any(p.endswith(".egg-info") for p in parts):
                out.append(f)
    return out


def read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None  # binary (screenshots)


@cache
def sections_of(name: str) -> frozenset[str] | None:
    """The numbered sections of docs/intacct/<name>, or None when there is no such file."""
    path = EVIDENCE / name
    if not path.is_file():
        return None
    return frozenset(HEADING.findall(path.read_text(encoding="utf-8")))


@cache
def vectors() -> frozenset[str]:
    return frozenset(re.findall(r"\*\*TV(\d\d)\b", (EVIDENCE / "protocol.md").read_text(encoding="utf-8")))


def outside_citations(text: str) -> list[str]:
    return [m.group(0) for m in OUTSIDE.finditer(text)]


def outside_citations_at(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0)) for m in OUTSIDE.finditer(text)]


def broken_citations(text: str) -> list[str]:
    """Citations of a docs/intacct file or section that does not exist."""
    broken = []
    for m in CITATION.finditer(text):
        sections = sections_of(m.group("file"))
        if sections is None:
            broken.append(f"docs/intacct/{m.group('file')} (no such file)")
            continue
        for number in SECTION.findall(m.group("sections")):
            if number not in sections:
                broken.append(f"docs/intacct/{m.group('file')} §{number} (no such section)")
    return broken


def line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def test_nothing_cites_documents_outside_the_repository() -> None:
    found = []
    for path in scanned_files():
        text = read_text(path)
        if text is None or path.resolve() == THIS:
            continue
        for position, hit in outside_citations_at(text):
            found.append(f"{path.relative_to(ROOT)}:{line_of(text, position)}: {hit}")
    assert not found, "cite docs/intacct/ instead (see docs/intacct/README.md):\n" + "\n".join(found)


def test_every_docs_intacct_citation_names_an_existing_file_and_section() -> None:
    found = []
    for path in scanned_files():
        text = read_text(path)
        if text is None or path.resolve() == THIS:  # its own examples are broken on purpose
            continue
        for problem in broken_citations(text):
            found.append(f"{path.relative_to(ROOT)}: {problem}")
    assert not found, "\n".join(found)


def test_every_test_vector_named_in_code_is_written_down() -> None:
    known = vectors()
    assert len(known) == 25
    found = []
    for path in scanned_files():
        text = read_text(path)
        if text is None or path.suffix != ".py":
            continue
        for number in sorted(set(VECTOR.findall(text)) - known):
            found.append(f"{path.relative_to(ROOT)}: TV{number}")
    assert not found, "vectors not in docs/intacct/protocol.md §13:\n" + "\n".join(found)


def test_the_evidence_files_exist_with_their_main_sections() -> None:
    for name, expected in {
        "protocol.md": {"1", "2.3", "3.2", "4.3", "5.1", "5.2", "5.5", "7", "8", "9.4", "13.4", "15"},
        "objects.md": {"0.9", *map(str, range(1, 20))},
        "setup.md": {"1", "2", "3", "4"},
        "integrations.md": {"1", "2"},
    }.items():
        sections = sections_of(name)
        assert sections is not None, name
        assert expected <= sections, (name, sorted(expected - sections))
    assert (EVIDENCE / "README.md").is_file()


@pytest.mark.parametrize(
    ("text", "outside", "broken"),
    [
        ("APBILL (docs/intacct/objects.md §9): key RECORDNO", [], []),
        ("see docs/intacct/protocol.md §5.1-§5.3 and TV21", [], []),
        ("(docs/intacct/objects.md §9,\n§11-§13)", [], []),
        ("layers: `docs/intacct/protocol.md §4.2` and §4.3.", [], []),
        ("their timestamp is AUWHENCREATED (dossier A.3)", ["dossier"], []),
        ("the checklist (DESIGN.md §2)", ["DESIGN.md"], []),
        ("(`../shared/intacct-objects.md` §A.14)", ["../shared/intacct-objects.md"], []),
        ('"" for shared/top-level records', [], []),
        ("docs/intacct/objects.md §99", [], ["docs/intacct/objects.md §99 (no such section)"]),
        ("docs/intacct/protocol.md §5.1-§5.9", [], ["docs/intacct/protocol.md §5.9 (no such section)"]),
        ("docs/intacct/nothere.md §1", [], ["docs/intacct/nothere.md (no such file)"]),
    ],
)
def test_the_checks_themselves(text: str, outside: list[str], broken: list[str]) -> None:
    assert outside_citations(text) == outside
    assert broken_citations(text) == broken

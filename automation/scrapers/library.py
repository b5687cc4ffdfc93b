"""Library pagination: yields a target's creatives page by page, to the last page.

Scrapers only yield; the refresh, the duplicate lookup and the upload read-back consume.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Protocol

from tracking.library_cache import LibraryEntry, library_key

# A library never has this many pages; reaching it means Next never turns disabled.
MAX_PAGES = 10_000


class PagedLibrary(Protocol):
    """What pagination needs from a library page object."""

    def open(self, target: str, *, fresh: bool = False) -> None: ...

    def cards_on_page(self) -> list: ...

    def next_page(self) -> bool: ...


def iter_pages(
    library: PagedLibrary, target: str, *, in_place: bool = False, fresh: bool = False
) -> Iterator[list[LibraryEntry]]:
    """Open `target` and yield each page's creatives, newest first, until the last page.

    `in_place`: the page shows the target's first page already (new cards show there without a
    reload); read it as it is. `fresh`: load the library anew before opening the target.
    """
    if not in_place:
        library.open(target, fresh=fresh)
    seen: set[str] = set()
    for _ in range(MAX_PAGES):
        entries = [card.entry(target) for card in library.cards_on_page()]
        unseen = [e for e in entries if e.creative_id not in seen]
        seen.update(e.creative_id for e in entries)
        yield unseen
        if not library.next_page():
            return
    raise RuntimeError(f"{target}: more than {MAX_PAGES} library pages; pagination is stuck")


def find_names(
    library: PagedLibrary, target: str, names: Collection[str]
) -> dict[str, list[LibraryEntry]]:
    """Every creative of `target` (all pages) whose name is one of `names`, by name."""
    wanted = {library_key(n) for n in names}
    found: dict[str, list[LibraryEntry]] = {}
    for page in iter_pages(library, target):
        for entry in page:
            if entry.key in wanted:
                found.setdefault(entry.key, []).append(entry)
    return found


def entries_newer_than(
    library: PagedLibrary,
    target: str,
    known_ids: Collection[str],
    *,
    in_place: bool = False,
    fresh: bool = False,
) -> list[LibraryEntry]:
    """Creatives above the first already-known one (newest first): what appeared since.

    `known_ids` is the first page before an upload; without any, every page is read.
    `in_place` and `fresh` as for `iter_pages`.
    """
    known = set(known_ids)
    newer: list[LibraryEntry] = []
    for page in iter_pages(library, target, in_place=in_place, fresh=fresh):
        for entry in page:
            if entry.creative_id in known:
                return newer
            newer.append(entry)
    return newer

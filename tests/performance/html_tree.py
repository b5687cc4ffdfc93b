"""A small HTML tree from the standard library's parser, to read the report without a browser."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


@dataclass
class Element:
    """One element: its tag, attributes, and its children and text in document order."""

    tag: str
    attrs: dict[str, str]
    nodes: list[Element | str] = field(default_factory=list)

    @property
    def children(self) -> list[Element]:
        return [n for n in self.nodes if isinstance(n, Element)]

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def text(self) -> str:
        """All text inside, whitespace collapsed."""
        parts = [n if isinstance(n, str) else n.text() for n in self.nodes]
        return " ".join(" ".join(parts).split())

    def walk(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            yield from child.walk()

    def find_all(self, tag: str = "", cls: str = "", **attrs: str) -> list[Element]:
        """Descendants by tag, class and attribute values (data_id= matches data-id)."""
        wanted = {k.replace("_", "-"): v for k, v in attrs.items()}
        return [
            e for e in self.walk()
            if (not tag or e.tag == tag) and (not cls or cls in e.classes)
            and all(e.attrs.get(k) == v for k, v in wanted.items())
        ]  # fmt: skip

    def find(self, tag: str = "", cls: str = "", **attrs: str) -> Element:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'} class={cls!r} {attrs}>"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Element("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].nodes.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].nodes.append(data)


def parse(html: str) -> Element:
    """The document's tree."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root

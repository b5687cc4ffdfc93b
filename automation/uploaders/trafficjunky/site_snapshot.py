"""Sanitized page snapshots for `site-check`: the structure of a page (tags, ids, classes) without
the user's data, so that a person can attach them to a report of a changed page.

What goes: every text that is not a UI string the tool looks for (creative, account and campaign
names), numbers of five digits and more (creative and campaign IDs), emails, inline scripts
(they carry tokens and data), comments, and every value that could hold a name, a token or a
cookie (hidden and text inputs, titles, URLs' queries and file names, data attributes).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Attributes that are structure, kept as they are (long numbers still go).
STRUCTURAL_ATTRS = frozenset(
    {
        "id", "class", "name", "type", "role", "for", "rel", "method", "enctype", "accept",
        "tabindex", "hidden", "disabled", "checked", "selected", "multiple", "required",
        "readonly", "colspan", "rowspan", "lang", "dir", "charset", "autocomplete", "inputmode",
        "maxlength", "minlength", "size", "width", "height", "style", "scope", "novalidate",
        "http-equiv", "aria-controls", "aria-labelledby", "aria-describedby", "aria-selected",
        "aria-disabled", "aria-hidden", "aria-expanded", "aria-modal", "aria-live",
        "aria-current", "data-toggle", "data-dismiss", "data-target", "data-bs-toggle",
        "data-bs-dismiss", "data-bs-target",
    }
)  # fmt: skip
# Attributes that read as text: kept only when they are a UI string the tool looks for.
TEXT_ATTRS = frozenset({"title", "alt", "placeholder", "aria-label", "label", "content"})
URL_ATTRS = frozenset(
    {"href", "src", "action", "poster", "srcset", "data-src", "data-href", "data-url"}
)
_BUTTON_TYPES = frozenset({"button", "submit", "reset"})
_CHOICE_TYPES = frozenset({"radio", "checkbox"})
# A value that names a state, not a person's data: "pending", "native", "static_tab", "2".
_ENUM_VALUE = re.compile(r"[a-z][a-z_-]{0,24}|\d{1,4}|true|false")
_PATH_SEGMENT = re.compile(r"[a-z][a-z_-]{0,30}(\.(js|css|svg|ico|woff2?))?")
_LONG_NUMBER = re.compile(r"\d{5,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_QUOTED = re.compile(r"\"([^\"]+)\"|'([^']+)'|text=(.+)$")
_CSS_CHARS = re.compile(r"[#.\[\]:>=(),*\"{}\\^$|+]")
REMOVED = "removed"


def mask(text: str) -> str:
    """Letters become x and digits 0; spaces and punctuation stay (the shape of the page)."""
    return "".join("x" if c.isalpha() else "0" if c.isdigit() else c for c in text)


def ui_texts(selectors: ModuleType) -> frozenset[str]:
    """UI strings the tool looks for (button texts, placeholders, headings), read from selectors.

    They stay in snapshots: a page whose "Next" was renamed must still show where "Next" was.
    """
    values: list[str] = []
    for name, value in vars(selectors).items():
        if not name.isupper():
            continue
        if isinstance(value, str):
            values.append(value)
        elif isinstance(value, dict):
            values.extend(v for v in value.values() if isinstance(v, str))
    texts: set[str] = set()
    for value in values:
        if not _CSS_CHARS.search(value) and not value.startswith("/"):
            texts.add(_normal(value))
        for match in _QUOTED.finditer(value):
            texts.add(_normal(next(g for g in match.groups() if g)))
    return frozenset(t for t in texts if t)


def _normal(text: str) -> str:
    return " ".join(text.split()).lower()


class _Sanitizer(HTMLParser):
    """Rewrites an HTML document event by event, keeping its structure."""

    def __init__(self, keep_texts: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.keep_texts = keep_texts
        self.out: list[str] = []
        self.raw: str | None = None  # "script" or "style" while inside one

    def text(self, value: str) -> str:
        return value if _normal(value) in self.keep_texts else mask(value)

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self._tag(tag, attrs, ">"))
        if tag in ("script", "style"):
            self.raw = tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self._tag(tag, attrs, "/>"))

    def handle_endtag(self, tag: str) -> None:
        if tag == self.raw:
            self.raw = None
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.raw == "script":
            self.out.append(f"/* {REMOVED} */" if data.strip() else data)
        elif self.raw == "style":
            self.out.append(data)
        else:
            self.out.append(html.escape(self.text(data), quote=False))

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], end: str) -> str:
        kind = next((v or "" for k, v in attrs if k == "type"), "").lower()
        parts = [tag]
        for name, value in attrs:
            if value is None:
                parts.append(name)
            else:
                clean = self.attribute(tag, name, value, kind)
                parts.append(f'{name}="{html.escape(clean, quote=True)}"')
        return "<" + " ".join(parts) + end

    def attribute(self, tag: str, name: str, value: str, input_type: str) -> str:
        """An attribute's value with anything personal replaced."""
        if name in STRUCTURAL_ATTRS:
            return value
        if name.startswith("on"):
            return REMOVED  # inline handlers carry IDs and names as arguments
        if name in URL_ATTRS:
            return _url(value)
        if name == "value":
            if input_type in _BUTTON_TYPES:
                return self.text(value)
            choice = tag == "option" or input_type in _CHOICE_TYPES
            if choice and _ENUM_VALUE.fullmatch(value):
                return value
            return REMOVED if value else value  # hidden tokens, typed names
        if name in TEXT_ATTRS or "name" in name or "title" in name:
            return self.text(value)
        return value if _ENUM_VALUE.fullmatch(value) else mask(value)


def _url(value: str) -> str:
    """A URL with its host and route kept, and its file names, IDs and query values masked."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return mask(value)
    host = parts.netloc.rpartition("@")[2]  # never a user:password@
    path = "/".join(
        s if not s or _PATH_SEGMENT.fullmatch(s) else mask(s) for s in parts.path.split("/")
    )
    query = urlencode(
        [(k, v if _ENUM_VALUE.fullmatch(v) else mask(v)) for k, v in parse_qsl(parts.query)]
    )
    fragment = parts.fragment if _ENUM_VALUE.fullmatch(parts.fragment or "a") else ""
    return urlunsplit((parts.scheme, host, path, query, fragment))


def sanitize_html(page_html: str, keep_texts: frozenset[str], private: Iterable[str] = ()) -> str:
    """The page without user data; `private`: words to remove wherever they are (the account)."""
    sanitizer = _Sanitizer(keep_texts)
    sanitizer.feed(page_html)
    sanitizer.close()
    result = "".join(sanitizer.out)
    result = _EMAIL.sub("x@x.invalid", result)
    result = _LONG_NUMBER.sub(lambda m: "0" * len(m.group()), result)
    for word in sorted({w for w in private if w and len(w) >= 3}, key=len, reverse=True):
        pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)
        result = pattern.sub(lambda m: mask(m.group()), result)
    return result


def save_snapshot(folder: Path, index: int, where: str, sanitized: str) -> Path:
    """Write one sanitized page into the run's artifacts; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", _LONG_NUMBER.sub("", where.lower())).strip("-") or "page"
    path = folder / f"site-check-{index:02d}-{slug}.html"
    path.write_text(sanitized, encoding="utf-8")
    return path

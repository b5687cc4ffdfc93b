"""Sanitized snapshots: a page's structure without names, IDs, emails, tokens or scripts."""

from __future__ import annotations

from automation.uploaders.trafficjunky import selectors as sel
from automation.uploaders.trafficjunky.site_snapshot import sanitize_html, ui_texts

PAGE = """<!DOCTYPE html><html><head><meta name="csrf-token" content="tok_abcdef123456">
<script>window.user = {"email": "ann@example.com", "id": 1032473171};</script></head>
<body><span class="accountName">Ann Example</span> <span>ann@example.com</span>
<div class="creativeContainer" data-id="1032473171" data-review-status="pending"
     onclick="edit(1032473171)">
  <label class="creativeName" title="Summer_Sale_v2">Summer_Sale_v2</label>
  <img src="https://cdn.example.com/thumbs/Summer_Sale_v2.jpg?sig=ABC123xyz">
</div>
<h1>Ad settings · Spring Promo Straight</h1>
<form action="/campaign/1012345/ad-settings"><input type="hidden" name="_token" value="s3cr3t">
<input type="radio" name="native_type" value="1"><input type="text" name="q" value="Summer">
<select name="adsTable_length"><option value="100">100</option></select></form>
<a class="page-link" href="/media-library?tab=native&amp;page=2">Next</a>
<!-- rendered for Ann Example -->
</body></html>"""


def sanitized() -> str:
    return sanitize_html(PAGE, ui_texts(sel), private=["annex"])


def test_names_ids_emails_tokens_and_scripts_are_gone():
    text = sanitized()

    for secret in (
        "Ann Example", "ann@example.com", "1032473171", "Summer", "Spring Promo", "1012345",
        "tok_abcdef", "s3cr3t", "ABC123xyz", "window.user",
    ):  # fmt: skip
        assert secret not in text, secret


def test_structure_and_the_ui_strings_the_tool_looks_for_stay():
    text = sanitized()

    assert 'class="creativeContainer" data-id="0000000000" data-review-status="pending"' in text
    assert '<label class="creativeName"' in text
    assert '<a class="page-link" href="/media-library?tab=native&amp;page=2">Next</a>' in text
    assert 'name="native_type" value="1"' in text
    assert '<option value="100">' in text
    assert 'action="/campaign/0000000/ad-settings"' in text


def test_private_words_go_wherever_they_are():
    page = '<div data-user="annex">annex</div>'

    assert "annex" not in sanitize_html(page, frozenset(), private=["annex"])

"""One contract test per endpoint: the request and answer shapes of tests/exoclick/contract.py
(from the facts file) hold for the sandbox, and the client sends nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from automation.sandbox.exo_api import DEMO_API_TOKEN
from automation.uploaders.exoclick import models
from automation.uploaders.exoclick.client import ExoClient, RetryPolicy
from tests.exoclick import contract
from tests.exoclick.conftest import ExoSandbox
from tests.fixtures.media import make_image


def banner(tmp_path: Path, n: int = 0) -> Path:
    return make_image(tmp_path / f"EN_Banner{n}_300x250_ID-0000AB{n:02d}.png", width=300,
                      height=250, seed=n)  # fmt: skip


def upload(api: httpx.Client, path: Path, file_type: str = "image") -> httpx.Response:
    with path.open("rb") as handle:
        return api.post("/library/file", files={"file": (path.name, handle)},
                        data={"type": file_type})  # fmt: skip


def assert_shape(row: Any, shape: dict[str, str]) -> None:
    assert isinstance(row, dict), row
    assert contract.shape_problems(row, shape) == []


def assert_error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert_shape(response.json(), contract.ERROR_ANSWER)
    return str(response.json()["message"])


def test_login_takes_the_api_token_and_answers_a_bearer_token(exo: ExoSandbox):
    http = httpx.Client(base_url=exo.api_url, trust_env=False)
    answer = http.post("/login", json={"api_token": DEMO_API_TOKEN})
    assert answer.status_code == 200
    assert_shape(answer.json(), contract.LOGIN_ANSWER)
    assert all(h in answer.headers for h in contract.RATE_HEADERS)
    assert_error(http.post("/login", json={"api_token": "wrong"}), 401)
    assert "Bearer" in assert_error(http.get("/campaigns"), 401)


def test_library_file_upload_and_rows(exo: ExoSandbox, api: httpx.Client, tmp_path: Path):
    path = banner(tmp_path)
    created = upload(api, path)
    assert created.status_code in (200, 201)
    assert_shape(created.json(), contract.FILE_ROW)
    assert created.json()["file_name"] == path.name  # the uploaded file's name (doc)
    listed = api.get("/library/file", params={"type": "image"}).json()
    assert set(listed) == {"result"}, "items come in `result`; no total beside them"
    [row] = listed["result"]
    assert_shape(row, contract.FILE_ROW)
    assert row["type"] in contract.FILE_TYPES and isinstance(row["status"], int)
    assert "name" not in row and "mime_type" not in row and "size" not in row
    assert "type is required" in assert_error(api.get("/library/file"), 400)
    assert_error(upload(api, path, "banner"), 400)


def test_lists_page_by_limit_and_offset_at_most_fifty(exo: ExoSandbox, api: httpx.Client):
    exo.control("files", {"count": 120, "type": "image"})

    def ids(**params: Any) -> list[int]:
        return [r["id"] for r in api.get("/library/file", params={"type": "image", **params})
                .json()["result"]]  # fmt: skip

    first = ids(limit=80)
    assert len(first) == contract.MAX_ROWS
    assert ids(limit=50, offset=50) == [first[-1] + n for n in range(1, 51)]
    assert len(ids(limit=50, offset=100)) == 20  # a short page: the end
    assert ids(page=2) == first, "there is no `page` parameter"
    total = api.get("/library/file", params={"type": "image", "count": 1}).json()
    assert total["result"] == 120, "`count` asks for the total only"
    assert_error(api.get("/library/file", params={"type": "image", "limit": "x"}), 400)


def test_library_url_registers_a_landing_page(api: httpx.Client):
    answer = api.post("/library/url", json={"url": "https://acme.example/landing"})
    assert answer.status_code in (200, 201)
    assert_shape(answer.json(), contract.URL_ANSWER)
    assert_error(api.post("/library/url", json={"url": "not a url"}), 400)


def test_campaign_rows_have_a_campaign_type_and_no_format(exo: ExoSandbox, api: httpx.Client):
    exo.campaign("Display", "display")
    exo.campaign("In-stream", "instream")
    rows = api.get("/campaigns", params={"limit": 50, "offset": 0}).json()["result"]
    assert len(rows) == 2
    for row in rows:
        assert_shape(row, contract.CAMPAIGN_ROW)
        assert_shape(row["campaign_type"], contract.CAMPAIGN_TYPE)
        assert "format" not in row


def make_ad(api: httpx.Client, campaign: int, tmp_path: Path) -> httpx.Response:
    url_id = api.post("/library/url", json={"url": "https://acme.example/"}).json()["id"]
    form = {"idcampaign": str(campaign), "name": "EN_Banner0", "url": "https://acme.example/",
            "id_library_url": str(url_id)}  # fmt: skip
    with banner(tmp_path).open("rb") as handle:
        return api.post(f"/campaigns/{campaign}/variation", data=form,
                        files={"file": ("EN_Banner0.png", handle)})  # fmt: skip


@pytest.mark.parametrize("where", ["campaign", "route"])
def test_variations_are_listed_inside_the_campaign_or_at_their_route(
    exo: ExoSandbox, api: httpx.Client, tmp_path: Path, where: str
):
    exo.exo_switches(variations_at=where)
    campaign = exo.campaign("Display", "display")
    assert make_ad(api, campaign, tmp_path).status_code in (200, 201)
    detail = api.get(f"/campaigns/{campaign}").json()["result"]
    assert_shape(detail["campaign"], contract.CAMPAIGN_ROW)
    listing = api.get(f"/campaigns/{campaign}/variation", params={"limit": 50, "offset": 0})
    if where == "campaign":
        rows = detail["variations"]
        assert_error(listing, 404)
    else:
        assert "variations" not in detail
        rows = listing.json()["result"]
    [row] = rows
    assert_shape(row, contract.VARIATION_ROW)
    assert "id" not in row and "file_id" not in row


@pytest.mark.parametrize("by", ["upload", "library_id"])
def test_a_variation_is_created_from_a_multipart_form(
    exo: ExoSandbox, api: httpx.Client, tmp_path: Path, by: str
):
    exo.exo_switches(variation_file=by)
    campaign = exo.campaign("Display", "display")
    [library_file] = exo.control("files", {"count": 1})["result"]
    as_json = {"idcampaign": campaign, "name": "x", "url": "https://acme.example/",
               "id_library_file": library_file["id"]}  # fmt: skip
    assert "multipart" in assert_error(
        api.post(f"/campaigns/{campaign}/variation", json=as_json), 400
    )
    no_landing = {"idcampaign": str(campaign), "name": "x", "url": "https://acme.example/",
                  "id_library_file": str(library_file["id"])}  # fmt: skip
    refused = api.post(f"/campaigns/{campaign}/variation", files={
        k: (None, v) for k, v in no_landing.items()})  # fmt: skip
    assert "id_library_url" in assert_error(refused, 400), "banners need /library/url first"
    made = make_ad(api, campaign, tmp_path)
    assert made.status_code in (200, 201)
    assert_shape(made.json(), contract.VARIATION_ROW)


def test_over_the_rate_limit_is_a_429_with_the_reset_and_no_retry_after(
    exo: ExoSandbox, api: httpx.Client
):
    exo.exo_switches(rate_limit_exhaust_s=30)
    refused = api.get("/campaigns")
    assert_error(refused, 429)
    assert refused.headers["X-Rate-Limit-Remaining"] == "0"
    assert 0 < int(refused.headers["X-Rate-Limit-Reset"]) <= 30
    assert "Retry-After" not in refused.headers


def test_the_models_read_only_fields_of_the_contract():
    for read, shape in ((models.FILE_FIELDS, contract.FILE_ROW),
                        (models.CAMPAIGN_FIELDS, contract.CAMPAIGN_ROW),
                        (models.CAMPAIGN_TYPE_FIELDS, contract.CAMPAIGN_TYPE),
                        (models.VARIATION_FIELDS, contract.VARIATION_ROW),
                        (models.LOGIN_FIELDS, contract.LOGIN_ANSWER),
                        (models.URL_FIELDS, contract.URL_ANSWER)):  # fmt: skip
        for name, kind in read.items():
            assert name in shape, f"the tool reads {name!r}, which the API does not send"
            assert kind in shape[name].split("|"), f"{name}: {kind} vs {shape[name]}"


def recording(client: ExoClient) -> list[tuple[str, str, dict[str, Any]]]:
    """Every request the client sends: method, path, and its keyword arguments."""
    sent: list[tuple[str, str, dict[str, Any]]] = []
    original = client._send

    def send(method: str, path: str, **kw: Any) -> httpx.Response:
        sent.append((method, path, kw))
        return original(method, path, **kw)

    client._send = send  # type: ignore[method-assign]
    return sent


def test_the_client_sends_only_requests_of_the_contract(exo_variant: ExoSandbox, tmp_path: Path):
    exo = exo_variant
    exo.control("files", {"count": 60, "type": "image"})
    campaign = exo.campaign("Display", "display")
    settings = exo.settings(tmp_path)
    path = banner(tmp_path, 1)
    with ExoClient(settings.exo_api_url, settings.exo_api_token,
                   policy=RetryPolicy(backoff_s=0.05)) as client:  # fmt: skip
        sent = recording(client)
        created = client.upload_file(path, "image", known_ids=frozenset())
        assert len(list(client.iter_files())) == 61
        url_id = client.add_url("https://acme.example/")
        client.create_variation(campaign, name="EN_Banner1", url="https://acme.example/",
                                url_id=url_id, file_id=created.id, path=path)  # fmt: skip
        [ad] = client.variations(campaign)
        [shown] = [c for c in client.campaigns() if c.id == campaign]
    assert ad.name == "EN_Banner1" and shown.format == "display"
    for method, full, kw in sent:
        entry = contract.endpoint_of(method, full)
        assert entry is not None, f"{method} {full} is not an API endpoint"
        params = kw.get("params") or {}
        assert set(params) <= entry[3], f"{method} {full}: {set(params) - entry[3]}"
        assert int(params.get("limit", 0)) <= contract.MAX_ROWS and "count" not in params
        if entry[2] == "json":
            assert "json" in kw and "files" not in kw
        if entry[2] == "multipart":
            assert "files" in kw and "json" not in kw
            fields = set(kw["files"]) | set(kw.get("data") or {})
            if "variation" in full:
                assert fields <= contract.VARIATION_FORM and {"idcampaign", "name"} <= fields

"""The ExoClick API client against the sandbox's API: auth, uploads, paging, retries, errors."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from automation.errors import AuthRequiredError, ConfigError
from automation.settings import Secret
from automation.uploaders.exoclick.client import ExoApiError, ExoClient, RetryPolicy
from tests.exoclick.conftest import ExoSandbox
from tests.fixtures.media import make_image, make_video
from tracking.library_cache import library_key


def client_for(
    exo: ExoSandbox,
    *,
    retries: int = 3,
    token: str | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> ExoClient:
    settings = exo.settings(Path("."))
    return ExoClient(
        settings.exo_api_url,
        Secret(token) if token is not None else settings.exo_api_token,
        timeout_s=10,
        policy=RetryPolicy(retries=retries, backoff_s=0.05),
        clock=clock,
    )


@pytest.fixture
def banner(tmp_path: Path) -> Path:
    return make_image(
        tmp_path / "EN_Cat_MFT_Both_R_Banner_Me_ID-0A0B0C0D.png", width=300, height=250
    )


def test_upload_returns_the_id_the_library_holds(exo: ExoSandbox, banner: Path, tmp_path: Path):
    clip = make_video(tmp_path / "EN_Pre_Roll_ID-11223344.mp4", width=640, height=360, seconds=6)
    with client_for(exo) as client:
        image = client.upload_file(banner, "image", known_ids=frozenset())
        video = client.upload_file(clip, "video", known_ids=frozenset())
        listed = {f.id: f for f in client.iter_files()}

    truth = {f["id"]: f for f in exo.truth()["files"]}
    assert set(truth) == {image.id, video.id} == set(listed)
    assert library_key(truth[image.id]["file_name"]) == library_key(banner.name)
    assert library_key(truth[video.id]["file_name"]) == library_key(clip.name)
    assert (truth[image.id]["type"], truth[video.id]["type"]) == ("image", "video")
    assert listed[image.id].to_entry().dimensions == "300x250"
    assert listed[image.id].to_entry().file_type == ".png"
    assert listed[video.id].to_entry().review_status == "pending"


def test_listing_pages_by_fifty_to_a_short_page(exo: ExoSandbox):
    exo.control("files", {"count": 230, "type": "image"})
    exo.control("files", {"count": 50, "type": "video", "prefix": "clip"})
    with client_for(exo) as client:
        images = list(client.iter_files("image"))
        everything = list(client.iter_files())
    assert len(images) == 230 and len({f.id for f in images}) == 230
    assert len(everything) == 280
    reads = exo.requests("GET", "/exo/v2/library/file")
    # images: 50 x 4 + 30; then again, plus videos 50 + 0 and video banners 0.
    assert len(reads) == 5 + 5 + 2 + 1
    assert all("limit=50" in r["query"] and "count" not in r["query"] for r in reads)


def test_a_token_is_renewed_before_it_runs_out(exo: ExoSandbox):
    now = [1000.0]
    with client_for(exo, clock=lambda: now[0]) as client:
        assert client.login()["expires_in"] == 3600
        client.campaigns()
        now[0] += 3600 - 30  # within the last minute of the token's life
        client.campaigns()
    calls = [(r["path"], r["status"]) for r in exo.requests()]
    assert calls == [  # the second login came before any refusal
        ("/exo/v2/login", 200),
        ("/exo/v2/campaigns", 200),
        ("/exo/v2/login", 200),
        ("/exo/v2/campaigns", 200),
    ]


@pytest.mark.parametrize("expiry", ["403", "401"])
def test_a_token_the_api_calls_expired_is_replaced_once(exo: ExoSandbox, expiry: str):
    exo.exo_switches(token_expiry=expiry)
    with client_for(exo) as client:
        client.campaigns()
        exo.exo_switches(expire_tokens_now=True)
        client.campaigns()
    calls = [(r["method"], r["path"], r["status"]) for r in exo.requests()]
    assert calls == [
        ("POST", "/exo/v2/login", 200),
        ("GET", "/exo/v2/campaigns", 200),
        ("GET", "/exo/v2/campaigns", int(expiry)),
        ("POST", "/exo/v2/login", 200),
        ("GET", "/exo/v2/campaigns", 200),
    ]


def test_a_refused_api_token_is_an_auth_error_without_the_token(exo: ExoSandbox):
    with (
        client_for(exo, token="not-the-right-token") as client,
        pytest.raises(AuthRequiredError) as caught,
    ):
        client.campaigns()
    assert "Invalid API token" in str(caught.value) and "EXO_API_TOKEN" in str(caught.value)
    assert "not-the-right-token" not in str(caught.value)


def test_a_missing_api_token_says_how_to_set_it(exo: ExoSandbox):
    with client_for(exo, token="") as client, pytest.raises(ConfigError, match="EXO_API_TOKEN"):
        client.campaigns()
    assert exo.requests() == []


def test_429_waits_until_the_rate_limit_resets(exo: ExoSandbox):
    with client_for(exo, retries=0) as client:
        client.login()
        exo.exo_switches(rate_limit_exhaust_s=1.5)
        started = time.monotonic()
        client.campaigns()
        waited = time.monotonic() - started
    # Far longer than the 0.05 s backoff: the client waited for X-Rate-Limit-Reset (2 s).
    assert waited >= 1.5
    statuses = [r["status"] for r in exo.requests("GET", "/exo/v2/campaigns")]
    assert statuses[0] == 429 and statuses[-1] == 200 and len(statuses) <= 3


def test_no_requests_are_sent_while_the_window_is_used_up(exo: ExoSandbox):
    exo.exo_switches(rate_limit=3, rate_window_s=2)
    with client_for(exo) as client:
        for _ in range(3):
            client.campaigns()  # login + 2 reads use the window up; the third read waits
    assert [r["status"] for r in exo.requests()] == [200, 200, 200, 200]


def test_500s_on_uploads_are_retried_without_duplicates(exo: ExoSandbox, tmp_path: Path):
    files = [
        make_image(tmp_path / f"banner_{n}.png", width=300, height=250, seed=n) for n in range(6)
    ]
    exo.switches(error_rate=0.4, error_routes=["/exo/v2/library"], error_seed=7)
    with client_for(exo, retries=6) as client:
        uploaded = [client.upload_file(f, "image", known_ids=frozenset()) for f in files]
        retries = client.retry_count
    exo.switches(error_rate=0.0)
    truth = exo.truth()["files"]
    assert sorted(library_key(f["file_name"]) for f in truth) == sorted(
        library_key(f.name) for f in files
    )
    assert {f["id"] for f in truth} == {u.id for u in uploaded}
    assert retries > 0
    assert any(r["status"] == 500 for r in exo.requests("POST", "/exo/v2/library/file"))


def test_persistent_500s_end_in_one_clear_error(exo: ExoSandbox, banner: Path):
    exo.switches(error_rate=1.0, error_routes=["/exo/v2/campaigns"])
    with client_for(exo, retries=2) as client, pytest.raises(ExoApiError) as caught:
        client.campaigns()
    assert "GET /campaigns -> 500" in str(caught.value)
    assert len(exo.requests("GET", "/exo/v2/campaigns")) == 3


def test_a_rejected_upload_carries_the_apis_message(exo: ExoSandbox, tmp_path: Path):
    wrong = make_image(tmp_path / "wrong_size.png", width=301, height=250)
    with client_for(exo) as client, pytest.raises(ExoApiError) as caught:
        client.upload_file(wrong, "image", known_ids=frozenset())
    assert caught.value.status == 422
    assert "301x250 is not a banner size" in str(caught.value)
    assert len(exo.requests("POST", "/exo/v2/library/file")) == 1  # a 4xx is not retried


def test_an_upload_refused_with_429_is_sent_again_whole(exo: ExoSandbox, banner: Path):
    with client_for(exo) as client:
        client.campaigns()  # logged in; the next request is the upload
        exo.exo_switches(rate_limit_exhaust_s=0.5)
        uploaded = client.upload_file(banner, "image", known_ids=frozenset())
    [stored] = exo.truth()["files"]
    assert stored["id"] == uploaded.id
    assert stored["file_size_original"] == banner.stat().st_size
    statuses = [r["status"] for r in exo.requests("POST", "/exo/v2/library/file")]
    assert statuses == [429, 201]


def test_a_500_after_the_file_was_saved_gives_that_files_id_without_a_resend(
    exo: ExoSandbox, banner: Path
):
    exo.control("switches", {"fail_after_create_next": 1})
    with client_for(exo) as client:
        uploaded = client.upload_file(banner, "image", known_ids=frozenset())
    [stored] = exo.truth()["files"]
    assert uploaded.id == stored["id"] and stored["file_name"] == banner.name
    assert [r["status"] for r in exo.requests("POST", "/exo/v2/library/file")] == [500]


def test_a_dropped_connection_is_one_clear_error(exo: ExoSandbox):
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def hang_up() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.close()  # the request arrived; no answer ever comes

    threading.Thread(target=hang_up, daemon=True).start()
    client = ExoClient(
        f"http://127.0.0.1:{port}/exo/v2",
        Secret("token"),
        timeout_s=5,
        policy=RetryPolicy(retries=1, backoff_s=0.01),
    )
    try:
        with client, pytest.raises(ExoApiError, match="cannot reach"):
            client.campaigns()
    finally:
        server.close()


def test_a_reset_given_as_a_timestamp_is_read_as_the_time_left():
    from automation.uploaders.exoclick.transport import rate_limit_reset_s

    def reset(value: str) -> float | None:
        return rate_limit_reset_s(httpx.Response(429, headers={"X-Rate-Limit-Reset": value}))

    assert reset("12") == 12
    assert 8 <= (reset(str(int(time.time()) + 10)) or 0) <= 10
    assert reset("") is None and reset("soon") is None


class UnsureLibrary:
    """An API whose uploads all answer 500, while the library may show what they saved."""

    def __init__(self, library: list[int]) -> None:
        self.library = library  # ids of files named banner.png, grown by `on_post`
        self.posts = 0
        self.reads = 0
        self.sleeps: list[float] = []
        self.on_post: Callable[[int], None] = lambda n: None

    def answer(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/login"):
            return httpx.Response(200, json={"token": "t", "type": "Bearer", "expires_in": 3600})
        if request.method == "POST":
            self.posts += 1
            self.on_post(self.posts)
            return httpx.Response(500, json={"message": "busy"})
        self.reads += 1
        files = [{"id": i, "file_name": "banner.png", "type": "image"} for i in self.library]
        return httpx.Response(200, json={"result": files})

    def client(self, retries: int) -> ExoClient:
        return ExoClient(
            "http://exo.test/v2",
            Secret("api-token"),
            policy=RetryPolicy(retries=retries, backoff_s=0.05),
            sleep=self.sleeps.append,
            transport=httpx.MockTransport(self.answer),
        )


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    path = tmp_path / "banner.png"
    path.write_bytes(b"not looked at by a fake API")
    return path


@pytest.mark.parametrize("saved_on", [1, 3])
def test_an_unsure_upload_is_read_back_after_a_backoff_before_it_is_sent_again(
    small_file: Path, saved_on: int
):
    api = UnsureLibrary(library=[5])
    api.on_post = lambda n: api.library.append(40 + n) if n == saved_on else None
    with api.client(retries=2) as client:
        uploaded = client.upload_file(small_file, "image", known_ids=frozenset({5}))
        retries = client.retry_count
    assert uploaded.id == 40 + saved_on
    assert api.posts == api.reads == retries == saved_on  # the last read-back follows try 3
    assert api.sleeps == [0.05, 0.1, 0.2][:saved_on]


def test_an_upload_unsure_on_every_try_ends_in_one_clear_error(small_file: Path):
    api = UnsureLibrary(library=[5])
    with api.client(retries=2) as client, pytest.raises(ExoApiError) as caught:
        client.upload_file(small_file, "image", known_ids=frozenset({5}))
    assert str(caught.value) == "banner.png: ExoClick API: POST /library/file -> 500: busy"
    assert caught.value.status == 500
    assert (api.posts, api.reads, client.retry_count) == (3, 3, 3)
    assert api.sleeps == [0.05, 0.1, 0.2]


def test_two_new_files_of_the_uploads_name_are_an_error_not_a_guess(small_file: Path):
    api = UnsureLibrary(library=[5, 7, 8])
    with api.client(retries=2) as client, pytest.raises(ExoApiError) as caught:
        client.upload_file(small_file, "image", known_ids=frozenset({5}))
    assert str(caught.value) == "banner.png: several new files with this name (7, 8)"
    assert (api.posts, api.reads) == (1, 1)

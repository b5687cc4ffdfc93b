"""ExoClick uploads on the shared base: library file types as targets, the API as transport.

The API answers an upload with the created file, so its id is proven by the answer itself (its
`file_name`, the uploaded file's name, and its type checked). Unlike TrafficJunky, ExoClick
accepts a name it already has and makes a second file of it; to keep "never upload what the
platform already has", each batch first reads its target's library and treats a name found
there as the platform's existing creative.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager

from automation.errors import AuthRequiredError
from automation.uploaders.base import (
    Connection,
    FileOutcome,
    Outcome,
    TransientError,
    Uploader,
)
from automation.uploaders.exoclick import PLATFORM
from automation.uploaders.exoclick.client import ExoApiError, ExoClient
from automation.uploaders.exoclick.specs import FILE_TYPES, LIBRARY_TYPES, SPECS
from automation.uploaders.plan import Batch, UploadItem
from automation.uploaders.validation import spec_problem
from tracking.library_cache import LibraryEntry, library_key

log = logging.getLogger(__name__)


def _is_refusal(exc: ExoApiError) -> bool:
    """A 4xx other than 429: the API looked at the file and said no; a retry changes nothing."""
    return exc.status is not None and 400 <= exc.status < 500 and exc.status != 429


class ExoTransport:
    """The ExoClick API as the shared upload run's transport."""

    def __init__(self, client: ExoClient) -> None:
        self.client = client

    def _index(self, target: str) -> dict[str, list[LibraryEntry]]:
        """Every file of one library type, by name key (a fresh read of all pages)."""
        index: dict[str, list[LibraryEntry]] = {}
        try:
            for file in self.client.iter_files(target):
                index.setdefault(library_key(file.file_name), []).append(file.to_entry())
        except ExoApiError as exc:
            raise TransientError(str(exc)) from None
        return index

    def upload_batch(self, batch: Batch, before_submit: Callable[[], None]) -> list[FileOutcome]:
        """Upload the files the library does not have yet, one request each."""
        index = self._index(batch.target)
        outcomes: list[FileOutcome] = []
        submitted = False
        for item in batch.items:
            if index.get(item.name):
                note = f"{item.name} is already in the {batch.target} library"
                outcomes.append(FileOutcome(item, Outcome.EXISTING, message=note))
                continue
            if not submitted:
                before_submit()
                submitted = True
            outcomes.append(self._upload(item, batch.target))
        return outcomes

    def _upload(self, item: UploadItem, target: str) -> FileOutcome:
        retries_before = self.client.retry_count
        outcome = self._send(item, target)
        outcome.retries = self.client.retry_count - retries_before
        return outcome

    def _send(self, item: UploadItem, target: str) -> FileOutcome:
        try:
            created = self.client.upload_file(item.path, target, known_ids=frozenset())
        except AuthRequiredError:
            raise
        except ExoApiError as exc:
            if _is_refusal(exc):
                return FileOutcome(item, Outcome.REJECTED, message=exc.api_message or str(exc))
            return FileOutcome(item, Outcome.TRANSIENT, message=str(exc))
        # file_name is the uploaded file's name, with or without its extension: library_key
        # compares both the same way.
        if library_key(created.file_name) != item.name or created.type != target:
            note = (
                f"the API answered with {created.type} file {created.id} named {created.file_name}"
            )
            return FileOutcome(item, Outcome.UNPROVEN, message=note)
        log.info("%s -> ExoClick %s file %d", item.name, target, created.id)
        return FileOutcome(item, Outcome.CREATED, created.to_entry())

    def find_names(self, target: str, names: Collection[str]) -> dict[str, list[LibraryEntry]]:
        """Every file of `target` whose name is one of `names` (all pages)."""
        wanted = {library_key(n) for n in names}
        return {k: v for k, v in self._index(target).items() if k in wanted}

    def library_pages(self, target: str) -> Iterator[list[LibraryEntry]]:
        """The files of one library type, page by page."""
        try:
            for page in self.client.file_pages(target):
                yield [file.to_entry() for file in page]
        except ExoApiError as exc:
            raise TransientError(str(exc)) from None


class ExoClickUploader(Uploader):
    """ExoClick: stills go to `image`, MP4s to `video` (see specs.FILE_TYPES)."""

    platform = PLATFORM
    label = "ExoClick"
    targets = LIBRARY_TYPES

    def target_for(self, creative_type: str) -> str | None:
        return FILE_TYPES.get(creative_type)

    def check(self, item: UploadItem) -> str | None:
        return spec_problem(item.path, item.creative_type, SPECS)

    @contextmanager
    def connect(self, run_id: str, *, retries: int | None = None) -> Iterator[Connection]:
        """Log in with the API token (a refused token stops the run before any upload).

        `retries` (the run's `--retries`) also bounds the client's own resends of a request.
        """
        with ExoClient.from_settings(self.settings, retries=retries) as client:
            client.login()
            log.info("ExoClick API: logged in for run %s", run_id)
            yield Connection(ExoTransport(client))

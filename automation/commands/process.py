"""`creative-flow process`: turn inbox media into named, in-spec creatives with inventory rows."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from automation.commands.common import (
    DetachOpt,
    JsonOpt,
    QueueUrlOpt,
    app_context,
    console,
    err_console,
    print_json,
)
from automation.errors import ConfigError, ExitCode
from automation.uploaders.exoclick import specs as exo_specs
from automation.uploaders.trafficjunky import specs as tj_specs
from creatives.naming import NameFields
from creatives.runlock import process_lock
from creatives.sources import scan
from creatives.spec import PlatformSpecs, Size, strictest

if TYPE_CHECKING:
    from creatives.plan import BannerChoice, ProcessOptions
    from creatives.results import BatchReport
    from creatives.sources import SourceFile
    from tracking.workspace import Workspace

# The platforms `--platform` knows, by name: each brings its creative specs.
PLATFORM_SPECS: dict[str, PlatformSpecs] = {
    "trafficjunky": tj_specs.SPECS,
    "exoclick": exo_specs.SPECS,
}


def platform_specs(name: str) -> PlatformSpecs:
    """The specs of a platform, or the strictest of a comma list; a usage error lists the known."""
    names = [n.strip().lower() for n in name.split(",") if n.strip()]
    unknown = [n for n in names if n not in PLATFORM_SPECS]
    if unknown or not names:
        raise ConfigError(f"--platform {name!r} is not known; use {', '.join(PLATFORM_SPECS)}")
    try:
        return strictest([PLATFORM_SPECS[n] for n in dict.fromkeys(names)])
    except ValueError as exc:
        raise ConfigError(f"--platform {name}: {exc}") from None


def parse_banner(text: str | None, specs: PlatformSpecs) -> BannerChoice:
    """--banner-size: WxH (snapped to the nearest size the platform takes) or 'auto'."""
    if text is None:
        return None
    if text.strip().lower() == "auto":
        return "auto"
    sizes = ", ".join(str(s) for s in specs.banner_sizes)
    try:
        wanted = Size.parse(text)
    except ValueError:
        raise ConfigError(f"--banner-size {text!r}: use WxH or auto ({sizes})") from None
    return specs.nearest_banner(wanted)


def register(app: typer.Typer) -> None:
    @app.command()
    def process(
        ctx: typer.Context,
        paths: Annotated[
            list[Path] | None,
            typer.Argument(help="Files or folders to process (default: the inbox).", exists=True),
        ] = None,
        native: Annotated[
            bool, typer.Option("--native", help="Make native 640x360 video+image pairs.")
        ] = False,
        native_seconds: Annotated[
            float | None,
            typer.Option(
                "--native-seconds", min=0.5, help="Native clip length in seconds (default 4)."
            ),
        ] = None,
        banner_size: Annotated[
            str | None,
            typer.Option("--banner-size", metavar="WxH|auto", help="Convert images to banners."),
        ] = None,
        platform: Annotated[
            str,
            typer.Option(
                "--platform", help=f"Specs to meet: {', '.join(PLATFORM_SPECS)}, or a comma list."
            ),
        ] = "trafficjunky",
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Show what would be made; write nothing.")
        ] = False,
        force: Annotated[
            bool, typer.Option("--force", help="Redo sources already in the inventory.")
        ] = False,
        jobs: Annotated[
            int | None,
            typer.Option("--jobs", "-j", min=0, help="Conversions at once (0: CPU count)."),
        ] = None,
        interactive: Annotated[
            bool, typer.Option("--interactive", help="Ask for missing folder defaults.")
        ] = False,
        language: Annotated[str, typer.Option(help="Language when nothing else says.")] = "",
        category: Annotated[str, typer.Option(help="Category when nothing else says.")] = "",
        creator: Annotated[str, typer.Option(help="Creator when nothing else says.")] = "",
        model_sex: Annotated[str, typer.Option(help="Model sex (default MFT).")] = "",
        style: Annotated[str, typer.Option(help="Style (default Both).")] = "",
        rating: Annotated[
            str, typer.Option("--rating", "--content-type", help="Rating / content type.")
        ] = "",
        description: Annotated[str, typer.Option(help="Description (default Generic).")] = "",
        test_id: Annotated[str, typer.Option(help="Test ID (adds _T-<id> to names).")] = "",
        no_wait: Annotated[
            bool,
            typer.Option("--no-wait", help="Exit at once when another process run is busy here."),
        ] = False,
        queue: QueueUrlOpt = None,
        detach: DetachOpt = False,
        json_out: JsonOpt = False,
    ) -> None:
        """Probe, name, convert and record media from the inbox (or PATHS).

        Sources move to originals/ once their outputs and inventory rows are written; a source
        already in the inventory is skipped. One process run works on a workspace at a time: a
        second one waits for it (or, with --no-wait, exits saying which run is busy). Exit code
        7 when some files failed.

        With a broker (--queue or CREATIVE_FLOW_BROKER), each source becomes a job for the
        `creative-flow worker` processes, here or on other machines sharing the workspace,
        and the command reports when all are done (--dry-run still runs here).

        Example: creative-flow process --native --language EN --jobs 2
        """
        # Pillow loads only when a batch runs, not for --help.
        from automation.commands.process_queue import run_queued, shown
        from automation.commands.process_views import (
            as_json,
            ask_folder_defaults,
            render,
            unknown_by_folder,
            warn_unknown,
        )
        from creatives.pipeline import Outcome, source_folder_key
        from creatives.plan import ProcessOptions

        state = app_context(ctx)
        ws = state.workspace
        specs = platform_specs(platform)
        options = ProcessOptions(
            native=native,
            native_seconds=native_seconds,
            banner=parse_banner(banner_size, specs),
            force=force,
            dry_run=dry_run,
            jobs=state.settings.jobs if jobs is None else jobs,
            metadata=NameFields(
                language=language, category=category, model_sex=model_sex, style=style,
                rating=rating, description=description, creator=creator, test_id=test_id,
            ),
        )  # fmt: skip
        settings = state.settings.with_overrides(broker_url=queue)
        if settings.broker_url and not dry_run:
            found = scan(list(paths) if paths else [ws.inbox], ws.inbox)
            sources = found.sources
            _say_notes(found.notes)
            if interactive:
                ask_folder_defaults(ws, sources)
            queued = run_queued(
                settings, sources, platform, options, detach=detach, as_json=json_out
            )
            if queued is None:
                return
            report = queued
        else:
            sources, report = _run_here(
                ws, specs, options, paths, interactive=interactive, no_wait=no_wait,
                show_progress=not json_out,
            )  # fmt: skip
        folder_of = {shown(ws, s): source_folder_key(s, ws.inbox) for s in sources}
        unknown = unknown_by_folder(report, folder_of)
        if json_out:
            print_json({**as_json(report, dry_run), "unknown_by_folder": unknown})
        else:
            if not sources:
                console.print(f"nothing to process in {ws.inbox}")
            render(report, dry_run)
            warn_unknown(unknown, ws)
        if report.of(Outcome.FAILED):
            raise typer.Exit(ExitCode.PARTIAL)


def _run_here(
    ws: Workspace,
    specs: PlatformSpecs,
    options: ProcessOptions,
    paths: list[Path] | None,
    *,
    interactive: bool,
    no_wait: bool,
    show_progress: bool,
) -> tuple[list[SourceFile], BatchReport]:
    """The batch in this process, holding the workspace's process lock; its sources and report."""
    from automation.commands.process_views import ask_folder_defaults, run_batch
    from creatives.pipeline import Pipeline

    dry = " --dry-run" if options.dry_run else ""
    command = "process" + (" --native" if options.native else "") + dry
    with process_lock(
        ws.root, command=command, wait=not no_wait, on_wait=lambda line: err_console.print(
            line, markup=False, soft_wrap=True
        ),
    ):  # fmt: skip
        # Found only once the workspace is ours: a run that waited sees what the other left.
        found = scan(list(paths) if paths else [ws.inbox], ws.inbox)
        _say_notes(found.notes)
        if interactive and not options.dry_run:
            ask_folder_defaults(ws, found.sources)
        report = run_batch(Pipeline(ws, specs, options), found.sources, show_progress)
    return found.sources, report


def _say_notes(notes: list[str]) -> None:
    for note in notes:
        err_console.print(f"note: {note}", markup=False, soft_wrap=True)

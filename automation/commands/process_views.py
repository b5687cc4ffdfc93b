"""What `creative-flow process` shows and asks: folder defaults, progress, tables, JSON."""

from __future__ import annotations

import typer

from automation.commands.common import console, err_console, print_whole
from creatives.pipeline import BatchReport, ItemResult, Outcome, Pipeline, source_folder_key
from creatives.sources import SourceFile
from tracking import folder_defaults
from tracking.workspace import Workspace

_OUTCOME_STYLE = {
    Outcome.PROCESSED: "green",
    Outcome.PLANNED: "cyan",
    Outcome.SKIPPED: "yellow",
    Outcome.FAILED: "red",
}


def ask_folder_defaults(ws: Workspace, sources: list[SourceFile]) -> None:
    """--interactive: ask once per folder that has no defaults yet, and save the answers."""
    table = folder_defaults.load(ws.folder_defaults_csv, ws.inbox)
    folders = dict.fromkeys(source_folder_key(s, ws.inbox) for s in sources)
    for key in folders:
        if key in table:
            continue
        err_console.print(f"metadata defaults for folder '{key or '(inbox)'}' (empty: unknown)")
        answers = {
            name: typer.prompt(f"  {label}", default="", show_default=False, err=True).strip()
            for name, label in (
                ("language", "language (e.g. EN)"), ("category_name", "category"),
                ("creator_name", "creator"), ("model_sex", "model sex (MFT)"),
                ("style", "style (Both)"), ("content_type", "rating / content type"),
                ("creative_description", "description (Generic)"), ("test_id", "test id"),
            )
        }  # fmt: skip
        entry = folder_defaults.FolderDefaults(folder_path=key, **answers)
        if not entry.is_empty():
            folder_defaults.save(ws.folder_defaults_csv, entry)


def run_batch(pipeline: Pipeline, sources: list[SourceFile], show_progress: bool) -> BatchReport:
    """Run the pipeline with a progress bar on stderr (none for --json)."""
    if not show_progress:
        return pipeline.run(sources)
    # Loaded only for a bar: a --json run starts without it.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
    )  # fmt: skip
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("processing", total=len(sources))

        def advance(item: ItemResult) -> None:
            bar.update(task, advance=1, description=f"{item.outcome}: {item.source}"[:60])

        return pipeline.run(sources, on_result=advance)


def render(report: BatchReport, dry_run: bool) -> None:
    """The per-file table, the notes, the failures, and the summary."""
    from rich.table import Table

    # File names are shown whole, never wrapped mid-name, so they can be copied; only the
    # reasons (prose) wrap.
    table = Table(title="creative-flow process" + (" (dry run)" if dry_run else ""))
    table.add_column("source", no_wrap=True)
    table.add_column("result", no_wrap=True)
    table.add_column("outputs / reason", overflow="fold")
    for item in report.items:
        style = _OUTCOME_STYLE[item.outcome]
        detail = "\n".join(item.outputs) if item.outputs else item.reason
        if item.outcome is Outcome.SKIPPED:
            detail = item.reason
        table.add_row(item.source, f"[{style}]{item.outcome}[/]", detail)
    print_whole(table)
    for line in report.recovered:
        console.print(f"[dim]recovered: {line}[/]")
    for item in report.items:
        for note in item.notes:
            if not note.startswith("unknown:"):
                console.print(f"note: {item.source}: {note}", markup=False, soft_wrap=True)
    summary = Table(title="summary")
    summary.add_column("what")
    summary.add_column("count", justify="right")
    first = Outcome.PLANNED if dry_run else Outcome.PROCESSED
    for outcome in (first, Outcome.SKIPPED, Outcome.FAILED):
        summary.add_row(str(outcome), str(len(report.of(outcome))))
    for kind, count in sorted(report.type_counts().items()):
        summary.add_row(f"  {kind}", str(count))
    console.print(summary)
    for item in report.of(Outcome.FAILED):
        err_console.print(f"failed: {item.source}: {item.reason}", markup=False, soft_wrap=True)


def as_json(report: BatchReport, dry_run: bool) -> dict[str, object]:
    """The machine-readable result of a batch."""
    return {
        "dry_run": dry_run,
        "processed": [i.as_dict() for i in report.of(Outcome.PROCESSED)],
        "planned": [i.as_dict() for i in report.of(Outcome.PLANNED)],
        "skipped": [i.as_dict() for i in report.of(Outcome.SKIPPED)],
        "failed": [i.as_dict() for i in report.of(Outcome.FAILED)],
        "types": report.type_counts(),
        "recovered": report.recovered,
    }


# The fields whose UNK a person should be told about: they decide where an ad runs.
WARN_UNKNOWN = ("category", "rating")


def unknown_by_folder(report: BatchReport, folder_of: dict[str, str]) -> dict[str, list[str]]:
    """Folder key -> the fields of WARN_UNKNOWN that fell back to UNK for some file in it."""
    found: dict[str, dict[str, None]] = {}
    for item in report.items:
        for note in item.notes:
            if not note.startswith("unknown:"):
                continue
            names = note.removeprefix("unknown:").split("(")[0]
            missing = [n.strip() for n in names.split(",") if n.strip() in WARN_UNKNOWN]
            if missing:
                folder = folder_of.get(item.source, "")
                found.setdefault(folder, {}).update(dict.fromkeys(missing))
    return {folder: list(fields) for folder, fields in found.items()}


def warn_unknown(unknown: dict[str, list[str]], ws: Workspace) -> None:
    """One line per folder whose files got UNK for a field that matters, and how to set it."""
    csv_path = ws.folder_defaults_csv.relative_to(ws.root)
    for folder, fields in unknown.items():
        where = f"inbox/{folder}" if folder else "inbox"
        flags = "/".join(f"--{f}" for f in fields)
        pronoun = "it" if len(fields) == 1 else "them"
        err_console.print(
            f"note: {where}: {' and '.join(fields)} unknown, named UNK; set {pronoun} for this "
            f"folder in {csv_path} (folder_path {folder or '(empty)'!s}) or pass {flags}",
            markup=False,
            soft_wrap=True,
        )

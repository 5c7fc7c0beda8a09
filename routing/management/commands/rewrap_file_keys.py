"""Re-wrap every stored file's data key under the current master key (the first of
DSAR_FILE_KEYS), after a new key was put first. The files' content is not re-encrypted."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from routing.services.files import file_keys_rewrap


class Command(BaseCommand):
    help = (
        "Re-wrap the data key of every file not yet under the current master key (the first "
        "entry of DSAR_FILE_KEYS). Run it after putting a new key first; remove an old key "
        "from DSAR_FILE_KEYS only once this reports no file left under it. Idempotent."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count the files to re-wrap, change nothing"
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="files per transaction (default 500)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size: give at least 1.", returncode=2)
        result = file_keys_rewrap(batch_size=options["batch_size"], dry_run=options["dry_run"])
        verb = "Would re-wrap" if options["dry_run"] else "Re-wrapped"
        self.stdout.write(
            f"{verb} {result.rewrapped} file key(s) under master key {result.current_key_id!r}; "
            f"{result.already_current} already under it."
        )
        for key_id, count in sorted(result.missing_keys.items()):
            self.stderr.write(
                f"{count} file(s) under master key {key_id!r}, which DSAR_FILE_KEYS does not "
                "hold: add it back (after the current key) and run this again."
            )
        if result.damaged:
            ids = ", ".join(str(pk) for pk in result.damaged[:20])
            self.stderr.write(
                f"{len(result.damaged)} file(s) whose wrapped key does not open with its "
                f"master key (ids {ids}{', ...' if len(result.damaged) > 20 else ''})."
            )
        if result.failed:
            raise CommandError(f"{result.failed} file key(s) could not be re-wrapped.")

"""Master key rotation: every live file's data key re-wrapped under the current master
key. The stored objects are not touched; only the rows' 61-byte wrapped keys change."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from routing.files.crypto import KeyUnwrapError, unwrap_data_key, wrap_data_key
from routing.models import RequestFile
from routing.services.files.config import file_keyring


@dataclass
class RewrapResult:
    current_key_id: str
    rewrapped: int = 0
    already_current: int = 0
    # Files under a key id DSAR_FILE_KEYS does not hold, by key id.
    missing_keys: Counter[str] = field(default_factory=Counter)
    # Files whose wrapped key does not open with the key of its id.
    damaged: list[int] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(self.missing_keys.values()) + len(self.damaged)


def file_keys_rewrap(*, batch_size: int = 500, dry_run: bool = False) -> RewrapResult:
    keyring = file_keyring()
    current = keyring.current
    live = RequestFile.objects.filter(deleted_at=None)
    result = RewrapResult(current.id, already_current=live.filter(key_id=current.id).count())
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                live.exclude(key_id=current.id)
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .select_for_update()
                .only("pk", "key_id", "wrapped_key")[:batch_size]
            )
            if not batch:
                return result
            last_pk = batch[-1].pk
            changed = []
            for row in batch:
                master = keyring.get(row.key_id)
                if master is None:
                    result.missing_keys[row.key_id] += 1
                    continue
                try:
                    data_key = unwrap_data_key(master, bytes(row.wrapped_key))
                except KeyUnwrapError:
                    result.damaged.append(row.pk)
                    continue
                row.key_id = current.id
                row.wrapped_key = wrap_data_key(current, data_key)
                changed.append(row)
            if not dry_run:
                RequestFile.objects.bulk_update(changed, ["key_id", "wrapped_key"])
            result.rewrapped += len(changed)

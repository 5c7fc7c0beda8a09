"""The audit trail in words: one sentence per event, for staff.

Each event type has its own writer, reading only the keys its service stores in
``Event.data``; a key that is missing (an older row, a purged one) leaves its words out
rather than failing, because the trail must always be readable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from routing.clock import REGIMES
from routing.domain.denials import DENIAL_GROUNDS
from routing.models import Channel, Event, EventType, WaitingFor
from routing.presenters.formats import format_date

Data = Mapping[str, Any]


def _words(value: object) -> str:
    return str(value).replace("_", " ")


def _listed(values: Iterable[object]) -> str:
    items = [_words(v) for v in values if v]
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _choice(choices: Any, value: object) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return _words(value)


def _regime(key: object) -> str:
    regime = REGIMES.get(str(key))
    return regime.short_name if regime else _words(key)


def _sentence(*parts: str) -> str:
    """Join the non-empty parts, each ending with a full stop."""
    done = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        done.append(part if part[-1] in ".!?" else part + ".")
    return " ".join(done)


def _quoted(label: str, text: object) -> str:
    return f"{label}: “{text}”" if text else ""


def _due(data: Data) -> str:
    due = data.get("effective_due_on") or data.get("due_on")
    return f"Due {format_date(due)}" if due else ""


def _kinds_part(data: Data) -> str:
    kinds = data.get("kinds")
    return f"For {_listed(kinds)} only" if kinds else ""


def _route(data: Data) -> str:
    scope = data.get("scope")
    return f"The route for {scope}" if scope else "A route"


def _received(data: Data) -> str:
    channel = data.get("channel")
    by = f" by {_choice(Channel, channel)}" if channel else ""
    kinds = data.get("kinds") or []
    asking = f", asking for {_listed(kinds)}" if kinds else ""
    regime = f", under {_regime(data['regime'])}" if data.get("regime") else ""
    routes = data.get("routes") or []
    planned = ""
    if routes:
        planned = "Routes planned: " + _listed(
            f"{r.get('scope')} ({r.get('action')})" for r in routes if isinstance(r, dict)
        )
    status = data.get("status")
    state = f"Status: {_words(status)}" if status else ""
    return _sentence(f"Received{by}{asking}{regime}", planned, state)


def _verified(data: Data) -> str:
    method = data.get("method")
    how = f" ({_words(method)})" if method else ""
    days = data.get("paused_days") or 0
    waited = (
        f"The {days} day{'s' if days != 1 else ''} waiting for it count as paused" if days else ""
    )
    return _sentence(f"Verified{how}", waited, _due(data))


def _assigned(data: Data) -> str:
    assignee, previous = data.get("assignee"), data.get("previous")
    was = f" (was {previous})" if previous else ""
    if assignee:
        return _sentence(f"Assigned to {assignee}{was}")
    return _sentence(f"Unassigned{was}")


def _paused(data: Data) -> str:
    waiting = data.get("waiting_for")
    what = f", waiting for {_choice(WaitingFor, waiting)}" if waiting else ""
    return _sentence(f"Clock paused{what}", _quoted("The subject was asked", data.get("reason")))


def _resumed(data: Data) -> str:
    days = data.get("paused_days")
    after = f" after {days} day{'s' if days != 1 else ''} paused" if days is not None else ""
    restarted = data.get("restarted_on")
    restart = (
        f"The proof of identity restarted the clock on {format_date(restarted)}"
        if restarted
        else ""
    )
    return _sentence(
        f"Clock resumed{after}", restart, _due(data), _quoted("Note", data.get("note"))
    )


def _extended(data: Data) -> str:
    due = data.get("effective_due_on")
    to = f" to {format_date(due)}" if due else ""
    return _sentence(
        f"Deadline extended{to}", _kinds_part(data), _quoted("Reasons", data.get("reason"))
    )


def _regime_overridden(data: Data) -> str:
    previous, regime = data.get("previous"), data.get("regime")
    was = f" from {_regime(previous)}" if previous else ""
    to = f" to {_regime(regime)}" if regime else ""
    return _sentence(
        f"Regime changed{was}{to}",
        _quoted("Why", data.get("reason")),
    )


def _completed(data: Data) -> str:
    return _sentence("Completed", _kinds_part(data), _quoted("Note", data.get("note")))


def _denied(data: Data) -> str:
    ground = DENIAL_GROUNDS.get(str(data.get("ground")))
    label = ground.label if ground else _words(data.get("ground") or "")
    on = f" on the ground “{label}”" if label else ""
    return _sentence(f"Refused{on}", _quoted("Note", data.get("note")))


def _withdrawn(data: Data) -> str:
    return _sentence("Withdrawn by the subject", _quoted("Note", data.get("note")))


def _marked_duplicate(data: Data) -> str:
    of = data.get("of")
    return _sentence(f"Closed as a duplicate of {of}" if of else "Closed as a duplicate")


def _duplicate_suspected(data: Data) -> str:
    of = data.get("of")
    return _sentence(f"Possibly a duplicate of {of}" if of else "Possibly a duplicate")


def _purged(data: Data) -> str:
    days = data.get("retention_days")
    after = f", {days} days after it closed" if days else ""
    return _sentence(f"The subject's personal data was purged{after}")


def _routes_planned(data: Data) -> str:
    routes = data.get("routes") or []
    return _sentence(
        f"Routes planned again: {_listed(routes)}" if routes else "Routes planned again"
    )


def _route_sent(data: Data) -> str:
    if data.get("forwarded"):
        return _sentence(f"{_route(data)} was forwarded to its customer")
    return _sentence(f"{_route(data)} was marked sent")


def _route_customer_set(data: Data) -> str:
    customer = data.get("customer")
    scope = data.get("scope")
    of = f" of the route for {scope}" if scope else ""
    return _sentence(
        f"The customer{of} was set to {customer}" if customer else f"The customer{of} was set"
    )


def _route_followed_up(data: Data) -> str:
    scope = data.get("scope")
    about = f" about {scope}" if scope else ""
    return _sentence(f"The customer was reminded{about}, having not acknowledged the forward")


def _deadline(label: str) -> Callable[[Data], str]:
    def write(data: Data) -> str:
        due = data.get("due_on")
        days = data.get("days_left")
        left = ""
        if isinstance(days, int):
            left = f"{-days} days overdue" if days < 0 else f"{days} days left"
        on = f" (due {format_date(due)}{', ' + left if left else ''})" if due else ""
        return _sentence(f"{label}{on}")

    return write


def _staff_task(data: Data) -> str:
    return _sentence(f"Task for staff: {data['task']}" if data.get("task") else "Task for staff")


def _email_failed(data: Data) -> str:
    template = data.get("template")
    which = f" ({_words(template)})" if template else ""
    attempts = data.get("attempts")
    tries = f" after {attempts} attempts" if attempts else ""
    return _sentence(f"An email{which} could not be sent{tries}", str(data.get("task") or ""))


def _recipients_notified(data: Data) -> str:
    names = data.get("recipients")
    listed = ", ".join(str(n) for n in names) if isinstance(names, list) and names else ""
    kinds = data.get("kinds")
    of = f" of the {', '.join(str(k) for k in kinds)}" if isinstance(kinds, list) and kinds else ""
    return _sentence(
        f"Recipients of the data were notified{of}: {listed}"
        if listed
        else "Recipients of the data were notified"
    )


def _recipient(done: str) -> Callable[[Data], str]:
    return lambda data: _sentence(f"{data.get('recipient') or 'A recipient'} {done}")


def _fixed(text: str) -> Callable[[Data], str]:
    return lambda data: text


SENTENCES: dict[str, Callable[[Data], str]] = {
    EventType.RECEIVED: _received,
    EventType.GPC_SIGNAL: _fixed(
        "The browser sent a Global Privacy Control signal (Sec-GPC: 1), itself a valid opt-out "
        "of sale under the CCPA."
    ),
    EventType.DUPLICATE_SUSPECTED: _duplicate_suspected,
    EventType.VERIFIED: _verified,
    EventType.ASSIGNED: _assigned,
    EventType.PAUSED: _paused,
    EventType.RESUMED: _resumed,
    EventType.EXTENDED: _extended,
    EventType.REGIME_OVERRIDDEN: _regime_overridden,
    EventType.COMPLETED: _completed,
    EventType.DENIED: _denied,
    EventType.WITHDRAWN: _withdrawn,
    EventType.MARKED_DUPLICATE: _marked_duplicate,
    EventType.EXPIRED: _fixed(
        "Expired: the subject never confirmed their address, so their personal data was erased."
    ),
    EventType.PURGED: _purged,
    EventType.NOTE: lambda data: _quoted("Note", data.get("text")) or "Note.",
    EventType.ROUTES_PLANNED: _routes_planned,
    EventType.ROUTE_SENT: _route_sent,
    EventType.ROUTE_ACKNOWLEDGED: lambda data: _sentence(f"{_route(data)} was acknowledged"),
    EventType.ROUTE_DONE: lambda data: _sentence(f"{_route(data)} was marked done"),
    EventType.ROUTE_NOT_APPLICABLE: lambda data: _sentence(
        f"{_route(data)} was marked not applicable"
    ),
    EventType.ROUTE_CUSTOMER_SET: _route_customer_set,
    EventType.ROUTE_FOLLOWED_UP: _route_followed_up,
    EventType.RECIPIENTS_NOTIFIED: _recipients_notified,
    EventType.RECIPIENT_ACKNOWLEDGED: _recipient("acknowledged the notice"),
    EventType.RECIPIENT_TOLD_BY_STAFF: _recipient("was told by staff"),
    EventType.RECIPIENT_FOLLOWED_UP: _recipient("was reminded of the notice"),
    EventType.REMINDER_DUE: _fixed("Staff were reminded of the due date."),
    EventType.DIGEST_DUE: _fixed("The daily digest listed this request."),
    EventType.DUE_SOON: _deadline("Due soon"),
    EventType.OVERDUE: _deadline("Overdue"),
    EventType.STAFF_TASK: _staff_task,
    EventType.EMAIL_FAILED: _email_failed,
    EventType.FILE_ADDED: _fixed("A file was added."),
    EventType.FILE_DELETED: _fixed("A file was deleted."),
    EventType.FILE_VIEWED: _fixed("Staff viewed a proof of identity."),
    EventType.ANSWER_READY: _fixed("The subject was told the answer is ready to download."),
    EventType.DOWNLOAD_CODE_SENT: _fixed("A download code was sent to the subject."),
    EventType.FILE_DOWNLOADED: _fixed("The subject downloaded a file."),
    EventType.DOWNLOADS_EXPIRED: _fixed("Downloads closed and the files were deleted."),
    EventType.DOWNLOADS_REOPENED: _fixed("Staff reopened the downloads."),
}


def event_sentence(event: Event) -> str:
    """What happened, as staff read it in the timeline."""
    data = event.data if isinstance(event.data, dict) else {}
    write = SENTENCES.get(event.type)
    if write is None:
        # A type this table does not know yet still reads as words, never as a dict.
        return _sentence(_words(event.type).capitalize())
    return write(data)

"""Reads of the API, each scoped to the organisations an integration may see."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from routing.clock import ClockInput, Deadlines, compute_deadlines
from routing.identifiers import InvalidIdentifier
from routing.models import Customer, Event, Organisation, Request, RequestPart, Route, Scope
from routing.planning import Plan, PlanningError
from routing.selectors.deadlines import clock_input_for
from routing.selectors.planning import plan_for
from routing.selectors.registry import DatabaseRegistry

# --- requests ----------------------------------------------------------------------------


def visible_requests(organisation_ids: Collection[int]) -> QuerySet[Request]:
    """What a list row shows, in the one query that reads the page.

    Of the assignee and the related requests only one column each is shown: joined as
    annotations rather than whole rows, which Django would otherwise build per row.
    """
    return (
        Request.objects.filter(organisation_id__in=organisation_ids)
        .select_related("organisation")
        .annotate(
            assignee_username=F("assignee__username"),
            possible_duplicate_reference=F("possible_duplicate_of__reference"),
            duplicate_reference=F("duplicate_of__reference"),
        )
    )


def as_visible(
    request: Request, routes: Sequence[Route], parts: Sequence[RequestPart] = ()
) -> Request:
    """A request just written, given what ``visible_request_details`` would have read with
    it (its annotations and routes), so it is shown without being read back."""
    request.assignee_username = request.assignee.username if request.assignee else None  # type: ignore[attr-defined]
    request.possible_duplicate_reference = (  # type: ignore[attr-defined]
        request.possible_duplicate_of.reference if request.possible_duplicate_of else None
    )
    request.duplicate_reference = (  # type: ignore[attr-defined]
        request.duplicate_of.reference if request.duplicate_of else None
    )
    request._prefetched_objects_cache = {  # type: ignore[attr-defined]
        "routes": list(routes),
        "parts": list(parts),
    }
    return request


def visible_request_details(organisation_ids: Collection[int]) -> QuerySet[Request]:
    return visible_requests(organisation_ids).prefetch_related(
        Prefetch("routes", queryset=Route.objects.select_related("scope").order_by("position")),
        Prefetch("parts", queryset=RequestPart.objects.order_by("position")),
    )


def visible_organisations(organisation_ids: Collection[int]) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=organisation_ids).order_by("slug")


def visible_scopes(organisation_ids: Collection[int]) -> QuerySet[Scope]:
    return (
        Scope.objects.filter(organisation_id__in=organisation_ids)
        .select_related("organisation", "third_party")
        .order_by("organisation__slug", "position", "key")
    )


def visible_customers(organisation_ids: Collection[int]) -> QuerySet[Customer]:
    return (
        Customer.objects.filter(organisation_id__in=organisation_ids)
        .select_related("organisation")
        .prefetch_related("identifiers")
    )


# --- the events feed ---------------------------------------------------------------------

# Events are listed only once this old. An event's created_at is taken just before its
# row is inserted, and its transaction commits within milliseconds; waiting this long
# means every event at or before the cutoff has committed, so a cursor that moved past
# a point never skips an event that commits later with an earlier (created_at, id).
EVENTS_SAFETY_LAG = timedelta(seconds=5)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class EventCursor:
    """A position in the feed: the last event seen, as (created_at, id)."""

    created_at: datetime
    id: int

    def encode(self) -> str:
        return f"{(self.created_at - _EPOCH) // _MICROSECOND}-{self.id}"

    @classmethod
    def decode(cls, text: str) -> EventCursor:
        """Raises ValueError for anything but a cursor this API gave out."""
        micros, separator, ident = text.partition("-")
        if not separator or not micros.isdigit() or not ident.isdigit():
            raise ValueError(text)
        value, number = int(micros), int(ident)
        if len(micros) > 17 or number > 2**63 - 1:
            raise ValueError(text)
        return cls(_EPOCH + timedelta(microseconds=value), number)

    @classmethod
    def of(cls, event: Event) -> EventCursor:
        return cls(event.created_at, event.pk)


@dataclass(frozen=True)
class EventPage:
    events: list[Event]
    cursor: EventCursor | None
    has_more: bool


def events_after(
    *,
    organisation_ids: Collection[int],
    after: EventCursor | None,
    limit: int,
    now: datetime | None = None,
) -> EventPage:
    """Events of visible requests after ``after``, oldest first, up to the safety lag."""
    cutoff = (now or timezone.now()) - EVENTS_SAFETY_LAG
    events = Event.objects.filter(
        request__organisation_id__in=organisation_ids, created_at__lte=cutoff
    )
    if after is not None:
        events = events.filter(
            Q(created_at__gt=after.created_at) | Q(created_at=after.created_at, pk__gt=after.id)
        )
    rows = list(
        events.select_related("request__organisation").order_by("created_at", "id")[: limit + 1]
    )
    page = rows[:limit]
    cursor = EventCursor.of(page[-1]) if page else after
    return EventPage(events=page, cursor=cursor, has_more=len(rows) > limit)


# --- the planner and the clock, as the plan_route and deadline commands run them ----------


class VisibleRegistry(DatabaseRegistry):
    """The database registry seen by an integration: another tenant's scope is unknown
    rather than named with its owner."""

    def scope_owner(self, scope_key: str) -> str | None:
        owner = super().scope_owner(scope_key)
        if self._only is not None and owner not in self._only:
            return None
        return owner


def planning_error(error: PlanningError | InvalidIdentifier) -> ValidationError:
    """The planner's error keyed by the API's field names, worded as plan_route words it."""
    field = {"kind": "kinds", "scope": "scopes"}.get(error.field, error.field)
    message = error.message
    if isinstance(error, PlanningError) and error.valid:
        message += f" (valid: {', '.join(error.valid)})"
    return ValidationError({field: ValidationError(message, code="invalid")})


def plan_preview(
    *,
    organisation_slugs: Sequence[str],
    organisation: str,
    kinds: Sequence[str],
    scopes: Sequence[str] | None,
    identifiers: Mapping[str, str | None],
) -> Plan:
    """plan_route's plan; raises ValidationError keyed by field."""
    try:
        return plan_for(
            VisibleRegistry(organisation_slugs),
            organisation=organisation,
            kinds=kinds,
            scopes=scopes or None,
            raw_identifiers=identifiers,
        )
    except (PlanningError, InvalidIdentifier) as error:
        raise planning_error(error) from None


# ClockInput's field names, as the query parameters that carry them.
_PARAMETER_FOR_FIELD = {
    "regime": "regime",
    "timezone": "timezone",
    "received_at": "received",
    "country": "country",
    "subdivision": "subdivision",
    "kind": "kind",
    "paused_days": "paused_days",
}


def deadlines_preview(
    *,
    organisation: Organisation | None,
    received_at: datetime,
    regime: str | None = None,
    timezone_name: str | None = None,
    country: str | None = None,
    subdivision: str | None = None,
    kind: str | None = None,
    paused_days: int = 0,
) -> Deadlines:
    """The deadline command's computation; raises ValidationError keyed by parameter."""
    try:
        if organisation is not None:
            clock = clock_input_for(
                organisation,
                received_at=received_at,
                regime=regime,
                kind=kind,
                paused_days=paused_days,
            )
        else:
            missing = {
                name: "required unless organisation is given"
                for name, value in (("regime", regime), ("timezone", timezone_name))
                if not value
            }
            if missing or regime is None or timezone_name is None:
                raise ValidationError(missing)
            clock = ClockInput(
                regime=regime,
                timezone=timezone_name,
                received_at=received_at,
                country=country,
                subdivision=subdivision,
                kind=kind,
                paused_days=paused_days,
            )
        return compute_deadlines(clock)
    except OverflowError:
        raise ValidationError({"received": "too far from today to compute"}) from None
    except ValueError as error:
        field, _, message = str(error).partition(": ")
        parameter = _PARAMETER_FOR_FIELD.get(field)
        if parameter is None:
            raise ValidationError(str(error)) from None
        raise ValidationError({parameter: message}) from None

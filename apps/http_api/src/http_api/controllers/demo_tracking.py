"""``GET /demo/tracking/{number}``: the demo tenant's "carrier API", served by the project itself.

Mounted only when the demo is seeded (``ITL_SEED_DEMO``), so the demo's ``track_shipment`` HTTP
tool works offline. Shipments are fake and deterministic: the same number always has the same
route, status and history (dates are relative to today, so an ETA is never in the past).
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, timedelta

import msgspec
from itl_core.errors import NotFound
from litestar import Controller, get
from litestar.params import FromPath

NUMBER = re.compile(r"ITL-\d{6}")
PORTS = (
    ("Shanghai", "CN"), ("Rotterdam", "NL"), ("Hamburg", "DE"), ("Singapore", "SG"),
    ("Los Angeles", "US"), ("Antwerp", "BE"), ("Felixstowe", "GB"), ("Valencia", "ES"),
    ("Busan", "KR"), ("Jebel Ali", "AE"), ("Santos", "BR"), ("Le Havre", "FR"),
)  # fmt: skip
STAGES = (
    ("booked", "Booking confirmed"),
    ("picked_up", "Picked up from shipper"),
    ("departed", "Departed port of loading"),
    ("in_transit", "In transit"),
    ("arrived", "Arrived at port of discharge"),
    ("customs", "Customs clearance in progress"),
    ("delivered", "Delivered to consignee"),
)


class TrackingEvent(msgspec.Struct, kw_only=True):
    date: date
    location: str
    description: str


class Shipment(msgspec.Struct, kw_only=True):
    number: str
    status: str
    location: str
    origin: str
    destination: str
    eta: date
    events: list[TrackingEvent]


def fake_shipment(number: str, today: date) -> Shipment:
    """The deterministic demo shipment ``number`` (already validated) as seen on ``today``."""
    # The salt is chosen so that the README's example, ITL-123456, is on the water.
    seed = hashlib.sha256(f"demo-12:{number}".encode()).digest()
    origin = PORTS[seed[0] % len(PORTS)]
    destination = PORTS[(seed[0] + 1 + seed[1] % (len(PORTS) - 1)) % len(PORTS)]
    stage = seed[2] % len(STAGES)
    start = today - timedelta(days=2 * stage + seed[3] % 3)
    route = [origin, origin, origin, origin, destination, destination, destination]
    events = [
        TrackingEvent(
            date=start + timedelta(days=2 * i),
            location="At sea" if STAGES[i][0] == "in_transit" else f"{route[i][0]}, {route[i][1]}",
            description=STAGES[i][1],
        )
        for i in range(stage + 1)
    ]
    eta = today if stage == len(STAGES) - 1 else today + timedelta(days=3 + seed[4] % 20)
    at_sea = f"At sea, bound for {destination[0]}, {destination[1]}"
    where = at_sea if STAGES[stage][0] == "in_transit" else events[-1].location
    return Shipment(
        number=number,
        status=STAGES[stage][0],
        location=where,
        origin=f"{origin[0]}, {origin[1]}",
        destination=f"{destination[0]}, {destination[1]}",
        eta=events[-1].date if stage == len(STAGES) - 1 else eta,
        events=events,
    )


class DemoTrackingController(Controller):
    path = "/demo/tracking"
    tags = ["demo"]

    # Not rate-limited: the demo's own tools call it, and it is no product route.
    @get("/{number:str}", operation_id="demoTrackShipment", opt={"rate_class": None})
    async def track(self, number: FromPath[str]) -> Shipment:
        """A fake shipment for numbers like ``ITL-123456``; 404 for anything else."""
        number = number.strip().upper()
        if not NUMBER.fullmatch(number):
            raise NotFound("Tracking numbers look like ITL-123456.")
        return fake_shipment(number, datetime.now(UTC).date())

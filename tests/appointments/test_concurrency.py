"""Done when: 20 concurrent bookings of the last free slot: exactly one succeeds, the others get a clear message.

Real threads, each with its own database connection, all released by a barrier at the same moment.
"""

import threading
import time
from collections import Counter
from datetime import date

import pytest
from django.db import OperationalError, connection, connections

from antwoord.appointments.models import Booking, OccupiedSlot, ServicePoint
from antwoord.appointments.services import TAKEN_MESSAGE, SlotTakenError, free_slots
from antwoord.catalogue.models import Offering
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation

from .conftest import at, book_as_resident, make_offering, make_point

THREADS = 20


def book_with_lock_retry(point: ServicePoint, offering: Offering, day: date, number: int) -> str:
    """One resident's attempt. SQLite's in-memory test database shares one cache between connections,
    where a writer that has to wait gets "table is locked" at once instead of waiting out the busy
    timeout (a file database, as in production, waits). Like a browser retrying, try again then."""
    for _ in range(500):
        try:
            book_as_resident(point, offering, at(day, 9, 45), email=f"inwoner{number}@example.nl")
        except SlotTakenError as error:
            return error.message
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.01)
            continue
        return "geboekt"
    return "opgegeven"


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_bookings_of_the_last_free_slot(den_haag: Organisation, day: date) -> None:
    point = make_point(den_haag, hours=("09:00", "10:00"))
    offering = make_offering(den_haag, minutes=15)
    for minute in (0, 15, 30):
        book_as_resident(point, offering, at(day, 9, minute))
    assert [s.starts_at for s in free_slots(point, offering, day, 1)] == [at(day, 9, 45)]

    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    failures: list[BaseException] = []

    def resident(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            results.append(book_with_lock_retry(point, offering, day, number))
        except BaseException as error:  # reported below; a thread must not die silently
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=resident, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    assert Counter(results) == {"geboekt": 1, TAKEN_MESSAGE: THREADS - 1}
    assert Booking.objects.filter(starts_at=at(day, 9, 45)).count() == 1
    assert Booking.objects.count() == 4 and OccupiedSlot.objects.count() == 4
    assert OutgoingMail.objects.count() == 4  # no confirmation for a booking that was rolled back
    assert free_slots(point, offering, day, 1) == []

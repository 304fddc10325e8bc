"""The front desk's records: appointments (appointments.py) and the queue at a service point (queue.py: tickets,
window postings, hall displays, the window and clerk that took a matter in)."""

from .appointments import (
    WORKING_WEEKDAYS,
    Appointment,
    AppointmentEvent,
    AppointmentQuerySet,
    RemoteVisit,
    Schedule,
    ScheduleException,
    ScheduleQuerySet,
    Slot,
    SlotQuerySet,
    WeeklyRule,
)
from .kiosk import KioskLookup, UploadHandoff
from .queue import HallDisplay, MatterDesk, Posting, Service, Ticket, TicketEvent
from .suggestions import Suggestion
from .visits import HomeVisit

__all__ = [
    "WORKING_WEEKDAYS",
    "Appointment",
    "AppointmentEvent",
    "AppointmentQuerySet",
    "HallDisplay",
    "HomeVisit",
    "KioskLookup",
    "MatterDesk",
    "Posting",
    "RemoteVisit",
    "Schedule",
    "ScheduleException",
    "ScheduleQuerySet",
    "Service",
    "Slot",
    "SlotQuerySet",
    "Suggestion",
    "Ticket",
    "TicketEvent",
    "UploadHandoff",
    "WeeklyRule",
]

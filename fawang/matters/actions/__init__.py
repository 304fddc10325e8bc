"""The only writers of Matter state. Views, the API, the hotline webhook, the admin and workers all call these.

Each action is one transaction: lock the row (``select_for_update``), check the move against its row of
``Matter.MOVES`` (``check_transition``; ``InvalidTransition``, a ValidationError with a Chinese message), check the actor's
role (``PermissionDenied``), change the row, write a MatterEvent, and queue the messages the person and staff
must get (notices.py, in the same transaction: a transactional outbox).

Actors: a staff ``User`` (checked against fawang.orgs.roles capabilities over the matter's current unit), a
member of the public acting on their own matter (supply materials, withdraw, comment, rate, complain), or
``None`` for the system itself (deadline worker, scheduled jobs, an API client already authenticated by
its token). Views fetch matters through ``access.get_matter_for_user`` first; actions take ids.

Errors: ``ValidationError`` for bad input (messages in Chinese; about the person's fields, a dict keyed by
``name``/``phone``/``id_number``/``special_groups``), ``InvalidTransition`` for a move the status does not
allow, ``PermissionDenied`` for a role that may not act, ``routing.NoRoute`` when no unit can be found.

The actions live in submodules by theme (intake, workflow, feedback, personal_data, topic); a
line's own actions live in its app (fawang.consult: do_resolve, the legal basis); import them from here:
``from fawang.matters.actions import do_accept``.
"""

from __future__ import annotations

from ..workflow import InvalidTransition
from .base import HANDLER_ROLES, ONLINE_CHANNELS, check_transition
from .feedback import (
    do_complete_callback,
    do_complete_rectification,
    do_rate,
    invite_ratings,
    sample_callbacks,
    sampled_for_callback,
)
from .handover import do_hand_over, do_record_outside_outcome, do_record_outside_ticket, outside_hotlines
from .intake import MatterRequest, PersonData, SubmitResult, do_complain, do_split, do_submit, resolve_person
from .personal_data import do_link_account, log_access, reveal_person
from .persons import account_person, do_claim_person, do_merge_persons
from .topic import do_correct_topic
from .workflow import (
    add_attachment,
    do_accept,
    do_assign,
    do_change_item,
    do_close,
    do_comment,
    do_complete,
    do_escalate,
    do_merge,
    do_reject,
    do_reopen,
    do_request_materials,
    do_resume,
    do_supply_materials,
    do_suspend,
    do_transfer,
    do_withdraw,
    withdraw_if_never_supplied,
)

__all__ = [
    "HANDLER_ROLES",
    "ONLINE_CHANNELS",
    "InvalidTransition",
    "MatterRequest",
    "PersonData",
    "SubmitResult",
    "account_person",
    "add_attachment",
    "check_transition",
    "do_accept",
    "do_assign",
    "do_change_item",
    "do_claim_person",
    "do_close",
    "do_comment",
    "do_complain",
    "do_complete",
    "do_complete_callback",
    "do_complete_rectification",
    "do_correct_topic",
    "do_escalate",
    "do_hand_over",
    "do_link_account",
    "do_merge",
    "do_merge_persons",
    "do_rate",
    "do_record_outside_outcome",
    "do_record_outside_ticket",
    "do_reject",
    "do_reopen",
    "do_request_materials",
    "do_resume",
    "do_split",
    "do_submit",
    "do_supply_materials",
    "do_suspend",
    "do_transfer",
    "do_withdraw",
    "invite_ratings",
    "log_access",
    "outside_hotlines",
    "resolve_person",
    "reveal_person",
    "sample_callbacks",
    "sampled_for_callback",
    "withdraw_if_never_supplied",
]

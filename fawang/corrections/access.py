"""Who sees a correction file, and who may do what with it (docs/authority.md, with this line's narrower rule).

- A file is seen through a membership whose role holds ``corrections.view`` (社区矫正工作人员, and the
  supervisors of a 司法局) and whose unit reaches the responsible 司法所: the 司法所's own corrections staff, and
  those of the 司法局 above it. Other staff of a unit that reaches the 司法所 get 403 (the role decides); staff
  whose units do not reach it get 404, as for anything not seen.
- A minor's file (第七章: identity protected, records sealed) is seen only by 社区矫正工作人员 whose unit reaches
  the 司法所: not by supervisors, system administrators or anyone else, who get 404 as if it did not exist.
- Decisions the law gives to the 社区矫正机构 (the county 司法局: electronic monitoring, leave over seven days,
  警告 and the 提请, ending a correction) need a membership at a 司法局 that reaches the 司法所.
- A visit photo is seen exactly as its file is (get_photo_for_user); each showing goes to the file's view log.
- A change of the place of execution (变更执行地) approved here is received by the 社区矫正机构 of the new place: until
  then it sees only a summary (file number, masked name — none for a minor — type, term, where from); once received,
  the file answers to the new 司法所 and the old place's staff get 404 like anyone it does not reach.
Nothing of a file is ever on a public page; the person sees only their own check-in page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from fawang.orgs import authority
from fawang.orgs.models import Membership, Unit
from fawang.orgs.roles import CAPABILITIES, has_capability
from fawang.orgs.scoping import active_memberships

from .models import Leave, Subject, SupervisionItem, Task, VisitPhoto

if TYPE_CHECKING:
    from fawang.accounts.models import User

VIEW = "corrections.view"
SUPERVISE = "corrections.supervise"
APPROVE = "corrections.approve"
MINOR_ROLES = frozenset({Membership.Role.CORRECTIONS_OFFICER})
DENIED = "您的岗位无权执行此操作。"


def _memberships(user: Any, roles: frozenset[str]) -> list[Membership]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return [m for m in active_memberships(user) if m.role in roles]


def files_filter(user: Any) -> Q:
    """Q on Subject for the files the user sees (one query): by role and reach, minors only for 社区矫正工作人员."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    q = Q(pk__in=[])
    for m in _memberships(user, CAPABILITIES[VIEW]):
        reach = authority.membership_reach(m).unit_ids_q("office_id")
        q |= reach if m.role in MINOR_ROLES else reach & Q(is_minor=False)
    if user.is_superuser:
        q |= Q(is_minor=False)
    return q


def visible_subjects(user: Any) -> Any:
    return Subject.objects.filter(files_filter(user))


def may_see_minor(user: Any, subject: Subject) -> bool:
    return any(authority.membership_reaches(m, subject.office) for m in _memberships(user, MINOR_ROLES))


def get_subject_for_user(user: User, pk: int) -> Subject:
    """The file, or 404 when it does not exist, lies outside the user's units or is a minor's the user may not
    see; 403 when the user's unit reaches it but their role is not corrections work."""
    subject = (
        Subject.objects.filter(authority.unit_ids_filter(user, "office_id"), pk=pk)
        .select_related("office", "bureau", "user")
        .first()
    )
    if subject is None or (subject.is_minor and not may_see_minor(user, subject)):
        raise Http404
    if not has_capability(user, VIEW, subject.office):
        raise PermissionDenied(DENIED)
    return subject


def may_supervise(user: Any, subject: Subject) -> bool:
    return has_capability(user, SUPERVISE, subject.office)


def require_supervise(user: Any, subject: Subject) -> None:
    if not may_supervise(user, subject):
        raise PermissionDenied(DENIED)


def may_approve(user: Any, office: Unit) -> bool:
    """A decision of the 社区矫正机构: a membership at a 司法局 reaching the 司法所, with a role that approves."""
    if getattr(user, "is_superuser", False):
        return True
    return any(
        authority.group_of(m.unit.kind) == "bureau" and authority.membership_reaches(m, office)
        for m in _memberships(user, CAPABILITIES[APPROVE])
    )


def require_approve(user: Any, office: Unit) -> None:
    if not may_approve(user, office):
        raise PermissionDenied(_("该事项须由县级社区矫正机构（司法局）批准或决定。"))


def get_item_for_user(user: User, pk: int) -> SupervisionItem:
    item = SupervisionItem.objects.filter(pk=pk).select_related("subject").first()
    if item is None:
        raise Http404
    get_subject_for_user(user, item.subject_id)
    return item


def get_leave_for_user(user: User, pk: int) -> Leave:
    leave = Leave.objects.filter(pk=pk).select_related("subject__office").first()
    if leave is None:
        raise Http404
    get_subject_for_user(user, leave.subject_id)
    return leave


def get_task_for_user(user: User, pk: int) -> Task:
    task = Task.objects.filter(pk=pk).select_related("subject__office").first()
    if task is None:
        raise Http404
    get_subject_for_user(user, task.subject_id)
    return task


def offices_for_takeover(user: Any) -> Any:
    """The 司法所 a user may take a new file over for: those where their role holds corrections.supervise."""
    offices = Unit.objects.filter(kind=Unit.Kind.JUDICIAL_OFFICE, is_active=True)
    if getattr(user, "is_superuser", False):
        return offices.order_by("region_id")
    q = Q(pk__in=[])
    for m in _memberships(user, CAPABILITIES[SUPERVISE]):
        q |= authority.membership_reach(m).units_q()
    return offices.filter(q).order_by("region_id")


def get_photo_for_user(user: User, pk: int) -> VisitPhoto:
    """A visit photo, through its file: the same 404/403 as the file itself (minors' included)."""
    photo = VisitPhoto.objects.filter(pk=pk).select_related("item").first()
    if photo is None:
        raise Http404
    get_subject_for_user(user, photo.item.subject_id)
    return photo


def incoming_relocations(user: Any) -> Any:
    """Approved changes of the place of execution waiting for the user's 社区矫正机构 to receive them: the new
    place sees only this summary (file number, masked name, type, term, where from) until it receives the file."""
    q = Q(pk__in=[])
    for m in _memberships(user, CAPABILITIES[APPROVE]):
        if authority.group_of(m.unit.kind) == "bureau":
            q |= authority.membership_reach(m).unit_ids_q("to_office_id")
    if getattr(user, "is_superuser", False):
        q = Q()
    return (
        Leave.objects.filter(q, kind=Leave.Kind.RELOCATE, status=Leave.Status.APPROVED)
        .select_related("subject", "from_office", "to_office")
        .order_by("decided_at")
    )


def get_incoming_relocation_for_user(user: User, pk: int) -> Leave:
    """A change of place addressed to a 司法所 the user's unit reaches (else 404); receiving it is a decision of
    the 社区矫正机构 there (else 403)."""
    leave = (
        Leave.objects.filter(authority.unit_ids_filter(user, "to_office_id"), pk=pk, kind=Leave.Kind.RELOCATE)
        .select_related("subject", "to_office")
        .first()
    )
    if leave is None or leave.to_office is None:
        raise Http404
    require_approve(user, leave.to_office)
    return leave

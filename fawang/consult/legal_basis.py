"""法律依据 of a matter (MatterArticle rows): staff decisions on suggested articles, articles added by citation,
the 已复核 of an article whose law changed, and the law-change hook that flags them. Each writes an internal
MatterEvent. The rows stay in matters' table (``MatterArticle``): the person's page, the API and the notices read
the legal basis of any matter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fawang.knowledge.citations import CITATION_RE, resolve
from fawang.knowledge.models import Article
from fawang.matters.actions.base import event, lock, require
from fawang.matters.models import Matter, MatterArticle, MatterEvent
from fawang.matters.permissions import may
from fawang.matters.workflow import event_actor
from fawang.matters.workflow import now as _now

if TYPE_CHECKING:
    from fawang.accounts.models import User

# Who answers a question may choose its legal basis: handlers, and the front desk (hotline agents, window
# clerks) who answer consultations on the spot.
CITE_CAPABILITIES = ("matters.handle", "matters.intake")


def article_label(article: Article) -> str:
    return f"《{article.law.title}》{article.label}"


def _decide(
    matter: Matter, article: Article, *, actor: User | None, decision: str, source: str, now: dt.datetime
) -> MatterArticle:
    row, created = MatterArticle.objects.get_or_create(
        matter=matter,
        article=article,
        defaults={"source": source, "decision": decision, "decided_at": now},
    )
    if not created and row.decision == decision:
        raise ValidationError(
            _("%(article)s已是“%(decision)s”。")
            % {"article": article_label(article), "decision": MatterArticle.Decision(decision).label},
            code="unchanged",
        )
    old = "" if created else row.decision
    row.decision = decision
    row.decided_by = event_actor(actor)
    row.decided_at = now
    row.save(update_fields=["decision", "decided_by", "decided_at"])
    label = article_label(article)
    if source == MatterArticle.Source.ADDED and created:
        note = _("添加%(article)s") % {"article": label}
    elif decision == MatterArticle.Decision.ACCEPTED:
        note = _("采纳%(article)s") % {"article": label}
    else:
        note = _("不采纳%(article)s") % {"article": label}
    event(
        matter,
        MatterEvent.Action.LEGAL_BASIS,
        actor=actor,
        now=now,
        note=note,
        payload={"article": article.pk, "decision": decision, "old_decision": old, "source": row.source},
    )
    return row


@transaction.atomic
def do_decide_article(
    matter_id: int, article_id: int, *, actor: User | None, decision: str, now: dt.datetime | None = None
) -> MatterArticle:
    """采纳 or 不采纳 one suggested article for the matter's answer."""
    now = _now(now)
    if decision not in (MatterArticle.Decision.ACCEPTED, MatterArticle.Decision.REJECTED):
        raise ValidationError(_("请选择采纳或不采纳。"), code="bad_decision")
    matter = lock(matter_id)
    require(actor, CITE_CAPABILITIES, matter)
    article = Article.objects.select_related("law").filter(pk=article_id).first()
    if article is None:
        raise ValidationError(_("该法律条文不存在或已被删除。"), code="no_article")
    return _decide(
        matter, article, actor=actor, decision=decision, source=MatterArticle.Source.SUGGESTED, now=now
    )


@transaction.atomic
def do_review_article(
    matter_id: int, article_id: int, *, actor: User | None, now: dt.datetime | None = None
) -> MatterArticle:
    """已复核: staff checked that an article of the legal basis still applies after its law changed."""
    now = _now(now)
    matter = lock(matter_id)
    require(actor, CITE_CAPABILITIES, matter)
    row = (
        MatterArticle.objects.select_related("article__law")
        .filter(matter=matter, article_id=article_id, decision=MatterArticle.Decision.ACCEPTED)
        .first()
    )
    if row is None or not row.needs_review:
        raise ValidationError(_("该条文没有待复核的提示。"), code="not_flagged")
    row.needs_review = False
    row.save(update_fields=["needs_review"])
    event(
        matter,
        MatterEvent.Action.LEGAL_BASIS,
        actor=actor,
        now=now,
        note=_("已复核%(article)s：所引法规变更后仍然适用。") % {"article": article_label(row.article)},
        payload={"article": row.article_id, "reviewed": True},
    )
    return row


def flag_cited_answers(law_ids: Sequence[int]) -> int:
    """Law-change alert hook (registered in ConsultConfig.ready): flag the accepted articles of matters' legal
    basis that belong to laws a re-import marked 已修改 or 已废止; the number of matters flagged."""
    from fawang.knowledge.alerts import change_note
    from fawang.knowledge.models import Law

    laws = Law.objects.in_bulk(list(law_ids))
    rows = list(
        MatterArticle.objects.filter(
            article__law_id__in=list(laws), decision=MatterArticle.Decision.ACCEPTED
        ).values_list("pk", "matter_id", "article__law_id")
    )
    for pk, _matter_id, law_id in rows:
        MatterArticle.objects.filter(pk=pk).update(needs_review=True, review_note=change_note(laws[law_id]))
    return len({matter_id for _pk, matter_id, _law in rows})


def resolve_article(citation: str) -> Article:
    """The article a citation such as 《民法典》第一千零七十九条 names, or a ValidationError in Chinese."""
    text = " ".join((citation or "").split())
    if not text:
        raise ValidationError(_("请填写法律条文，例如：《民法典》第一千零七十九条。"), code="no_citation")
    m = CITATION_RE.search(text)
    if m is None or not m.group("label"):
        raise ValidationError(
            _("无法识别“%(text)s”：请按《法律名称》第某条的格式填写，例如：《民法典》第一千零七十九条。")
            % {"text": text[:60]},
            code="bad_citation",
        )
    found = resolve(m.group("title"), m.group("label"))
    if not isinstance(found, Article):
        raise ValidationError(
            _("法规库中没有找到%(cite)s，请核对法律名称和条号。") % {"cite": m.group(0)},
            code="unknown_citation",
        )
    return found


@transaction.atomic
def do_add_article(
    matter_id: int, citation: str, *, actor: User | None, now: dt.datetime | None = None
) -> MatterArticle:
    """Add an article to the matter's legal basis by its citation; it counts as accepted."""
    now = _now(now)
    article = resolve_article(citation)
    matter = lock(matter_id)
    require(actor, CITE_CAPABILITIES, matter)
    return _decide(
        matter,
        article,
        actor=actor,
        decision=MatterArticle.Decision.ACCEPTED,
        source=MatterArticle.Source.ADDED,
        now=now,
    )


def can_cite(user: User, matter: Matter) -> bool:
    """May choose the matter's 法律依据."""
    return may(user, CITE_CAPABILITIES, matter)

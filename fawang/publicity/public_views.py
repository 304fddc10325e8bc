"""Public pages of legal publicity (/publicity/, namespace ``publicity_public``): a town's sites, what its screens
and boards show today, upcoming and recent activities with their photos; the photos themselves; booking a talk
(signed-in members of the public) and the bookings one has made."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.accounts.models import User
from fawang.lib.errors import put_errors
from fawang.lib.files import stored_image
from fawang.regions.models import Region

from . import actions
from .forms import BookingForm
from .models import Activity, DisplayItem, Photo, Site, TalkBooking


def town(request: HttpRequest, code: str) -> HttpResponse:
    place = get_object_or_404(Region, code=code, level=Region.Level.TOWN)
    now = timezone.now()
    today = timezone.localdate()
    sites = list(
        Site.objects.filter(town=place, is_active=True).prefetch_related("photos").order_by("kind", "name")
    )
    showing = list(
        DisplayItem.objects.filter(
            site__town=place, site__is_active=True, starts_on__lte=today, ends_on__gte=today
        )
        .select_related("site")
        .order_by("site__name")
    )
    upcoming = list(
        Activity.objects.filter(town=place, status=Activity.Status.PLANNED, starts_at__gte=now).order_by(
            "starts_at"
        )[:10]
    )
    recent = list(
        Activity.objects.filter(town=place, status=Activity.Status.DONE)
        .prefetch_related("photos", "cases")
        .order_by("-starts_at")[:10]
    )
    return render(
        request,
        "publicity/public_town.html",
        {
            "town": place,
            "sites": sites,
            "showing": showing,
            "upcoming": upcoming,
            "recent": recent,
            "can_book": actions.office_of(place) is not None,
        },
    )


def photo(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(Photo.objects.select_related("site", "activity"), pk=pk)
    if item.site is not None and not item.site.is_active:
        raise Http404
    return stored_image(str(item.file.name), item.content_type, cache_control="public, max-age=86400")


def _public_user(request: HttpRequest) -> User | None:
    user = request.user
    if isinstance(user, User) and user.is_authenticated and user.kind == User.Kind.PUBLIC:
        return user
    return None


def book(request: HttpRequest, code: str) -> HttpResponse:
    place = get_object_or_404(Region, code=code, level=Region.Level.TOWN)
    if not request.user.is_authenticated:
        from django.urls import reverse

        return redirect_to_login(request.get_full_path(), reverse("me:login"))
    user = _public_user(request)
    if user is None:
        raise Http404  # staff book through the console
    form = BookingForm(request.POST or None, initial={"contact_name": user.display_name, "phone": user.phone})
    booking = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                booking = actions.book_talk(place.code, actions.BookingData(**form.cleaned_data), user=user)
            except ValidationError as error:
                put_errors(form, error)
            else:
                status = 200
    mine = list(TalkBooking.objects.filter(user=user).select_related("town").order_by("-created_at")[:10])
    return render(
        request,
        "publicity/public_book.html",
        {"town": place, "form": form, "booking": booking, "mine": mine, "title": _("预约普法讲座")},
        status=status,
    )

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .checks import today
from .models import CalendarDay
from .workdays import coverage_gaps


class YearFilter(admin.SimpleListFilter):
    title = gettext_lazy("年份")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(d.year), _("%(year)d 年") % {"year": d.year}) for d in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "name", "source", "note", "updated_at"]
    list_filter = [YearFilter, "kind", "source"]
    search_fields = ["name", "note"]
    date_hierarchy = "date"
    readonly_fields = ["source", "updated_at"]
    fields = ["date", "kind", "name", "note", "source", "updated_at"]
    list_per_page = 100

    @admin.display(description=gettext_lazy("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return obj.weekday_name

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: ModelForm[Any], change: bool) -> None:
        # Whatever an admin touches becomes manual, so re-seeding from the package never undoes it.
        obj.source = CalendarDay.Source.MANUAL
        super().save_model(request, obj, form, change)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        on = today()
        # Only on GET: a POST (bulk action) redirects to a GET that would show the same message again.
        for year in [] if request.method != "GET" else coverage_gaps([on.year, on.year + 1]):
            text = _(
                "%(year)d 年还没有节假日与调休数据，该年的时限暂按周一至周五计算。"
                "国务院办公厅公布放假安排后，请逐日录入法定节假日和调休上班日。"
            ) % {"year": year}
            level = messages.WARNING if year == on.year or on.month == 12 else messages.INFO
            messages.add_message(request, level, text)
        return super().changelist_view(request, extra_context)

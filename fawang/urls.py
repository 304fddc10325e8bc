from django.contrib import admin
from django.urls import include, path

from fawang.accounts.views import admin_login, admin_password_change
from fawang.ops.views import healthz, readyz

admin.site.site_header = "法网 · 系统管理"
admin.site.site_title = "法网系统管理"
admin.site.index_title = "数据管理"
# The admin signs in through the staff sign-in page, so lockout and the second factor apply there too.
admin.site.login = admin_login  # type: ignore[method-assign]
admin.site.password_change = admin_password_change  # type: ignore[method-assign,assignment]


# Errors Django answers itself come out in the API's JSON format under /api/ (fawang/apikit/limits.py).
handler400 = "fawang.apikit.limits.bad_request"
handler500 = "fawang.apikit.limits.server_error"

urlpatterns = [
    path("", include("fawang.portal.urls")),
    path("", include("fawang.info.urls")),
    path("console/", include("fawang.console.urls")),
    path("console/notify/", include("fawang.notify.urls")),
    path("console/matters/", include("fawang.matters.urls")),
    path("console/consult/", include("fawang.consult.urls")),
    path("console/mediation/", include("fawang.mediation.urls")),
    path("console/legalaid/", include("fawang.legalaid.urls")),
    path("console/matters/pdf/", include("fawang.matters.pdf_urls")),
    path("console/knowledge/", include("fawang.knowledge.console_urls")),
    path("console/frontdesk/", include("fawang.frontdesk.urls")),
    path("console/hotline/", include("fawang.hotline.urls")),
    path("console/insights/", include("fawang.insights.urls")),
    path("stats/", include("fawang.insights.public_urls")),
    path("console/advisors/", include("fawang.advisors.urls")),
    path("advisors/", include("fawang.advisors.public_urls")),
    path("console/publicity/", include("fawang.publicity.urls")),
    path("publicity/", include("fawang.publicity.public_urls")),
    path("console/notary/", include("fawang.notary.urls")),
    path("console/appraisal/", include("fawang.appraisal.urls")),
    path("appraisal/", include("fawang.appraisal.public_urls")),
    path("console/corrections/", include("fawang.corrections.urls")),
    path("console/resettlement/", include("fawang.resettlement.urls")),
    path("me/corrections/", include("fawang.corrections.public_urls")),
    path("my/messages/", include("fawang.notify.inbox_urls")),
    path("track/", include("fawang.matters.public_urls")),
    path("me/appointments/", include("fawang.frontdesk.public_urls")),
    path("queue/", include("fawang.frontdesk.queue_urls")),
    path("suggest/", include("fawang.frontdesk.suggest_urls")),
    path("me/home-visits/", include("fawang.frontdesk.visit_urls")),
    path("console/applications/", include("fawang.applications.console_urls")),
    path("me/applications/", include("fawang.applications.urls")),
    path("me/legalaid/", include("fawang.legalaid.public_urls")),
    path("me/", include("fawang.citizens.urls")),
    path("apply/", include("fawang.applications.public_urls")),
    path("accounts/", include("fawang.accounts.urls")),
    path("regions/", include("fawang.regions.urls")),
    path("laws/", include("fawang.knowledge.urls")),
    path("api/v1/", include("fawang.api.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]

"""REST API v1 under /api/v1/, all in the ``api`` namespace.

One way to register endpoints: an app that offers API endpoints writes them in its own ``api.py`` (built from
fawang.apikit: base views, schema helpers, errors, idempotency) and lists them in its own ``api_urls.py`` as
``urlpatterns``, with names unique in the ``api`` namespace; this file includes each of those modules the same way,
``path("", include("fawang.<app>.api_urls"))``, before the catch-all. It imports no app's endpoints itself. The
endpoints of fawang.api (catalogue, service points, laws, tracking, the citizens' /me/ and the staff's matters) are
listed here directly, beside the schema and its docs.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from fawang.apikit import errors

from . import citizen_matters, citizen_views, matter_actions, views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from a URL, not inline: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("catalogue/items/", views.CatalogueList.as_view(), name="catalogue"),
    path("catalogue/items/<int:pk>/", views.CatalogueDetail.as_view(), name="catalogue_item"),
    path("service-points/", views.ServicePointList.as_view(), name="service_points"),
    path("units/<int:pk>/", views.UnitDetail.as_view(), name="unit"),
    path("laws/search/", views.LawSearch.as_view(), name="law_search"),
    path("laws/answer/", views.LawAnswer.as_view(), name="law_answer"),
    path("", include("fawang.info.api_urls")),
    path("track/code/", views.TrackCode.as_view(), name="track_code"),
    path("track/verify/", views.TrackVerify.as_view(), name="track_verify"),
    path("track/matter/", views.TrackMatter.as_view(), name="track_matter"),
    path("me/", citizen_views.Me.as_view(), name="me"),
    path("me/sign-in/code/", citizen_views.SignInCode.as_view(), name="me_sign_in_code"),
    path("me/sign-in/token/", citizen_views.SignInToken.as_view(), name="me_sign_in_token"),
    path("me/sign-out/", citizen_views.SignOut.as_view(), name="me_sign_out"),
    path("me/claim/code/", citizen_views.ClaimCode.as_view(), name="me_claim_code"),
    path("me/claim/verify/", citizen_views.ClaimVerify.as_view(), name="me_claim_verify"),
    path("me/matters/", citizen_matters.OwnMatterList.as_view(), name="me_matters"),
    path("me/matters/<int:pk>/", citizen_matters.OwnMatterDetail.as_view(), name="me_matter"),
    path("me/matters/<int:pk>/follow-up/", citizen_matters.FollowUp.as_view(), name="me_matter_follow_up"),
    path("me/matters/<int:pk>/resolve/", citizen_matters.Resolve.as_view(), name="me_matter_resolve"),
    path("me/matters/<int:pk>/rate/", citizen_matters.Rate.as_view(), name="me_matter_rate"),
    path("me/matters/<int:pk>/complaint/", citizen_matters.Complain.as_view(), name="me_matter_complaint"),
    path("me/matters/<int:pk>/materials/", citizen_matters.Supply.as_view(), name="me_matter_materials"),
    path("me/matters/<int:pk>/result.pdf", citizen_matters.ResultPdf.as_view(), name="me_matter_result_pdf"),
    path("me/consultations/", citizen_matters.Ask.as_view(), name="me_consultations"),
    path("me/consultations/topics/", citizen_matters.TopicList.as_view(), name="me_consultation_topics"),
    path("me/messages/", citizen_matters.MessageList.as_view(), name="me_messages"),
    path("me/messages/<int:pk>/read/", citizen_matters.MessageRead.as_view(), name="me_message_read"),
    path("me/messages/read-all/", citizen_matters.MessageReadAll.as_view(), name="me_messages_read_all"),
    path("regions/", citizen_matters.RegionList.as_view(), name="regions"),
    path("", include("fawang.applications.api_urls")),
    path("matters/", views.MatterList.as_view(), name="matters"),
    path("matters/<int:pk>/", views.MatterDetail.as_view(), name="matter"),
    *matter_actions.urlpatterns(),
    path("", include("fawang.frontdesk.api_urls")),
    path("", include("fawang.hotline.api_urls")),
    path("", include("fawang.mediation.api_urls")),
    path("", include("fawang.legalaid.api_urls")),
    path("", include("fawang.resettlement.api_urls")),
    path("", include("fawang.corrections.api_urls")),
    re_path(r"^.*$", errors.not_found, name="not_found"),
]

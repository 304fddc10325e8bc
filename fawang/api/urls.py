from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import citizen_views, errors, views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("catalogue/items/", views.CatalogueList.as_view(), name="catalogue"),
    path("catalogue/items/<int:pk>/", views.CatalogueDetail.as_view(), name="catalogue_item"),
    path("service-points/", views.ServicePointList.as_view(), name="service_points"),
    path("units/<int:pk>/", views.UnitDetail.as_view(), name="unit"),
    path("laws/search/", views.LawSearch.as_view(), name="law_search"),
    path("track/code/", views.TrackCode.as_view(), name="track_code"),
    path("track/verify/", views.TrackVerify.as_view(), name="track_verify"),
    path("track/matter/", views.TrackMatter.as_view(), name="track_matter"),
    path("me/", citizen_views.Me.as_view(), name="me"),
    path("me/sign-in/code/", citizen_views.SignInCode.as_view(), name="me_sign_in_code"),
    path("me/sign-in/token/", citizen_views.SignInToken.as_view(), name="me_sign_in_token"),
    path("me/sign-out/", citizen_views.SignOut.as_view(), name="me_sign_out"),
    path("matters/", views.MatterList.as_view(), name="matters"),
    path("matters/<int:pk>/", views.MatterDetail.as_view(), name="matter"),
    *(
        path(f"matters/<int:pk>/actions/{name}/", view.as_view(), name=f"matter_{name.replace('-', '_')}")
        for name, view in views.ACTION_VIEWS.items()
    ),
    path("", include("fawang.frontdesk.api_urls")),
    re_path(r"^.*$", errors.not_found, name="not_found"),
]

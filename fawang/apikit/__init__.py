"""The kit every REST API v1 endpoint is built from, whichever app offers it (fawang.api, info, frontdesk,
applications and the business lines to come):

- base.py        PublicView, PublicListView, StaffView, CitizenView: authentication, permission and throttle
- schema.py      errors(*codes) for the OpenAPI responses, query()/body() to validate input with a serializer,
                 ErrorSerializer
- errors.py      the one JSON error format: ApiError, error_body(), exception_handler (settings), not_found
- idempotency.py @idempotent and IDEMPOTENCY_KEY (the Idempotency-Key header of every create)
- auth.py        TokenAuthentication, SessionAuthentication, IsStaff, IsPublicUser
- throttles.py   PublicThrottle, TrackThrottle, SignInThrottle, CitizenThrottle, StaffThrottle
- pagination.py  CappedPagination
- models.py      ApiToken (``manage.py create_api_token``), IdempotencyRecord

It knows no endpoint: an app's endpoints live in that app (``api.py``) and are registered by its ``api_urls.py``
(see fawang/api/urls.py). Its app label is "api", as when these pieces lived in fawang.api (tables, migrations).
"""

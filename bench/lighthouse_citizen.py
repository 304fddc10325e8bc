"""A signed-in citizen with a legal-aid draft, for Lighthouse to open the application form as that person would.

Run in a Django process on the Lighthouse site's database (bench_lighthouse runs ``python -m
bench.lighthouse_citizen``); prints one JSON line: the session cookie and the path of the draft's 家庭经济状况 step
(the means test and the exemption grounds of 法律援助法 第三十二条、第四十二条, the longest form of the application).
"""

from __future__ import annotations

import json
import os

PHONE = "13800138000"
NAME = "林晓梅"
ID_NUMBER = "350203199001011221"  # an invented number with a valid check digit (GB 11643)


def citizen_draft() -> dict[str, str]:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from fawang.accounts.middleware import LAST_SEEN, SIGNED_IN_AT, now_ts
    from fawang.accounts.models import User
    from fawang.applications.actions import start_application
    from fawang.catalog.models import ServiceItem
    from fawang.citizens.actions import do_update_profile

    user = User.objects.filter(kind=User.Kind.PUBLIC, phone=PHONE).first()
    if user is None:
        user = User(username=f"public-{PHONE}", kind=User.Kind.PUBLIC, phone=PHONE)
        user.set_unusable_password()
        user.save()
    do_update_profile(user.pk, name=NAME, id_number=ID_NUMBER)
    user.refresh_from_db()
    started = start_application(actor=user, item=ServiceItem.objects.get(code="legal_aid"))
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SIGNED_IN_AT] = session[LAST_SEEN] = now_ts()
    session.create()
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "path": f"/me/applications/{started.application.pk}/means/",
    }


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
    django.setup()
    print(json.dumps(citizen_draft()))


if __name__ == "__main__":
    main()

"""What Lighthouse would hold the public pages to, checked fast without it (bench/bench_lighthouse.py measures
the real thing): the first load's assets and compressed bytes under the budget, no render-blocking script,
every form control and button named, one <main> and one <h1>, named navigation landmarks, a page language."""

from __future__ import annotations

import gzip
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

from django.contrib.staticfiles import finders
from django.urls import reverse

from bench.bench_lighthouse import APPLICATION, PAGES, TARGET_KB
from fawang.applications.actions import start_application
from fawang.catalog.models import ServiceItem
from fawang.citizens.actions import do_update_profile
from fawang.knowledge import actions
from fawang.orgs.models import Practitioner, Speciality
from fawang.test import BaseTestCase
from fawang.testing.world import world

# Everything a public page pulls on first load. A new asset must be added here on purpose, with its size in
# mind: the budget is TARGET_KB compressed for the whole first load (Done-when of issue 4).
FIRST_LOAD_ASSETS = {
    "/static/css/portal.css",
    "/static/vendor/htmx.min.js",
    "/static/js/app.js",
    "/static/img/favicon.svg",
}
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


class Page(HTMLParser):
    """The parts of a page the checks read: assets in <head>, form controls and their labels, landmarks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.assets: list[tuple[str, dict[str, str | None]]] = []
        self.controls: list[tuple[str, dict[str, str | None], bool]] = []
        self.label_for: set[str] = set()
        self.buttons: list[tuple[dict[str, str | None], str]] = []
        self.counts: dict[str, int] = {}
        self.unnamed_navs = 0
        self.images_without_alt = 0
        self._label_depth = 0
        self._button: tuple[dict[str, str | None], list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.counts[tag] = self.counts.get(tag, 0) + 1
        if tag == "html":
            self.lang = a.get("lang") or ""
        elif tag == "link" and a.get("href", "").startswith("/static/"):  # type: ignore[union-attr]
            self.assets.append((a["href"] or "", a))
        elif tag == "script" and a.get("src"):
            self.assets.append((a["src"] or "", a))
        elif tag == "img":
            if a.get("src"):
                self.assets.append((a["src"] or "", a))
            if a.get("alt") is None:
                self.images_without_alt += 1
        elif tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.label_for.add(a["for"] or "")
        elif tag in ("input", "select", "textarea"):
            if tag == "input" and (a.get("type") or "text") in UNLABELLED_INPUT_TYPES:
                return
            self.controls.append((tag, a, self._label_depth > 0))
        elif tag == "button":
            self._button = (a, [])
        elif tag == "nav" and not (a.get("aria-label") or a.get("aria-labelledby")):
            self.unnamed_navs += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label_depth -= 1
        elif tag == "button" and self._button is not None:
            self.buttons.append((self._button[0], "".join(self._button[1]).strip()))
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button[1].append(data)

    def unlabelled(self) -> list[str]:
        out = []
        for tag, a, wrapped in self.controls:
            named = (
                wrapped or a.get("id") in self.label_for or a.get("aria-label") or a.get("aria-labelledby")
            )
            if not named:
                out.append(f"<{tag} name={a.get('name')!r} id={a.get('id')!r}>")
        out += [f"<button {a}>" for a, text in self.buttons if not (text or a.get("aria-label"))]
        return out


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def compressed_size(url: str) -> int:
    """gzip -9 of the static file behind ``url`` (production serves brotli from the manifest: smaller)."""
    path = finders.find(url.removeprefix("/static/"))
    assert path, url
    return len(gzip.compress(Path(str(path)).read_bytes(), 9))


class FirstLoadTestCase(BaseTestCase):
    extra_pages: ClassVar[list[str]]
    draft_id: ClassVar[int]

    def fetch(self, page: str, **kwargs: Any) -> Any:
        """GET a measured page; the application page as the citizen whose legal-aid draft it is."""
        if "{draft}" in page:
            self.client.force_login(self.citizen)
        else:
            self.client.logout()
        return self.client.get(page.format(draft=self.draft_id), follow=True, **kwargs)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        entry = actions.create_entry(
            actor=cls.sysadmin,
            unit_id=world().unit("xiamen.bureau").pk,
            kind="publicity",
            title="遭受家庭暴力，可以向谁求助？",
            body="可以向公安机关报案，也可以向人民法院申请人身安全保护令。",
            topic=Speciality.objects.get(code="family"),
        )
        actions.publish(entry.pk, actor=cls.sysadmin)
        do_update_profile(cls.citizen.pk, name="王小明", id_number="35020319900101123X")
        cls.citizen.refresh_from_db()
        legal_aid = ServiceItem.objects.get(code="legal_aid")
        cls.draft_id = start_application(actor=cls.citizen, item=legal_aid).application.pk
        lawyer = (
            Practitioner.objects.filter(kind="lawyer", is_public=True, unit__isnull=False)
            .order_by("pk")[:1]
            .get()
        )
        cls.extra_pages = [
            reverse("portal:finder"),
            reverse("info:guides"),
            reverse("info:units"),
            reverse("info:practitioners"),
            reverse("info:practitioner", args=[lawyer.pk]),
            reverse("portal:unit_detail", args=[lawyer.unit_id]),
            reverse("info:articles"),
            reverse("info:article", args=[entry.pk]),
            reverse("track:verify") + "?no=FW250303K7QM9XH3",
        ]

    def test_the_measured_pages_first_load_is_under_budget_and_nothing_blocks_rendering(self) -> None:
        for _label, path in PAGES:
            with self.subTest(path=path):
                r = self.fetch(path, headers={"accept-encoding": "gzip"})
                self.assertEqual(r.status_code, 200)
                self.assertEqual(r.headers.get("Content-Encoding"), "gzip")  # pages are compressed
                html = gzip.decompress(r.content).decode()
                page = parse(html)
                urls = {url.split("?")[0] for url, _a in page.assets}
                self.assertEqual(urls, FIRST_LOAD_ASSETS)
                for url, attrs in page.assets:
                    if url.endswith(".js"):
                        self.assertIn("defer", attrs, f"{url} blocks rendering")
                self.assertEqual(sum(1 for u in urls if u.endswith(".css")), 1)
                total = len(r.content) + sum(compressed_size(u) for u in urls)
                self.assertLess(total, TARGET_KB * 1024, f"{path}: {total} bytes compressed")

    def test_the_legal_aid_page_measured_is_the_application_form_itself(self) -> None:
        self.assertIn(APPLICATION, [p for _label, p in PAGES])
        r = self.fetch(APPLICATION)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "第四十二条")  # the exemption grounds of the means step
        self.assertContains(r, 'type="submit"')

    def test_the_home_page_html_compresses_to_a_third(self) -> None:
        plain = self.client.get("/")
        packed = self.client.get("/", headers={"accept-encoding": "gzip"})
        self.assertNotIn("Content-Encoding", plain.headers)
        self.assertLess(len(packed.content) * 2.5, len(plain.content))

    def test_every_control_is_labelled_and_every_page_has_its_landmarks(self) -> None:
        for path in [p for _label, p in PAGES] + self.extra_pages:
            for elder in (False, True):
                with self.subTest(path=path, elder=elder):
                    self.client.cookies["elder"] = "1" if elder else "0"
                    r = self.fetch(path)
                    self.assertEqual(r.status_code, 200)
                    page = parse(r.content.decode())
                    self.assertEqual(page.unlabelled(), [])
                    self.assertEqual(page.lang, "zh-hans")
                    self.assertEqual(page.counts.get("main"), 1)
                    self.assertEqual(page.counts.get("h1"), 1)
                    self.assertEqual(page.unnamed_navs, 0)
                    self.assertEqual(page.images_without_alt, 0)
                    self.assertGreater(len(page.controls) + len(page.buttons), 0)  # the parser saw the forms

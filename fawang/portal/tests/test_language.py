"""zh-hans is the default language and English is available: the public pages in both languages, the ways a
visitor picks English, and a guard that the English catalogue (locale/en) is fully translated and compiled."""

from __future__ import annotations

import ast
import gettext
import re
import struct
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import translation

from fawang.test import BaseTestCase

HOME = reverse("portal:home")
FINDER = reverse("portal:finder")
CJK = re.compile(r"[\u3400-\u9fff]")


def restore_language(test: SimpleTestCase) -> None:
    """LocaleMiddleware activates the request's language for the whole thread and never resets it, so a test
    that asked for English would leave later tests (in this process) rendering English error messages."""
    test.addCleanup(translation.activate, translation.get_language() or settings.LANGUAGE_CODE)


def region_of(html: str, pattern: str) -> str:
    match = re.search(pattern, html, re.S)
    assert match, pattern
    return match.group(0)


class PortalLanguageTestCase(BaseTestCase):
    def setUp(self) -> None:
        restore_language(self)

    def english(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def test_without_a_preference_the_portal_is_in_chinese(self) -> None:
        response = self.client.get(HOME)
        self.assertContains(response, '<html lang="zh-hans">')
        for text in (
            "找服务点",
            "长辈模式",
            "我们提供的服务",
            "遇到法律问题，找公共法律服务",
            "公共法律服务热线",
        ):
            self.assertContains(response, text)
        self.assertNotContains(response, "Find a service point")
        # The switcher offers the other language, named in that language.
        self.assertContains(
            response, '<button type="submit" class="tool-btn" name="language" value="en" lang="en">'
        )
        self.assertContains(response, ">English</button>")

    def test_an_unknown_browser_language_falls_back_to_chinese(self) -> None:
        response = self.client.get(HOME, headers={"accept-language": "fr-FR,fr;q=0.9"})
        self.assertContains(response, '<html lang="zh-hans">')
        self.assertContains(response, "找服务点")

    def test_choosing_english_sets_the_cookie_and_returns_to_the_page(self) -> None:
        response = self.client.post(reverse("set_language"), {"language": "en", "next": FINDER})
        self.assertRedirects(response, FINDER, fetch_redirect_response=False)
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "en")

        response = self.client.get(HOME)
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "简体中文</button>")  # and back again
        self.assertContains(response, "Find a service point")

    def test_home_in_english(self) -> None:
        self.english()
        response = self.client.get(HOME)
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "<title>Home · 12348 Fawang</title>", html=True)
        for text in (
            "Large-text mode",
            "Skip to main content",
            "Have a legal problem? Turn to public legal services",
            "Call the 12348 public legal service hotline",
            "Our services",
            "<h3>Legal aid</h3>",
            "<h3>People's mediation</h3>",
            "<h3>Notarisation</h3>",
        ):
            self.assertContains(response, text)
        html = response.content.decode()
        for chinese in ("首页", "找服务点", "长辈模式", "我们提供的服务", "法律援助", "人民调解"):
            self.assertNotIn(chinese, html)
        # Navigation, headings and footer are entirely English (unit and place names are data and may be Chinese,
        # but none appear on the home page outside the region selector).
        nav = region_of(html, r'<nav class="site-nav".*?</nav>')
        footer = region_of(html, r'<footer class="site-footer".*?</footer>')
        headings = " ".join(re.findall(r"<h[1-3][^>]*>.*?</h[1-3]>", html, re.S))
        for part in (nav, footer, headings):
            self.assertIsNone(CJK.search(part), part)

    def test_accept_language_english_is_honoured(self) -> None:
        response = self.client.get(HOME, headers={"accept-language": "en-GB,en;q=0.9,zh-CN;q=0.5"})
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Find a service point")

    def test_finder_in_english(self) -> None:
        self.english()
        response = self.client.get(FINDER)
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "<h1>Find a service point near you</h1>", html=True)
        for text in ("Your area", "Organisation type", "Service functions", "All types", "Search"):
            self.assertContains(response, text)
        for chinese in ("找身边的服务点", "所在地区", "机构类型", "全部类型", "长辈模式"):
            self.assertNotContains(response, chinese)

    def test_finder_results_in_english(self) -> None:
        self.english()
        response = self.client.get(FINDER, {"region": "350203", "kind": "centre"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Service points serving '福建省厦门市思明区'")
        self.assertContains(response, "service points found; the nearest come first.")
        self.assertContains(response, "Public Legal Service Centre")  # the kind label
        self.assertContains(response, "思明区公共法律服务中心")  # the unit's name is data, kept as entered
        self.assertNotContains(response, "共找到")


LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfi]|%[sdfi]|\{\w*\}")
PO_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')


@dataclass
class PoEntry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False


def read_po(path: Path) -> list[PoEntry]:
    """A small reader for the .po that makemessages writes (stdlib only: polib is not a dependency).
    Obsolete (#~) entries are skipped; the header is the entry with an empty msgid."""
    entries: list[PoEntry] = []
    current = PoEntry()
    started = False
    target: tuple[str, int] = ("msgid", 0)

    def finish() -> None:
        nonlocal current, started
        if started:
            entries.append(current)
        current, started = PoEntry(), False

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            if current.msgstr:
                finish()
            if line.startswith("#,") and "fuzzy" in (flag.strip() for flag in line[2:].split(",")):
                current.fuzzy = True
            continue
        if line.startswith('"'):
            text = ast.literal_eval(line)
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += text
            else:
                setattr(current, name, (getattr(current, name) or "") + text)
            continue
        match = PO_KEYWORD.match(line)
        assert match, f"{path}: cannot read {line!r}"
        keyword, index_text, quoted = match.groups()
        if keyword in ("msgctxt", "msgid") and current.msgstr:
            finish()
        started = True
        text = ast.literal_eval(quoted)
        if keyword.startswith("msgstr"):
            index = int(index_text) if index_text else 0
            current.msgstr[index] = text
            target = ("msgstr", index)
        else:
            setattr(current, keyword, text)
            target = (keyword, 0)
    finish()
    return entries


GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}


def gettext_in_fstrings(source: str) -> list[int]:
    """Lines of gettext calls made inside an f-string: makemessages (xgettext) does not look there, so their
    strings silently leave the catalogue on the next regeneration and show untranslated."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and getattr(inner.func, "id", None) in GETTEXT_NAMES:
                    lines.append(inner.lineno)
    return sorted(set(lines))


class EnglishCatalogueTestCase(SimpleTestCase):
    """Whoever adds strings and regenerates the .po must translate them and recompile the .mo. Only what is in
    the .po is checked, so apps whose strings were not extracted yet do not make this fail."""

    po_path = LOCALE_DIR / "django.po"
    mo_path = LOCALE_DIR / "django.mo"

    def setUp(self) -> None:
        self.entries = read_po(self.po_path)
        self.messages = [e for e in self.entries if e.msgid]

    def test_the_catalogue_is_not_empty(self) -> None:
        self.assertGreater(len(self.messages), 300)
        self.assertEqual(sum(1 for e in self.entries if not e.msgid), 1, "exactly one header entry")

    def test_every_entry_is_translated_and_not_fuzzy(self) -> None:
        untranslated = [e.msgid for e in self.messages if not e.msgstr or not all(e.msgstr.values())]
        self.assertEqual(
            untranslated, [], "entries in locale/en/LC_MESSAGES/django.po without an English msgstr"
        )
        fuzzy = [e.msgid for e in self.entries if e.fuzzy]
        self.assertEqual(fuzzy, [], "fuzzy entries (and a fuzzy header) are left out of the .mo: review them")
        plurals = [e.msgid for e in self.messages if e.msgid_plural and sorted(e.msgstr) != [0, 1]]
        self.assertEqual(plurals, [], "English has two plural forms: msgstr[0] and msgstr[1]")

    def test_no_string_hides_from_makemessages_in_an_f_string(self) -> None:
        root = Path(settings.BASE_DIR) / "fawang"
        found = [
            f"{path.relative_to(root.parent)}:{line}"
            for path in sorted(root.rglob("*.py"))
            for line in gettext_in_fstrings(path.read_text(encoding="utf-8"))
        ]
        self.assertEqual(found, [], "move these gettext calls out of the f-string (into a variable first)")
        # The finder itself: it sees a call inside an f-string, and not one beside it.
        self.assertEqual(gettext_in_fstrings('x = f"<b>{_(\'菜单\')}</b>"\ny = _("菜单")\n'), [1])

    def test_placeholders_are_kept(self) -> None:
        wrong = []
        for e in self.messages:
            for msgstr in e.msgstr.values():
                if sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(msgstr)):
                    wrong.append((e.msgid, msgstr))
        self.assertEqual(wrong, [])

    def test_the_mo_is_compiled_from_this_po(self) -> None:
        """Compared by content, not modification time: a fresh clone gives both files the same arbitrary times."""
        hint = "locale/en/LC_MESSAGES/django.mo is stale: run manage.py compilemessages -l en --ignore=.venv"
        data = self.mo_path.read_bytes()
        magic, _revision, count = struct.unpack("<3I", data[:12])
        self.assertEqual(magic, 0x950412DE, "little-endian GNU .mo")
        self.assertEqual(count, len(self.messages) + 1, hint)  # + the header
        with self.mo_path.open("rb") as fp:
            mo = gettext.GNUTranslations(fp)
        for e in self.messages:
            if e.msgid_plural:
                got = {
                    n: (
                        mo.npgettext(e.msgctxt, e.msgid, e.msgid_plural, count)
                        if e.msgctxt
                        else mo.ngettext(e.msgid, e.msgid_plural, count)
                    )
                    for n, count in ((0, 1), (1, 2))
                }
                self.assertEqual(got, e.msgstr, hint)
            else:
                got_one = mo.pgettext(e.msgctxt, e.msgid) if e.msgctxt else mo.gettext(e.msgid)
                self.assertEqual(got_one, e.msgstr[0], hint)


class ReadPoTestCase(SimpleTestCase):
    """The guard above is only as good as its reader: it must see an empty msgstr, a fuzzy flag and every form."""

    def test_it_reads_contexts_plurals_continuations_and_flags(self) -> None:
        text = "\n".join(
            [
                'msgid ""',
                'msgstr ""',
                '"Language: en\\n"',
                "",
                "#: templates/portal/base.html:1",
                'msgctxt "switch state"',
                'msgid "开"',
                'msgstr "On"',
                "",
                "#, fuzzy, python-format",
                'msgid "%(n)s 条"',
                'msgstr ""',
                '"%(n)s "',
                '"items"',
                "",
                'msgid "共 %(counter)s 条"',
                'msgid_plural "共 %(counter)s 条"',
                'msgstr[0] "%(counter)s item"',
                'msgstr[1] ""',
                'msgid "未译"',
                'msgstr ""',
                "",
                '#~ msgid "旧的"',
                '#~ msgstr "Old"',
            ]
        )
        path = Path(self.enterContext(tempfile.TemporaryDirectory())) / "django.po"
        path.write_text(text, encoding="utf-8")
        entries = read_po(path)
        self.assertEqual(
            [(e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, e.fuzzy) for e in entries],
            [
                (None, "", None, {0: "Language: en\n"}, False),
                ("switch state", "开", None, {0: "On"}, False),
                (None, "%(n)s 条", None, {0: "%(n)s items"}, True),
                (None, "共 %(counter)s 条", "共 %(counter)s 条", {0: "%(counter)s item", 1: ""}, False),
                (None, "未译", None, {0: ""}, False),
            ],
        )

"""The Python <select> writes what Django's templates write."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import SimpleTestCase

from fawang.lib.formrenderer import FormRenderer


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("", "全部"), ("a", "甲"), ("b", '<b>"乙"&</b>')])
    grouped = forms.ChoiceField(
        choices=[("", "请选择"), ("福建", [("fz", "福州"), ("xm", "厦门")]), ("其他", [("x", "其他地区")])]
    )
    many = forms.MultipleChoiceField(choices=[(1, "一"), (2, "二"), (3, "三")], required=False)
    tagged = forms.ChoiceField(
        choices=[("1", "一")], widget=forms.Select(attrs={"data-x": 'q"<', "disabled": True, "hidden": False})
    )


class FormRendererTests(SimpleTestCase):
    def render_both(self, data: dict | None) -> tuple[str, str]:
        fast = Sample(data, renderer=FormRenderer())
        slow = Sample(data, renderer=DjangoTemplates())
        return (
            "".join(str(fast[name]) for name in fast.fields),
            "".join(str(slow[name]) for name in slow.fields),
        )

    def test_same_html_as_django_unbound(self) -> None:
        fast, slow = self.render_both(None)
        self.assertEqual(fast, slow)
        self.assertIn("&lt;b&gt;&quot;乙&quot;&amp;&lt;/b&gt;", fast)

    def test_same_html_as_django_with_selection_and_errors(self) -> None:
        fast, slow = self.render_both({"plain": "b", "grouped": "xm", "many": ["1", "3"], "tagged": "9"})
        self.assertEqual(fast, slow)
        self.assertIn('<option value="xm" selected>厦门</option>', fast)
        self.assertIn('aria-invalid="true"', fast)

    def test_other_widgets_fall_back_to_templates(self) -> None:
        class Radios(forms.Form):
            pick = forms.ChoiceField(choices=[("a", "甲")], widget=forms.RadioSelect)

        self.assertEqual(
            str(Radios(renderer=FormRenderer())["pick"]), str(Radios(renderer=DjangoTemplates())["pick"])
        )

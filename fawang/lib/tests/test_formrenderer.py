"""The Python <select>, <input> and error list write what Django's templates write."""

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
    text = forms.CharField(max_length=5, help_text="帮助")
    search = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"type": "search", "placeholder": '"找"'})
    )
    number = forms.IntegerField(required=False, min_value=1)
    email = forms.EmailField(required=False)
    box = forms.BooleanField(required=False)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)


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

    def test_same_inputs_as_django(self) -> None:
        data = {
            "text": '<b>"太长了"</b>',
            "search": "a&b",
            "number": "0",
            "email": "x",
            "box": "on",
            "hidden": "h",
        }
        fast, slow = self.render_both(data)
        self.assertEqual(fast, slow)
        self.assertIn('<input type="search" name="search" value="a&amp;b" placeholder="&quot;找&quot;"', fast)
        self.assertIn('<input type="checkbox" name="box" id="id_box" checked>', fast)
        self.assertIn('value="&lt;b&gt;&quot;太长了&quot;&lt;/b&gt;"', fast)

    def test_same_error_lists_as_django(self) -> None:
        data = {"text": "toolong", "number": "0", "email": "x"}
        fast = Sample(data, renderer=FormRenderer())
        slow = Sample(data, renderer=DjangoTemplates())
        self.assertFalse(fast.is_valid())
        for name in ("plain", "text", "number", "email", "box"):
            self.assertEqual(str(fast[name].errors), str(slow[name].errors))
        self.assertEqual(str(fast.non_field_errors()), "")
        self.assertIn('<ul class="errorlist" id="id_number_error"><li>', str(fast["number"].errors))

    def test_other_widgets_fall_back_to_templates(self) -> None:
        class Radios(forms.Form):
            pick = forms.ChoiceField(choices=[("a", "甲")], widget=forms.RadioSelect)

        self.assertEqual(
            str(Radios(renderer=FormRenderer())["pick"]), str(Radios(renderer=DjangoTemplates())["pick"])
        )

"""Forms for rendering and CSRF; the validation that matters is in `services` (shared with the
API), whose field errors are put back on these forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sailau.complaints import models as m
from sailau.elections.models import Election


def _iso_date() -> forms.DateInput:
    # An <input type=date> takes its value as YYYY-MM-DD whatever the page's language: the
    # localised 20.03.2023 is refused by the browser and the field shows empty.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _elections():
    return [(e.id, e.name()) for e in Election.objects.all()]


class FilingForm(forms.Form):
    election = forms.ChoiceField(label=_("Election"), choices=_elections)
    filer_kind = forms.ChoiceField(label=_("You file as"), choices=m.FILER_KINDS)
    filer_name = forms.CharField(label=_("Name (a private person's name is never published)"),
                                 max_length=200)
    filer_contact = forms.CharField(label=_("Contact (never published)"), max_length=200,
                                    required=False)
    against_kind = forms.ChoiceField(label=_("Against"), choices=m.AGAINST_KINDS)
    against_name = forms.CharField(label=_("Against whom (name of the commission, official, "
                                           "candidate)"), max_length=300)
    topic = forms.ChoiceField(label=_("Topic"), choices=m.TOPICS)
    station = forms.CharField(label=_("Station number"), required=False, max_length=10)
    body = forms.ChoiceField(label=_("Filed with"), choices=m.BODIES)
    contests = forms.CharField(label=_("Receipt of the complaint whose decision you appeal"),
                               required=False, max_length=40)
    event_date = forms.DateField(label=_("Date of the decision, action or inaction"),
                                 required=False, widget=_iso_date())
    text = forms.CharField(label=_("Complaint"), widget=forms.Textarea(attrs={"rows": 8}))
    attachments = forms.FileField(label=_("Attachments (PDF, JPEG, PNG; at most 10 MB each)"),
                                  required=False, widget=MultipleFileInput)


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decided_on = forms.DateField(label=_("Decided on"), widget=_iso_date())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=m.OUTCOMES)
    not_considered_reason = forms.ChoiceField(label=_("Why not considered"),
                                              choices=m.NOT_CONSIDERED_REASONS, required=False)
    effect = forms.ChoiceField(label=_("Effect on results"), choices=m.EFFECTS)
    protocol_version = forms.CharField(label=_("Protocol version caused (id)"), required=False)
    text = forms.CharField(label=_("Text of the decision"), widget=forms.Textarea(attrs={"rows": 6}))

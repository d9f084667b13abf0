"""Forms for rendering and CSRF; the validation that matters is in `services` (shared with the
API), whose field errors are put back on these forms."""

from django import forms
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from sailau.complaints import models as m
from sailau.elections.models import Contest, Election
from sailau.i18n import local_time
from sailau.law import kinds
from sailau.protocols.models import Protocol


def _iso_date() -> forms.DateInput:
    # An <input type=date> takes its value as YYYY-MM-DD whatever the page's language: the
    # localised 20.03.2023 is refused by the browser and the field shows empty.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


# What a referendum has not: candidates, parties, their proxies, and their registration.
NOT_IN_A_REFERENDUM = ("candidate", "party", "proxy", "registration")


def only_referendums(election_id: str | None = None) -> bool:
    """Whether the election named (every election the server holds when none is) puts only
    questions to the vote: then no candidate, party or proxy files, is complained about, or is
    registered, and the pages offer none as a choice."""
    contests = Contest.objects.filter(election_id=election_id) if election_id else \
        Contest.objects.all()
    questions = kinds.named(measure=True)
    return (contests.filter(kind__in=questions).exists()
            and not contests.exclude(kind__in=questions).exists())


def referendum_choices(field: str, choices) -> list[tuple[str, str]]:
    """A field's choices as a referendum offers them: none of a candidate's, in its words."""
    words = m.REFERENDUM_LABELS.get(field, {})
    return [(k, words.get(k, v)) for k, v in choices if k not in NOT_IN_A_REFERENDUM]


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if only_referendums():  # every election offered is a referendum
            for name in ("filer_kind", "against_kind", "topic", "body"):
                self.fields[name].choices = referendum_choices(name, self.fields[name].choices)
            self.fields["election"].label = _("Referendum")
            self.fields["against_name"].label = _("Against whom (name of the commission or "
                                                  "official)")


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decided_on = forms.DateField(label=_("Decided on"), widget=_iso_date())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=m.OUTCOMES)
    not_considered_reason = forms.ChoiceField(label=_("Why not considered"),
                                              choices=m.NOT_CONSIDERED_REASONS, required=False)
    effect = forms.ChoiceField(label=_("Effect on results"), choices=m.EFFECTS)
    protocol_version = forms.ChoiceField(label=_("Protocol version the decision caused"),
                                         required=False)
    text = forms.CharField(label=_("Text of the decision"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, complaint: m.Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        versions = protocol_versions(complaint)
        if versions:
            self.fields["protocol_version"].choices = [("", gettext("no new version"))] + versions
        else:  # a complaint about no station has no station's protocol to point to
            del self.fields["protocol_version"]


SOURCES = {"entry": ("protocol source", "double entry"),
           "resolution": ("protocol source", "differences between the two entries resolved"),
           "amendment": ("protocol source", "amendment by decision"),
           "import": ("protocol source", "imported")}


def protocol_versions(complaint: m.Complaint) -> list[tuple[str, str]]:
    """Every version of the protocols of the complaint's station, named as the decider reads
    them in the page's language (station, contest, version, how and when it was made): the
    decider picks the version an upheld complaint caused by what the station's page shows, not
    by the database's number for it, which is only the choice's value."""
    if not complaint.station_id:
        return []
    rows = (Protocol.objects.filter(station_id=complaint.station_id)
            .select_related("station", "contest").order_by("contest__id", "version"))
    out = []
    for p in rows:
        how = pgettext(*SOURCES[p.source]) if p.source in SOURCES else p.source
        out.append((str(p.pk), " · ".join([
            gettext("Station %(n)s") % {"n": p.station.number}, p.contest.name(),
            f"{gettext('Version')} {p.version} ({how})", local_time(p.created_at)])))
    return out

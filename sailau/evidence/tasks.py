"""What a volunteer is shown for a task: the image and the empty form of its contest (lines,
choices, the control relations as a checksum), never the official figures nor another
volunteer's reading."""

from __future__ import annotations

from django.urls import reverse

from sailau.evidence.models import Assignment
from sailau.languages import pick


def task_json(task: Assignment, lang: str) -> dict:
    return {"task": task.pk, "image_url": reverse("evidence:image", args=[task.pk]),
            "source": task.image.source, **form_json(task.image, lang)}


def form_json(image, lang: str) -> dict:
    """The empty form of the image's contest."""
    contest = image.contest
    form = contest.form
    lines = [{"key": ln.key, "number": ln.number, "label": pick(ln.label, lang),
              "required": ln.required} for ln in form.lines]
    choice_rows = [{"key": ch.key, "label": ch.name(lang)}
                   for ch in contest.choices.order_by("order")]
    relations = [{"code": r.code, "severity": r.severity, "explanation": pick(r.explanation, lang),
                  "lines": list(r.lines)} for r in form.relations]
    return {"contest": contest.name(lang), "lines": lines,
            "choice_lines": choice_rows, "relations": relations}


"""Pages at /<lang>/evidence/: what volunteers do and the statistics (public), joining,
claiming stations and typing (signed in), one image's verified reading beside the official
figures (public once verified; a moderator decides there). Refusals (`SailauError`) become
pages in the visitor's language (sailau.web.refusals)."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sailau import filestores, tabledownload
from sailau.elections.models import Election, Station
from sailau.errors import BadInput, Code, NotFound, SailauError
from sailau.evidence import (
    compare,
    complaint,
    dispatch,
    readings,
    stats,
    tasks,
    texts,
    volunteers,
)
from sailau.evidence.models import Assignment, Claim, Image, Volunteer
from sailau.i18n import page_lang
from sailau.languages import page_words, pick

LOGIN_URL = reverse_lazy("complaints:login")


def _election(request) -> Election | None:
    eid = request.POST.get("election") or request.GET.get("election")
    qs = Election.objects.order_by("-date", "id")
    return (qs.filter(pk=eid).first() if eid else None) or qs.first()


def _id(value) -> int:
    """A posted id, or 0 (no such row) for anything that is not one."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else 0


def _volunteer(request) -> Volunteer | None:
    if not request.user.is_authenticated:
        return None
    return Volunteer.objects.filter(user=request.user).first()


@never_cache
def home(request):
    election = _election(request)
    lang = page_lang()
    v = _volunteer(request)
    t = page_words(texts.catalogue(election), lang)
    rows = stats.by_territory(election.id, lang) if election else []
    return render(request, "evidence/home.html", {
        "t": t, "election": election, "elections": Election.objects.all(), "volunteer": v,
        "rows": [{**r, "cells": [(t[c], r[c]) for c in stats.COLUMNS]} for r in rows],
        "headers": [(c, t[c]) for c in stats.COLUMNS],
        "login_url": f"{LOGIN_URL}?next={request.path}"})


@require_POST
@login_required(login_url=LOGIN_URL)
def join(request):
    volunteers.become(request.user)
    return redirect("evidence:task")


@never_cache
@login_required(login_url=LOGIN_URL)
def task(request):
    if request.method == "GET" and not Volunteer.objects.filter(user=request.user).exists():
        # Not a volunteer yet: the page with the button that makes one (anyone signed in may),
        # not a refusal telling of roles an election's administrator gives.
        return redirect("evidence:home")
    v = volunteers.of(request.user)
    lang = page_lang()
    t = page_words(texts.PAGE, lang)
    values: dict = {}
    findings = None
    status = 200
    if request.method == "POST":
        task_id = _id(request.POST.get("task"))
        a = Assignment.objects.filter(pk=task_id, volunteer=v).select_related("image").first()
        if a is None:
            raise NotFound(code=Code.NOT_FOUND, message=texts.NO_TASK, field="task")
        values = {k: v_ for k, v_ in request.POST.items() if k.startswith(("f_", "c_"))}
        figures = {k[2:]: x for k, x in values.items() if k.startswith("f_")}
        choices = {k[2:]: x for k, x in values.items() if k.startswith("c_")}
        action = request.POST.get("action", "send")
        try:
            if action == "check":
                findings = readings.read_figures(a.image, figures, choices)[2]
            else:
                volunteers.limit(request)
                readings.submit(v, a.pk, figures, choices, unreadable=action == "unreadable")
                return redirect(reverse("evidence:task") + "?saved=1")
        except BadInput as exc:
            return _task_page(request, a, t, lang, values, None, exc.page_text(lang), 422)
    current = dispatch.next_task(v)
    if current is None:
        return render(request, "evidence/task.html", {"t": t, "task": None,
                                                      "saved": "saved" in request.GET})
    return _task_page(request, current, t, lang, values if findings is not None else {},
                      findings, None, status)


def _task_page(request, a, t, lang, values, findings, error, status):
    shown = tasks.task_json(a, lang)
    for row in shown["lines"]:
        row["value"] = values.get(f"f_{row['key']}", "")
    for row in shown["choice_lines"]:
        row["value"] = values.get(f"c_{row['key']}", "")
    if findings is not None:
        findings = [{"code": f["code"], "text": pick(f["message"], lang)} for f in findings]
    return render(request, "evidence/task.html", {
        "t": t, "task": shown, "findings": findings, "error": error,
        "source": t[a.image.source], "saved": "saved" in request.GET}, status=status)


def _file_of(image: Image):
    return image.scan.file if image.source == Image.SCAN else image.copy.photo


def _serve(image: Image, blind: bool = False):
    """The image's file (sailau.filestores.serve: a pre-signed redirect on object storage). A
    blind task's image passes through the application: the object's key names the station."""
    f = _file_of(image)
    return filestores.serve(f, _content_type(f.name), f"image-{image.pk}.{f.name.rsplit('.', 1)[-1]}",
                            redirect=not blind)


def _content_type(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower()
    return {"png": "image/png", "pdf": "application/pdf"}.get(ext, "image/jpeg")


@login_required(login_url=LOGIN_URL)
def image(request, task_id: int):
    """The image of one of the volunteer's own tasks (by task, so the address names no
    station and shows no figures)."""
    a = get_object_or_404(Assignment.objects.select_related("image__scan", "image__copy"),
                          pk=task_id, volunteer__user=request.user)
    return _serve(a.image, blind=True)


def image_file(request, image_id: int):
    """A verified image, for anyone: its reading is settled, nothing left to influence."""
    img = get_object_or_404(Image.objects.select_related("scan", "copy"), pk=image_id,
                            status=Image.VERIFIED)
    return _serve(img)


@never_cache
@login_required(login_url=LOGIN_URL)
def claims(request):
    v = volunteers.of(request.user)
    election = _election(request)
    lang = page_lang()
    if request.method == "POST":
        number = request.POST.get("number", "").strip()
        if request.POST.get("remove"):
            volunteers.unclaim(v, _id(request.POST["remove"]))
        else:
            st = (Station.objects.filter(election=election, number=_id(number)).first()
                  if election else None)
            if st is None:
                raise BadInput(code=Code.BAD_INPUT, field="number", message={
                    lang_: text.format(station=number[:20])
                    for lang_, text in texts.UNKNOWN_STATION.items()})
            volunteers.claim(v, st)
        return redirect(reverse("evidence:claims") + (f"?election={election.id}" if election
                                                      else ""))
    mine = Claim.objects.filter(volunteer=v).select_related("station").order_by("station__number")
    return render(request, "evidence/claims.html", {
        "t": page_words(texts.catalogue(election), lang), "claims": mine, "election": election,
        "elections": Election.objects.all()})


def stats_csv(request):
    election = _election(request)
    if election is None:
        raise NotFound(code=Code.UNKNOWN_ELECTION, field="election", message="no election")
    resp = tabledownload.csv_attachment(f"evidence-{election.id}.csv")
    w = csv.writer(resp)
    w.writerow(["territory", "territory_name", *stats.COLUMNS])
    for r in stats.by_territory(election.id, page_lang()):  # names are imported text: cells made safe
        w.writerow(tabledownload.row([r["territory"] or "total", r["name"],
                                      *(r[c] for c in stats.COLUMNS)]))
    return resp


def stats_json(request):
    """The same rows as the page and the CSV, as JSON (the API's /api/evidence/stats too)."""
    election = _election(request)
    if election is None:
        raise NotFound(code=Code.UNKNOWN_ELECTION, field="election", message="no election")
    resp = JsonResponse({"election": election.id, "columns": list(stats.COLUMNS),
                         "rows": stats.by_territory(election.id, page_lang())})
    resp["Content-Disposition"] = f'attachment; filename="evidence-{election.id}.json"'
    return resp


@never_cache
def evidence(request, image_id: int):
    """One image beside its verified reading and the official figures, line by line."""
    img = get_object_or_404(Image.objects.select_related("station", "contest", "protocol",
                                                         "duplicate_of__station"), pk=image_id)
    lang = page_lang()
    t = page_words(texts.PAGE, lang)
    error = None
    if request.method == "POST" and request.user.is_authenticated:
        try:
            fig = {k[2:]: x for k, x in request.POST.items() if k.startswith("f_")}
            cho = {k[2:]: x for k, x in request.POST.items() if k.startswith("c_")}
            readings.moderate(request.user, img.pk, fig, cho)
            return redirect("evidence:evidence", image_id=img.pk)
        except BadInput as exc:
            error = exc.page_text(lang)
    summary = summarise(img, lang) if img.status == Image.VERIFIED else None
    form = None
    if img.status in (Image.MODERATION, Image.UNREADABLE) and request.user.is_authenticated:
        try:
            form = tasks.form_json(img, lang)
        except SailauError:
            form = None
    may_complain = bool(summary and summary["status"] == compare.MISMATCH
                        and complaint.finder_kind(img, request.user))
    return render(request, "evidence/evidence.html", {
        "t": t, "image": img, "summary": summary, "form": form, "error": error,
        "may_complain": may_complain,
        "source": t[img.source],
        "duplicate": t["duplicate_text"].format(number=img.duplicate_of.station.number)
        if img.duplicate_of else ""}, status=422 if error else 200)


def summarise(img: Image, lang: str) -> dict:
    """What a page says of one verified image: its status sentence and the lines side by side."""
    from sailau.protocols.catalog import line_names

    (row,) = compare.compared([img])
    t = page_words(texts.PAGE, lang)
    sentence = {compare.MATCH: t["match_text"], compare.MISMATCH: t["mismatch_text"],
                compare.SUPERSEDED: t["superseded_text"],
                compare.NO_OFFICIAL: t["no_official_text"]}[row["status"]]
    official = compare.current_protocols([(img.station_id, img.contest_id)]).get(
        (img.station_id, img.contest_id))
    names = line_names(img.contest, lang)
    differing = {d["line"] for d in row["differences"]}
    lines = []
    for part in ("figures", "choices"):
        mine = getattr(img, part) or {}
        theirs = (official or {}).get(part) or {}
        for key in mine:
            lines.append({"label": names.get(key, key), "paper": mine[key],
                          "official": theirs.get(key), "differs": key in differing})
    return {"status": row["status"], "lines": lines,
            "text": sentence.format(n=img.verified_by, version=row.get("version"),
                                    current=row.get("current_version"))}


@never_cache
@login_required(login_url=LOGIN_URL)
def file_complaint(request, image_id: int):
    """The finder's complaint about a mismatch, pre-filled: they check it and file it."""
    img = get_object_or_404(Image.objects.select_related("station__territory__parent",
                                                         "station__election", "contest",
                                                         "protocol", "scan", "copy__observer"),
                            pk=image_id)
    lang = page_lang()
    if request.method == "POST":
        c, created = complaint.file(img, request.user, lang, {
            k: request.POST.get(k, "") for k in ("filer_name", "filer_contact", "text")})
        flag = "filed" if created else "duplicate"
        return redirect(reverse("complaints:case", args=[c.receipt]) + f"?{flag}=1")
    d = complaint.draft(img, request.user, lang)
    t = page_words(texts.PAGE, lang)
    terms = d["decision_due"]
    from sailau.complaints.services import deadlines_for

    return render(request, "evidence/complaint.html", {
        "t": t, "image": img, "d": d, "summary": summarise(img, lang), "source": t[img.source],
        "deadline": t["complaint_deadline"].format(
            date=d["filing_deadline"].isoformat(), event=d["event_date"],
            days=deadlines_for(img.station.election).contest_days),
        "due": t["complaint_due"].format(date=terms.date.isoformat(), days=terms.days),
        "to": t["complaint_to"].format(body=d["body_name"]),
        "against": t["complaint_against"].format(name=d["against_name"])})

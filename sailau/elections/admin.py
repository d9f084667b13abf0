from django.contrib import admin

from sailau import languages

from . import models


def _by_language(*mappings: str) -> list[str]:
    """Search fields for spellings kept by language (`names__kk`, `names__ru`, ...): every
    written language, read from the list at each search."""
    return [f"{m}__{lang}" for m in mappings for lang in languages.WRITTEN]


@admin.register(models.Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "kind", "date", "synthetic"]


@admin.register(models.Commission)
class CommissionAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "level", "parent"]
    list_filter = ["election", "level"]
    raw_id_fields = ["parent"]

    def get_search_fields(self, request):
        return ["id", *_by_language("names")]


class MemberInline(admin.TabularInline):
    model = models.Member
    extra = 0


@admin.register(models.Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "place", "where", "registered", "territory"]
    list_filter = ["election", "kind", "urban", "territory"]
    raw_id_fields = ["commission", "district", "territory", "smd"]

    def get_search_fields(self, request):
        return ["id", "number", *_by_language("addresses", "settlements")]


@admin.register(models.Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["short", "name", "registration_order"]
    list_filter = ["election"]


class ChoiceInline(admin.TabularInline):
    model = models.Choice
    extra = 0


@admin.register(models.Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "ruleset", "seats"]
    list_filter = ["election", "kind"]
    inlines = [ChoiceInline]
    raw_id_fields = ["commission"]


@admin.register(models.Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["full_name", "party", "list_position", "status"]
    list_filter = ["contest__election", "status", "woman"]
    search_fields = ["full_name"]
    raw_id_fields = ["contest", "choice"]


@admin.register(models.Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "role", "nominated_by", "commission"]
    search_fields = ["full_name", "nominated_by"]
    raw_id_fields = ["commission"]

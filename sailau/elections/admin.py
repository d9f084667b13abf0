from django.contrib import admin

from . import models


@admin.register(models.Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["id", "name_kk", "kind", "date", "synthetic"]


@admin.register(models.Commission)
class CommissionAdmin(admin.ModelAdmin):
    list_display = ["id", "name_kk", "level", "parent"]
    list_filter = ["election", "level"]
    search_fields = ["id", "name_kk", "name_ru", "name_en"]
    raw_id_fields = ["parent"]


class MemberInline(admin.TabularInline):
    model = models.Member
    extra = 0


@admin.register(models.Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "settlement", "address", "registered", "territory"]
    list_filter = ["election", "kind", "urban", "territory"]
    search_fields = ["id", "number", "address", "settlement"]
    raw_id_fields = ["commission", "district", "territory", "smd"]


@admin.register(models.Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["short", "name_kk", "registration_order"]
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

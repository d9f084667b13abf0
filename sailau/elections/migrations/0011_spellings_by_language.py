"""Names, addresses and settlements as one mapping by written language (`names`, `addresses`,
`settlements`: {"kk": ..., "ru": ...}) in place of a column per language, so that a language
added to `sailau.languages.WRITTEN` needs no migration. The rows' spellings move both ways; an
empty spelling is not kept in the mapping (it reads by the one fallback rule, as "" did)."""

from django.db import migrations, models

# (model, mapping, {language: old column}): the columns of the schema before this migration.
NAMES = {"kk": "name_kk", "ru": "name_ru", "en": "name_en"}
MOVES = [
    *((model, "names", NAMES) for model in ("election", "commission", "party", "contest",
                                             "choice")),
    ("commission", "addresses", {"kk": "address", "ru": "address_ru", "en": "address_en"}),
    ("station", "addresses", {"kk": "address", "ru": "address_ru"}),
    ("station", "settlements", {"kk": "settlement", "ru": "settlement_ru"}),
]
BATCH = 2000
# The old columns that took no blank, made to take one before they go: undone, the migration
# adds them back to rows that exist, which needs a default ("" for a column that takes a blank).
REQUIRED = [*((model, "name_kk", 300) for model in ("election", "commission", "party", "contest",
                                                    "choice")),
            ("station", "address", 300), ("station", "settlement", 150)]


def _move(apps, forward: bool) -> None:
    for model_name in dict.fromkeys(model for model, _, _ in MOVES):
        model = apps.get_model("elections", model_name)
        moves = [(mapping, cols) for m, mapping, cols in MOVES if m == model_name]
        fields = ([mapping for mapping, _ in moves] if forward
                  else [col for _, cols in moves for col in cols.values()])
        rows = []
        for row in model.objects.order_by("pk").iterator(chunk_size=BATCH):
            for mapping, cols in moves:
                if forward:
                    setattr(row, mapping, {lang: getattr(row, col) for lang, col in cols.items()
                                           if getattr(row, col)})
                else:
                    kept = getattr(row, mapping) or {}
                    for lang, col in cols.items():
                        setattr(row, col, kept.get(lang) or "")
            rows.append(row)
            if len(rows) == BATCH:
                model.objects.bulk_update(rows, fields)
                rows = []
        if rows:
            model.objects.bulk_update(rows, fields)


def forwards(apps, schema_editor):
    _move(apps, forward=True)


def backwards(apps, schema_editor):
    _move(apps, forward=False)


class Migration(migrations.Migration):

    dependencies = [
        ("elections", "0010_choice_order_by_key"),
    ]

    operations = [
        *(migrations.AddField(model_name=model, name=mapping,
                              field=models.JSONField(default=dict, blank=mapping != "names"
                                                     and model == "commission"))
          for model, mapping, _ in MOVES),
        migrations.RunPython(forwards, backwards),
        *(migrations.AlterField(model_name=model, name=col,
                                field=models.CharField(blank=True, max_length=length))
          for model, col, length in REQUIRED),
        *(migrations.RemoveField(model_name=model, name=col)
          for model, _, cols in MOVES for col in cols.values()),
    ]

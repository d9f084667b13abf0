"""`sailau demo` and `sailau serve` compile the catalogues at start (`catalogue.compile_all`):
a checkout run without `scripts/bootstrap` serves its pages in their languages, not English."""

import shutil

import polib

from sailau.languages import catalogue


def test_a_missing_or_older_catalogue_is_compiled_and_a_current_one_left(tmp_path):
    folder = tmp_path / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(catalogue.LOCALE / "ru" / "LC_MESSAGES" / "django.po", folder / "django.po")
    assert catalogue.compile_all(tmp_path) == [folder / "django.mo"]
    mo = polib.mofile(str(folder / "django.mo"))
    assert mo.find("Not witnessed: this log has no witnesses, so every figure here rests on "
                   "the log's own signature alone.").msgstr.startswith("Не засвидетельствовано")
    assert catalogue.compile_all(tmp_path) == []  # up to date: nothing written

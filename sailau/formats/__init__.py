"""Django's number formats of the pages, made from `sailau.languages.DECIMAL_SEPARATORS` (the
settings' FORMAT_MODULE_PATH): a figure a template localises (`{{ share }}`, `floatformat`) is
written with the decimal separator of the page's language, the same one the `pct` and `fraction`
filters write. Django's own Russian and English formats agree; it has none for Kazakh, whose
pages wrote a point beside the Russian pages' comma. A Kazakh page in Latin script reads the
Kazakh module (Django looks up `kk_Latn`, then `kk`)."""

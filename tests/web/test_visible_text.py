"""The one-language crawl's reading of a page (visible_text.py): Kazakh words on a Russian page
and Russian ones on a Kazakh page, outside elements that declare their language or that they
are shown as written."""

from tests.web.visible_text import cyrillic_words, other_language_words

PAGE = """<html lang="{lang}"><head><title>Айгүл Оспанова</title></head><body>
<nav><a href="/kk/" lang="kk" hreflang="kk">Қазақша</a> <a href="/ru/" lang="ru">Русский</a></nav>
<h1>{heading}</h1><p>Наблюдатель <span translate="no">Айгүл Оспанова</span>, ул. Абая</p>
<svg><title>{svg}</title></svg><img alt="{alt}" src="x.png"><br lang="kk">{after}</body></html>"""


def _page(lang="ru", heading="Избирательная комиссия", svg="Алматы", alt="", after=""):
    return PAGE.format(lang=lang, heading=heading, svg=svg, alt=alt, after=after)


def test_a_russian_page_with_kazakh_only_where_declared_is_clean():
    assert other_language_words(_page(), "ru") == []


def test_kazakh_data_on_a_russian_page_is_found_wherever_a_reader_sees_it():
    assert other_language_words(_page(heading="Жезқазған қаласы"), "ru") == ["Жезқазған", "қаласы"]
    assert other_language_words(_page(heading="область Ұлытау"), "ru") == []  # its official name
    assert other_language_words(_page(svg="Жамбыл көшесі"), "ru") == ["көшесі"]
    assert other_language_words(_page(alt="Қарағанды"), "ru") == ["Қарағанды"]
    # an element with no end tag covers nothing after it
    assert other_language_words(_page(after="Жезқазған"), "ru") == ["Жезқазған"]


def test_russian_data_on_a_kazakh_page_is_found_by_its_words():
    kk = _page(lang="kk", heading="Сайлау комиссиясы")
    # the page above says "ул. Абая" outside any marked element
    assert other_language_words(kk, "kk") == ["ул."]
    assert other_language_words(kk.replace(", ул. Абая", ""), "kk") == []
    assert other_language_words(_page(lang="kk", heading="город Жезказган").replace(
        ", ул. Абая", ""), "kk") == ["город"]


def test_the_data_a_script_draws_is_read_too():
    """The observer's form draws its stations from JSON in the page ("Рим, Қазақстан
    Республикасының елшілігі" in its list on a Russian page)."""
    data = ('<script type="application/json" id="boot">{"stations": [{"id": "kz.1", '
            '"address": "Рим, Қазақстан Республикасының елшілігі"}]}</script>')
    assert other_language_words(_page(after=data), "ru") == ["Қазақстан", "Республикасының",
                                                             "елшілігі"]
    assert other_language_words(_page(after=data.replace(
        "Қазақстан Республикасының елшілігі", "посольство Республики Казахстан")), "ru") == []


LATIN_PAGE = """<html lang="kk-latn"><head><title>Aigül Ospanova</title></head><body>
<nav><a href="/kk/" lang="kk" hreflang="kk">Қазақша</a> <a href="/ru/" lang="ru">Русский</a></nav>
<h1>{heading}</h1><p>Baqylauşy <span translate="no">Айгүл Оспанова</span></p>
<img alt="{alt}" src="x.png"></body></html>"""


def test_cyrillic_on_a_latin_page_is_seen_outside_declared_languages():
    """The switch's names and a name as written are exempt; a heading or an alt text is not."""
    assert cyrillic_words(LATIN_PAGE.format(heading="Qazaqstan", alt="")) == []
    assert cyrillic_words(LATIN_PAGE.format(heading="Qazaqstan Республикасы", alt="")) == [
        "Республикасы"]
    assert cyrillic_words(LATIN_PAGE.format(heading="Qazaqstan", alt="Қарағанды")) == ["Қарағанды"]

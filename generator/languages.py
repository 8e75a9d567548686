"""Which language a short text is written in: enough to mark a bibliography entry ``lang``.

A French workbook cites English works and the reverse; marked with their own language, their
titles hyphenate and are read aloud in it. A source may say its language (``lang``); otherwise
a title and the place it appeared say enough through their small words (articles,
prepositions) and a few letters, and a text that says too little is left unmarked (read in
the document's language).
"""

from __future__ import annotations

import re
import unicodedata

from generator.models import Source

_WORDS = {
    "fr": "le la les l un une des du de d au aux et ou en dans pour par sur avec sans entre "
    "chez vers qui que qu est son sa ses leur leurs ce cette ces",
    "en": "the a an of and or in on for to with from by at into its is are as how what when "
    "their your that this",
    "de": "der die das den dem des ein eine einer eines und oder in im mit für von zur zum bei "
    "auf aus über ist wie",
    "es": "el la los las un una unos unas de del y o en con para por sobre entre al su sus "
    "como que es",
    "it": "il lo la i gli le un una uno di del della dei delle e o in con per su tra fra al nel "
    "nella come che è",
}
SMALL_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split()) for lang, words in _WORDS.items()
}
"""Articles, prepositions and other small words of each language (lower case)."""
LETTERS: dict[str, str] = {"fr": "éèêàçœùû", "de": "äöüß", "es": "ñ¿¡áíóú", "it": "ìò"}
WORD = re.compile(r"[^\W\d_]+")
ENGLISH_ENDING = re.compile(r"[a-z]{3,}ing$")
MIN_SCORE = 1.0
"""The evidence a language needs (a small word found in k languages counts 1/k, a telling
letter 1, an English ``-ing`` word 1/2), and the lead it needs over the next one
(``MIN_SCORE`` × 3/4), before a text is said to be in it."""


def _script(text: str) -> str | None:
    """``ar`` for a text mostly in Arabic letters."""
    letters = [char for char in text if char.isalpha()]
    arabic = sum(1 for char in letters if "ARABIC" in unicodedata.name(char, ""))
    return "ar" if letters and arabic * 2 > len(letters) else None


def detect_language(text: str) -> str | None:
    """The language ``text`` is most likely in, or None when it says too little."""
    script = _script(text)
    if script is not None:
        return script
    lowered = text.lower()
    scores = dict.fromkeys(SMALL_WORDS, 0.0)
    for word in WORD.findall(lowered):
        holders = [lang for lang, words in SMALL_WORDS.items() if word in words]
        for lang in holders:
            scores[lang] += 1 / len(holders)
        if not holders and ENGLISH_ENDING.match(word):
            scores["en"] += 0.5
    for lang, letters in LETTERS.items():
        if any(letter in lowered for letter in letters):
            scores[lang] += 1
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (best, score), (_, runner_up) = ranked[0], ranked[1]
    if score < MIN_SCORE or score - runner_up < MIN_SCORE * 3 / 4:
        return None
    return best


def text_language(text: str, document: str) -> str | None:
    """The language to mark ``text`` with in a document in ``document``: its own, when it is
    recognised and differs; else None (no mark: it reads in the document's language)."""
    found = detect_language(text)
    return found if found is not None and found != document else None


def source_languages(source: Source, document: str) -> tuple[str | None, str | None]:
    """The languages to mark a source's title and the place it appeared with, in a document in
    ``document`` (None: no mark). The source's own ``lang`` wins for its title; the place is
    guessed (an English chapter may sit in a French book)."""
    title = source.lang if source.lang is not None else detect_language(source.title)
    container = text_language(source.container, document)
    return (title if title != document else None), container

"""Last pass over the paragraphs, whichever path produced them: drop what is furniture
by its wording rather than its markup — the headline repeated on top, bylines and
datelines as text, ad labels, calls to subscribe or share, cookie notices, comment
prompts, copyright lines, menus that escaped pruning, paragraphs that are one link —
and immediate repeats.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from worldwire.extract.blocks import is_printed_url
from worldwire.extract.dates import DATE_WORDS, parse_date
from worldwire.extract.metadata import Metadata
from worldwire.extract.text import similar, word_key, words

_HEADLINE_ZONE = 3
_DATE_LINE = 60
_DATE_WORDS = re.compile(r"[^\W\d_]+")
# Furniture sentences are short; a long paragraph that merely mentions "subscribe" is prose.
_SHORT = 220
# Furniture lines, recognised by how they start (anchored, so a miss fails fast).
_STARTS = re.compile(
    r"(?:"
    # ad slots
    r"[-–—\s]*(?:advertisement|advertising|anzeige|werbung|publicité|publicidad|pubblicità|"
    r"reklama|sponsored(?: content)?|paid content)[-–—\s]*$|"
    # calls to action
    r"(?:read|see|watch|listen|click|tap|view)(?: the)? (?:more|also|next|here|full)\b|"
    r"(?:related|recommended|more|also read|read also|see also|don't miss|must read|trending|"
    r"most (?:read|popular)|lesen sie auch|mehr zum thema|auch interessant|lire aussi|"
    r"à lire aussi|leia também|lea también|te puede interesar|leggi anche|verwandte|"
    r"ähnliche (?:artikel|beiträge)|(?:temas|artículos|noticias|notas) relacionad[oa]s|"
    r"articles? (?:liés|similaires)|artigos relacionados)\b|"
    r"(?:print|drucken|imprimer|imprimir)(?: this)?(?: \w+)?$|\w+ (?:drucken|imprimer)$|"
    r"(?:sign up|subscribe|register|join)\b.*\b(?:newsletter|inbox|email|updates|free)\b|"
    r"(?:subscribe|sign up|sign in|log in|register)\s*!?$|"
    r"subscribe to\b|"
    r"(?:facebook|twitter|google\+|whatsapp|linkedin|pinterest|telegram|reddit|e-?mail|print|"
    r"tumblr|xing|messenger|imprimir|drucken|imprimer)$|"
    r"(?:share|teilen|partager|compartir)(?: this| on| via| article| story)?\b.{0,60}$|"
    r"like this:?$|like loading\b|"
    r"(?:leave a (?:reply|comment)|post a comment|add a comment|write a comment|recent comments|"
    r"no comments|"
    r"\d+\s+comments?|comments?|kommentare?|commentaires?|comentarios?)\b.{0,80}$|"
    r"you must be logged in|log ?in to (?:comment|reply)|your email address will not be published|"
    # legal lines, credits, datelines, labels left without their links
    r"(?:©|\(c\)|copyright\b)|"
    r"(?:photo|image|picture|foto|bild|credit)s?\s*(?:credit)?\s*[:©]|"
    r"(?:published|updated|posted|last updated|veröffentlicht|aktualisiert|publié|publicado)"
    r"\b.{0,60}$|"
    r"(?:by|von|par|por|door)\s*:?$|"  # a byline's lead word, its name in a link of its own
    r"(?:tags?|categories|category|filed under|topics?|schlagworte|themen|stichworte|"
    r"etiquetas|mots-clés)\s*:?\s*$"
    r")",
    re.I,
)
# ...or by a phrase anywhere in them (these lines are short: see _SHORT).
_PHRASES = re.compile(
    r"\b(?:newsletter|subscribe to our|subscribe now|abonnieren sie|jetzt abonnieren|"
    r"click here|contact us|uses? cookies|use of cookies|cookie policy|cookie settings|"
    r"we use cookies|"
    r"accept (?:all )?cookies|verwendet cookies|utilise des cookies|utiliza cookies|"
    r"assume you'?re ok with this|all rights reserved)\b|"
    r"\b(?:follow|like)\b.{0,80}\b(?:twitter|facebook|instagram|linkedin|tiktok|youtube|"
    r"@\w{2,})",
    re.I,
)
_SHARE_PROMPT = re.compile(r"\b(?:share (?:it|this)|jetzt teilen)\b", re.I)
# A byline printed as text: case matters ("By contrast, ..." is prose).
_BYLINE_LINE = re.compile(
    r"(?:[Bb]y|[Vv]on|[Pp]ar|[Pp]or)\s+(?:[A-ZÀ-Ý][\w'.-]+(?:\s+[A-ZÀ-Ý][\w'.-]+){0,3}|admin)"
    r"(?:\s*[,|·•–—-].{0,60})?$"
)
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")
# A label (kicker, section name, promo line) has a few words and no full stop; a sentence
# ends like one, or runs long.
_SENTENCE_END = re.compile(r"[.!?…:。！？：]\W*$")
_SENTENCE_WORDS = 3
_LABEL_WORDS = 12


def is_furniture(paragraph: str) -> bool:
    """Whether a short paragraph is page furniture by its wording."""
    if len(paragraph) > _SHORT:
        return False
    line = paragraph.lstrip("-–•* ")
    return bool(
        _STARTS.match(line)
        or _PHRASES.search(line)
        or _BYLINE_LINE.match(line)
        or (len(line) <= 70 and _SHARE_PROMPT.search(line))
    )


def clean_paragraphs(
    paragraphs: list[str], meta: Metadata, link_texts: frozenset[str] = frozenset()
) -> list[str]:
    """paragraphs without furniture. link_texts: the word-normalised texts of the page's
    links (see link_texts()), to recognise paragraphs that are nothing but a link."""
    paragraphs = _without_word_lists(paragraphs)
    kept: list[str] = []
    previous = ""
    headline = ""
    started = False  # a sentence has been kept: the text has begun
    for paragraph in paragraphs:
        key = word_key(paragraph)
        # Only an immediate repeat is a glitch: recipes and meal plans repeat lines on purpose.
        if not key or key == previous:
            continue
        # Above the first sentence, a line without a letter is a view, share or comment
        # counter; further down it is a figure of the text (a poll result, a score).
        if not started and not _LETTER.search(key):
            continue
        # The headline printed again on top goes (it may follow a kicker or a section
        # label, never a sentence); a repeated description stays, because many sites
        # derive it from the first paragraph, which then belongs to the text.
        if not started and len(kept) < _HEADLINE_ZONE and _restates(paragraph, meta.title, 0.8):
            headline = headline or paragraph
            continue
        # A dateline goes, unless it is what the headline says (a brief on a date).
        if (
            len(paragraph) <= _DATE_LINE
            and _DIGIT.search(paragraph)
            and _mostly_date(paragraph)
            and parse_date(paragraph)
            and not _restates(paragraph, meta.title, 0.8)
        ):
            continue
        if is_furniture(paragraph):
            continue
        if key in link_texts:
            continue  # a paragraph that is one link: a related-article teaser
        if _is_byline(paragraph, meta):
            continue
        previous = key
        kept.append(paragraph)
        started = started or _is_sentence(paragraph)
    # A brief whose only text is its headline: that text is the article.
    return kept if started or not headline else [headline]


# Eight or more one-to-three-word lines in a row are a menu, a tag cloud or a category
# list that escaped pruning, not prose.
_WORD_LIST_RUN = 8
_LIST_ITEM = re.compile(r"^[^.!?:;]{1,30}$")


def link_texts(root: HtmlElement) -> frozenset[str]:
    """Texts of the links on a page long enough to be article titles."""
    found = set()
    for anchor in root.iter("a"):
        text = anchor.text_content().strip()
        key = word_key(text)
        if key.count(" ") >= 3 and not is_printed_url(text):
            found.add(key)
    return frozenset(found)


def _without_word_lists(paragraphs: list[str]) -> list[str]:
    kept: list[str] = []
    run: list[str] = []
    for paragraph in [*paragraphs, ""]:
        if paragraph and len(paragraph.split()) <= 3 and _LIST_ITEM.match(paragraph):
            run.append(paragraph)
            continue
        if len(run) < _WORD_LIST_RUN:
            kept.extend(run)
        run = []
        if paragraph:
            kept.append(paragraph)
    return kept


def _is_sentence(paragraph: str) -> bool:
    count = len(paragraph.split())
    return count > _LABEL_WORDS or (
        count >= _SENTENCE_WORDS and bool(_SENTENCE_END.search(paragraph))
    )


def _mostly_date(paragraph: str) -> bool:
    """A dateline such as "August 08, 2018" or "Mon 12.03.2021, 10:45 Uhr": nothing but
    the date, its month and weekday names and a few glue words."""
    return all(w.lower() in DATE_WORDS for w in _DATE_WORDS.findall(paragraph))


def _restates(paragraph: str, line: str, threshold: float) -> bool:
    """The paragraph says the line again (not merely contains it)."""
    if not line or len(paragraph) > 1.3 * len(line) + 20:
        return False
    return similar(paragraph, line, threshold)


def _is_byline(paragraph: str, meta: Metadata) -> bool:
    if not meta.author or len(paragraph) > 120:
        return False
    names = [n for n in meta.author.split("; ") if n]
    text = word_key(paragraph)
    return any(word_key(name) in text for name in names) and len(words(paragraph)) <= 12

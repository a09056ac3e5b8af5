"""Paywall and consent-wall stubs: pages that show a teaser or a cookie dialog where the
article should be. They are flagged, and their text is not passed off as the article.

The evidence is gathered before furniture pruning (which removes the subscription
prompts), the verdict is given after extraction: a page that says "subscribers only"
but still yields a full article is not a stub.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from worldwire.extract.structured import Signals

# An extraction shorter than this, on a page with paywall signs, is a teaser.
PAYWALL_STUB_CHARS = 1500
# A consent wall leaves almost nothing but the dialog.
CONSENT_STUB_CHARS = 600

_PAYWALL_WORDS = re.compile(
    r"subscribe to (?:continue|read|unlock)|subscribers? only|for subscribers|"
    r"to continue reading|continue reading (?:with|by subscribing)|already a subscriber|"
    r"this (?:article|story|content) is (?:only )?(?:available|exclusive) (?:to|for) subscribers|"
    r"sign in to (?:read|continue)|create (?:a )?free account to (?:read|continue)|"
    r"unlock (?:this|the full) (?:article|story)|"
    r"nur für abonnenten|jetzt abonnieren|weiterlesen mit|artikel ist exklusiv|"
    r"réservé aux abonnés|pour lire la suite|article réservé|"
    r"exclusivo para (?:suscriptores|assinantes)|contenido exclusivo|"
    r"riservato agli abbonati|alleen voor abonnees",
    re.I,
)
_CONSENT_CORE = re.compile(
    r"cookie|consent|einwilligung|consentement|consenso|toestemming|we value your privacy|"
    r"before you continue|privacy (?:settings|preferences|choices)",
    re.I,
)
_CONSENT_WORDS = re.compile(
    r"cookies?|consent|privacy (?:settings|preferences|policy|choices)|before you continue|"
    r"accept all|reject all|manage (?:options|preferences|settings)|we value your privacy|"
    r"datenschutz|einwilligung|zustimmen|akzeptieren|consentement|accepter|aceptar|"
    r"consenso|accetta|toestemming",
    re.I,
)


@dataclass(slots=True)
class WallSigns:
    declared: bool = False  # schema.org or a content-tier tag says the article is not free
    markup: bool = False  # the page carries paywall containers
    wording: bool = False  # the page text asks the reader to subscribe to read on


def read_wall_signs(signals: Signals, page_text: str, paywall_markup: bool) -> WallSigns:
    """Paywall evidence before pruning: the page text still holds the subscription prompt
    that furniture pruning is about to remove."""
    free = signals.article.get("isAccessibleForFree", signals.page.get("isAccessibleForFree"))
    tier = signals.first("article:content_tier", "content_tier").lower()
    declared = (
        free is False
        or (isinstance(free, str) and free.strip().lower() == "false")
        or tier in ("locked", "metered", "premium")
    )
    # The wording only counts together with the markup, so it is only looked for then.
    wording = paywall_markup and bool(_PAYWALL_WORDS.search(page_text))
    return WallSigns(declared, paywall_markup, wording)


def judge(signs: WallSigns, text: str, title: str) -> tuple[str, ...]:
    """The flags for this extraction."""
    size = len(text)
    if size < CONSENT_STUB_CHARS and _is_consent_dialog(text, title):
        return ("consent-wall",)
    # Wording alone is weak (an article may quote "subscribers only"), so it needs the
    # markup or the declaration to agree.
    if size < PAYWALL_STUB_CHARS and (signs.declared or (signs.wording and signs.markup)):
        return ("paywall",)
    return ()


def _is_consent_dialog(text: str, title: str) -> bool:
    """Mostly consent wording, and at least one word that only consent dialogs use:
    "accepter" or "Datenschutz" alone occur in ordinary short news too."""
    if not (_CONSENT_CORE.search(text) or _CONSENT_CORE.search(title)):
        return False
    return len(_CONSENT_WORDS.findall(text)) + 2 * len(_CONSENT_WORDS.findall(title)) >= 2

from __future__ import annotations

from worldwire.extract.cues import CueIndex
from worldwire.extract.document import parse_html
from worldwire.extract.prune import drop_furniture, drop_non_content

ARTICLE = "<p>" + "The article text that must survive every pruning step. " * 20 + "</p>"


def pruned(html: str) -> tuple[str, bool]:
    root = parse_html(html)
    assert root is not None
    drop_non_content(root)
    paywall = drop_furniture(root, len(root.text_content()), CueIndex(root))
    return " ".join(" ".join(root.itertext()).split()), paywall


def test_non_content_elements_go_and_tails_stay() -> None:
    text, _ = pruned(
        "<html><head><title>t</title></head><body><nav>Home News</nav>"
        "<p>one <script>var x;</script>two <button>Share</button>three</p>"
        '<div hidden>hidden copy</div><div style="display: none">other copy</div>'
        '<div style="border:none">visible</div><footer>About us</footer></body></html>'
    )
    assert text == "one two three visible"


def test_layout_form_is_kept_search_form_goes() -> None:
    text, _ = pruned(f'<body><form id="aspnetForm">{ARTICLE}<form>Search</form></form></body>')
    assert "article text" in text and "Search" not in text


def test_named_furniture_goes() -> None:
    text, _ = pruned(
        f'<body><div class="entry">{ARTICLE}</div><div class="share-buttons">Share</div>'
        '<div id="comments">Nice post!</div><div class="related-posts">Other story</div>'
        '<div class="cookie-notice">We use cookies</div></body>'
    )
    assert text.startswith("The article text") and text.endswith("pruning step.")


def test_modifiers_and_body_names_protect() -> None:
    text, _ = pruned(
        f'<body><section class="o-section o-section--has-ads">{ARTICLE}</section>'
        f'<div class="l-sidebar-fixed l-article-body-segment">{ARTICLE}</div>'
        f'<div class="tab-menu--product">{ARTICLE}</div></body>'
    )
    assert text.count("The article text") == 60


def test_big_wrapper_named_like_furniture_survives_unless_it_is_links() -> None:
    text, _ = pruned(f'<body><div class="content-with-sidebar-wrp">{ARTICLE}</div></body>')
    assert "article text" in text
    menu = "".join(f'<li><a href="/{i}">Section number {i}</a></li>' for i in range(200))
    text, _ = pruned(f'<body><div class="navbar"><ul>{menu}</ul></div><p>Short article.</p></body>')
    assert text == "Short article."


def test_paywall_markup_is_reported() -> None:
    assert pruned(f'<body>{ARTICLE}<div class="paywall-prompt">Subscribe</div></body>')[1]
    assert not pruned(f"<body>{ARTICLE}</body>")[1]


def test_template_scripts_holding_the_post_are_unwrapped() -> None:
    text, _ = pruned(
        "<body><script type='text/template'><p>The post body lives here.</p></script></body>"
    )
    assert text == "The post body lives here."

"""The reader's web in real Chromium (Debian's, driven by Playwright): live updates,
search, small screens, accessibility, and hostile feed text."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import LiveWorldWire, Site

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def wait_live(page: Any) -> None:
    """Until the page's live stream is open. (A function, not a string: a string
    would be eval'd in the page, which its CSP forbids.)"""
    page.wait_for_function("() => document.getElementById('live-status').textContent === 'Live'")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("browser tests need Debian's Chromium at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that fails the test on any console error (a CSP violation is one)."""
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: errors.append(str(e)))
    yield opened
    context.close()
    assert errors == [], errors


def test_front_page_renders(site: Site, page: Any) -> None:
    page.goto(site.url + "/")
    assert page.locator("h1").inner_text() == "Latest"
    assert page.locator("article.story").count() >= 5
    assert page.locator("#live-status").inner_text(timeout=5000) in ("Live", "")
    wait_live(page)


def test_new_article_appears_live_and_search_finds_it(
    live_worldwire: LiveWorldWire, page: Any
) -> None:
    page.goto(live_worldwire.url + "/")
    page.wait_for_selector("article.story")
    wait_live(page)
    headline = f"Quetzal sighting stuns birdwatchers {time.time_ns()}"
    live_worldwire.feed.add(headline, "A rare bird in the cloud forest.")
    first = page.locator("article.story").first
    first.get_by_text(headline).wait_for(timeout=20_000)  # no reload: the stream put it there
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    # Search from the keyboard: "/" focuses the box.
    page.keyboard.press("/")
    page.keyboard.type("quetzal birdwatchers")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=quetzal+birdwatchers")
    assert page.locator("ol.hits mark").first.inner_text().lower() in ("quetzal", "birdwatchers")
    assert headline in page.locator("ol.hits").inner_text()


def test_a_story_is_updated_in_place(site: Site, page: Any) -> None:
    story_id = site.publish("nation", "Locusts swarm over farmland", "Farmers worry.")
    page.goto(site.url + "/")
    wait_live(page)
    card = page.locator(f"#s-{story_id}")
    assert "BBC News" not in card.inner_text()
    site.publish("bbc", "Locust swarms reach Kenya", "", story_id=story_id)
    card.get_by_text("BBC News").wait_for(timeout=10_000)
    assert page.locator(f"#s-{story_id}").count() == 1


def test_new_stories_bar_and_unread_count(site: Site, browser: Any) -> None:
    for n in range(12):
        site.publish("bbc", f"Padding story number {n}", "Makes the page long enough to scroll.")
    context = browser.new_context(viewport={"width": 400, "height": 600})
    page = context.new_page()
    try:
        page.goto(site.url + "/")
        wait_live(page)
        base_title = page.title()
        page.mouse.wheel(0, 3000)
        page.wait_for_function("() => window.scrollY > 500")
        story_id = site.publish("nation", "Bar check: flood warning", "Rivers rise.")
        bar = page.locator("#new-stories")
        bar.wait_for(state="visible", timeout=10_000)
        assert bar.inner_text().startswith("1 new story")
        assert page.title() == f"(1) {base_title}"
        assert page.locator(f"#s-{story_id}").count() == 0, "held back while the reader reads"
        bar.click()
        page.locator(f"#s-{story_id}").wait_for()
        assert page.locator("article.story").first.get_attribute("id") == f"s-{story_id}"
        assert page.title() == base_title
    finally:
        context.close()


def test_keyboard_navigation(site: Site, page: Any) -> None:
    page.goto(site.url + "/")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    first = page.locator("article.story").first
    assert "current" in (first.get_attribute("class") or "")
    target = first.locator("h2 a").get_attribute("href")
    page.keyboard.press("o")
    page.wait_for_url(f"**{target}")
    assert page.locator("h1").count() == 1


def test_dates_in_the_readers_time_zone(site: Site, browser: Any) -> None:
    context = browser.new_context(timezone_id="Asia/Tokyo", locale="en-GB")
    page = context.new_page()
    try:
        page.goto(site.url + "/")
        utc_text = page.evaluate(
            "(() => { const t = document.querySelector('article.story time');"
            " return [t.getAttribute('datetime'), t.textContent]; })()"
        )
        assert "UTC" not in utc_text[1]
        hour_utc = int(utc_text[0][11:13])
        assert f"{(hour_utc + 9) % 24:02d}:" in utc_text[1], utc_text
    finally:
        context.close()


def test_usable_at_360px_with_a_200_character_word(site: Site, browser: Any) -> None:
    word = "Supercalifragilistic" * 10
    story_id = site.publish("lemonde", word, "Un mot très long. " + word)
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    try:
        for path in ("/", f"/story/{story_id}", f"/search?q={word}", "/sources"):
            page.goto(site.url + path)
            wide = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert wide <= 0, f"{path} scrolls sideways by {wide}px"
        page.goto(site.url + "/")
        box = page.locator(f"#h-{story_id}").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(site: Site, browser: Any, scheme: str) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    axe = axe_module.Axe()
    story_id = site.get("/api/stories?limit=1").json()["items"][0]["id"]
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    try:
        for path in ("/", f"/story/{story_id}", "/search?q=bank", "/sources"):
            page.goto(site.url + path)
            results = axe.run(page)
            bad = [
                (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                for v in results.response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert bad == [], (path, scheme, bad)
    finally:
        context.close()


HOSTILE = (
    '<script>window.__pwned = "script"</script>'
    "<img src=x onerror=\"window.__pwned = 'onerror'\"> Hostile headline"
)


def test_hostile_feed_text_shows_as_text_and_runs_nothing(site: Site, page: Any) -> None:
    dialogs: list[str] = []

    def on_dialog(d: Any) -> None:
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    story_id = site.publish("bbc", HOSTILE, '<img src=x onerror="alert(1)">')
    page.goto(site.url + "/")
    wait_live(page)
    heading = page.locator(f"#h-{story_id}")
    assert heading.inner_text() == HOSTILE
    # The same text arriving live goes through the stream's pre-rendered card.
    live_id = site.publish("bbc", HOSTILE + " (live)", '<img src=x onerror="alert(2)">')
    page.locator(f"#h-{live_id}").wait_for(timeout=10_000)
    assert page.locator(f"#h-{live_id}").inner_text() == HOSTILE + " (live)"
    page.goto(f"{site.url}/story/{story_id}")
    assert page.locator("h1").inner_text() == HOSTILE
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert page.locator("img").count() == 0

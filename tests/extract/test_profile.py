from __future__ import annotations

import json

from worldwire.extract import SiteProfile, extract, learn

HOST = "https://www.harbourpost.example"

STORIES = {
    1: "The ferry operator added a second boat to the island route after queues of cars "
    "stretched along the quay for three weekends in a row.",
    2: "Fishermen in the old harbour said the new quotas would force two of the last five "
    "trawlers to stay in port for most of the autumn.",
    3: "The lighthouse on the northern cape will be opened to visitors in the summer months, "
    "after volunteers finished repairing the spiral staircase.",
    4: "Builders found the remains of a medieval jetty while digging the foundations of the "
    "new harbour office, and the works have been paused for a month.",
}


def page(number: int, container_class: str = "copy-block") -> str:
    story = STORIES[number]
    paragraphs = "".join(
        f"<p>{story} Paragraph {i} adds detail on what residents and the council said.</p>"
        for i in range(1, 6)
    )
    teasers = "".join(
        f'<li><a href="/n/{n}">{STORIES[n][:60]}</a></li>' for n in STORIES if n != number
    )
    return (
        f"<html><head><title>Story {number} | Harbour Post</title></head><body>"
        '<div class="masthead"><a href="/">Harbour Post</a></div>'
        f'<div class="layout"><div class="{container_class}"><h1>Story {number}</h1>'
        f"{paragraphs}</div>"
        f'<div class="rail"><h3>Latest</h3><ul>{teasers}</ul></div></div></body></html>'
    )


def test_learns_confirms_and_uses_a_container() -> None:
    first = page(1)
    profile = learn(None, first, extract(first, f"{HOST}/n/1"))
    assert profile is not None
    assert profile.host == "harbourpost.example" and "copy-block" in profile.container
    assert profile.confidence == 1

    second = page(2)
    result = extract(second, f"{HOST}/n/2", profile=profile)
    assert result.method != "selector"  # one page is not enough to trust it
    profile = learn(profile, second, result)
    assert profile is not None and profile.confidence == 2

    third = page(3)
    fast = extract(third, f"{HOST}/n/3", profile=profile)
    assert fast.method == "selector"
    assert fast.text == extract(third, f"{HOST}/n/3").text
    assert learn(profile, third, fast) == profile  # the selector path teaches nothing


def test_a_redesign_is_noticed_and_relearned() -> None:
    profile = SiteProfile("harbourpost.example", "//div[@id='gone']", 2)
    redesigned = page(4, container_class="article-copy")
    result = extract(redesigned, f"{HOST}/n/4", profile=profile)
    assert result.method != "selector"
    assert any("did not fit" in w for w in result.warnings)
    assert "Paragraph 5" in result.text
    weaker = learn(profile, redesigned, result)
    assert weaker == SiteProfile("harbourpost.example", "//div[@id='gone']", 1)
    replaced = learn(weaker, redesigned, result)
    assert replaced is not None and "article-copy" in replaced.container
    assert replaced.confidence == 1


def test_profile_of_another_host_is_ignored() -> None:
    other = SiteProfile("elsewhere.example", "//div[@id='x']", 5)
    result = extract(page(1), f"{HOST}/n/1", profile=other)
    assert result.method != "selector" and not result.warnings
    relearned = learn(other, page(1), result)
    assert relearned is not None and relearned.host == "harbourpost.example"


def test_nothing_to_learn_from_an_empty_page() -> None:
    empty = extract(b"", f"{HOST}/n/9")
    assert learn(None, b"", empty) is None


def test_profile_serialises() -> None:
    profile = SiteProfile("harbourpost.example", "//div[@id='story']", 3)
    assert SiteProfile.from_dict(json.loads(json.dumps(profile.to_dict()))) == profile
    assert SiteProfile.from_dict({"host": "x.example"}) == SiteProfile("x.example")

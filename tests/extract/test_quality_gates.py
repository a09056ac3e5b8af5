"""Quality gates for extraction, with floors pinned here (see ../shared/data/README.md
for the sets and their metrics). Raise a floor when the method improves; never lower
one silently."""

from __future__ import annotations

import pytest

from tests.extract.cases import DATA, SHARED, check_text, load_case, without_class_names
from worldwire.extract import extract
from worldwire.extract.evaluate import (
    bootstrap_sd,
    field_accuracy,
    load_trafilatura_eval,
    load_zyte,
    prf,
    shingle_match,
    snippet_counts,
    snippet_f1,
)

# Zyte article-extraction benchmark metric. trafilatura.extract scores 0.950 here (0.96
# by the data README); the issue asks for at least 0.965; we reach 0.969.
ZYTE_F1_FLOOR = 0.968
# Snippet F1 on trafilatura-eval: the issue asks for 0.93 (trafilatura 2.3.1: 0.926-0.931);
# we reach 0.934.
TEVAL_F1_FLOOR = 0.933
# Metadata accuracy over labelled pages (an empty label means "the page has none").
# trafilatura 2.3.1 by the data README: title 0.59, author 0.52, date 0.865.
TRAFILATURA_TITLE, TRAFILATURA_AUTHOR, TRAFILATURA_DATE = 0.59, 0.52, 0.865
TITLE_FLOOR, AUTHOR_FLOOR, DATE_FLOOR = 0.78, 0.60, 0.80
# The date on pages whose label is a date, the figure comparable with trafilatura's 0.865.
DATE_NONEMPTY_FLOOR = 0.866

SEED = DATA / "seed" / "newspaper-theme.html"
SEED_URL = "https://coastlinedaily.example/?p=4821"


def _needs(path: str) -> None:
    if not (SHARED / path).exists():
        pytest.skip(f"evaluation data not found at {(SHARED / path).resolve()}")


def test_seed_newspaper_theme_page() -> None:
    html, expect = load_case(SEED)
    result = check_text(html, SEED_URL, expect)
    for field in ("title", "author", "site_name", "language", "image", "url"):
        assert getattr(result, field) == expect[field], field
    assert (result.published or "").startswith(expect["published"])
    assert result.flags == ()


def test_seed_page_without_class_names() -> None:
    """The same page with every class and id stripped: the furniture must still go,
    recognised by its wording and structure rather than its markup."""
    html, expect = load_case(SEED)
    check_text(without_class_names(html), SEED_URL, expect)


@pytest.mark.slow
def test_zyte_f1() -> None:
    _needs("zyte/ground-truth.json")
    pages = load_zyte(SHARED / "zyte")
    triples = [shingle_match(p.body, extract(p.html, p.url).text) for p in pages]
    score, spread = prf(triples), bootstrap_sd(triples, rounds=300)
    print(
        f"zyte F1 {score.f1:.4f} ± {spread.f1:.4f} (P {score.precision:.4f} R {score.recall:.4f})"
    )
    assert score.f1 >= ZYTE_F1_FLOOR


@pytest.mark.slow
def test_trafilatura_eval_text_and_metadata() -> None:
    _needs("trafilatura-eval/evaldata.json")
    pages = load_trafilatura_eval(SHARED / "trafilatura-eval")
    results = [extract(p.html, p.url) for p in pages]
    f1 = snippet_f1(snippet_counts(r.text, p) for r, p in zip(results, pages, strict=True))
    title = field_accuracy(
        "title", [(p.title, r.title) for p, r in zip(pages, results, strict=True)]
    )
    author = field_accuracy(
        "author", [(p.author, r.author) for p, r in zip(pages, results, strict=True)]
    )
    date = field_accuracy(
        "date", [(p.date, r.published) for p, r in zip(pages, results, strict=True)]
    )
    print(f"snippet F1 {f1:.4f}; title {title}; author {author}; date {date}")
    assert f1 >= TEVAL_F1_FLOOR
    assert title.labelled >= TITLE_FLOOR > TRAFILATURA_TITLE
    assert author.labelled >= AUTHOR_FLOOR > TRAFILATURA_AUTHOR
    assert date.labelled >= DATE_FLOOR
    assert date.nonempty >= DATE_NONEMPTY_FLOOR

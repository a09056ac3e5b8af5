"""Extraction: pages/s and F1 on the Zyte pages, ours vs trafilatura.extract, and (full
run only) text and metadata accuracy on trafilatura-eval, ours vs trafilatura.

Both extractors run in the same process on the same pages, interleaved page by page
(the order alternating), so that load from other processes falls on both alike. Speed
is reported per wall-clock second and per CPU second of this process; the second is
the steadier on a machine shared with other work.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import trafilatura

from bench.harness import Report, fmt
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

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "extraction"
SMOKE_PAGES = 5
ROUNDS = 3


def run(smoke: bool) -> Report:
    report = Report("extraction")
    if not (DATA / "zyte" / "ground-truth.json").exists():
        report.notes.append(f"skipped: no evaluation data at {DATA.resolve()}")
        return report
    pages = load_zyte(DATA / "zyte")
    if smoke:
        pages = pages[:SMOKE_PAGES]
    # Warm-up: imports, the language model, trafilatura's lazy tables.
    extract(pages[0].html, pages[0].url)
    trafilatura.extract(pages[0].html)

    ours_time = peer_time = ours_cpu = peer_cpu = 0.0
    ours_text: dict[str, str] = {}
    ours_method: dict[str, str] = {}
    ours_flagged: set[str] = set()
    peer_text: dict[str, str] = {}
    for round_no in range(1 if smoke else ROUNDS):
        for index, page in enumerate(pages):
            ours_first = (index + round_no) % 2 == 0
            for which in ("ours", "peer") if ours_first else ("peer", "ours"):
                started, started_cpu = time.perf_counter(), time.process_time()
                if which == "ours":
                    result = extract(page.html, page.url)
                    ours_time += time.perf_counter() - started
                    ours_cpu += time.process_time() - started_cpu
                    ours_text[page.id] = result.text
                    ours_method[page.id] = result.method
                    if result.flags:
                        ours_flagged.add(page.id)
                else:
                    text = trafilatura.extract(page.html) or ""
                    peer_time += time.perf_counter() - started
                    peer_cpu += time.process_time() - started_cpu
                    peer_text[page.id] = text
    runs = len(pages) * (1 if smoke else ROUNDS)
    ours_rate, peer_rate = runs / ours_time, runs / peer_time
    ours_cpu_rate, peer_cpu_rate = runs / ours_cpu, runs / peer_cpu

    ours = [shingle_match(p.body, ours_text[p.id]) for p in pages]
    peer = [shingle_match(p.body, peer_text[p.id]) for p in pages]
    unflagged = [t for p, t in zip(pages, ours, strict=True) if p.id not in ours_flagged]
    rounds = 200 if smoke else 1000
    o, o_sd, t, t_sd = prf(ours), bootstrap_sd(ours, rounds), prf(peer), bootstrap_sd(peer, rounds)
    report.figures.update(
        {
            "pages": len(pages),
            "ours_pages_per_s": round(ours_rate, 1),
            "trafilatura_pages_per_s": round(peer_rate, 1),
            "ratio": round(ours_rate / peer_rate, 2),
            "ours_pages_per_cpu_s": round(ours_cpu_rate, 1),
            "trafilatura_pages_per_cpu_s": round(peer_cpu_rate, 1),
            "ratio_cpu": round(ours_cpu_rate / peer_cpu_rate, 2),
            "ours_f1": round(o.f1, 4),
            "ours_f1_sd": round(o_sd.f1, 4),
            "ours_precision": round(o.precision, 4),
            "ours_recall": round(o.recall, 4),
            "trafilatura_f1": round(t.f1, 4),
            "trafilatura_f1_sd": round(t_sd.f1, 4),
            "trafilatura_precision": round(t.precision, 4),
            "trafilatura_recall": round(t.recall, 4),
            "ours_flagged_walls": len(ours_flagged),
            "ours_f1_without_flagged": round(prf(unflagged).f1, 4),
        }
    )
    report.table = [
        ["extractor", "pages/s", "pages/CPU-s", "F1 (± sd)", "precision", "recall"],
        ["worldwire", fmt(ours_rate), fmt(ours_cpu_rate), f"{o.f1:.4f} ± {o_sd.f1:.4f}",
         f"{o.precision:.4f}", f"{o.recall:.4f}"],
        ["trafilatura.extract", fmt(peer_rate), fmt(peer_cpu_rate),
         f"{t.f1:.4f} ± {t_sd.f1:.4f}", f"{t.precision:.4f}", f"{t.recall:.4f}"],
    ]  # fmt: skip
    report.notes.append(
        f"zyte, {len(pages)} pages x {1 if smoke else ROUNDS} rounds, interleaved; "
        f"speed ratio {ours_rate / peer_rate:.2f}x (wall), {ours_cpu_rate / peer_cpu_rate:.2f}x "
        "(CPU); ours includes metadata, language and wall detection, the peer text only"
    )
    paths = Counter(ours_method.values())
    report.figures["ours_paths"] = dict(paths.most_common())
    report.notes.append(
        "paths taken: " + ", ".join(f"{name} {count}" for name, count in paths.most_common())
    )
    report.notes.append(
        f"{len(ours_flagged)} page(s) flagged as paywall/consent stubs return no text by "
        f"design; F1 over the other pages: {prf(unflagged).f1:.4f}"
    )
    if not smoke and (DATA / "trafilatura-eval" / "evaldata.json").exists():
        _trafilatura_eval(report)
    return report


def _trafilatura_eval(report: Report) -> None:
    pages = load_trafilatura_eval(DATA / "trafilatura-eval")
    ours = [extract(p.html, p.url) for p in pages]
    peer = [trafilatura.bare_extraction(p.html, url=p.url, with_metadata=True) for p in pages]

    def peer_field(index: int, name: str) -> str | None:
        document = peer[index]
        value = getattr(document, name, None) if document is not None else None
        return value if isinstance(value, str) else None

    ours_f1 = snippet_f1(snippet_counts(r.text, p) for r, p in zip(ours, pages, strict=True))
    peer_f1 = snippet_f1(
        snippet_counts(peer_field(i, "text") or "", p) for i, p in enumerate(pages)
    )
    lines = [f"snippet F1: worldwire {ours_f1:.4f}, trafilatura {peer_f1:.4f}"]
    report.figures["teval_ours_f1"] = round(ours_f1, 4)
    report.figures["teval_trafilatura_f1"] = round(peer_f1, 4)
    for field, ours_attr in (("title", "title"), ("author", "author"), ("date", "published")):
        gold = [getattr(p, field) for p in pages]
        mine = field_accuracy(
            field, [(g, getattr(r, ours_attr)) for g, r in zip(gold, ours, strict=True)]
        )
        theirs = field_accuracy(field, [(g, peer_field(i, field)) for i, g in enumerate(gold)])
        lines.append(
            f"{field} accuracy (labelled / non-empty): worldwire {mine.labelled:.3f} / "
            f"{mine.nonempty:.3f}, trafilatura {theirs.labelled:.3f} / {theirs.nonempty:.3f}"
        )
        report.figures[f"teval_ours_{field}"] = round(mine.labelled, 4)
        report.figures[f"teval_ours_{field}_nonempty"] = round(mine.nonempty, 4)
        report.figures[f"teval_trafilatura_{field}"] = round(theirs.labelled, 4)
        report.figures[f"teval_trafilatura_{field}_nonempty"] = round(theirs.nonempty, 4)
    report.notes.append(
        f"trafilatura-eval ({len(pages)} pages; peer: trafilatura.bare_extraction with "
        "metadata): " + "; ".join(lines) + ". 'labelled' includes pages whose label is "
        "empty (no value expected); 'non-empty' only pages with a value."
    )

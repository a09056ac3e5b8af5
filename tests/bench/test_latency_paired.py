"""The latency benchmark's paired comparison of polled items between its two runs."""

from __future__ import annotations

import math

from bench.latency import _paired


def test_pairs_items_by_url_in_world_seconds_and_leaves_out_the_unseen() -> None:
    ours = {"a": 1.0, "b": 3.0, "c": math.inf, "d": 2.0, "only-ours": 9.0}
    peer = {"a": 2.0, "b": 3.5, "c": 1.0, "d": 1.0}
    paired = _paired(ours, peer, scale=10.0)
    assert paired["items"] == 3 and paired["left_out"] == 1
    # (-10 - 5 + 10) / 3
    assert paired["mean_diff_world_s"] == -1.67 and paired["median_diff_world_s"] == -5.0
    assert paired["ours_faster"] == 2 and paired["peer_faster"] == 1
    low, high = paired["ci95_world_s"]
    assert -10.0 <= low <= paired["mean_diff_world_s"] <= high <= 10.0


def test_the_interval_excludes_zero_only_when_one_run_is_steadily_slower() -> None:
    peer = {str(i): float(i % 7) for i in range(300)}
    slower = _paired({k: v + 0.5 for k, v in peer.items()}, peer, scale=1.0)
    assert slower["ci95_world_s"] == [0.5, 0.5]
    noisy = {k: v + (0.5 if int(k) % 2 else -0.5) for k, v in peer.items()}
    low, high = _paired(noisy, peer, scale=1.0)["ci95_world_s"]
    assert low < 0 < high


def test_nothing_to_pair() -> None:
    assert _paired({"a": math.inf}, {"a": 1.0}, scale=1.0) == {"items": 0}

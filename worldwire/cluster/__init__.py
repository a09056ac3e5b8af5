"""Syndication dedup and online story clustering: pure, in memory, incremental."""

from worldwire.cluster.config import ClusterConfig, Doc
from worldwire.cluster.fingerprint import Fingerprint, fingerprint
from worldwire.cluster.online import Assignment, Clusterer
from worldwire.cluster.prepare import Prepared, prepare

__all__ = [
    "Assignment",
    "ClusterConfig",
    "Clusterer",
    "Doc",
    "Fingerprint",
    "Prepared",
    "fingerprint",
    "prepare",
]

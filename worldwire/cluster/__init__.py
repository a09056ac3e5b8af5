"""Syndication dedup and online story clustering: pure, in memory, incremental."""

from worldwire.cluster.fingerprint import Fingerprint, fingerprint
from worldwire.cluster.online import Assignment, ClusterConfig, Clusterer, Doc

__all__ = ["Assignment", "ClusterConfig", "Clusterer", "Doc", "Fingerprint", "fingerprint"]

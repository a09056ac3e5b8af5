"""Imported once by the extraction pool's fork server (see reading.py): the models and
indexes are loaded there, and every worker forked from it shares their memory instead
of loading a copy of its own."""

from __future__ import annotations

import gc

from worldwire.understand import warm_up

warm_up()
# What is loaded now lives as long as the server: keep the collector from walking it,
# since writing to those objects' headers would copy their pages into every worker.
gc.freeze()

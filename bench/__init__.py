"""WorldWire's benchmarks. `make bench` runs them all; see bench/harness.py."""

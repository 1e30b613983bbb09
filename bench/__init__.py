"""Benchmarks (`make bench`); never run by `make test`. Numbers go to README.md."""

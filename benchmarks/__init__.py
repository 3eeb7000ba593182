"""Benchmarks: a synthetic corpus generator and a build benchmark (see README.md)."""

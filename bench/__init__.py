"""Scale data generator and benchmarks (not part of the test run)."""

// Benchmarks come next.

"""clausecheck's domain: spec types, the formula language, and the concrete (reference) semantics."""

"""proofs/suites package."""

"""Outcome functions: votes in, result out (JSON-ready, exact fractions as "p/q" strings)."""

"""Observation: accreditation, observers, checklists, incidents, observers' copies of protocols
compared with the official ones, statistics, and the parallel vote tabulation."""

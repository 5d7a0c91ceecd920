"""Hải Phòng teacher-training plan pipeline: ingest → validate → aggregate → cost → report."""

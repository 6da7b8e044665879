"""Placeholder: filled in by issue 5 work in progress."""

patterns: list = []

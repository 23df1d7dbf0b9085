"""Figures as bench/peers/report.py and glance.py print them."""

from __future__ import annotations


def ratio(of: float | None, to: float | None) -> float | None:
    """of / to, or None when either is missing (or to is zero)."""
    return of / to if of is not None and to else None


def number(value: float | None, decimals: int | None = None) -> str:
    """A figure for a table: whole numbers from 100 up, else 1 or 2 decimals."""
    if value is None:
        return "–"
    if decimals is None:
        decimals = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return f"{value:,.{decimals}f}"

"""The pure core: no I/O, no clock, standard library only.

Everything here takes what it needs as arguments (the time as ``now``, the holiday table
as a loader), so it can be tested on plain values and reused by every adapter.
"""

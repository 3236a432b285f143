"""The pure core: no I/O, standard library only."""

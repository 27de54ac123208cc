"""Schedule families, one module each; every formula is written once."""

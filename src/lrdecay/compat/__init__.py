"""Compatibility layers: `lrdecay.compat.v1` mirrors ``tf.compat.v1.train``'s decay functions."""

from lrdecay.compat import v1

__all__ = ["v1"]

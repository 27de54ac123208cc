"""Drop-in presets of other libraries' schedules, built from lrdecay's primitives."""

"""Other libraries' schedules with their names, signatures, defaults and numbers.

>>> from lrdecay.presets import optax as presets_optax  # imports no optax
>>> presets_optax.warmup_cosine_decay_schedule(0.0, 1.0, 2, 6, end_value=0.1)(1)
0.5

One module per library: `lrdecay.presets.transformers` (Hugging Face's
``get_*_schedule*`` functions), `lrdecay.presets.optax` (``optax.schedules``),
`lrdecay.presets.torch` and `lrdecay.presets.timm`. Each preset is a composition of
lrdecay's own schedules, so what it returns prints, serializes, plots and resumes like
any other schedule; where libraries disagree (which side of a boundary, warmup inside
the total, past the end), a preset follows its own library. Submodules are imported on
demand: importing this package imports none of them.
"""

"""The shared example table (tests/examples.py) covers every public schedule class."""

from __future__ import annotations

import inspect

import examples
import lrdecay


def test_every_public_schedule_class_has_examples_setting_every_argument():
    public = examples.public_names()
    missing = [n for n in public if not examples.EXAMPLES.get(n)]
    assert not missing, f"add example instances of {missing} to tests/examples.py"
    assert sorted(examples.EXAMPLES) == public  # no examples of a class that is gone
    for name, instances in examples.EXAMPLES.items():
        cls = getattr(lrdecay, name)
        assert all(type(s) is cls for s in instances), name
        # Each optional argument takes a non-default value in some example, so that
        # configs, reprs and specs are checked with it written out.
        for p in inspect.signature(cls).parameters.values():
            if p.default is not p.empty:
                assert any(getattr(s, p.name) != p.default for s in instances), (
                    f"no example of {name} sets `{p.name}`: add one to tests/examples.py"
                )
    # Every example is a different formula (the ids leave out the name).
    ids = [examples.case_id(s) for s in examples.schedules()]
    assert len(set(ids)) == len(ids), sorted(i for i in ids if ids.count(i) > 1)

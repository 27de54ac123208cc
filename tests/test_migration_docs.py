"""The migration guides' figures are what their `lrdecay plot` commands draw, and the commands are in the guides.

Each figure puts the preset (the other library's numbers, checked against the real
library by tests/test_presets_*.py) and the idiomatic lrdecay schedule on one plot. The
test redraws each figure with its command and compares the pixels with the committed
PNG; after a change, regenerate with the command shown in the guide.
"""

from __future__ import annotations

import pathlib
import shlex

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("matplotlib")
import matplotlib.image  # noqa: E402

from lrdecay.cli import main  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent

HF_SPEC = (
    "Join(schedules=(Linear(start=0.0, end=1.0, steps=100), Repeat(schedule=Join(schedules=("
    "CosineDecay(initial_learning_rate=1.0, decay_steps=900.0), Warmup(schedule=Constant(value=1.0), "
    'warmup_steps=900.0, shape="cosine")), boundaries=(900.0,)), period=1800.0)), boundaries=(100,))'
)
OPTAX_SPEC = (
    "Join(schedules=(Linear(start=0.0, end=0.001, steps=100), CosineDecay(initial_learning_rate=0.001, "
    "decay_steps=900, alpha=0.01)), boundaries=(100,))"
)

#: guide -> (figure, the arguments of `lrdecay plot`)
FIGURES = {
    "docs/migration/transformers.md": (
        "docs/figures/migration-transformers.png",
        [
            "plot", HF_SPEC, "Warmup(CosineDecay(1.0, 900), 100)", "--steps", "1500",
            "--label", "get_cosine_schedule_with_warmup(opt, 100, 1000) (lrdecay.presets.transformers)",
            "--label", "Warmup(CosineDecay(1.0, 900), 100)",
            "--title", "transformers cosine with warmup: the preset and the lrdecay schedule",
        ],
    ),
    "docs/migration/optax.md": (
        "docs/figures/migration-optax.png",
        [
            "plot", OPTAX_SPEC, "Warmup(CosineDecay(0.001, 900, alpha=0.01), 100)", "--steps", "1200",
            "--label", "warmup_cosine_decay_schedule(0.0, 1e-3, 100, 1000, 1e-5) (lrdecay.presets.optax)",
            "--label", "Warmup(CosineDecay(0.001, 900, alpha=0.01), 100)",
            "--title", "optax warmup cosine decay: the preset and the lrdecay schedule",
        ],
    ),
}  # fmt: skip


def command(guide):
    figure, args = FIGURES[guide]
    return "lrdecay " + " ".join(shlex.quote(a) for a in args) + f" -o {figure}"


@pytest.mark.parametrize("guide", sorted(FIGURES))
def test_figure_is_current(guide, tmp_path):
    figure, args = FIGURES[guide]
    out = tmp_path / "figure.png"
    assert main([*args, "-o", str(out)]) in (0, None)
    drawn, committed = matplotlib.image.imread(out), matplotlib.image.imread(ROOT / figure)
    assert drawn.shape == committed.shape, f"regenerate with: {command(guide)}"
    assert np.abs(drawn - committed).mean() < 2e-3, f"regenerate with: {command(guide)}"


@pytest.mark.parametrize("guide", sorted(FIGURES))
def test_guide_shows_its_command(guide):
    text = (ROOT / guide).read_text()
    assert command(guide) in " ".join(text.split()), f"the guide must show: {command(guide)}"
    assert FIGURES[guide][0].removeprefix("docs/") in text

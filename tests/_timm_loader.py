"""timm's scheduler modules, loaded by file path: ``import timm`` imports torchvision, which the test venv lacks.

timm is installed with ``pip install --no-deps timm`` (see requirements/constraints.txt and the
Makefile); its ``timm/scheduler/*.py`` files need torch and numpy only. They are executed as
they are, as submodules of a private package name; ``multistep_lr`` imports its base by the
absolute name ``timm.scheduler.scheduler``, so that name points at the loaded module while it
loads, and is removed again.
"""

from __future__ import annotations

import importlib.util
import pathlib
import sys
import types
from typing import Any

_PACKAGE = "_timm_scheduler_by_path"


def load() -> Any:
    spec = importlib.util.find_spec("timm")
    if spec is None or not spec.submodule_search_locations:
        # Absent: skip as importorskip does (importing timm itself would need torchvision).
        import pytest

        pytest.importorskip("timm")
    folder = pathlib.Path(next(iter(spec.submodule_search_locations))) / "scheduler"
    if _PACKAGE in sys.modules:
        return sys.modules[_PACKAGE]
    package = types.ModuleType(_PACKAGE)
    package.__path__ = [str(folder)]
    sys.modules[_PACKAGE] = package
    version = (folder.parent / "version.py").read_text().split("'")[1]
    package.__version__ = version
    for name in ("scheduler", "cosine_lr", "step_lr", "multistep_lr", "poly_lr", "tanh_lr"):
        full = f"{_PACKAGE}.{name}"
        mod_spec = importlib.util.spec_from_file_location(full, folder / f"{name}.py")
        module = importlib.util.module_from_spec(mod_spec)
        sys.modules[full] = module
        aliases = {}
        if name == "multistep_lr":
            aliases = {"timm": types.ModuleType("timm"), "timm.scheduler": types.ModuleType("timm.scheduler")}
            aliases["timm.scheduler.scheduler"] = package.scheduler
        saved = {k: sys.modules.get(k) for k in aliases}
        sys.modules.update(aliases)
        try:
            mod_spec.loader.exec_module(module)
        finally:
            for k, v in saved.items():
                if v is None:
                    sys.modules.pop(k, None)
                else:
                    sys.modules[k] = v
        setattr(package, name, module)
    return package

from __future__ import annotations

import numpy as np
import pytest

from certeval.domain.cat.irt import ItemBank
from certeval.domain.cat.simulation import synthetic_bank


@pytest.fixture
def bank() -> ItemBank:
    return synthetic_bank(160, np.random.default_rng(7))


@pytest.fixture
def bank_2pl() -> ItemBank:
    return synthetic_bank(160, np.random.default_rng(8), guessing=False)

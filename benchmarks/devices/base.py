"""What every simulated device shares, and reading numbers a home file may write as text."""

from __future__ import annotations

import functools
import operator
from enum import IntFlag
from typing import Any

from ..cases import Device


def every_feature(flags: Any) -> int:
    return functools.reduce(operator.or_, flags)


def as_number(value: Any, default: float | None = None) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def as_int(value: Any, default: int | None = None) -> int | None:
    number = as_number(value)
    return default if number is None else round(number)


class Simulated:
    """What every simulated device shares: its id and name from the home, no polling."""

    _attr_should_poll = False
    full_features = 0
    features: type[IntFlag] | None = None  # the domain's feature flags

    def __init__(self, device: Device, attributes: dict[str, Any]) -> None:
        self.entity_id = device.entity_id
        self._attr_unique_id = device.entity_id
        self._attr_name = device.name
        value = int(attributes.get("supported_features", self.full_features))
        self._attr_supported_features = self.features(value) if self.features else value
        if "device_class" in attributes:
            self._attr_device_class = attributes["device_class"]

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        raise NotImplementedError

"""Diagnostic sensors: how many turns, how they were handled, how fast, which model serves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfTime
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import HomeBrainConfigEntry
from .deploy import ModelInfo, model_changed_signal
from .entity import HomeBrainEntity
from .monitoring import Monitor


def _share(kind: str) -> Callable[[Monitor], float | None]:
    def value(monitor: Monitor) -> float | None:
        share = monitor.share(kind)
        return None if share is None else round(share * 100, 1)

    return value


def _latency(percent: float) -> Callable[[Monitor], float | None]:
    return lambda monitor: monitor.latency_percentile(percent)


@dataclass(frozen=True, kw_only=True)
class TurnSensorDescription(SensorEntityDescription):
    value_fn: Callable[[Monitor], float | int | None]


def _share_sensor(key: str, kind: str) -> TurnSensorDescription:
    return TurnSensorDescription(
        key=key,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=_share(kind),
    )


def _latency_sensor(key: str, percent: float) -> TurnSensorDescription:
    return TurnSensorDescription(
        key=key,
        native_unit_of_measurement=UnitOfTime.MILLISECONDS,
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=_latency(percent),
    )


SENSORS: tuple[TurnSensorDescription, ...] = (
    TurnSensorDescription(key="turns_total", state_class=SensorStateClass.TOTAL_INCREASING,
                          value_fn=lambda monitor: monitor.total),
    TurnSensorDescription(key="turns_today", state_class=SensorStateClass.TOTAL_INCREASING,
                          value_fn=lambda monitor: monitor.turns_today),
    _share_sensor("handled_share", "home_brain"),
    _share_sensor("fallback_share", "fallback"),
    _share_sensor("clarify_share", "clarify"),
    _share_sensor("refused_share", "refused"),
    _latency_sensor("latency_p50", 50),
    _latency_sensor("latency_p95", 95),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HomeBrainConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    monitor = entry.runtime_data.monitor
    assert monitor is not None  # set in async_setup_entry before the platforms
    entities: list[SensorEntity] = [TurnSensor(entry, monitor, description) for description in SENSORS]
    entities.append(ModelSensor(entry))
    async_add_entities(entities)


class TurnSensor(HomeBrainEntity, SensorEntity):
    """One figure of the entry's monitor, updated after every turn."""

    _attr_entity_category = EntityCategory.DIAGNOSTIC
    entity_description: TurnSensorDescription

    def __init__(self, entry: HomeBrainConfigEntry, monitor: Monitor, description: TurnSensorDescription) -> None:
        super().__init__(entry, description.key)
        self.entity_description = description
        self._monitor = monitor

    @property
    @override
    def native_value(self) -> float | int | None:
        return self.entity_description.value_fn(self._monitor)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        if self.entity_description.key == "turns_total":
            return {"by_outcome": dict(self._monitor.totals)}
        if self.entity_description.key.endswith(("_share", "_p50", "_p95")):
            return {"turns": len(self._monitor.recent), "window": self._monitor.window}
        return None

    @override
    async def async_added_to_hass(self) -> None:
        await super().async_added_to_hass()
        self.async_on_remove(self._monitor.async_add_listener(self.async_write_ha_state))


class ModelSensor(HomeBrainEntity, SensorEntity):
    """The model that serves: its name as the state, its date and scores as attributes."""

    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, entry: HomeBrainConfigEntry) -> None:
        super().__init__(entry, "model")

    @property
    def _info(self) -> ModelInfo | None:
        learning = self.entry.runtime_data.learning
        return learning.deployment.current if learning is not None else None

    @property
    @override
    def native_value(self) -> str | None:
        return self._info.name if self._info is not None else None

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        if (info := self._info) is None:
            return None
        metrics = info.metrics or {}
        return {
            "version": info.version,
            "trained": info.trained,
            "suite_exact_match": _percent(info.suite_score),
            "dev_exact_match": _percent(metrics.get("exact_match")),
            "loaded_at": info.loaded_at,
        }

    @override
    async def async_added_to_hass(self) -> None:
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(self.hass, model_changed_signal(self.entry), self._async_model_changed)
        )

    @callback
    def _async_model_changed(self) -> None:
        self.async_write_ha_state()


def _percent(value: Any) -> float | None:
    return round(float(value) * 100, 1) if isinstance(value, (int, float)) else None

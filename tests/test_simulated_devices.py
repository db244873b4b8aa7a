"""The benchmark's simulated devices (benchmarks/devices/) behave like Home Assistant's demo ones.

For each domain a demo device (demo's own entity class; kitchen_sink's for the lawn mower,
which demo lacks) and a simulated device start in the same state, the same service calls
run on both through Home Assistant's service layer, and after each call both must show the
same state and attributes. Demo devices that move slowly (covers, valves, locks) are let
settle first: a benchmark judges where the home settles.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_component import DATA_INSTANCES
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockPlatform, async_fire_time_changed, mock_platform

from benchmarks.cases import Device, HomeSpec, Place
from benchmarks.simulated_home import SimulatedHome, async_build_home


def _light() -> Entity:
    from homeassistant.components.demo.light import DemoLight

    return DemoLight("demo", "Demo", state=True, ct=4000)


def _switch() -> Entity:
    from homeassistant.components.demo.switch import DemoSwitch

    return DemoSwitch("demo", "Demo", False, False)


def _fan(hass: HomeAssistant) -> Entity:
    from homeassistant.components.demo.fan import FULL_SUPPORT, PRESET_MODE_AUTO, PRESET_MODE_ON, \
        PRESET_MODE_SLEEP, PRESET_MODE_SMART, AsyncDemoPercentageFan

    fan = AsyncDemoPercentageFan(hass, "demo", "Demo", FULL_SUPPORT,
                                 [PRESET_MODE_AUTO, PRESET_MODE_SMART, PRESET_MODE_SLEEP, PRESET_MODE_ON])
    fan._percentage = 0  # noqa: SLF001 - off, as a fan in a home starts (demo's starts unknown)
    return fan


def _cover(hass: HomeAssistant) -> Entity:
    from homeassistant.components.demo.cover import DemoCover

    return DemoCover(hass, "demo", "Demo", position=70, tilt_position=50)


def _valve() -> Entity:
    from homeassistant.components.demo.valve import DemoValve
    from homeassistant.components.valve import ValveState

    return DemoValve("demo", "Demo", ValveState.CLOSED, position=0)


def _lock() -> Entity:
    from homeassistant.components.demo.lock import DemoLock
    from homeassistant.components.lock import LockState

    return DemoLock("Demo", LockState.LOCKED, openable=True)


def _climate() -> Entity:
    from homeassistant.components.climate import HVACMode
    from homeassistant.components.demo.climate import DemoClimate
    from homeassistant.const import UnitOfTemperature

    return DemoClimate(unique_id="demo", device_name="Demo", target_temperature=21,
                       unit_of_measurement=UnitOfTemperature.CELSIUS, preset=None, current_temperature=19,
                       fan_mode=None, target_humidity=None, current_humidity=None, swing_mode=None,
                       swing_horizontal_mode=None, hvac_mode=HVACMode.HEAT, hvac_action=None, target_temp_high=None,
                       target_temp_low=None, hvac_modes=[HVACMode.OFF, HVACMode.HEAT, HVACMode.COOL, HVACMode.AUTO])


def _media_player() -> Entity:
    from homeassistant.components.demo.media_player import DemoMusicPlayer

    return DemoMusicPlayer("Demo")


def _vacuum() -> Entity:
    from homeassistant.components.demo.vacuum import SUPPORT_ALL_SERVICES, StateDemoVacuum

    return StateDemoVacuum("demo", "Demo", SUPPORT_ALL_SERVICES)


def _humidifier() -> Entity:
    from homeassistant.components.demo.humidifier import DemoHumidifier

    return DemoHumidifier("Demo", mode="normal", target_humidity=50, current_humidity=45,
                          available_modes=["normal", "eco", "away", "boost", "comfort", "home", "sleep", "auto", "baby"])


def _water_heater() -> Entity:
    from homeassistant.components.demo.water_heater import DemoWaterHeater
    from homeassistant.const import UnitOfTemperature

    return DemoWaterHeater("demo", "Demo", 50, UnitOfTemperature.CELSIUS, False, "eco", 1)


def _lawn_mower() -> Entity:
    from homeassistant.components.kitchen_sink.lawn_mower import DemoLawnMower
    from homeassistant.components.lawn_mower import LawnMowerActivity, LawnMowerEntityFeature

    return DemoLawnMower("demo", "Demo", LawnMowerActivity.DOCKED,
                         LawnMowerEntityFeature.START_MOWING | LawnMowerEntityFeature.DOCK | LawnMowerEntityFeature.PAUSE)


# domain -> (demo device, service calls in turn, what is compared besides the state)
DOMAINS: dict[str, tuple[Callable[..., Entity], list[tuple[str, dict[str, Any]]], list[str]]] = {
    "light": (_light, [("turn_off", {}), ("turn_on", {}), ("turn_on", {"brightness_pct": 50}),
                       ("turn_on", {"color_name": "red"}), ("turn_on", {"color_temp_kelvin": 3000}),
                       ("turn_on", {"brightness_step_pct": -20}), ("turn_on", {"rgb_color": [0, 128, 0]}),
                       ("toggle", {})],
              ["brightness", "color_mode", "hs_color", "rgb_color", "color_temp_kelvin"]),
    "switch": (_switch, [("turn_on", {}), ("toggle", {}), ("turn_on", {}), ("turn_off", {})], []),
    "fan": (_fan, [("turn_on", {}), ("set_percentage", {"percentage": 33}), ("increase_speed", {}),
                   ("turn_on", {"preset_mode": "auto"}), ("turn_off", {}), ("turn_on", {"percentage": 100}),
                   ("oscillate", {"oscillating": True}), ("set_direction", {"direction": "reverse"}),
                   ("decrease_speed", {}), ("toggle", {})],
            ["percentage", "preset_mode", "oscillating", "direction"]),
    "cover": (_cover, [("open_cover", {}), ("close_cover", {}), ("set_cover_position", {"position": 30}),
                       ("open_cover_tilt", {}), ("set_cover_tilt_position", {"tilt_position": 20}),
                       ("close_cover_tilt", {}), ("toggle", {})],
              ["current_position", "current_tilt_position"]),
    "valve": (_valve, [("open_valve", {}), ("close_valve", {}), ("set_valve_position", {"position": 40}),
                       ("toggle", {})], ["current_position"]),
    "lock": (_lock, [("unlock", {}), ("lock", {}), ("open", {})], []),
    "climate": (_climate, [("set_temperature", {"temperature": 23}), ("set_hvac_mode", {"hvac_mode": "cool"}),
                           ("turn_off", {}), ("set_temperature", {"temperature": 18, "hvac_mode": "heat"})],
                ["temperature", "current_temperature"]),
    "media_player": (_media_player, [("volume_set", {"volume_level": 0.5}), ("volume_up", {}), ("volume_down", {}),
                                     ("volume_down", {}), ("volume_mute", {"is_volume_muted": True}),
                                     ("volume_mute", {"is_volume_muted": False}), ("media_next_track", {}),
                                     ("media_next_track", {}), ("media_previous_track", {}), ("media_pause", {}),
                                     ("media_play", {}), ("shuffle_set", {"shuffle": True}),
                                     ("repeat_set", {"repeat": "all"}), ("turn_off", {}), ("turn_on", {})],
                     ["volume_level", "is_volume_muted", "media_track", "shuffle", "repeat"]),
    "vacuum": (_vacuum, [("start", {}), ("pause", {}), ("start", {}), ("stop", {}), ("return_to_base", {}),
                         ("clean_spot", {}), ("set_fan_speed", {"fan_speed": "max"})], ["fan_speed"]),
    "humidifier": (_humidifier, [("turn_off", {}), ("turn_on", {}), ("set_humidity", {"humidity": 40}),
                                 ("set_mode", {"mode": "eco"}), ("toggle", {})], ["humidity", "mode"]),
    "water_heater": (_water_heater, [("set_temperature", {"temperature": 55}),
                                     ("set_operation_mode", {"operation_mode": "electric"}),
                                     ("set_away_mode", {"away_mode": True})],
                     ["temperature", "away_mode"]),
    "lawn_mower": (_lawn_mower, [("start_mowing", {}), ("pause", {}), ("start_mowing", {}), ("dock", {})], []),
}


async def _settle(hass: HomeAssistant) -> None:
    """Let demo's slow devices (covers, valves move 10% a second) reach where they go."""
    now = dt_util.utcnow()
    for second in range(1, 12):
        async_fire_time_changed(hass, now + timedelta(seconds=second))
        await hass.async_block_till_done()


@pytest.mark.parametrize("domain", list(DOMAINS))
async def test_simulated_device_behaves_like_demo(hass: HomeAssistant, domain: str) -> None:
    make, calls, attributes = DOMAINS[domain]
    demo = make(hass) if domain in ("fan", "cover") else make()
    demo.entity_id = f"{domain}.demo"

    async def setup_platform(hass: HomeAssistant, config: Any, add_entities: Any, discovery_info: Any = None) -> None:
        add_entities([demo])

    assert await async_setup_component(hass, "homeassistant", {})
    mock_platform(hass, f"demo_copy.{domain}", MockPlatform(async_setup_platform=setup_platform))
    assert await async_setup_component(hass, domain, {domain: [{"platform": "demo_copy"}]})
    await hass.async_block_till_done()
    start = hass.states.get(f"{domain}.demo")
    assert start is not None, f"{domain}: the demo device did not load"
    spec = HomeSpec(areas=[Place("kitchen", "Kitchen")],
                    devices=[Device(f"{domain}.simulated", "Simulated", (), "kitchen", start.state,
                                    dict(start.attributes))])
    home = await async_build_home(hass, spec, [])
    assert DATA_INSTANCES in hass.data

    def compared(entity_id: str) -> tuple[Any, ...]:
        state = hass.states.get(entity_id)
        assert state is not None
        return (state.state, *(_plain(state.attributes.get(a)) for a in attributes))

    assert compared(f"{domain}.simulated") == compared(f"{domain}.demo"), "they start alike"
    with patch("homeassistant.components.demo.lock.LOCK_UNLOCK_DELAY", 0), \
            patch("homeassistant.components.demo.valve.OPEN_CLOSE_DELAY", 0):
        for service, data in calls:
            for entity_id in (f"{domain}.demo", f"{domain}.simulated"):
                await hass.services.async_call(domain, service, {"entity_id": entity_id, **data}, blocking=True)
            await _settle(hass)
            assert compared(f"{domain}.simulated") == compared(f"{domain}.demo"), f"after {service} {data}"
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=1))  # demo's vacuum docks after 30 s
    await hass.async_block_till_done()
    assert isinstance(home, SimulatedHome)


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, float):
        return round(value, 3)
    return value


async def test_clean_an_area_and_keep_several_lists(hass: HomeAssistant) -> None:
    """What demo has no device for: a vacuum told to clean one area cleans that area (Home
    Assistant's HassVacuumCleanArea), and each named to-do list keeps its own items."""
    from homeassistant.components import conversation
    from homeassistant.core import Context
    from homeassistant.helpers import intent

    for component in ("homeassistant", "conversation", "intent"):
        assert await async_setup_component(hass, component, {})
    spec = HomeSpec(areas=[Place("kitchen", "Kitchen"), Place("hall", "Hall")], devices=[
        Device("vacuum.robot", "Robot", (), "hall", "docked", {}),
        Device("todo.groceries", "Groceries", (), None, "", {"items": ["milk"]}),
        Device("todo.hardware", "Hardware", (), None, "", {"items": ["nails", "glue"]}),
    ])
    home = await async_build_home(hass, spec, [])
    before = home.snapshot()

    async def handle(intent_type: str, **slots: str) -> None:
        await intent.async_handle(hass, "test", intent_type, {k: {"value": v} for k, v in slots.items()},
                                  assistant=conversation.DOMAIN, context=Context())
        await hass.async_block_till_done()

    await handle("HassVacuumCleanArea", area="Kitchen")
    robot = hass.states.get("vacuum.robot")
    assert (robot.state, robot.attributes["cleaning_areas"]) == ("cleaning", ["kitchen"])
    await handle("HassListAddItem", item="screws", name="Hardware")
    await handle("HassListCompleteItem", item="milk", name="Groceries")
    after = home.snapshot()
    assert dict(after["todo.hardware"][1])["items"] == (("glue", "needs_action"), ("nails", "needs_action"),
                                                       ("screws", "needs_action"))
    assert dict(after["todo.groceries"][1])["items"] == (("milk", "completed"),)
    assert hass.states.get("todo.hardware").state == "3" and hass.states.get("todo.groceries").state == "0"
    home.reset()
    assert home.snapshot() == before

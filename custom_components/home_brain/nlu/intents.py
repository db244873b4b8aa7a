"""The one table of intent facts: for each Home Assistant intent Home Brain runs, the domains
it acts on, the settings it takes, and whether it changes the home. The resolver
(``targets``), the safety policy (``resolve/policy``) and the name rules read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass

# What can be switched: a sensor that shares a cover's name ("Sliding Door") is no candidate.
_SWITCHABLE = frozenset({
    "light", "switch", "fan", "cover", "valve", "lock", "climate", "media_player", "vacuum", "lawn_mower",
    "humidifier", "water_heater", "scene", "script", "automation", "input_boolean", "siren", "remote",
    "button", "input_button"})
_MEDIA = frozenset({"media_player"})
# Devices that go where they are sent, not where they are docked: the room the user speaks
# in does not pick one (Home Assistant's own vacuum sentences take no area from the satellite).
ROAMING_DOMAINS = frozenset({"vacuum", "lawn_mower"})


@dataclass(frozen=True, slots=True)
class IntentFacts:
    """What one intent takes and does."""

    domains: frozenset[str] | None = None  # None: any domain
    settings: frozenset[str] = frozenset()  # the setting slots it takes ("brightness")
    acts: bool = False  # changes the home (the safety policy reviews it)
    needs_target: bool = False  # without any target it would act on everything or fail
    free_name: bool = False  # its "name" is no entity (a timer's own name)
    area_from_context: bool = False  # the satellite's area is its area ("what is the temperature?")


INTENTS: dict[str, IntentFacts] = {
    "HassTurnOn": IntentFacts(_SWITCHABLE, acts=True, needs_target=True),
    "HassTurnOff": IntentFacts(_SWITCHABLE, acts=True, needs_target=True),
    "HassToggle": IntentFacts(acts=True),
    "HassGetState": IntentFacts(needs_target=True),
    "HassLightSet": IntentFacts(frozenset({"light"}), frozenset({"brightness", "color", "temperature"}),
                                acts=True, needs_target=True),
    "HassSetPosition": IntentFacts(frozenset({"cover", "valve"}), frozenset({"position"}), acts=True,
                                   needs_target=True),
    "HassStopMoving": IntentFacts(frozenset({"cover", "valve"}), acts=True, needs_target=True),
    "HassFanSetSpeed": IntentFacts(frozenset({"fan"}), frozenset({"percentage"}), acts=True, needs_target=True),
    "HassClimateSetTemperature": IntentFacts(frozenset({"climate"}), frozenset({"temperature"}), acts=True),
    "HassClimateGetTemperature": IntentFacts(frozenset({"climate"}), area_from_context=True),
    "HassClimateSetFanMode": IntentFacts(frozenset({"climate"}), frozenset({"fan_mode"}), acts=True),
    # "pause the music" with no player named: the players where the user is, as Home
    # Assistant's own templates read it (their target-less sentences require the area).
    "HassMediaPause": IntentFacts(_MEDIA, acts=True, area_from_context=True),
    "HassMediaUnpause": IntentFacts(_MEDIA, acts=True, area_from_context=True),
    "HassMediaNext": IntentFacts(_MEDIA, acts=True, area_from_context=True),
    "HassMediaPrevious": IntentFacts(_MEDIA, acts=True, area_from_context=True),
    "HassMediaPlayerMute": IntentFacts(_MEDIA, acts=True, area_from_context=True),
    "HassMediaPlayerUnmute": IntentFacts(_MEDIA, acts=True, area_from_context=True),
    "HassSetVolume": IntentFacts(_MEDIA, frozenset({"volume_level"}), acts=True, area_from_context=True),
    "HassSetVolumeRelative": IntentFacts(_MEDIA, frozenset({"volume_step"}), acts=True, area_from_context=True),
    "HassMediaSearchAndPlay": IntentFacts(_MEDIA, acts=True),
    "HassVacuumStart": IntentFacts(frozenset({"vacuum"}), acts=True),
    "HassVacuumReturnToBase": IntentFacts(frozenset({"vacuum"}), acts=True),
    "HassLawnMowerStartMowing": IntentFacts(frozenset({"lawn_mower"}), acts=True),
    "HassLawnMowerDock": IntentFacts(frozenset({"lawn_mower"}), acts=True),
    "HassListAddItem": IntentFacts(frozenset({"todo"})),
    "HassListCompleteItem": IntentFacts(frozenset({"todo"})),
    "HassListRemoveItem": IntentFacts(frozenset({"todo"})),
    **{name: IntentFacts(free_name=True) for name in (
        "HassStartTimer", "HassCancelTimer", "HassIncreaseTimer", "HassDecreaseTimer", "HassPauseTimer",
        "HassUnpauseTimer", "HassTimerStatus", "HassCancelAllTimers")},
}
_NONE = IntentFacts()


def facts(intent: str) -> IntentFacts:
    """The facts of ``intent`` (an intent not in the table takes any domain and no setting)."""
    return INTENTS.get(intent, _NONE)


FREE_NAME_INTENTS = frozenset(name for name, f in INTENTS.items() if f.free_name)
INTENT_DOMAINS = {name: f.domains for name, f in INTENTS.items() if f.domains is not None}
INTENT_SETTINGS = {name: f.settings for name, f in INTENTS.items() if f.settings}
SETTINGS = frozenset().union(*INTENT_SETTINGS.values())
NEEDS_TARGET = frozenset(name for name, f in INTENTS.items() if f.needs_target)
ACTING_INTENTS = frozenset(name for name, f in INTENTS.items() if f.acts)
AREA_FROM_CONTEXT = frozenset(name for name, f in INTENTS.items() if f.area_from_context)
ON_OFF_INTENTS = frozenset({"HassTurnOn", "HassTurnOff"})

# The intent a setting said without any verb belongs to ("bedroom 50%" is brightness).
SETTING_INTENTS = {"color": "HassLightSet", "brightness": "HassLightSet", "position": "HassSetPosition",
                   "percentage": "HassFanSetSpeed", "volume_level": "HassSetVolume"}
# The percentage each intent sets: one read as another's ("100" as a light's position) is it.
PERCENT_SETTINGS = {"HassLightSet": "brightness", "HassSetPosition": "position", "HassFanSetSpeed": "percentage"}

# Intents that only suit some domains, and what the same words ask of another domain's
# device ("*": any other): "start the stealth mode script" turns a script on, "tell me the
# status of the front door" asks about a lock, not a timer.
INTENT_FOR_DOMAIN: dict[str, dict[str, str]] = {
    "HassClimateGetTemperature": {"climate": "HassClimateGetTemperature", "*": "HassGetState"},
    "HassVacuumStart": {"vacuum": "HassVacuumStart", "lawn_mower": "HassLawnMowerStartMowing",
                        "*": "HassTurnOn"},
    "HassVacuumReturnToBase": {"vacuum": "HassVacuumReturnToBase", "lawn_mower": "HassLawnMowerDock"},
    "HassLawnMowerStartMowing": {"lawn_mower": "HassLawnMowerStartMowing", "vacuum": "HassVacuumStart",
                                 "*": "HassTurnOn"},
    "HassLawnMowerDock": {"lawn_mower": "HassLawnMowerDock", "vacuum": "HassVacuumReturnToBase"},
    # Vacuums and mowers have no on and off in Home Assistant: switching one on starts it and
    # off sends it home, as Home Assistant itself reads on/off as open/close for covers.
    "HassTurnOn": {"vacuum": "HassVacuumStart", "lawn_mower": "HassLawnMowerStartMowing"},
    "HassTurnOff": {"vacuum": "HassVacuumReturnToBase", "lawn_mower": "HassLawnMowerDock"},
    "HassTimerStatus": {"*": "HassGetState"},
    # "set the main valve to 100", "set the overhead light to 100%": the device says which.
    "HassLightSet": {"light": "HassLightSet", "cover": "HassSetPosition", "valve": "HassSetPosition"},
    "HassSetPosition": {"cover": "HassSetPosition", "valve": "HassSetPosition", "light": "HassLightSet"},
    # "change to party mode": a scene, not a thermostat's fan mode.
    "HassClimateSetFanMode": {"climate": "HassClimateSetFanMode", "scene": "HassTurnOn", "script": "HassTurnOn"},
}

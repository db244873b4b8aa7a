"""Helpers for scripts/develop: the requirements a dev Home Assistant needs, and its first-run setup.

Run with the project's venv Python (Home Assistant 2026.10.x installed):

    develop_bootstrap.py requirements CONFIG_DIR            print the missing requirements, one a line
    develop_bootstrap.py needs-setup CONFIG_DIR MODEL_DIR   exit 0 if the config still needs setting up
    develop_bootstrap.py configure CONFIG_DIR MODEL_DIR     set up a *running* instance over its HTTP API
    develop_bootstrap.py token CONFIG_DIR                   print an access token for the dev user

`requirements` resolves integrations the way HA's bootstrap does (configuration.yaml keys, the
default integrations, base platforms, config-entry domains, the demo's extras, and every
dependency and after-dependency) so HA can run with --skip-pip.

`configure` works through the interfaces the frontend itself uses, so nothing depends on the
layout of `.storage` files (read only: by `needs-setup`, and for the model path of an existing
entry, which the API does not show):
  * onboarding: POST /api/onboarding/users (owner user "dev", person, default areas), the
    location/country (websocket config/core/update), /api/onboarding/core_config,
    /api/onboarding/analytics, /api/onboarding/integration;
  * a long-lived access token (websocket auth/long_lived_access_token), kept in
    CONFIG_DIR/.develop_token for scripts/develop_check and curl;
  * the Home Brain config entry through its config flow (POST /api/config/config_entries/flow);
    an entry pointing at another model folder is removed first;
  * the preferred Assist pipeline updated to conversation agent `conversation.home_brain`
    (websocket assist_pipeline/pipeline/update), language en;
  * the demo's devices exposed to Assist: checked with homeassistant/expose_entity/list;
    locks, valves and weather, which HA does not expose by default, exposed;
  * the google_translate/met/radio_browser entries that onboarding's core_config step adds
    removed again (they need the internet and packages --skip-pip leaves out).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

DOMAIN = "home_brain"
AGENT_ID = "conversation.home_brain"
USERNAME = os.environ.get("HOME_BRAIN_DEV_USER", "dev")
PASSWORD = os.environ.get("HOME_BRAIN_DEV_PASSWORD", "dev")
PORT = int(os.environ.get("HOME_BRAIN_DEV_PORT", "8123"))
BASE_URL = f"http://127.0.0.1:{PORT}"
CLIENT_ID = f"http://localhost:{PORT}/"
TOKEN_FILE = ".develop_token"
# Domains of the demo devices Assist should reach (those of training/homes/demo.yaml and more).
EXPOSED_DOMAINS = {
    "climate", "cover", "fan", "humidifier", "light", "lock", "media_player", "switch",
    "vacuum", "valve", "water_heater", "weather",
}
ONLINE_ONBOARDING_DOMAINS = {"google_translate", "met", "radio_browser"}

# Integrations the running instance sets up beyond configuration.yaml: the demo's own extras
# (demo/__init__.py) and what finishing onboarding's core_config step starts.
EXTRA_DOMAINS = {
    "demo", DOMAIN, "sun", "input_select", "input_boolean", "input_button", "input_number",
    "geo_location", "tts", "image_processing", "device_tracker", "shopping_list",
}


def _log(msg: str) -> None:
    print(f"develop: {msg}", file=sys.stderr, flush=True)


def _read_storage(config_dir: Path, key: str) -> dict[str, Any] | None:
    try:
        return json.loads((config_dir / ".storage" / key).read_text())["data"]
    except (OSError, ValueError, KeyError):
        return None


# --------------------------------------------------------------------------- requirements


async def _requirements(config_dir: Path) -> list[str]:
    from homeassistant import bootstrap, loader
    from homeassistant.config import load_yaml_config_file
    from homeassistant.const import BASE_PLATFORMS
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers import config_validation as cv

    hass = HomeAssistant(str(config_dir))
    loader.async_setup(hass)
    config = await hass.async_add_executor_job(load_yaml_config_file, str(config_dir / "configuration.yaml"))
    entries = (_read_storage(config_dir, "core.config_entries") or {}).get("entries", [])
    domains = {cv.domain_key(key) for key in config}
    domains |= bootstrap.DEFAULT_INTEGRATIONS | bootstrap.CORE_INTEGRATIONS | set(BASE_PLATFORMS)
    domains |= {entry["domain"] for entry in entries} | EXTRA_DOMAINS
    found = await loader.async_get_integrations(hass, domains)
    integrations = {d: i for d, i in found.items() if isinstance(i, loader.Integration)}
    for domain, err in found.items():
        if not isinstance(err, loader.Integration):
            _log(f"integration {domain} not found: {err}")
    after = await loader.resolve_integrations_after_dependencies(
        hass, integrations.values(), ignore_exceptions=True
    )
    all_domains = set(integrations) | {d for deps in after.values() for d in deps}
    reqs: set[str] = set()
    for domain in sorted(all_domains):
        try:
            reqs.update((await loader.async_get_integration(hass, domain)).requirements)
        except loader.IntegrationNotFound:
            continue
    await hass.async_stop(force=True)
    return sorted(reqs)


def cmd_requirements(config_dir: Path) -> int:
    from homeassistant.util.package import is_installed

    reqs = asyncio.run(_requirements(config_dir))
    for req in reqs:
        if not is_installed(req):
            print(req)
    return 0


# --------------------------------------------------------------------------- needs-setup


def _setup_problems(config_dir: Path, model_dir: str) -> list[str]:
    problems = []
    onboarding = _read_storage(config_dir, "onboarding") or {}
    missing = {"user", "core_config", "analytics", "integration"} - set(onboarding.get("done", []))
    if missing:
        problems.append(f"onboarding steps not done: {sorted(missing)}")
    entries = (_read_storage(config_dir, "core.config_entries") or {}).get("entries", [])
    brains = [e for e in entries if e["domain"] == DOMAIN]
    if [e["data"].get("model_path") for e in brains] != [model_dir]:
        problems.append("no Home Brain entry for " + model_dir)
    pipelines = _read_storage(config_dir, "assist_pipeline.pipelines") or {}
    preferred = pipelines.get("preferred_item")
    if not any(p.get("id") == preferred and p.get("conversation_engine") == AGENT_ID
               for p in pipelines.get("items", [])):
        problems.append(f"preferred Assist pipeline does not use {AGENT_ID}")
    if not (config_dir / TOKEN_FILE).is_file():
        problems.append("no access token")
    return problems


def cmd_needs_setup(config_dir: Path, model_dir: str) -> int:
    problems = _setup_problems(config_dir, model_dir)
    for problem in problems:
        _log(problem)
    return 0 if problems else 1


# --------------------------------------------------------------------------- configure


class Api:
    """Just enough of Home Assistant's REST and websocket APIs."""

    def __init__(self, session: Any, config_dir: Path | None = None) -> None:
        self.session = session
        self.config_dir = config_dir
        self.token: str | None = None
        self._ws: Any = None
        self._msg_id = 0

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def request(self, method: str, path: str, expect: tuple[int, ...] = (200,), **kwargs: Any) -> Any:
        async with self.session.request(method, BASE_URL + path, headers=self._headers(), **kwargs) as resp:
            body = await resp.text()
            if resp.status not in expect:
                raise RuntimeError(f"{method} {path} -> HTTP {resp.status}: {body[:500]}")
            try:
                return json.loads(body) if body else None
            except ValueError:
                return body

    async def token_from_code(self, code: str) -> str:
        data = await self.request("POST", "/auth/token", data={
            "grant_type": "authorization_code", "code": code, "client_id": CLIENT_ID})
        return data["access_token"]

    async def login(self) -> str:
        """The login flow the frontend walks: username and password to a short-lived token."""
        flow = await self.request("POST", "/auth/login_flow", json={
            "client_id": CLIENT_ID, "handler": ["homeassistant", None], "redirect_uri": CLIENT_ID})
        result = await self.request("POST", f"/auth/login_flow/{flow['flow_id']}", json={
            "client_id": CLIENT_ID, "username": USERNAME, "password": PASSWORD})
        if result.get("type") != "create_entry":
            raise RuntimeError(f"login as {USERNAME!r} failed: {result}")
        return await self.token_from_code(result["result"])

    async def ws(self, msg_type: str, **payload: Any) -> Any:
        if self._ws is None:
            self._ws = await self.session.ws_connect(BASE_URL + "/api/websocket")
            await self._ws.receive_json()  # auth_required
            await self._ws.send_json({"type": "auth", "access_token": self.token})
            reply = await self._ws.receive_json()
            if reply.get("type") != "auth_ok":
                raise RuntimeError(f"websocket auth failed: {reply}")
        self._msg_id += 1
        await self._ws.send_json({"id": self._msg_id, "type": msg_type, **payload})
        while True:
            reply = await self._ws.receive_json()
            if reply.get("id") == self._msg_id and reply.get("type") == "result":
                break
        if not reply.get("success"):
            raise RuntimeError(f"websocket {msg_type} failed: {reply.get('error')}")
        return reply.get("result")

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()


def _alive(pid: int) -> bool:
    try:  # a process that exited but was not reaped yet is a zombie ("Z")
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


async def wait_until_up(session: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    pid = int(os.environ.get("HOME_BRAIN_DEV_HASS_PID", "0"))
    while time.monotonic() < deadline:
        if pid and not _alive(pid):
            raise RuntimeError("Home Assistant exited before it answered")
        try:
            async with session.get(BASE_URL + "/manifest.json") as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        await asyncio.sleep(1)
    raise RuntimeError(f"Home Assistant did not answer on {BASE_URL} within {timeout:.0f}s")


async def _onboard(api: Api) -> None:
    # The onboarding views exist only until onboarding is done.
    steps = await api.request("GET", "/api/onboarding", expect=(200, 404))
    status = {s["step"]: s["done"] for s in steps} if isinstance(steps, list) else {
        step: True for step in ("user", "core_config", "analytics", "integration")}
    if not status.get("user"):
        _log(f"onboarding: creating owner user {USERNAME!r}")
        data = await api.request("POST", "/api/onboarding/users", json={
            "client_id": CLIENT_ID, "name": "Dev", "username": USERNAME,
            "password": PASSWORD, "language": "en"})
        api.token = await api.token_from_code(data["auth_code"])
    else:
        api.token = await api.login()
    if not status.get("core_config"):
        # What the onboarding page sends before it finishes the step (no country: a repair issue).
        # The location is the demo's own default (demo/__init__.py).
        await api.ws("config/core/update", location_name="Home Brain Dev", country="US",
                     currency="USD", unit_system="metric", language="en",
                     latitude=32.87336, longitude=117.22743)
        await api.request("POST", "/api/onboarding/core_config")
    if not status.get("analytics"):
        await api.request("POST", "/api/onboarding/analytics")
    if not status.get("integration"):
        await api.request("POST", "/api/onboarding/integration", json={
            "client_id": CLIENT_ID, "redirect_uri": CLIENT_ID + "?auth_callback=1"})
    _log("onboarding done")


async def _ensure_entry(api: Api, model_dir: str) -> None:
    current = await _entry_model_paths(api)
    if list(current.values()) == [model_dir]:
        _log(f"Home Brain entry already uses {model_dir}")
        return
    for entry_id in current:
        _log(f"removing Home Brain entry {entry_id} (model {current[entry_id]})")
        await api.request("DELETE", f"/api/config/config_entries/entry/{entry_id}")
    flow = await api.request("POST", "/api/config/config_entries/flow", json={
        "handler": DOMAIN, "show_advanced_options": False})
    result = await api.request("POST", f"/api/config/config_entries/flow/{flow['flow_id']}",
                               json={"model_path": model_dir})
    if result.get("type") != "create_entry":
        raise RuntimeError(f"Home Brain config flow did not create an entry: {json.dumps(result)}")
    state = result["result"]["state"] if isinstance(result.get("result"), dict) else "?"
    _log(f"Home Brain entry created for {model_dir} (state {state})")


async def _entry_model_paths(api: Api) -> dict[str, str]:
    """entry_id -> model_path of the Home Brain entries (the API hides entry data; storage has it)."""
    entries = await api.request("GET", f"/api/config/config_entries/entry?domain={DOMAIN}")
    assert api.config_dir is not None
    stored = {e["entry_id"]: e["data"].get("model_path", "")
              for e in (_read_storage(api.config_dir, "core.config_entries") or {}).get("entries", [])
              if e["domain"] == DOMAIN}
    return {e["entry_id"]: stored.get(e["entry_id"], "") for e in entries}


async def _wait_for_agent(api: Api, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        agents = await api.ws("conversation/agent/list", language="en")
        if any(a["id"] == AGENT_ID for a in agents["agents"]):
            return
        entries = await api.request("GET", f"/api/config/config_entries/entry?domain={DOMAIN}")
        if entries and entries[0]["state"] in ("setup_error", "migration_error", "failed_unload"):
            raise RuntimeError(f"Home Brain entry failed to set up: {entries[0].get('reason')}"
                               " (see config/home-assistant.log)")
        await asyncio.sleep(1)
    raise RuntimeError(f"{AGENT_ID} did not appear within {timeout:.0f}s (see config/home-assistant.log)")


async def _ensure_pipeline(api: Api) -> None:
    listing = await api.ws("assist_pipeline/pipeline/list")
    preferred_id = listing["preferred_pipeline"]
    pipeline = next(p for p in listing["pipelines"] if p["id"] == preferred_id)
    if pipeline["conversation_engine"] == AGENT_ID and pipeline["language"] == "en":
        _log(f"Assist pipeline {pipeline['name']!r} already uses {AGENT_ID}")
        return
    update = {k: v for k, v in pipeline.items() if k != "id"}
    update.update(conversation_engine=AGENT_ID, conversation_language="en", language="en")
    await api.ws("assist_pipeline/pipeline/update", pipeline_id=preferred_id, **update)
    _log(f"Assist pipeline {pipeline['name']!r} now uses {AGENT_ID}")


async def _ensure_exposed(api: Api) -> None:
    """Check the demo's devices are exposed to Assist; expose the ones HA keeps back.

    HA exposes lights, switches, fans, covers, climate, media players, vacuums ... by default;
    locks, valves and weather it does not, but the demo home the model learns
    (training/homes/demo.yaml) has them, so this dev instance exposes them too.
    """
    exposed = (await api.ws("homeassistant/expose_entity/list"))["exposed_entities"]
    states = await api.request("GET", "/api/states")
    wanted = [s["entity_id"] for s in states if s["entity_id"].split(".")[0] in EXPOSED_DOMAINS]
    hidden = [e for e in wanted if not exposed.get(e, {}).get("conversation")]
    if hidden:
        await api.ws("homeassistant/expose_entity", assistants=["conversation"],
                     entity_ids=hidden, should_expose=True)
        _log(f"exposed to Assist: {', '.join(hidden)}")
    exposed = (await api.ws("homeassistant/expose_entity/list"))["exposed_entities"]
    still = [e for e in wanted if not exposed.get(e, {}).get("conversation")]
    if still:
        raise RuntimeError(f"not exposed to Assist: {still}")
    n = sum(1 for v in exposed.values() if v.get("conversation"))
    _log(f"{n} entities exposed to Assist, all {len(wanted)} of domains {', '.join(sorted(EXPOSED_DOMAINS))} among them")


async def _remove_online_onboarding_entries(api: Api) -> None:
    """Drop what onboarding's core_config step added that needs the internet and extra packages.

    That step starts google_translate, met, radio_browser and shopping_list. The first three
    need requirements this dev instance does not install (it runs with --skip-pip) and a
    network; left in place, each start would log their setup errors. shopping_list stays.
    """
    for _ in range(10):  # their flows run as background tasks of the core_config step
        entries = await api.request("GET", "/api/config/config_entries/entry")
        doomed = [e for e in entries if e["domain"] in ONLINE_ONBOARDING_DOMAINS and e["source"] == "onboarding"]
        for entry in doomed:
            await api.request("DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}")
            _log(f"removed the {entry['domain']} entry onboarding added (needs the internet)")
        if doomed or any(e["domain"] == "shopping_list" for e in entries):
            return
        await asyncio.sleep(1)


async def _configure(config_dir: Path, model_dir: str) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        api = Api(session, config_dir)
        await wait_until_up(session, 300)
        await _onboard(api)
        token_file = config_dir / TOKEN_FILE
        if not await _token_works(session, token_file):
            long_lived = await api.ws("auth/long_lived_access_token",
                                      client_name="scripts/develop", lifespan=3650)
            token_file.write_text(long_lived + "\n")
            token_file.chmod(0o600)
        await _ensure_entry(api, model_dir)
        await _wait_for_agent(api)
        await _ensure_pipeline(api)
        await _ensure_exposed(api)
        await _remove_online_onboarding_entries(api)
        await api.close()


def cmd_configure(config_dir: Path, model_dir: str) -> int:
    asyncio.run(_configure(config_dir, model_dir))
    return 0


# --------------------------------------------------------------------------- token


async def _token_works(session: Any, token_file: Path) -> bool:
    if not token_file.is_file():
        return False
    headers = {"Authorization": f"Bearer {token_file.read_text().strip()}"}
    async with session.get(BASE_URL + "/api/", headers=headers) as resp:
        return resp.status == 200


async def _token(config_dir: Path) -> str:
    import aiohttp

    saved = config_dir / TOKEN_FILE
    async with aiohttp.ClientSession() as session:
        if await _token_works(session, saved):
            return saved.read_text().strip()
        return await Api(session).login()


def cmd_token(config_dir: Path) -> int:
    print(asyncio.run(_token(config_dir)))
    return 0


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[0], argv[1:]
    config_dir = Path(args[0]).resolve()
    if cmd == "requirements":
        return cmd_requirements(config_dir)
    if cmd == "needs-setup":
        return cmd_needs_setup(config_dir, args[1])
    if cmd == "configure":
        return cmd_configure(config_dir, args[1])
    if cmd == "token":
        return cmd_token(config_dir)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

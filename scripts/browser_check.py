"""The browser half of scripts/browser_check (run that, not this).

Starts scripts/develop, switches the demo's kitchen lights off over the REST API, opens the
dashboard in headless Chromium, clicks the toolbar's Assist button, types the command into
the dialog's input, presses Enter, waits for the answer bubble, checks the light over the
REST API and saves a screenshot. Exit status 0: pass.
"""

from __future__ import annotations

import argparse
import importlib.machinery
import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

REPO = Path(__file__).resolve().parent.parent


def _load_develop_check() -> Any:
    """scripts/develop_check's helpers (HTTP, token, light state); it has no .py suffix."""
    path = REPO / "scripts" / "develop_check"
    loader = importlib.machinery.SourceFileLoader("develop_check", str(path))
    spec = importlib.util.spec_from_loader("develop_check", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


dc = _load_develop_check()

# Finds an element through every shadow root (the frontend is web components all the way).
DEEP_QUERY = """
const [selector, within] = arguments;
function find(root) {
  const hit = root.querySelector(selector);
  if (hit) return hit;
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) { const inner = find(el.shadowRoot); if (inner) return inner; }
  }
  return null;
}
return find(within ? (within.shadowRoot || within) : document);
"""
# The dashboard toolbar's Assist button (its label is translated; this instance speaks English).
ASSIST_BUTTON = 'ha-icon-button[label="Assist"], ha-icon-button[title="Assist"], [aria-label="Assist"]'
# The texts of the Assist dialog's answer bubbles, oldest first.
ANSWERS = """
function text(node) {  // innerText stops at shadow roots; the bubble's markdown has its own
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return '';
  if (node.tagName === 'STYLE' || node.tagName === 'SCRIPT') return '';
  let out = node.shadowRoot ? text(node.shadowRoot) : '';
  for (const child of node.childNodes) out += text(child);
  return out;
}
function all(root, out) {
  for (const el of root.querySelectorAll('.message.hass')) out.push(text(el).replace(/\\s+/g, ' ').trim());
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) all(el.shadowRoot, out);
  return out;
}
return all(document, []);
"""


def say(message: str) -> None:
    print(f"browser_check: {message}", flush=True)


def start_develop(timeout: float) -> tuple[subprocess.Popen[bytes], str]:
    if dc.port_open():
        raise SystemExit(f"browser_check: port {dc.PORT} is in use; stop that Home Assistant first")
    dc.CONFIG.mkdir(exist_ok=True)
    log_path = dc.CONFIG / "browser-check.log"
    say(f"starting scripts/develop (output: {log_path.relative_to(REPO)})")
    with log_path.open("w") as out:
        proc = subprocess.Popen([str(REPO / "scripts" / "develop")], cwd=REPO, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            print("\n".join(log_path.read_text(errors="replace").splitlines()[-40:]))
            raise SystemExit(f"browser_check: scripts/develop exited with {proc.returncode}")
        if dc.READY_LINE in log_path.read_text(errors="replace") and dc.port_open():
            token = dc.get_token()
            if dc.http("GET", f"/api/states/{dc.AGENT}", token)[0] == 200 and dc.light_state(token):
                say(f"Home Assistant up after {time.monotonic() - t0:.0f}s")
                return proc, token
        time.sleep(1)
    stop_develop(proc)
    raise SystemExit(f"browser_check: Home Assistant not up after {timeout:.0f}s")


def stop_develop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(90)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,900", "--lang=en-US"):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def wait_for(what: str, seconds: float, probe: Any) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if value := probe():
                return value
        except WebDriverException:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {what} after {seconds:.0f}s")
        time.sleep(0.5)


def ask_in_the_browser(text: str, screenshot: Path) -> str:
    driver = browser()
    try:
        # A browser on this machine is logged in by the trusted_networks provider develop set up.
        driver.get(f"http://127.0.0.1:{dc.PORT}/")
        wait_for("dashboard", 90, lambda: driver.execute_script(DEEP_QUERY, "ha-sidebar", None))
        time.sleep(2)  # the panel is drawn before its handlers are bound
        field = None
        # The "a" shortcut opens Assist on any page; the toolbar button is the way a person clicks.
        for how in ("keyboard shortcut a", "dashboard's Assist button"):
            if how.startswith("keyboard"):
                ActionChains(driver).send_keys("a").perform()
            elif button := driver.execute_script(DEEP_QUERY, ASSIST_BUTTON, None):
                button.click()
            try:
                field = wait_for("Assist input", 15,
                                 lambda: driver.execute_script(DEEP_QUERY, "ha-input#message-input", None))
            except TimeoutError:
                continue
            say(f"opened the Assist dialog ({how})")
            break
        if field is None:
            raise TimeoutError("the Assist dialog did not open")
        inner = wait_for("input box", 10, lambda: driver.execute_script(DEEP_QUERY, "input", field))
        before = len(driver.execute_script(ANSWERS))
        inner.click()
        inner.send_keys(text)
        inner.send_keys(Keys.ENTER)
        say(f"typed {text!r} into the Assist dialog")

        def answer() -> str | None:
            answers = driver.execute_script(ANSWERS)
            # The answer bubble shows "…" while the pipeline runs.
            if len(answers) > before and answers[-1] and answers[-1] not in ("…", "..."):
                return str(answers[-1])
            return None

        reply = wait_for("answer", 60, answer)
        time.sleep(0.5)  # let the bubble finish drawing before the screenshot
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(screenshot))
        return reply
    except Exception:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(screenshot))
        raise
    finally:
        driver.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--text", default="turn on the kitchen lights")
    parser.add_argument("--want", default="on", help="the state light.kitchen_lights must end in")
    parser.add_argument("--screenshot", type=Path, default=REPO / "build" / "browser_check.png")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for Home Assistant")
    args = parser.parse_args()

    proc, token = start_develop(args.timeout)
    try:
        dc.http("POST", "/api/services/light/turn_off", token, {"entity_id": dc.LIGHT})
        say(f"{dc.LIGHT} switched off via the API: {dc.wait_state(token, 'off')!r}")
        try:
            reply = ask_in_the_browser(args.text, args.screenshot)
        except (TimeoutError, WebDriverException) as err:
            say(f"FAIL: {err} (screenshot: {args.screenshot})")
            return 1
        say(f"the dialog answered: {reply!r}")
        state = dc.wait_state(token, args.want)
        ok = state == args.want
        say(f"{dc.LIGHT} is now {state!r} (wanted {args.want!r}); screenshot: {args.screenshot}")
        say("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        say("stopping Home Assistant")
        stop_develop(proc)


if __name__ == "__main__":
    sys.exit(main())

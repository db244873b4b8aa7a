"""What HACS and Home Assistant read besides the code: manifest, brand images, licences,
quality scale, CI files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
INTEGRATION = REPO / "custom_components" / "home_brain"


@pytest.mark.parametrize(("name", "size"), [("icon.png", 256), ("icon@2x.png", 512),
                                            ("dark_icon.png", 256), ("dark_icon@2x.png", 512)])
def test_brand_images(name: str, size: int) -> None:
    with Image.open(INTEGRATION / "brand" / name) as image:
        assert image.format == "PNG" and image.size == (size, size)
        assert image.mode == "RGBA" and image.getextrema()[3][0] == 0  # a transparent background


def test_manifest_follows_home_assistant_conventions() -> None:
    manifest = json.loads((INTEGRATION / "manifest.json").read_text())
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"] and keys[2:] == sorted(keys[2:])
    assert manifest["codeowners"] and all(owner.startswith("@") for owner in manifest["codeowners"])
    assert manifest["iot_class"] == "calculated"  # all on this machine, no device or cloud
    assert manifest["single_config_entry"] is True
    # Pinned, as Home Assistant pins; numpy is Home Assistant's own (its constraints pin it).
    for requirement in manifest["requirements"]:
        assert "==" in requirement or requirement.startswith("numpy"), requirement


def test_licences_travel_with_the_integration() -> None:
    # HACS copies only the integration folder: the notices must be in it too.
    for name in ("LICENSE", "NOTICE"):
        assert (INTEGRATION / name).read_text() == (REPO / name).read_text()
    notice = (REPO / "NOTICE").read_text()
    for needed in ("all-MiniLM-L6-v2", "Apache License 2.0", "home-assistant-intents", "CC BY 4.0",
                   "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2",
                   "https://creativecommons.org/licenses/by/4.0/"):
        assert needed in notice


def test_yaml_files_parse() -> None:
    rules = yaml.safe_load((INTEGRATION / "quality_scale.yaml").read_text())["rules"]
    for rule, status in rules.items():
        value = status if isinstance(status, str) else status["status"]
        assert value in ("done", "todo", "exempt"), rule
        if value == "exempt":
            assert isinstance(status, dict) and status["comment"], f"{rule}: an exemption says why"
    for path in [*(REPO / ".github" / "workflows").glob("*.yaml"), REPO / ".pre-commit-config.yaml"]:
        data = yaml.safe_load(path.read_text())
        assert data, path
    validate = yaml.safe_load((REPO / ".github" / "workflows" / "validate.yaml").read_text())
    steps = [step.get("uses", "") for job in validate["jobs"].values() for step in job["steps"]]
    assert any(uses.startswith("home-assistant/actions/hassfest") for uses in steps)
    assert any(uses.startswith("hacs/action") for uses in steps)

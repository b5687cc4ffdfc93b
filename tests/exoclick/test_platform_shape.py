"""Every registered platform has the same package shape, so a third one is a new folder, not a
change to the pipeline: uploader, pages or client, selectors where there is markup, specs as data,
a sandbox counterpart, and tests."""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import Path

import pytest

from automation.commands.process import PLATFORM_SPECS
from automation.sandbox.app import BLUEPRINT_MODULES
from automation.settings import Settings
from automation.uploaders import registry
from automation.uploaders.base import Uploader
from creatives.classify import CreativeType
from creatives.spec import PlatformSpecs
from tracking.schemas import INVENTORY, PLATFORM_LABELS, PLATFORM_PREFIXES, platform_columns

ROOT = Path(__file__).resolve().parents[2]
UPLOADERS = ROOT / "automation" / "uploaders"


def test_both_platforms_are_registered():
    assert registry.names()[:2] == ["trafficjunky", "exoclick"]
    assert registry.resolve("all") == registry.names()


@pytest.mark.parametrize("platform", registry.names())
def test_platform_package_shape(platform: str):
    package = UPLOADERS / platform
    assert (package / "__init__.py").is_file()
    declared = import_module(f"automation.uploaders.{platform}").PLATFORM
    assert declared == platform
    assert (package / "uploader.py").is_file(), "the workflow lives in uploader.py"
    has_pages, has_client = (package / "pages.py").is_file(), (package / "client.py").is_file()
    assert has_pages or has_client, "a platform is reached through pages.py or client.py"
    if has_pages:
        assert (package / "selectors.py").is_file(), "markup is known only to selectors.py"
    specs = import_module(f"automation.uploaders.{platform}.specs").SPECS
    assert isinstance(specs, PlatformSpecs) and specs.platform == platform
    assert PLATFORM_SPECS[platform] is specs, "process --platform knows its specs"


@pytest.mark.parametrize("platform", registry.names())
def test_platform_uploader_contract(platform: str, tmp_path: Path):
    uploader = registry.uploader_for(platform, Settings(workspace=tmp_path))
    assert isinstance(uploader, Uploader)
    assert uploader.platform == platform
    assert uploader.label == PLATFORM_LABELS[platform]
    assert uploader.targets
    for creative_type in CreativeType:
        target = uploader.target_for(creative_type)
        assert target is None or target in (*uploader.targets, *uploader.optional_targets)
    assert set(platform_columns(platform)) <= set(INVENTORY.columns)
    assert uploader.cache_path.name == f"{platform}.csv"


@pytest.mark.parametrize("platform", registry.names())
def test_platform_has_a_sandbox_counterpart_and_tests(platform: str):
    prefix = PLATFORM_PREFIXES[platform]
    counterparts = [m for m in BLUEPRINT_MODULES if m.startswith(f"{prefix}_")]
    assert counterparts, f"no sandbox module {prefix}_* in BLUEPRINT_MODULES"
    for module in counterparts:
        assert (ROOT / "automation" / "sandbox" / f"{module}.py").is_file()
    uses = re.compile(rf"\bautomation\.uploaders\.{platform}\b")
    tests = [p for p in (ROOT / "tests").rglob("test_*.py") if uses.search(p.read_text())]
    assert tests, f"no test exercises automation.uploaders.{platform}"

"""Fixtures: ONE running system for the whole suite, and browsers whose every page is saved as a
screenshot under .build/browser-artifacts/<test>/ (the path is printed)."""

from __future__ import annotations

import os
import re
import shutil

import pytest

os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not try to download a driver

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402

from support import ARTIFACTS, System  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


_START_FAILURE: list[str] = []


@pytest.fixture(scope="session")
def system():
    if _START_FAILURE:  # one failed start is reported once; the other tests say so without retrying
        pytest.fail(f"the system did not come up: {_START_FAILURE[0]}", pytrace=False)
    running = System()
    try:
        running.start()
    except BaseException as error:
        survivors = running.stop()
        _START_FAILURE.append(f"{error} (log: {running.directory / 'up.stderr'}; survivors {survivors})")
        raise
    yield running
    survivors = running.stop()
    assert not survivors, f"processes survived `up`'s stop and were killed: {survivors}"
    if not os.environ.get("KEEP_BROWSER_SYSTEM"):
        shutil.rmtree(running.directory, ignore_errors=True)


class Browsers:
    """Makes Chromium windows for one test; saves a screenshot of each before it closes."""

    def __init__(self, test_name: str) -> None:
        self.folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.drivers: list[tuple[str, webdriver.Chrome]] = []

    def new(self, name: str, width: int = 1280, height: int = 800) -> webdriver.Chrome:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         f"--window-size={width},{height}", "--lang=en-GB"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
        driver.set_page_load_timeout(30)
        driver.sb_name = name
        self.drivers.append((name, driver))
        return driver

    def shot(self, driver, label: str) -> str:
        path = self.folder / f"{driver.sb_name}-{label}.png"
        driver.save_screenshot(str(path))
        print(f"screenshot: {path}")
        return str(path)

    def close(self) -> None:
        for name, driver in self.drivers:
            try:
                self.shot(driver, "last")
                errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
                if errors:
                    print(f"{name}: browser console errors: {errors}")
            except Exception as error:  # noqa: BLE001 - a dead window has no screenshot to give
                print(f"{name}: no last screenshot ({error})")
            finally:
                driver.quit()


@pytest.fixture
def browsers(request):
    made = Browsers(request.node.name)
    yield made
    made.close()

"""Makes the README's screenshots (docs/images/{chat,desk,supervisor}.png, 1280x800) from a real
system: `python3 Tests/Browser/readme_screenshots.py` after `swift build --product switchboard`.
The PNGs are shrunk with pngquant when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from selenium.webdriver.common.by import By  # noqa: E402

from conftest import Browsers  # noqa: E402
from pages import (offer_for, open_desk, reply, session_tab, set_presence, sign_in, start_chat,  # noqa: E402
                   transcript_has, until)
from support import ROOT, SUPERVISOR, System  # noqa: E402

OUT = ROOT / "docs" / "images"


def main() -> None:
    system = System()
    system.start()
    browsers = Browsers("readme")
    try:
        ana = browsers.new("chat")
        first = start_chat(ana, system, "My card was declined at a shop this morning, although there is money in my account.", name="Ana Souza")
        desk = browsers.new("desk")
        open_desk(desk, system)
        set_presence(desk, "available")
        offer_for(desk, first).find_element(By.CSS_SELECTOR, "button.accept").click()
        session_tab(desk, first)
        reply(desk, "Hello Ana, I'm sorry about that. I can see the decline: your card had reached its contactless limit, so the shop's terminal needed your PIN.")
        transcript_has(ana, "contactless limit")
        ana.find_element(By.ID, "message").send_keys("Oh I see. Can you reset it so it works next time?")
        ana.find_element(By.ID, "send").click()
        transcript_has(desk, "reset it")
        tom = browsers.new("chat-2")
        second = start_chat(tom, system, "I think my card was charged twice for one purchase.", name="Tom Reed")
        offer_for(desk, second)

        supervisor = browsers.new("supervisor")
        sign_in(supervisor, system, SUPERVISOR, "/supervisor")
        until(supervisor, "queues", lambda d: d.find_elements(By.CSS_SELECTOR, "#queues tr"))
        supervisor.find_element(By.ID, "open-id").send_keys(first)
        supervisor.find_element(By.ID, "open-submit").click()
        transcript_has(supervisor, "reset it", "#watch-transcript .msg")
        supervisor.find_element(By.ID, "sup-text").send_keys("Good catch. Offer to raise the limit after a PIN payment.")
        supervisor.find_element(By.ID, "do-whisper").click()
        until(supervisor, "whisper result", lambda d: "Whisper done" in d.find_element(By.ID, "sup-result").text)
        transcript_has(desk, "Offer to raise the limit", "#transcript .msg.whisper")
        desk.find_element(By.ID, "reply-text").send_keys("Of course. I have reset the counter: your next payment")
        until(desk, "draft saved", lambda d: "Saved" in d.find_element(By.ID, "draft-status").text)
        supervisor.execute_script("window.scrollTo(0, 0)")

        OUT.mkdir(parents=True, exist_ok=True)
        for name, window in (("chat", ana), ("desk", desk), ("supervisor", supervisor)):
            raw = OUT / f"{name}.raw.png"
            window.save_screenshot(str(raw))
            target = OUT / f"{name}.png"
            if shutil.which("pngquant"):
                subprocess.run(["pngquant", "--force", "--quality", "60-85", "--strip", "--output", str(target), str(raw)], check=True)
                raw.unlink()
            else:
                raw.replace(target)
            print(f"{target}: {target.stat().st_size // 1024} KiB")
    finally:
        browsers.close()
        system.stop()


if __name__ == "__main__":
    main()

"""The README's screenshots of the web app: a few sample cards scanned into a fresh database, the review page of
the first card with a field to check, and a contact page (whole) with a job open for editing, shot by Debian's chromium.

    python -m devtools.screenshots docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

from models.database import connect, sessions
from pipeline import Settings, scan
from pipeline.book.editing import add_job
from pipeline.book.review import review_queue
from pipeline.book.store import store_result
from pipeline.web.app import create_app
from pipeline.web.security import Guard

SAMPLES = Path(__file__).resolve().parents[1] / "sample_cards"
CARDS = ("ru_ogrn_rotated270.jpg", "en_banner_photo_wood.jpg", "bilingual_icons_scan.jpg")
CHROMIUM = "/usr/bin/chromium"


def main(out: Path) -> int:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from models import Contact

    with tempfile.TemporaryDirectory() as folder:
        db_url = f"sqlite:///{folder}/demo.db"
        maker = sessions(connect(db_url))
        for name in CARDS:
            with maker.begin() as session:
                store_result(session, scan(SAMPLES / name, Settings()))
        with maker.begin() as session:
            contact = session.get(Contact, 1)
            assert contact is not None
            add_job(session, contact, {"company": "ООО «Стройтрест»", "title": "Инженер", "since": "2018-03-01"})
            doubtful = next(c.id for c in review_queue(session) if c.review != "pending")
        server = uvicorn.Server(uvicorn.Config(create_app(db_url, Guard(None)), host="127.0.0.1", port=8799,
                                               log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"http://127.0.0.1:8799/review/{doubtful}")
            page.screenshot(path=str(out / "review.png"))
            page.goto("http://127.0.0.1:8799/contacts/1")
            page.locator("li.job summary").last.click()
            page.screenshot(path=str(out / "contact.png"), full_page=True)
            browser.close()
        server.should_exit = True
    print(f"wrote {out / 'review.png'} and {out / 'contact.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")))

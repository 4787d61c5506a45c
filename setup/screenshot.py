"""Take the README screenshots of a running demo server (setup/run).

    python3 setup/screenshot.py [--url http://localhost:8069] [--out PATH]
        [--path /odoo/...] [--login admin --password admin] [--wait CSS]
        [--public] [--click CSS]...

Logs in, opens a page in headless Chromium through the DevTools protocol and
saves a PNG ("Customers to follow up" as admin by default).
"""

import argparse
import base64
import json
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request

import requests
import websocket

ACTION = "/odoo/action-payment_followup_plus.action_payment_followup_customer"


def login(url, user, password):
    session = requests.Session()
    page = session.get(f"{url}/web/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    session.post(
        f"{url}/web/login",
        data={"login": user, "password": password, "csrf_token": token},
        timeout=30,
    )
    return session.cookies["session_id"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--out", default="payment_followup_plus/static/description/screenshot.png")
    parser.add_argument("--path", default=ACTION)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--wait", default=".o_data_row", help="CSS selector to wait for")
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--width", type=int, default=1400, help="375 for a phone")
    parser.add_argument("--public", action="store_true", help="do not log in (a signed link)")
    parser.add_argument(
        "--click",
        action="append",
        default=[],
        help="CSS selector (or text:Label) to click before the shot",
    )
    args = parser.parse_args()
    session_id = None if args.public else login(args.url, args.login, args.password)
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    profile = tempfile.mkdtemp()
    proc = subprocess.Popen(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--remote-debugging-port=9333",
            f"--user-data-dir={profile}",
            f"--window-size={args.width},800",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            try:
                targets = json.load(urllib.request.urlopen("http://127.0.0.1:9333/json"))
                page = next(t for t in targets if t["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.2)
        ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
        ids = iter(range(1, 1000))

        def call(method, **params):
            msg_id = next(ids)
            ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
            while True:
                answer = json.loads(ws.recv())
                if answer.get("id") == msg_id:
                    return answer.get("result", {})

        call("Network.enable")
        host = re.sub(r"^https?://([^:/]+).*$", r"\1", args.url)
        if session_id:
            call("Network.setCookie", name="session_id", value=session_id, domain=host, path="/")
        call(
            "Emulation.setDeviceMetricsOverride",
            width=args.width,
            height=args.height,
            deviceScaleFactor=1,
            mobile=args.width < 600,
        )
        call("Page.navigate", url=args.url + args.path)
        probe = "!!document.querySelector(%s)" % json.dumps(args.wait)
        for _ in range(120):  # the first visit builds the web assets
            found = call("Runtime.evaluate", expression=probe)
            if found.get("result", {}).get("value"):
                break
            time.sleep(1)
        time.sleep(2)
        for selector in args.click:
            if selector.startswith("text:"):
                # "text:Label": the menu item, button or link showing that label
                find = (
                    "[...document.querySelectorAll('.dropdown-item, button, a')]"
                    ".find(e => e.textContent.trim() === %s).click()"
                ) % json.dumps(selector[5:])
                call("Runtime.evaluate", expression=find)
                time.sleep(3)
                continue
            # "host >>> inner": an element inside a shadow root (Odoo's live chat)
            host, __, inner = selector.partition(" >>> ")
            root = "document.querySelector(%s)" % json.dumps(host)
            if inner:
                root += ".shadowRoot.querySelector(%s)" % json.dumps(inner)
            click = root + ".click()"
            call("Runtime.evaluate", expression=click)
            time.sleep(3)
        shot = call("Page.captureScreenshot", format="png")
        with open(args.out, "wb") as out:
            out.write(base64.b64decode(shot["data"]))
        print(f"saved {args.out}")
    finally:
        proc.terminate()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()

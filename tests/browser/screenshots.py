#!/usr/bin/python3
# screenshots.py — pictures of each of the families' pages, at a phone's
# width (390×844) and a desktop's (1280×800), for the README.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The pages are seen by parents on their phones first: the README shows
# them as they are, taken by the same harness as the browser tests from a
# real store, campaign and mail, so that a picture can never show a page
# the server does not serve. Run it with `ninja -C _build screenshots`;
# the PNGs (the whole page, in 64 colours to stay small) go to
# data/screenshots/families/ or the folder given.

import os
import re
import subprocess
import sys

# The source tree stays clean: no __pycache__ beside the tests.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sesame_browser import Harness, require_browser, SAMPLE_UAI  # noqa: E402

require_browser()

from pages import Page  # noqa: E402

SIZES = {"phone": (390, 844), "desktop": (1280, 800)}
PARENT_MAIL = "helene.lefevre@example.org"
OTHER_MAIL = "aissatou.ndiaye@example.org"


def shoot(h, name, output):
    """The whole page (beyond the window's height), at the viewport's width."""
    import base64
    for size, (width, height) in SIZES.items():
        h.set_viewport(width, height)
        content = h.driver.execute_script(
            "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight);")
        shot = h.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": max(height, content), "scale": 1}})
        raw = os.path.join(h.dir, "%s-%s.png" % (name, size))
        with open(raw, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        final = os.path.join(output, "%s-%s.png" % (name, size))
        subprocess.run(["convert", raw, "-strip", "-dither", "None", "-colors", "64", "PNG8:" + final],
                       check=True, timeout=60)
        print("%s (%d bytes)" % (final, os.path.getsize(final)))
    h.set_viewport(*SIZES["desktop"])


def main():
    output = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "data/screenshots/families")
    os.makedirs(output, exist_ok=True)
    with Harness() as h:
        p = Page(h)
        h.ctl("diffusion", "send", "--profile", "parent", "--establishment", SAMPLE_UAI)

        p.open("/connexion")
        shoot(h, "connexion", output)

        link = h.link_in(h.message_to(PARENT_MAIL), "/activer")
        p.open(link)
        shoot(h, "activer", output)
        p.choose_password("Vallee-Blanche-1", "Vallee-Blanche-2")
        shoot(h, "activer-erreur", output)
        p.open(link)
        p.choose_password("Chamonix-74400")
        shoot(h, "connecte", output)
        p.forget()
        p.open(link)
        shoot(h, "activer-lien-utilise", output)

        pupils = [x for x in h.search("--profile", "eleve", "--limit", "50")
                  if x.get("establishment") != SAMPLE_UAI]
        login = pupils[0]["login"]
        first = h.ctl("account", "reset-password", login).strip().split()[-1]
        p.forget()
        p.sign_in(login, first)
        shoot(h, "changer-mot-de-passe", output)

        p.forget()
        p.open("/mot-de-passe-oublie")
        shoot(h, "mot-de-passe-oublie", output)
        other = [x for x in h.search("--profile", "parent", "--establishment", SAMPLE_UAI)
                 if h.person(x["login"]).get("email") == OTHER_MAIL][0]
        p.checkbox().click()
        p.type_into(p.login_field(), other["login"])
        p.submit()
        shoot(h, "mot-de-passe-oublie-envoye", output)
        p.open(h.link_in(h.message_to(OTHER_MAIL, count=2), "/reinitialiser"))
        shoot(h, "reinitialiser", output)

        # Too many attempts, last: it closes the door to this address.
        for attempt in range(30):
            p.forget()
            p.sign_in(other["login"], "mauvais-%d" % attempt)
            if re.search(r"Trop de tentatives", p.text()):
                shoot(h, "connexion-trop-de-tentatives", output)
                break


if __name__ == "__main__":
    main()

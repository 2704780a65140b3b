# pages.py — reading and filling the families' pages as a person does.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The tests find a form's fields by what a person or a screen reader
# finds them by (their labels and their kind), not by the names the
# server gives them, so that a field without a label fails every test
# that needs it, and a renamed field none.

import re
import urllib.parse

from selenium.common.exceptions import NoSuchElementException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from sesame_browser import WAIT


def normalize(text):
    """Page text with typographic apostrophes and spaces made plain."""
    return (text.replace("\u2019", "'").replace("\u00a0", " ")
            .replace("\u202f", " "))


class Page:
    def __init__(self, harness):
        self.h = harness
        self.d = harness.driver

    def open(self, path_or_url):
        url = path_or_url if re.match(r"https?://", path_or_url) else self.h.base + path_or_url
        self.d.get(url)
        self.wait_loaded()

    def wait_loaded(self):
        WebDriverWait(self.d, WAIT).until(
            lambda d: d.execute_script("return document.readyState") == "complete")

    @property
    def path(self):
        return urllib.parse.urlsplit(self.d.current_url).path

    def text(self):
        return normalize(self.d.find_element(By.TAG_NAME, "body").text)

    def assert_text(self, *patterns):
        text = self.text()
        for p in patterns:
            if not re.search(p, text, re.IGNORECASE):
                raise AssertionError("“%s” is not on %s, which reads:\n%s" % (p, self.d.current_url, text))

    def assert_no_text(self, *patterns):
        text = self.text()
        for p in patterns:
            if re.search(p, text, re.IGNORECASE):
                raise AssertionError("“%s” is on %s, which reads:\n%s" % (p, self.d.current_url, text))

    # ---- fields ---------------------------------------------------------

    def inputs(self):
        """The form's visible controls, in document order."""
        return [e for e in self.d.find_elements(By.CSS_SELECTOR, "form input, form button, form select, form textarea")
                if e.get_attribute("type") != "hidden" and e.is_displayed()]

    def label_of(self, element):
        """The text of the element's label; fails when it has none."""
        ident = element.get_attribute("id")
        if ident:
            labels = self.d.find_elements(By.CSS_SELECTOR, "label[for='%s']" % ident)
            if labels:
                return normalize(labels[0].text)
        try:
            return normalize(element.find_element(By.XPATH, "ancestor::label").text)
        except NoSuchElementException:
            pass
        if element.tag_name == "button" or element.get_attribute("type") == "submit":
            return normalize(element.text or element.get_attribute("value") or "")
        raise AssertionError("the field %s (%s) on %s has no label" %
                             (element.get_attribute("name"), element.get_attribute("type"), self.d.current_url))

    def field(self, label_pattern, kind=None):
        """The visible field whose label matches label_pattern."""
        found = []
        for e in self.inputs():
            if e.tag_name == "button" or e.get_attribute("type") in ("submit", "checkbox"):
                continue
            if kind is not None and e.get_attribute("type") != kind:
                continue
            if re.search(label_pattern, self.label_of(e), re.IGNORECASE):
                found.append(e)
        if not found:
            raise AssertionError("no field labelled “%s” on %s:\n%s" %
                                 (label_pattern, self.d.current_url, self.text()))
        return found[0]

    def passwords(self):
        return [e for e in self.inputs() if e.get_attribute("type") == "password"]

    def login_field(self):
        fields = [e for e in self.inputs()
                  if e.get_attribute("type") in ("text", "email", None, "") and e.tag_name == "input"]
        if len(fields) != 1:
            raise AssertionError("expected one login field on %s, found %d" % (self.d.current_url, len(fields)))
        self.label_of(fields[0])
        return fields[0]

    def checkbox(self):
        boxes = [e for e in self.inputs() if e.get_attribute("type") == "checkbox"]
        if len(boxes) != 1:
            raise AssertionError("expected one box to tick on %s, found %d" % (self.d.current_url, len(boxes)))
        self.label_of(boxes[0])
        return boxes[0]

    def submit_button(self):
        buttons = [e for e in self.inputs()
                   if e.tag_name == "button" and e.get_attribute("type") in (None, "", "submit")
                   or e.tag_name == "input" and e.get_attribute("type") == "submit"]
        if len(buttons) != 1:
            raise AssertionError("expected one button on %s's form, found %d" % (self.d.current_url, len(buttons)))
        return buttons[0]

    def type_into(self, element, text):
        element.clear()
        element.send_keys(text)

    def submit(self):
        old = self.d.find_element(By.TAG_NAME, "html")
        self.submit_button().click()
        try:
            WebDriverWait(self.d, WAIT).until(lambda d: self.stale(old))
        except TimeoutException:
            console = [e["message"] for e in self.d.get_log("browser") if e["level"] == "SEVERE"]
            raise AssertionError("the form of %s was sent but the page stayed; the browser says:\n%s" %
                                 (self.d.current_url, "\n".join(console) or "nothing"))
        self.wait_loaded()

    @staticmethod
    def stale(element):
        try:
            element.is_enabled()
            return False
        except Exception:
            return True

    def csrf_inputs(self):
        return [e for e in self.d.find_elements(By.CSS_SELECTOR, "form input[type='hidden']")
                if re.search("csrf", e.get_attribute("name") or "", re.IGNORECASE)]

    # ---- whole actions --------------------------------------------------

    def choose_password(self, password, confirmation=None):
        """Fills the two password fields of a page that sets a new one."""
        fields = self.passwords()
        if len(fields) != 2:
            raise AssertionError("expected a password and its confirmation on %s, found %d fields:\n%s" %
                                 (self.d.current_url, len(fields), self.text()))
        for f in fields:
            self.label_of(f)
        self.type_into(fields[0], password)
        self.type_into(fields[1], password if confirmation is None else confirmation)
        self.submit()

    def change_password(self, old, new):
        """The forced change: the current password, then the new one twice."""
        fields = self.passwords()
        if len(fields) == 3:
            self.type_into(fields[0], old)
            self.type_into(fields[1], new)
            self.type_into(fields[2], new)
            self.submit()
        else:
            self.choose_password(new)

    def sign_in(self, login, password, path="/connexion"):
        if path is not None:
            self.open(path)
        self.type_into(self.login_field(), login)
        fields = self.passwords()
        if len(fields) != 1:
            raise AssertionError("expected one password field on %s" % self.d.current_url)
        self.label_of(fields[0])
        self.type_into(fields[0], password)
        self.submit()

    def forget(self):
        self.d.delete_all_cookies()

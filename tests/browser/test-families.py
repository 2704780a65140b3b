#!/usr/bin/python3
# test-families.py — the families' side of Sésame in headless Chromium:
# a campaign's link, activation, sign-in, the forced change of a first
# password, the forgotten password, and every error a family can meet.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Each test goes through the real programs only: sesamectl makes the
# store and sends the campaign, the mail reaches Debian's aiosmtpd, the
# link is read from the message received, and the browser follows it to
# sesame-server. What the desks see afterwards (state, sign-ins) is read
# back with sesamectl.

import os
import re
import sys

# The source tree stays clean: no __pycache__ beside the tests.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sesame_browser import Harness, require_browser, run_tests, SAMPLE_UAI, ESTABLISHMENT_NAME  # noqa: E402

require_browser()

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from pages import Page  # noqa: E402

# The two parents of the test college with an address: the first
# activates, the second meets every error first, then forgets.
PARENT_MAIL = "helene.lefevre@example.org"
OTHER_MAIL = "aissatou.ndiaye@example.org"
NEW_PASSWORD = "Chamonix-74400"
SIGNED_IN = r"Vous êtes connecté avec le compte"
USED = r"a déjà été utilisé"
UNKNOWN = r"n'est pas valide"
EXPIRED = r"a expiré"
CONTACT = r"contactez l'établissement"
SINGLE_ANSWER = ("Si ce compte existe et qu'une adresse est renseignée, un message vient d'y être envoyé. "
                 "Sinon, rendez-vous auprès de l'administrateur responsable des mots de passe de votre établissement.")

h = None
page = None


def person_by_mail(address):
    for p in h.search("--profile", "parent", "--establishment", SAMPLE_UAI, "--limit", "500"):
        login = p["login"]
        if h.person(login).get("email", "").lower() == address:
            return h.person(login)
    raise AssertionError("no parent with the address %s in the store" % address)


def a_pupil_of_the_sample():
    pupils = [p for p in h.search("--profile", "eleve", "--limit", "500")
              if p.get("establishment") != SAMPLE_UAI and p.get("state") == "pending"]
    assert pupils, "the AAF sample gave no pupil"
    return pupils[0]


def campaign_link(address, path="/activer"):
    """The activation link of the latest message to address."""
    return h.link_in(h.message_to(address), path)


def assert_establishment_named(person=None):
    """The person's establishment on a page about them, else the ENT's name."""
    name = person.get("establishment_name") if person else None
    page.assert_text(re.escape(name or ESTABLISHMENT_NAME))


def assert_cannot_sign_in(login, password):
    page.forget()
    page.sign_in(login, password)
    if page.path not in ("/connexion",):
        raise AssertionError("%s signed in with a password that should be refused (now on %s)" %
                             (login, page.path))


_second = None


def second_store():
    """A second store and server, for what would spoil the first."""
    global _second
    if _second is None:
        _second = Harness(samples=("college",)).start()
    return _second


def setup():
    global h, page
    h = Harness().start()
    page = Page(h)
    # One campaign to the parents of the test college: the mail carries
    # the links the tests follow.
    h.ctl("diffusion", "send", "--profile", "parent", "--establishment", SAMPLE_UAI,
          "--subject", "Vos identifiants")
    h.message_to(PARENT_MAIL)
    h.message_to(OTHER_MAIL)


# ---- the happy paths -------------------------------------------------------

def test_campaign_activation_sign_in():
    parent = person_by_mail(PARENT_MAIL)
    assert parent["state"] == "pending", parent
    link = campaign_link(PARENT_MAIL)
    assert "/activer?jeton=" in link, link

    page.forget()
    page.open(link)
    page.assert_text(r"Initialisation du mot de passe pour le compte",
                     re.escape(parent["first_name"]), re.escape(parent["last_name"].upper()),
                     re.escape(parent["login"]))
    assert_establishment_named(parent)
    # The policy is explained before the person types.
    page.assert_text(r"Votre mot de passe doit comporter au moins 6 caractères et ne doit pas être votre identifiant")
    page.choose_password(NEW_PASSWORD)
    page.assert_text(SIGNED_IN + r" : .*\(%s\)" % re.escape(parent["login"]))

    # The desks see an active account that signed in.
    after = h.person(parent["login"])
    assert after["state"] == "active", after
    assert after.get("first_sign_in_at"), after

    # Signed out, the person signs in with the password they chose.
    page.forget()
    page.sign_in(parent["login"], NEW_PASSWORD)
    page.assert_text(SIGNED_IN)
    assert h.person(parent["login"]).get("last_sign_in_at"), "the last sign-in is not recorded"

    # The link is spent.
    page.forget()
    page.open(link)
    page.assert_text(USED, CONTACT)
    assert not page.passwords(), "a used link still offers to set the password"


def test_first_password_forced_change():
    pupil = a_pupil_of_the_sample()
    login = pupil["login"]
    first = h.ctl("account", "reset-password", login).strip().split()[-1]
    assert len(first) >= 8, first

    page.forget()
    page.sign_in(login, first)
    assert page.path == "/changer-mot-de-passe", "a first password led to %s" % page.path
    assert_establishment_named(h.person(login))
    page.change_password(first, "Aiguille-du-Midi")
    page.assert_text(SIGNED_IN)
    assert h.person(login)["must_change_password"] is False

    # The first password was good once.
    assert_cannot_sign_in(login, first)
    page.forget()
    page.sign_in(login, "Aiguille-du-Midi")
    page.assert_text(SIGNED_IN)


def test_forgotten_password():
    parent = person_by_mail(OTHER_MAIL)
    before = len([m for m in h.messages() if OTHER_MAIL in str(m["To"]).lower()])

    page.forget()
    page.open("/connexion")
    # The sign-in page leads to the forgotten password's.
    page.d.find_element(By.CSS_SELECTOR, "a[href$='/mot-de-passe-oublie']").click()
    page.wait_loaded()
    assert page.path == "/mot-de-passe-oublie", page.path
    # The manual's screen: pupils ask the ENT administrator, parents without
    # an address the establishment.
    page.assert_text(r"Si vous êtes élève, adressez-vous à l'administrateur ENT de votre établissement",
                     r"Si vous êtes parent et n'avez pas d'adresse électronique renseignée dans l'ENT, "
                     r"contactez l'établissement",
                     r"Sinon, cochez la case et saisissez votre identifiant")
    assert_establishment_named()
    page.checkbox().click()
    page.type_into(page.login_field(), parent["login"])
    page.submit()
    page.assert_text(re.escape(SINGLE_ANSWER))

    message = h.message_to(OTHER_MAIL, count=before + 1)
    link = h.link_in(message, "/reinitialiser")
    assert "jeton=" in link, link
    page.open(link)
    page.assert_text(r"Réinitialisation du mot de passe pour le compte",
                     re.escape(parent["first_name"]), re.escape(parent["last_name"].upper()))
    page.choose_password("Glacier-des-Bossons")
    page.forget()
    page.sign_in(parent["login"], "Glacier-des-Bossons")
    page.assert_text(SIGNED_IN)

    # Single use.
    page.forget()
    page.open(link)
    page.assert_text(USED, r"Mot de passe oublié")
    assert not page.passwords(), "a used reset link still offers to set the password"


def test_forgotten_password_says_nothing_of_the_account():
    """An unknown login and a login without an address get the same answer,
    and no mail leaves."""
    count = len(h.messages())
    pupil = a_pupil_of_the_sample()
    for login in ("personne.inconnue", pupil["login"]):
        page.forget()
        page.open("/mot-de-passe-oublie")
        page.checkbox().click()
        page.type_into(page.login_field(), login)
        page.submit()
        page.assert_text(re.escape(SINGLE_ANSWER))
    assert len(h.messages()) == count, "a message left for an account without an address"


# ---- the errors ------------------------------------------------------------

def activation_page_of(address):
    page.forget()
    page.open(campaign_link(address))
    page.assert_text(r"Initialisation du mot de passe")


def test_errors_on_activation():
    # The second parent's link, still unused: every refusal leaves it usable.
    address = OTHER_MAIL
    parent = person_by_mail(address)
    assert parent["state"] == "pending", parent

    # A confirmation that differs.
    activation_page_of(address)
    page.choose_password("Vallee-Blanche-1", "Vallee-Blanche-2")
    page.assert_text(r"Les deux mots de passe sont différents")
    assert h.person(parent["login"])["state"] == "pending"

    # Too short: the policy says 6 characters at least.
    activation_page_of(address)
    page.choose_password("abc12")
    page.assert_text(r"Le mot de passe est trop court : il doit comporter au moins 6 caractères")
    assert h.person(parent["login"])["state"] == "pending"

    # The login as password.
    activation_page_of(address)
    page.choose_password(parent["login"])
    page.assert_text(r"ne doit pas être votre identifiant : choisissez-en un autre")
    assert h.person(parent["login"])["state"] == "pending"

    # A forged form: the CSRF token does not match the session's.
    activation_page_of(address)
    tokens = page.csrf_inputs()
    assert tokens, "the form carries no CSRF token"
    page.d.execute_script("arguments[0].value = 'forged' + arguments[0].value.slice(6);", tokens[0])
    page.choose_password("Vallee-Blanche-3")
    page.assert_text(r"Formulaire expiré", r"ne vient pas de ce site")
    page.assert_no_text(SIGNED_IN)
    assert h.person(parent["login"])["state"] == "pending", "a forged form changed the password"

    # After all these the link still works.
    activation_page_of(address)
    page.choose_password("Vallee-Blanche-4")
    page.assert_text(SIGNED_IN)
    assert h.person(parent["login"])["state"] == "active"


def test_unknown_and_expired_tokens():
    page.forget()
    page.open("/activer?jeton=" + "A" * 43)
    page.assert_text(UNKNOWN, CONTACT)
    assert not page.passwords()
    page.open("/activer")
    page.assert_text(UNKNOWN, CONTACT)
    page.open("/reinitialiser?jeton=" + "A" * 43)
    page.assert_text(UNKNOWN, CONTACT)
    assert not page.passwords()

    # A link of a campaign sent 61 days ago, in a store of its own: its
    # tokens made older than their 60 days.
    other = second_store()
    other.ctl("diffusion", "send", "--profile", "parent", "--establishment", SAMPLE_UAI)
    link = other.link_in(other.message_to(PARENT_MAIL), "/activer")
    changed = other.sql("UPDATE activation_tokens SET created_at = created_at - 61 * 86400, "
                        "expires_at = created_at - 86400 WHERE used_at IS NULL")
    assert changed > 0, "no unused activation token to age"
    p = Page(other)
    p.open(link)
    p.assert_text(EXPIRED, r"établissement")
    assert not p.passwords(), "an expired link still offers to set the password"


def test_keyboard_order():
    """Tab from the top of /connexion reaches the login, the password and the
    button, in that order, each field with its label."""
    page.forget()
    page.open("/connexion")
    login = page.login_field()
    password = page.passwords()[0]
    button = page.submit_button()
    # From the top of the page: the login has the focus (autofocus), or
    # the first Tab leads into the form.
    order = []
    if page.d.switch_to.active_element == login:
        order.append(login)
    for _ in range(15):
        if order and order[-1] == button:
            break
        page.d.switch_to.active_element.send_keys(Keys.TAB)
        order.append(page.d.switch_to.active_element)
    positions = []
    for wanted, name in ((login, "login"), (password, "password"), (button, "button")):
        matches = [i for i, e in enumerate(order) if e == wanted]
        if wanted != button:
            page.label_of(wanted)
        assert matches, "Tab never reaches the %s field (reached: %r)" % (
            name, [(e.tag_name, e.get_attribute("name")) for e in order])
        positions.append(matches[0])
    assert positions == sorted(positions), "Tab order is not login, password, button: %r" % positions
    # Typing and Enter from the keyboard alone sends the form.
    old = page.d.find_element(By.TAG_NAME, "html")
    login.send_keys("personne.inconnue")
    password.send_keys("pas-le-bon" + Keys.ENTER)
    WebDriverWait(page.d, 20).until(lambda d: page.stale(old))
    page.wait_loaded()
    assert page.path == "/connexion", page.path
    assert page.passwords(), "a refused sign-in does not offer the form again"


def test_too_many_attempts():
    """In a server of its own: the throttle would refuse the other tests."""
    other = second_store()
    p = Page(other)
    parent = other.search("--profile", "parent", "--limit", "1")[0]
    refused_at = None
    for attempt in range(1, 31):
        p.forget()
        p.sign_in(parent["login"], "mauvais-%d" % attempt)
        if re.search(r"Trop de tentatives : attendez \d+ minutes? avant de réessayer", p.text()):
            refused_at = attempt
            break
    assert refused_at is not None, "30 wrong passwords in a row were never throttled"
    assert refused_at > 1
    p.assert_no_text(SIGNED_IN)


if __name__ == "__main__":
    run_tests(setup=setup, tests=[
        ("campaign link, activation, sign-in", test_campaign_activation_sign_in),
        ("first password from a regeneration, forced change", test_first_password_forced_change),
        ("activation errors: confirmation, too short, login, CSRF", test_errors_on_activation),
        ("forgotten password with the mailed link", test_forgotten_password),
        ("forgotten password: one answer for all", test_forgotten_password_says_nothing_of_the_account),
        ("unknown, missing and expired tokens", test_unknown_and_expired_tokens),
        ("keyboard order on /connexion", test_keyboard_order),
        ("too many attempts", test_too_many_attempts),
    ])

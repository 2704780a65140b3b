#!/usr/bin/python3
# test-cas.py — Sésame's CAS server with a real client: Debian's Apache
# and mod_auth_cas protect a page on loopback, and Chromium signs in.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# An ENT is a CAS client written by somebody else; the protocol tests in C
# check what the server says, and this one that a client in the field
# understands it. Apache runs from a configuration written to the test's
# folder (apache2 -f, in the foreground, no system service touched),
# protects a CGI that prints REMOTE_USER and the attributes released, and
# validates tickets over HTTPS against the certificate of this run. The
# browser asks for the page, is sent to Sésame's /cas/login, signs in
# with a first password, must change it, and comes back to the page,
# which shows the login. Then Apache's session is ended again and again,
# and each new ticket must be taken by mod_auth_cas at the first trip: a
# ticket it does not recognise sends the browser round to Sésame again.

import os
import pwd
import re
import shutil
import socket
import sys

# The source tree stays clean: no __pycache__ beside the tests.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sesame_browser import (Harness, HarnessError, Process, free_port, require_browser,  # noqa: E402
                            run_tests, wait_for, SAMPLE_UAI)

require_browser()

from pages import Page  # noqa: E402

APACHE = "/usr/sbin/apache2"
MODULES = "/usr/lib/apache2/modules"

CGI = """#!/bin/sh
printf 'Content-Type: text/plain; charset=utf-8\\r\\n\\r\\n'
printf 'REMOTE_USER=%s\\n' "$REMOTE_USER"
env | grep '^HTTP_CAS_' | sort
"""

CONFIG = """# Written by test-cas.py for one run.
ServerRoot "{dir}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "{dir}/apache2.pid"
Mutex file:{dir}
ErrorLog "{dir}/error.log"
LogLevel warn auth_cas:debug
{user}
LoadModule mpm_prefork_module {modules}/mod_mpm_prefork.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule authz_user_module {modules}/mod_authz_user.so
LoadModule authn_core_module {modules}/mod_authn_core.so
LoadModule alias_module {modules}/mod_alias.so
LoadModule mime_module {modules}/mod_mime.so
LoadModule cgi_module {modules}/mod_cgi.so
LoadModule auth_cas_module {modules}/mod_auth_cas.so
StartServers 1
MinSpareServers 1
MaxSpareServers 2
TypesConfig /etc/mime.types
DocumentRoot "{dir}/htdocs"

CASDebug On
CASVersion 2
CASLoginURL {base}/cas/login
CASValidateURL {base}/cas/p3/serviceValidate
CASCertificatePath {cert}
CASCookiePath {dir}/cas-cookies/
CASTimeout 600
# The attributes as request headers: CAS-login, CAS-profile… (Apache 2.4
# drops headers with an underscore, so the prefix keeps its hyphen).
CASAttributePrefix CAS-

ScriptAlias /ent/ "{dir}/cgi/"
<Directory "{dir}/cgi">
  Options +ExecCGI
  Require all granted
</Directory>
<Location /ent/>
  AuthType CAS
  CASAuthNHeader CAS-User
  CASScrubRequestHeaders On
  Require valid-user
</Location>
ScriptAlias /parents/ "{dir}/cgi/"
<Location /parents/>
  AuthType CAS
  CASAuthNHeader CAS-User
  CASScrubRequestHeaders On
  Require cas-attribute profile:parent
</Location>
"""


def start_apache(h):
    """Apache on a free port of 127.0.0.1, from a configuration of its own."""
    for p in ("/usr/sbin/apache2", MODULES + "/mod_auth_cas.so"):
        if not os.path.exists(p):
            if os.environ.get("SESAME_BROWSER_REQUIRED") == "1":
                raise HarnessError("%s is missing: apt-get install apache2 libapache2-mod-auth-cas" % p)
            print("1..0 # SKIP %s is missing (apt-get install apache2 libapache2-mod-auth-cas)" % p)
            sys.exit(77)
    top = os.path.join(h.dir, "apache")
    for d in ("htdocs", "cgi", "cas-cookies"):
        os.makedirs(os.path.join(top, d))
    os.chmod(top, 0o755)
    script = os.path.join(top, "cgi", "whoami")
    with open(script, "w") as f:
        f.write(CGI)
    os.chmod(script, 0o755)
    # As root, Apache's children run as www-data: the cookie folder is theirs.
    user = ""
    if os.getuid() == 0:
        www = pwd.getpwnam("www-data")
        os.chown(os.path.join(top, "cas-cookies"), www.pw_uid, www.pw_gid)
        user = "User www-data\nGroup www-data"
    port = free_port()
    config = os.path.join(top, "apache2.conf")
    with open(config, "w") as f:
        f.write(CONFIG.format(dir=top, port=port, modules=MODULES, base=h.base, cert=h.cert, user=user)
                )
    check = Process("apache2 -t", [APACHE, "-f", config, "-t"], os.path.join(top, "configtest.log"))
    check.popen.wait(timeout=30)
    if check.popen.returncode != 0:
        raise HarnessError("Apache refuses its configuration: " + check.output())
    check.stop()
    apache = Process("apache2", [APACHE, "-f", config, "-DFOREGROUND"], os.path.join(top, "apache2.log"))
    h.processes.append(apache)
    h.apache_error_log = os.path.join(top, "error.log")

    def listening():
        if not apache.running():
            raise HarnessError("Apache stopped: %s %s" % (apache.output(), read(h.apache_error_log)))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            return False
    wait_for(listening, "Apache on port %d" % port)
    return "http://127.0.0.1:%d" % port


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def wait_back_at(page, url):
    """Waits for the browser to come back to url from Sésame, its ticket
    taken by mod_auth_cas and out of the address. A ticket the client did
    not take sends it round to /cas/login again, each trip adding a
    ticket= to the address: say how many."""
    try:
        wait_for(lambda: page.d.current_url == url, "the browser to come back to %s" % url, timeout=60)
    except HarnessError:
        raise AssertionError("the browser stays at %s (%d ticket= in the address), which reads:\n%s\n"
                             "Apache says:\n%s" %
                             (page.d.current_url, page.d.current_url.count("ticket="), page.text(),
                              read(h.apache_error_log)[-3000:]))
    page.wait_loaded()


h = None
apache = None


def setup():
    global h, apache
    h = Harness(samples=("sample", "college")).start()
    apache = start_apache(h)
    h.ctl("cas", "services", "add", apache + "/")


def test_sign_in_through_apache():
    page = Page(h)
    pupils = [p for p in h.search("--profile", "eleve", "--limit", "500")
              if p.get("establishment") != SAMPLE_UAI and p.get("state") == "pending"]
    assert pupils, "the AAF sample gave no pupil"
    login = pupils[0]["login"]
    first = h.ctl("account", "reset-password", login).strip().split()[-1]

    page.forget()
    page.open(apache + "/ent/whoami")
    # Apache sent the browser to Sésame's sign-in page.
    assert page.d.current_url.startswith(h.base + "/"), page.d.current_url
    page.sign_in(login, first, path=None)
    assert page.path == "/changer-mot-de-passe", "the first password led to %s:\n%s" % (page.path, page.text())
    page.change_password(first, "Mer-de-Glace-74")

    # Back at the page Apache protects, which names the person.
    # mod_auth_cas validates the ticket, then takes it out of the address.
    wait_back_at(page, apache + "/ent/whoami")
    text = page.d.find_element("tag name", "body").text
    assert "REMOTE_USER=%s\n" % login in text + "\n", "Apache's page reads:\n%s\n%s" % (
        text, read(h.apache_error_log)[-4000:])
    assert h.person(login)["must_change_password"] is False
    # The attributes released reached the application.
    pupil = h.person(login)
    for name, value in (("USER", login), ("LOGIN", login), ("PROFILE", "eleve"),
                        ("FIRSTNAME", pupil["first_name"]), ("LASTNAME", None)):
        line = [x for x in text.splitlines() if x.upper().startswith("HTTP_CAS_%s=" % name)]
        assert line, "no attribute %s in Apache's page:\n%s" % (name, text)
        if value is not None:
            assert line[0].split("=", 1)[1] == value, line[0]
    # mod_auth_cas authorizes by those attributes: a pupil is no parent.
    page.open(apache + "/parents/whoami")
    wait_for(lambda: page.d.current_url.startswith(apache + "/parents/whoami"),
             "the browser to come back to Apache (now at %s)" % page.d.current_url)
    page.wait_loaded()
    denied = page.d.find_element("tag name", "body").text
    assert "REMOTE_USER=" not in denied, "a pupil reached the page for parents only"
    assert re.search(r"(Unauthorized|Forbidden|Authorization Required)", denied), denied

    # A second visit: the Apache session, no new sign-in.
    page.open(apache + "/ent/whoami")
    assert "REMOTE_USER=%s" % login in page.d.find_element("tag name", "body").text


def test_every_ticket_taken():
    """Each time Apache's session ends, the browser goes back to Sésame,
    still signed in there, and comes back with a new ticket: mod_auth_cas
    must take every one at the first trip. It recognises a ticket only
    when it holds the characters CAS 3.0 allows (A-Z, a-z, 0-9, -);
    another one stays in the address and the browser goes round again."""
    page = Page(h)
    pupils = [p for p in h.search("--profile", "eleve", "--limit", "500")
              if p.get("establishment") != SAMPLE_UAI and p.get("state") == "pending"]
    assert pupils, "the AAF sample gave no pending pupil"
    login = pupils[-1]["login"]
    first = h.ctl("account", "reset-password", login).strip().split()[-1]

    page.forget()
    page.open(apache + "/ent/whoami")
    page.sign_in(login, first, path=None)
    page.change_password(first, "Aiguille-du-Midi-3842")
    wait_back_at(page, apache + "/ent/whoami")
    before = read(h.apache_error_log).count("entering isValidCASTicket()")
    rounds = 16
    for _ in range(rounds):
        # Apache's cookie is for 127.0.0.1 (every port): its session ends,
        # Sésame's stays.
        page.d.delete_cookie("MOD_AUTH_CAS")
        page.open(apache + "/ent/whoami")
        wait_back_at(page, apache + "/ent/whoami")
        text = page.d.find_element("tag name", "body").text
        assert "REMOTE_USER=%s\n" % login in text + "\n", text
    # One validation per round: no ticket was left behind.
    validations = read(h.apache_error_log).count("entering isValidCASTicket()") - before
    assert validations == rounds, "mod_auth_cas validated %d tickets for %d rounds" % (validations, rounds)


def test_unregistered_service():
    page = Page(h)
    page.forget()
    page.open("/cas/login?service=" + "http%3A%2F%2F127.0.0.1%3A9%2Fautre%2F")
    assert page.path.startswith("/cas/login"), "an unregistered service was redirected to %s" % page.d.current_url
    page.assert_text(r"(service|application)")
    assert not page.passwords(), "an unregistered service was offered the sign-in form"


if __name__ == "__main__":
    if shutil.which("apache2", path="/usr/sbin:/usr/bin") is None and os.environ.get("SESAME_BROWSER_REQUIRED") != "1":
        print("1..0 # SKIP apache2 is missing (apt-get install apache2 libapache2-mod-auth-cas)")
        sys.exit(77)
    run_tests(setup=setup, tests=[
        ("Apache's mod_auth_cas signs in with a first password", test_sign_in_through_apache),
        ("mod_auth_cas takes every ticket at the first trip", test_every_ticket_taken),
        ("an unregistered service gets no redirect", test_unregistered_service),
    ])

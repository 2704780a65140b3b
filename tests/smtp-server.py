#!/usr/bin/python3
# smtp-server.py — a mail server on localhost for the mail tests and the
# benchmark, built on aiosmtpd: STARTTLS or implicit TLS with a self-signed
# certificate made with openssl at start, AUTH, and switches that make it
# misbehave the way real servers do.
#
# Every message received is saved as DIR/NNNN.eml and described by one JSON
# line in DIR/log.jsonl. Once listening it prints "READY <port> <cert.pem>".
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import asyncio
import json
import logging
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def make_certificate(directory):
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    if not os.path.exists(cert):
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec",
             "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
             "-addext", "basicConstraints=critical,CA:TRUE"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context, cert


class Handler:
    def __init__(self, args, loop):
        self.args = args
        self.loop = loop
        self.seq = 0
        self.dropped = False
        self.exiting = False
        self.tempfail = {}
        for item in args.tempfail:
            address, _, count = item.partition("=")
            self.tempfail[address.lower()] = int(count or 1)
        self.permfail = {a.lower() for a in args.permfail}
        log_path = os.path.join(args.dir, "log.jsonl")
        # Started again on the same folder, it numbers on.
        if os.path.exists(log_path):
            with open(log_path) as f:
                self.seq = sum(1 for line in f if line.strip())
        self.log = open(log_path, "a", buffering=1)
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.exiting:
            # Going away: no answer, the process ends meanwhile.
            await asyncio.sleep(10)
        if self.args.delay_rcpt > 0:
            await asyncio.sleep(self.args.delay_rcpt)
        key = address.lower()
        if key in self.permfail:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if self.tempfail.get(key, 0) > 0:
            self.tempfail[key] -= 1
            return "451 4.3.0 <%s>: greylisted, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.seq += 1
        self.count += 1
        name = "%04d.eml" % self.seq
        with open(os.path.join(self.args.dir, name), "wb") as f:
            f.write(envelope.original_content or envelope.content)
        self.log.write(json.dumps({
            "seq": self.seq,
            "time": time.time(),
            "peer": session.peer[1] if session.peer else 0,
            "auth": (session.auth_data.login.decode()
                     if isinstance(session.auth_data, LoginPassword) else None),
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "file": name,
        }) + "\n")
        if self.args.exit_after and self.count >= self.args.exit_after:
            # The server goes away for good right after answering: a next
            # message gets no answer and then no server at all.
            self.exiting = True
            self.loop.call_later(0.1, os._exit, 0)
        elif (self.args.drop_after and not self.dropped
              and self.count >= self.args.drop_after):
            self.dropped = True
            self.loop.call_later(0.01, server.transport.close)
        return "250 2.0.0 OK: queued as %s" % name


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls", choices=["starttls", "implicit", "none"], default="starttls")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--refuse-auth", action="store_true")
    parser.add_argument("--tempfail", action="append", default=[],
                        metavar="ADDRESS[=N]", help="answer 451 to ADDRESS the first N times")
    parser.add_argument("--permfail", action="append", default=[],
                        metavar="ADDRESS", help="answer 550 to ADDRESS")
    parser.add_argument("--drop-after", type=int, default=0,
                        help="close the connection once, after N messages")
    parser.add_argument("--exit-after", type=int, default=0,
                        help="stop the server after N messages")
    parser.add_argument("--delay-rcpt", type=float, default=0.0,
                        help="wait this many seconds before answering RCPT")
    parser.add_argument("--exit-on-eof", action="store_true",
                        help="stop when standard input closes (the test that started it ended)")
    args = parser.parse_args()

    # aiosmtpd warns about AUTH without STARTTLS, which is what implicit TLS
    # looks like to it, and about its own deprecated attributes.
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)

    os.makedirs(args.dir, exist_ok=True)
    context, cert = make_certificate(args.dir)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    handler = Handler(args, loop)

    def authenticate(server, session, envelope, mechanism, auth_data):
        if args.refuse_auth or not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = (auth_data.login.decode() == (args.user or "")
              and auth_data.password.decode() == (args.password or ""))
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def factory():
        kwargs = dict(hostname="mail.test", ident="Sesame test server",
                      authenticator=authenticate if (args.user or args.refuse_auth) else None,
                      auth_required=bool(args.user or args.refuse_auth),
                      loop=loop)
        if args.tls == "starttls":
            kwargs.update(tls_context=context, require_starttls=True, auth_require_tls=True)
        else:
            kwargs.update(auth_require_tls=False)
        return SMTP(handler, **kwargs)

    server = loop.run_until_complete(loop.create_server(
        factory, host=args.host, port=args.port, reuse_address=True,
        ssl=context if args.tls == "implicit" else None))
    port = server.sockets[0].getsockname()[1]
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    if args.exit_on_eof:
        def on_input():
            if not os.read(sys.stdin.fileno(), 4096):
                loop.stop()
        loop.add_reader(sys.stdin.fileno(), on_input)
    print("READY %d %s" % (port, cert), flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    sys.exit(main())

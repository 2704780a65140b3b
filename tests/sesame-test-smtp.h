/* sesame-test-smtp.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gmime/gmime.h>
#include <json-glib/json-glib.h>

#include "sesame-smtp-settings.h"

G_BEGIN_DECLS

/* tests/smtp-server.py, started on a free port of 127.0.0.1 with its own
 * folder and self-signed certificate. */
typedef struct
{
  GSubprocess *process;
  char        *dir;
  char        *cert;
  guint        port;
  char       **args;
} SesameTestSmtpServer;

#define SESAME_TEST_SMTP_USER     "secretariat@0740017s.example.org"
#define SESAME_TEST_SMTP_PASSWORD "Tr0ub4dor&3-smtp-secret"

/* Extra arguments of smtp-server.py, NULL-terminated. */
SesameTestSmtpServer *sesame_test_smtp_server_start       (const char           *first_arg,
                                                           ...) G_GNUC_NULL_TERMINATED;
SesameTestSmtpServer *sesame_test_smtp_server_startv      (const char * const   *args,
                                                           guint                 port);
/* Starts it again on the same port and folder, with other switches. */
void                  sesame_test_smtp_server_restart     (SesameTestSmtpServer *server,
                                                           const char           *first_arg,
                                                           ...) G_GNUC_NULL_TERMINATED;
void                  sesame_test_smtp_server_stop        (SesameTestSmtpServer *server);
void                  sesame_test_smtp_server_free        (SesameTestSmtpServer *server);
gboolean              sesame_test_smtp_server_is_running  (SesameTestSmtpServer *server);

/* Settings towards the server: STARTTLS (or as it was started), the test
 * user, no rate limit. */
SesameSmtpSettings   *sesame_test_smtp_server_settings    (SesameTestSmtpServer *server);

/* The JSON lines of log.jsonl, one object per message received. */
GPtrArray            *sesame_test_smtp_server_read_log    (SesameTestSmtpServer *server);
guint                 sesame_test_smtp_server_count       (SesameTestSmtpServer *server);
gboolean              sesame_test_smtp_server_wait_count  (SesameTestSmtpServer *server,
                                                           guint                 count,
                                                           guint                 timeout_ms);
GMimeMessage         *sesame_test_smtp_server_parse       (SesameTestSmtpServer *server,
                                                           const char           *file);
/* The recipients of all messages received, sorted, with repeats. */
GPtrArray            *sesame_test_smtp_server_recipients  (SesameTestSmtpServer *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameTestSmtpServer, sesame_test_smtp_server_free)

G_END_DECLS

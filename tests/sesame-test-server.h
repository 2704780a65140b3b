/* sesame-test-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A sesame-server ($SESAME_SERVER) on 127.0.0.1, on a store of a test. */
typedef struct
{
  char        *store_path;
  GSubprocess *process;
  guint16      port;         /* kept across restarts: desks know the URL */
  char        *url;
  char        *fingerprint;
} SesameTestServer;

void      sesame_test_server_start  (SesameTestServer   *server);
void      sesame_test_server_stop   (SesameTestServer   *server);
void      sesame_test_server_kill   (SesameTestServer   *server);
void      sesame_test_server_clear  (SesameTestServer   *server);
char     *sesame_test_server_join   (SesameTestServer   *server,
                                     const char         *dir,
                                     const char         *name);

char     *sesame_test_dump_synced   (const char         *store_path);
int       sesame_test_count_rows    (const char         *store_path,
                                     const char         *sql);

G_END_DECLS

/* sesame-test-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sesame-server on loopback for the tests of desks: started on a store
 * the test made, stopped and started again on the same port, with desks
 * enrolled and joined through sesamectl.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char        *store_path;
  GSubprocess *process;
  char        *url;
  guint16      port;
  char        *fingerprint;
  char       **env;
  gboolean     made_certificate;
} SesameTestServer;

void   sesame_test_server_start     (SesameTestServer *server,
                                     const char       *store_path);
void   sesame_test_server_setenv    (SesameTestServer *server,
                                     const char       *name,
                                     const char       *value);
void   sesame_test_server_stop      (SesameTestServer *server);
void   sesame_test_server_kill      (SesameTestServer *server);
void   sesame_test_server_restart   (SesameTestServer *server);
void   sesame_test_server_clear     (SesameTestServer *server);
char  *sesame_test_server_add_desk  (SesameTestServer *server,
                                     const char       *name);
char  *sesame_test_server_join      (SesameTestServer *server,
                                     const char       *name,
                                     const char       *dir);

G_END_DECLS

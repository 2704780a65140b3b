/* sesame-test-trials.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A sesame-server ($SESAME_SERVER) on 127.0.0.1, on a store of a test,
 * that the trials of the sync stop, kill and start again on its port. */
typedef struct
{
  char        *store_path;
  GSubprocess *process;
  guint16      port;         /* kept across restarts: desks know the URL */
  char        *url;
  char        *fingerprint;
} SesameTrialServer;

void      sesame_trial_server_start  (SesameTrialServer   *server);
void      sesame_trial_server_stop   (SesameTrialServer   *server);
void      sesame_trial_server_kill   (SesameTrialServer   *server);
void      sesame_trial_server_clear  (SesameTrialServer   *server);
char     *sesame_trial_server_join   (SesameTrialServer   *server,
                                     const char         *dir,
                                     const char         *name);

char     *sesame_trial_dump_synced   (const char         *store_path);
int       sesame_trial_count_rows    (const char         *store_path,
                                     const char         *sql);

G_END_DECLS

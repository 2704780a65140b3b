/* sesame-test-ctl.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What one sesamectl run gave. */
typedef struct
{
  int     status;   /* exit status; -1 when a signal ended it */
  char   *out;
  char   *err;
  double  seconds;  /* from start to exit */
  glong   peak_rss_kb;  /* with measure_memory: its own peak resident size */
} SesameTestRun;

/* How sesamectl is run: [PREFIX…] $SESAMECTL [--store STORE] [--as OPERATOR]
 * ARGS…, with INPUT on its standard input (none: at its end at once). ENV
 * holds NAME, VALUE pairs set for this run only, a NULL VALUE unsetting
 * NAME. Zero-initialise what is not needed. */
typedef struct
{
  const char * const *prefix;
  const char         *store;
  const char         *operator;
  const char         *input;
  const char * const *env;
  gboolean            leave_terminal;  /* in a session of its own, no /dev/tty */
  gboolean            allow_signal;    /* a crash gives status -1, not a failure */
  gboolean            measure_memory;  /* a child of its own, waited with wait4(); no input */
} SesameTestCtl;

void          sesame_test_run_clear   (SesameTestRun        *run);
GSubprocess  *sesame_test_ctl_spawnv  (const SesameTestCtl  *ctl,
                                       const char * const   *args);
void          sesame_test_ctl_finish  (const SesameTestCtl  *ctl,
                                       GSubprocess          *process,
                                       gint64                start,
                                       SesameTestRun        *run);
void          sesame_test_ctl_runv    (const SesameTestCtl  *ctl,
                                       const char * const   *args,
                                       SesameTestRun        *run);
void          sesame_test_ctl_run_va  (const SesameTestCtl  *ctl,
                                       SesameTestRun        *run,
                                       va_list               ap);
void          sesame_test_ctl_run     (const SesameTestCtl  *ctl,
                                       SesameTestRun        *run,
                                       ...) G_GNUC_NULL_TERMINATED;
void          sesame_test_ctl_run_on  (const char           *store,
                                       const char           *operator,
                                       const char           *input,
                                       SesameTestRun        *run,
                                       ...) G_GNUC_NULL_TERMINATED;

JsonNode     *sesame_test_parse_json  (const char           *text);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SesameTestRun, sesame_test_run_clear)

G_END_DECLS

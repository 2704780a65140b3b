/* sesame-signin-task.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sesame.h"

G_BEGIN_DECLS

void     sesame_signin_task_run_async (SesameStore          *store,
                                       const char           *login,
                                       const char           *passphrase,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean sesame_signin_task_finish    (SesameStore          *store,
                                       GAsyncResult         *result,
                                       gboolean             *offline,
                                       GError              **error);

/* A sign-in a page runs (the sign-in and lock pages): one at a time, the
 * page told when it waits and when it is answered, given up by
 * sesame_signin_run_cancel(). */
typedef void (*SesameSigninRunBusy) (GtkWidget    *page,
                                     gboolean      busy);
/* Answered: @error is NULL when signed in. */
typedef void (*SesameSigninRunDone) (GtkWidget    *page,
                                     gboolean      offline,
                                     const GError *error);

typedef struct
{
  GtkWidget           *page;          /* not owned: the run is part of it */
  SesameSigninRunBusy  busy;
  SesameSigninRunDone  done;
  GCancellable        *cancellable;   /* the sign-in under way */
} SesameSigninRun;

void     sesame_signin_run_init       (SesameSigninRun      *run,
                                       GtkWidget            *page,
                                       SesameSigninRunBusy   busy,
                                       SesameSigninRunDone   done);
gboolean sesame_signin_run_start      (SesameSigninRun      *run,
                                       SesameStore          *store,
                                       const char           *login,
                                       const char           *passphrase);
void     sesame_signin_run_cancel     (SesameSigninRun      *run);
gboolean sesame_signin_run_is_busy    (const SesameSigninRun *run);
void     sesame_signin_run_dispose    (SesameSigninRun      *run);

G_END_DECLS

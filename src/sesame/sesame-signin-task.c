/* sesame-signin-task.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Signs an operator in without making the window wait. On a desk joined to
 * a server, a sign-in first asks the server, and a server that does not
 * answer holds the request up to the connection timeout: on the main
 * thread the window would freeze meanwhile, neither redrawing nor letting
 * the operator give up. The sign-in pages and the lock page run it here
 * instead, on a connection of the worker thread's own; once it succeeded
 * the window's connection acts as the operator who signed in on it.
 * SesameSigninRun keeps a page's one sign-in under way: its busy state,
 * giving it up, and telling the page the answer of the latest only.
 */
#include "config.h"

#include <string.h>

#include "sesame-signin-task.h"
#include "sesame-worker.h"

typedef struct
{
  char     *login;
  char     *passphrase;
} Attempt;

typedef struct
{
  SesameStore *store;   /* the worker's connection, the operator signed in */
  gboolean     offline;
} Outcome;

static void
attempt_free (Attempt *attempt)
{
  g_free (attempt->login);
  if (attempt->passphrase != NULL)
    explicit_bzero (attempt->passphrase, strlen (attempt->passphrase));
  g_free (attempt->passphrase);
  g_free (attempt);
}

static void
outcome_free (Outcome *outcome)
{
  g_clear_object (&outcome->store);
  g_free (outcome);
}

static gpointer
sign_in_in_thread (SesameStore   *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  Attempt *attempt = data;
  gboolean offline = FALSE;
  Outcome *outcome;

  /* Given up meanwhile: the window stays as it was, and the desk records
   * no sign-in. */
  if (!sesame_sync_client_sign_in_full (store, attempt->login, attempt->passphrase, cancellable, &offline, error))
    return NULL;

  outcome = g_new0 (Outcome, 1);
  outcome->store = g_object_ref (store);
  outcome->offline = offline;
  return outcome;
}

/**
 * sesame_signin_task_run_async:
 * @store: the window's store
 * @login: the login typed
 * @passphrase: the passphrase typed
 * @cancellable: (nullable): gives the sign-in up
 * @callback: called in the caller's main context once the answer is known
 * @user_data: data for @callback
 *
 * Signs @login in as sesame_sync_client_sign_in() does, in a thread: the
 * server when it answers, the desk's own verifier when it does not. Call
 * sesame_signin_task_finish() from @callback.
 */
void
sesame_signin_task_run_async (SesameStore         *store,
                              const char          *login,
                              const char          *passphrase,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Attempt *attempt;

  g_return_if_fail (SESAME_IS_STORE (store));
  g_return_if_fail (login != NULL);
  g_return_if_fail (passphrase != NULL);

  attempt = g_new0 (Attempt, 1);
  attempt->login = g_strdup (login);
  attempt->passphrase = g_strdup (passphrase);
  sesame_worker_run_async (store, sign_in_in_thread, attempt, (GDestroyNotify) attempt_free,
                           (GDestroyNotify) outcome_free, cancellable, callback, user_data);
}

/**
 * sesame_signin_task_finish:
 * @store: the store given to sesame_signin_task_run_async()
 * @result: the #GAsyncResult given to the callback
 * @offline: (out) (optional): set to %TRUE when the server did not answer
 *   and the desk's own verifier decided
 * @error: return location for a #GError
 *
 * Makes @store act as the operator who signed in.
 *
 * Returns: %TRUE if signed in, or %FALSE with @error set: the refusal in
 *   the operator's words, or %G_IO_ERROR_CANCELLED
 */
gboolean
sesame_signin_task_finish (SesameStore   *store,
                           GAsyncResult  *result,
                           gboolean      *offline,
                           GError       **error)
{
  Outcome *outcome;
  gboolean ok;

  g_return_val_if_fail (SESAME_IS_STORE (store), FALSE);

  if (offline != NULL)
    *offline = FALSE;
  outcome = sesame_worker_run_finish (result, error);
  if (outcome == NULL)
    return FALSE;
  ok = sesame_store_adopt_operator (store, outcome->store, error);
  if (ok && offline != NULL)
    *offline = outcome->offline;
  outcome_free (outcome);
  return ok;
}

/**
 * sesame_signin_run_init:
 * @run: a page's sign-in, uninitialised
 * @page: the page it is part of
 * @busy: called when a sign-in starts waiting and when it stops
 * @done: called with the answer of a sign-in that was not given up
 *
 * Prepares @run.
 */
void
sesame_signin_run_init (SesameSigninRun     *run,
                        GtkWidget           *page,
                        SesameSigninRunBusy  busy,
                        SesameSigninRunDone  done)
{
  *run = (SesameSigninRun) { .page = page, .busy = busy, .done = done };
}

typedef struct
{
  SesameSigninRun *run;
  GtkWidget       *page;          /* keeps @run alive */
  GCancellable    *cancellable;   /* which sign-in this is */
  SesameStore     *store;
} Pending;

static void
run_answered_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Pending *pending = user_data;
  SesameSigninRun *run = pending->run;
  g_autoptr(GError) error = NULL;
  gboolean offline = FALSE;
  gboolean ok;

  ok = sesame_signin_task_finish (pending->store, result, &offline, &error);
  /* Given up, or another sign-in started since: not this one's answer. */
  if (run->cancellable == pending->cancellable && !g_cancellable_is_cancelled (pending->cancellable))
    {
      g_clear_object (&run->cancellable);
      run->busy (run->page, FALSE);
      run->done (run->page, offline, ok ? NULL : error);
    }
  g_object_unref (pending->page);
  g_object_unref (pending->cancellable);
  g_object_unref (pending->store);
  g_free (pending);
}

/**
 * sesame_signin_run_start:
 * @run: a page's sign-in
 * @store: the window's store
 * @login: the login typed
 * @passphrase: the passphrase typed
 *
 * Signs @login in with sesame_signin_task_run_async(), unless a sign-in
 * is under way already.
 *
 * Returns: %FALSE when one was already under way
 */
gboolean
sesame_signin_run_start (SesameSigninRun *run,
                         SesameStore     *store,
                         const char      *login,
                         const char      *passphrase)
{
  Pending *pending;

  if (run->cancellable != NULL)
    return FALSE;
  run->cancellable = g_cancellable_new ();
  pending = g_new0 (Pending, 1);
  pending->run = run;
  pending->page = g_object_ref (run->page);
  pending->cancellable = g_object_ref (run->cancellable);
  pending->store = g_object_ref (store);
  run->busy (run->page, TRUE);
  sesame_signin_task_run_async (store, login, passphrase, run->cancellable, run_answered_cb, pending);
  return TRUE;
}

/**
 * sesame_signin_run_cancel:
 * @run: a page's sign-in
 *
 * Gives the sign-in under way up, if any: the page stops waiting at once,
 * and its answer, when it comes, is not told.
 */
void
sesame_signin_run_cancel (SesameSigninRun *run)
{
  if (run->cancellable == NULL)
    return;
  g_cancellable_cancel (run->cancellable);
  g_clear_object (&run->cancellable);
  run->busy (run->page, FALSE);
}

/**
 * sesame_signin_run_is_busy:
 * @run: a page's sign-in
 *
 * Returns: whether a sign-in waits for its answer
 */
gboolean
sesame_signin_run_is_busy (const SesameSigninRun *run)
{
  return run->cancellable != NULL;
}

/**
 * sesame_signin_run_dispose:
 * @run: a page's sign-in
 *
 * Gives the sign-in under way up without telling the page, which is
 * going away.
 */
void
sesame_signin_run_dispose (SesameSigninRun *run)
{
  if (run->cancellable != NULL)
    g_cancellable_cancel (run->cancellable);
  g_clear_object (&run->cancellable);
}

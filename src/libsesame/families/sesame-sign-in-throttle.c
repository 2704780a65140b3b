/* sesame-sign-in-throttle.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Slows down whoever guesses passwords or floods people with reset links:
 * a login that failed 5 times in 15 minutes, or an address that failed 30
 * times, is refused until the oldest failure leaves the window; reset
 * requests are limited per login and per address each hour. Every attempt
 * is a new row, like the operators' sign-ins, so restarting the server
 * resets nothing; a success counts the login's earlier failures no more.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-families"

#include "sesame-document-language-private.h"
#include "sesame-families-private.h"
#include "sesame-sign-in-throttle.h"

static const char *
kind_token (SesameThrottleKind kind)
{
  return kind == SESAME_THROTTLE_RESET ? "reset" : "sign-in";
}

/* Logins are compared as the sign-in compares them: case folded. */
static char *
fold_login (const char *login)
{
  return g_utf8_casefold (login != NULL && g_utf8_validate (login, -1, NULL) ? login : "", -1);
}

/* The failures counted against @column = @value in the window, and the
 * oldest one's time. Sign-ins count only failures since the last success
 * of the same login; reset requests count every request. */
static gboolean
count_recent (SesameStore         *self,
              SesameThrottleKind   kind,
              const char          *column,
              const char          *value,
              gint64               since,
              guint               *count,
              gint64              *oldest,
              GError             **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  if (kind == SESAME_THROTTLE_RESET)
    sql = g_strdup_printf ("SELECT count(*), min(at) FROM web_attempts WHERE kind = ?1 AND %s = ?2 AND at > ?3",
                           column);
  else
    sql = g_strdup_printf ("SELECT count(*), min(at) FROM web_attempts WHERE kind = ?1 AND %s = ?2 AND at > ?3"
                           " AND succeeded = 0 AND rowid > (SELECT coalesce (max(rowid), 0) FROM web_attempts"
                           "   WHERE kind = ?1 AND %s = ?2 AND succeeded = 1)",
                           column, column);
  stmt = _sesame_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind_token (kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, since);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *count = sqlite3_column_int (stmt, 0);
      *oldest = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * sesame_sign_in_throttle_allows:
 * @self: a #SesameStore
 * @kind: what is attempted
 * @login: the login typed (any text)
 * @client: the client's address
 * @retry_after: (out) (optional): when refused, the seconds to wait
 * @error: return location for a #GError
 *
 * Whether one more attempt may be made now, before any password is
 * checked. A refusal sets @error to %SESAME_ERROR_BUSY with a sentence
 * for the person; a failing store sets another error.
 *
 * Returns: %TRUE when the attempt may go on
 */
gboolean
sesame_sign_in_throttle_allows (SesameStore         *self,
                                SesameThrottleKind   kind,
                                const char          *login,
                                const char          *client,
                                gint64              *retry_after,
                                GError             **error)
{
  g_autofree char *folded = fold_login (login);
  gint64 now = sesame_store_now (self);
  gint64 window = kind == SESAME_THROTTLE_RESET ? SESAME_THROTTLE_RESET_WINDOW : SESAME_THROTTLE_SIGN_IN_WINDOW;
  guint per_login = kind == SESAME_THROTTLE_RESET ? SESAME_THROTTLE_RESET_PER_LOGIN : SESAME_THROTTLE_SIGN_IN_PER_LOGIN;
  guint per_client = kind == SESAME_THROTTLE_RESET ? SESAME_THROTTLE_RESET_PER_CLIENT : SESAME_THROTTLE_SIGN_IN_PER_CLIENT;
  guint by_login = 0, by_client = 0;
  gint64 oldest_login = 0, oldest_client = 0;
  gint64 wait = 0;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  if (!count_recent (self, kind, "login", folded, now - window, &by_login, &oldest_login, error) ||
      !count_recent (self, kind, "client", client != NULL ? client : "", now - window, &by_client, &oldest_client, error))
    return FALSE;
  if (by_login >= per_login)
    wait = MAX (wait, oldest_login + window - now);
  if (by_client >= per_client)
    wait = MAX (wait, oldest_client + window - now);
  if (wait <= 0)
    return TRUE;

  if (retry_after != NULL)
    *retry_after = wait;
  g_set_error (error, SESAME_ERROR, SESAME_ERROR_BUSY,
               g_dngettext (GETTEXT_PACKAGE,
                            "Too many attempts: wait %d minute before trying again.",
                            "Too many attempts: wait %d minutes before trying again.",
                            (gulong) ((wait + 59) / 60)),
               (int) ((wait + 59) / 60));
  return FALSE;
}

/**
 * sesame_sign_in_throttle_record:
 * @self: a #SesameStore
 * @kind: what was attempted
 * @login: the login typed
 * @client: the client's address
 * @succeeded: whether a sign-in succeeded (reset requests: ignored)
 * @error: return location for a #GError
 *
 * Records one attempt, as a new row.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_sign_in_throttle_record (SesameStore         *self,
                                SesameThrottleKind   kind,
                                const char          *login,
                                const char          *client,
                                gboolean             succeeded,
                                GError             **error)
{
  g_autofree char *folded = fold_login (login);
  g_autofree char *id = _sesame_new_id ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO web_attempts (id, kind, login, client, at, succeeded)"
                                " VALUES (?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kind_token (kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, folded, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, client != NULL ? client : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, sesame_store_now (self));
  sqlite3_bind_int (stmt, 6, succeeded ? 1 : 0);
  return _sesame_store_step_done (self, stmt, error);
}

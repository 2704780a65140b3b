/* sesame-web-sessions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sessions of the families' pages. The browser holds a random cookie;
 * the store holds its hash, the person, whether they must still choose
 * their own password, and a CSRF secret that every form of the session
 * carries. A session ends after 30 minutes without a request, 12 hours
 * after the sign-in, or at sign-out; a stolen copy of the store opens no
 * session. A forced sign-in (CAS "renew") leaves a one-time marker that
 * the page it returns to takes, to know the password was just typed.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-families"

#include <sodium.h>
#include <string.h>

#include "sesame-document-language-private.h"
#include "sesame-families-private.h"
#include "sesame-web-sessions.h"

/**
 * sesame_web_sessions_free:
 * @session: (nullable) (transfer full): a session
 *
 * Frees a session and wipes its CSRF secret.
 */
void
sesame_web_sessions_free (SesameWebSession *session)
{
  if (session == NULL)
    return;
  g_free (session->id);
  g_free (session->person_key);
  g_free (session->login);
  if (session->csrf_secret != NULL)
    sodium_memzero (session->csrf_secret, strlen (session->csrf_secret));
  g_free (session->csrf_secret);
  g_free (session);
}

/**
 * sesame_web_sessions_open:
 * @self: a #SesameStore
 * @person_key: who signed in
 * @must_change: whether they must choose their own password first
 * @cookie: (out) (transfer full): the cookie to give the browser, once
 * @error: return location for a #GError
 *
 * Opens a session for a person who just proved who they are.
 *
 * Returns: (transfer full): the session, or %NULL with @error set
 */
SesameWebSession *
sesame_web_sessions_open (SesameStore  *self,
                          const char   *person_key,
                          gboolean      must_change,
                          char        **cookie,
                          GError      **error)
{
  g_autoptr(SesameWebSession) session = g_new0 (SesameWebSession, 1);
  g_autofree char *secret = _sesame_families_new_secret ();
  g_autofree char *hash = _sesame_families_hash_secret (secret);
  gint64 now = sesame_store_now (self);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (person_key != NULL && cookie != NULL, NULL);

  session->id = _sesame_new_id ();
  session->person_key = g_strdup (person_key);
  session->login = _sesame_families_dup_login (self, person_key);
  session->must_change = must_change;
  session->csrf_secret = _sesame_families_new_secret ();
  session->created_at = now;
  session->expires_at = now + SESAME_WEB_SESSION_ABSOLUTE_SECONDS;
  if (session->login == NULL)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                           _("This account no longer exists: contact the establishment."));
      return NULL;
    }

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO web_sessions (id, cookie_hash, person_key, created_at, last_seen_at,"
                                " expires_at, must_change, csrf_secret) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7)",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, session->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_int64 (stmt, 5, session->expires_at);
  sqlite3_bind_int (stmt, 6, must_change ? 1 : 0);
  sqlite3_bind_text (stmt, 7, session->csrf_secret, -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (self, stmt, error))
    return NULL;

  *cookie = g_steal_pointer (&secret);
  return g_steal_pointer (&session);
}

/**
 * sesame_web_sessions_lookup:
 * @self: a #SesameStore
 * @cookie: (nullable): the cookie the browser sent
 * @error: return location for a #GError
 *
 * Finds the live session of a cookie and notes the request, which keeps
 * it from going idle. An account disabled since (the person left) has no
 * session any more.
 *
 * Returns: (transfer full): the session, or %NULL with @error set to
 *   %SESAME_ERROR_NOT_FOUND when there is none
 */
SesameWebSession *
sesame_web_sessions_lookup (SesameStore  *self,
                            const char   *cookie,
                            GError      **error)
{
  g_autoptr(SesameWebSession) session = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *stored_hash = NULL;
  gint64 now = sesame_store_now (self);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!_sesame_families_secret_is_valid (cookie))
    goto none;
  hash = _sesame_families_hash_secret (cookie);

  stmt = _sesame_store_prepare (self,
                                "SELECT s.id, s.person_key, a.login, s.must_change, s.csrf_secret, s.created_at,"
                                " s.expires_at, s.cookie_hash FROM web_sessions s"
                                " JOIN accounts a ON a.person_key = s.person_key AND a.deleted_at IS NULL"
                                "   AND a.disabled_at IS NULL"
                                " JOIN persons p ON p.key = s.person_key AND p.deleted_at IS NULL AND p.left_at IS NULL"
                                " WHERE s.cookie_hash = ?1 AND s.ended_at IS NULL AND s.expires_at > ?2"
                                "   AND s.last_seen_at > ?2 - ?3",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, SESAME_WEB_SESSION_IDLE_SECONDS);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      session = g_new0 (SesameWebSession, 1);
      session->id = g_strdup (_sesame_column_text (stmt, 0));
      session->person_key = g_strdup (_sesame_column_text (stmt, 1));
      session->login = g_strdup (_sesame_column_text (stmt, 2));
      session->must_change = sqlite3_column_int (stmt, 3) != 0;
      session->csrf_secret = g_strdup (_sesame_column_text (stmt, 4));
      session->created_at = sqlite3_column_int64 (stmt, 5);
      session->expires_at = sqlite3_column_int64 (stmt, 6);
      stored_hash = g_strdup (_sesame_column_text (stmt, 7));
    }
  sqlite3_reset (stmt);
  if (session == NULL || !_sesame_families_hashes_equal (hash, stored_hash))
    goto none;

  stmt = _sesame_store_prepare (self, "UPDATE web_sessions SET last_seen_at = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, session->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_sesame_store_step_done (self, stmt, error))
    return NULL;
  return g_steal_pointer (&session);

none:
  g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                       _("You are not signed in, or your session expired: sign in again."));
  return NULL;
}

static gboolean
update_session (SesameStore  *self,
                const char   *sql,
                const char   *id,
                GError      **error)
{
  sqlite3_stmt *stmt = _sesame_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
  return _sesame_store_step_done (self, stmt, error);
}

/**
 * sesame_web_sessions_end:
 * @self: a #SesameStore
 * @id: the session's id
 * @error: return location for a #GError
 *
 * Signs out: the cookie opens nothing any more.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_web_sessions_end (SesameStore  *self,
                         const char   *id,
                         GError      **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  return update_session (self, "UPDATE web_sessions SET ended_at = ?2 WHERE id = ?1 AND ended_at IS NULL", id, error);
}

/**
 * sesame_web_sessions_end_for_person:
 * @self: a #SesameStore
 * @person_key: whose sessions
 * @error: return location for a #GError
 *
 * Ends every session of a person, as a reset of their password must: who
 * stole the old password is signed out too.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_web_sessions_end_for_person (SesameStore  *self,
                                    const char   *person_key,
                                    GError      **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  return update_session (self, "UPDATE web_sessions SET ended_at = ?2 WHERE person_key = ?1 AND ended_at IS NULL",
                         person_key, error);
}

/**
 * sesame_web_sessions_clear_must_change:
 * @self: a #SesameStore
 * @id: the session's id
 * @error: return location for a #GError
 *
 * The person chose their own password: the session may go on.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_web_sessions_clear_must_change (SesameStore  *self,
                                       const char   *id,
                                       GError      **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  return update_session (self, "UPDATE web_sessions SET must_change = 0, last_seen_at = ?2 WHERE id = ?1", id, error);
}

/**
 * sesame_web_sessions_set_reauth_marker:
 * @self: a #SesameStore
 * @id: the session's id
 * @error: return location for a #GError
 *
 * Notes that the person has just typed their password on a sign-in that
 * was asked to show the form even with a session (CAS "renew").
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_web_sessions_set_reauth_marker (SesameStore  *self,
                                       const char   *id,
                                       GError      **error)
{
  g_autofree char *marker = _sesame_families_new_secret ();
  g_autofree char *hash = _sesame_families_hash_secret (marker);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  stmt = _sesame_store_prepare (self, "UPDATE web_sessions SET reauth_marker_hash = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  return _sesame_store_step_done (self, stmt, error);
}

/**
 * sesame_web_sessions_take_reauth_marker:
 * @self: a #SesameStore
 * @id: the session's id
 *
 * Takes the marker sesame_web_sessions_set_reauth_marker() left: %TRUE
 * once after each forced sign-in, %FALSE otherwise.
 *
 * Returns: whether the password was typed again for this request
 */
gboolean
sesame_web_sessions_take_reauth_marker (SesameStore *self,
                                        const char  *id)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  stmt = _sesame_store_prepare (self,
                                "UPDATE web_sessions SET reauth_marker_hash = NULL"
                                " WHERE id = ?1 AND reauth_marker_hash IS NOT NULL AND ended_at IS NULL",
                                NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (self, stmt, NULL))
    return FALSE;
  return sqlite3_changes (_sesame_store_get_db (self)) > 0;
}

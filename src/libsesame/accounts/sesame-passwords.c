/* sesame-passwords.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Signing in and choosing a password, as the ENT's sign-in page would call
 * them. A first password is hashed (Argon2id) the moment someone signs in
 * with it, then purged; the person must then choose their own.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-passwords"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "sesame-accounts-private.h"
#include "sesame-credentials-private.h"
#include "sesame-passwords.h"

#define DEFAULT_MIN_LENGTH 6

typedef struct
{
  char   *key;
  char   *login;
  char   *hash;
  gint64  first_sign_in_at;
  gint64  password_changed_at;
  gboolean disabled;
  SesameProfile profile;
} AccountRow;

static void
account_row_clear (AccountRow *row)
{
  g_free (row->key);
  g_free (row->login);
  if (row->hash != NULL)
    sodium_memzero (row->hash, strlen (row->hash));
  g_free (row->hash);
}

static gboolean
load_account_row (SesameStore  *self,
                  const char   *login,
                  AccountRow   *row)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = _sesame_store_prepare (self,
                                "SELECT a.person_key, a.login, a.password_hash, a.first_sign_in_at,"
                                " a.password_changed_at, a.disabled_at IS NOT NULL OR p.left_at IS NOT NULL, p.profile"
                                " FROM accounts a JOIN persons p ON p.key = a.person_key"
                                " WHERE a.login = ? AND a.deleted_at IS NULL AND p.deleted_at IS NULL",
                                NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      row->key = g_strdup (_sesame_column_text (stmt, 0));
      row->login = g_strdup (_sesame_column_text (stmt, 1));
      row->hash = sqlite3_column_type (stmt, 2) != SQLITE_NULL ? g_strdup (_sesame_column_text (stmt, 2)) : NULL;
      row->first_sign_in_at = sqlite3_column_int64 (stmt, 3);
      row->password_changed_at = sqlite3_column_int64 (stmt, 4);
      row->disabled = sqlite3_column_int (stmt, 5) != 0;
      row->profile = sqlite3_column_int (stmt, 6);
    }
  sqlite3_reset (stmt);
  return found;
}

static char *
hash_password (const char  *password,
               GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str (hash, password, strlen (password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                           _("Not enough memory to protect the password."));
      return NULL;
    }
  return g_strdup (hash);
}

/* Whether the account still has to change a first password it signed in with. */
static gboolean
change_pending (SesameStore *self,
                AccountRow  *row)
{
  sqlite3_stmt *stmt;
  gboolean pending = FALSE;

  stmt = _sesame_store_prepare (self,
                                "SELECT 1 FROM credentials WHERE person_key = ? AND used_at IS NOT NULL "
                                "AND used_at > ? LIMIT 1",
                                NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, row->password_changed_at);
  pending = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return pending;
}

static gboolean
record_sign_in (SesameStore  *self,
                const char   *key,
                GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "UPDATE accounts SET first_sign_in_at = COALESCE (first_sign_in_at, ?2), "
                                "last_sign_in_at = ?2 WHERE person_key = ?1",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
  return _sesame_store_step_done (self, stmt, error);
}

/* A hash of a random password nobody knows, with the parameters of
 * hash_password(): verifying against it costs what a real check costs. */
static const char dummy_hash[crypto_pwhash_STRBYTES] =
  "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0000000000000000000000000000000000000000000";

/* Every refusal spends one Argon2id verification, whether the login is
 * unknown, disabled, academy staff, has no chosen password or a wrong one:
 * the time to answer must not tell which logins exist (an unknown login
 * took 118 ms, a known one without a chosen password 15 ms). */
static void
spend_verification (const char *password)
{
  int ignored = crypto_pwhash_str_verify (dummy_hash, password, strlen (password));

  (void) ignored;
}

/* Checks a password against the live first passwords or the chosen one. On
 * a first password, *credential_id is set. A wrong password costs one
 * Argon2id verification in every case. */
static gboolean
verify_password (SesameStore  *self,
                 AccountRow   *row,
                 const char   *password,
                 char        **credential_id)
{
  g_autofree char *id = NULL;
  gboolean ok;

  ok = _sesame_credentials_match_live (self, row->key, password, &id);
  if (ok)
    *credential_id = g_steal_pointer (&id);
  else if (row->hash != NULL)
    ok = crypto_pwhash_str_verify (row->hash, password, strlen (password)) == 0;
  else
    spend_verification (password);
  return ok;
}

/* Marks a first password used: it is hashed as the account's password (so
 * that the person can prove it when choosing their own) and purged. */
static gboolean
consume_credential (SesameStore  *self,
                    AccountRow   *row,
                    const char   *credential_id,
                    const char   *password,
                    GError      **error)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  gint64 now = sesame_store_now (self);

  hash = hash_password (password, error);
  if (hash == NULL)
    return FALSE;

  stmt = _sesame_store_prepare (self,
                                "UPDATE credentials SET used_at = ?2, password = NULL, purged_at = ?2 WHERE id = ?1",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, credential_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_sesame_store_step_done (self, stmt, error))
    return FALSE;

  /* Another first password still live (made on another desk at the same
   * time) stops working with the first sign-in. */
  stmt = _sesame_store_prepare (self,
                                "UPDATE credentials SET revoked_at = ?3, password = NULL, purged_at = ?3 "
                                "WHERE person_key = ?1 AND id <> ?2 AND password IS NOT NULL "
                                "AND used_at IS NULL AND revoked_at IS NULL",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, credential_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!_sesame_store_step_done (self, stmt, error))
    return FALSE;

  stmt = _sesame_store_prepare (self, "UPDATE accounts SET password_hash = ?2 WHERE person_key = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  return _sesame_store_step_done (self, stmt, error);
}

/**
 * sesame_passwords_authenticate:
 * @self: a #SesameStore
 * @login: the login typed
 * @password: the password typed
 * @error: return location for a #GError
 *
 * What an ENT sign-in calls: accepts the first password or the chosen one,
 * records the first and last sign-in. Academy staff never sign in here.
 *
 * Returns: whether the sign-in is accepted and whether a change is due;
 *   %SESAME_AUTH_REFUSED with @error set only when the store failed
 */
SesameAuthResult
sesame_passwords_authenticate (SesameStore  *self,
                               const char   *login,
                               const char   *password,
                               GError      **error)
{
  AccountRow row = { 0 };
  g_autofree char *credential_id = NULL;
  SesameAuthResult result = SESAME_AUTH_REFUSED;

  g_return_val_if_fail (SESAME_IS_STORE (self), SESAME_AUTH_REFUSED);

  if (login == NULL || password == NULL || *password == '\0')
    return SESAME_AUTH_REFUSED;
  if (!load_account_row (self, login, &row))
    {
      spend_verification (password);
      return SESAME_AUTH_REFUSED;
    }
  if (row.disabled || !sesame_profile_is_distributable (row.profile))
    {
      spend_verification (password);
      goto out;
    }
  if (!verify_password (self, &row, password, &credential_id))
    goto out;

  if (!_sesame_store_begin (self, error))
    goto out;
  if ((credential_id != NULL && !consume_credential (self, &row, credential_id, password, error)) ||
      !record_sign_in (self, row.key, error))
    {
      _sesame_store_rollback (self);
      goto out;
    }
  if (!_sesame_store_commit (self, error))
    goto out;

  result = (credential_id != NULL || change_pending (self, &row))
    ? SESAME_AUTH_MUST_CHANGE : SESAME_AUTH_ACCEPTED;

out:
  account_row_clear (&row);
  return result;
}

/**
 * sesame_passwords_change:
 * @self: a #SesameStore
 * @login: the login
 * @old_password: the current password (first or chosen)
 * @new_password: the new password
 * @error: return location for a #GError
 *
 * The person chooses their own password. The policy: at least
 * %SESAME_SETTING_PASSWORD_MIN_LENGTH characters (6 by default), not the
 * login, not the current password. The first password is purged.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_passwords_change (SesameStore  *self,
                         const char   *login,
                         const char   *old_password,
                         const char   *new_password,
                         GError      **error)
{
  AccountRow row = { 0 };
  g_autofree char *credential_id = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *folded_login = NULL;
  g_autofree char *folded_new = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  int min_length;
  gint64 now;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  if (login == NULL || old_password == NULL || new_password == NULL)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("The login or the current password is wrong."));
      goto out;
    }
  if (!load_account_row (self, login, &row) || row.disabled ||
      !sesame_profile_is_distributable (row.profile))
    {
      spend_verification (old_password);
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("The login or the current password is wrong."));
      goto out;
    }
  if (!verify_password (self, &row, old_password, &credential_id))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("The login or the current password is wrong."));
      goto out;
    }

  min_length = sesame_store_settings_get_int (self, SESAME_SETTING_PASSWORD_MIN_LENGTH, DEFAULT_MIN_LENGTH);
  if (!g_utf8_validate (new_password, -1, NULL) ||
      g_utf8_strlen (new_password, -1) < MAX (min_length, 1))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The new password must have at least %d character.",
                                "The new password must have at least %d characters.",
                                min_length),
                   min_length);
      goto out;
    }
  folded_login = g_utf8_casefold (login, -1);
  folded_new = g_utf8_casefold (new_password, -1);
  if (g_str_equal (folded_login, folded_new))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("The new password must not be the login."));
      goto out;
    }
  if (g_str_equal (old_password, new_password))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("The new password must differ from the current one."));
      goto out;
    }

  hash = hash_password (new_password, error);
  if (hash == NULL)
    goto out;

  now = sesame_store_now (self);
  if (!_sesame_store_begin (self, error))
    goto out;

  stmt = _sesame_store_prepare (self,
                                "UPDATE credentials SET password = NULL, purged_at = ?2, "
                                "used_at = COALESCE (used_at, ?2) WHERE person_key = ?1 AND password IS NOT NULL",
                                error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_text (stmt, 1, row.key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_sesame_store_step_done (self, stmt, error))
    goto rollback;

  /* A change is due while a first password was used after the last
   * change (used_at > password_changed_at): this clears it. */
  stmt = _sesame_store_prepare (self,
                                "UPDATE accounts SET password_hash = ?2, password_changed_at = ?3, "
                                "first_sign_in_at = COALESCE (first_sign_in_at, ?3), last_sign_in_at = ?3 "
                                "WHERE person_key = ?1",
                                error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_text (stmt, 1, row.key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!_sesame_store_step_done (self, stmt, error))
    goto rollback;

  ok = _sesame_store_commit (self, error);
  goto out;

rollback:
  _sesame_store_rollback (self);
out:
  account_row_clear (&row);
  return ok;
}

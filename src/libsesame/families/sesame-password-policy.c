/* sesame-password-policy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules a password chosen on the families' pages must follow, said in
 * words before the person types and checked when they submit: at least
 * the store's minimum length (6 characters unless an administrator set
 * another), never the login. The same file stores the chosen password,
 * for the activation link, the reset link and the change forced after a
 * first password.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-families"

#include <sodium.h>
#include <string.h>

#include "sesame-document-language-private.h"
#include "sesame-families-private.h"
#include "sesame-password-policy.h"
#include "sesame-store-settings.h"

#define DEFAULT_MIN_LENGTH 6

/* Argon2id at libsodium's INTERACTIVE limits: 2 passes over 64 MiB.
 * OWASP's password storage cheat sheet asks for at least 19 MiB with 2
 * passes (or 46 MiB with 1); INTERACTIVE is above both, and it is what the
 * rest of Sésame already stores (sesame-passwords.c), so every hash has
 * one cost. On the server the hashing runs in a pool of as many threads
 * as cores, so at most 2 × 64 MiB are in use however many people sign in
 * at once; one hash takes about 60 ms on the reference machine's cores,
 * which bounds a guesser to a few dozen guesses a second before the
 * throttle (sesame-sign-in-throttle.c) stops them. MODERATE (256 MiB, 3
 * passes, about half a second) would turn 200 people arriving at 8 am into
 * a queue of minutes. */
#define HASH_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define HASH_MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE

/**
 * sesame_password_policy_get_min_length:
 * @self: a #SesameStore
 *
 * Reads the store's minimum length for a chosen password.
 *
 * Returns: the fewest characters a chosen password may have
 */
int
sesame_password_policy_get_min_length (SesameStore *self)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), DEFAULT_MIN_LENGTH);

  return MAX (1, sesame_store_settings_get_int (self, SESAME_SETTING_PASSWORD_MIN_LENGTH, DEFAULT_MIN_LENGTH));
}

/**
 * sesame_password_policy_describe:
 * @self: a #SesameStore
 *
 * The policy in one sentence, for the page to show before the person
 * types, in the language the caller is rendering in.
 *
 * Returns: (transfer full): the sentence
 */
char *
sesame_password_policy_describe (SesameStore *self)
{
  int min_length;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  min_length = sesame_password_policy_get_min_length (self);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Your password must have at least %d character and must not be your login.",
                                       "Your password must have at least %d characters and must not be your login.",
                                       min_length),
                          min_length);
}

/**
 * sesame_password_policy_check:
 * @self: a #SesameStore
 * @login: the account's login
 * @password: the new password
 * @confirmation: the new password typed again
 * @error: return location for a #GError
 *
 * Checks a password the person chose against the store's policy.
 *
 * Returns: %TRUE when it may be stored; otherwise %FALSE with @error set
 *   (%SESAME_ERROR_REFUSED) to a sentence saying what to change
 */
gboolean
sesame_password_policy_check (SesameStore  *self,
                              const char   *login,
                              const char   *password,
                              const char   *confirmation,
                              GError      **error)
{
  g_autofree char *folded_login = NULL;
  g_autofree char *folded_password = NULL;
  int min_length;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);

  if (password == NULL || confirmation == NULL || !g_str_equal (password, confirmation))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("The two passwords differ: type the same password twice."));
      return FALSE;
    }
  min_length = sesame_password_policy_get_min_length (self);
  if (!g_utf8_validate (password, -1, NULL) || g_utf8_strlen (password, -1) < min_length)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The password is too short: it must have at least %d character.",
                                "The password is too short: it must have at least %d characters.",
                                min_length),
                   min_length);
      return FALSE;
    }
  folded_login = g_utf8_casefold (login != NULL ? login : "", -1);
  folded_password = g_utf8_casefold (password, -1);
  if (g_str_equal (folded_login, folded_password))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("The password must not be your login: choose another one."));
      return FALSE;
    }
  return TRUE;
}

/**
 * sesame_password_policy_hash:
 * @password: a password
 * @error: return location for a #GError
 *
 * Hashes a password with Argon2id at the parameters explained above. It
 * takes tens of milliseconds and 64 MiB: call it from a worker thread.
 *
 * Returns: (transfer full): the encoded hash, or %NULL with @error set
 */
char *
sesame_password_policy_hash (const char  *password,
                             GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (password != NULL, NULL);

  if (crypto_pwhash_str (hash, password, strlen (password), HASH_OPSLIMIT, HASH_MEMLIMIT) != 0)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                           _("Not enough memory to protect the password."));
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
_sesame_families_store_password (SesameStore  *self,
                                 const char   *person_key,
                                 const char   *password_hash,
                                 GError      **error)
{
  gint64 now = sesame_store_now (self);
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "UPDATE credentials SET password = NULL, purged_at = ?2,"
                                " used_at = COALESCE (used_at, ?2) WHERE person_key = ?1 AND password IS NOT NULL",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_sesame_store_step_done (self, stmt, error))
    return FALSE;

  stmt = _sesame_store_prepare (self,
                                "UPDATE accounts SET password_hash = ?2, password_changed_at = ?3,"
                                " first_sign_in_at = COALESCE (first_sign_in_at, ?3), last_sign_in_at = ?3"
                                " WHERE person_key = ?1 AND deleted_at IS NULL",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, password_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!_sesame_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (_sesame_store_get_db (self)) == 0)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                           _("This account no longer exists: contact the establishment."));
      return FALSE;
    }
  return TRUE;
}

/* Whether @password is the one the account has now. */
static gboolean
is_current_password (SesameStore *self,
                     const char  *person_key,
                     const char  *password)
{
  sqlite3_stmt *stmt;
  g_autofree char *hash = NULL;

  stmt = _sesame_store_prepare (self, "SELECT password_hash FROM accounts WHERE person_key = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    hash = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (hash == NULL)
    return FALSE;
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

/**
 * sesame_password_policy_set_password:
 * @self: a #SesameStore
 * @person_key: whose account
 * @password: the new password, already checked with
 *   sesame_password_policy_check()
 * @error: return location for a #GError
 *
 * Makes @password the account's own password: every first password stops
 * working, and the first and last sign-in are recorded (choosing a
 * password on the pages signs the person in). The password must differ
 * from the current one. Blocks for two Argon2id computations.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_password_policy_set_password (SesameStore  *self,
                                     const char   *person_key,
                                     const char   *password,
                                     GError      **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *login = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (person_key != NULL && password != NULL, FALSE);

  if (is_current_password (self, person_key, password))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("The new password must differ from the current one."));
      return FALSE;
    }
  hash = sesame_password_policy_hash (password, error);
  if (hash == NULL)
    return FALSE;
  if (!_sesame_store_begin (self, error))
    return FALSE;
  if (!_sesame_families_store_password (self, person_key, hash, error) ||
      (login = _sesame_families_dup_login (self, person_key)) == NULL ||
      !_sesame_store_audit (self, "password-chosen", login, NULL, error))
    {
      _sesame_store_rollback (self);
      return FALSE;
    }
  return _sesame_store_commit (self, error);
}

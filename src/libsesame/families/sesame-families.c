/* sesame-families.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The secrets of the families' pages (session cookies, reset links) are
 * 32 random bytes from libsodium, handed out once in URL-safe base64; the
 * store keeps only their BLAKE2b hash, which is enough for secrets of that
 * strength and fast to look up. Found rows are compared again in constant
 * time, so that nothing about a stored hash leaks through timing.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-families"

#include <sodium.h>
#include <string.h>

#include "sesame-accounts.h"
#include "sesame-document-language-private.h"
#include "sesame-families-private.h"
#include "sesame-password-policy.h"
#include "sesame-web-sessions.h"

#define SECRET_BYTES 32

char *
_sesame_families_new_secret (void)
{
  guint8 raw[SECRET_BYTES];
  char text[sodium_base64_ENCODED_LEN (SECRET_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (raw, sizeof raw);
  sodium_bin2base64 (text, sizeof text, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (raw, sizeof raw);
  return g_strdup (text);
}

gboolean
_sesame_families_secret_is_valid (const char *secret)
{
  if (secret == NULL || strlen (secret) != SESAME_FAMILIES_SECRET_CHARS)
    return FALSE;
  for (const char *p = secret; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

char *
_sesame_families_hash_secret (const char *secret)
{
  guint8 hash[crypto_generichash_BYTES];
  char hex[crypto_generichash_BYTES * 2 + 1];

  crypto_generichash (hash, sizeof hash, (const guint8 *) secret, strlen (secret), NULL, 0);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strdup (hex);
}

gboolean
_sesame_families_hashes_equal (const char *a,
                               const char *b)
{
  gsize length;

  if (a == NULL || b == NULL)
    return FALSE;
  length = strlen (a);
  if (length != strlen (b))
    return FALSE;
  return sodium_memcmp (a, b, length) == 0;
}

char *
_sesame_families_dup_login (SesameStore *self,
                            const char  *person_key)
{
  sqlite3_stmt *stmt;
  char *login = NULL;

  stmt = _sesame_store_prepare (self, "SELECT login FROM accounts WHERE person_key = ? AND deleted_at IS NULL", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    login = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return login;
}

SesameFamiliesTokenState
_sesame_families_find_token (SesameStore  *self,
                             const char   *table,
                             const char   *token,
                             char        **id,
                             char        **person_key,
                             GError      **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *found_id = NULL;
  g_autofree char *found_key = NULL;
  g_autofree char *stored_hash = NULL;
  gint64 expires_at = 0;
  gboolean used = FALSE, disabled = FALSE;
  sqlite3_stmt *stmt;

  if (!_sesame_families_secret_is_valid (token))
    return SESAME_FAMILIES_TOKEN_UNKNOWN;
  hash = _sesame_families_hash_secret (token);
  sql = g_strdup_printf ("SELECT t.id, t.person_key, t.expires_at, t.used_at IS NOT NULL OR t.revoked_at IS NOT NULL,"
                         " a.disabled_at IS NOT NULL OR p.left_at IS NOT NULL, t.token_hash FROM %s t"
                         " JOIN accounts a ON a.person_key = t.person_key AND a.deleted_at IS NULL"
                         " JOIN persons p ON p.key = t.person_key AND p.deleted_at IS NULL"
                         " WHERE t.token_hash = ?",
                         table);
  stmt = _sesame_store_prepare (self, sql, error);
  if (stmt == NULL)
    return SESAME_FAMILIES_TOKEN_FAILED;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found_id = g_strdup (_sesame_column_text (stmt, 0));
      found_key = g_strdup (_sesame_column_text (stmt, 1));
      expires_at = sqlite3_column_int64 (stmt, 2);
      used = sqlite3_column_int (stmt, 3) != 0;
      disabled = sqlite3_column_int (stmt, 4) != 0;
      stored_hash = g_strdup (_sesame_column_text (stmt, 5));
    }
  sqlite3_reset (stmt);

  if (found_id == NULL || !_sesame_families_hashes_equal (hash, stored_hash))
    return SESAME_FAMILIES_TOKEN_UNKNOWN;
  if (used)
    return SESAME_FAMILIES_TOKEN_USED;
  if (expires_at <= sesame_store_now (self))
    return SESAME_FAMILIES_TOKEN_EXPIRED;
  if (disabled)
    return SESAME_FAMILIES_TOKEN_DISABLED;
  if (id != NULL)
    *id = g_steal_pointer (&found_id);
  if (person_key != NULL)
    *person_key = g_steal_pointer (&found_key);
  return SESAME_FAMILIES_TOKEN_LIVE;
}

gboolean
_sesame_families_use_token (SesameStore  *self,
                            const char   *table,
                            const char   *id,
                            const char   *person_key,
                            GError      **error)
{
  g_autofree char *use = g_strdup_printf ("UPDATE %s SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL"
                                          " AND revoked_at IS NULL", table);
  g_autofree char *revoke = g_strdup_printf ("UPDATE %s SET revoked_at = ?2 WHERE person_key = ?1"
                                             " AND used_at IS NULL AND revoked_at IS NULL", table);
  gint64 now = sesame_store_now (self);
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self, use, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_sesame_store_step_done (self, stmt, error))
    return FALSE;
  /* Another request used it between the look-up and this transaction. */
  if (sqlite3_changes (_sesame_store_get_db (self)) == 0)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("This link was already used. Contact the establishment if you cannot sign in."));
      return FALSE;
    }
  stmt = _sesame_store_prepare (self, revoke, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  return _sesame_store_step_done (self, stmt, error);
}

/* Like _sesame_families_find_token(), but any state other than LIVE is
 * an error: @state_error's sentence, or the store's failure. */
static gboolean
find_live_token (SesameStore               *self,
                 const char                *table,
                 const char                *token,
                 SesameFamiliesTokenError   state_error,
                 char                     **id,
                 char                     **person_key,
                 GError                   **error)
{
  SesameFamiliesTokenState state;

  state = _sesame_families_find_token (self, table, token, id, person_key, error);
  if (state == SESAME_FAMILIES_TOKEN_FAILED)
    return FALSE;
  if (state != SESAME_FAMILIES_TOKEN_LIVE)
    {
      state_error (state, error);
      return FALSE;
    }
  return TRUE;
}

SesamePerson *
_sesame_families_peek_token (SesameStore               *self,
                             const char                *table,
                             const char                *token,
                             SesameFamiliesTokenError   state_error,
                             GError                   **error)
{
  g_autofree char *person_key = NULL;

  if (!find_live_token (self, table, token, state_error, NULL, &person_key, error))
    return NULL;
  return sesame_accounts_find_person (self, person_key, error);
}

char *
_sesame_families_complete_token (SesameStore              *self,
                                 const char               *table,
                                 const char               *token,
                                 const char               *password,
                                 const char               *confirmation,
                                 const char               *audit_action,
                                 SesameFamiliesTokenError  state_error,
                                 GError                  **error)
{
  g_autofree char *id = NULL;
  g_autofree char *person_key = NULL;
  g_autofree char *login = NULL;
  g_autofree char *hash = NULL;

  if (!find_live_token (self, table, token, state_error, &id, &person_key, error))
    return NULL;
  login = _sesame_families_dup_login (self, person_key);
  if (!sesame_password_policy_check (self, login, password, confirmation, error))
    return NULL;
  hash = sesame_password_policy_hash (password, error);
  if (hash == NULL)
    return NULL;

  if (!_sesame_store_begin (self, error))
    return NULL;
  if (!_sesame_families_use_token (self, table, id, person_key, error) ||
      !_sesame_families_store_password (self, person_key, hash, error) ||
      !sesame_web_sessions_end_for_person (self, person_key, error) ||
      !_sesame_store_audit (self, audit_action, login, NULL, error))
    {
      _sesame_store_rollback (self);
      return NULL;
    }
  if (!_sesame_store_commit (self, error))
    return NULL;
  return g_steal_pointer (&person_key);
}

/* sesame-activation-tokens.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The link of a diffusion message carries a one-time token that lets the
 * person set their password within 60 days. The token is 32 random bytes
 * (libsodium), written in URL-safe base64; the store keeps only its BLAKE2b
 * hash (crypto_generichash), enough for a secret of that strength and fast
 * to look up. The token itself exists only in the message.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-campaign"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "sesame-activation-tokens-private.h"
#include "sesame-document-language-private.h"
#include "sesame-mail-message.h"

#define TOKEN_BYTES 32
#define TOKEN_CHARS 43   /* base64url of 32 bytes, no padding */

static char *
hash_token (const char *token)
{
  guint8 hash[crypto_generichash_BYTES];
  char hex[crypto_generichash_BYTES * 2 + 1];

  crypto_generichash (hash, sizeof hash, (const guint8 *) token, strlen (token), NULL, 0);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strdup (hex);
}

/*
 * _sesame_activation_tokens_issue:
 * @self: a #SesameStore, in a transaction
 * @person_key: whose account the token opens
 * @campaign_id: (nullable): the campaign whose message carries it
 * @token_id: (out) (optional): the id of the token's row
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the token, to write into one message and
 *   wipe, or %NULL with @error set
 */
char *
_sesame_activation_tokens_issue (SesameStore  *self,
                                 const char   *person_key,
                                 const char   *campaign_id,
                                 char        **token_id,
                                 GError      **error)
{
  guint8 raw[TOKEN_BYTES];
  char token[sodium_base64_ENCODED_LEN (TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  g_autofree char *id = _sesame_new_id ();
  g_autofree char *hash = NULL;
  gint64 now = sesame_store_now (self);
  sqlite3_stmt *stmt;

  randombytes_buf (raw, sizeof raw);
  sodium_bin2base64 (token, sizeof token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (raw, sizeof raw);
  hash = hash_token (token);

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO activation_tokens (id, person_key, campaign_id, token_hash, created_at, expires_at)"
                                " VALUES (?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, campaign_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_int64 (stmt, 6, now + (gint64) SESAME_ACTIVATION_DAYS * 24 * 3600);
  if (!_sesame_store_step_done (self, stmt, error))
    return NULL;

  if (token_id != NULL)
    *token_id = g_steal_pointer (&id);
  return g_strdup (token);
}

/* A token whose message did not leave. */
gboolean
_sesame_activation_tokens_revoke (SesameStore  *self,
                                  const char   *token_id,
                                  GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "UPDATE activation_tokens SET revoked_at = ?2"
                                " WHERE id = ?1 AND revoked_at IS NULL AND used_at IS NULL",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
  return _sesame_store_step_done (self, stmt, error);
}

/* The tokens of messages a campaign never delivered to this person. */
gboolean
_sesame_activation_tokens_revoke_for_campaign (SesameStore  *self,
                                               const char   *campaign_id,
                                               const char   *person_key,
                                               GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "UPDATE activation_tokens SET revoked_at = ?3"
                                " WHERE campaign_id = ?1 AND person_key = ?2 AND revoked_at IS NULL AND used_at IS NULL",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, sesame_store_now (self));
  return _sesame_store_step_done (self, stmt, error);
}

static gboolean
token_is_well_formed (const char *token)
{
  if (token == NULL || strlen (token) != TOKEN_CHARS)
    return FALSE;
  for (const char *p = token; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/**
 * sesame_activation_tokens_redeem:
 * @self: a #SesameStore
 * @token: the token from the link of a diffusion message
 * @error: return location for a #GError
 *
 * Uses the token once: it names the account whose owner may now set a
 * password. The person's other tokens stop working too.
 *
 * Returns: (transfer full): the login of the account, or %NULL with @error
 *   set: %SESAME_ERROR_NOT_FOUND for an unknown or already used token,
 *   %SESAME_ERROR_REFUSED for an expired one or a disabled account
 */
char *
sesame_activation_tokens_redeem (SesameStore  *self,
                                 const char   *token,
                                 GError      **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *id = NULL;
  g_autofree char *person_key = NULL;
  g_autofree char *login = NULL;
  gint64 now = sesame_store_now (self);
  gint64 expires_at = 0;
  gboolean disabled = FALSE;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  if (!token_is_well_formed (token))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                           _("This link is not valid: copy the whole link from the message."));
      return NULL;
    }
  hash = hash_token (token);

  if (!_sesame_store_begin (self, error))
    return NULL;

  stmt = _sesame_store_prepare (self,
                                "SELECT t.id, t.person_key, t.expires_at, a.login,"
                                " a.disabled_at IS NOT NULL OR p.left_at IS NOT NULL"
                                " FROM activation_tokens t"
                                " JOIN accounts a ON a.person_key = t.person_key AND a.deleted_at IS NULL"
                                " JOIN persons p ON p.key = t.person_key AND p.deleted_at IS NULL"
                                " WHERE t.token_hash = ? AND t.used_at IS NULL AND t.revoked_at IS NULL",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      id = g_strdup (_sesame_column_text (stmt, 0));
      person_key = g_strdup (_sesame_column_text (stmt, 1));
      expires_at = sqlite3_column_int64 (stmt, 2);
      login = g_strdup (_sesame_column_text (stmt, 3));
      disabled = sqlite3_column_int (stmt, 4) != 0;
    }
  sqlite3_reset (stmt);

  if (id == NULL)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                           _("This link is not valid or was already used. Ask your establishment for a new one."));
      goto fail;
    }
  if (expires_at <= now)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "This link expired: it was valid %d day. Ask your establishment for a new one.",
                                "This link expired: it was valid %d days. Ask your establishment for a new one.",
                                SESAME_ACTIVATION_DAYS),
                   SESAME_ACTIVATION_DAYS);
      goto fail;
    }
  if (disabled)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("This account is disabled: the person left the establishment."));
      goto fail;
    }

  stmt = _sesame_store_prepare (self,
                                "UPDATE activation_tokens SET used_at = ?2 WHERE id = ?1",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_sesame_store_step_done (self, stmt, error))
    goto fail;

  stmt = _sesame_store_prepare (self,
                                "UPDATE activation_tokens SET revoked_at = ?2"
                                " WHERE person_key = ?1 AND used_at IS NULL AND revoked_at IS NULL",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_sesame_store_step_done (self, stmt, error) ||
      !_sesame_store_audit (self, "activation-link-used", login, NULL, error))
    goto fail;

  if (!_sesame_store_commit (self, error))
    return NULL;
  return g_steal_pointer (&login);

fail:
  _sesame_store_rollback (self);
  return NULL;
}

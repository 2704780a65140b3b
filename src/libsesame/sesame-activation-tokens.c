/* sesame-activation-tokens.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The link of a diffusion message carries a one-time token that lets the
 * person set their password within 60 days. The token is 32 random bytes
 * (libsodium), written in URL-safe base64; the store keeps only its BLAKE2b
 * hash (crypto_generichash), enough for a secret of that strength and fast
 * to look up. The token itself exists only in the message.
 *
 * The desk sends the same message to one person, after a regeneration:
 * the diffusion's text with a fresh link, never a password.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-campaign"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "sesame-accounts.h"
#include "sesame-campaign-private.h"
#include "sesame-smtp-client.h"
#include "sesame-document-language-private.h"
#include "sesame-identifier-files.h"

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

char *
_sesame_store_issue_activation_token (SesameStore  *self,
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

gboolean
_sesame_store_revoke_activation_token (SesameStore  *self,
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
_sesame_store_revoke_campaign_tokens (SesameStore  *self,
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
 * sesame_store_redeem_activation_token:
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
sesame_store_redeem_activation_token (SesameStore  *self,
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

char *
_sesame_store_dup_ent_url (SesameStore  *self,
                           GError      **error)
{
  g_autofree char *url = sesame_store_dup_setting (self, SESAME_SETTING_ENT_URL, "");

  g_strstrip (url);
  if (url[0] == '\0')
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_ENT_NOT_SET,
                           _("The ENT address is not set: give it in the Preferences (or with “sesamectl settings set ent-url URL”) so that the messages can link to it."));
      return NULL;
    }
  /* The link carries a one-time token: never over plain HTTP. */
  if (!g_str_has_prefix (url, "https://") || url[strlen ("https://")] == '\0' ||
      strpbrk (url, " \t\r\n\"<>") != NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The ENT address “%s” is not a web address starting with https://: the links sent carry a token and must be encrypted. Correct it in the Preferences (or with “sesamectl settings set ent-url URL”)."), url);
      return NULL;
    }
  return g_steal_pointer (&url);
}

/* The ENT's address with the token as a query parameter. An address
 * without a path ("https://ent.example.org") gets its "/" first, as a
 * browser would show it: "https://ent.example.org/?activation=…"; a query
 * already there gets another parameter, and a fragment stays last. */
char *
_sesame_activation_link (const char *ent_url,
                         const char *token)
{
  const char *fragment = strchr (ent_url, '#');
  g_autofree char *base = g_strndup (ent_url, fragment ? (gsize) (fragment - ent_url) : strlen (ent_url));
  const char *authority = strstr (base, "://");

  if (authority != NULL)
    {
      gsize host_end;

      authority += strlen ("://");
      host_end = (gsize) (authority - base) + strcspn (authority, "/?");
      if (base[host_end] != '/')
        {
          char *with_slash = g_strdup_printf ("%.*s/%s", (int) host_end, base, base + host_end);

          g_free (base);
          base = with_slash;
        }
    }
  return g_strdup_printf ("%s%sactivation=%s%s", base, strchr (base, '?') ? "&" : "?", token,
                          fragment ? fragment : "");
}

/* Fills @text for one recipient; the strings it points to are owned by
 * @strings, freed with it. */
static void
fill_diffusion_text (SesameStore         *self,
                     SesameCampaign      *campaign,
                     const char          *login,
                     const char          *first_name,
                     const char          *last_name,
                     const char          *structure,
                     const char          *token,
                     GPtrArray           *strings,
                     SesameDiffusionText *text)
{
  g_autoptr(SesameEstablishment) establishment = NULL;
  char *ent_name = sesame_store_dup_setting (self, SESAME_SETTING_ENT_NAME, "");
  char *ent_url = _sesame_store_dup_ent_url (self, NULL);
  char *link = _sesame_activation_link (ent_url ? ent_url : "", token);
  char *display_name = _sesame_person_display_name (first_name, last_name);

  g_ptr_array_add (strings, ent_name);
  g_ptr_array_add (strings, ent_url);
  g_ptr_array_add (strings, link);
  g_ptr_array_add (strings, display_name);

  if (structure != NULL && structure[0] != '\0')
    establishment = sesame_store_find_establishment (self, structure, NULL);

  memset (text, 0, sizeof *text);
  text->display_name = display_name;
  text->ent_name = ent_name;
  text->login = login;
  text->link = link;
  text->free_text = sesame_campaign_get_free_text (campaign);
  text->ent_url = ent_url;
  if (establishment != NULL)
    {
      char *name = g_strdup (establishment->name);

      g_ptr_array_add (strings, name);
      text->establishment_name = name;
    }
}

char *
_sesame_campaign_compose_text (SesameStore    *self,
                               SesameCampaign *campaign,
                               const char     *login,
                               const char     *first_name,
                               const char     *last_name,
                               const char     *structure,
                               const char     *token)
{
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  SesameDiffusionText text;
  char *composed;

  fill_diffusion_text (self, campaign, login, first_name, last_name, structure, token, strings, &text);
  /* Written for the family, in the document language. */
  _sesame_document_language_push (self);
  composed = sesame_mail_compose_diffusion_text (&text);
  _sesame_document_language_pop ();
  return composed;
}

GMimeMessage *
_sesame_campaign_compose (SesameStore         *self,
                          SesameCampaign      *campaign,
                          SesameSmtpSettings  *settings,
                          const char          *login,
                          const char          *first_name,
                          const char          *last_name,
                          const char          *address,
                          const char          *structure,
                          const char          *token,
                          GError             **error)
{
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GMimeMessage) message = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *html = NULL;
  SesameDiffusionText text;

  fill_diffusion_text (self, campaign, login, first_name, last_name, structure, token, strings, &text);
  /* Written for the family, in the document language. */
  _sesame_document_language_push (self);
  plain = sesame_mail_compose_diffusion_text (&text);
  html = sesame_mail_compose_diffusion_html (&text);
  _sesame_document_language_pop ();
  message = sesame_mail_message_new (sesame_smtp_settings_get_from_name (settings),
                                     sesame_smtp_settings_get_from_address (settings),
                                     text.display_name, address,
                                     sesame_campaign_get_subject (campaign), plain,
                                     SESAME_MAIL_FLAGS_NONE, NULL, error);
  if (message == NULL)
    return NULL;
  sesame_mail_message_set_html (message, html);
  return g_steal_pointer (&message);
}

/* Records the outcome of an activation email in the audit trail. */
static gboolean
record_activation_email (SesameStore  *self,
                         const char   *login,
                         gboolean      sent,
                         const char   *detail,
                         const char   *token_id,
                         GError      **error)
{
  if (!_sesame_store_begin (self, error))
    return FALSE;
  /* A link that did not leave must not stay valid. */
  if ((!sent && token_id != NULL && !_sesame_store_revoke_activation_token (self, token_id, error)) ||
      !_sesame_store_audit (self, sent ? "activation-email" : "activation-email-failed", login, detail, error))
    {
      _sesame_store_rollback (self);
      return FALSE;
    }
  return _sesame_store_commit (self, error);
}

/**
 * sesame_store_send_activation_email:
 * @self: a #SesameStore
 * @settings: the store's mail settings
 * @smtp_password: (nullable): the mail server password, from the keyring
 * @login: the account's login
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends one person the message of the diffusion: their login and a link
 * to the ENT to choose their password, to the address the directory
 * gives; never a password. The operator must be allowed to regenerate
 * that person's password. A message that could not be sent is recorded
 * in the audit trail and its link revoked, so the operator can simply try
 * again. This blocks on the network: run it in a thread.
 *
 * Returns: %TRUE if the mail server accepted the message
 */
gboolean
sesame_store_send_activation_email (SesameStore         *self,
                                    SesameSmtpSettings  *settings,
                                    const char          *smtp_password,
                                    const char          *login,
                                    GCancellable        *cancellable,
                                    GError             **error)
{
  g_autoptr(SesamePerson) person = NULL;
  g_autoptr(SesameCampaign) campaign = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(SesameSmtpClient) client = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *ent_url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_id = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *detail = NULL;
  const char *address;
  gboolean sent;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (SESAME_IS_SMTP_SETTINGS (settings), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  person = sesame_store_find_account (self, login, error);
  if (person == NULL ||
      !sesame_store_check_permission (self, SESAME_PERMISSION_RESET_PASSWORD, sesame_person_get_key (person), error))
    return FALSE;
  if (!sesame_person_is_distributable (person))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("%s is academy staff: their credentials come from the academy and are never handed out by Sésame."),
                   login);
      return FALSE;
    }
  address = sesame_person_get_field (person, SESAME_PERSON_EMAIL);
  if (address == NULL || !sesame_mail_address_is_valid (address))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                   _("The directory gives no valid email address for %s: print the slip instead."), login);
      return FALSE;
    }
  if (!sesame_smtp_settings_is_configured (settings))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("No mail server is set up: an administrator sets it in the Preferences."));
      return FALSE;
    }
  ent_url = _sesame_store_dup_ent_url (self, error);
  if (ent_url == NULL)
    return FALSE;

  if (!_sesame_store_begin (self, error))
    return FALSE;
  token = _sesame_store_issue_activation_token (self, sesame_person_get_key (person), NULL, &token_id, error);
  if (token == NULL)
    {
      _sesame_store_rollback (self);
      return FALSE;
    }
  if (!_sesame_store_commit (self, error))
    return FALSE;

  campaign = sesame_campaign_new ();
  sesame_campaign_set_establishment (campaign, sesame_person_get_establishment (person));
  subject = sesame_store_dup_default_campaign_subject (self, campaign);
  sesame_campaign_set_subject (campaign, subject);
  message = _sesame_campaign_compose (self, campaign, settings, login,
                                      sesame_person_get_first_name (person), sesame_person_get_last_name (person),
                                      address, sesame_person_get_field (person, SESAME_PERSON_STRUCTURE),
                                      token, &local_error);
  sodium_memzero (token, strlen (token));
  if (message != NULL)
    {
      client = sesame_smtp_client_new (settings, smtp_password);
      sent = sesame_smtp_client_send_message (client, message, cancellable, &local_error);
      sesame_smtp_client_disconnect (client);
    }
  else
    sent = FALSE;

  detail = g_strdup (sent ? address : local_error->message);
  if (!record_activation_email (self, login, sent, detail, token_id, error))
    return FALSE;
  if (!sent)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

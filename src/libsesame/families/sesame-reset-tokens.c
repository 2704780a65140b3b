/* sesame-reset-tokens.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Mot de passe oublié": a person whose account has an email address in
 * the directory receives a link that lets them choose a new password,
 * once, within an hour. Pupils are always sent to the desk, as the vendor
 * manual says, and so is anyone without an address. The page answers the
 * same whatever happened here, so this file tells its caller what it did
 * only for the tests and the audit trail, never for the page.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-families"

#include <sodium.h>
#include <string.h>

#include "sesame-accounts.h"
#include "sesame-campaign-message-private.h"
#include "sesame-document-language-private.h"
#include "sesame-families-private.h"
#include "sesame-mail-message.h"
#include "sesame-reset-tokens.h"
#include "sesame-smtp-client.h"
#include "sesame-store-language.h"
#include "sesame-store-settings.h"

static void
state_error (SesameFamiliesTokenState   state,
             GError                   **error)
{
  switch (state)
    {
    case SESAME_FAMILIES_TOKEN_USED:
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("This link was already used. If you still cannot sign in, ask for a new link on the “Forgotten password” page or contact the establishment."));
      break;
    case SESAME_FAMILIES_TOKEN_EXPIRED:
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("This link expired: it was valid one hour. Ask for a new one on the “Forgotten password” page, or contact the establishment."));
      break;
    case SESAME_FAMILIES_TOKEN_DISABLED:
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("This account is disabled. Contact the establishment."));
      break;
    case SESAME_FAMILIES_TOKEN_UNKNOWN:
    case SESAME_FAMILIES_TOKEN_LIVE:
    case SESAME_FAMILIES_TOKEN_FAILED:
    default:
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                           _("This link is not valid: copy the whole link from the message, or contact the establishment."));
      break;
    }
}

/* The person a reset link may be mailed to, or NULL. */
static SesamePerson *
find_addressee (SesameStore *self,
                const char  *login)
{
  g_autoptr(SesamePerson) person = NULL;
  const char *address;

  if (login == NULL || *login == '\0')
    return NULL;
  person = sesame_accounts_find (self, login, NULL);
  if (person == NULL || !sesame_person_is_distributable (person) ||
      sesame_person_get_profile (person) == SESAME_PROFILE_ELEVE || sesame_person_get_has_left (person))
    return NULL;
  address = sesame_person_get_field (person, SESAME_PERSON_EMAIL);
  if (address == NULL || !sesame_mail_address_is_valid (address))
    return NULL;
  return g_steal_pointer (&person);
}

static char *
issue_token (SesameStore  *self,
             const char   *person_key,
             char        **token_id,
             GError      **error)
{
  g_autofree char *token = _sesame_families_new_secret ();
  g_autofree char *hash = _sesame_families_hash_secret (token);
  g_autofree char *id = _sesame_new_id ();
  gint64 now = sesame_store_now (self);
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (self,
                                "INSERT INTO password_reset_tokens (id, person_key, token_hash, created_at, expires_at)"
                                " VALUES (?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, person_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_int64 (stmt, 5, now + SESAME_RESET_TOKEN_SECONDS);
  if (!_sesame_store_step_done (self, stmt, error))
    return NULL;
  *token_id = g_steal_pointer (&id);
  return g_steal_pointer (&token);
}

/* The message, in the store's document language. */
static GMimeMessage *
compose (SesameStore         *self,
         SesameSmtpSettings  *settings,
         SesamePerson        *person,
         const char          *link,
         GError             **error)
{
  g_autofree char *name = sesame_person_dup_display_name (person);
  g_autofree char *ent_name = sesame_store_settings_dup (self, SESAME_SETTING_ENT_NAME, "");
  const char *establishment = sesame_person_get_field (person, SESAME_PERSON_ESTABLISHMENT_NAME);
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  GMimeMessage *message;

  _sesame_store_push_document_language (self);
  subject = g_strdup (_("Choose a new password"));
  /* TRANSLATORS: the reset message. %1$s the person's name, %2$s their
   * login, %3$s the link, %4$s the establishment's name. */
  text = g_strdup_printf (_("Hello %1$s,\n\n"
                            "Someone asked to choose a new password for the account %2$s. "
                            "To choose it, open this link within one hour (it works once):\n"
                            "%3$s\n\n"
                            "If you did not ask for it, ignore this message: your password stays as it is.\n\n"
                            "%4$s\n"),
                          name, sesame_person_get_login (person), link,
                          establishment != NULL && *establishment != '\0' ? establishment : ent_name);
  _sesame_document_language_pop ();

  message = sesame_mail_message_new (sesame_smtp_settings_get_from_name (settings),
                                     sesame_smtp_settings_get_from_address (settings),
                                     name, sesame_person_get_field (person, SESAME_PERSON_EMAIL),
                                     subject, text, SESAME_MAIL_FLAGS_HTML, NULL, error);
  sodium_memzero (text, strlen (text));
  return message;
}

static gboolean
record (SesameStore  *self,
        const char   *login,
        const char   *action,
        const char   *token_id,
        const char   *detail,
        GError      **error)
{
  sqlite3_stmt *stmt;

  if (!_sesame_store_begin (self, error))
    return FALSE;
  if (token_id != NULL)
    {
      stmt = _sesame_store_prepare (self, "UPDATE password_reset_tokens SET revoked_at = ?2 WHERE id = ?1", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, token_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, sesame_store_now (self));
      if (!_sesame_store_step_done (self, stmt, error))
        goto fail;
    }
  if (!_sesame_store_audit (self, action, login, detail, error))
    goto fail;
  return _sesame_store_commit (self, error);

fail:
  _sesame_store_rollback (self);
  return FALSE;
}

/**
 * sesame_reset_tokens_request:
 * @self: a #SesameStore
 * @login: the login typed on the page
 * @settings: the store's mail settings
 * @smtp_password: (nullable): the mail server's password
 * @sent: (out) (optional): whether a message left
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Mails a reset link (single use, one hour) to the address the directory
 * gives for @login, when the account may receive one: not a pupil, not
 * academy staff, with a valid address. Otherwise does nothing, without
 * error: the page says the same in every case. A message that did not
 * leave has its link revoked. Blocks on the network: run it in a thread.
 *
 * Returns: %FALSE only when the store or the mail server failed
 */
gboolean
sesame_reset_tokens_request (SesameStore         *self,
                             const char          *login,
                             SesameSmtpSettings  *settings,
                             const char          *smtp_password,
                             gboolean            *sent,
                             GCancellable        *cancellable,
                             GError             **error)
{
  g_autoptr(SesamePerson) person = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(SesameSmtpClient) client = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *ent_url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_id = NULL;
  g_autofree char *link = NULL;
  gboolean ok;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (SESAME_IS_SMTP_SETTINGS (settings), FALSE);

  if (sent != NULL)
    *sent = FALSE;
  person = find_addressee (self, login);
  if (person == NULL)
    return TRUE;
  if (!sesame_smtp_settings_is_configured (settings))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("No mail server is set up: an administrator sets it in the Preferences."));
      return FALSE;
    }
  ent_url = _sesame_campaign_message_dup_ent_url (self, error);
  if (ent_url == NULL)
    return FALSE;

  if (!_sesame_store_begin (self, error))
    return FALSE;
  token = issue_token (self, sesame_person_get_key (person), &token_id, error);
  if (token == NULL)
    {
      _sesame_store_rollback (self);
      return FALSE;
    }
  if (!_sesame_store_commit (self, error))
    return FALSE;

  link = _sesame_campaign_message_page_link (ent_url, "reinitialiser", token);
  sodium_memzero (token, strlen (token));
  message = compose (self, settings, person, link, &local_error);
  sodium_memzero (link, strlen (link));
  if (message != NULL)
    {
      client = sesame_smtp_client_new (settings, smtp_password);
      ok = sesame_smtp_client_send_message (client, message, cancellable, &local_error);
      sesame_smtp_client_disconnect (client);
    }
  else
    ok = FALSE;

  if (!record (self, sesame_person_get_login (person), ok ? "reset-link-sent" : "reset-link-failed",
               ok ? NULL : token_id, ok ? NULL : local_error->message, error))
    return FALSE;
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (sent != NULL)
    *sent = TRUE;
  return TRUE;
}

/**
 * sesame_reset_tokens_peek:
 * @self: a #SesameStore
 * @token: the token of a reset link
 * @error: return location for a #GError
 *
 * The account a reset link opens, without using the link.
 *
 * Returns: (transfer full): the person, or %NULL with @error set to a
 *   sentence saying why the link does not work and what to do
 */
SesamePerson *
sesame_reset_tokens_peek (SesameStore  *self,
                          const char   *token,
                          GError      **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  return _sesame_families_peek_token (self, "password_reset_tokens", token, state_error, error);
}

/**
 * sesame_reset_tokens_complete:
 * @self: a #SesameStore
 * @token: the token of a reset link
 * @password: the new password
 * @confirmation: the new password typed again
 * @error: return location for a #GError
 *
 * Uses a reset link: checks the password against the store's policy and
 * makes it the account's password; the person's web sessions end.
 *
 * Returns: (transfer full): the person's directory key, or %NULL with
 *   @error set to a sentence for the person
 */
char *
sesame_reset_tokens_complete (SesameStore  *self,
                              const char   *token,
                              const char   *password,
                              const char   *confirmation,
                              GError      **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  return _sesame_families_complete_token (self, "password_reset_tokens", token, password, confirmation,
                                          "reset-link-used", state_error, error);
}

/* sesame-activation-email.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk sends one person the diffusion's message after a regeneration,
 * or when they ask again: the diffusion's text with a fresh activation
 * link, never a password. It is a campaign of one, outside any campaign:
 * the token comes from sesame-activation-tokens.c, the words from
 * sesame-campaign-message.c, the connection from the mail folder.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-campaign"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "sesame-accounts.h"
#include "sesame-activation-email.h"
#include "sesame-activation-tokens-private.h"
#include "sesame-campaign-message-private.h"
#include "sesame-operators.h"
#include "sesame-smtp-client.h"

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
  if ((!sent && token_id != NULL && !_sesame_activation_tokens_revoke (self, token_id, error)) ||
      !_sesame_store_audit (self, sent ? "activation-email" : "activation-email-failed", login, detail, error))
    {
      _sesame_store_rollback (self);
      return FALSE;
    }
  return _sesame_store_commit (self, error);
}

/* The person whose login this is, if the operator may send them a link
 * and the directory gives them an address to send it to. */
static SesamePerson *
find_addressee (SesameStore  *self,
                const char   *login,
                GError      **error)
{
  g_autoptr(SesamePerson) person = sesame_accounts_find (self, login, error);
  const char *address;

  if (person == NULL ||
      !sesame_store_operator_check_permission (self, SESAME_PERMISSION_RESET_PASSWORD, sesame_person_get_key (person), error))
    return NULL;
  if (!sesame_person_is_distributable (person))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("%s is academy staff: their credentials come from the academy and are never handed out by Sésame."),
                   login);
      return NULL;
    }
  address = sesame_person_get_field (person, SESAME_PERSON_EMAIL);
  if (address == NULL || !sesame_mail_address_is_valid (address))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                   _("The directory gives no valid email address for %s: print the slip instead."), login);
      return NULL;
    }
  return g_steal_pointer (&person);
}

/* A link of its own for the message, outside any campaign. */
static char *
issue_token (SesameStore  *self,
             const char   *person_key,
             char        **token_id,
             GError      **error)
{
  g_autofree char *token = NULL;

  if (!_sesame_store_begin (self, error))
    return NULL;
  token = _sesame_activation_tokens_issue (self, person_key, NULL, token_id, error);
  if (token == NULL)
    {
      _sesame_store_rollback (self);
      return NULL;
    }
  if (!_sesame_store_commit (self, error))
    {
      sodium_memzero (token, strlen (token));
      return NULL;
    }
  return g_steal_pointer (&token);
}

/* The diffusion's message as a campaign of one would write it, under the
 * default subject of the person's establishment. */
static GMimeMessage *
compose_message (SesameStore         *self,
                 SesameSmtpSettings  *settings,
                 SesamePerson        *person,
                 const char          *login,
                 const char          *token,
                 GError             **error)
{
  g_autoptr(SesameCampaign) campaign = sesame_campaign_new ();
  g_autofree char *subject = NULL;

  sesame_campaign_set_establishment (campaign, sesame_person_get_establishment (person));
  subject = sesame_campaign_message_dup_default_subject (self, campaign);
  sesame_campaign_set_subject (campaign, subject);
  return _sesame_campaign_message_compose (self, campaign, settings, login,
                                           sesame_person_get_first_name (person), sesame_person_get_last_name (person),
                                           sesame_person_get_field (person, SESAME_PERSON_EMAIL),
                                           sesame_person_get_field (person, SESAME_PERSON_STRUCTURE),
                                           token, error);
}

/**
 * sesame_activation_email_send:
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
sesame_activation_email_send (SesameStore         *self,
                              SesameSmtpSettings  *settings,
                              const char          *smtp_password,
                              const char          *login,
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
  g_autofree char *detail = NULL;
  const char *address;
  gboolean sent;

  g_return_val_if_fail (SESAME_IS_STORE (self), FALSE);
  g_return_val_if_fail (SESAME_IS_SMTP_SETTINGS (settings), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  person = find_addressee (self, login, error);
  if (person == NULL)
    return FALSE;
  address = sesame_person_get_field (person, SESAME_PERSON_EMAIL);
  if (!sesame_smtp_settings_is_configured (settings))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("No mail server is set up: an administrator sets it in the Preferences."));
      return FALSE;
    }
  ent_url = _sesame_campaign_message_dup_ent_url (self, error);
  if (ent_url == NULL)
    return FALSE;

  token = issue_token (self, sesame_person_get_key (person), &token_id, error);
  if (token == NULL)
    return FALSE;
  message = compose_message (self, settings, person, login, token, &local_error);
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

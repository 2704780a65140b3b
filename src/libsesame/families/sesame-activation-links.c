/* sesame-activation-links.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page an email's link opens (/activer?jeton=…): the token a campaign
 * issued (campaigns/sesame-activation-tokens.c) names the account, and the
 * person chooses a password there. Showing the page does not use the
 * token; choosing a password does, once, together with storing it.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-families"

#include "sesame-accounts.h"
#include "sesame-activation-links.h"
#include "sesame-activation-tokens-private.h"
#include "sesame-document-language-private.h"
#include "sesame-families-private.h"
#include "sesame-mail-message.h"

static void
state_error (SesameFamiliesTokenState   state,
             GError                   **error)
{
  switch (state)
    {
    case SESAME_FAMILIES_TOKEN_USED:
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("This link was already used. If you cannot sign in, contact the establishment."));
      break;
    case SESAME_FAMILIES_TOKEN_EXPIRED:
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "This link expired: it was valid %d day. Contact the establishment to get a new one.",
                                "This link expired: it was valid %d days. Contact the establishment to get a new one.",
                                SESAME_ACTIVATION_DAYS),
                   SESAME_ACTIVATION_DAYS);
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

/**
 * sesame_activation_links_peek:
 * @self: a #SesameStore
 * @token: the token of the link
 * @error: return location for a #GError
 *
 * The account an activation link opens, without using the link.
 *
 * Returns: (transfer full): the person, or %NULL with @error set to a
 *   sentence saying why the link does not work and what to do
 */
SesamePerson *
sesame_activation_links_peek (SesameStore  *self,
                              const char   *token,
                              GError      **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  return _sesame_families_peek_token (self, "activation_tokens", token, state_error, error);
}

/**
 * sesame_activation_links_complete:
 * @self: a #SesameStore
 * @token: the token of the link
 * @password: the password chosen
 * @confirmation: the password typed again
 * @error: return location for a #GError
 *
 * Uses the link: checks the password against the store's policy, makes
 * it the account's password and records the first sign-in. The link and
 * every other activation link of the person stop working.
 *
 * Returns: (transfer full): the person's directory key, or %NULL with
 *   @error set to a sentence for the person
 */
char *
sesame_activation_links_complete (SesameStore  *self,
                                  const char   *token,
                                  const char   *password,
                                  const char   *confirmation,
                                  GError      **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);

  return _sesame_families_complete_token (self, "activation_tokens", token, password, confirmation,
                                          "activation-link-used", state_error, error);
}

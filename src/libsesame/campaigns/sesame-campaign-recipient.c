/* sesame-campaign-recipient.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One line of a campaign's send report: whom a message was for and where
 * it stands. The states are written as tokens in the store and in
 * sesamectl's output, and as words in the window and the report; this
 * file keeps the two spellings together so that they cannot drift apart.
 * The words follow the document language while a report for the
 * families' establishment is written, as every file of campaigns/ that
 * writes for them does (sesame-document-language-private.h).
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-campaign"

#include <glib/gi18n-lib.h>

#include "sesame-campaign-recipient.h"
#include "sesame-document-language-private.h"

G_DEFINE_BOXED_TYPE (SesameCampaignRecipient, sesame_campaign_recipient,
                     sesame_campaign_recipient_copy, sesame_campaign_recipient_free)

static const struct {
  const char *token;
  const char *label;
} recipient_states[] = {
  [SESAME_RECIPIENT_WAITING]    = { "waiting",    NC_("recipient state", "Waiting") },
  [SESAME_RECIPIENT_SENDING]    = { "sending",    NC_("recipient state", "Sending") },
  [SESAME_RECIPIENT_SENT]       = { "sent",       NC_("recipient state", "Sent") },
  [SESAME_RECIPIENT_FAILED]     = { "failed",     NC_("recipient state", "Failed") },
  [SESAME_RECIPIENT_NO_ADDRESS] = { "no-address", NC_("recipient state", "No address") },
  [SESAME_RECIPIENT_UNCERTAIN]  = { "uncertain",  NC_("recipient state", "Uncertain") },
  [SESAME_RECIPIENT_SKIPPED]    = { "skipped",    NC_("recipient state", "Skipped") },
};

/**
 * sesame_campaign_recipient_state_to_token:
 * @state: a #SesameRecipientState
 *
 * Gives the untranslated name of @state, stable across versions, for the
 * store and for scripts.
 *
 * Returns: the state as the store and sesamectl write it, e.g.
 *   "no-address"
 */
const char *
sesame_campaign_recipient_state_to_token (SesameRecipientState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (recipient_states), "waiting");
  return recipient_states[state].token;
}

/**
 * sesame_campaign_recipient_state_from_token:
 * @token: (nullable): a state as sesame_campaign_recipient_state_to_token()
 *   writes it
 * @state: (out): the state, set only on success
 *
 * Parses a recipient state read from the store or given to sesamectl; @state
 * is left untouched when @token is unknown or %NULL.
 *
 * Returns: %TRUE if @token names a state
 */
gboolean
sesame_campaign_recipient_state_from_token (const char           *token,
                                            SesameRecipientState *state)
{
  for (guint i = 0; token != NULL && i < G_N_ELEMENTS (recipient_states); i++)
    if (g_str_equal (token, recipient_states[i].token))
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * sesame_campaign_recipient_state_to_label:
 * @state: a #SesameRecipientState
 *
 * Gives the name of @state to show to the operator, in the interface
 * language.
 *
 * Returns: the state in words, translated, e.g. "No address"
 */
const char *
sesame_campaign_recipient_state_to_label (SesameRecipientState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (recipient_states), "");
  return g_dpgettext2 (GETTEXT_PACKAGE, "recipient state", recipient_states[state].label);
}

/**
 * sesame_campaign_recipient_copy:
 * @recipient: a #SesameCampaignRecipient
 *
 * Duplicates a line of the send report, strings included; free the copy with
 * sesame_campaign_recipient_free().
 *
 * Returns: (transfer full): a copy of @recipient
 */
SesameCampaignRecipient *
sesame_campaign_recipient_copy (const SesameCampaignRecipient *recipient)
{
  SesameCampaignRecipient *copy;

  g_return_val_if_fail (recipient != NULL, NULL);

  copy = g_new0 (SesameCampaignRecipient, 1);
  *copy = *recipient;
  copy->person_key = g_strdup (recipient->person_key);
  copy->login = g_strdup (recipient->login);
  copy->last_name = g_strdup (recipient->last_name);
  copy->first_name = g_strdup (recipient->first_name);
  copy->address = g_strdup (recipient->address);
  copy->establishment = g_strdup (recipient->establishment);
  copy->classes = g_strdup (recipient->classes);
  copy->reply = g_strdup (recipient->reply);
  return copy;
}

/**
 * sesame_campaign_recipient_free:
 * @recipient: (nullable) (transfer full): a #SesameCampaignRecipient
 *
 * Frees @recipient and its strings.
 */
void
sesame_campaign_recipient_free (SesameCampaignRecipient *recipient)
{
  if (recipient == NULL)
    return;
  g_free (recipient->person_key);
  g_free (recipient->login);
  g_free (recipient->last_name);
  g_free (recipient->first_name);
  g_free (recipient->address);
  g_free (recipient->establishment);
  g_free (recipient->classes);
  g_free (recipient->reply);
  g_free (recipient);
}

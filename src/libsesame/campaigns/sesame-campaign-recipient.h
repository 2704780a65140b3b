/* sesame-campaign-recipient.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sesame-types.h"

G_BEGIN_DECLS

/**
 * SesameRecipientState:
 * @SESAME_RECIPIENT_WAITING: not sent yet (or to be tried again)
 * @SESAME_RECIPIENT_SENDING: being sent
 * @SESAME_RECIPIENT_SENT: the server accepted the message
 * @SESAME_RECIPIENT_FAILED: the server refused it for good, or temporary
 *   failures went on too long; the reply says why
 * @SESAME_RECIPIENT_NO_ADDRESS: no usable email address: a paper letter
 * @SESAME_RECIPIENT_UNCERTAIN: sending was cut off after the whole message
 *   was handed to the server and before its answer: it may have been
 *   delivered, so it is not sent again unless the operator asks
 * @SESAME_RECIPIENT_SKIPPED: the account was activated or disabled before
 *   its turn came
 *
 * Where one recipient of a campaign stands.
 */
typedef enum
{
  SESAME_RECIPIENT_WAITING,
  SESAME_RECIPIENT_SENDING,
  SESAME_RECIPIENT_SENT,
  SESAME_RECIPIENT_FAILED,
  SESAME_RECIPIENT_NO_ADDRESS,
  SESAME_RECIPIENT_UNCERTAIN,
  SESAME_RECIPIENT_SKIPPED,
} SesameRecipientState;

#define SESAME_N_RECIPIENT_STATES (SESAME_RECIPIENT_SKIPPED + 1)

/**
 * SesameCampaignRecipient:
 * @person_key: the directory key
 * @login: the login the message gave (or will give)
 * @last_name: the last name
 * @first_name: the first name
 * @profile: the profile
 * @address: the email address, empty when there is none
 * @establishment: the UAI of the person's establishment
 * @classes: the classes, comma separated (a parent's: their children's)
 * @state: where the recipient stands
 * @attempts: how many times the server was asked
 * @reply: the server's last reply, or why nothing was sent
 * @changed_at: when @state last changed
 * @sent_at: when the server accepted the message, or 0
 *
 * A line of the send report.
 */
typedef struct
{
  char                 *person_key;
  char                 *login;
  char                 *last_name;
  char                 *first_name;
  SesameProfile         profile;
  char                 *address;
  char                 *establishment;
  char                 *classes;
  SesameRecipientState  state;
  guint                 attempts;
  char                 *reply;
  gint64                changed_at;
  gint64                sent_at;
} SesameCampaignRecipient;

#define SESAME_TYPE_CAMPAIGN_RECIPIENT (sesame_campaign_recipient_get_type ())

GType                    sesame_campaign_recipient_get_type            (void) G_GNUC_CONST;
SesameCampaignRecipient *sesame_campaign_recipient_copy                (const SesameCampaignRecipient *recipient);
void                     sesame_campaign_recipient_free                (SesameCampaignRecipient       *recipient);

const char              *sesame_campaign_recipient_state_to_token      (SesameRecipientState           state);
gboolean                 sesame_campaign_recipient_state_from_token    (const char                    *token,
                                                                        SesameRecipientState          *state);
const char              *sesame_campaign_recipient_state_to_label      (SesameRecipientState           state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameCampaignRecipient, sesame_campaign_recipient_free)

G_END_DECLS

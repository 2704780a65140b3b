/* sesame-campaign.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sesame-smtp-settings.h"
#include "sesame-store.h"
#include "sesame-types.h"

G_BEGIN_DECLS

/**
 * SesameCampaignState:
 * @SESAME_CAMPAIGN_STATE_READY: recorded, not started
 * @SESAME_CAMPAIGN_STATE_SENDING: a desk is sending it (or was, until it
 *   stopped without a word: a crash, a power cut)
 * @SESAME_CAMPAIGN_STATE_PAUSED: paused by the operator
 * @SESAME_CAMPAIGN_STATE_INTERRUPTED: stopped by the mail server (unreachable,
 *   credentials refused); resume it once the cause is fixed
 * @SESAME_CAMPAIGN_STATE_CANCELLED: stopped by the operator
 * @SESAME_CAMPAIGN_STATE_FINISHED: every recipient has a final state
 *
 * Where a campaign stands.
 */
typedef enum
{
  SESAME_CAMPAIGN_STATE_READY,
  SESAME_CAMPAIGN_STATE_SENDING,
  SESAME_CAMPAIGN_STATE_PAUSED,
  SESAME_CAMPAIGN_STATE_INTERRUPTED,
  SESAME_CAMPAIGN_STATE_CANCELLED,
  SESAME_CAMPAIGN_STATE_FINISHED,
} SesameCampaignState;

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

/* A set of profiles, as a campaign targets them. */
#define SESAME_PROFILE_BIT(profile) (1u << (profile))

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

/**
 * SesameCampaignCounts:
 * @total: recipients in all
 * @counts: recipients in each #SesameRecipientState
 *
 * How a campaign's recipients stand.
 */
typedef struct
{
  guint total;
  guint counts[SESAME_N_RECIPIENT_STATES];
} SesameCampaignCounts;

#define SESAME_TYPE_CAMPAIGN (sesame_campaign_get_type ())
#define SESAME_TYPE_CAMPAIGN_RECIPIENT (sesame_campaign_recipient_get_type ())

G_DECLARE_FINAL_TYPE (SesameCampaign, sesame_campaign, SESAME, CAMPAIGN, GObject)

const char           *sesame_campaign_state_to_token     (SesameCampaignState   state);
gboolean              sesame_campaign_state_from_token   (const char           *token,
                                                          SesameCampaignState  *state);
const char           *sesame_campaign_state_to_label     (SesameCampaignState   state);
const char           *sesame_recipient_state_to_token    (SesameRecipientState  state);
gboolean              sesame_recipient_state_from_token  (const char           *token,
                                                          SesameRecipientState *state);
const char           *sesame_recipient_state_to_label    (SesameRecipientState  state);

GType                    sesame_campaign_recipient_get_type (void) G_GNUC_CONST;
SesameCampaignRecipient *sesame_campaign_recipient_copy    (const SesameCampaignRecipient *recipient);
void                     sesame_campaign_recipient_free    (SesameCampaignRecipient       *recipient);

SesameCampaign       *sesame_campaign_new                (void);
const char           *sesame_campaign_get_id             (SesameCampaign       *self);
guint                 sesame_campaign_get_profiles       (SesameCampaign       *self);
void                  sesame_campaign_set_profiles       (SesameCampaign       *self,
                                                          guint                 profiles);
const char * const   *sesame_campaign_get_classes        (SesameCampaign       *self);
void                  sesame_campaign_set_classes        (SesameCampaign       *self,
                                                          const char * const   *classes);
const char           *sesame_campaign_get_establishment  (SesameCampaign       *self);
void                  sesame_campaign_set_establishment  (SesameCampaign       *self,
                                                          const char           *uai);
const char           *sesame_campaign_get_subject        (SesameCampaign       *self);
void                  sesame_campaign_set_subject        (SesameCampaign       *self,
                                                          const char           *subject);
const char           *sesame_campaign_get_free_text      (SesameCampaign       *self);
void                  sesame_campaign_set_free_text      (SesameCampaign       *self,
                                                          const char           *free_text);
const char           *sesame_campaign_get_operator       (SesameCampaign       *self);
SesameCampaignState   sesame_campaign_get_state          (SesameCampaign       *self);
const char           *sesame_campaign_get_last_error     (SesameCampaign       *self);
gint64                sesame_campaign_get_created_at     (SesameCampaign       *self);
gint64                sesame_campaign_get_started_at     (SesameCampaign       *self);
gint64                sesame_campaign_get_finished_at    (SesameCampaign       *self);
gint64                sesame_campaign_get_report_sent_at (SesameCampaign       *self);
const SesameCampaignCounts *sesame_campaign_get_counts   (SesameCampaign       *self);
char                 *sesame_campaign_dup_profiles_label (SesameCampaign       *self);

gboolean              sesame_campaigns_check             (SesameStore          *self,
                                                          SesameCampaign       *campaign,
                                                          GError              **error);
char                 *sesame_campaigns_dup_default_subject      (SesameStore    *self,
                                                                 SesameCampaign *campaign);
gboolean              sesame_campaigns_count             (SesameStore          *self,
                                                          SesameCampaign       *campaign,
                                                          guint                *with_address,
                                                          guint                *without_address,
                                                          GError              **error);
char                 *sesame_campaigns_preview           (SesameStore          *self,
                                                          SesameCampaign       *campaign,
                                                          char                **to,
                                                          GError              **error);
gboolean              sesame_campaigns_create            (SesameStore          *self,
                                                          SesameCampaign       *campaign,
                                                          GError              **error);
SesameCampaign       *sesame_campaigns_find              (SesameStore          *self,
                                                          const char           *id,
                                                          GError              **error);
GPtrArray            *sesame_campaigns_list              (SesameStore          *self,
                                                          GError              **error);
GPtrArray            *sesame_campaigns_list_recipients      (SesameStore       *self,
                                                             const char        *id,
                                                             GError           **error);
GBytes               *sesame_campaign_report_render       (SesameStore         *self,
                                                           const char          *id,
                                                           GError             **error);
GBytes               *sesame_campaign_report_render_without_address (SesameStore *self,
                                                                     const char  *id,
                                                                     GError     **error);
gboolean              sesame_campaign_report_export       (SesameStore         *self,
                                                           const char          *id,
                                                           const char          *path,
                                                           GError             **error);
gboolean              sesame_campaign_report_export_without_address (SesameStore *self,
                                                                     const char  *id,
                                                                     const char  *path,
                                                                     GError     **error);
char                **sesame_campaign_report_list_keys_without_address (SesameStore *self,
                                                                        const char  *id,
                                                                        GError     **error);

char                 *sesame_activation_tokens_redeem      (SesameStore        *self,
                                                            const char         *token,
                                                            GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameCampaignRecipient, sesame_campaign_recipient_free)

G_END_DECLS

/* sesame-campaign.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sesame-campaign-recipient.h"
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

/* A set of profiles, as a campaign targets them. */
#define SESAME_PROFILE_BIT(profile) (1u << (profile))

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

G_DECLARE_FINAL_TYPE (SesameCampaign, sesame_campaign, SESAME, CAMPAIGN, GObject)

const char           *sesame_campaign_state_to_token     (SesameCampaignState   state);
gboolean              sesame_campaign_state_from_token   (const char           *token,
                                                          SesameCampaignState  *state);
const char           *sesame_campaign_state_to_label     (SesameCampaignState   state);

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

G_END_DECLS

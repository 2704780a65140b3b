/* sesame-campaign-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the campaign, report, token and sender modules share.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-campaign-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-campaign.h"
#include "sesame-mail-message.h"
#include "sesame-smtp-settings.h"
#include "sesame-store-private.h"

G_BEGIN_DECLS

/* The fields of a campaign, for the files of campaigns/ that fill it from
 * the store (sesame-campaigns.c). */
struct _SesameCampaign
{
  GObject               parent_instance;

  char                 *id;
  guint                 profiles;
  char                **classes;
  char                 *establishment;
  char                 *subject;
  char                 *free_text;

  char                 *operator;
  SesameCampaignState   state;
  char                 *last_error;
  gint64                created_at;
  gint64                started_at;
  gint64                finished_at;
  gint64                report_sent_at;
  SesameCampaignCounts  counts;
};

/* A run that has not written for this long is taken as dead, even when its
 * process cannot be checked (another desk). */
#define SESAME_CAMPAIGN_STALE_SECONDS (10 * 60)

/* Fills a campaign from its row and counts, without checking permissions. */
SesameCampaign *_sesame_store_load_campaign      (SesameStore          *self,
                                                  const char           *id,
                                                  GError              **error);
gboolean        _sesame_store_count_recipients   (SesameStore          *self,
                                                  const char           *id,
                                                  SesameCampaignCounts *counts,
                                                  GError              **error);
/* Whether the run named in the campaign's row still lives. */
gboolean        _sesame_campaign_run_is_alive    (const char           *run_host,
                                                  gint64                run_pid,
                                                  gint64                heartbeat_at,
                                                  gint64                now);

/* The message of one recipient, its link carrying @token. */
GMimeMessage   *_sesame_campaign_compose         (SesameStore          *self,
                                                  SesameCampaign       *campaign,
                                                  SesameSmtpSettings   *settings,
                                                  const char           *login,
                                                  const char           *first_name,
                                                  const char           *last_name,
                                                  const char           *address,
                                                  const char           *structure,
                                                  const char           *token,
                                                  GError              **error);
/* The body alone, for the preview. */
char           *_sesame_campaign_compose_text    (SesameStore          *self,
                                                  SesameCampaign       *campaign,
                                                  const char           *login,
                                                  const char           *first_name,
                                                  const char           *last_name,
                                                  const char           *structure,
                                                  const char           *token);
char           *_sesame_person_display_name      (const char           *first_name,
                                                  const char           *last_name);

/* The ENT address the messages link to, or NULL with an error telling
 * where to set it. */
char           *_sesame_store_dup_ent_url        (SesameStore          *self,
                                                  GError              **error);
char           *_sesame_activation_link          (const char           *ent_url,
                                                  const char           *token);

/* Activation tokens, inside the caller's transaction. The token itself is
 * returned once and never stored: only its hash is. */
char           *_sesame_store_issue_activation_token  (SesameStore     *self,
                                                       const char      *person_key,
                                                       const char      *campaign_id,
                                                       char           **token_id,
                                                       GError         **error);
gboolean        _sesame_store_revoke_activation_token (SesameStore     *self,
                                                       const char      *token_id,
                                                       GError         **error);
gboolean        _sesame_store_revoke_campaign_tokens  (SesameStore     *self,
                                                       const char      *campaign_id,
                                                       const char      *person_key,
                                                       GError         **error);

/* The send report mailed to the operator at the end, the CSV attached. */
GMimeMessage   *_sesame_campaign_compose_report  (SesameStore          *self,
                                                  SesameCampaign       *campaign,
                                                  SesameSmtpSettings   *settings,
                                                  const char           *to_name,
                                                  const char           *to_address,
                                                  GError              **error);

/* Campaign objects are filled by the store. */
void            _sesame_campaign_set_id          (SesameCampaign       *self,
                                                  const char           *id);
void            _sesame_campaign_set_record      (SesameCampaign       *self,
                                                  const char           *operator,
                                                  SesameCampaignState   state,
                                                  const char           *last_error,
                                                  gint64                created_at,
                                                  gint64                started_at,
                                                  gint64                finished_at,
                                                  gint64                report_sent_at);
void            _sesame_campaign_set_counts      (SesameCampaign       *self,
                                                  const SesameCampaignCounts *counts);

G_END_DECLS

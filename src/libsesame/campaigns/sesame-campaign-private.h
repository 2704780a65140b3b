/* sesame-campaign-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fields of a campaign object and their setters, for the files of
 * campaigns/ that fill it from the store or read what it targets.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-campaign-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-campaign.h"

G_BEGIN_DECLS

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

void _sesame_campaign_set_id     (SesameCampaign             *self,
                                  const char                 *id);
void _sesame_campaign_set_record (SesameCampaign             *self,
                                  const char                 *operator,
                                  SesameCampaignState         state,
                                  const char                 *last_error,
                                  gint64                      created_at,
                                  gint64                      started_at,
                                  gint64                      finished_at,
                                  gint64                      report_sent_at);
void _sesame_campaign_set_counts (SesameCampaign             *self,
                                  const SesameCampaignCounts *counts);

G_END_DECLS

/* sesame-campaign-sender-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the sender object (sesame-campaign-sender.c) and its run in a
 * worker thread (sesame-campaign-run.c) share.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-campaign-sender-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-campaign-sender.h"

G_BEGIN_DECLS

struct _SesameCampaignSender
{
  GObject               parent_instance;

  SesameStore          *store;
  char                 *campaign_id;
  SesameSmtpSettings   *settings;
  char                 *password;
  char                 *ca_file;
  guint                 retry_delay_ms;
  guint                 max_attempts;
  guint                 resend_uncertain : 1;
  guint                 mail_report : 1;
  guint                 has_password : 1;
  guint                 running : 1;

  /* Shared with the worker. */
  GMutex                lock;
  GCond                 cond;
  gboolean              paused;

  SesameCampaignCounts  counts;
  char                 *report_error;
};

/* In the thread that owns the sender: takes the counts a run reported and
 * notifies the properties that changed. */
void _sesame_campaign_sender_apply_counts (SesameCampaignSender       *self,
                                           const SesameCampaignCounts *counts);

/* One run of a sender, in sesame-campaign-run.c. */
typedef struct _SesameCampaignRun SesameCampaignRun;

SesameCampaignRun          *_sesame_campaign_run_new               (SesameCampaignSender        *sender,
                                                                    GCancellable                *cancellable,
                                                                    GError                     **error);
void                        _sesame_campaign_run_free              (SesameCampaignRun           *run);
void                        _sesame_campaign_run_set_progress_func (SesameCampaignRun           *run,
                                                                    SesameCampaignProgressFunc   progress,
                                                                    gpointer                     user_data);
void                        _sesame_campaign_run_set_context       (SesameCampaignRun           *run,
                                                                    GMainContext                *context);
gboolean                    _sesame_campaign_run_send              (SesameCampaignRun           *run,
                                                                    GError                     **error);
const SesameCampaignCounts *_sesame_campaign_run_get_counts        (SesameCampaignRun           *run);
char                       *_sesame_campaign_run_steal_report_error (SesameCampaignRun          *run);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameCampaignRun, _sesame_campaign_run_free)

G_END_DECLS

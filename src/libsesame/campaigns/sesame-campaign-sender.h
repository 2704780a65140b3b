/* sesame-campaign-sender.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sesame-campaign.h"
#include "sesame-smtp-settings.h"
#include "sesame-store.h"

G_BEGIN_DECLS

/**
 * SesameCampaignProgressFunc:
 * @counts: where the recipients stand now
 * @user_data: closure data
 *
 * Called after each message by sesame_campaign_sender_run(), in its thread.
 */
typedef void (*SesameCampaignProgressFunc) (const SesameCampaignCounts *counts,
                                            gpointer                    user_data);

#define SESAME_TYPE_CAMPAIGN_SENDER (sesame_campaign_sender_get_type ())

G_DECLARE_FINAL_TYPE (SesameCampaignSender, sesame_campaign_sender, SESAME, CAMPAIGN_SENDER, GObject)

SesameCampaignSender *sesame_campaign_sender_new               (SesameStore          *store,
                                                                const char           *campaign_id);
const char           *sesame_campaign_sender_get_campaign_id   (SesameCampaignSender *self);

void                  sesame_campaign_sender_set_settings      (SesameCampaignSender *self,
                                                                SesameSmtpSettings   *settings);
void                  sesame_campaign_sender_set_password      (SesameCampaignSender *self,
                                                                const char           *password);
void                  sesame_campaign_sender_set_ca_file       (SesameCampaignSender *self,
                                                                const char           *path);
void                  sesame_campaign_sender_set_retry_delay   (SesameCampaignSender *self,
                                                                guint                 milliseconds);
void                  sesame_campaign_sender_set_max_attempts  (SesameCampaignSender *self,
                                                                guint                 attempts);
void                  sesame_campaign_sender_set_resend_uncertain (SesameCampaignSender *self,
                                                                   gboolean              resend);
void                  sesame_campaign_sender_set_mail_report   (SesameCampaignSender *self,
                                                                gboolean              mail_report);

gboolean              sesame_campaign_sender_run               (SesameCampaignSender *self,
                                                                SesameCampaignProgressFunc progress,
                                                                gpointer              user_data,
                                                                GCancellable         *cancellable,
                                                                GError              **error);
void                  sesame_campaign_sender_run_async         (SesameCampaignSender *self,
                                                                GCancellable         *cancellable,
                                                                GAsyncReadyCallback   callback,
                                                                gpointer              user_data);
gboolean              sesame_campaign_sender_run_finish        (SesameCampaignSender *self,
                                                                GAsyncResult         *result,
                                                                GError              **error);

gboolean              sesame_campaign_sender_get_paused        (SesameCampaignSender *self);
void                  sesame_campaign_sender_set_paused        (SesameCampaignSender *self,
                                                                gboolean              paused);
gboolean              sesame_campaign_sender_get_running       (SesameCampaignSender *self);
const SesameCampaignCounts *sesame_campaign_sender_get_counts  (SesameCampaignSender *self);
guint                 sesame_campaign_sender_get_sent          (SesameCampaignSender *self);
guint                 sesame_campaign_sender_get_failed        (SesameCampaignSender *self);
guint                 sesame_campaign_sender_get_remaining     (SesameCampaignSender *self);
guint                 sesame_campaign_sender_get_total         (SesameCampaignSender *self);
const char           *sesame_campaign_sender_get_report_error  (SesameCampaignSender *self);

G_END_DECLS

/* sesame-diffusion-page-send.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sending from the Diffusion page. On a desk alone, the campaign is
 * recorded then sent by a SesameCampaignSender in the background, with
 * pause and stop, its progress shown as each message goes. On a desk
 * joined to a server, the server records and sends it: the page follows
 * the progress the server tells and Stop stops it there. Before sending,
 * the operator confirms, warned when the same message went to the same
 * people less than a day ago. The earlier campaigns are listed, and one
 * cut off (the window closed, a crash) is offered for resuming.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-campaign.h"
#include "sesame-campaign-sender.h"
#include "sesame-campaigns.h"
#include "sesame-diffusion-page-private.h"
#include "sesame-print.h"
#include "sesame-sync-client.h"
#include "sesame-sync-desk.h"
#include "sesame-sync-jobs.h"
#include "sesame-ui-util.h"
#include "sesame-worker.h"

void
_sesame_diffusion_page_update_progress (SesameDiffusionPage *self)
{
  const SesameCampaignCounts *c;
  g_autofree char *counts = NULL;
  guint to_send, done;

  if (self->sender == NULL)
    return;
  c = sesame_campaign_sender_get_counts (self->sender);
  to_send = c->total - c->counts[SESAME_RECIPIENT_NO_ADDRESS];
  done = c->counts[SESAME_RECIPIENT_SENT] + c->counts[SESAME_RECIPIENT_FAILED] +
         c->counts[SESAME_RECIPIENT_UNCERTAIN] + c->counts[SESAME_RECIPIENT_SKIPPED];
  gtk_progress_bar_set_fraction (self->progress_bar, to_send > 0 ? MIN (1.0, (double) done / to_send) : 0.0);
  counts = g_strdup_printf (_("Sent %u, failed %u, remaining %u"),
                            c->counts[SESAME_RECIPIENT_SENT], c->counts[SESAME_RECIPIENT_FAILED],
                            sesame_campaign_sender_get_remaining (self->sender));
  /* Stopping or paused, the counts stay in sight under the reason. */
  if (g_cancellable_is_cancelled (self->send_cancellable) || sesame_campaign_sender_get_paused (self->sender))
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf ("%s\n%s",
                              g_cancellable_is_cancelled (self->send_cancellable)
                                ? _("Stopping after the message in progress…")
                                : _("Paused: the message in progress is finished, the next ones wait."),
                              counts);
      gtk_label_set_label (self->progress_label, text);
    }
  else
    gtk_label_set_label (self->progress_label, counts);
  _sesame_diffusion_page_set_report_counts (self, c);
}

static void
sender_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SesameDiffusionPage) self = user_data;
  SesameCampaignSender *sender = SESAME_CAMPAIGN_SENDER (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (sesame_campaign_sender_get_campaign_id (sender));
  gboolean ok = sesame_campaign_sender_run_finish (sender, result, &error);

  /* The page went away meanwhile (the window closed). */
  if (self->draft == NULL)
    return;
  if (!ok)
    {
      if (g_error_matches (error, SESAME_ERROR, SESAME_ERROR_CANCELLED))
        sesame_show_toast (GTK_WIDGET (self), error->message);
      else
        sesame_show_error (GTK_WIDGET (self), _("Sending Stopped"), error);
    }
  else
    {
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "Identifiers sent: %u message",
                                                             "Identifiers sent: %u messages",
                                                             sesame_campaign_sender_get_sent (sender)),
                                                sesame_campaign_sender_get_sent (sender));
      sesame_show_toast (GTK_WIDGET (self), title);
      if (sesame_campaign_sender_get_report_error (sender) != NULL)
        sesame_show_toast (GTK_WIDGET (self), sesame_campaign_sender_get_report_error (sender));
    }

  g_clear_object (&self->sender);
  g_clear_object (&self->send_cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_group), FALSE);
  _sesame_diffusion_page_show_report (self, id);
  _sesame_diffusion_page_load_campaigns (self);
  _sesame_diffusion_page_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), _sesame_diffusion_page_properties[PROP_SENDING]);
  g_object_notify_by_pspec (G_OBJECT (self), _sesame_diffusion_page_properties[PROP_BUSY]);
  /* Those who received it are no longer waiting for their first message. */
  _sesame_diffusion_page_form_changed (self);
}

static void
start_sender (SesameDiffusionPage *self,
              const char          *id)
{
  g_assert (self->sender == NULL);

  self->sender = sesame_campaign_sender_new (self->store, id);
  self->send_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->sender, "notify::sent", G_CALLBACK (_sesame_diffusion_page_update_progress),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sender, "notify::failed", G_CALLBACK (_sesame_diffusion_page_update_progress),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sender, "notify::remaining", G_CALLBACK (_sesame_diffusion_page_update_progress),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sender, "notify::total", G_CALLBACK (_sesame_diffusion_page_update_progress),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sender, "notify::paused", G_CALLBACK (_sesame_diffusion_page_update_progress),
                           self, G_CONNECT_SWAPPED);

  gtk_button_set_label (self->pause_button, _("_Pause"));
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_label_set_label (self->progress_label, _("Connecting to the mail server…"));
  gtk_widget_set_visible (GTK_WIDGET (self->progress_group), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->resume_group), FALSE);
  _sesame_diffusion_page_show_report (self, id);
  /* The progress sits at the top of the page: bring it into view. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0.0);

  sesame_campaign_sender_run_async (self->sender, self->send_cancellable, sender_done, g_object_ref (self));
  _sesame_diffusion_page_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), _sesame_diffusion_page_properties[PROP_SENDING]);
  g_object_notify_by_pspec (G_OBJECT (self), _sesame_diffusion_page_properties[PROP_BUSY]);
}

/* Sending through the server */

static void
remote_progress (const SesameSyncJobProgress *progress,
                 gpointer                     user_data)
{
  SesameDiffusionPage *self = user_data;

  if (self->draft == NULL || !self->remote)
    return;
  if (g_str_equal (progress->phase, "send"))
    {
      self->remote_sent = (guint) MIN (progress->done, G_MAXUINT);
      self->remote_total = (guint) MIN (progress->total, G_MAXUINT);
    }
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 progress->total > 0 ? MIN (1.0, (double) progress->done / progress->total) : 0.0);
  if (g_cancellable_is_cancelled (self->send_cancellable) && progress->state == SESAME_SYNC_JOB_RUNNING)
    {
      g_autofree char *text = g_strdup_printf ("%s\n%s", _("Stopping after the message in progress…"), progress->message);

      gtk_label_set_label (self->progress_label, text);
    }
  else if (progress->message[0] != '\0')
    gtk_label_set_label (self->progress_label, progress->message);
  g_object_notify_by_pspec (G_OBJECT (self), _sesame_diffusion_page_properties[PROP_BUSY]);
}

static void
remote_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SesameDiffusionPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameSyncJobProgress) progress = NULL;
  const char *id = NULL;

  progress = sesame_sync_jobs_run_campaign_finish (SESAME_STORE (object), result, &error);
  self->remote = FALSE;
  /* The page went away meanwhile (the window closed). */
  if (self->draft == NULL)
    return;
  if (progress == NULL)
    {
      if (g_error_matches (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_UNREACHABLE))
        {
          g_autoptr(GError) explained = g_error_new (error->domain, error->code, "%s\n\n%s", error->message,
                                                     _("On a desk, email campaigns are sent by the server: "
                                                       "try again once it answers."));

          sesame_show_error (GTK_WIDGET (self), _("The Server Cannot Be Reached"), explained);
        }
      else
        sesame_show_refusal (GTK_WIDGET (self), self->store, _("The Identifiers Cannot Be Sent"), error);
    }
  else
    {
      id = sesame_sync_job_progress_get_campaign_id (progress);
      if (progress->state == SESAME_SYNC_JOB_DONE)
        {
          g_autoptr(SesameCampaign) campaign = id != NULL ? sesame_campaigns_find (self->store, id, NULL) : NULL;
          guint sent = campaign != NULL ? sesame_campaign_get_counts (campaign)->counts[SESAME_RECIPIENT_SENT] : 0;
          g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                 "Identifiers sent: %u message",
                                                                 "Identifiers sent: %u messages", sent),
                                                    sent);

          sesame_show_toast (GTK_WIDGET (self), title);
        }
      else if (progress->state == SESAME_SYNC_JOB_CANCELLED)
        sesame_show_toast (GTK_WIDGET (self), progress->message);
      else
        {
          g_autoptr(GError) stopped = g_error_new_literal (SESAME_SYNC_JOBS_ERROR, SESAME_SYNC_JOBS_ERROR_FAILED,
                                                           progress->message);

          sesame_show_error (GTK_WIDGET (self), _("Sending Stopped"), stopped);
        }
    }

  g_clear_object (&self->send_cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_group), FALSE);
  if (id != NULL)
    _sesame_diffusion_page_show_report (self, id);
  _sesame_diffusion_page_load_campaigns (self);
  _sesame_diffusion_page_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), _sesame_diffusion_page_properties[PROP_SENDING]);
  g_object_notify_by_pspec (G_OBJECT (self), _sesame_diffusion_page_properties[PROP_BUSY]);
  _sesame_diffusion_page_form_changed (self);
}

/* On a desk joined to a server: the server records (or resumes) the
 * campaign and sends it with its own mail server. */
static void
start_remote (SesameDiffusionPage *self,
              SesameCampaign      *campaign,
              const char          *resume_id)
{
  g_assert (self->sender == NULL && !self->remote);

  self->remote = TRUE;
  self->remote_sent = 0;
  self->remote_total = 0;
  g_clear_object (&self->send_cancellable);
  self->send_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_label_set_label (self->progress_label, _("Sending the campaign to the server…"));
  gtk_widget_set_visible (GTK_WIDGET (self->progress_group), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->resume_group), FALSE);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0.0);

  sesame_sync_jobs_run_campaign_async (self->store, campaign, resume_id, SESAME_SYNC_CAMPAIGN_FLAGS_MAIL_REPORT,
                                       remote_progress, g_object_ref (self), g_object_unref,
                                       self->send_cancellable, remote_done, g_object_ref (self));
  _sesame_diffusion_page_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), _sesame_diffusion_page_properties[PROP_SENDING]);
  g_object_notify_by_pspec (G_OBJECT (self), _sesame_diffusion_page_properties[PROP_BUSY]);
}

static gpointer
create_in_thread (SesameStore   *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  SesameCampaign *campaign = data;

  if (!sesame_campaigns_create (store, campaign, error))
    return NULL;
  return g_strdup (sesame_campaign_get_id (campaign));
}

static void
created (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SesameDiffusionPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = sesame_worker_run_finish (result, &error);

  self->creating = FALSE;
  if (self->draft == NULL)
    return;
  if (id == NULL)
    {
      sesame_show_refusal (GTK_WIDGET (self), self->store, _("The Identifiers Cannot Be Sent"), error);
      _sesame_diffusion_page_update_actions (self);
      return;
    }
  start_sender (self, id);
}

static void
confirmed_send (gpointer user_data)
{
  SesameDiffusionPage *self = user_data;

  if (self->sender != NULL || self->creating || self->remote)
    return;
  if (sesame_sync_desk_is_joined (self->store))
    {
      g_autoptr(SesameCampaign) campaign = _sesame_diffusion_page_copy_draft (self->draft);

      start_remote (self, campaign, NULL);
      return;
    }
  self->creating = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diffusion.send", FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), _sesame_diffusion_page_properties[PROP_BUSY]);
  sesame_worker_run_async (self->store, create_in_thread, _sesame_diffusion_page_copy_draft (self->draft),
                           g_object_unref, g_free, NULL, created, g_object_ref (self));
}

/* The same message sent to the same people a short while ago. */
#define RESEND_WARNING_SECONDS (24 * 3600)

static gboolean
same_strv (const char * const *a,
           const char * const *b)
{
  guint n_a = a ? g_strv_length ((char **) a) : 0;
  guint n_b = b ? g_strv_length ((char **) b) : 0;

  if (n_a != n_b)
    return FALSE;
  for (guint i = 0; i < n_a; i++)
    if (!g_strv_contains (b, a[i]))
      return FALSE;
  return TRUE;
}

static SesameCampaign *
find_recent_same_campaign (SesameDiffusionPage *self,
                           GPtrArray           *campaigns)
{
  gint64 now = sesame_store_now (self->store);

  for (guint i = 0; campaigns != NULL && i < campaigns->len; i++)
    {
      SesameCampaign *campaign = g_ptr_array_index (campaigns, i);
      gint64 when = sesame_campaign_get_started_at (campaign);

      if (when <= 0 || now - when > RESEND_WARNING_SECONDS ||
          sesame_campaign_get_counts (campaign)->counts[SESAME_RECIPIENT_SENT] == 0)
        continue;
      if (sesame_campaign_get_profiles (campaign) == sesame_campaign_get_profiles (self->draft) &&
          same_strv (sesame_campaign_get_classes (campaign), sesame_campaign_get_classes (self->draft)) &&
          g_strcmp0 (sesame_campaign_get_establishment (campaign), sesame_campaign_get_establishment (self->draft)) == 0 &&
          g_strcmp0 (sesame_campaign_get_subject (campaign), sesame_campaign_get_subject (self->draft)) == 0)
        return campaign;
    }
  return NULL;
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SesameDiffusionPage *self = SESAME_DIFFUSION_PAGE (widget);
  g_autoptr(GPtrArray) campaigns = NULL;
  g_autofree char *body = NULL;
  SesameCampaign *previous;

  _sesame_diffusion_page_read_form (self);

  /* Sending the same message again to the same people a little later is
   * nearly always a mistake: say who had it, and when, first. */
  campaigns = sesame_campaigns_list (self->store, NULL);
  previous = find_recent_same_campaign (self, campaigns);
  if (previous != NULL)
    {
      guint sent = sesame_campaign_get_counts (previous)->counts[SESAME_RECIPIENT_SENT];
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (sesame_campaign_get_started_at (previous));
      g_autoptr(GDateTime) local = g_date_time_to_local (utc);
      g_autofree char *when = g_date_time_format (local, _("%-d/%m/%Y at %H:%M"));

      body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The message “%s” was already sent to %u person of this choice on %s. "
                                           "Sending it again sends the identifiers a second time to everyone who "
                                           "has not signed in since.",
                                           "The message “%s” was already sent to %u people of this choice on %s. "
                                           "Sending it again sends the identifiers a second time to everyone who "
                                           "has not signed in since.",
                                           sent),
                              sesame_campaign_get_subject (self->draft), sent, when);
      sesame_confirm (widget, _("Send the Same Message Again?"), body, _("_Send Again"), TRUE,
                      confirmed_send, g_object_ref (self), g_object_unref);
      return;
    }

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The message “%s” will be sent to %u account that never signed in. Sending goes on in the background; you may pause or stop it.",
                                       "The message “%s” will be sent to %u accounts that never signed in. Sending goes on in the background; you may pause or stop it.",
                                       self->with_address),
                          sesame_campaign_get_subject (self->draft), self->with_address);
  sesame_confirm (widget, _("Send the Identifiers?"), body, _("_Send"), FALSE,
                  confirmed_send, g_object_ref (self), g_object_unref);
}

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SesameDiffusionPage *self = SESAME_DIFFUSION_PAGE (widget);
  gboolean paused;

  if (self->sender == NULL)
    return;
  paused = !sesame_campaign_sender_get_paused (self->sender);
  sesame_campaign_sender_set_paused (self->sender, paused);
  gtk_button_set_label (self->pause_button, paused ? _("_Go On") : _("_Pause"));
  _sesame_diffusion_page_update_progress (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SesameDiffusionPage *self = SESAME_DIFFUSION_PAGE (widget);

  if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);
  if (self->remote)
    gtk_label_set_label (self->progress_label, _("Stopping after the message in progress…"));
  _sesame_diffusion_page_update_progress (self);
}

static void
resume_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SesameDiffusionPage *self = SESAME_DIFFUSION_PAGE (widget);

  if (self->sender != NULL || self->remote)
    return;
  if (sesame_sync_desk_is_joined (self->store))
    start_remote (self, NULL, g_variant_get_string (parameter, NULL));
  else
    start_sender (self, g_variant_get_string (parameter, NULL));
}

/* Earlier campaigns */

static GtkWidget *
campaign_row (SesameCampaign *campaign)
{
  const SesameCampaignCounts *c = sesame_campaign_get_counts (campaign);
  g_autofree char *when = sesame_format_date_time (sesame_campaign_get_created_at (campaign));
  g_autofree char *subtitle = NULL;
  g_autofree char *title = g_markup_escape_text (sesame_campaign_get_subject (campaign), -1);
  guint waiting = c->counts[SESAME_RECIPIENT_WAITING] + c->counts[SESAME_RECIPIENT_SENDING];
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button;

  /* TRANSLATORS: date — state — counts of an email campaign */
  subtitle = g_strdup_printf (_("%s — %s — sent %u, failed %u, waiting %u, without an address %u"),
                              when, sesame_campaign_state_to_label (sesame_campaign_get_state (campaign)),
                              c->counts[SESAME_RECIPIENT_SENT], c->counts[SESAME_RECIPIENT_FAILED],
                              waiting, c->counts[SESAME_RECIPIENT_NO_ADDRESS]);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  if (waiting > 0 && sesame_campaign_get_state (campaign) != SESAME_CAMPAIGN_STATE_SENDING)
    {
      button = gtk_button_new_with_mnemonic (_("_Resume"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "diffusion.resume");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                              g_variant_new_string (sesame_campaign_get_id (campaign)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  button = gtk_button_new_with_mnemonic (_("_Report"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "diffusion.show");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                          g_variant_new_string (sesame_campaign_get_id (campaign)));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

void
_sesame_diffusion_page_load_campaigns (SesameDiffusionPage *self)
{
  g_autoptr(GPtrArray) campaigns = NULL;
  GtkWidget *child;
  SesameCampaign *interrupted = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->campaigns_list))) != NULL)
    gtk_list_box_remove (self->campaigns_list, child);

  campaigns = sesame_campaigns_list (self->store, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->campaigns_group), campaigns != NULL && campaigns->len > 0);
  for (guint i = 0; campaigns != NULL && i < campaigns->len; i++)
    {
      SesameCampaign *campaign = g_ptr_array_index (campaigns, i);
      const SesameCampaignCounts *c = sesame_campaign_get_counts (campaign);
      SesameCampaignState state = sesame_campaign_get_state (campaign);

      gtk_list_box_append (self->campaigns_list, campaign_row (campaign));
      if (interrupted == NULL && c->counts[SESAME_RECIPIENT_WAITING] > 0 &&
          (state == SESAME_CAMPAIGN_STATE_INTERRUPTED || state == SESAME_CAMPAIGN_STATE_PAUSED ||
           state == SESAME_CAMPAIGN_STATE_READY))
        interrupted = campaign;
    }

  /* A campaign cut off (the window closed, a crash, the server gone). */
  gtk_widget_set_visible (GTK_WIDGET (self->resume_group), interrupted != NULL && self->sender == NULL && !self->remote);
  if (interrupted != NULL)
    {
      guint waiting = sesame_campaign_get_counts (interrupted)->counts[SESAME_RECIPIENT_WAITING];
      g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "%u message of “%s” was not sent yet.",
                                                                "%u messages of “%s” were not sent yet.",
                                                                waiting),
                                                   waiting, sesame_campaign_get_subject (interrupted));
      g_autofree char *escaped = g_markup_escape_text (subtitle, -1);

      adw_action_row_set_subtitle (self->resume_row, escaped);
      /* The target first: a name without it would not match the
       * action's parameter type. */
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->resume_button),
                                              g_variant_new_string (sesame_campaign_get_id (interrupted)));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->resume_button), "diffusion.resume");
    }
}

/**
 * _sesame_diffusion_page_class_send_init:
 * @klass: the class of the Diffusion page
 *
 * Installs the actions that send a campaign, pause, stop and resume it.
 */
void
_sesame_diffusion_page_class_send_init (SesameDiffusionPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "diffusion.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "diffusion.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "diffusion.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "diffusion.resume", "s", resume_action);
}

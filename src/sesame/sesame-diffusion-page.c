/* sesame-diffusion-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Diffusion": the administrator picks the profiles (and an establishment,
 * classes), writes the subject and some words of their own, sees how many
 * accounts will receive the message and the message itself, then sends
 * it. Sending runs in the background with pause and stop; a campaign cut
 * off (the window closed, a crash) is offered for resuming. At the end,
 * the send report and the accounts without an address export as CSV, and
 * their letters print on paper. On a desk joined to a server, the server
 * records and sends the campaign with its own mail server: the page shows
 * its progress as the server tells it, and Stop stops it there.
 *
 * The count of recipients and the preview are in
 * sesame-diffusion-page-count.c.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-campaign.h"
#include "sesame-campaign-message.h"
#include "sesame-campaign-report.h"
#include "sesame-campaign-sender.h"
#include "sesame-campaigns.h"
#include "sesame-diffusion-page-private.h"
#include "sesame-establishments.h"
#include "sesame-mail-message.h"
#include "sesame-print.h"
#include "sesame-smtp-settings.h"
#include "sesame-sync-client.h"
#include "sesame-sync-desk.h"
#include "sesame-sync-jobs.h"
#include "sesame-ui-util.h"
#include "sesame-worker.h"

G_DEFINE_FINAL_TYPE (SesameDiffusionPage, sesame_diffusion_page, ADW_TYPE_BIN)

GParamSpec *_sesame_diffusion_page_properties[N_PROPS];

/* What the operator chose */

static char *
dup_free_text (SesameDiffusionPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->free_text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The UAI chosen, or NULL for every establishment. */
static const char *
selected_establishment (SesameDiffusionPage *self)
{
  guint selected = adw_combo_row_get_selected (self->establishment_row);

  if (self->establishments == NULL || selected == GTK_INVALID_LIST_POSITION || selected == 0 ||
      selected > self->establishments->len)
    return NULL;
  return g_ptr_array_index (self->establishments, selected - 1);
}

/* Lists the store's establishments, keeping the one chosen if it is still
 * there. */
static void
load_establishments (SesameDiffusionPage *self)
{
  g_autoptr(GPtrArray) list = sesame_establishments_list (self->store, NULL);
  g_autofree char *chosen = g_strdup (selected_establishment (self));
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint position = 0;

  g_clear_pointer (&self->establishments, g_ptr_array_unref);
  self->establishments = g_ptr_array_new_with_free_func (g_free);
  gtk_string_list_append (names, _("All Establishments"));
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      SesameEstablishment *establishment = g_ptr_array_index (list, i);
      g_autofree char *label = NULL;

      /* TRANSLATORS: an establishment and its UAI, e.g. "Collège Les Aravis (0740017S)" */
      label = g_strdup_printf (_("%s (%s)"), establishment->name[0] ? establishment->name : establishment->uai,
                               establishment->uai);
      gtk_string_list_append (names, label);
      g_ptr_array_add (self->establishments, g_strdup (establishment->uai));
      if (g_strcmp0 (chosen, establishment->uai) == 0)
        position = i + 1;
    }
  adw_combo_row_set_model (self->establishment_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->establishment_row, position);
  /* One establishment: nothing to choose. */
  gtk_widget_set_visible (GTK_WIDGET (self->establishment_row), self->establishments->len > 1);
}

void
_sesame_diffusion_page_read_form (SesameDiffusionPage *self)
{
  g_autofree char *free_text = dup_free_text (self);
  g_auto(GStrv) classes = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->classes_row)), ",", -1);
  guint profiles = 0;

  if (gtk_check_button_get_active (self->eleve_check))
    profiles |= SESAME_PROFILE_BIT (SESAME_PROFILE_ELEVE);
  if (gtk_check_button_get_active (self->parent_check))
    profiles |= SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT);
  if (gtk_check_button_get_active (self->autre_check))
    profiles |= SESAME_PROFILE_BIT (SESAME_PROFILE_AUTRE);
  if (gtk_check_button_get_active (self->collectivite_check))
    profiles |= SESAME_PROFILE_BIT (SESAME_PROFILE_COLLECTIVITE);

  sesame_campaign_set_profiles (self->draft, profiles);
  sesame_campaign_set_classes (self->draft, (const char * const *) classes);
  sesame_campaign_set_establishment (self->draft, selected_establishment (self));
  sesame_campaign_set_subject (self->draft, gtk_editable_get_text (GTK_EDITABLE (self->subject_row)));
  sesame_campaign_set_free_text (self->draft, free_text);
}

SesameCampaign *
_sesame_diffusion_page_copy_draft (SesameCampaign *draft)
{
  SesameCampaign *copy = sesame_campaign_new ();

  sesame_campaign_set_profiles (copy, sesame_campaign_get_profiles (draft));
  sesame_campaign_set_classes (copy, sesame_campaign_get_classes (draft));
  sesame_campaign_set_establishment (copy, sesame_campaign_get_establishment (draft));
  sesame_campaign_set_subject (copy, sesame_campaign_get_subject (draft));
  sesame_campaign_set_free_text (copy, sesame_campaign_get_free_text (draft));
  return copy;
}

static void
set_counter (GtkLabel   *label,
             const char *text,
             guint       length,
             guint       maximum)
{
  gtk_label_set_label (label, text);
  if (length > maximum)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}

void
_sesame_diffusion_page_update_counters (SesameDiffusionPage *self)
{
  const char *subject = sesame_campaign_get_subject (self->draft);
  const char *free_text = sesame_campaign_get_free_text (self->draft);
  guint subject_length = g_utf8_strlen (subject, -1);
  guint text_length = g_utf8_strlen (free_text, -1);
  g_autofree char *subject_text = NULL;
  g_autofree char *free_text_text = NULL;

  /* TRANSLATORS: characters typed / allowed in the subject, e.g. "48 / 75" */
  subject_text = g_strdup_printf (_("%u / %u"), subject_length, SESAME_MAIL_SUBJECT_MAX_CHARS);
  set_counter (self->subject_counter, subject_text, subject_length, SESAME_MAIL_SUBJECT_MAX_CHARS);
  /* TRANSLATORS: French: « %u / %u caractères maximum » */
  free_text_text = g_strdup_printf (_("%u / %u characters at most"), text_length, SESAME_MAIL_FREE_TEXT_MAX_CHARS);
  set_counter (self->free_text_counter, free_text_text, text_length, SESAME_MAIL_FREE_TEXT_MAX_CHARS);
}

void
_sesame_diffusion_page_update_actions (SesameDiffusionPage *self)
{
  gboolean admin = self->store != NULL && sesame_store_operator_can (self->store, SESAME_PERMISSION_SEND_MAIL);
  gboolean sending = self->sender != NULL || self->creating || self->remote;
  gboolean valid = sesame_mail_check_subject (sesame_campaign_get_subject (self->draft), NULL) &&
                   sesame_mail_check_free_text (sesame_campaign_get_free_text (self->draft), NULL);
  gboolean has_report = self->campaign_id != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diffusion.send",
                                 admin && !sending && valid && self->smtp_configured && self->counted &&
                                 self->recount_source == 0 && !self->count_failed && self->with_address > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diffusion.pause", self->sender != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diffusion.cancel", self->sender != NULL || self->remote);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diffusion.resume", admin && !sending);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diffusion.export-report", admin && has_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diffusion.export-without-address", admin && has_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diffusion.print-letters", admin && has_report);
}

/* Sending */

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
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->resume_button), "diffusion.resume");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->resume_button),
                                              g_variant_new_string (sesame_campaign_get_id (interrupted)));
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

/* The counts of the send report, from the store or, while sending,
 * from the sender as each message goes. */
void
_sesame_diffusion_page_set_report_counts (SesameDiffusionPage        *self,
                                          const SesameCampaignCounts *c)
{
  g_autofree char *subject = g_markup_escape_text (self->report_subject ? self->report_subject : "", -1);
  g_autofree char *sent = NULL;
  g_autofree char *without = NULL;

  /* TRANSLATORS: the subject of a campaign, then its counts */
  sent = g_strdup_printf (_("“%s”: sent %u, failed %u, interrupted %u, skipped %u, waiting %u"), subject,
                          c->counts[SESAME_RECIPIENT_SENT], c->counts[SESAME_RECIPIENT_FAILED],
                          c->counts[SESAME_RECIPIENT_UNCERTAIN], c->counts[SESAME_RECIPIENT_SKIPPED],
                          c->counts[SESAME_RECIPIENT_WAITING] + c->counts[SESAME_RECIPIENT_SENDING]);
  adw_action_row_set_subtitle (self->report_row, sent);
  without = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u account to reach on paper",
                                          "%u accounts to reach on paper",
                                          c->counts[SESAME_RECIPIENT_NO_ADDRESS]),
                             c->counts[SESAME_RECIPIENT_NO_ADDRESS]);
  adw_action_row_set_subtitle (self->without_row, without);
}

void
_sesame_diffusion_page_show_report (SesameDiffusionPage *self,
                                    const char          *id)
{
  g_autoptr(SesameCampaign) campaign = NULL;

  if (g_strcmp0 (self->campaign_id, id) != 0)
    {
      g_free (self->campaign_id);
      self->campaign_id = g_strdup (id);
      g_object_notify_by_pspec (G_OBJECT (self), _sesame_diffusion_page_properties[PROP_CAMPAIGN_ID]);
    }
  campaign = id ? sesame_campaigns_find (self->store, id, NULL) : NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->report_group), campaign != NULL);
  _sesame_diffusion_page_update_actions (self);
  if (campaign == NULL)
    return;

  g_free (self->report_subject);
  self->report_subject = g_strdup (sesame_campaign_get_subject (campaign));
  /* The campaign being sent: its counts as they stand, not as stored. */
  if (self->sender != NULL && g_strcmp0 (sesame_campaign_sender_get_campaign_id (self->sender), id) == 0)
    _sesame_diffusion_page_update_progress (self);
  else
    _sesame_diffusion_page_set_report_counts (self, sesame_campaign_get_counts (campaign));
}

static void
show_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _sesame_diffusion_page_show_report (SESAME_DIFFUSION_PAGE (widget), g_variant_get_string (parameter, NULL));
}

/* Exports and letters */

typedef struct
{
  char     *id;
  char     *path;
  gboolean  without_address;
} Export;

static void
export_free (gpointer data)
{
  Export *export = data;

  g_free (export->id);
  g_free (export->path);
  g_free (export);
}

static gpointer
export_in_thread (SesameStore   *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Export *export = data;
  gboolean ok;

  ok = export->without_address
    ? sesame_campaign_report_export_without_address (store, export->id, export->path, error)
    : sesame_campaign_report_export (store, export->id, export->path, error);
  return ok ? g_strdup (export->path) : NULL;
}

static void
exported (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SesameDiffusionPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sesame_worker_run_finish (result, &error);
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;

  if (path == NULL)
    {
      sesame_show_error (GTK_WIDGET (self), _("The File Cannot Be Written"), error);
      return;
    }
  name = g_path_get_basename (path);
  title = g_strdup_printf (_("Written to %s"), name);
  sesame_show_toast (GTK_WIDGET (self), title);
}

static void
export_to (SesameDiffusionPage *self,
           const char          *path,
           gboolean             without_address)
{
  Export *export = g_new0 (Export, 1);

  export->id = g_strdup (self->campaign_id);
  export->path = g_strdup (path);
  export->without_address = without_address;
  sesame_worker_run_async (self->store, export_in_thread, export, export_free, g_free,
                           NULL, exported, g_object_ref (self));
}

static void
save_response (GtkNativeDialog     *chooser,
               int                  response,
               SesameDiffusionPage *self)
{
  gboolean without_address = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "without-address"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        export_to (self, path, without_address);
    }
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

static void
export (SesameDiffusionPage *self,
        const char          *path,
        gboolean             without_address)
{
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (self->campaign_id == NULL)
    return;
  /* A path given with the action skips the save dialog (scripts, tests). */
  if (path != NULL && *path != '\0')
    {
      export_to (self, path, without_address);
      return;
    }
  if (self->chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (without_address ? _("Export the Accounts Without an Address")
                                                         : _("Export the Send Report"),
                                         sesame_widget_get_window (GTK_WIDGET (self)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  /* TRANSLATORS: file names, without spaces; %.8s is the campaign */
  name = g_strdup_printf (without_address ? _("without-address-%.8s.csv") : _("send-report-%.8s.csv"),
                          self->campaign_id);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "without-address", GINT_TO_POINTER (without_address));
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (save_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_report_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  export (SESAME_DIFFUSION_PAGE (widget), g_variant_get_string (parameter, NULL), FALSE);
}

static void
export_without_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  export (SESAME_DIFFUSION_PAGE (widget), g_variant_get_string (parameter, NULL), TRUE);
}

static void
print_letters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SesameDiffusionPage *self = SESAME_DIFFUSION_PAGE (widget);
  g_autoptr(SesameLetterQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  char **keys;

  if (self->campaign_id == NULL)
    return;
  keys = sesame_campaign_report_list_keys_without_address (self->store, self->campaign_id, &error);
  if (keys == NULL)
    {
      sesame_show_error (widget, _("The Letters Cannot Be Printed"), error);
      return;
    }
  if (keys[0] == NULL)
    {
      g_strfreev (keys);
      sesame_show_toast (widget, _("Every account of this campaign had an address."));
      return;
    }
  /* Pupils get their slip, everyone else a letter. */
  query = sesame_letter_query_new ();
  query->kind = SESAME_LETTER_KIND_AUTO;
  query->keys = keys;
  sesame_print_letters (widget, self->store, self->settings, query, SESAME_PRINT_MODE_DIALOG);
}

/**
 * _sesame_diffusion_page_class_report_init:
 * @klass: the class of the Diffusion page
 *
 * Installs the actions that show a campaign's report, export it and
 * print the letters of the accounts without an address.
 */
void
_sesame_diffusion_page_class_report_init (SesameDiffusionPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "diffusion.show", "s", show_action);
  gtk_widget_class_install_action (widget_class, "diffusion.export-report", "s", export_report_action);
  gtk_widget_class_install_action (widget_class, "diffusion.export-without-address", "s", export_without_action);
  gtk_widget_class_install_action (widget_class, "diffusion.print-letters", NULL, print_letters_action);
}

/* Proposes the default subject for the establishment chosen, unless the
 * operator wrote their own. */
static void
propose_subject (SesameDiffusionPage *self)
{
  const char *current = gtk_editable_get_text (GTK_EDITABLE (self->subject_row));
  g_autofree char *subject = NULL;

  if (current[0] != '\0' && g_strcmp0 (current, self->default_subject) != 0)
    return;
  subject = sesame_campaign_message_dup_default_subject (self->store, self->draft);
  g_free (self->default_subject);
  self->default_subject = g_strdup (subject);
  gtk_editable_set_text (GTK_EDITABLE (self->subject_row), subject);
}

static void
establishment_changed (SesameDiffusionPage *self)
{
  if (self->store == NULL)
    return;
  _sesame_diffusion_page_read_form (self);
  propose_subject (self);
  _sesame_diffusion_page_form_changed (self);
}

/**
 * sesame_diffusion_page_reload:
 * @self: a #SesameDiffusionPage
 *
 * Reads the operator's permission, the mail settings, the campaigns and
 * the count of recipients again.
 */
void
sesame_diffusion_page_reload (SesameDiffusionPage *self)
{
  g_autoptr(SesameSmtpSettings) settings = NULL;
  gboolean admin;

  g_return_if_fail (SESAME_IS_DIFFUSION_PAGE (self));

  if (self->store == NULL)
    return;

  admin = sesame_store_operator_can (self->store, SESAME_PERMISSION_SEND_MAIL);
  gtk_stack_set_visible_child_name (self->content_stack, admin ? "main" : "denied");
  if (!admin)
    {
      _sesame_diffusion_page_update_actions (self);
      return;
    }

  settings = sesame_smtp_settings_load (self->store, NULL);
  self->smtp_configured = sesame_sync_desk_is_joined (self->store) ||
                          (settings != NULL && sesame_smtp_settings_is_configured (settings));
  _sesame_diffusion_page_set_count_problem (self, NULL);

  load_establishments (self);
  _sesame_diffusion_page_read_form (self);
  propose_subject (self);

  _sesame_diffusion_page_load_campaigns (self);
  _sesame_diffusion_page_form_changed (self);
}

static void
sesame_diffusion_page_dispose (GObject *object)
{
  SesameDiffusionPage *self = (SesameDiffusionPage *) object;

  g_clear_handle_id (&self->recount_source, g_source_remove);
  if (self->count_cancellable != NULL)
    g_cancellable_cancel (self->count_cancellable);
  /* A campaign being sent stops between two messages; it resumes later. */
  if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->draft);
  g_clear_object (&self->sender);
  g_clear_object (&self->count_cancellable);
  g_clear_object (&self->send_cancellable);

  G_OBJECT_CLASS (sesame_diffusion_page_parent_class)->dispose (object);
}

static void
sesame_diffusion_page_finalize (GObject *object)
{
  SesameDiffusionPage *self = (SesameDiffusionPage *) object;

  g_clear_pointer (&self->campaign_id, g_free);
  g_clear_pointer (&self->establishments, g_ptr_array_unref);
  g_clear_pointer (&self->default_subject, g_free);
  g_clear_pointer (&self->count_problem, g_free);
  g_clear_pointer (&self->report_subject, g_free);

  G_OBJECT_CLASS (sesame_diffusion_page_parent_class)->finalize (object);
}

static void
sesame_diffusion_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SesameDiffusionPage *self = SESAME_DIFFUSION_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, sesame_diffusion_page_get_busy (self));
      break;
    case PROP_SENDING:
      g_value_set_boolean (value, self->sender != NULL || self->remote);
      break;
    case PROP_CAMPAIGN_ID:
      g_value_set_string (value, self->campaign_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A setting changed in the Preferences, on this desk: the mail server,
 * the ENT's name and address in the message, all read again at once. */
static void
setting_changed_cb (SesameDiffusionPage *self,
                    const char          *key)
{
  g_autoptr(SesameSmtpSettings) settings = NULL;

  if (self->store == NULL || !sesame_store_operator_can (self->store, SESAME_PERMISSION_SEND_MAIL))
    return;
  settings = sesame_smtp_settings_load (self->store, NULL);
  self->smtp_configured = sesame_sync_desk_is_joined (self->store) ||
                          (settings != NULL && sesame_smtp_settings_is_configured (settings));
  _sesame_diffusion_page_set_count_problem (self, NULL);
  _sesame_diffusion_page_form_changed (self);
}

static void
sesame_diffusion_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SesameDiffusionPage *self = SESAME_DIFFUSION_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      if (g_set_object (&self->store, g_value_get_object (value)))
        {
          if (self->store != NULL)
            {
              g_signal_connect_object (self->store, "notify::operator",
                                       G_CALLBACK (sesame_diffusion_page_reload), self, G_CONNECT_SWAPPED);
              g_signal_connect_object (self->store, "setting-changed",
                                       G_CALLBACK (setting_changed_cb), self, G_CONNECT_SWAPPED);
              sesame_diffusion_page_reload (self);
            }
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SETTINGS:
      if (g_set_object (&self->settings, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_diffusion_page_class_init (SesameDiffusionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_diffusion_page_dispose;
  object_class->finalize = sesame_diffusion_page_finalize;
  object_class->get_property = sesame_diffusion_page_get_property;
  object_class->set_property = sesame_diffusion_page_set_property;

  _sesame_diffusion_page_properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SESAME_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SesameDiffusionPage:settings:
   *
   * The desk's settings, where printing keeps the printer and page setup.
   */
  _sesame_diffusion_page_properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SesameDiffusionPage:busy:
   *
   * Whether recipients are being counted or messages sent.
   */
  _sesame_diffusion_page_properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _sesame_diffusion_page_properties[PROP_SENDING] =
    g_param_spec_boolean ("sending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SesameDiffusionPage:campaign-id:
   *
   * The campaign whose report the page shows, the last one sent by default.
   */
  _sesame_diffusion_page_properties[PROP_CAMPAIGN_ID] =
    g_param_spec_string ("campaign-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, _sesame_diffusion_page_properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-diffusion-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, resume_group);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, resume_row);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, resume_button);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, eleve_check);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, parent_check);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, autre_check);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, collectivite_check);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, classes_row);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, subject_row);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, establishment_row);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, subject_counter);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, free_text_view);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, free_text_counter);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, preview_label);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, send_button);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, progress_group);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, report_group);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, report_row);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, without_row);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, campaigns_group);
  gtk_widget_class_bind_template_child (widget_class, SesameDiffusionPage, campaigns_list);

  _sesame_diffusion_page_class_send_init (klass);
  _sesame_diffusion_page_class_report_init (klass);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "diffusion.send", NULL);
}

static void
sesame_diffusion_page_init (SesameDiffusionPage *self)
{
  GtkCheckButton *checks[4];

  gtk_widget_init_template (GTK_WIDGET (self));
  self->draft = sesame_campaign_new ();

  checks[0] = self->eleve_check;
  checks[1] = self->parent_check;
  checks[2] = self->autre_check;
  checks[3] = self->collectivite_check;
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    g_signal_connect_object (checks[i], "toggled", G_CALLBACK (_sesame_diffusion_page_form_changed),
                             self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->classes_row, "changed", G_CALLBACK (_sesame_diffusion_page_form_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->establishment_row, "notify::selected", G_CALLBACK (establishment_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->subject_row, "changed", G_CALLBACK (_sesame_diffusion_page_form_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->free_text_view), "changed",
                           G_CALLBACK (_sesame_diffusion_page_form_changed), self, G_CONNECT_SWAPPED);

  _sesame_diffusion_page_update_counters (self);
  _sesame_diffusion_page_update_actions (self);
}

/**
 * sesame_diffusion_page_new:
 * @store: the store to send from
 *
 * Returns: (transfer floating): a new page
 */
GtkWidget *
sesame_diffusion_page_new (SesameStore *store)
{
  return g_object_new (SESAME_TYPE_DIFFUSION_PAGE, "store", store, NULL);
}

/**
 * sesame_diffusion_page_get_busy:
 * @self: a #SesameDiffusionPage
 *
 * Returns: whether recipients are being counted or messages sent
 */
gboolean
sesame_diffusion_page_get_busy (SesameDiffusionPage *self)
{
  g_return_val_if_fail (SESAME_IS_DIFFUSION_PAGE (self), FALSE);
  return self->recount_source != 0 || self->count_cancellable != NULL || self->sender != NULL ||
         self->creating || self->remote;
}

gboolean
sesame_diffusion_page_get_sending (SesameDiffusionPage *self)
{
  g_return_val_if_fail (SESAME_IS_DIFFUSION_PAGE (self), FALSE);
  return self->sender != NULL || self->remote;
}

/**
 * sesame_diffusion_page_get_progress:
 * @self: a #SesameDiffusionPage
 * @sent: (out) (optional): messages sent so far
 * @total: (out) (optional): messages of the campaign
 * @paused: (out) (optional): whether the operator paused the sending
 *
 * Returns: whether a campaign is being sent (running or paused)
 */
gboolean
sesame_diffusion_page_get_progress (SesameDiffusionPage *self,
                                    guint               *sent,
                                    guint               *total,
                                    gboolean            *paused)
{
  g_return_val_if_fail (SESAME_IS_DIFFUSION_PAGE (self), FALSE);

  if (sent != NULL)
    *sent = self->sender ? sesame_campaign_sender_get_sent (self->sender) : self->remote ? self->remote_sent : 0;
  if (total != NULL)
    *total = self->sender ? sesame_campaign_sender_get_total (self->sender) : self->remote ? self->remote_total : 0;
  if (paused != NULL)
    *paused = self->sender != NULL && sesame_campaign_sender_get_paused (self->sender);
  return self->sender != NULL || self->remote;
}

/**
 * sesame_diffusion_page_get_recipients:
 * @self: a #SesameDiffusionPage
 * @with_address: (out) (optional): accounts that will receive the message
 * @without_address: (out) (optional): accounts without an address
 *
 * The last count of the chosen target.
 */
void
sesame_diffusion_page_get_recipients (SesameDiffusionPage *self,
                                      guint               *with_address,
                                      guint               *without_address)
{
  g_return_if_fail (SESAME_IS_DIFFUSION_PAGE (self));
  if (with_address != NULL)
    *with_address = self->with_address;
  if (without_address != NULL)
    *without_address = self->without_address;
}

const char *
sesame_diffusion_page_get_campaign_id (SesameDiffusionPage *self)
{
  g_return_val_if_fail (SESAME_IS_DIFFUSION_PAGE (self), NULL);
  return self->campaign_id;
}

/* sesame-diffusion-page-count.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Diffusion page counts the accounts the chosen message will reach
 * and shows the message as the first of them will read it. Counting reads
 * the store, so it runs off the main thread, a moment after the operator
 * stops typing; a newer count cancels the one under way. What stands in
 * the way of sending (a subject too long, no mail server, a count that
 * failed) is said above the Send button.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-campaign.h"
#include "sesame-campaign-message.h"
#include "sesame-campaigns.h"
#include "sesame-diffusion-page-private.h"
#include "sesame-mail-message.h"
#include "sesame-worker.h"

#define RECOUNT_DELAY_MS 300

typedef struct
{
  guint  with_address;
  guint  without_address;
  char  *to;
  char  *preview;
  char  *problem;
} Count;

static void
count_free (gpointer data)
{
  Count *count = data;

  /* A count that failed or was cancelled has no result to free. */
  if (count == NULL)
    return;
  g_free (count->to);
  g_free (count->preview);
  g_free (count->problem);
  g_free (count);
}

static gpointer
count_in_thread (SesameStore   *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  SesameCampaign *campaign = data;
  Count *count = g_new0 (Count, 1);
  g_autoptr(GError) local_error = NULL;

  if (sesame_campaign_get_profiles (campaign) == 0)
    return count;
  if (!sesame_campaigns_count (store, campaign, &count->with_address, &count->without_address, &local_error))
    {
      count->problem = g_strdup (local_error->message);
      return count;
    }
  count->preview = sesame_campaign_message_preview (store, campaign, &count->to, &local_error);
  if (count->preview == NULL && !g_error_matches (local_error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND))
    count->problem = g_strdup (local_error->message);
  return count;
}

/* What stands in the way of sending, if anything, said just above the
 * button it disables: a subject or a text too long first, since the
 * operator is typing it. */
static void
update_problem (SesameDiffusionPage *self)
{
  g_autoptr(GError) form_error = NULL;
  const char *problem = NULL;

  if (!sesame_mail_check_subject (sesame_campaign_get_subject (self->draft), &form_error) ||
      !sesame_mail_check_free_text (sesame_campaign_get_free_text (self->draft), &form_error))
    problem = form_error->message;
  else if (self->count_problem != NULL)
    problem = self->count_problem;
  else if (!self->smtp_configured)
    problem = _("No mail server is set up: fill in the Email part of the Preferences before sending.");
  gtk_label_set_label (self->problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
}

void
_sesame_diffusion_page_set_count_problem (SesameDiffusionPage *self,
                                          const char          *problem)
{
  g_free (self->count_problem);
  self->count_problem = g_strdup (problem);
  update_problem (self);
}

static void
counted (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SesameDiffusionPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *preview = NULL;
  Count *count;

  count = sesame_worker_run_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->draft == NULL)
    {
      if (count != NULL)
        count_free (count);
      return;
    }
  g_clear_object (&self->count_cancellable);

  self->counted = TRUE;
  self->count_failed = count == NULL || count->problem != NULL;
  self->with_address = count ? count->with_address : 0;
  self->without_address = count ? count->without_address : 0;

  if (sesame_campaign_get_profiles (self->draft) == 0)
    summary = g_strdup (_("Choose whom to send the identifiers to."));
  else
    {
      g_autofree char *with = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u account will receive the message",
                                                            "%u accounts will receive the message",
                                                            self->with_address),
                                               self->with_address);
      g_autofree char *without = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u has no address and will need a paper letter",
                                                               "%u have no address and will need a paper letter",
                                                               self->without_address),
                                                  self->without_address);
      /* TRANSLATORS: "12 accounts will receive the message; 3 have no address…" */
      summary = g_strdup_printf (_("%s; %s."), with, without);
    }
  gtk_label_set_label (self->summary_label, summary);

  if (count != NULL && count->preview != NULL)
    {
      /* TRANSLATORS: the head of the preview; the recipient, then the subject */
      preview = g_strdup_printf (_("To: %s\nSubject: %s\n\n%s"), count->to,
                                 sesame_campaign_get_subject (self->draft), count->preview);
      gtk_label_set_label (self->preview_label, preview);
    }
  else
    gtk_label_set_label (self->preview_label,
                         _("The message appears here once an account of the chosen profiles has an address."));

  _sesame_diffusion_page_set_count_problem (self,
                                            count && count->problem ? count->problem : error ? error->message : NULL);
  count_free (count);
  _sesame_diffusion_page_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), _sesame_diffusion_page_properties[PROP_BUSY]);
}

static gboolean
recount (gpointer user_data)
{
  SesameDiffusionPage *self = user_data;

  self->recount_source = 0;
  if (self->store == NULL)
    return G_SOURCE_REMOVE;

  if (self->count_cancellable != NULL)
    g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  self->count_cancellable = g_cancellable_new ();
  sesame_worker_run_async (self->store, count_in_thread, _sesame_diffusion_page_copy_draft (self->draft),
                           g_object_unref, count_free, self->count_cancellable, counted, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

void
_sesame_diffusion_page_form_changed (SesameDiffusionPage *self)
{
  _sesame_diffusion_page_read_form (self);
  _sesame_diffusion_page_update_counters (self);
  update_problem (self);
  _sesame_diffusion_page_update_actions (self);
  g_clear_handle_id (&self->recount_source, g_source_remove);
  self->recount_source = g_timeout_add (RECOUNT_DELAY_MS, recount, self);
  g_object_notify_by_pspec (G_OBJECT (self), _sesame_diffusion_page_properties[PROP_BUSY]);
}


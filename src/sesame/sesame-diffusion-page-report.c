/* sesame-diffusion-page-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The end of a campaign on the Diffusion page: its report (how many
 * messages were sent, failed, interrupted, skipped or are waiting, and
 * how many accounts have no address), shown for the campaign just sent or
 * one picked among the earlier ones. The report and the accounts without
 * an address export as CSV, off the main thread; those accounts' letters
 * print on paper.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-campaign.h"
#include "sesame-campaign-report.h"
#include "sesame-campaign-sender.h"
#include "sesame-campaigns.h"
#include "sesame-diffusion-page-private.h"
#include "sesame-print.h"
#include "sesame-ui-util.h"
#include "sesame-worker.h"

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

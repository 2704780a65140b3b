/* sesame-import-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Imports the directory: the choice of files, a progress bar with the
 * records read and a cancel button, then the summary with its warnings.
 * The import runs in the core's thread; the window stays responsive. When
 * the core stops an import that would mark too many people as having left,
 * a confirmation names them, and the import runs again if they did leave.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <glib/gstdio.h>

#include "sesame-demo-directory.h"
#include "sesame-import-view.h"
#include "sesame-ui-util.h"

#define MAX_WARNINGS_SHOWN 500

struct _SesameImportView
{
  AdwBin           parent_instance;

  /* Template widgets */
  GtkStack        *stack;
  AdwStatusPage   *choose_page;
  GtkButton       *demo_button;
  AdwStatusPage   *progress_page;
  GtkProgressBar  *progress_bar;
  GtkLabel        *summary_label;
  GtkListBox      *warnings_list;
  AdwExpanderRow  *warnings_row;
  GtkButton       *continue_button;

  /* Owned references */
  SesameStore     *store;
  GCancellable    *cancellable;
  GPtrArray       *warning_rows;
  GPtrArray       *warnings;      /* of the last summary, to copy or save */
  GtkNativeDialog *saver;
  GtkNativeDialog *chooser;
  char            *demo_folder;   /* written for a trial, removed once imported */
  char           **paths;         /* of the import running or to confirm */
  AdwMessageDialog *confirmation; /* borrowed: the departures to confirm */

  guint            demo_store : 1; /* the store is the one for trying a demo */
};

G_DEFINE_FINAL_TYPE (SesameImportView, sesame_import_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_STATE,
  PROP_OFFER_DEMO,
  PROP_DEMO_STORE,
  N_PROPS
};

enum {
  IMPORTED,
  DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_state (SesameImportView *self,
           const char       *state)
{
  gboolean idle = !g_str_equal (state, "progress");

  gtk_stack_set_visible_child_name (self->stack, state);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.choose-files", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.choose-folder", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.demo", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.cancel", !idle);
  /* Going on is for after a summary, not before an import. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.continue", g_str_equal (state, "summary"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.copy-warnings",
                                 g_str_equal (state, "summary") && self->warnings->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.save-warnings",
                                 g_str_equal (state, "summary") && self->warnings->len > 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

const char *
sesame_import_view_get_state (SesameImportView *self)
{
  g_return_val_if_fail (SESAME_IS_IMPORT_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

static void
progress_cb (guint64  records,
             guint64  bytes_read,
             guint64  bytes_total,
             gpointer user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(SesameImportView) self = g_weak_ref_get (ref);
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;

  if (self == NULL)
    return;

  if (bytes_total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, MIN (1.0, (double) bytes_read / (double) bytes_total));
  else
    gtk_progress_bar_pulse (self->progress_bar);

  count = g_strdup_printf ("%'" G_GUINT64_FORMAT, records);
  /* Translators: %s is a number of directory records, e.g. "12,345" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s record read", "%s records read",
                                       (gulong) MIN (records, G_MAXULONG)),
                          count);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
clear_warnings (SesameImportView *self)
{
  for (guint i = 0; i < self->warning_rows->len; i++)
    adw_expander_row_remove (self->warnings_row, g_ptr_array_index (self->warning_rows, i));
  g_ptr_array_set_size (self->warning_rows, 0);
}

static void
show_summary (SesameImportView          *self,
              const SesameImportSummary *summary)
{
  g_autofree char *description = sesame_import_summary_describe (summary);
  guint n_warnings = summary->warnings ? summary->warnings->len : 0;

  gtk_label_set_label (self->summary_label, description);

  g_ptr_array_set_size (self->warnings, 0);
  for (guint i = 0; i < n_warnings; i++)
    g_ptr_array_add (self->warnings, g_strdup (g_ptr_array_index (summary->warnings, i)));
  clear_warnings (self);
  gtk_widget_set_visible (GTK_WIDGET (self->warnings_list), n_warnings > 0);
  if (n_warnings > 0)
    {
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u warning", "%'u warnings", n_warnings),
                                                n_warnings);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->warnings_row), title);
      adw_expander_row_set_subtitle (self->warnings_row,
                                     _("The import went through; these records were read with care or skipped. "
                                       "Copy or save the list to send it to whoever exports the directory."));
      for (guint i = 0; i < MIN (n_warnings, MAX_WARNINGS_SHOWN); i++)
        {
          GtkWidget *label = gtk_label_new (g_ptr_array_index (summary->warnings, i));

          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_label_set_selectable (GTK_LABEL (label), TRUE);
          gtk_widget_set_margin_start (label, 12);
          gtk_widget_set_margin_end (label, 12);
          gtk_widget_set_margin_top (label, 6);
          gtk_widget_set_margin_bottom (label, 6);
          adw_expander_row_add_row (self->warnings_row, label);
          g_ptr_array_add (self->warning_rows, label);
        }
      if (n_warnings > MAX_WARNINGS_SHOWN)
        {
          g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "… and %'u more: copy or save the list to read them all.",
                                                                     "… and %'u more: copy or save the list to read them all.",
                                                                     n_warnings - MAX_WARNINGS_SHOWN),
                                                        n_warnings - MAX_WARNINGS_SHOWN);
          GtkWidget *label = gtk_label_new (more);

          gtk_widget_set_margin_top (label, 6);
          gtk_widget_set_margin_bottom (label, 6);
          adw_expander_row_add_row (self->warnings_row, label);
          g_ptr_array_add (self->warning_rows, label);
        }
    }

  set_state (self, "summary");
  /* Enter goes on. */
  gtk_widget_grab_focus (GTK_WIDGET (self->continue_button));
}

static void
remove_demo_folder (SesameImportView *self)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (self->demo_folder == NULL)
    return;
  dir = g_dir_open (self->demo_folder, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->demo_folder, name, NULL);
      g_remove (path);
    }
  g_rmdir (self->demo_folder);
  g_clear_pointer (&self->demo_folder, g_free);
}

static void start_import (SesameImportView  *self,
                          SesameImportFlags  flags);

static void
confirmation_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          SesameImportView *self)
{
  self->confirmation = NULL;
  if (g_str_equal (response, "accept") && self->paths != NULL)
    {
      start_import (self, SESAME_IMPORT_FLAGS_ACCEPT_DEPARTURES);
      return;
    }
  g_clear_pointer (&self->paths, g_strfreev);
  remove_demo_folder (self);
  sesame_show_toast (GTK_WIDGET (self), _("Import cancelled: nothing was changed"));
}

/* The core named the establishments and the counts: the operator decides. */
static void
confirm_departures (SesameImportView *self,
                    const GError     *error)
{
  g_autofree char *body = g_strdup_printf ("%s\n\n%s", error->message,
                                           _("Their accounts will be disabled. Anyone a later import lists again "
                                             "gets their account back as it was."));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (sesame_widget_get_window (GTK_WIDGET (self)),
                                   _("Mark These People as Having Left?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "accept", _("_Mark as Having Left"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "accept", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirmation_response_cb), self, 0);
  self->confirmation = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SesameImportView) self = user_data;
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  summary = sesame_import_run_finish (SESAME_STORE (object), result, &error);
  g_clear_object (&self->cancellable);

  if (summary == NULL)
    {
      set_state (self, "choose");
      if (g_error_matches (error, SESAME_IMPORT_ERROR, SESAME_IMPORT_ERROR_DEPARTURES))
        {
          confirm_departures (self, error);
          return;
        }
      g_clear_pointer (&self->paths, g_strfreev);
      remove_demo_folder (self);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, SESAME_ERROR, SESAME_ERROR_CANCELLED))
        sesame_show_toast (GTK_WIDGET (self), _("Import cancelled: nothing was changed"));
      else
        sesame_show_error (GTK_WIDGET (self), _("The Directory Could Not Be Imported"), error);
      return;
    }

  g_clear_pointer (&self->paths, g_strfreev);
  remove_demo_folder (self);
  show_summary (self, summary);
  g_signal_emit (self, signals[IMPORTED], 0, summary);
}

/* On a desk joined to a server: what the server says of its import. */
static void
server_progress_cb (const SesameSyncJobProgress *progress,
                    gpointer                     user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(SesameImportView) self = g_weak_ref_get (ref);
  g_autofree char *text = NULL;

  if (self == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  if (progress->total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, MIN (1.0, (double) progress->done / (double) progress->total));
  else
    gtk_progress_bar_pulse (self->progress_bar);
  if (g_str_equal (progress->phase, "upload"))
    text = g_strdup (_("Sending the files to the server…"));
  else if (g_str_equal (progress->phase, "sync") || g_str_equal (progress->phase, "waiting"))
    text = g_strdup (progress->message);
  else
    /* Translators: %s is what the server says, e.g. "1200 records read" */
    text = g_strdup_printf (_("Importing on the server: %s"), progress->message);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
server_import_done (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SesameImportView) self = user_data;
  g_autoptr(SesameSyncJobProgress) progress = NULL;
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  progress = sesame_sync_jobs_run_import_finish (SESAME_STORE (object), result, &error);
  g_clear_object (&self->cancellable);
  if (progress != NULL)
    summary = sesame_sync_job_progress_dup_import_summary (progress);
  if (summary == NULL)
    {
      set_state (self, "choose");
      if (g_error_matches (error, SESAME_SYNC_JOBS_ERROR, SESAME_SYNC_JOBS_ERROR_DEPARTURES))
        {
          confirm_departures (self, error);
          return;
        }
      g_clear_pointer (&self->paths, g_strfreev);
      remove_demo_folder (self);
      if (g_error_matches (error, SESAME_SYNC_JOBS_ERROR, SESAME_SYNC_JOBS_ERROR_CANCELLED))
        sesame_show_toast (GTK_WIDGET (self), _("Import cancelled: nothing was changed"));
      else if (g_error_matches (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_UNREACHABLE))
        {
          g_autoptr(GError) explained = NULL;

          explained = g_error_new (error->domain, error->code, "%s\n\n%s", error->message,
                                   _("On a desk, imports and email campaigns run on the server: try again once it "
                                     "answers. Everything else works without it."));
          sesame_show_error (GTK_WIDGET (self), _("The Server Cannot Be Reached"), explained);
        }
      else
        sesame_show_error (GTK_WIDGET (self), _("The Directory Could Not Be Imported"), error);
      return;
    }

  g_clear_pointer (&self->paths, g_strfreev);
  remove_demo_folder (self);
  show_summary (self, summary);
  g_signal_emit (self, signals[IMPORTED], 0, summary);
}

static void
start_import (SesameImportView  *self,
              SesameImportFlags  flags)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Reading the files…"));
  set_state (self, "progress");

  /* Directory data is the server's: a joined desk sends its files there. */
  if (sesame_sync_desk_is_joined (self->store))
    {
      gtk_progress_bar_set_text (self->progress_bar, _("Sending the files to the server…"));
      sesame_sync_jobs_run_import_async (self->store, (const char * const *) self->paths, NULL, flags,
                                         server_progress_cb, ref, weak_ref_free,
                                         self->cancellable, server_import_done, g_object_ref (self));
      return;
    }

  sesame_import_run_async (self->store, (const char * const *) self->paths, NULL, flags,
                           progress_cb, ref, weak_ref_free,
                           self->cancellable, import_done, g_object_ref (self));
}

/**
 * sesame_import_view_import_paths:
 * @self: a #SesameImportView
 * @paths: AAF files or folders
 *
 * Imports @paths, showing the progress and then the summary. If the import
 * would mark too many people as having left, a confirmation asks first.
 */
void
sesame_import_view_import_paths (SesameImportView   *self,
                                 const char * const *paths)
{
  g_return_if_fail (SESAME_IS_IMPORT_VIEW (self));
  g_return_if_fail (self->store != NULL);
  g_return_if_fail (paths != NULL && paths[0] != NULL);
  g_return_if_fail (self->cancellable == NULL);

  if (self->confirmation != NULL)
    gtk_window_close (GTK_WINDOW (self->confirmation));
  g_strfreev (self->paths);
  self->paths = g_strdupv ((char **) paths);
  start_import (self, SESAME_IMPORT_FLAGS_NONE);
}

static void
chooser_response_cb (GtkNativeDialog  *chooser,
                     int               response,
                     SesameImportView *self)
{
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) paths = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    goto out;

  builder = g_strv_builder_new ();
  files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        g_strv_builder_add (builder, path);
    }
  paths = g_strv_builder_end (builder);
  if (paths[0] != NULL)
    sesame_import_view_import_paths (self, (const char * const *) paths);

out:
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

static void
choose (SesameImportView     *self,
        GtkFileChooserAction  action)
{
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;

  if (action == GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER)
    chooser = gtk_file_chooser_native_new (_("Choose the Folder of the Directory Files"),
                                           sesame_widget_get_window (GTK_WIDGET (self)),
                                           action, _("_Import"), _("_Cancel"));
  else
    {
      g_autoptr(GtkFileFilter) xml = gtk_file_filter_new ();
      g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

      chooser = gtk_file_chooser_native_new (_("Choose the Directory Files"),
                                             sesame_widget_get_window (GTK_WIDGET (self)),
                                             action, _("_Import"), _("_Cancel"));
      gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
      gtk_file_filter_set_name (xml, _("Directory files (AAF, XML)"));
      gtk_file_filter_add_pattern (xml, "*.xml");
      gtk_file_filter_add_pattern (xml, "*.XML");
      gtk_file_filter_add_mime_type (xml, "application/xml");
      gtk_file_filter_set_name (all, _("All files"));
      gtk_file_filter_add_pattern (all, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), xml);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
    }

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
choose_files_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  choose (SESAME_IMPORT_VIEW (widget), GTK_FILE_CHOOSER_ACTION_OPEN);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  choose (SESAME_IMPORT_VIEW (widget), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
}

static void
write_demo_in_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("sesame-demo-XXXXXX", &error);

  /* Two establishments, 600 pupils: enough to try every page. */
  if (folder == NULL || !sesame_demo_directory_write (folder, 2, 600, 1, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&folder), g_free);
}

static void
demo_written (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SesameImportView) self = user_data;
  g_autoptr(GError) error = NULL;
  char *folder = g_task_propagate_pointer (G_TASK (result), &error);
  const char *paths[2] = { folder, NULL };

  g_clear_object (&self->cancellable);
  if (folder == NULL)
    {
      set_state (self, "choose");
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sesame_show_error (GTK_WIDGET (self), _("The Demo Directory Could Not Be Written"), error);
      return;
    }
  self->demo_folder = folder;
  sesame_import_view_import_paths (self, paths);
}

static void
demo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SesameImportView *self = SESAME_IMPORT_VIEW (widget);
  g_autoptr(GTask) task = NULL;

  if (self->cancellable != NULL)
    return;

  /* Never into the real store: the application opens a demo store of its
   * own, marked as such, and imports the demo directory there. */
  if (!self->demo_store)
    {
      gtk_widget_activate_action (widget, "app.try-demo", NULL);
      return;
    }

  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Writing a demo directory…"));
  set_state (self, "progress");

  task = g_task_new (NULL, self->cancellable, demo_written, g_object_ref (self));
  g_task_set_source_tag (task, demo_action);
  g_task_run_in_thread (task, write_demo_in_thread);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SesameImportView *self = SESAME_IMPORT_VIEW (widget);

  if (self->cancellable != NULL)
    {
      gtk_progress_bar_set_text (self->progress_bar, _("Cancelling…"));
      g_cancellable_cancel (self->cancellable);
    }
}

/* The warnings of the last summary, one a line, as a text file holds them. */
static char *
warnings_text (SesameImportView *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < self->warnings->len; i++)
    {
      g_string_append (text, g_ptr_array_index (self->warnings, i));
      g_string_append_c (text, '\n');
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
copy_warnings_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SesameImportView *self = SESAME_IMPORT_VIEW (widget);
  g_autofree char *text = warnings_text (self);
  g_autofree char *toast = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u warning copied",
                                                         "%'u warnings copied", self->warnings->len),
                                            self->warnings->len);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  sesame_show_toast (widget, toast);
}

/**
 * sesame_import_view_save_warnings:
 * @self: a #SesameImportView
 * @file: where to write
 * @error: return location for a #GError
 *
 * Writes the warnings of the last summary to @file, one a line.
 *
 * Returns: whether the file was written
 */
gboolean
sesame_import_view_save_warnings (SesameImportView  *self,
                                  GFile             *file,
                                  GError           **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (SESAME_IS_IMPORT_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  text = warnings_text (self);
  return g_file_replace_contents (file, text, strlen (text), NULL, FALSE, G_FILE_CREATE_NONE,
                                  NULL, NULL, error);
}

static void
saver_response_cb (GtkNativeDialog  *saver,
                   int               response,
                   SesameImportView *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (saver));
  gtk_native_dialog_destroy (saver);
  g_clear_object (&self->saver);
  if (file == NULL)
    return;
  if (!sesame_import_view_save_warnings (self, file, &error))
    sesame_show_error (GTK_WIDGET (self), _("The Warnings Were Not Saved"), error);
  else
    {
      g_autofree char *name = g_file_get_basename (file);
      /* TRANSLATORS: %s is a file name */
      g_autofree char *toast = g_strdup_printf (_("Warnings saved in “%s”"), name);

      sesame_show_toast (GTK_WIDGET (self), toast);
    }
}

static void
save_warnings_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SesameImportView *self = SESAME_IMPORT_VIEW (widget);
  GtkFileChooserNative *saver;

  if (self->saver != NULL)
    return;
  saver = gtk_file_chooser_native_new (_("Save the Import Warnings"),
                                       sesame_widget_get_window (widget),
                                       GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  /* TRANSLATORS: the name offered for the file of the import warnings */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (saver), _("import-warnings.txt"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (saver), TRUE);
  self->saver = GTK_NATIVE_DIALOG (saver);
  g_signal_connect_object (saver, "response", G_CALLBACK (saver_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (saver));
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  g_signal_emit (widget, signals[DONE], 0);
}

/**
 * sesame_import_view_reset:
 * @self: a #SesameImportView
 *
 * Goes back to the choice of files.
 */
void
sesame_import_view_reset (SesameImportView *self)
{
  g_return_if_fail (SESAME_IS_IMPORT_VIEW (self));

  if (self->cancellable == NULL)
    set_state (self, "choose");
}

void
sesame_import_view_set_store (SesameImportView *self,
                              SesameStore      *store)
{
  g_return_if_fail (SESAME_IS_IMPORT_VIEW (self));
  g_return_if_fail (SESAME_IS_STORE (store));

  g_set_object (&self->store, store);
}

static void
sesame_import_view_dispose (GObject *object)
{
  SesameImportView *self = SESAME_IMPORT_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  if (self->saver != NULL)
    gtk_native_dialog_destroy (self->saver);
  g_clear_object (&self->saver);
  g_clear_object (&self->store);
  g_clear_pointer (&self->paths, g_strfreev);
  remove_demo_folder (self);

  G_OBJECT_CLASS (sesame_import_view_parent_class)->dispose (object);
}

static void
sesame_import_view_finalize (GObject *object)
{
  SesameImportView *self = SESAME_IMPORT_VIEW (object);

  g_clear_pointer (&self->warning_rows, g_ptr_array_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);

  G_OBJECT_CLASS (sesame_import_view_parent_class)->finalize (object);
}

/* On the first start there is nowhere else to work while the directory is
 * read; afterwards the main window stays open beside the import. */
static void
set_first_start (SesameImportView *self,
                 gboolean          first_start)
{
  gtk_widget_set_visible (GTK_WIDGET (self->demo_button), first_start);
  adw_status_page_set_description (self->progress_page,
                                   first_start
                                   ? _("Sésame opens once the directory is read: a few minutes for a large one.")
                                   : _("You can go on working in the main window in the meantime."));
}

static void
sesame_import_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SesameImportView *self = SESAME_IMPORT_VIEW (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, adw_status_page_get_title (self->choose_page));
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, adw_status_page_get_description (self->choose_page));
      break;
    case PROP_STATE:
      g_value_set_string (value, sesame_import_view_get_state (self));
      break;
    case PROP_OFFER_DEMO:
      g_value_set_boolean (value, gtk_widget_get_visible (GTK_WIDGET (self->demo_button)));
      break;
    case PROP_DEMO_STORE:
      g_value_set_boolean (value, self->demo_store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_import_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SesameImportView *self = SESAME_IMPORT_VIEW (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      adw_status_page_set_title (self->choose_page, g_value_get_string (value));
      break;
    case PROP_DESCRIPTION:
      adw_status_page_set_description (self->choose_page, g_value_get_string (value));
      break;
    case PROP_OFFER_DEMO:
      set_first_start (self, g_value_get_boolean (value));
      break;
    case PROP_DEMO_STORE:
      self->demo_store = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_import_view_class_init (SesameImportViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_import_view_dispose;
  object_class->finalize = sesame_import_view_finalize;
  object_class->get_property = sesame_import_view_get_property;
  object_class->set_property = sesame_import_view_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, "choose",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OFFER_DEMO] =
    g_param_spec_boolean ("offer-demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SesameImportView:demo-store:
   *
   * Whether the store is the one opened to try a demo directory: import.demo
   * imports into it; into any other store it asks the application to open
   * one (app.try-demo), never writing a made-up directory into a real one.
   */
  properties[PROP_DEMO_STORE] =
    g_param_spec_boolean ("demo-store", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SesameImportView::imported:
   * @summary: what the import did
   *
   * The directory was imported.
   */
  signals[IMPORTED] =
    g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SESAME_TYPE_IMPORT_SUMMARY);

  /**
   * SesameImportView::done:
   *
   * The operator read the summary and goes on.
   */
  signals[DONE] =
    g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "import.choose-files", NULL, choose_files_action);
  gtk_widget_class_install_action (widget_class, "import.choose-folder", NULL, choose_folder_action);
  gtk_widget_class_install_action (widget_class, "import.demo", NULL, demo_action);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "import.continue", NULL, continue_action);
  gtk_widget_class_install_action (widget_class, "import.copy-warnings", NULL, copy_warnings_action);
  gtk_widget_class_install_action (widget_class, "import.save-warnings", NULL, save_warnings_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "import.cancel", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-import-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameImportView, stack);
  gtk_widget_class_bind_template_child (widget_class, SesameImportView, choose_page);
  gtk_widget_class_bind_template_child (widget_class, SesameImportView, demo_button);
  gtk_widget_class_bind_template_child (widget_class, SesameImportView, progress_page);
  gtk_widget_class_bind_template_child (widget_class, SesameImportView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SesameImportView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SesameImportView, warnings_list);
  gtk_widget_class_bind_template_child (widget_class, SesameImportView, warnings_row);
  gtk_widget_class_bind_template_child (widget_class, SesameImportView, continue_button);
}

static void
sesame_import_view_init (SesameImportView *self)
{
  self->warning_rows = g_ptr_array_new ();
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* A demo directory is offered on the first start only. */
  set_first_start (self, FALSE);
  set_state (self, "choose");
}

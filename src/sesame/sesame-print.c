/* sesame-print.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints slips and letters. The core's renderer reads the store once, in
 * a thread (sesame_letter_batch_new()); its pages are then drawn by
 * GtkPrintOperation for the print dialog and the PDF export, and by the
 * preview window. The printer, the copies and the page setup chosen are
 * kept in the desk's settings. Enrolment slips, one code a page for a new
 * operator, go through the same settings.
 *
 * It knows neither the application nor the window: its callers hand it
 * the store to record the print in and the desk's settings.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <glib/gi18n.h>

#include "sesame-print.h"
#include "sesame-print-preview.h"
#include "sesame-ui-util.h"
#include "sesame-worker.h"

typedef struct
{
  GtkWindow         *parent;
  SesameStore       *store;
  GSettings         *settings;
  SesameLetterQuery *query;
  SesamePrintMode    mode;
  char              *filename;
  SesameLetterBatch *batch;
  GtkPrintOperation *operation;
  GtkNativeDialog   *chooser;
  gboolean           finished;
  gboolean           in_progress;   /* "done" drops the task */
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_clear_object (&job->parent);
  g_clear_object (&job->store);
  g_clear_object (&job->settings);
  g_clear_pointer (&job->query, sesame_letter_query_free);
  g_clear_pointer (&job->filename, g_free);
  g_clear_object (&job->batch);
  g_clear_object (&job->operation);
  if (job->chooser != NULL)
    gtk_native_dialog_destroy (job->chooser);
  g_clear_object (&job->chooser);
  g_free (job);
}

static GtkPageSetup *
load_page_setup (GSettings *settings)
{
  g_autoptr(GVariant) saved = NULL;
  GtkPageSetup *setup = NULL;

  if (settings != NULL)
    {
      saved = g_settings_get_value (settings, "page-setup");
      if (g_variant_n_children (saved) > 0)
        setup = gtk_page_setup_new_from_gvariant (saved);
    }
  if (setup == NULL)
    {
      /* Slips and letters are laid out on A4, portrait. */
      g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);

      setup = gtk_page_setup_new ();
      gtk_page_setup_set_paper_size (setup, a4);
      gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
    }
  return setup;
}

static GtkPrintSettings *
load_print_settings (GSettings *settings)
{
  g_autoptr(GVariant) saved = NULL;

  if (settings != NULL)
    {
      saved = g_settings_get_value (settings, "print-settings");
      if (g_variant_n_children (saved) > 0)
        return gtk_print_settings_new_from_gvariant (saved);
    }
  return gtk_print_settings_new ();
}

/* Slips, letters and enrolment slips hold credentials: whatever file they
 * are written to is readable by its owner only. GTK creates its PDF with
 * the default mode; a file created private beforehand keeps its mode when
 * GTK truncates or replaces it, and the mode is set again once written. */
static gboolean
prepare_private_file (const char  *path,
                      GError     **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  int saved_errno = errno;

  if (fd < 0 || fchmod (fd, 0600) != 0)
    {
      if (fd >= 0)
        saved_errno = errno;
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("Cannot write %s: %s. Choose a folder where you may create files."),
                   path, g_strerror (saved_errno));
      if (fd >= 0)
        close (fd);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* The file "Print to File" writes, if that is the printer chosen. */
static char *
print_to_file_path (GtkPrintOperation *operation)
{
  GtkPrintSettings *settings = gtk_print_operation_get_print_settings (operation);
  const char *uri;
  const char *printer;

  if (settings == NULL)
    return NULL;
  uri = gtk_print_settings_get (settings, GTK_PRINT_SETTINGS_OUTPUT_URI);
  printer = gtk_print_settings_get_printer (settings);
  if (uri == NULL || printer == NULL ||
      (g_strcmp0 (printer, "Print to File") != 0 &&
       g_strcmp0 (printer, g_dgettext ("gtk40", "Print to File")) != 0))
    return NULL;
  return g_filename_from_uri (uri, NULL, NULL);
}

static void
private_output_begin_print_cb (GtkPrintOperation *operation,
                               GtkPrintContext   *context,
                               gpointer           user_data)
{
  g_autofree char *path = print_to_file_path (operation);
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return;
  g_object_set_data_full (G_OBJECT (operation), "sesame-output-path", g_strdup (path), g_free);
  if (!prepare_private_file (path, &error))
    g_warning ("%s", error->message);
}

static void
private_output_restrict (GtkPrintOperation *operation)
{
  const char *path = g_object_get_data (G_OBJECT (operation), "sesame-output-path");

  if (path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_chmod (path, 0600);
}

static void
private_output_done_cb (GtkPrintOperation       *operation,
                        GtkPrintOperationResult  result,
                        gpointer                 user_data)
{
  private_output_restrict (operation);
}

static void
private_output_status_cb (GtkPrintOperation *operation,
                          gpointer           user_data)
{
  if (gtk_print_operation_is_finished (operation))
    private_output_restrict (operation);
}

/* Keeps to its owner the file an operation writes, exported or printed
 * to a file from the print dialog. */
static gboolean
keep_output_private (GtkPrintOperation  *operation,
                     const char         *export_filename,
                     GError            **error)
{
  if (export_filename != NULL)
    {
      if (!prepare_private_file (export_filename, error))
        return FALSE;
      g_object_set_data_full (G_OBJECT (operation), "sesame-output-path", g_strdup (export_filename), g_free);
    }
  else
    g_signal_connect (operation, "begin-print", G_CALLBACK (private_output_begin_print_cb), NULL);
  g_signal_connect (operation, "done", G_CALLBACK (private_output_done_cb), NULL);
  g_signal_connect (operation, "status-changed", G_CALLBACK (private_output_status_cb), NULL);
  return TRUE;
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              SesameLetterBatch *batch)
{
  sesame_letter_batch_draw_page (batch,
                                 gtk_print_context_get_cairo_context (context),
                                 page_nr,
                                 gtk_print_context_get_width (context),
                                 gtk_print_context_get_height (context));
}

/* GtkPrintOperation insists on a cairo context before it paginates a
 * preview, even one Sésame draws itself; without it GTK aborts. A tiny
 * surface is enough: the pages are drawn later, elsewhere. */
static void
set_preview_cairo_context (GtkPrintContext *context)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);

  gtk_print_context_set_cairo_context (context, cr, 72, 72);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

typedef struct
{
  SesameLetterBatch *batch;
  SesameStore       *store;
  GSettings         *settings;
} BatchPrint;   /* what printing a batch needs */

static void
batch_print_free (gpointer  data,
                  GClosure *closure)
{
  BatchPrint *print = data;

  g_clear_object (&print->batch);
  g_clear_object (&print->store);
  g_clear_object (&print->settings);
  g_free (print);
}

static void
preview_print_cb (SesamePrintPreview *preview,
                  BatchPrint         *print)
{
  sesame_print_batch (GTK_WINDOW (preview), print->batch, print->store, print->settings);
}

/* A preview window whose Print button prints @batch, recorded in @store. */
static SesamePrintPreview *
preview_new (SesameLetterBatch *batch,
             SesameStore       *store,
             GSettings         *settings)
{
  SesamePrintPreview *preview = sesame_print_preview_new (batch);
  BatchPrint *print = g_new0 (BatchPrint, 1);

  print->batch = g_object_ref (batch);
  print->store = store ? g_object_ref (store) : NULL;
  print->settings = settings ? g_object_ref (settings) : NULL;
  g_signal_connect_data (preview, "print", G_CALLBACK (preview_print_cb), print, batch_print_free, 0);
  return preview;
}

static void
letters_preview_ready_cb (GtkPrintOperationPreview *preview,
                          GtkPrintContext          *context,
                          SesameLetterBatch        *batch)
{
  GtkPrintOperation *operation = GTK_PRINT_OPERATION (preview);
  GSettings *settings = g_object_get_data (G_OBJECT (operation), "sesame-settings");
  SesameStore *store = g_object_get_data (G_OBJECT (operation), "sesame-store");
  GtkWindow *parent = g_object_get_data (G_OBJECT (operation), "sesame-preview-parent");
  SesamePrintPreview *window;

  /* The preview is drawn by Sésame itself: no external viewer is needed,
   * and no temporary file holding passwords is written. */
  window = preview_new (batch, store, settings);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_present (GTK_WINDOW (window));
  gtk_print_operation_preview_end_preview (preview);
}

static gboolean
preview_cb (GtkPrintOperation        *operation,
            GtkPrintOperationPreview *preview,
            GtkPrintContext          *context,
            GtkWindow                *parent,
            SesameLetterBatch        *batch)
{
  set_preview_cairo_context (context);
  g_object_set_data_full (G_OBJECT (operation), "sesame-preview-parent",
                          parent != NULL ? g_object_ref (parent) : NULL, g_object_unref);
  g_signal_connect_object (preview, "ready", G_CALLBACK (letters_preview_ready_cb), batch, 0);
  return TRUE;
}

static GtkPrintOperation *
new_operation (SesameLetterBatch *batch,
               SesameStore       *store,
               GSettings         *settings)
{
  g_autoptr(GtkPageSetup) setup = load_page_setup (settings);
  g_autoptr(GtkPrintSettings) print_settings = load_print_settings (settings);
  GtkPrintOperation *operation;

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_job_name (operation, _("Sésame identifiers"));
  gtk_print_operation_set_n_pages (operation, MAX (1, sesame_letter_batch_get_n_pages (batch)));
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_print_settings (operation, print_settings);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  gtk_print_operation_set_show_progress (operation, TRUE);
  if (settings != NULL)
    g_object_set_data_full (G_OBJECT (operation), "sesame-settings", g_object_ref (settings), g_object_unref);
  if (store != NULL)
    g_object_set_data_full (G_OBJECT (operation), "sesame-store", g_object_ref (store), g_object_unref);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (draw_page_cb), batch, 0);
  g_signal_connect_object (operation, "preview", G_CALLBACK (preview_cb), batch, 0);
  return operation;
}

static void
save_settings (GtkPrintOperation *operation,
               GSettings         *settings)
{
  GtkPrintSettings *print_settings = gtk_print_operation_get_print_settings (operation);
  GtkPageSetup *setup = gtk_print_operation_get_default_page_setup (operation);

  if (settings == NULL)
    return;
  if (print_settings != NULL)
    {
      /* The output file is asked for each time. */
      g_autoptr(GtkPrintSettings) copy = gtk_print_settings_copy (print_settings);
      gtk_print_settings_unset (copy, GTK_PRINT_SETTINGS_OUTPUT_URI);
      g_settings_set_value (settings, "print-settings", gtk_print_settings_to_gvariant (copy));
    }
  if (setup != NULL)
    g_settings_set_value (settings, "page-setup", gtk_page_setup_to_gvariant (setup));
}

/* Only pages that went to a printer or into a file are recorded: a
 * cancelled dialog prints nothing. */
static void
record_printed (SesameLetterBatch *batch,
                SesameStore       *store)
{
  g_autoptr(GError) error = NULL;

  if (store == NULL || batch == NULL)
    return;
  if (!sesame_letter_batch_record_printed (batch, store, &error))
    g_warning ("The print could not be recorded in the audit trail: %s", error->message);
}

static void
finish_job (GTask             *task,
            GtkPrintOperation *operation,
            GtkPrintOperationResult result)
{
  PrintJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (job->finished)
    return;
  job->finished = TRUE;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, SESAME_ERROR, SESAME_ERROR_FAILED, _("Printing failed."));
      return;
    }
  if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    {
      save_settings (operation, job->settings);
      record_printed (job->batch, job->store);
    }
  g_task_return_boolean (task, result == GTK_PRINT_OPERATION_RESULT_APPLY);
}

static void
done_cb (GtkPrintOperation       *operation,
         GtkPrintOperationResult  result,
         GTask                   *task)
{
  PrintJob *job = g_task_get_task_data (task);

  finish_job (task, operation, result);
  if (job->in_progress)
    {
      job->in_progress = FALSE;
      g_object_unref (task);
    }
}

static void
run_operation (GTask *task)
{
  PrintJob *job = g_task_get_task_data (task);
  GtkPrintOperationAction action;
  GtkPrintOperationResult result;
  g_autoptr(GError) error = NULL;

  job->operation = new_operation (job->batch, job->store, job->settings);
  if (!keep_output_private (job->operation,
                            job->mode == SESAME_PRINT_MODE_EXPORT_PDF ? job->filename : NULL, &error))
    {
      job->finished = TRUE;
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (job->mode == SESAME_PRINT_MODE_EXPORT_PDF)
    {
      action = GTK_PRINT_OPERATION_ACTION_EXPORT;
      gtk_print_operation_set_export_filename (job->operation, job->filename);
      gtk_print_operation_set_show_progress (job->operation, FALSE);
    }
  else
    {
      action = GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG;
      gtk_print_operation_set_allow_async (job->operation, TRUE);
    }

  g_signal_connect_object (job->operation, "done", G_CALLBACK (done_cb), task, 0);
  result = gtk_print_operation_run (job->operation, action, job->parent, &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR && error != NULL)
    {
      job->finished = TRUE;
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else if (result == GTK_PRINT_OPERATION_RESULT_IN_PROGRESS && !job->finished)
    {
      /* "done" finishes the job and drops the task. */
      job->in_progress = TRUE;
      return;
    }
  else
    finish_job (task, job->operation, result);
  g_object_unref (task);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     GTask           *task)
{
  PrintJob *job = g_task_get_task_data (task);
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  if (file == NULL || (job->filename = g_file_get_path (file)) == NULL)
    {
      g_task_return_boolean (task, FALSE);
      g_object_unref (task);
      return;
    }
  run_operation (task);
}

static void
ask_filename (GTask *task)
{
  PrintJob *job = g_task_get_task_data (task);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) pdf = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Export as PDF"), job->parent,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (pdf, _("PDF documents"));
  gtk_file_filter_add_mime_type (pdf, "application/pdf");
  gtk_file_filter_add_pattern (pdf, "*.pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), pdf);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("Identifiers.pdf"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  job->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), task);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gpointer
build_batch (SesameStore   *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  return sesame_letter_batch_new (store, data, cancellable, error);
}

static void
batch_built (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  PrintJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->batch = sesame_worker_run_finish (result, &error);
  if (job->batch == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (sesame_letter_batch_get_n_items (job->batch) == 0)
    {
      g_task_return_new_error (task, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                               _("There is nothing to print: these people have no account that Sésame hands out "
                                 "(academy staff sign in with their academic credentials)."));
      g_object_unref (task);
      return;
    }

  switch (job->mode)
    {
    case SESAME_PRINT_MODE_PREVIEW:
      {
        SesamePrintPreview *window = preview_new (job->batch, job->store, job->settings);

        gtk_window_set_transient_for (GTK_WINDOW (window), job->parent);
        gtk_window_present (GTK_WINDOW (window));
        g_task_return_boolean (task, TRUE);
        g_object_unref (task);
      }
      break;

    case SESAME_PRINT_MODE_EXPORT_PDF:
      if (job->filename == NULL)
        ask_filename (task);
      else
        run_operation (task);
      break;

    case SESAME_PRINT_MODE_DIALOG:
    default:
      run_operation (task);
      break;
    }
}

/**
 * sesame_print_letters_async:
 * @widget: a widget of the window printing
 * @store: the store
 * @settings: (nullable): the desk's settings, to keep the printer and page setup
 * @query: the accounts to print, and as slips or letters
 * @mode: print dialog, preview or PDF file
 * @export_filename: (nullable): for %SESAME_PRINT_MODE_EXPORT_PDF, the file to
 *   write without asking
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when printing is done, cancelled or failed
 * @user_data: data for @callback
 *
 * Prints slips and letters: reads the accounts in a thread, then prints
 * through GtkPrintOperation.
 */
void
sesame_print_letters_async (GtkWidget               *widget,
                            SesameStore             *store,
                            GSettings               *settings,
                            const SesameLetterQuery *query,
                            SesamePrintMode          mode,
                            const char              *export_filename,
                            GCancellable            *cancellable,
                            GAsyncReadyCallback      callback,
                            gpointer                 user_data)
{
  GTask *task;
  PrintJob *job;
  GtkWindow *parent;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (SESAME_IS_STORE (store));
  g_return_if_fail (query != NULL);

  parent = sesame_widget_get_window (widget);

  job = g_new0 (PrintJob, 1);
  job->parent = parent ? g_object_ref (parent) : NULL;
  job->store = g_object_ref (store);
  job->settings = settings ? g_object_ref (settings) : NULL;
  job->query = sesame_letter_query_copy (query);
  job->mode = mode;
  job->filename = g_strdup (export_filename);

  task = g_task_new (widget, cancellable, callback, user_data);
  g_task_set_source_tag (task, sesame_print_letters_async);
  g_task_set_task_data (task, job, (GDestroyNotify) print_job_free);

  sesame_worker_run_async (store, build_batch, sesame_letter_query_copy (query),
                           (GDestroyNotify) sesame_letter_query_free, g_object_unref,
                           cancellable, batch_built, task);
}

/**
 * sesame_print_letters_finish:
 * @result: the #GAsyncResult
 * @n_pages: (out) (optional): the pages of the batch
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the pages were printed, exported or previewed, %FALSE
 *   if the operator cancelled (@error unset) or it failed (@error set)
 */
gboolean
sesame_print_letters_finish (GAsyncResult  *result,
                             guint         *n_pages,
                             GError       **error)
{
  PrintJob *job;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sesame_print_letters_async, FALSE);

  job = g_task_get_task_data (G_TASK (result));
  if (n_pages != NULL)
    *n_pages = job->batch ? sesame_letter_batch_get_n_pages (job->batch) : 0;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ent_not_set_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         gpointer          user_data)
{
  const char *field = user_data;

  if (g_str_equal (response, "preferences"))
    sesame_activate_action (GTK_WIDGET (dialog), "app.show-preferences", g_variant_new_string (field));
}

/**
 * sesame_show_refusal:
 * @widget: a widget of the window that printed or sent
 * @store: the store
 * @heading: what failed, in a few words
 * @error: why
 *
 * Tells the operator why nothing was printed or sent. When the ENT's name
 * or address is not set yet (%SESAME_ERROR_ENT_NOT_SET), the message
 * offers to open the preferences at the field to fill in.
 */
void
sesame_show_refusal (GtkWidget    *widget,
                     SesameStore  *store,
                     const char   *heading,
                     const GError *error)
{
  g_autofree char *url = NULL;
  GtkWidget *dialog;
  const char *field;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (SESAME_IS_STORE (store));
  g_return_if_fail (heading != NULL);
  g_return_if_fail (error != NULL);

  if (!g_error_matches (error, SESAME_ERROR, SESAME_ERROR_ENT_NOT_SET))
    {
      sesame_show_error (widget, heading, error);
      return;
    }

  url = sesame_store_settings_dup (store, SESAME_SETTING_ENT_URL, "");
  field = *g_strstrip (url) == '\0' ? SESAME_SETTING_ENT_URL : SESAME_SETTING_ENT_NAME;
  dialog = adw_message_dialog_new (sesame_widget_get_window (widget), heading, error->message);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "close", _("_Close"),
                                    "preferences", _("Open _Preferences"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "preferences",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "preferences");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect (dialog, "response", G_CALLBACK (ent_not_set_response_cb), (gpointer) field);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
print_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SesameStore) store = user_data;
  g_autoptr(GError) error = NULL;

  if (!sesame_print_letters_finish (result, NULL, &error) && error != NULL &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sesame_show_refusal (GTK_WIDGET (object), store, _("Nothing Was Printed"), error);
}

/**
 * sesame_print_letters:
 * @widget: a widget of the window printing
 * @store: the store
 * @settings: (nullable): the desk's settings, to keep the printer and page setup
 * @query: the accounts to print
 * @mode: print dialog, preview or PDF file
 *
 * Prints, and tells the operator if it failed (see
 * sesame_show_refusal()).
 */
void
sesame_print_letters (GtkWidget               *widget,
                      SesameStore             *store,
                      GSettings               *settings,
                      const SesameLetterQuery *query,
                      SesamePrintMode          mode)
{
  sesame_print_letters_async (widget, store, settings, query, mode, NULL,
                              NULL, print_done, g_object_ref (store));
}

static void
batch_print_done (GtkPrintOperation       *operation,
                  GtkPrintOperationResult  result,
                  BatchPrint              *print)
{
  if (result != GTK_PRINT_OPERATION_RESULT_APPLY)
    return;
  save_settings (operation, print->settings);
  record_printed (print->batch, print->store);
}

/**
 * sesame_print_batch:
 * @parent: (nullable): the window printing
 * @batch: pages already read
 * @store: (nullable): the store @batch was read from
 * @settings: (nullable): the desk's settings
 *
 * Opens the print dialog for @batch, as the preview window's Print button.
 * The print is recorded in the audit trail of @store once the pages are
 * sent, never when the dialog is cancelled.
 */
void
sesame_print_batch (GtkWindow         *parent,
                    SesameLetterBatch *batch,
                    SesameStore       *store,
                    GSettings         *settings)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  BatchPrint *print;

  g_return_if_fail (SESAME_IS_LETTER_BATCH (batch));
  g_return_if_fail (store == NULL || SESAME_IS_STORE (store));

  print = g_new0 (BatchPrint, 1);
  print->batch = g_object_ref (batch);
  print->store = store ? g_object_ref (store) : NULL;
  print->settings = settings ? g_object_ref (settings) : NULL;
  operation = new_operation (batch, store, settings);
  keep_output_private (operation, NULL, NULL);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_data (operation, "done", G_CALLBACK (batch_print_done),
                         print, batch_print_free, 0);
  gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent, NULL);
}

static void
page_setup_done (GtkPageSetup *setup,
                 gpointer      data)
{
  GSettings *settings = data;

  if (setup != NULL && settings != NULL)
    g_settings_set_value (settings, "page-setup", gtk_page_setup_to_gvariant (setup));
  g_clear_object (&settings);
}

/**
 * sesame_print_run_page_setup:
 * @parent: (nullable): the window asking
 * @settings: (nullable): where the page setup is kept
 *
 * Lets the operator choose the paper and margins of the next prints.
 */
void
sesame_print_run_page_setup (GtkWindow *parent,
                             GSettings *settings)
{
  g_autoptr(GtkPageSetup) setup = load_page_setup (settings);
  g_autoptr(GtkPrintSettings) print_settings = load_print_settings (settings);

  gtk_print_run_page_setup_dialog_async (parent, setup, print_settings, page_setup_done,
                                         settings ? g_object_ref (settings) : NULL);
}

/* Enrolment slips: one page per code, to hand over in person. */

static void
draw_paragraph (cairo_t     *cr,
                PangoLayout *layout,
                double       x,
                double      *y,
                const char  *markup,
                double       space_after)
{
  int height;

  pango_layout_set_markup (layout, markup, -1);
  cairo_move_to (cr, x, *y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &height);
  *y += pango_units_to_double (height) + space_after;
}

static void
draw_enrolment_cb (GtkPrintOperation *operation,
                   GtkPrintContext   *context,
                   int                page_nr,
                   GPtrArray         *enrolments)
{
  const SesameEnrolment *enrolment = g_ptr_array_index (enrolments, page_nr);
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double margin = MIN (56.0, width / 10);
  double y = margin;
  g_autoptr(PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (enrolment->expires_at);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);
  g_autofree char *when = g_date_time_format (local, _("%A %-d %B %Y at %H:%M"));
  g_autofree char *text = NULL;

  pango_layout_set_width (layout, pango_units_from_double (width - 2 * margin));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  cairo_set_source_rgb (cr, 0, 0, 0);

  text = g_markup_printf_escaped ("<span size='x-large' weight='bold'>%s</span>",
                                  _("Sésame: your operator enrolment code"));
  draw_paragraph (cr, layout, margin, &y, text, 18);
  g_free (text);
  text = g_markup_printf_escaped ("<span size='large' weight='bold'>%s</span>\n%s %s",
                                  enrolment->name, _("Login:"), enrolment->login);
  draw_paragraph (cr, layout, margin, &y, text, 18);
  g_free (text);

  /* The code, large and framed, to be read without mistake. */
  text = g_markup_printf_escaped ("<span font_family='monospace' size='xx-large' weight='bold'>%s</span>",
                                  enrolment->code);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  {
    double top = y;

    y += 12;
    draw_paragraph (cr, layout, margin, &y, text, 12);
    cairo_set_line_width (cr, 1.0);
    cairo_rectangle (cr, margin, top, width - 2 * margin, y - top);
    cairo_stroke (cr);
    y += 18;
  }
  pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
  g_free (text);

  text = g_markup_printf_escaped (_("Valid once, until <b>%s</b>."), when);
  draw_paragraph (cr, layout, margin, &y, text, 12);
  g_free (text);
  text = g_markup_escape_text (_("In Sésame, on the sign-in page, choose “I Have an Enrolment Code”, type your "
                                 "login and this code, then choose your own operator passphrase: at least 10 "
                                 "characters, without your login. From then on you sign in with your login and "
                                 "that passphrase."), -1);
  draw_paragraph (cr, layout, margin, &y, text, 12);
  g_free (text);
  text = g_markup_escape_text (_("Keep this slip to yourself and destroy it once your passphrase is chosen: "
                                 "whoever uses the code first becomes the operator in your name. If it was "
                                 "used without you, tell an administrator at once."), -1);
  draw_paragraph (cr, layout, margin, &y, text, 0);
}

/* The enrolment slips are few: their preview renders every page through
 * the operation itself, into memory, and shows them one under the other.
 * Nothing reaches the disk, as the slips hold enrolment codes. */

#define PREVIEW_SCALE 1.5

typedef struct
{
  GPtrArray       *textures;
  cairo_surface_t *surface;
} PagesPreview;

static void
pages_preview_free (PagesPreview *pages)
{
  g_clear_pointer (&pages->textures, g_ptr_array_unref);
  g_clear_pointer (&pages->surface, cairo_surface_destroy);
  g_free (pages);
}

static void
pages_preview_got_page_size_cb (GtkPrintOperationPreview *preview,
                                GtkPrintContext          *context,
                                GtkPageSetup             *page_setup,
                                PagesPreview             *pages)
{
  double width = gtk_page_setup_get_paper_width (page_setup, GTK_UNIT_POINTS);
  double height = gtk_page_setup_get_paper_height (page_setup, GTK_UNIT_POINTS);
  cairo_t *cr;

  g_clear_pointer (&pages->surface, cairo_surface_destroy);
  pages->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                               (int) ceil (width * PREVIEW_SCALE),
                                               (int) ceil (height * PREVIEW_SCALE));
  cr = cairo_create (pages->surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  gtk_print_context_set_cairo_context (context, cr, 72 * PREVIEW_SCALE, 72 * PREVIEW_SCALE);
  cairo_destroy (cr);
}

static GdkTexture *
texture_from_surface (cairo_surface_t *surface)
{
  g_autoptr(GBytes) bytes = NULL;
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);

  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface), (gsize) height * stride);
  return gdk_memory_texture_new (cairo_image_surface_get_width (surface), height,
                                 GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
pages_preview_ready_cb (GtkPrintOperationPreview *preview,
                        GtkPrintContext          *context,
                        PagesPreview             *pages)
{
  GtkPrintOperation *operation = GTK_PRINT_OPERATION (preview);
  GtkWindow *parent = g_object_get_data (G_OBJECT (operation), "sesame-preview-parent");
  int n_pages = 0;
  GtkWidget *window, *toolbar, *header, *title, *scrolled, *box;
  g_autofree char *subtitle = NULL;

  g_object_get (operation, "n-pages", &n_pages, NULL);
  for (int i = 0; i < n_pages; i++)
    {
      if (!gtk_print_operation_preview_is_selected (preview, i))
        continue;
      gtk_print_operation_preview_render_page (preview, i);
      if (pages->surface != NULL)
        g_ptr_array_add (pages->textures, texture_from_surface (pages->surface));
      g_clear_pointer (&pages->surface, cairo_surface_destroy);
    }

  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u page", "%u pages", pages->textures->len),
                              pages->textures->len);
  title = adw_window_title_new (_("Print Preview"), subtitle);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  for (guint i = 0; i < pages->textures->len; i++)
    {
      GtkWidget *picture = gtk_picture_new_for_paintable (g_ptr_array_index (pages->textures, i));

      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      gtk_widget_set_size_request (picture, -1, 560);
      gtk_widget_add_css_class (picture, "card");
      gtk_box_append (GTK_BOX (box), picture);
    }
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  gtk_widget_set_vexpand (scrolled, TRUE);
  toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (toolbar), header);
  gtk_box_append (GTK_BOX (toolbar), scrolled);

  window = adw_window_new ();
  gtk_widget_set_name (window, "sesame-pages-preview");
  gtk_window_set_title (GTK_WINDOW (window), _("Print Preview"));
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 760);
  adw_window_set_content (ADW_WINDOW (window), toolbar);
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (window), parent);
      gtk_window_set_modal (GTK_WINDOW (window), gtk_window_get_modal (parent));
    }
  gtk_window_present (GTK_WINDOW (window));
  gtk_print_operation_preview_end_preview (preview);
}

static gboolean
pages_preview_cb (GtkPrintOperation        *operation,
                  GtkPrintOperationPreview *preview,
                  GtkPrintContext          *context,
                  GtkWindow                *parent,
                  gpointer                  user_data)
{
  PagesPreview *pages = g_new0 (PagesPreview, 1);

  pages->textures = g_ptr_array_new_with_free_func (g_object_unref);
  g_object_set_data_full (G_OBJECT (operation), "sesame-pages-preview", pages,
                          (GDestroyNotify) pages_preview_free);
  set_preview_cairo_context (context);
  g_object_set_data_full (G_OBJECT (operation), "sesame-preview-parent",
                          parent != NULL ? g_object_ref (parent) : NULL, g_object_unref);
  g_signal_connect (preview, "got-page-size", G_CALLBACK (pages_preview_got_page_size_cb), pages);
  g_signal_connect (preview, "ready", G_CALLBACK (pages_preview_ready_cb), pages);
  return TRUE;
}

typedef struct
{
  GSettings *settings;
  gboolean   finished;
  gboolean   in_progress;   /* "done" drops the task */
} EnrolmentJob;

static void
enrolment_job_free (EnrolmentJob *job)
{
  g_clear_object (&job->settings);
  g_free (job);
}

static void
finish_enrolment_job (GTask                   *task,
                      GtkPrintOperation       *operation,
                      GtkPrintOperationResult  result,
                      GError                  *error)
{
  EnrolmentJob *job = g_task_get_task_data (task);

  if (job->finished)
    {
      g_clear_error (&error);
      return;
    }
  job->finished = TRUE;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      if (error == NULL)
        gtk_print_operation_get_error (operation, &error);
      if (error == NULL)
        error = g_error_new_literal (SESAME_ERROR, SESAME_ERROR_FAILED, _("Printing failed."));
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);
  if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    save_settings (operation, job->settings);
  g_task_return_boolean (task, result != GTK_PRINT_OPERATION_RESULT_CANCEL);
}

static void
enrolment_print_done_cb (GtkPrintOperation       *operation,
                         GtkPrintOperationResult  result,
                         GTask                   *task)
{
  EnrolmentJob *job = g_task_get_task_data (task);

  finish_enrolment_job (task, operation, result, NULL);
  if (job->in_progress)
    {
      job->in_progress = FALSE;
      g_object_unref (task);
    }
}

/**
 * sesame_print_enrolments_async:
 * @parent: (nullable): the window printing
 * @settings: (nullable): the desk's print settings and page setup
 * @enrolments: (element-type SesameEnrolment): the codes, one slip each
 * @export_filename: (nullable): a PDF file to write instead of printing
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Prints the enrolment slips with the print dialog, or exports them as PDF.
 */
void
sesame_print_enrolments_async (GtkWindow           *parent,
                               GSettings           *settings,
                               GPtrArray           *enrolments,
                               const char          *export_filename,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GtkPageSetup) setup = load_page_setup (settings);
  g_autoptr(GtkPrintSettings) print_settings = load_print_settings (settings);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  GtkPrintOperationResult result;
  GTask *task;
  EnrolmentJob *job;

  g_return_if_fail (enrolments != NULL && enrolments->len > 0);

  task = g_task_new (parent, cancellable, callback, user_data);
  g_task_set_source_tag (task, sesame_print_enrolments_async);
  job = g_new0 (EnrolmentJob, 1);
  job->settings = settings != NULL ? g_object_ref (settings) : NULL;
  g_task_set_task_data (task, job, (GDestroyNotify) enrolment_job_free);

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_job_name (operation, _("Sésame enrolment codes"));
  gtk_print_operation_set_n_pages (operation, enrolments->len);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_print_settings (operation, print_settings);
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (draw_enrolment_cb),
                         g_ptr_array_ref (enrolments), (GClosureNotify) (void (*) (void)) g_ptr_array_unref, 0);
  g_signal_connect (operation, "done", G_CALLBACK (enrolment_print_done_cb), task);
  g_signal_connect (operation, "preview", G_CALLBACK (pages_preview_cb), NULL);

  if (!keep_output_private (operation, export_filename, &error))
    {
      finish_enrolment_job (task, operation, GTK_PRINT_OPERATION_RESULT_ERROR, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (export_filename != NULL)
    gtk_print_operation_set_export_filename (operation, export_filename);
  else
    gtk_print_operation_set_allow_async (operation, TRUE);
  result = gtk_print_operation_run (operation,
                                    export_filename != NULL ? GTK_PRINT_OPERATION_ACTION_EXPORT
                                                            : GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    parent, &error);
  if (result == GTK_PRINT_OPERATION_RESULT_IN_PROGRESS && !job->finished)
    {
      /* "done" finishes the job and drops the task. */
      job->in_progress = TRUE;
      return;
    }
  finish_enrolment_job (task, operation, result, g_steal_pointer (&error));
  g_object_unref (task);
}

/**
 * sesame_print_enrolments_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the slips were printed or exported, %FALSE if cancelled
 *   or with @error set
 */
gboolean
sesame_print_enrolments_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sesame_print_enrolments_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

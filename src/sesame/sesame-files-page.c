/* sesame-files-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Fichiers des identifiants": the table of identifier files, newest
 * first, with download (as CSV for GEPI and mail merge, or as a
 * spreadsheet that keeps leading zeros), print and delete; and the
 * regeneration of a file for an establishment. Generating, exporting and
 * measuring the files as a download would write them run in a thread.
 *
 * An establishment regenerates many files under one name: each row says
 * which establishment and whose accounts, any column sorts the table, and
 * the table shows a page of files at a time with "Show More" below. The
 * row's buttons come right after the name, so that a narrow window still
 * shows them.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sesame-boxed-item.h"
#include "sesame-establishments.h"
#include "sesame-files-page.h"
#include "sesame-print.h"
#include "sesame-regenerate-dialog.h"
#include "sesame-ui-util.h"
#include "sesame-worker.h"

/* How many files the table shows at first, and more at each "Show More". */
#define PAGE_SIZE 50

struct _SesameFilesPage
{
  AdwBin          parent_instance;

  /* Template widgets */
  GtkStack       *content_stack;
  GtkStack       *table_stack;
  GtkLabel       *count_label;
  GtkSpinner     *spinner;
  GtkColumnView  *column_view;
  GtkScrolledWindow *scrolled_window;
  GtkButton      *show_more_button;

  /* Owned references */
  SesameStore    *store;
  GSettings      *settings;
  GListStore     *files;
  GCancellable   *cancellable;
  GtkNativeDialog *chooser;
  GtkSortListModel *sorted;
  GtkSliceListModel *page;

  guint           busy;
  int             last_width;
  gboolean        stale;    /* files changed elsewhere since the last reading */
};

G_DEFINE_FINAL_TYPE (SesameFilesPage, sesame_files_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static SesameIdentifierFile *
item_file (gpointer item)
{
  return sesame_boxed_item_get (SESAME_BOXED_ITEM (item));
}

/* "Collège Les Aravis (0740017S)": files of one establishment share a
 * name, and its UAI alone tells a secretary little. */
static char *
establishment_text_of (const SesameIdentifierFile *file)
{
  g_autofree char *name = NULL;

  if (file->establishment_name == NULL)
    return g_strdup (file->establishment);
  name = sesame_unbreakable_name (file->establishment_name);
  /* Translators: an establishment in a list: "name (UAI)" */
  return g_strdup_printf (_("%s (%s)"), name, file->establishment);
}

/* To the second: an import and a regeneration often make files a few
 * seconds apart. */
static char *
format_generated (gint64 unix_time)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_time <= 0)
    return g_strdup ("");
  time = g_date_time_new_from_unix_local (unix_time);
  /* Translators: when an identifier file was generated, see g_date_time_format() */
  return g_date_time_format (time, C_("file generated on", "%Y-%m-%d %H:%M:%S"));
}

static SesameIdentifierFile *
find_file (SesameFilesPage *self,
           const char      *id,
           guint           *position)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->files)); i++)
    {
      g_autoptr(SesameBoxedItem) item = g_list_model_get_item (G_LIST_MODEL (self->files), i);
      SesameIdentifierFile *file = sesame_boxed_item_get (item);

      if (g_strcmp0 (file->id, id) == 0)
        {
          if (position != NULL)
            *position = i;
          return file;
        }
    }
  return NULL;
}

static void
set_busy (SesameFilesPage *self,
          gboolean         busy)
{
  self->busy += busy ? 1 : -1;
  gtk_spinner_set_spinning (self->spinner, self->busy > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy > 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

gboolean
sesame_files_page_get_busy (SesameFilesPage *self)
{
  g_return_val_if_fail (SESAME_IS_FILES_PAGE (self), FALSE);
  return self->busy > 0;
}

static void
update_count (SesameFilesPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->files));
  guint shown = MIN (n, gtk_slice_list_model_get_size (self->page));
  g_autofree char *text = NULL;

  if (shown < n)
    /* Translators: the count above the table when only a page of it is shown */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u identifier file shown",
                                         "%u of %u identifier files shown", n), shown, n);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u identifier file", "%u identifier files", n), n);
  gtk_label_set_label (self->count_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->show_more_button), shown < n);
  gtk_stack_set_visible_child_name (self->table_stack, n > 0 ? "table" : "empty");
}

/* files.show-more: the next page of the table. */
static void
show_more_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SesameFilesPage *self = SESAME_FILES_PAGE (widget);

  gtk_slice_list_model_set_size (self->page, gtk_slice_list_model_get_size (self->page) + PAGE_SIZE);
  update_count (self);
}

/* Sizes: the table shows the size of the CSV a download writes now,
 * which changes as passwords are used or regenerated. */

static gpointer
measure_in_thread (SesameStore   *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  GPtrArray *files = data;

  if (!sesame_identifier_files_measure (store, files, error))
    return NULL;
  return g_ptr_array_ref (files);
}

static void
measure_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SesameFilesPage) self = user_data;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  files = sesame_worker_run_finish (result, &error);
  if (files == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot measure the identifier files: %s", error->message);
      return;
    }

  for (guint i = 0; i < files->len; i++)
    {
      SesameIdentifierFile *measured = g_ptr_array_index (files, i);
      SesameIdentifierFile *shown;
      guint position;

      shown = find_file (self, measured->id, &position);
      if (shown == NULL || (shown->size == measured->size && shown->accounts == measured->accounts))
        continue;
      {
        g_autoptr(SesameBoxedItem) item =
          sesame_boxed_item_new_take (SESAME_TYPE_IDENTIFIER_FILE, sesame_identifier_file_copy (measured));
        g_list_store_splice (self->files, position, 1, (gpointer *) &item, 1);
      }
    }
}

static void
measure_files (SesameFilesPage *self)
{
  GPtrArray *files = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_identifier_file_free);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->files)); i++)
    {
      g_autoptr(SesameBoxedItem) item = g_list_model_get_item (G_LIST_MODEL (self->files), i);

      g_ptr_array_add (files, sesame_identifier_file_copy (sesame_boxed_item_get (item)));
    }
  if (files->len == 0)
    {
      g_ptr_array_unref (files);
      return;
    }
  set_busy (self, TRUE);
  sesame_worker_run_async (self->store, measure_in_thread, files, (GDestroyNotify) g_ptr_array_unref,
                           (GDestroyNotify) g_ptr_array_unref,
                           self->cancellable, measure_done, g_object_ref (self));
}

/**
 * sesame_files_page_reload:
 * @self: a #SesameFilesPage
 *
 * Reads the files and the operator's permissions again.
 */
void
sesame_files_page_reload (SesameFilesPage *self)
{
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GListStore) items = NULL;
  g_autoptr(GError) error = NULL;
  gboolean allowed;

  g_return_if_fail (SESAME_IS_FILES_PAGE (self));

  if (self->store == NULL)
    return;

  self->stale = FALSE;
  allowed = sesame_store_operator_can (self->store, SESAME_PERMISSION_MANAGE_FILES);
  gtk_stack_set_visible_child_name (self->content_stack, allowed ? "files" : "denied");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "files.regenerate", allowed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "files.export", allowed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "files.download", allowed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "files.delete", allowed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "files.print", allowed);
  if (!allowed)
    {
      g_list_store_remove_all (self->files);
      return;
    }

  files = sesame_identifier_files_list (self->store, &error);
  if (files == NULL)
    {
      g_warning ("Cannot list the identifier files: %s", error->message);
      g_list_store_remove_all (self->files);
    }
  else
    {
      items = sesame_boxed_item_store_from_array (SESAME_TYPE_IDENTIFIER_FILE, files);
      g_list_store_remove_all (self->files);
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (items)); i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (items), i);
          g_list_store_append (self->files, item);
        }
      measure_files (self);
    }
  update_count (self);
}

/**
 * sesame_files_page_refresh:
 * @self: a #SesameFilesPage
 *
 * The files may have changed elsewhere (a sync round brought some): reads
 * them again at once if the page shows and nothing is under way on it,
 * else when it shows next.
 */
void
sesame_files_page_refresh (SesameFilesPage *self)
{
  g_return_if_fail (SESAME_IS_FILES_PAGE (self));

  self->stale = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && self->busy == 0)
    sesame_files_page_reload (self);
}

static void
sesame_files_page_map (GtkWidget *widget)
{
  SesameFilesPage *self = SESAME_FILES_PAGE (widget);

  GTK_WIDGET_CLASS (sesame_files_page_parent_class)->map (widget);
  if (self->stale && self->busy == 0)
    sesame_files_page_reload (self);
}

/**
 * sesame_files_page_get_files:
 * @self: a #SesameFilesPage
 *
 * Returns: (transfer none): the files shown, #SesameBoxedItem of
 *   #SesameIdentifierFile, newest first
 */
GListModel *
sesame_files_page_get_files (SesameFilesPage *self)
{
  g_return_val_if_fail (SESAME_IS_FILES_PAGE (self), NULL);
  return G_LIST_MODEL (self->files);
}

/* Regenerate */

typedef struct
{
  char   *uai;
  gint64  since;
} Generate;

static void
generate_free (Generate *generate)
{
  g_free (generate->uai);
  g_free (generate);
}

static gpointer
generate_in_thread (SesameStore   *store,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  Generate *generate = data;
  return sesame_identifier_files_generate (store, generate->uai, generate->since, error);
}

static void
generate_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SesameFilesPage) self = user_data;
  g_autoptr(SesameIdentifierFile) file = NULL;
  g_autoptr(SesameBoxedItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  set_busy (self, FALSE);
  file = sesame_worker_run_finish (result, &error);
  if (file == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sesame_show_error (GTK_WIDGET (self), _("The File Could Not Be Generated"), error);
      return;
    }

  /* The new file goes at the top, where the operator looks for it. */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s generated: %u account",
                                          "%s generated: %u accounts", file->accounts),
                             file->name, file->accounts);
  item = sesame_boxed_item_new_take (SESAME_TYPE_IDENTIFIER_FILE, g_steal_pointer (&file));
  g_list_store_insert (self->files, 0, item);
  update_count (self);
  sesame_show_toast (GTK_WIDGET (self), message);
}

static void
regenerate_response_cb (SesameRegenerateDialog *dialog,
                        const char             *response,
                        SesameFilesPage        *self)
{
  Generate *generate;

  if (g_strcmp0 (response, "validate") != 0 || sesame_regenerate_dialog_get_uai (dialog) == NULL)
    return;

  generate = g_new0 (Generate, 1);
  generate->uai = g_strdup (sesame_regenerate_dialog_get_uai (dialog));
  generate->since = sesame_regenerate_dialog_get_since (dialog);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-establishment", generate->uai);

  set_busy (self, TRUE);
  sesame_worker_run_async (self->store, generate_in_thread, generate, (GDestroyNotify) generate_free,
                           (GDestroyNotify) sesame_identifier_file_free,
                           self->cancellable, generate_done, g_object_ref (self));
}

static void
regenerate_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SesameFilesPage *self = SESAME_FILES_PAGE (widget);
  g_autoptr(GPtrArray) establishments = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *last = NULL;
  SesameRegenerateDialog *dialog;

  establishments = sesame_establishments_list (self->store, &error);
  if (establishments == NULL)
    {
      sesame_show_error (widget, _("The Establishments Could Not Be Read"), error);
      return;
    }
  /* Only those the operator administers: a head regenerates their own. */
  for (guint i = establishments->len; i > 0; i--)
    {
      SesameEstablishment *establishment = g_ptr_array_index (establishments, i - 1);

      if (!sesame_store_operator_administers (self->store, establishment->uai))
        g_ptr_array_remove_index (establishments, i - 1);
    }

  if (self->settings != NULL)
    last = g_settings_get_string (self->settings, "last-establishment");
  dialog = sesame_regenerate_dialog_new (sesame_widget_get_window (widget), establishments, last);
  g_signal_connect_object (dialog, "response", G_CALLBACK (regenerate_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Download */

typedef struct
{
  char *id;
  char *path;
} Export;

static void
export_free (Export *export)
{
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

  if (!sesame_identifier_files_export (store, export->id, export->path, error))
    return NULL;
  return g_strdup (export->path);
}

static void
export_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SesameFilesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *message = NULL;

  set_busy (self, FALSE);
  path = sesame_worker_run_finish (result, &error);
  if (path == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sesame_show_error (GTK_WIDGET (self), _("The File Could Not Be Saved"), error);
      return;
    }

  basename = g_path_get_basename (path);
  message = g_strdup_printf (_("%s saved"), basename);
  sesame_show_toast (GTK_WIDGET (self), message);
  measure_files (self);
}

static void
export_file (SesameFilesPage *self,
             const char      *id,
             const char      *path)
{
  Export *export = g_new0 (Export, 1);

  export->id = g_strdup (id);
  export->path = g_strdup (path);
  set_busy (self, TRUE);
  sesame_worker_run_async (self->store, export_in_thread, export, (GDestroyNotify) export_free, g_free,
                           self->cancellable, export_done, g_object_ref (self));
}

static void
save_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  SesameFilesPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (chooser), "file-id");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      gboolean spreadsheet = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "spreadsheet"));

      /* The format asked for, whatever name was typed. */
      if (path != NULL && spreadsheet != sesame_identifier_file_path_is_spreadsheet (path))
        {
          char *with_extension = g_strconcat (path, spreadsheet ? ".xlsx" : ".csv", NULL);

          g_free (path);
          path = with_extension;
        }
      if (path != NULL)
        export_file (self, id, path);
    }
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

/* The save dialog, for a CSV or a spreadsheet. */
static void
choose_path (SesameFilesPage      *self,
             SesameIdentifierFile *file,
             gboolean              spreadsheet)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *stem = NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (spreadsheet ? _("Download the Identifier File as a Spreadsheet")
                                                     : _("Download the Identifier File as CSV"),
                                         sesame_widget_get_window (GTK_WIDGET (self)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  stem = g_str_has_suffix (file->name, ".csv") ? g_strndup (file->name, strlen (file->name) - 4) : g_strdup (file->name);
  name = g_strconcat (stem, spreadsheet ? ".xlsx" : ".csv", NULL);
  if (spreadsheet)
    {
      gtk_file_filter_set_name (filter, _("Spreadsheet (.xlsx)"));
      gtk_file_filter_add_pattern (filter, "*.xlsx");
      gtk_file_filter_add_mime_type (filter, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("CSV for GEPI and mail merge (.csv)"));
      gtk_file_filter_add_pattern (filter, "*.csv");
      gtk_file_filter_add_mime_type (filter, "text/csv");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data_full (G_OBJECT (chooser), "file-id", g_strdup (file->id), g_free);
  g_object_set_data (G_OBJECT (chooser), "spreadsheet", GINT_TO_POINTER (spreadsheet));
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (save_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* files.export (id, path): the format follows the path's extension; an
 * empty path asks where to save a CSV. */
static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SesameFilesPage *self = SESAME_FILES_PAGE (widget);
  const char *id = NULL;
  const char *path = NULL;
  SesameIdentifierFile *file;

  g_variant_get (parameter, "(&s&s)", &id, &path);
  file = find_file (self, id, NULL);
  if (file == NULL)
    return;

  /* A path given with the action skips the save dialog (scripts, tests). */
  if (*path != '\0')
    export_file (self, id, path);
  else
    choose_path (self, file, FALSE);
}

/* files.download (id, format): asks where to save the file as "csv" or
 * as a "spreadsheet". */
static void
download_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SesameFilesPage *self = SESAME_FILES_PAGE (widget);
  const char *id = NULL;
  const char *format = NULL;
  SesameIdentifierFile *file;

  g_variant_get (parameter, "(&s&s)", &id, &format);
  file = find_file (self, id, NULL);
  if (file == NULL)
    return;
  choose_path (self, file, g_str_equal (format, "spreadsheet"));
}

/* Delete */

typedef struct
{
  SesameFilesPage *self;
  char            *id;
} Delete;

static void
delete_free (gpointer data)
{
  Delete *delete = data;

  g_object_unref (delete->self);
  g_free (delete->id);
  g_free (delete);
}

static void
delete_confirmed (gpointer user_data)
{
  Delete *delete = user_data;
  SesameFilesPage *self = delete->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  SesameIdentifierFile *file;
  guint position;

  file = find_file (self, delete->id, &position);
  if (file == NULL)
    return;
  name = g_strdup (file->name);

  if (!sesame_identifier_files_delete (self->store, delete->id, &error))
    {
      sesame_show_error (GTK_WIDGET (self), _("The File Could Not Be Deleted"), error);
      return;
    }
  g_list_store_remove (self->files, position);
  update_count (self);
  message = g_strdup_printf (_("%s deleted"), name);
  sesame_show_toast (GTK_WIDGET (self), message);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SesameFilesPage *self = SESAME_FILES_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  SesameIdentifierFile *file = find_file (self, id, NULL);
  g_autofree char *heading = NULL;
  g_autofree char *generated = NULL;
  g_autofree char *body = NULL;
  Delete *delete;

  if (file == NULL)
    return;

  /* The name goes in the body, where it has a line of its own: a heading
   * too narrow for it would break it anywhere. */
  heading = g_strdup (_("Delete the Identifier File?"));
  generated = format_generated (file->generated_at);
  {
    g_autofree char *name = sesame_unbreakable_name (file->name);
    g_autofree char *establishment = establishment_text_of (file);

    body = g_strdup_printf (_("%s of %s, generated on %s, will no longer be listed. The accounts it lists are not changed."),
                            name, establishment, generated);
  }
  delete = g_new0 (Delete, 1);
  delete->self = g_object_ref (self);
  delete->id = g_strdup (id);
  sesame_confirm (widget, heading, body, _("_Delete"), TRUE, delete_confirmed, delete, delete_free);
}

/* Print */

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SesameFilesPage *self = SESAME_FILES_PAGE (widget);
  g_autoptr(SesameLetterQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  SesamePrintMode mode = SESAME_PRINT_MODE_DIALOG;
  const char *id = NULL;
  const char *what = NULL;

  g_variant_get (parameter, "(&s&s)", &id, &what);

  query = sesame_letter_query_new ();
  query->keys = sesame_identifier_files_list_keys (self->store, id, &error);
  if (query->keys == NULL)
    {
      sesame_show_error (widget, _("The Accounts of the File Could Not Be Read"), error);
      return;
    }

  if (g_str_equal (what, "slips"))
    query->kind = SESAME_LETTER_KIND_SLIPS;
  else if (g_str_equal (what, "letters"))
    query->kind = SESAME_LETTER_KIND_LETTERS;
  else
    query->kind = SESAME_LETTER_KIND_AUTO;
  if (g_str_equal (what, "preview"))
    mode = SESAME_PRINT_MODE_PREVIEW;
  else if (g_str_equal (what, "pdf"))
    mode = SESAME_PRINT_MODE_EXPORT_PDF;

  sesame_print_letters (widget, self->store, self->settings, query, mode);
}

/* Cells */

/* Whole: "ENT-Identifiants-0740017S.csv" never breaks at its hyphens. */
static char *
name_text (gpointer item)
{
  return sesame_unbreakable_name (item_file (item)->name);
}

static char *
establishment_text (gpointer item)
{
  return establishment_text_of (item_file (item));
}

/* "4 pupils, 3 parents": each count stays with its word, the line breaks
 * only between profiles. */
static char *
profiles_text (gpointer item)
{
  g_autofree char *text = sesame_identifier_file_dup_profiles (item_file (item));
  g_auto(GStrv) parts = g_strsplit (text, ", ", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *unbreakable = sesame_unbreakable_name (parts[i]);

      g_free (parts[i]);
      parts[i] = unbreakable;
    }
  return g_strjoinv (", ", parts);
}

static char *
accounts_text (gpointer item)
{
  return g_strdup_printf ("%u", item_file (item)->accounts);
}

static char *
size_text (gpointer item)
{
  return sesame_format_size (item_file (item)->size);
}

static char *
generated_text (gpointer item)
{
  return format_generated (item_file (item)->generated_at);
}

static char *
since_text (gpointer item)
{
  return sesame_identifier_file_dup_contents (item_file (item));
}

static void
actions_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *download, *print, *delete;

  download = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (download), "folder-download-symbolic");
  gtk_widget_set_tooltip_text (download, _("Download"));
  gtk_widget_add_css_class (download, "flat");

  print = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (print), "document-print-symbolic");
  gtk_widget_set_tooltip_text (print, _("Print"));
  gtk_widget_add_css_class (print, "flat");

  delete = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_tooltip_text (delete, _("Delete"));
  gtk_widget_add_css_class (delete, "flat");

  gtk_box_append (GTK_BOX (box), download);
  gtk_box_append (GTK_BOX (box), print);
  gtk_box_append (GTK_BOX (box), delete);
  gtk_list_item_set_child (list_item, box);
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
add_print_item (GMenu      *menu,
                const char *label,
                const char *id,
                const char *what)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, "files.print", g_variant_new ("(ss)", id, what));
  g_menu_append_item (menu, item);
}

static void
actions_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  SesameIdentifierFile *file = item_file (gtk_list_item_get_item (list_item));
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *download = gtk_widget_get_first_child (box);
  GtkWidget *print = gtk_widget_get_next_sibling (download);
  GtkWidget *delete = gtk_widget_get_next_sibling (print);
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();

  g_autoptr(GMenu) downloads = g_menu_new ();
  g_autoptr(GMenuItem) csv = g_menu_item_new (_("Download as _CSV (GEPI, Mail Merge)…"), NULL);
  g_autoptr(GMenuItem) spreadsheet = g_menu_item_new (_("Download as _Spreadsheet (.xlsx)…"), NULL);

  g_menu_item_set_action_and_target_value (csv, "files.download", g_variant_new ("(ss)", file->id, "csv"));
  g_menu_append_item (downloads, csv);
  g_menu_item_set_action_and_target_value (spreadsheet, "files.download", g_variant_new ("(ss)", file->id, "spreadsheet"));
  g_menu_append_item (downloads, spreadsheet);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (download), G_MENU_MODEL (downloads));

  /* The target first: an action name without its target would not match. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (delete), "s", file->id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (delete), "files.delete");

  add_print_item (section, _("Print Slips and Letters…"), file->id, "auto");
  add_print_item (section, _("Print Slips Only…"), file->id, "slips");
  add_print_item (section, _("Print Letters Only…"), file->id, "letters");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_clear_object (&section);
  section = g_menu_new ();
  add_print_item (section, _("Preview"), file->id, "preview");
  add_print_item (section, _("Export as PDF…"), file->id, "pdf");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (print), G_MENU_MODEL (menu));
}

/* Sorters: each column sorts by what it shows, numbers as numbers. */

static int
compare_text (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  SesameCellTextFunc func = user_data;
  g_autofree char *text_a = func ((gpointer) a);
  g_autofree char *text_b = func ((gpointer) b);
  g_autofree char *key_a = g_utf8_collate_key_for_filename (text_a, -1);
  g_autofree char *key_b = g_utf8_collate_key_for_filename (text_b, -1);

  return strcmp (key_a, key_b);
}

static int
compare_generated (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  gint64 time_a = item_file ((gpointer) a)->generated_at;
  gint64 time_b = item_file ((gpointer) b)->generated_at;

  return (time_a > time_b) - (time_a < time_b);
}

static int
compare_accounts (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  guint n_a = item_file ((gpointer) a)->accounts;
  guint n_b = item_file ((gpointer) b)->accounts;

  return (n_a > n_b) - (n_a < n_b);
}

static int
compare_size (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  gint64 size_a = item_file ((gpointer) a)->size;
  gint64 size_b = item_file ((gpointer) b)->size;

  return (size_a > size_b) - (size_a < size_b);
}

/* files.sort (column, descending): sorts the table as a click on a
 * column's header does; the columns are "name", "establishment",
 * "profiles", "accounts", "size", "generated" and "contents". */
static void
sort_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SesameFilesPage *self = SESAME_FILES_PAGE (widget);
  g_autoptr(GListModel) columns = NULL;
  const char *id = NULL;
  gboolean descending = FALSE;

  g_variant_get (parameter, "(&sb)", &id, &descending);
  columns = g_object_ref (gtk_column_view_get_columns (self->column_view));
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (column), "sesame-sort-id"), id) == 0)
        gtk_column_view_sort_by_column (self->column_view, column,
                                        descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
    }
}

/* Widening the window again brings the table back to its first column:
 * the scrolled window would otherwise keep the offset of the narrow
 * window, with the names out of sight. */
static void
scrolled_width_cb (GtkAdjustment   *adjustment,
                   GParamSpec      *pspec,
                   SesameFilesPage *self)
{
  int width = (int) gtk_adjustment_get_page_size (adjustment);

  if (width > self->last_width && self->last_width > 0)
    gtk_adjustment_set_value (adjustment, 0);
  self->last_width = width;
}

/* A new order shows the table from its first row, not from wherever the
 * row that was on top went. */
static gboolean
scroll_to_top (GtkWidget     *widget,
               GdkFrameClock *frame_clock,
               gpointer       user_data)
{
  SesameFilesPage *self = SESAME_FILES_PAGE (widget);

  /* Once the list has laid out the new order, which moves the view along
   * with the row it showed on top. */
  gtk_widget_activate_action (GTK_WIDGET (self->column_view), "list.scroll-to-item", "u", 0);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
  return G_SOURCE_REMOVE;
}

static void
sorted_cb (SesameFilesPage *self)
{
  if (self->scrolled_window == NULL)
    return;
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
  gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_top, NULL, NULL);
}

static void
setup_columns (SesameFilesPage *self)
{
  g_autoptr(GtkListItemFactory) actions = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = NULL;
  g_autoptr(GtkColumnViewColumn) actions_column = NULL;
  struct {
    const char         *id;
    const char         *title;
    SesameCellTextFunc  func;
    GCompareDataFunc    compare;
    gboolean            numeric;
    gboolean            expand;
  } columns[] = {
    { "name", _("Name"), name_text, compare_text, FALSE, FALSE },
    { "establishment", _("Establishment"), establishment_text, compare_text, FALSE, TRUE },
    { "profiles", _("Contents"), profiles_text, compare_text, FALSE, TRUE },
    { "accounts", _("Accounts"), accounts_text, compare_accounts, TRUE, FALSE },
    { "size", _("Size (bytes)"), size_text, compare_size, TRUE, FALSE },
    { "generated", _("Generated On"), generated_text, compare_generated, FALSE, FALSE },
    { "contents", _("Accounts Listed"), since_text, compare_text, FALSE, TRUE },
  };

  g_signal_connect (actions, "setup", G_CALLBACK (actions_setup), NULL);
  g_signal_connect (actions, "bind", G_CALLBACK (actions_bind), NULL);
  actions_column = gtk_column_view_column_new (NULL, g_object_ref (actions));

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = NULL;
      g_autoptr(GtkCustomSorter) sorter = NULL;

      column = sesame_wrap_column_new (columns[i].title, columns[i].func, columns[i].numeric, columns[i].expand);
      sorter = gtk_custom_sorter_new (columns[i].compare, columns[i].func, NULL);
      gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
      g_object_set_data (G_OBJECT (column), "sesame-sort-id", (gpointer) columns[i].id);
      gtk_column_view_append_column (self->column_view, column);
      /* The row's buttons right after its name: a narrow window shows both. */
      if (i == 0)
        gtk_column_view_append_column (self->column_view, actions_column);
    }

  /* Newest first until a column is chosen. */
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->files)),
                                          g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->page = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->sorted)), 0, PAGE_SIZE);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->page)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));

  g_signal_connect_object (gtk_scrolled_window_get_hadjustment (self->scrolled_window), "notify::page-size",
                           G_CALLBACK (scrolled_width_cb), self, 0);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (sorted_cb), self, G_CONNECT_SWAPPED);
}

static void
sesame_files_page_dispose (GObject *object)
{
  SesameFilesPage *self = SESAME_FILES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  /* The column view's sorter changes as its columns go, and the scrolled
   * window's adjustment as it goes: neither may call back into a page
   * whose widgets are gone. */
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  if (self->scrolled_window != NULL)
    g_signal_handlers_disconnect_by_data (gtk_scrolled_window_get_hadjustment (self->scrolled_window), self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sesame_files_page_parent_class)->dispose (object);
}

static void
sesame_files_page_finalize (GObject *object)
{
  SesameFilesPage *self = SESAME_FILES_PAGE (object);

  g_clear_object (&self->page);
  g_clear_object (&self->sorted);
  g_clear_object (&self->files);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sesame_files_page_parent_class)->finalize (object);
}

static void
sesame_files_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SesameFilesPage *self = SESAME_FILES_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_files_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SesameFilesPage *self = SESAME_FILES_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_set_object (&self->store, g_value_get_object (value));
      break;
    case PROP_SETTINGS:
      g_set_object (&self->settings, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_files_page_class_init (SesameFilesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_files_page_dispose;
  object_class->finalize = sesame_files_page_finalize;
  object_class->get_property = sesame_files_page_get_property;
  object_class->set_property = sesame_files_page_set_property;

  widget_class->map = sesame_files_page_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SESAME_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "files.regenerate", NULL, regenerate_action);
  gtk_widget_class_install_action (widget_class, "files.export", "(ss)", export_action);
  gtk_widget_class_install_action (widget_class, "files.download", "(ss)", download_action);
  gtk_widget_class_install_action (widget_class, "files.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "files.print", "(ss)", print_action);
  gtk_widget_class_install_action (widget_class, "files.sort", "(sb)", sort_action);
  gtk_widget_class_install_action (widget_class, "files.show-more", NULL, show_more_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-files-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameFilesPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SesameFilesPage, table_stack);
  gtk_widget_class_bind_template_child (widget_class, SesameFilesPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, SesameFilesPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SesameFilesPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, SesameFilesPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, SesameFilesPage, show_more_button);
}

static void
sesame_files_page_init (SesameFilesPage *self)
{
  self->files = g_list_store_new (SESAME_TYPE_BOXED_ITEM);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  setup_columns (self);
  update_count (self);
}

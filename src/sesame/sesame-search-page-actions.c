/* sesame-search-page-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The actions of the search page: open a person, change a login or
 * regenerate a password from their row, show more results, pick a class
 * or group, and act on the people selected (regenerate their passwords,
 * print their slips or letters, export them as CSV). Batches run off the
 * main thread.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-csv.h"
#include "sesame-print.h"
#include "sesame-notice-sender.h"
#include "sesame-search-page-private.h"
#include "sesame-ui-util.h"
#include "sesame-worker.h"

/**
 * _sesame_search_page_dup_selected:
 * @self: a #SesameSearchPage
 *
 * Returns: (transfer full) (element-type SesamePerson): the people selected,
 *   in the order shown
 */
GPtrArray *
_sesame_search_page_dup_selected (SesameSearchPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GPtrArray *people = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_iter_init_first (&iter, selected, &position))
    do
      g_ptr_array_add (people, g_list_model_get_item (G_LIST_MODEL (self->sorted), position));
    while (gtk_bitset_iter_next (&iter, &position));
  return people;
}

void
_sesame_search_page_update_actions (SesameSearchPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(GtkBitset) selected = NULL;
  gboolean allowed, any_selected, any_result, details;

  allowed = self->store != NULL && sesame_store_operator_can (self->store, SESAME_PERMISSION_SEARCH);
  selected = self->selection ? gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection)) : NULL;
  any_selected = selected != NULL && !gtk_bitset_is_empty (selected);
  any_result = self->sorted != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->sorted)) > 0;
  details = g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "details") == 0;

  gtk_widget_action_set_enabled (widget, "search.open", allowed);
  gtk_widget_action_set_enabled (widget, "search.back", details);
  gtk_widget_action_set_enabled (widget, "search.select-all", allowed && any_result && !details);
  gtk_widget_action_set_enabled (widget, "search.show-more",
                                 allowed && self->runner != NULL && sesame_search_runner_get_truncated (self->runner) &&
                                 self->limit < SESAME_SEARCH_SELECT_ALL_LIMIT);
  gtk_widget_action_set_enabled (widget, "search.browse-groups", allowed);
  gtk_widget_action_set_enabled (widget, "search.change-login",
                                 allowed && sesame_store_operator_can (self->store, SESAME_PERMISSION_CHANGE_LOGIN));
  gtk_widget_action_set_enabled (widget, "search.reset-password",
                                 allowed && sesame_store_operator_can (self->store, SESAME_PERMISSION_RESET_PASSWORD));
  gtk_widget_action_set_enabled (widget, "search.reset-passwords",
                                 any_selected && sesame_store_operator_can (self->store, SESAME_PERMISSION_RESET_PASSWORD));
  gtk_widget_action_set_enabled (widget, "search.print",
                                 any_selected && sesame_store_operator_can (self->store, SESAME_PERMISSION_PRINT));
  gtk_widget_action_set_enabled (widget, "search.export-csv", allowed && any_selected);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SesameSearchPage *self = SESAME_SEARCH_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!sesame_person_view_show (self->person_view, g_variant_get_string (parameter, NULL), &error))
    {
      sesame_show_error (widget, _("This Person Cannot Be Shown"), error);
      return;
    }
  adw_leaflet_set_visible_child_name (self->leaflet, "details");
  sesame_person_view_focus_first_action (self->person_view);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SesameSearchPage *self = SESAME_SEARCH_PAGE (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "results");
}

/* Every person the search finds, not only those shown: the search runs
 * again as far as a selection goes, and the page says so if even that
 * is not all of them. */
static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SesameSearchPage *self = SESAME_SEARCH_PAGE (widget);

  if (sesame_search_runner_get_truncated (self->runner) && self->limit < SESAME_SEARCH_SELECT_ALL_LIMIT)
    {
      self->limit = SESAME_SEARCH_SELECT_ALL_LIMIT;
      self->select_all_pending = TRUE;
      _sesame_search_page_run (self);
      return;
    }
  gtk_selection_model_select_all (GTK_SELECTION_MODEL (self->selection));
  if (sesame_search_runner_get_truncated (self->runner))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Only the first %u people are selected: a selection stops there. "
                                   "Narrow the search to reach the others."),
                                 g_list_model_get_n_items (G_LIST_MODEL (self->sorted)));
      sesame_show_toast (widget, message);
    }
}

static void
show_more_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SesameSearchPage *self = SESAME_SEARCH_PAGE (widget);

  self->limit = MIN (self->limit + SESAME_SEARCH_PAGE_SIZE, SESAME_SEARCH_SELECT_ALL_LIMIT);
  _sesame_search_page_run (self);
}

/* The row's own actions go through the person's page, unseen, so that a
 * login changed or a password regenerated from the list follows the very
 * same steps, dialogs and records as from the person's page. */
static void
person_action (SesameSearchPage *self,
               const char       *key,
               const char       *person_action_name)
{
  g_autoptr(GError) error = NULL;

  if (!sesame_person_view_show (self->person_view, key, &error))
    {
      sesame_show_error (GTK_WIDGET (self), _("This Person Cannot Be Shown"), error);
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self->person_view), person_action_name, NULL);
}

static void
change_login_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  person_action (SESAME_SEARCH_PAGE (widget), g_variant_get_string (parameter, NULL), "person.change-login");
}

static void
reset_password_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  person_action (SESAME_SEARCH_PAGE (widget), g_variant_get_string (parameter, NULL), "person.reset-password");
}

static void
browse_groups_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  _sesame_search_page_browse_groups (SESAME_SEARCH_PAGE (widget));
}

static char **
selected_logins (SesameSearchPage *self,
                 guint            *n_skipped)
{
  g_autoptr(GPtrArray) people = _sesame_search_page_dup_selected (self);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint skipped = 0;

  for (guint i = 0; i < people->len; i++)
    {
      SesamePerson *person = g_ptr_array_index (people, i);

      /* Academy staff have no credentials to hand out. */
      if (sesame_person_is_distributable (person) && *sesame_person_get_login (person) != '\0')
        g_strv_builder_add (builder, sesame_person_get_login (person));
      else
        skipped++;
    }
  if (n_skipped != NULL)
    *n_skipped = skipped;
  return g_strv_builder_end (builder);
}

static void
print_logins (SesameSearchPage *self,
              char            **logins,
              const char       *what)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  SesamePrintMode mode = SESAME_PRINT_MODE_DIALOG;

  query->logins = logins;
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

  sesame_print_letters (GTK_WIDGET (self), self->store, self->settings, query, mode);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SesameSearchPage *self = SESAME_SEARCH_PAGE (widget);
  char **logins = selected_logins (self, NULL);

  if (logins[0] == NULL)
    {
      g_strfreev (logins);
      sesame_show_toast (widget, _("Nothing to print: academy staff sign in with their academic credentials"));
      return;
    }
  print_logins (self, logins, g_variant_get_string (parameter, NULL));
}

/* Regenerate the passwords of the selection */

typedef struct
{
  char    **logins;
  guint     done;
  GString  *failures;
} Batch;

static void
batch_free (Batch *batch)
{
  g_strfreev (batch->logins);
  if (batch->failures != NULL)
    g_string_free (batch->failures, TRUE);
  g_free (batch);
}

static gpointer
reset_in_thread (SesameStore   *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Batch *batch = data;
  Batch *result = g_new0 (Batch, 1);

  result->logins = g_strdupv (batch->logins);
  result->failures = g_string_new (NULL);
  for (guint i = 0; batch->logins[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *password = NULL;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      password = sesame_accounts_reset_password (store, batch->logins[i], &local_error);
      if (password != NULL)
        {
          /* The new passwords reach people on paper, never on screen. */
          memset (password, 0, strlen (password));
          result->done++;
        }
      else
        g_string_append_printf (result->failures, "%s%s", result->failures->len ? "\n" : "", local_error->message);
    }
  return result;
}

static void
reset_result_response (AdwMessageDialog *dialog,
                       const char       *response,
                       SesameSearchPage *self)
{
  char **logins = g_object_steal_data (G_OBJECT (dialog), "logins");

  if (g_strcmp0 (response, "print") == 0 && logins != NULL)
    print_logins (self, logins, "auto");
  else
    g_strfreev (logins);
}

static void
reset_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SesameSearchPage) self = user_data;
  g_autoptr(GError) error = NULL;
  Batch *batch;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  batch = sesame_worker_run_finish (result, &error);
  if (batch == NULL)
    {
      sesame_show_error (GTK_WIDGET (self), _("The Passwords Could Not Be Regenerated"), error);
      return;
    }

  /* The operator's copy by email, in the background. */
  sesame_send_notices (GTK_WIDGET (self), self->store);
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Password Regenerated", "%u Passwords Regenerated",
                                          batch->done), batch->done);
  dialog = adw_message_dialog_new (sesame_widget_get_window (GTK_WIDGET (self)), heading,
                                   batch->failures->len > 0 ? batch->failures->str
                                   : _("The new passwords are not shown on screen. Print their slips and letters now, "
                                       "or later from each person's page: they can be printed until the person signs in "
                                       "or the password expires. Each person must choose their own password at the next sign-in."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "close", _("_Close"),
                                    "print", _("_Print Slips and Letters…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "print", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "print", batch->done > 0);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "print");
  g_object_set_data_full (G_OBJECT (dialog), "logins", g_steal_pointer (&batch->logins), (GDestroyNotify) g_strfreev);
  g_signal_connect_object (dialog, "response", G_CALLBACK (reset_result_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  batch_free (batch);

  _sesame_search_page_run (self);
  sesame_person_view_refresh (self->person_view);
}

typedef struct
{
  SesameSearchPage  *self;
  char             **logins;
} Confirm;

static void
confirm_free (gpointer data)
{
  Confirm *confirm = data;

  g_object_unref (confirm->self);
  g_strfreev (confirm->logins);
  g_free (confirm);
}

static void
reset_confirmed (gpointer data)
{
  Confirm *confirm = data;
  Batch *batch = g_new0 (Batch, 1);

  batch->logins = g_steal_pointer (&confirm->logins);
  sesame_worker_run_async (confirm->self->store, reset_in_thread, batch, (GDestroyNotify) batch_free,
                           (GDestroyNotify) batch_free, confirm->self->cancellable,
                           reset_done, g_object_ref (confirm->self));
}

static void
reset_passwords_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SesameSearchPage *self = SESAME_SEARCH_PAGE (widget);
  guint skipped = 0;
  char **logins = selected_logins (self, &skipped);
  guint n = g_strv_length (logins);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  Confirm *confirm;

  if (n == 0)
    {
      g_strfreev (logins);
      sesame_show_toast (widget, _("No password to regenerate: academy staff sign in with their academic credentials"));
      return;
    }

  if (n == 1)
    heading = g_strdup (_("Do you want to create a new password for this user?"));
  else
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Do you want to create new passwords for these %u users?",
                                            "Do you want to create new passwords for these %u users?", n), n);
  if (skipped > 0)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Their current passwords stop working at once. %u academy staff member is left out.",
                                         "Their current passwords stop working at once. %u academy staff members are left out.",
                                         skipped), skipped);
  else
    body = g_strdup (_("Their current passwords stop working at once."));

  confirm = g_new0 (Confirm, 1);
  confirm->self = g_object_ref (self);
  confirm->logins = logins;
  sesame_confirm (widget, heading, body, _("_Create New Passwords"), FALSE, reset_confirmed, confirm, confirm_free);
}

/* Export the selection as CSV */

typedef struct
{
  char   *path;
  GBytes *bytes;
} Csv;

static void
csv_free (Csv *csv)
{
  g_free (csv->path);
  g_bytes_unref (csv->bytes);
  g_free (csv);
}

static gpointer
write_csv_in_thread (SesameStore   *store,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  Csv *csv = data;
  g_autoptr(GFile) file = g_file_new_for_path (csv->path);

  /* Readable by its owner only, like every file of accounts. */
  if (!g_file_replace_contents (file, g_bytes_get_data (csv->bytes, NULL), g_bytes_get_size (csv->bytes),
                                NULL, FALSE, G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, cancellable, error))
    return NULL;
  return g_strdup (csv->path);
}

static void
write_csv_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SesameSearchPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sesame_worker_run_finish (result, &error);
  g_autofree char *basename = NULL;
  g_autofree char *message = NULL;

  if (path == NULL)
    {
      sesame_show_error (GTK_WIDGET (self), _("The List Could Not Be Saved"), error);
      return;
    }
  basename = g_path_get_basename (path);
  message = g_strdup_printf (_("%s saved"), basename);
  sesame_show_toast (GTK_WIDGET (self), message);
}

static GBytes *
build_csv (SesameSearchPage *self)
{
  g_autoptr(GPtrArray) people = _sesame_search_page_dup_selected (self);
  GString *csv = g_string_new ("\xEF\xBB\xBF");
  const char *header[] = {
    N_("Last Name"), N_("First Name"), N_("Profile"), N_("State"), N_("Login"),
    N_("Establishment (UAI)"), N_("Main Establishment"), N_("Classes"), N_("Directory Key"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    {
      if (i > 0)
        g_string_append_c (csv, ';');
      sesame_csv_append_cell (csv, _(header[i]));
    }
  g_string_append (csv, "\r\n");

  for (guint i = 0; i < people->len; i++)
    {
      SesamePerson *person = g_ptr_array_index (people, i);
      g_autofree char *classes = sesame_person_dup_classes_label (person);
      const char *cells[] = {
        sesame_person_get_last_name (person),
        sesame_person_get_first_name (person),
        sesame_profile_to_label (sesame_person_get_profile (person)),
        sesame_account_state_to_label (sesame_person_get_state (person)),
        sesame_person_get_login (person),
        sesame_person_get_establishment (person),
        sesame_person_get_field (person, SESAME_PERSON_ESTABLISHMENT_NAME),
        classes,
        sesame_person_get_key (person),
      };

      for (guint j = 0; j < G_N_ELEMENTS (cells); j++)
        {
          if (j > 0)
            g_string_append_c (csv, ';');
          sesame_csv_append_cell (csv, cells[j] ? cells[j] : "");
        }
      g_string_append (csv, "\r\n");
    }
  return g_string_free_to_bytes (csv);
}

static void
csv_response_cb (GtkNativeDialog  *chooser,
                 int               response,
                 SesameSearchPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        {
          Csv *csv = g_new0 (Csv, 1);

          csv->path = path;
          csv->bytes = build_csv (self);
          sesame_worker_run_async (self->store, write_csv_in_thread, csv, (GDestroyNotify) csv_free, g_free,
                                   self->cancellable, write_csv_done, g_object_ref (self));
        }
    }
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

static void
export_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SesameSearchPage *self = SESAME_SEARCH_PAGE (widget);
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export the Selection"), sesame_widget_get_window (widget),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("selection.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (csv_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_sesame_search_page_class_actions_init (SesameSearchPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_property_action (widget_class, "search.mode", "mode");
  gtk_widget_class_install_action (widget_class, "search.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "search.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "search.select-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "search.show-more", NULL, show_more_action);
  gtk_widget_class_install_action (widget_class, "search.change-login", "s", change_login_action);
  gtk_widget_class_install_action (widget_class, "search.reset-password", "s", reset_password_action);
  gtk_widget_class_install_action (widget_class, "search.browse-groups", NULL, browse_groups_action);
  gtk_widget_class_install_action (widget_class, "search.reset-passwords", NULL, reset_passwords_action);
  gtk_widget_class_install_action (widget_class, "search.print", "s", print_action);
  gtk_widget_class_install_action (widget_class, "search.export-csv", NULL, export_csv_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "search.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "search.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "search.print", "s", "auto");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "search.export-csv", NULL);
}

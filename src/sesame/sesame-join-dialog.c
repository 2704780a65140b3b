/* sesame-join-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Join the establishment's server", from the welcome page: a new desk
 * asks for the server's address, the one-time code the administrator made
 * with `sesamectl desks add`, and, for the server's own certificate, the
 * fingerprint it printed. Joining checks and pins the certificate, enrols
 * and downloads the establishments' snapshot: seconds on a school's
 * network, longer on a large academy's, so it runs on a thread with a
 * spinner and can be cancelled. Errors say what to do: an address that
 * does not answer, a code refused, a certificate that is not the one
 * given. Once joined, the dialog says so ("joined") and the application
 * opens the desk's store on the sign-in page.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sesame-join-dialog.h"

struct _SesameJoinDialog
{
  AdwWindow        parent_instance;

  AdwEntryRow     *url_row;
  AdwEntryRow     *code_row;
  AdwEntryRow     *fingerprint_row;
  GtkLabel        *status_label;
  GtkLabel        *error_label;
  GtkSpinner      *spinner;
  GtkWidget       *join_button;
  GtkWidget       *form;

  char            *store_path;
  GCancellable    *cancellable;
};

G_DEFINE_FINAL_TYPE (SesameJoinDialog, sesame_join_dialog, ADW_TYPE_WINDOW)

enum {
  JOINED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char *store_path;
  char *url;
  char *code;
  char *fingerprint;
} JoinData;

static void
join_data_free (JoinData *data)
{
  g_free (data->store_path);
  g_free (data->url);
  g_free (data->code);
  g_free (data->fingerprint);
  g_free (data);
}

static void
set_running (SesameJoinDialog *self,
             gboolean          running)
{
  gtk_widget_set_sensitive (self->form, !running);
  gtk_widget_set_sensitive (self->join_button, !running);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), running);
  if (running)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
}

static void
show_error (SesameJoinDialog *self,
            const char       *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
join_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  JoinData *data = task_data;
  g_auto(SesameSyncJoinReport) report = { 0 };
  g_autoptr(SesameStore) store = NULL;
  GError *error = NULL;

  /* A leftover of an attempt cut short goes first. */
  g_unlink (data->store_path);
  store = sesame_sync_client_join_full (data->store_path, data->url, data->code, data->fingerprint,
                                        cancellable, &report, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Closed here: the application opens it in its place. */
  g_clear_object (&store);
  g_task_return_boolean (task, TRUE);
}

static void
join_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SesameJoinDialog *self = SESAME_JOIN_DIALOG (source);
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->cancellable);
  set_running (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("Joining was cancelled. If the server had already taken the code, ask its "
                            "administrator for a new one."));
      else if (g_error_matches (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_REFUSED))
        {
          g_autofree char *text = g_strdup_printf (_("The server refused the code: %s Check it, or ask "
                                                     "the server’s administrator for a new one."),
                                                   error->message);
          show_error (self, text);
          gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
        }
      else
        {
          show_error (self, error->message);
          if (g_error_matches (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_FINGERPRINT))
            gtk_widget_grab_focus (GTK_WIDGET (self->fingerprint_row));
          else
            gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
        }
      return;
    }
  show_error (self, NULL);
  g_signal_emit (self, signals[JOINED], 0, self->store_path);
  gtk_window_destroy (GTK_WINDOW (self));
}

/**
 * sesame_join_dialog_join:
 * @self: a #SesameJoinDialog
 *
 * Joins the server the fields name, as the Join button does.
 */
void
sesame_join_dialog_join (SesameJoinDialog *self)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  g_autofree char *code = NULL;
  g_autofree char *fingerprint = NULL;
  JoinData *data;

  g_return_if_fail (SESAME_IS_JOIN_DIALOG (self));

  if (self->cancellable != NULL)
    return;
  url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));
  code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->code_row))));
  fingerprint = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->fingerprint_row))));
  if (*url == '\0')
    {
      show_error (self, _("Type the server’s address, for example https://sesame.college.fr:8443."));
      gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
      return;
    }
  if (!g_str_has_prefix (url, "https://"))
    {
      g_autofree char *with_scheme = g_strconcat ("https://", url, NULL);

      g_free (url);
      url = g_steal_pointer (&with_scheme);
      gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
    }
  if (*code == '\0')
    {
      show_error (self, _("Type the one-time code the server’s administrator gave you (“sesamectl desks add”)."));
      gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
      return;
    }

  show_error (self, NULL);
  data = g_new0 (JoinData, 1);
  data->store_path = g_strdup (self->store_path);
  data->url = g_steal_pointer (&url);
  data->code = g_steal_pointer (&code);
  data->fingerprint = *fingerprint != '\0' ? g_steal_pointer (&fingerprint) : NULL;
  {
    g_autofree char *status = g_strdup_printf (_("Joining %s: checking its certificate, enrolling this desk, "
                                                 "then copying the establishments it serves…"), data->url);

    gtk_label_set_text (self->status_label, status);
  }
  set_running (self, TRUE);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, join_done, NULL);
  g_task_set_source_tag (task, sesame_join_dialog_join);
  g_task_set_task_data (task, data, (GDestroyNotify) join_data_free);
  g_task_run_in_thread (task, join_thread);
}

/**
 * sesame_join_dialog_cancel:
 * @self: a #SesameJoinDialog
 *
 * Stops joining, or closes the dialog when nothing runs, as the Cancel
 * button does.
 */
void
sesame_join_dialog_cancel (SesameJoinDialog *self)
{
  g_return_if_fail (SESAME_IS_JOIN_DIALOG (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_destroy (GTK_WINDOW (self));
}

/**
 * sesame_join_dialog_is_running:
 * @self: a #SesameJoinDialog
 *
 * Tells whether joining is under way.
 *
 * Returns: %TRUE while joining runs
 */
gboolean
sesame_join_dialog_is_running (SesameJoinDialog *self)
{
  g_return_val_if_fail (SESAME_IS_JOIN_DIALOG (self), FALSE);
  return self->cancellable != NULL;
}

/**
 * sesame_join_dialog_get_error:
 * @self: a #SesameJoinDialog
 *
 * Gives the error shown, for tests.
 *
 * Returns: the error shown, or ""
 */
const char *
sesame_join_dialog_get_error (SesameJoinDialog *self)
{
  g_return_val_if_fail (SESAME_IS_JOIN_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : "";
}

/**
 * sesame_join_dialog_set_fields:
 * @self: a #SesameJoinDialog
 * @url: the server's address
 * @code: the one-time code
 * @fingerprint: (nullable): the certificate's fingerprint
 *
 * Fills the form, as a person types it.
 */
void
sesame_join_dialog_set_fields (SesameJoinDialog *self,
                               const char       *url,
                               const char       *code,
                               const char       *fingerprint)
{
  g_return_if_fail (SESAME_IS_JOIN_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url != NULL ? url : "");
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), code != NULL ? code : "");
  gtk_editable_set_text (GTK_EDITABLE (self->fingerprint_row), fingerprint != NULL ? fingerprint : "");
}

static void
join_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  sesame_join_dialog_join (SESAME_JOIN_DIALOG (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  sesame_join_dialog_cancel (SESAME_JOIN_DIALOG (widget));
}

static gboolean
sesame_join_dialog_close_request (GtkWindow *window)
{
  SesameJoinDialog *self = SESAME_JOIN_DIALOG (window);

  /* Closed while joining: joining stops, the dialog goes once it has. */
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      return TRUE;
    }
  return FALSE;
}

static void
sesame_join_dialog_dispose (GObject *object)
{
  SesameJoinDialog *self = SESAME_JOIN_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sesame_join_dialog_parent_class)->dispose (object);
}

static void
sesame_join_dialog_finalize (GObject *object)
{
  SesameJoinDialog *self = SESAME_JOIN_DIALOG (object);

  g_free (self->store_path);

  G_OBJECT_CLASS (sesame_join_dialog_parent_class)->finalize (object);
}

static void
sesame_join_dialog_class_init (SesameJoinDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sesame_join_dialog_dispose;
  object_class->finalize = sesame_join_dialog_finalize;
  window_class->close_request = sesame_join_dialog_close_request;

  /**
   * SesameJoinDialog::joined:
   * @self: the dialog
   * @path: the desk's new store, closed
   *
   * The desk joined the server; the dialog closes.
   */
  signals[JOINED] =
    g_signal_new ("joined", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "join.join", NULL, join_action);
  gtk_widget_class_install_action (widget_class, "join.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "join.cancel", NULL);
}

static GtkWidget *
entry_row (const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  return row;
}

static void
sesame_join_dialog_init (SesameJoinDialog *self)
{
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *intro = gtk_label_new (_("A desk joined to the establishment’s server shares its directory with the "
                                      "other desks and keeps working when the network is gone. Ask the server’s "
                                      "administrator for its address and a one-time code for this desk."));
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *status_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  gtk_window_set_title (GTK_WINDOW (self), _("Join the Establishment’s Server"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, -1);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "join.cancel");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->join_button = gtk_button_new_with_mnemonic (_("_Join"));
  gtk_widget_add_css_class (self->join_button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->join_button), "join.join");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->join_button);

  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_xalign (GTK_LABEL (intro), 0);

  self->url_row = ADW_ENTRY_ROW (entry_row (_("Server _Address")));
  self->code_row = ADW_ENTRY_ROW (entry_row (_("One-Time _Code")));
  self->fingerprint_row = ADW_ENTRY_ROW (entry_row (_("Certificate _Fingerprint (Optional)")));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->fingerprint_row),
                               _("The 64 hexadecimal digits sesame-server printed when it made its own "
                                 "certificate: needed unless a known authority signed it."));
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->url_row));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->code_row));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->fingerprint_row));
  g_signal_connect_swapped (self->url_row, "entry-activated", G_CALLBACK (sesame_join_dialog_join), self);
  g_signal_connect_swapped (self->code_row, "entry-activated", G_CALLBACK (sesame_join_dialog_join), self);
  g_signal_connect_swapped (self->fingerprint_row, "entry-activated", G_CALLBACK (sesame_join_dialog_join), self);
  adw_entry_row_set_activates_default (self->url_row, FALSE);

  self->form = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_box_append (GTK_BOX (self->form), intro);
  gtk_box_append (GTK_BOX (self->form), list);

  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->status_label, TRUE);
  gtk_label_set_xalign (self->status_label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->status_label), TRUE);
  gtk_box_append (GTK_BOX (status_box), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (status_box), GTK_WIDGET (self->status_label));

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_label_set_selectable (self->error_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Why the desk could not join"), -1);

  gtk_box_append (GTK_BOX (content), self->form);
  gtk_box_append (GTK_BOX (content), status_box);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->error_label));
  gtk_widget_set_margin_top (content, 24);
  gtk_widget_set_margin_bottom (content, 24);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), clamp);
  adw_window_set_content (ADW_WINDOW (self), box);
  set_running (self, FALSE);
  show_error (self, NULL);
}

/**
 * sesame_join_dialog_new:
 * @store_path: where the desk's store goes; whatever is there is replaced
 *
 * Makes the dialog that joins this computer to a sesame-server.
 *
 * Returns: (transfer full): a new #SesameJoinDialog
 */
SesameJoinDialog *
sesame_join_dialog_new (const char *store_path)
{
  SesameJoinDialog *self;

  g_return_val_if_fail (store_path != NULL, NULL);

  self = g_object_new (SESAME_TYPE_JOIN_DIALOG, NULL);
  self->store_path = g_strdup (store_path);
  return self;
}

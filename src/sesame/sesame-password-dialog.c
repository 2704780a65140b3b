/* sesame-password-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows a regenerated password, once, and what the desk does with it:
 * copy it, print the person's slip, or send the person the activation
 * link by email (the diffusion's message, never the password). The
 * dialog stays open through these, so that a failed email can be tried
 * again or replaced by the slip; its "printed" signal lets the person's
 * page read the history again.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-campaign.h"
#include "sesame-password-dialog.h"
#include "sesame-print.h"
#include "sesame-secrets.h"
#include "sesame-ui-util.h"
#include "sesame-worker.h"

struct _SesamePasswordDialog
{
  AdwMessageDialog    parent_instance;

  /* Template widgets */
  GtkLabel           *password_label;
  AdwActionRow       *email_row;

  /* Owned references */
  SesameStore        *store;
  GSettings          *settings;       /* the desk's, for printing */
  SesameSmtpSettings *smtp_settings;
  GCancellable       *cancellable;
  char               *password;
  char               *login;
  char               *address;
  char               *email_status;

  guint               sending : 1;
  guint               sent : 1;
};

G_DEFINE_FINAL_TYPE (SesamePasswordDialog, sesame_password_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  PRINTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_email_status (SesamePasswordDialog *self,
                  const char           *status)
{
  g_free (self->email_status);
  self->email_status = g_strdup (status);
  adw_action_row_set_subtitle (self->email_row, status);
}

/* Whether an email can go, and if not the reason to show. */
static char *
email_refusal (SesamePasswordDialog *self)
{
  g_autofree char *ent_url = NULL;

  if (self->address == NULL || *self->address == '\0')
    return g_strdup (_("Not possible: the directory gives no email address for this person."));
  if (self->smtp_settings == NULL || !sesame_smtp_settings_is_configured (self->smtp_settings))
    return g_strdup (_("Not possible: no mail server is set up (Preferences, Email)."));
  ent_url = sesame_store_settings_dup (self->store, SESAME_SETTING_ENT_URL, "");
  if (*g_strstrip (ent_url) == '\0')
    return g_strdup (_("Not possible: the ENT address is not set (Preferences)."));
  return NULL;
}

static void
update_email (SesamePasswordDialog *self)
{
  g_autofree char *refusal = email_refusal (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "password.email",
                                 refusal == NULL && !self->sending && !self->sent);
  if (refusal != NULL)
    set_email_status (self, refusal);
}

/**
 * sesame_password_dialog_new:
 * @parent: (nullable): the window asking
 * @store: the store, to print the slip and send the email
 * @settings: (nullable): the desk's settings, where printing keeps the
 *   printer and page setup
 * @person: whose password changed
 * @password: the new password
 *
 * Returns: (transfer none): a new dialog; its response is "close"
 */
SesamePasswordDialog *
sesame_password_dialog_new (GtkWindow    *parent,
                            SesameStore  *store,
                            GSettings    *settings,
                            SesamePerson *person,
                            const char   *password)
{
  SesamePasswordDialog *self;
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;
  g_autofree char *status = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);
  g_return_val_if_fail (SESAME_IS_PERSON (person), NULL);
  g_return_val_if_fail (password != NULL, NULL);

  self = g_object_new (SESAME_TYPE_PASSWORD_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->store = g_object_ref (store);
  self->settings = settings ? g_object_ref (settings) : NULL;
  self->password = g_strdup (password);
  self->login = g_strdup (sesame_person_get_login (person));
  self->address = g_strdup (sesame_person_get_field (person, SESAME_PERSON_EMAIL));
  self->smtp_settings = sesame_smtp_settings_load (store, NULL);
  name = sesame_person_dup_display_name (person);
  body = g_strdup_printf (_("The password of %s (login: %s) was changed. Their new password is:"),
                          name, self->login);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  gtk_label_set_label (self->password_label, password);
  /* Translators: where the activation link goes */
  status = g_strdup_printf (_("The link to choose a password, to %s; never the password"), self->address);
  set_email_status (self, status);
  update_email (self);
  return self;
}

const char *
sesame_password_dialog_get_password (SesamePasswordDialog *self)
{
  g_return_val_if_fail (SESAME_IS_PASSWORD_DIALOG (self), NULL);
  return self->password;
}

const char *
sesame_password_dialog_get_login (SesamePasswordDialog *self)
{
  g_return_val_if_fail (SESAME_IS_PASSWORD_DIALOG (self), NULL);
  return self->login;
}

/**
 * sesame_password_dialog_get_email_status:
 * @self: a #SesamePasswordDialog
 *
 * Returns: what the dialog says of the email: where it goes, why it
 *   cannot, that it left or why it failed
 */
const char *
sesame_password_dialog_get_email_status (SesamePasswordDialog *self)
{
  g_return_val_if_fail (SESAME_IS_PASSWORD_DIALOG (self), NULL);
  return self->email_status;
}

/**
 * sesame_password_dialog_get_sending:
 * @self: a #SesamePasswordDialog
 *
 * Returns: whether the email is on its way to the mail server
 */
gboolean
sesame_password_dialog_get_sending (SesamePasswordDialog *self)
{
  g_return_val_if_fail (SESAME_IS_PASSWORD_DIALOG (self), FALSE);
  return self->sending;
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SesamePasswordDialog *self = SESAME_PASSWORD_DIALOG (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->password);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->password_label), _("Copied"));
  sesame_show_toast (widget, _("Password copied"));
}

/* Print the slip */

static void
print_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SesamePasswordDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sesame_print_letters_finish (result, NULL, &error) && error != NULL &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sesame_show_refusal (GTK_WIDGET (self), self->store, _("Nothing Was Printed"), error);
  g_signal_emit (self, signals[PRINTED], 0);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SesamePasswordDialog *self = SESAME_PASSWORD_DIALOG (widget);
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();

  query->kind = SESAME_LETTER_KIND_SLIPS;
  query->logins = g_new0 (char *, 2);
  query->logins[0] = g_strdup (self->login);
  sesame_print_letters_async (widget, self->store, self->settings, query, SESAME_PRINT_MODE_DIALOG, NULL,
                              self->cancellable, print_done, g_object_ref (self));
}

/* Send by email */

typedef struct
{
  SesameSmtpSettings *settings;
  char               *smtp_password;
  char               *login;
} Sending;

static void
sending_free (gpointer data)
{
  Sending *sending = data;

  g_clear_object (&sending->settings);
  sesame_secrets_free_password (sending->smtp_password);
  g_free (sending->login);
  g_free (sending);
}

static gpointer
send_in_thread (SesameStore   *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Sending *sending = data;

  if (!sesame_activation_email_send (store, sending->settings, sending->smtp_password,
                                     sending->login, cancellable, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
email_failed (SesamePasswordDialog *self,
              const GError         *error)
{
  g_autofree char *status = NULL;

  self->sending = FALSE;
  /* Translators: the email failed; the reason follows */
  status = g_strdup_printf (_("Not sent: %s You can try again, or print the slip."), error->message);
  set_email_status (self, status);
  update_email (self);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SesamePasswordDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;

  if (sesame_worker_run_finish (result, &error) == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        email_failed (self, error);
      return;
    }
  self->sending = FALSE;
  self->sent = TRUE;
  status = g_strdup_printf (_("Sent to %s: the link to choose a password, without the password."), self->address);
  set_email_status (self, status);
  update_email (self);
  sesame_show_toast (GTK_WIDGET (self), status);
  g_signal_emit (self, signals[PRINTED], 0);
}

static void
run_sending (SesamePasswordDialog *self,
             Sending              *sending)
{
  sesame_worker_run_async (self->store, send_in_thread, sending, sending_free, NULL,
                           self->cancellable, sent_cb, g_object_ref (self));
}

static void
smtp_password_found (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(SesamePasswordDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  Sending *sending;
  char *password;

  password = sesame_secrets_lookup_smtp_password_finish (result, &error);
  if (password == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                             _("The mail server password is not in the keyring: an administrator gives it again in the Preferences."));
      email_failed (self, error);
      return;
    }
  sending = g_new0 (Sending, 1);
  sending->settings = g_object_ref (self->smtp_settings);
  sending->smtp_password = password;
  sending->login = g_strdup (self->login);
  run_sending (self, sending);
}

static void
email_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SesamePasswordDialog *self = SESAME_PASSWORD_DIALOG (widget);
  g_autofree char *refusal = NULL;
  g_autofree char *status = NULL;
  const char *user;

  /* Settings may have changed since the dialog opened. */
  g_clear_object (&self->smtp_settings);
  self->smtp_settings = sesame_smtp_settings_load (self->store, NULL);
  refusal = email_refusal (self);
  if (refusal != NULL || self->sending)
    {
      update_email (self);
      return;
    }

  self->sending = TRUE;
  status = g_strdup_printf (_("Sending to %s…"), self->address);
  set_email_status (self, status);
  update_email (self);

  user = sesame_smtp_settings_get_user (self->smtp_settings);
  if (user[0] == '\0')
    {
      Sending *sending = g_new0 (Sending, 1);

      sending->settings = g_object_ref (self->smtp_settings);
      sending->login = g_strdup (self->login);
      run_sending (self, sending);
    }
  else
    sesame_secrets_lookup_smtp_password_async (sesame_smtp_settings_get_host (self->smtp_settings), user,
                                               self->cancellable, smtp_password_found, g_object_ref (self));
}

static void
sesame_password_dialog_dispose (GObject *object)
{
  SesamePasswordDialog *self = SESAME_PASSWORD_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->smtp_settings);

  G_OBJECT_CLASS (sesame_password_dialog_parent_class)->dispose (object);
}

static void
sesame_password_dialog_finalize (GObject *object)
{
  SesamePasswordDialog *self = SESAME_PASSWORD_DIALOG (object);

  /* Do not leave the password lying in freed memory. */
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->login);
  g_free (self->address);
  g_free (self->email_status);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sesame_password_dialog_parent_class)->finalize (object);
}

static void
sesame_password_dialog_class_init (SesamePasswordDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_password_dialog_dispose;
  object_class->finalize = sesame_password_dialog_finalize;

  /**
   * SesamePasswordDialog::printed:
   *
   * The slip was printed or the email left: the person's history has a
   * new line.
   */
  signals[PRINTED] =
    g_signal_new ("printed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "password.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "password.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "password.email", NULL, email_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-password-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SesamePasswordDialog, password_label);
  gtk_widget_class_bind_template_child (widget_class, SesamePasswordDialog, email_row);
}

static void
sesame_password_dialog_init (SesamePasswordDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

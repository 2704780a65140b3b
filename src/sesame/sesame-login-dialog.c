/* sesame-login-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Asks for a new login, checking its format and that nobody else holds it
 * as it is typed.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-login-dialog.h"

struct _SesameLoginDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  AdwEntryRow      *login_row;
  GtkLabel         *message_label;

  /* Owned references */
  SesameStore      *store;
  SesamePerson     *person;

  guint             valid : 1;
};

G_DEFINE_FINAL_TYPE (SesameLoginDialog, sesame_login_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
login_changed_cb (SesameLoginDialog *self)
{
  const char *login = gtk_editable_get_text (GTK_EDITABLE (self->login_row));
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;

  if (g_strcmp0 (login, sesame_person_get_login (self->person)) == 0)
    {
      self->valid = FALSE;
      gtk_label_set_label (self->message_label, _("This is the current login."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "success");
      gtk_widget_remove_css_class (GTK_WIDGET (self->login_row), "error");
    }
  else if (sesame_accounts_check_new_login (self->store, sesame_person_get_key (self->person), login, &error))
    {
      self->valid = TRUE;
      gtk_label_set_label (self->message_label, _("This login is free."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "success");
      gtk_widget_remove_css_class (GTK_WIDGET (self->login_row), "error");
    }
  else
    {
      self->valid = FALSE;
      gtk_label_set_label (self->message_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->login_row), "error");
    }

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "change", self->valid);
}

/**
 * sesame_login_dialog_new:
 * @parent: (nullable): the window asking
 * @store: the store, to check the login
 * @person: whose login changes
 *
 * Returns: (transfer none): a new dialog; its responses are "cancel" and
 *   "change"
 */
SesameLoginDialog *
sesame_login_dialog_new (GtkWindow    *parent,
                         SesameStore  *store,
                         SesamePerson *person)
{
  SesameLoginDialog *self;
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);
  g_return_val_if_fail (SESAME_IS_PERSON (person), NULL);

  self = g_object_new (SESAME_TYPE_LOGIN_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->store = g_object_ref (store);
  self->person = g_object_ref (person);

  name = sesame_person_dup_display_name (person);
  body = g_strdup_printf (_("The login of %s is “%s”. The old login stops working as soon as it is changed."),
                          name, sesame_person_get_login (person));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  gtk_editable_set_text (GTK_EDITABLE (self->login_row), sesame_person_get_login (person));
  login_changed_cb (self);
  return self;
}

const char *
sesame_login_dialog_get_login (SesameLoginDialog *self)
{
  g_return_val_if_fail (SESAME_IS_LOGIN_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->login_row));
}

void
sesame_login_dialog_set_login (SesameLoginDialog *self,
                               const char        *login)
{
  g_return_if_fail (SESAME_IS_LOGIN_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->login_row), login);
}

gboolean
sesame_login_dialog_get_valid (SesameLoginDialog *self)
{
  g_return_val_if_fail (SESAME_IS_LOGIN_DIALOG (self), FALSE);
  return self->valid;
}

const char *
sesame_login_dialog_get_message (SesameLoginDialog *self)
{
  g_return_val_if_fail (SESAME_IS_LOGIN_DIALOG (self), NULL);
  return gtk_label_get_label (self->message_label);
}

static void
sesame_login_dialog_dispose (GObject *object)
{
  SesameLoginDialog *self = SESAME_LOGIN_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->person);

  G_OBJECT_CLASS (sesame_login_dialog_parent_class)->dispose (object);
}

static void
sesame_login_dialog_class_init (SesameLoginDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_login_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-login-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameLoginDialog, login_row);
  gtk_widget_class_bind_template_child (widget_class, SesameLoginDialog, message_label);
  gtk_widget_class_bind_template_callback (widget_class, login_changed_cb);
}

static void
sesame_login_dialog_init (SesameLoginDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

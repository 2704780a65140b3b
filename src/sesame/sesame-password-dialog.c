/* sesame-password-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows a regenerated password, once, with a button to copy it; its
 * "print" response prints the person's slip.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-password-dialog.h"
#include "sesame-ui-util.h"

struct _SesamePasswordDialog
{
  AdwMessageDialog  parent_instance;

  GtkLabel         *password_label;

  char             *password;
  char             *login;
};

G_DEFINE_FINAL_TYPE (SesamePasswordDialog, sesame_password_dialog, ADW_TYPE_MESSAGE_DIALOG)

/**
 * sesame_password_dialog_new:
 * @parent: (nullable): the window asking
 * @person: whose password changed
 * @password: the new password
 *
 * Returns: (transfer none): a new dialog; its responses are "print" and
 *   "close"
 */
SesamePasswordDialog *
sesame_password_dialog_new (GtkWindow    *parent,
                            SesamePerson *person,
                            const char   *password)
{
  SesamePasswordDialog *self;
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (SESAME_IS_PERSON (person), NULL);
  g_return_val_if_fail (password != NULL, NULL);

  self = g_object_new (SESAME_TYPE_PASSWORD_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->password = g_strdup (password);
  self->login = g_strdup (sesame_person_get_login (person));
  name = sesame_person_dup_display_name (person);
  body = g_strdup_printf (_("The password of %s (login: %s) was changed. Their new password is:"),
                          name, self->login);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  gtk_label_set_label (self->password_label, password);
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

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SesamePasswordDialog *self = SESAME_PASSWORD_DIALOG (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->password);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->password_label), _("Copied"));
}

static void
sesame_password_dialog_dispose (GObject *object)
{
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

  G_OBJECT_CLASS (sesame_password_dialog_parent_class)->finalize (object);
}

static void
sesame_password_dialog_class_init (SesamePasswordDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_password_dialog_dispose;
  object_class->finalize = sesame_password_dialog_finalize;

  gtk_widget_class_install_action (widget_class, "password.copy", NULL, copy_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-password-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SesamePasswordDialog, password_label);
}

static void
sesame_password_dialog_init (SesamePasswordDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

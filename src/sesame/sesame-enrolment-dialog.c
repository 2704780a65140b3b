/* sesame-enrolment-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows the enrolment codes an administrator just made, when granting the
 * identifier manager role or inviting someone who has not enrolled yet.
 * The core keeps only a hash of each code: this is the one time it can be
 * read, so the dialog says until when it is valid and offers to copy it or
 * to print it on a slip to hand over in person.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-enrolment-dialog.h"
#include "sesame-print.h"
#include "sesame-ui-util.h"

struct _SesameEnrolmentDialog
{
  AdwWindow   parent_instance;

  /* Template widgets */
  GtkBox     *codes_box;
  GtkLabel   *intro_label;

  /* Owned references */
  GPtrArray  *enrolments;
  GSettings  *settings;   /* the desk's, for printing */
};

G_DEFINE_FINAL_TYPE (SesameEnrolmentDialog, sesame_enrolment_dialog, ADW_TYPE_WINDOW)

/**
 * sesame_enrolment_format_expiry:
 * @expires_at: when a code expires, in seconds since the Unix epoch
 *
 * Returns: (transfer full): e.g. "Valid until Monday 14 December 2026 at 20:45"
 */
char *
sesame_enrolment_format_expiry (gint64 expires_at)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (expires_at);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);
  /* Translators: the date and time an enrolment code expires, see g_date_time_format() */
  g_autofree char *when = g_date_time_format (local, _("%A %-d %B %Y at %H:%M"));

  return g_strdup_printf (_("Valid once, until %s"), when);
}

static GtkWidget *
code_card_new (const SesameEnrolment *enrolment)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  g_autofree char *who = g_strdup_printf ("%s (%s)", enrolment->name, enrolment->login);
  g_autofree char *expiry = sesame_enrolment_format_expiry (enrolment->expires_at);
  GtkWidget *label;

  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_margin_bottom (box, 6);

  label = gtk_label_new (who);
  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 12);
  gtk_box_append (GTK_BOX (box), label);

  /* Not selectable: a selected code on screen reads badly; Copy copies it. */
  label = gtk_label_new (enrolment->code);
  gtk_widget_add_css_class (label, "title-1");
  gtk_widget_add_css_class (label, "monospace");
  gtk_box_append (GTK_BOX (box), label);

  label = gtk_label_new (expiry);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_bottom (label, 12);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

/**
 * sesame_enrolment_dialog_new:
 * @enrolments: (element-type SesameEnrolment): the codes to show, at least one
 * @settings: (nullable): the desk's settings, where printing keeps the
 *   printer and page setup
 *
 * Returns: (transfer floating): a new dialog, to make transient and present
 */
SesameEnrolmentDialog *
sesame_enrolment_dialog_new (GPtrArray *enrolments,
                             GSettings *settings)
{
  SesameEnrolmentDialog *self;

  g_return_val_if_fail (enrolments != NULL && enrolments->len > 0, NULL);

  self = g_object_new (SESAME_TYPE_ENROLMENT_DIALOG, NULL);
  self->settings = settings ? g_object_ref (settings) : NULL;
  for (guint i = 0; i < enrolments->len; i++)
    {
      const SesameEnrolment *enrolment = g_ptr_array_index (enrolments, i);

      g_ptr_array_add (self->enrolments, sesame_enrolment_copy (enrolment));
      gtk_box_append (self->codes_box, code_card_new (enrolment));
    }
  if (enrolments->len == 1)
    {
      const SesameEnrolment *enrolment = g_ptr_array_index (enrolments, 0);
      g_autofree char *intro =
        g_strdup_printf (_("Give this code to %s in person, with their login. On the sign-in page, they choose "
                           "“I Have an Enrolment Code” and then their own operator passphrase. "
                           "Sésame will not show this code again."), enrolment->name);

      gtk_label_set_label (self->intro_label, intro);
    }
  else
    gtk_label_set_label (self->intro_label,
                         _("Give each person their code in person, with their login. On the sign-in page, they "
                           "choose “I Have an Enrolment Code” and then their own operator passphrase. "
                           "Sésame will not show these codes again."));
  return self;
}

/**
 * sesame_enrolment_dialog_show:
 * @widget: a widget of the window to show the dialog over
 * @settings: (nullable): the desk's settings, for printing the slips
 * @enrolments: (element-type SesameEnrolment): the codes just made
 *
 * Shows the codes over the main window, or does nothing if there are none.
 */
void
sesame_enrolment_dialog_show (GtkWidget *widget,
                              GSettings *settings,
                              GPtrArray *enrolments)
{
  GtkWindow *parent;
  SesameEnrolmentDialog *dialog;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (enrolments == NULL || enrolments->len == 0)
    return;
  parent = sesame_widget_get_window (widget);
  /* Over the window itself, not over a dialog about to close. */
  while (parent != NULL && gtk_window_get_transient_for (parent) != NULL)
    parent = gtk_window_get_transient_for (parent);
  dialog = sesame_enrolment_dialog_new (enrolments, settings);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), parent);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * sesame_enrolment_dialog_get_enrolments:
 * @self: a #SesameEnrolmentDialog
 *
 * Returns: (transfer none) (element-type SesameEnrolment): the codes shown
 */
GPtrArray *
sesame_enrolment_dialog_get_enrolments (SesameEnrolmentDialog *self)
{
  g_return_val_if_fail (SESAME_IS_ENROLMENT_DIALOG (self), NULL);
  return self->enrolments;
}

/**
 * sesame_enrolment_dialog_dup_text:
 * @self: a #SesameEnrolmentDialog
 *
 * Returns: (transfer full): the codes as text, one person a line, as copied
 */
char *
sesame_enrolment_dialog_dup_text (SesameEnrolmentDialog *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (SESAME_IS_ENROLMENT_DIALOG (self), NULL);

  for (guint i = 0; i < self->enrolments->len; i++)
    {
      const SesameEnrolment *enrolment = g_ptr_array_index (self->enrolments, i);
      g_autofree char *expiry = sesame_enrolment_format_expiry (enrolment->expires_at);

      /* Translators: name, login, enrolment code, "Valid once, until …" */
      g_string_append_printf (text, _("%s (%s): %s. %s.\n"),
                              enrolment->name, enrolment->login, enrolment->code, expiry);
    }
  return g_string_free (text, FALSE);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SesameEnrolmentDialog *self = SESAME_ENROLMENT_DIALOG (widget);
  g_autofree char *text = sesame_enrolment_dialog_dup_text (self);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  sesame_show_toast (widget, _("Copied"));
}

static void
printed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SesameEnrolmentDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sesame_print_enrolments_finish (result, &error) && error != NULL)
    sesame_show_error (GTK_WIDGET (self), _("The Slip Could Not Be Printed"), error);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SesameEnrolmentDialog *self = SESAME_ENROLMENT_DIALOG (widget);

  sesame_print_enrolments_async (GTK_WINDOW (self), self->settings, self->enrolments, NULL,
                                 NULL, printed_cb, g_object_ref (self));
}

static void
sesame_enrolment_dialog_finalize (GObject *object)
{
  SesameEnrolmentDialog *self = SESAME_ENROLMENT_DIALOG (object);

  g_clear_pointer (&self->enrolments, g_ptr_array_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sesame_enrolment_dialog_parent_class)->finalize (object);
}

static void
sesame_enrolment_dialog_class_init (SesameEnrolmentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sesame_enrolment_dialog_finalize;

  gtk_widget_class_install_action (widget_class, "enrolment.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "enrolment.print", NULL, print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "enrolment.print", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-enrolment-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameEnrolmentDialog, codes_box);
  gtk_widget_class_bind_template_child (widget_class, SesameEnrolmentDialog, intro_label);
}

static void
sesame_enrolment_dialog_init (SesameEnrolmentDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->enrolments = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_enrolment_free);
}

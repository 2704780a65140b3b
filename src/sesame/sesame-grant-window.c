/* sesame-grant-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Grants the identifier manager role to one or more members of staff,
 * with a scope, and shows the enrolment codes of those who have no
 * operator passphrase yet.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-enrolment-dialog.h"
#include "sesame-grant-window.h"
#include "sesame-ui-util.h"

struct _SesameGrantWindow
{
  AdwWindow          parent_instance;

  /* Template widgets */
  SesameStaffPicker *picker;
  GtkCheckButton    *establishment_check;
  GtkCheckButton    *classes_check;

  /* Owned references */
  SesameStore       *store;
  GSettings         *settings;   /* the desk's, for printing enrolment slips */
};

G_DEFINE_FINAL_TYPE (SesameGrantWindow, sesame_grant_window, ADW_TYPE_WINDOW)

enum {
  GRANTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * sesame_grant_window_new:
 * @store: the store
 * @settings: (nullable): the desk's settings, for printing enrolment slips
 *
 * Returns: (transfer floating): a new window, to make transient and present
 */
SesameGrantWindow *
sesame_grant_window_new (SesameStore *store,
                         GSettings   *settings)
{
  SesameGrantWindow *self;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  self = g_object_new (SESAME_TYPE_GRANT_WINDOW, NULL);
  self->store = g_object_ref (store);
  self->settings = settings ? g_object_ref (settings) : NULL;
  sesame_staff_picker_set_store (self->picker, store);
  sesame_staff_picker_grab_focus (self->picker);
  return self;
}

SesameStaffPicker *
sesame_grant_window_get_picker (SesameGrantWindow *self)
{
  g_return_val_if_fail (SESAME_IS_GRANT_WINDOW (self), NULL);
  return self->picker;
}

void
sesame_grant_window_set_scope (SesameGrantWindow *self,
                               SesameRoleScope    scope)
{
  g_return_if_fail (SESAME_IS_GRANT_WINDOW (self));

  gtk_check_button_set_active (scope == SESAME_ROLE_SCOPE_CLASSES ? self->classes_check
                                                                   : self->establishment_check, TRUE);
}

static void
selection_cb (SesameGrantWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grant.grant",
                                 sesame_staff_picker_get_n_selected (self->picker) > 0);
}

static void
grant_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SesameGrantWindow *self = SESAME_GRANT_WINDOW (widget);
  g_auto(GStrv) logins = sesame_staff_picker_dup_selected (self->picker);
  g_autoptr(GString) failures = g_string_new (NULL);
  g_autoptr(GPtrArray) enrolments = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_enrolment_free);
  SesameRoleScope scope;
  guint granted = 0;

  scope = gtk_check_button_get_active (self->classes_check) ? SESAME_ROLE_SCOPE_CLASSES
                                                            : SESAME_ROLE_SCOPE_ESTABLISHMENT;

  for (guint i = 0; logins[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      SesameEnrolment *enrolment = NULL;

      /* A new operator gets the code with which they choose a passphrase. */
      if (sesame_enrolment_grant_role (self->store, logins[i], scope, &enrolment, &error))
        {
          granted++;
          if (enrolment != NULL)
            g_ptr_array_add (enrolments, enrolment);
        }
      else
        g_string_append_printf (failures, "%s%s", failures->len ? "\n" : "", error->message);
    }

  if (granted > 0)
    {
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "Role granted to %u member of staff",
                                                               "Role granted to %u members of staff", granted),
                                                  granted);
      GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

      g_signal_emit (self, signals[GRANTED], 0);
      if (parent != NULL)
        sesame_show_toast (GTK_WIDGET (parent), message);
      sesame_enrolment_dialog_show (widget, self->settings, enrolments);
    }

  if (failures->len > 0)
    {
      g_autoptr(GError) error = g_error_new_literal (SESAME_ERROR, SESAME_ERROR_REFUSED, failures->str);
      sesame_show_error (widget, _("The Role Could Not Be Granted"), error);
      return;
    }

  gtk_window_close (GTK_WINDOW (self));
}

static void
sesame_grant_window_dispose (GObject *object)
{
  SesameGrantWindow *self = SESAME_GRANT_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sesame_grant_window_parent_class)->dispose (object);
}

static void
sesame_grant_window_class_init (SesameGrantWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_grant_window_dispose;

  /**
   * SesameGrantWindow::granted:
   *
   * The role was granted to at least one member of staff.
   */
  signals[GRANTED] =
    g_signal_new ("granted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "grant.grant", NULL, grant_action);

  g_type_ensure (SESAME_TYPE_STAFF_PICKER);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-grant-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameGrantWindow, picker);
  gtk_widget_class_bind_template_child (widget_class, SesameGrantWindow, establishment_check);
  gtk_widget_class_bind_template_child (widget_class, SesameGrantWindow, classes_check);
  gtk_widget_class_bind_template_callback (widget_class, selection_cb);
}

static void
sesame_grant_window_init (SesameGrantWindow *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grant.grant", FALSE);

  /* The staff search entry has the focus and keeps Escape to itself:
   * the window takes it first, so that Escape closes it as any dialog. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

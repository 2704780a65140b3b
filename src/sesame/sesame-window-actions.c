/* sesame-window-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-conflicts-window.h"
#include "sesame-import-window.h"
#include "sesame-journal-window.h"
#include "sesame-print.h"
#include "sesame-window-private.h"

static gboolean
in_main_mode (SesameWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") == 0;
}

static void
import_finished_cb (SesameWindow *self)
{
  sesame_window_reload (self);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SesameWindow *self = SESAME_WINDOW (widget);
  SesameImportWindow *dialog;

  dialog = sesame_import_window_new (self->store);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "imported", G_CALLBACK (import_finished_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SesameWindow *self = SESAME_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "search");
  sesame_search_page_focus_search (self->search_page);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SesameWindow *self = SESAME_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, name);
}

static void
journal_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SesameWindow *self = SESAME_WINDOW (widget);
  SesameJournalWindow *journal;

  journal = sesame_journal_window_new (self->store);
  gtk_window_set_transient_for (GTK_WINDOW (journal), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (journal));
}

static void
page_setup_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SesameWindow *self = SESAME_WINDOW (widget);

  sesame_print_run_page_setup (GTK_WINDOW (self), self->settings);
}

static void
lock_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  sesame_window_lock (SESAME_WINDOW (widget));
}

static void
switch_operator_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SesameWindow *self = SESAME_WINDOW (widget);

  gtk_menu_button_popdown (self->operator_button);
  _sesame_window_show_sign_in (self);
}

static void
sync_conflicts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SesameWindow *self = SESAME_WINDOW (widget);
  SesameConflictsWindow *dialog;

  dialog = sesame_conflicts_window_new (self->store, self->sync_scheduler);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The pages and dialogs ask for a toast through this action
 * (sesame_show_toast()): they know no window, and the window decides
 * where the toast goes. */
static void
toast_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  sesame_window_add_toast (SESAME_WINDOW (widget), adw_toast_new (g_variant_get_string (parameter, NULL)));
}

void
_sesame_window_update_actions (SesameWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean main_mode = in_main_mode (self);

  gtk_widget_action_set_enabled (widget, "win.import",
                                 main_mode && sesame_store_operator_can (self->store, SESAME_PERMISSION_IMPORT));
  gtk_widget_action_set_enabled (widget, "win.find",
                                 main_mode && sesame_store_operator_can (self->store, SESAME_PERMISSION_SEARCH));
  gtk_widget_action_set_enabled (widget, "win.journal", main_mode);
  gtk_widget_action_set_enabled (widget, "win.sync-conflicts", main_mode && self->sync_scheduler != NULL);
  gtk_widget_action_set_enabled (widget, "win.show-page", main_mode);
  gtk_widget_action_set_enabled (widget, "win.page-setup",
                                 main_mode && sesame_store_operator_can (self->store, SESAME_PERMISSION_PRINT));
  gtk_widget_action_set_enabled (widget, "win.lock", main_mode);
  gtk_widget_action_set_enabled (widget, "win.switch-operator",
                                 main_mode || g_strcmp0 (sesame_window_get_mode (self), "locked") == 0);
}

void
_sesame_window_class_actions_init (SesameWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *pages[] = { "files", "diffusion", "roles", "search" };

  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.journal", NULL, journal_action);
  gtk_widget_class_install_action (widget_class, "win.page-setup", NULL, page_setup_action);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);
  gtk_widget_class_install_action (widget_class, "win.switch-operator", NULL, switch_operator_action);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "win.sync-conflicts", NULL, sync_conflicts_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.lock", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_L, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.switch-operator", NULL);

  /* Alt+1… shows the pages in the order of the view switcher. */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-page", "s", pages[i]);
}

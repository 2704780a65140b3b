/* sesame-conflicts-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list behind the header bar's "2 conflicts": each change of this
 * desk that another desk's overtook or that the server refused, with who
 * made it, on which account, what it wanted, what won and why, and when;
 * and why the server refused the last round, when it did. The operator
 * reads it, redoes what must be redone, and dismisses each one: the
 * desk's change is already undone, dismissing only takes it off the list.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-conflicts-window.h"

struct _SesameConflictsWindow
{
  AdwWindow            parent_instance;

  AdwPreferencesPage  *page;
  AdwPreferencesGroup *group;
  AdwStatusPage       *empty;
  GtkStack            *stack;
  GtkLabel            *refusal;  /* why the server refused the last round */
  AdwToastOverlay     *toasts;

  SesameStore         *store;
  SesameSyncScheduler *scheduler;
  GPtrArray           *conflicts;
  GPtrArray           *rows;
};

G_DEFINE_FINAL_TYPE (SesameConflictsWindow, sesame_conflicts_window, ADW_TYPE_WINDOW)

static char *
format_time (gint64 time)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (time);

  if (date == NULL || time == 0)
    return g_strdup ("—");
  /* TRANSLATORS: a date and time, as in g_date_time_format() */
  return g_date_time_format (date, _("%d/%m/%Y %H:%M"));
}

static void refill (SesameConflictsWindow *self);

static void
dismiss_clicked (GtkButton             *button,
                 SesameConflictsWindow *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));

  sesame_conflicts_window_dismiss (self, index);
}

static void
refill (SesameConflictsWindow *self)
{
  g_autoptr(GError) error = NULL;
  const char *last_error = self->scheduler != NULL ? sesame_sync_scheduler_get_last_error (self->scheduler) : NULL;

  for (guint i = 0; self->rows != NULL && i < self->rows->len; i++)
    adw_preferences_group_remove (self->group, g_ptr_array_index (self->rows, i));
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  self->rows = g_ptr_array_new ();
  g_clear_pointer (&self->conflicts, g_ptr_array_unref);

  self->conflicts = sesame_sync_desk_list_conflicts (self->store, &error);
  if (self->conflicts == NULL)
    {
      gtk_label_set_text (self->refusal, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->refusal), TRUE);
      self->conflicts = g_ptr_array_new ();
    }
  else if (last_error != NULL &&
           sesame_sync_scheduler_get_state (self->scheduler) == SESAME_SYNC_STATE_REFUSED)
    {
      gtk_label_set_text (self->refusal, last_error);
      gtk_widget_set_visible (GTK_WIDGET (self->refusal), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->refusal), FALSE);

  for (guint i = 0; i < self->conflicts->len; i++)
    {
      SesameSyncConflict *conflict = g_ptr_array_index (self->conflicts, i);
      g_autofree char *made = format_time (conflict->desk_time);
      g_autofree char *found = format_time (conflict->recorded_at);
      g_autofree char *subtitle = NULL;
      g_autofree char *accessible = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Dismiss"));
      const char *target = conflict->target != NULL && *conflict->target != '\0' ? conflict->target : "—";

      /* TRANSLATORS: who made the change, what it was, on which account,
       * when it was made on this desk and when the conflict was found:
       * "helene.roche · set-login · zoe.martin · made 07/12/2026 10:42, found 07/12/2026 10:45" */
      subtitle = g_strdup_printf (_("%s · %s · %s · made %s, found %s"),
                                  conflict->operator, conflict->action, target, made, found);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), conflict->message);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (button), "index", GUINT_TO_POINTER (i));
      /* TRANSLATORS: the accessible name of a conflict's Dismiss button */
      accessible = g_strdup_printf (_("Dismiss the conflict: %s"), conflict->message);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      g_signal_connect (button, "clicked", G_CALLBACK (dismiss_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (self->group, row);
      g_ptr_array_add (self->rows, row);
    }
  gtk_stack_set_visible_child_name (self->stack, self->conflicts->len > 0 ? "list" : "empty");
}

/**
 * sesame_conflicts_window_dismiss:
 * @self: a #SesameConflictsWindow
 * @index: the conflict's place in the list
 *
 * Takes a conflict off the list, as its Dismiss button does.
 *
 * Returns: whether it was dismissed; a toast says why not otherwise
 */
gboolean
sesame_conflicts_window_dismiss (SesameConflictsWindow *self,
                                 guint                  index)
{
  g_autoptr(GError) error = NULL;
  SesameSyncConflict *conflict;

  g_return_val_if_fail (SESAME_IS_CONFLICTS_WINDOW (self), FALSE);
  g_return_val_if_fail (index < self->conflicts->len, FALSE);

  conflict = g_ptr_array_index (self->conflicts, index);
  if (!sesame_sync_desk_dismiss_conflict (self->store, conflict->id, &error))
    {
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
      return FALSE;
    }
  refill (self);
  /* The header bar counts them again at once. */
  if (self->scheduler != NULL)
    sesame_sync_scheduler_poke (self->scheduler);
  return TRUE;
}

/**
 * sesame_conflicts_window_get_count:
 * @self: a #SesameConflictsWindow
 *
 * Counts the conflicts listed.
 *
 * Returns: how many conflicts the window lists
 */
guint
sesame_conflicts_window_get_count (SesameConflictsWindow *self)
{
  g_return_val_if_fail (SESAME_IS_CONFLICTS_WINDOW (self), 0);
  return self->conflicts->len;
}

static void
sesame_conflicts_window_dispose (GObject *object)
{
  SesameConflictsWindow *self = SESAME_CONFLICTS_WINDOW (object);

  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->store);
  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sesame_conflicts_window_parent_class)->dispose (object);
}

static void
sesame_conflicts_window_class_init (SesameConflictsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sesame_conflicts_window_dispose;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sesame_conflicts_window_init (SesameConflictsWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Conflicts and Refused Changes"));
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 520);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);

  self->refusal = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->refusal, TRUE);
  gtk_label_set_xalign (self->refusal, 0);
  gtk_widget_set_margin_start (GTK_WIDGET (self->refusal), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (self->refusal), 18);
  gtk_widget_set_margin_top (GTK_WIDGET (self->refusal), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self->refusal), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->refusal), FALSE);
  self->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_description (self->group,
                                         _("These changes of this desk were overtaken by another desk’s or refused "
                                           "by the server, and are undone here. Redo what must be redone, then "
                                           "dismiss them."));
  self->page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  adw_preferences_page_add (self->page, self->group);
  self->empty = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->empty, "emblem-ok-symbolic");
  adw_status_page_set_title (self->empty, _("No Conflicts"));
  adw_status_page_set_description (self->empty, _("Every change of this desk reached the server."));
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->page), "list");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->empty), "empty");
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->refusal));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, box);
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->toasts));
}

/**
 * sesame_conflicts_window_new:
 * @store: the desk's store
 * @scheduler: (nullable): its background sync, told of dismissals and
 *   followed for the server's refusals
 *
 * Makes the list of the desk's conflicts and refused changes.
 *
 * Returns: (transfer full): a new #SesameConflictsWindow
 */
SesameConflictsWindow *
sesame_conflicts_window_new (SesameStore         *store,
                             SesameSyncScheduler *scheduler)
{
  SesameConflictsWindow *self;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  self = g_object_new (SESAME_TYPE_CONFLICTS_WINDOW, NULL);
  self->store = g_object_ref (store);
  if (scheduler != NULL)
    {
      self->scheduler = g_object_ref (scheduler);
      /* Conflicts found by a round while the list is open appear in it. */
      g_signal_connect_swapped (scheduler, "notify::conflicts", G_CALLBACK (refill), self);
      g_signal_connect_swapped (scheduler, "notify::last-error", G_CALLBACK (refill), self);
    }
  refill (self);
  return self;
}

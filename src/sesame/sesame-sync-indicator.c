/* sesame-sync-indicator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The header bar's word on the desk's sync: "Synchronised", "Offline
 * since 10:42 — 3 changes waiting", "2 conflicts", with a spinner while a
 * round runs. Operators keep working offline; this tells them their work
 * is kept and when it left, and a click opens the list of conflicts and
 * refused changes (win.sync-conflicts). A round runs every two seconds:
 * the spinner shows only for rounds that last, so that the bar does not
 * blink, and the text stays that of the last round meanwhile.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-sync-indicator.h"

/* A round shorter than this shows no spinner. */
#define SPINNER_DELAY_MS 400

struct _SesameSyncIndicator
{
  GtkButton            parent_instance;

  GtkSpinner          *spinner;
  GtkImage            *icon;
  GtkLabel            *label;

  SesameSyncScheduler *scheduler;
  guint                spinner_id;
};

G_DEFINE_FINAL_TYPE (SesameSyncIndicator, sesame_sync_indicator, GTK_TYPE_BUTTON)

/* "10:42" today, "12/05 10:42" on another day. */
static char *
format_since (gint64 since)
{
  g_autoptr(GDateTime) then = g_date_time_new_from_unix_local (since);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (then == NULL)
    return g_strdup ("?");
  if (g_date_time_get_year (then) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (then) == g_date_time_get_day_of_year (now))
    return g_date_time_format (then, "%H:%M");
  /* TRANSLATORS: the day and time the desk went offline, other than
   * today, as in g_date_time_format() */
  return g_date_time_format (then, _("%d/%m %H:%M"));
}

/**
 * sesame_sync_indicator_format_state:
 * @state: where the desk stands
 * @pending: its changes waiting to be sent
 * @conflicts: its conflicts not dismissed
 * @offline_since: when the server stopped answering
 *
 * Says where a desk stands, in the words of the header bar.
 *
 * Returns: (transfer full): the text
 */
char *
sesame_sync_indicator_format_state (SesameSyncState state,
                                    guint           pending,
                                    guint           conflicts,
                                    gint64          offline_since)
{
  if (state == SESAME_SYNC_STATE_OFFLINE)
    {
      g_autofree char *since = format_since (offline_since);

      if (pending == 0)
        return g_strdup_printf (_("Offline since %s"), since);
      /* TRANSLATORS: "Offline since 10:42 — 3 changes waiting" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Offline since %s — %u change waiting",
                                           "Offline since %s — %u changes waiting", pending),
                              since, pending);
    }
  if (conflicts > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u conflict", "%u conflicts", conflicts), conflicts);
  if (state == SESAME_SYNC_STATE_REFUSED)
    return g_strdup (_("Refused by the server"));
  if (state == SESAME_SYNC_STATE_SYNCING)
    return g_strdup (_("Synchronising…"));
  return g_strdup (_("Synchronised"));
}

static gboolean
show_spinner (gpointer data)
{
  SesameSyncIndicator *self = data;

  self->spinner_id = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_start (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->icon), FALSE);
  return G_SOURCE_REMOVE;
}

static void
update (SesameSyncIndicator *self)
{
  SesameSyncScheduler *scheduler = self->scheduler;
  SesameSyncState state;
  g_autofree char *text = NULL;
  g_autofree char *accessible = NULL;
  const char *icon = "emblem-ok-symbolic";
  const char *error;

  gtk_widget_set_visible (GTK_WIDGET (self), scheduler != NULL);
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  if (scheduler == NULL)
    return;

  state = sesame_sync_scheduler_get_state (scheduler);
  if (state == SESAME_SYNC_STATE_SYNCING)
    {
      /* The text of the last round stays; the first says what happens. */
      if (*gtk_label_get_text (self->label) == '\0')
        {
          text = sesame_sync_indicator_format_state (state, 0, 0, 0);
          gtk_label_set_text (self->label, text);
        }
      if (!gtk_widget_get_visible (GTK_WIDGET (self->spinner)))
        self->spinner_id = g_timeout_add (SPINNER_DELAY_MS, show_spinner, self);
      return;
    }

  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->icon), TRUE);
  text = sesame_sync_indicator_format_state (state,
                                             sesame_sync_scheduler_get_pending (scheduler),
                                             sesame_sync_scheduler_get_conflicts (scheduler),
                                             sesame_sync_scheduler_get_offline_since (scheduler));
  gtk_label_set_text (self->label, text);

  gtk_widget_remove_css_class (GTK_WIDGET (self), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
  if (state == SESAME_SYNC_STATE_OFFLINE)
    {
      icon = "network-offline-symbolic";
      gtk_widget_add_css_class (GTK_WIDGET (self), "warning");
    }
  else if (sesame_sync_scheduler_get_conflicts (scheduler) > 0 || state == SESAME_SYNC_STATE_REFUSED)
    {
      icon = "dialog-warning-symbolic";
      gtk_widget_add_css_class (GTK_WIDGET (self), "error");
    }
  gtk_image_set_from_icon_name (self->icon, icon);

  error = sesame_sync_scheduler_get_last_error (scheduler);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), error != NULL ? error : _("Show the conflicts and refused changes"));
  /* TRANSLATORS: what a screen reader says of the header bar's button,
   * e.g. "Synchronisation: Offline since 10:42 — 3 changes waiting" */
  accessible = g_strdup_printf (_("Synchronisation: %s"), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

/**
 * sesame_sync_indicator_set_scheduler:
 * @self: a #SesameSyncIndicator
 * @scheduler: (nullable): the desk's background sync, or %NULL on a
 *   standalone store, where the indicator hides
 *
 * Shows where @scheduler's desk stands, and follows it.
 */
void
sesame_sync_indicator_set_scheduler (SesameSyncIndicator *self,
                                     SesameSyncScheduler *scheduler)
{
  g_return_if_fail (SESAME_IS_SYNC_INDICATOR (self));

  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  g_set_object (&self->scheduler, scheduler);
  gtk_label_set_text (self->label, "");
  if (scheduler != NULL)
    {
      const char * const watched[] = { "notify::state", "notify::pending", "notify::conflicts",
                                       "notify::offline-since", "notify::last-error" };

      for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
        g_signal_connect_swapped (scheduler, watched[i], G_CALLBACK (update), self);
    }
  update (self);
}

/**
 * sesame_sync_indicator_get_scheduler:
 * @self: a #SesameSyncIndicator
 *
 * Gives the background sync the indicator follows.
 *
 * Returns: (transfer none) (nullable): the scheduler
 */
SesameSyncScheduler *
sesame_sync_indicator_get_scheduler (SesameSyncIndicator *self)
{
  g_return_val_if_fail (SESAME_IS_SYNC_INDICATOR (self), NULL);
  return self->scheduler;
}

/**
 * sesame_sync_indicator_get_text:
 * @self: a #SesameSyncIndicator
 *
 * Gives the text shown, for tests.
 *
 * Returns: the text of the indicator
 */
const char *
sesame_sync_indicator_get_text (SesameSyncIndicator *self)
{
  g_return_val_if_fail (SESAME_IS_SYNC_INDICATOR (self), NULL);
  return gtk_label_get_text (self->label);
}

/**
 * sesame_sync_indicator_is_spinning:
 * @self: a #SesameSyncIndicator
 *
 * Tells whether the spinner shows, for tests.
 *
 * Returns: whether a round shows as running
 */
gboolean
sesame_sync_indicator_is_spinning (SesameSyncIndicator *self)
{
  g_return_val_if_fail (SESAME_IS_SYNC_INDICATOR (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->spinner));
}

static void
sesame_sync_indicator_dispose (GObject *object)
{
  SesameSyncIndicator *self = SESAME_SYNC_INDICATOR (object);

  g_clear_handle_id (&self->spinner_id, g_source_remove);
  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  g_clear_object (&self->scheduler);

  G_OBJECT_CLASS (sesame_sync_indicator_parent_class)->dispose (object);
}

static void
sesame_sync_indicator_class_init (SesameSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sesame_sync_indicator_dispose;
}

static void
sesame_sync_indicator_init (SesameSyncIndicator *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  self->icon = GTK_IMAGE (gtk_image_new_from_icon_name ("emblem-ok-symbolic"));
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->icon));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));
  gtk_button_set_child (GTK_BUTTON (self), box);
  gtk_widget_add_css_class (GTK_WIDGET (self), "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self), "win.sync-conflicts");
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/**
 * sesame_sync_indicator_new:
 *
 * Makes the header bar's sync indicator, hidden until it has a scheduler.
 *
 * Returns: (transfer full): a new #SesameSyncIndicator
 */
GtkWidget *
sesame_sync_indicator_new (void)
{
  return g_object_new (SESAME_TYPE_SYNC_INDICATOR, NULL);
}

/* sesame-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window. It opens on what the store needs first: the welcome
 * page for a new store, the sign-in page otherwise; only a signed-in
 * operator reaches the pages. The window locks itself after a while without
 * input (the store's "lock-after-minutes" setting), and on request; the
 * operator menu changes operator. Who signed in is never remembered.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-application.h"
#include "sesame-window-private.h"

G_DEFINE_FINAL_TYPE (SesameWindow, sesame_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void window_added_cb (SesameWindow   *self,
                             GtkWindow      *window,
                             GtkApplication *application);

/**
 * sesame_window_new:
 * @application: the application
 * @store: the store to work on
 *
 * Returns: (transfer none): a new window
 */
SesameWindow *
sesame_window_new (SesameApplication *application,
                   SesameStore       *store)
{
  SesameWindow *self;

  g_return_val_if_fail (SESAME_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  self = g_object_new (SESAME_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       "settings", sesame_application_get_settings (application),
                       NULL);
  g_signal_connect_object (application, "window-added", G_CALLBACK (window_added_cb), self, G_CONNECT_SWAPPED);
  return self;
}

SesameStore *
sesame_window_get_store (SesameWindow *self)
{
  g_return_val_if_fail (SESAME_IS_WINDOW (self), NULL);
  return self->store;
}

static void
toast_dismissed_cb (SesameWindow *self,
                    AdwToast     *toast)
{
  g_ptr_array_remove (self->toasts, toast);
}

/**
 * sesame_window_add_toast:
 * @self: a #SesameWindow
 * @toast: (transfer full): a toast
 *
 * Shows a short message at the bottom of the window, unless the window is
 * locked or waiting for an operator: a toast may name a person.
 */
void
sesame_window_add_toast (SesameWindow *self,
                         AdwToast     *toast)
{
  g_autoptr(AdwToast) owned = toast;
  const char *mode;

  g_return_if_fail (SESAME_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  mode = gtk_stack_get_visible_child_name (self->main_stack);
  if (g_strcmp0 (mode, "welcome") == 0)
    {
      adw_toast_overlay_add_toast (self->welcome_toast_overlay, g_steal_pointer (&owned));
      return;
    }
  if (g_strcmp0 (mode, "main") != 0)
    return;
  g_ptr_array_add (self->toasts, g_object_ref (toast));
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (self->toast_overlay, g_steal_pointer (&owned));
}

/* The toasts go with the operator's work: none is left to show when the
 * window is unlocked or the next operator signs in. */
static void
dismiss_toasts (SesameWindow *self)
{
  g_autoptr(GPtrArray) toasts = g_steal_pointer (&self->toasts);

  self->toasts = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < toasts->len; i++)
    adw_toast_dismiss (g_ptr_array_index (toasts, i));
}

/**
 * sesame_window_get_mode:
 * @self: a #SesameWindow
 *
 * Returns: "welcome" while the store is being set up, "signin" until an
 *   operator signs in, "locked" while locked, "main" when at work
 */
const char *
sesame_window_get_mode (SesameWindow *self)
{
  g_return_val_if_fail (SESAME_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

/**
 * sesame_window_get_page:
 * @self: a #SesameWindow
 * @name: "files", "diffusion", "roles" or "search"
 *
 * Returns: (transfer none) (nullable): the page
 */
GtkWidget *
sesame_window_get_page (SesameWindow *self,
                        const char   *name)
{
  g_return_val_if_fail (SESAME_IS_WINDOW (self), NULL);
  return adw_view_stack_get_child_by_name (self->view_stack, name);
}

const char *
sesame_window_get_visible_page (SesameWindow *self)
{
  g_return_val_if_fail (SESAME_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

GtkWidget *
sesame_window_get_welcome_page (SesameWindow *self)
{
  g_return_val_if_fail (SESAME_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->welcome_page);
}

/**
 * sesame_window_reload:
 * @self: a #SesameWindow
 *
 * Reads the store again, after an import or a change made elsewhere.
 */
void
sesame_window_reload (SesameWindow *self)
{
  g_return_if_fail (SESAME_IS_WINDOW (self));

  sesame_files_page_reload (self->files_page);
  sesame_diffusion_page_reload (self->diffusion_page);
  sesame_roles_page_reload (self->roles_page);
  sesame_search_page_reload (self->search_page);
}

/* Without a transition: the page left must not stay on screen a moment
 * longer, nor show through the next one. */
static void
show_child (SesameWindow *self,
            const char   *name)
{
  gtk_stack_set_visible_child_full (self->main_stack, name, GTK_STACK_TRANSITION_TYPE_NONE);
}

/* Idle lock */

static guint
get_lock_delay (SesameWindow *self)
{
  int minutes;

  if (self->lock_delay > 0)
    return self->lock_delay;
  minutes = sesame_store_settings_get_int (self->store, SESAME_SETTING_LOCK_MINUTES, SESAME_DEFAULT_LOCK_MINUTES);
  return (guint) CLAMP (minutes, 1, 240) * 60;
}

static void
stop_idle (SesameWindow *self)
{
  g_clear_handle_id (&self->idle_timeout, g_source_remove);
}

static gboolean is_dialog_of (SesameWindow *self,
                              GtkWindow    *window);
static void     watch_input  (SesameWindow *self,
                              GtkWindow    *window);

/* Returns whether a dialog of the window was not watched until now. */
static gboolean
watch_dialogs (SesameWindow *self)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  gboolean found = FALSE;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (is_dialog_of (self, l->data) && gtk_widget_get_visible (l->data) &&
        g_object_get_data (G_OBJECT (l->data), "sesame-input-watched") == NULL)
      {
        watch_input (self, l->data);
        found = TRUE;
      }
  return found;
}

static gboolean
idle_timeout_cb (gpointer data)
{
  SesameWindow *self = data;
  gint64 delay = (gint64) get_lock_delay (self) * G_USEC_PER_SEC;
  gint64 idle;

  self->idle_timeout = 0;
  /* A dialog not yet watched may have had input all along: watch it from
   * now on, and count the whole delay again. */
  if (watch_dialogs (self))
    self->last_input = g_get_monotonic_time ();
  idle = g_get_monotonic_time () - self->last_input;
  if (idle >= delay)
    {
      sesame_window_lock (self);
      return G_SOURCE_REMOVE;
    }
  /* Input came meanwhile: wait for the rest of the delay. */
  self->idle_timeout = g_timeout_add (MAX (1, (delay - idle) / 1000), idle_timeout_cb, self);
  return G_SOURCE_REMOVE;
}

void
_sesame_window_restart_idle (SesameWindow *self)
{
  stop_idle (self);
  self->last_input = g_get_monotonic_time ();
  self->idle_timeout = g_timeout_add_seconds (get_lock_delay (self), idle_timeout_cb, self);
}

static gboolean
input_cb (GtkEventControllerLegacy *controller,
          GdkEvent                 *event,
          SesameWindow             *self)
{
  switch ((int) gdk_event_get_event_type (event))
    {
    case GDK_MOTION_NOTIFY:
    case GDK_BUTTON_PRESS:
    case GDK_BUTTON_RELEASE:
    case GDK_KEY_PRESS:
    case GDK_KEY_RELEASE:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCH_UPDATE:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
      self->last_input = g_get_monotonic_time ();
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

/* Input in the window and in each of its dialogs counts. */
static void
watch_input (SesameWindow *self,
             GtkWindow    *window)
{
  GtkEventController *controller;

  if (g_object_get_data (G_OBJECT (window), "sesame-input-watched") != NULL)
    return;
  g_object_set_data (G_OBJECT (window), "sesame-input-watched", GINT_TO_POINTER (TRUE));
  controller = gtk_event_controller_legacy_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "event", G_CALLBACK (input_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
}

static void
window_added_cb (SesameWindow   *self,
                 GtkWindow      *window,
                 GtkApplication *application)
{
  if (window != GTK_WINDOW (self))
    watch_input (self, window);
}

/* Whether @window is a dialog of this window, directly or through another. */
static gboolean
is_dialog_of (SesameWindow *self,
              GtkWindow    *window)
{
  if (window == GTK_WINDOW (self))
    return FALSE;
  for (GtkWindow *parent = gtk_window_get_transient_for (window);
       parent != NULL;
       parent = gtk_window_get_transient_for (parent))
    if (parent == GTK_WINDOW (self))
      return TRUE;
  return FALSE;
}

/**
 * _sesame_window_close_dialogs:
 * @self: a #SesameWindow
 *
 * Closes every dialog of the window, shown or hidden by the lock: the next
 * operator must not find the previous one's work.
 */
void
_sesame_window_close_dialogs (SesameWindow *self)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  g_ptr_array_set_size (self->hidden_windows, 0);
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (is_dialog_of (self, l->data))
      gtk_window_destroy (l->data);
}

/**
 * sesame_window_lock:
 * @self: a #SesameWindow
 *
 * Hides every page and every dialog of the window and asks the operator's
 * passphrase before showing them again. Does nothing unless an operator is
 * at work in the window.
 */
void
sesame_window_lock (SesameWindow *self)
{
  g_autoptr(GList) toplevels = NULL;

  g_return_if_fail (SESAME_IS_WINDOW (self));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") != 0)
    return;

  stop_idle (self);
  dismiss_toasts (self);
  gtk_menu_button_popdown (self->operator_button);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (is_dialog_of (self, l->data) && gtk_widget_get_visible (l->data))
      {
        g_ptr_array_add (self->hidden_windows, g_object_ref (l->data));
        gtk_widget_set_visible (l->data, FALSE);
      }

  sesame_lock_page_start (self->lock_page);
  show_child (self, "locked");
  _sesame_window_update_actions (self);
}

/**
 * sesame_window_set_lock_delay:
 * @self: a #SesameWindow
 * @seconds: the time without input after which the window locks itself,
 *   or 0 for the store's setting
 *
 * Overrides the store's "lock-after-minutes" setting, e.g. in tests.
 */
void
sesame_window_set_lock_delay (SesameWindow *self,
                              guint         seconds)
{
  g_return_if_fail (SESAME_IS_WINDOW (self));

  self->lock_delay = seconds;
  if (self->idle_timeout != 0)
    _sesame_window_restart_idle (self);
}

/**
 * sesame_window_set_login:
 * @self: a #SesameWindow
 * @login: (nullable): the login the sign-in page proposes
 *
 * Fills the login of the sign-in page (`sesame --as LOGIN`); signs nobody
 * in.
 */
void
sesame_window_set_login (SesameWindow *self,
                         const char   *login)
{
  g_return_if_fail (SESAME_IS_WINDOW (self));

  g_free (self->prefill_login);
  self->prefill_login = g_strdup (login);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "signin") == 0 && login != NULL)
    sesame_signin_page_set_login (self->signin_page, login);
}

/**
 * sesame_window_get_signin_page:
 * @self: a #SesameWindow
 *
 * Returns: (transfer none): the #SesameSigninPage
 */
GtkWidget *
sesame_window_get_signin_page (SesameWindow *self)
{
  g_return_val_if_fail (SESAME_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->signin_page);
}

/**
 * sesame_window_get_lock_page:
 * @self: a #SesameWindow
 *
 * Returns: (transfer none): the #SesameLockPage
 */
GtkWidget *
sesame_window_get_lock_page (SesameWindow *self)
{
  g_return_val_if_fail (SESAME_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->lock_page);
}

static void
update_operator (SesameWindow *self)
{
  g_autofree char *name = sesame_store_operator_dup_display_name (self->store);
  const char *role;

  if (sesame_store_operator_is_admin (self->store))
    role = _("Administrator: imports the directory, manages identifier files and grants roles.");
  else if (sesame_store_operator_can (self->store, SESAME_PERMISSION_RESET_PASSWORD))
    role = _("Identifier manager: finds people, shows and corrects logins, regenerates passwords.");
  else
    role = _("No role in Sésame: ask an administrator for the identifier manager role.");

  gtk_label_set_label (self->operator_name_label, name);
  gtk_label_set_label (self->operator_role_label, role);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->operator_button), name);
  _sesame_window_update_actions (self);
}

void
_sesame_window_show_main (SesameWindow *self)
{
  g_autofree char *page = g_settings_get_string (self->settings, "last-page");

  show_child (self, "main");
  update_operator (self);
  _sesame_window_restart_idle (self);

  /* Open where the operator can work. */
  if (!sesame_store_operator_is_admin (self->store) || *page == '\0' ||
      adw_view_stack_get_child_by_name (self->view_stack, page) == NULL)
    {
      g_free (page);
      page = g_strdup (sesame_store_operator_can (self->store, SESAME_PERMISSION_MANAGE_FILES)
                       ? "files" : "search");
    }
  adw_view_stack_set_visible_child_name (self->view_stack, page);
  self->sync_stale = FALSE;
  sesame_window_reload (self);
}

static void
welcome_finished_cb (SesameWindow *self)
{
  g_clear_pointer (&self->prefill_login, g_free);
  _sesame_window_show_main (self);
}

/* Whoever signs in may not be whoever worked before: their search and the
 * person it showed go. */
static void
signed_in_cb (SesameWindow *self)
{
  g_clear_pointer (&self->prefill_login, g_free);
  sesame_search_page_set_text (self->search_page, "");
  gtk_widget_activate_action (GTK_WIDGET (self->search_page), "search.back", NULL);
  _sesame_window_show_main (self);
}

static void refresh_after_sync (SesameWindow *self);

static void
unlocked_cb (SesameWindow *self)
{
  g_autoptr(GPtrArray) hidden = g_steal_pointer (&self->hidden_windows);
  g_autoptr(GList) toplevels = NULL;

  self->hidden_windows = g_ptr_array_new_with_free_func (g_object_unref);
  show_child (self, "main");
  update_operator (self);
  _sesame_window_restart_idle (self);
  if (self->sync_stale)
    refresh_after_sync (self);

  /* The operator finds their dialogs as they left them, but for those
   * that closed themselves meanwhile. */
  toplevels = gtk_window_list_toplevels ();
  for (guint i = 0; i < hidden->len; i++)
    if (g_list_find (toplevels, g_ptr_array_index (hidden, i)) != NULL)
      gtk_window_present (g_ptr_array_index (hidden, i));
}

/**
 * _sesame_window_show_sign_in:
 * @self: a #SesameWindow
 *
 * Shows the sign-in page, for the first operator of the day or the next.
 */
void
_sesame_window_show_sign_in (SesameWindow *self)
{
  stop_idle (self);
  dismiss_toasts (self);
  _sesame_window_close_dialogs (self);
  sesame_signin_page_start (self->signin_page, self->prefill_login);
  show_child (self, "signin");
  _sesame_window_update_actions (self);
}

static void
start (SesameWindow *self)
{
  if (sesame_store_operator_get_login (self->store) != NULL)
    {
      _sesame_window_show_main (self);
      return;
    }

  if (sesame_store_is_empty (self->store))
    {
      sesame_welcome_page_start (self->welcome_page, SESAME_WELCOME_STEP_IMPORT);
      show_child (self, "welcome");
      _sesame_window_update_actions (self);
      return;
    }

  /* A store with no operator yet is set up by whoever starts it first;
   * not a desk joined to a server, whose operators sign in against the
   * server (its snapshot holds no passphrase). */
  if (!sesame_operators_exist (self->store) && !sesame_sync_desk_is_joined (self->store))
    {
      sesame_welcome_page_start (self->welcome_page, SESAME_WELCOME_STEP_OPERATOR);
      show_child (self, "welcome");
      _sesame_window_update_actions (self);
      return;
    }

  /* Whoever sits at the desk signs in: nothing remembered from an earlier
   * start proves who they are on a shared computer. */
  _sesame_window_show_sign_in (self);
}

static void
save_window_state (SesameWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") == 0 &&
      adw_view_stack_get_visible_child_name (self->view_stack) != NULL)
    g_settings_set_string (self->settings, "last-page", adw_view_stack_get_visible_child_name (self->view_stack));
  g_settings_apply (self->settings);
}

/* Quitting during a campaign */

static gboolean
close_confirmed (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
quit_anyway_cb (AdwMessageDialog *dialog,
                const char       *response,
                SesameWindow     *self)
{
  if (g_strcmp0 (response, "quit") != 0)
    return;
  g_object_set_data (G_OBJECT (self), "sesame-quit-confirmed", GINT_TO_POINTER (TRUE));
  /* Once the dialog, transient for the window, is gone. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_confirmed, g_object_ref (self), g_object_unref);
}

/* Closing the window stops a campaign being sent: the operator is asked
 * first, with how far it went. Returns whether the close must wait. */
static gboolean
confirm_quit_during_campaign (SesameWindow *self)
{
  GtkWidget *page = sesame_window_get_page (self, "diffusion");
  guint sent = 0, total = 0;
  gboolean paused = FALSE;
  g_autofree char *body = NULL;
  g_autofree char *count = NULL;
  GtkWidget *dialog;

  if (g_object_get_data (G_OBJECT (self), "sesame-quit-confirmed") != NULL ||
      page == NULL || !SESAME_IS_DIFFUSION_PAGE (page) ||
      !sesame_diffusion_page_get_progress (SESAME_DIFFUSION_PAGE (page), &sent, &total, &paused))
    return FALSE;

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u message was sent",
                                        "%u of %u messages were sent", sent),
                           sent, total);
  body = g_strdup_printf (paused
                          ? _("The sending of the identifiers is paused: %s. If you quit, the rest waits "
                              "until you resume the campaign on the Diffusion page.")
                          : _("The identifiers are being sent: %s. If you quit, the sending stops and the "
                              "rest waits until you resume the campaign on the Diffusion page."),
                          count);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Quit During a Campaign?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Sending"),
                                    "quit", _("_Quit"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "quit", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (quit_anyway_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static gboolean
sesame_window_close_request (GtkWindow *window)
{
  if (confirm_quit_during_campaign (SESAME_WINDOW (window)))
    return TRUE;
  save_window_state (SESAME_WINDOW (window));
  return GTK_WINDOW_CLASS (sesame_window_parent_class)->close_request (window);
}

/* The demo store says so in the header bar, with the way back. */
static void
update_demo (SesameWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  gboolean demo;

  if (app == NULL)
    app = GTK_APPLICATION (g_application_get_default ());
  demo = SESAME_IS_APPLICATION (app) && sesame_application_is_demo_store (SESAME_APPLICATION (app), self->store);
  adw_view_switcher_title_set_subtitle (self->switcher_title, demo ? _("Demo Directory") : NULL);
  gtk_widget_set_visible (self->leave_demo_button, demo);
  gtk_window_set_title (GTK_WINDOW (self), demo ? _("Sésame — Demo Directory") : _("Sésame"));
  g_object_set (self->welcome_page, "demo", demo, NULL);
}

/* Changes from other desks arrived: what the operator looks at is read
 * again where they are, without their search, selection or the person
 * open going away; dialogs being filled are left alone. While the window
 * is locked or signed out, the pages are read again when it opens. */
static void
refresh_after_sync (SesameWindow *self)
{
  self->sync_stale = FALSE;
  sesame_roles_page_reload (self->roles_page);
  sesame_search_page_refresh (self->search_page);
  /* The identifier files an import on the server made, the campaigns
   * other desks sent and how the one the server sends stands. */
  sesame_files_page_refresh (self->files_page);
  sesame_diffusion_page_refresh (self->diffusion_page);
}

static void
round_finished_cb (SesameWindow          *self,
                   SesameSyncRoundReport *report,
                   const GError          *error)
{
  if (report == NULL || report->pulled == 0)
    return;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") != 0)
    {
      self->sync_stale = TRUE;
      return;
    }
  refresh_after_sync (self);
}

/* A desk joined to a server syncs in the background as long as its window
 * is open; a standalone store shows nothing of it. */
static void
start_sync (SesameWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!sesame_sync_desk_is_joined (self->store))
    return;
  self->sync_scheduler = sesame_sync_scheduler_new (self->store, &error);
  if (self->sync_scheduler == NULL)
    {
      g_warning ("Cannot synchronise %s: %s", sesame_store_get_path (self->store), error->message);
      return;
    }
  sesame_sync_indicator_set_scheduler (self->sync_indicator, self->sync_scheduler);
  g_signal_connect_object (self->sync_scheduler, "round-finished", G_CALLBACK (round_finished_cb),
                           self, G_CONNECT_SWAPPED);
  _sesame_window_update_actions (self);
}

/**
 * sesame_window_get_sync_scheduler:
 * @self: a #SesameWindow
 *
 * Gives the background sync of the window's store.
 *
 * Returns: (transfer none) (nullable): the scheduler, or %NULL on a
 *   standalone store
 */
SesameSyncScheduler *
sesame_window_get_sync_scheduler (SesameWindow *self)
{
  g_return_val_if_fail (SESAME_IS_WINDOW (self), NULL);
  return self->sync_scheduler;
}

/**
 * sesame_window_get_sync_indicator:
 * @self: a #SesameWindow
 *
 * Gives the header bar's sync indicator, for tests.
 *
 * Returns: (transfer none): the indicator
 */
GtkWidget *
sesame_window_get_sync_indicator (SesameWindow *self)
{
  g_return_val_if_fail (SESAME_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->sync_indicator);
}

typedef struct
{
  GtkApplication *app;
  char           *path;
} Adoption;

static gboolean
adopt_joined_store (gpointer data)
{
  Adoption *adoption = data;
  g_autoptr(GError) error = NULL;

  if (!sesame_application_adopt_joined_store (SESAME_APPLICATION (adoption->app), adoption->path, &error))
    {
      GtkWindow *parent = gtk_application_get_active_window (adoption->app);
      GtkWidget *dialog = adw_message_dialog_new (parent, _("The Desk’s Store Could Not Be Opened"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
  g_object_unref (adoption->app);
  g_free (adoption->path);
  g_free (adoption);
  return G_SOURCE_REMOVE;
}

/* The welcome page joined a server: once its dialog is gone, the desk's
 * store replaces the empty one, in a window of its own. */
static void
joined_cb (SesameWindow *self,
           const char   *path)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  Adoption *adoption;

  if (!SESAME_IS_APPLICATION (app))
    return;
  adoption = g_new0 (Adoption, 1);
  adoption->app = g_object_ref (app);
  adoption->path = g_strdup (path);
  g_idle_add (adopt_joined_store, adoption);
}

static void
sesame_window_constructed (GObject *object)
{
  SesameWindow *self = SESAME_WINDOW (object);

  G_OBJECT_CLASS (sesame_window_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  g_assert (self->settings != NULL);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_object_set (self->welcome_page, "store", self->store, NULL);
  g_object_set (self->signin_page, "store", self->store, NULL);
  g_object_set (self->lock_page, "store", self->store, NULL);
  g_object_set (self->files_page, "store", self->store, "settings", self->settings, NULL);
  g_object_set (self->roles_page, "store", self->store, "settings", self->settings, NULL);
  g_object_set (self->diffusion_page, "store", self->store, "settings", self->settings, NULL);
  g_object_set (self->search_page, "store", self->store, "settings", self->settings, NULL);

  /* A demo store says so in the header bar, with the way back. */
  update_demo (self);
  g_signal_connect (self, "notify::application", G_CALLBACK (update_demo), NULL);

  g_signal_connect_object (self->store, "notify::operator",
                           G_CALLBACK (update_operator), self, G_CONNECT_SWAPPED);
  watch_input (self, GTK_WINDOW (self));
  g_signal_connect_object (self->welcome_page, "joined", G_CALLBACK (joined_cb), self, G_CONNECT_SWAPPED);
  start_sync (self);

  start (self);
}

static void
sesame_window_dispose (GObject *object)
{
  SesameWindow *self = SESAME_WINDOW (object);

  stop_idle (self);
  if (self->sync_scheduler != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->sync_scheduler, self);
      sesame_sync_scheduler_stop (self->sync_scheduler);
      g_clear_object (&self->sync_scheduler);
    }
  if (self->hidden_windows != NULL)
    g_ptr_array_set_size (self->hidden_windows, 0);

  G_OBJECT_CLASS (sesame_window_parent_class)->dispose (object);
}

static void
sesame_window_finalize (GObject *object)
{
  SesameWindow *self = SESAME_WINDOW (object);

  g_clear_pointer (&self->hidden_windows, g_ptr_array_unref);
  g_clear_pointer (&self->toasts, g_ptr_array_unref);
  g_free (self->prefill_login);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sesame_window_parent_class)->finalize (object);
}

static void
sesame_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SesameWindow *self = SESAME_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SesameWindow *self = SESAME_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_window_class_init (SesameWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = sesame_window_constructed;
  object_class->dispose = sesame_window_dispose;
  object_class->finalize = sesame_window_finalize;
  object_class->get_property = sesame_window_get_property;
  object_class->set_property = sesame_window_set_property;

  window_class->close_request = sesame_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SESAME_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SESAME_TYPE_DIFFUSION_PAGE);
  g_type_ensure (SESAME_TYPE_FILES_PAGE);
  g_type_ensure (SESAME_TYPE_LOCK_PAGE);
  g_type_ensure (SESAME_TYPE_SIGNIN_PAGE);
  g_type_ensure (SESAME_TYPE_ROLES_PAGE);
  g_type_ensure (SESAME_TYPE_SEARCH_PAGE);
  g_type_ensure (SESAME_TYPE_WELCOME_PAGE);
  g_type_ensure (SESAME_TYPE_SYNC_INDICATOR);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/sesame/Sesame/sesame-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, welcome_toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, signin_page);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, lock_page);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, leave_demo_button);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, sync_indicator);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, files_page);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, diffusion_page);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, roles_page);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, search_page);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, operator_button);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, operator_name_label);
  gtk_widget_class_bind_template_child (widget_class, SesameWindow, operator_role_label);
  gtk_widget_class_bind_template_callback (widget_class, welcome_finished_cb);
  gtk_widget_class_bind_template_callback (widget_class, signed_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, unlocked_cb);

  _sesame_window_class_actions_init (klass);
}

/* A menu button's tooltip would come back over the first item of the
 * menu it opened, hiding it: no tooltip while the menu is open. */
static void
menu_popover_visible_cb (GtkWidget  *popover,
                         GParamSpec *pspec,
                         GtkWidget  *button)
{
  gtk_widget_set_has_tooltip (button, !gtk_widget_get_visible (popover));
}

static void
quiet_menu_tooltips (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget))
    {
      GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget));

      if (popover != NULL)
        g_signal_connect_object (popover, "notify::visible", G_CALLBACK (menu_popover_visible_cb), widget, 0);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    quiet_menu_tooltips (child);
}

static void
sesame_window_init (SesameWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->hidden_windows = g_ptr_array_new_with_free_func (g_object_unref);
  self->toasts = g_ptr_array_new_with_free_func (g_object_unref);
  quiet_menu_tooltips (GTK_WIDGET (self));
}

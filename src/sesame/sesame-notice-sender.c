/* sesame-notice-sender.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sends the operator's notices of regenerated passwords from the window,
 * after the regeneration and in the background: the keyring is asked
 * without blocking, the mail server is talked to in a worker thread, and
 * a failure is told in a toast while the notice waits for the next try.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesame-notice-sender.h"
#include "sesame-notices.h"
#include "sesame-secrets.h"
#include "sesame-ui-util.h"
#include "sesame-worker.h"

typedef struct
{
  GWeakRef            widget;
  SesameStore        *store;
  SesameSmtpSettings *settings;
  char               *password;
} Sending;

static void
sending_free (gpointer data)
{
  Sending *sending = data;

  g_weak_ref_clear (&sending->widget);
  g_clear_object (&sending->store);
  g_clear_object (&sending->settings);
  sesame_secrets_free_password (sending->password);
  g_free (sending);
}

static gpointer
send_in_thread (SesameStore   *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Sending *sending = data;

  if (!sesame_notices_send (store, sending->settings, sending->password, cancellable, NULL, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
sent (GObject      *object,
      GAsyncResult *result,
      gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;

  if (sesame_worker_run_finish (result, &error) == NULL && error != NULL && widget != NULL &&
      gtk_widget_get_root (widget) != NULL)
    sesame_show_toast (widget, error->message);
}

static void
run (Sending *sending)
{
  GtkWidget *widget = g_weak_ref_get (&sending->widget);

  sesame_worker_run_async (sending->store, send_in_thread, sending, sending_free, NULL,
                           NULL, sent, widget);
}

static void
password_found (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Sending *sending = user_data;
  g_autoptr(GError) error = NULL;

  sending->password = sesame_secrets_lookup_smtp_password_finish (result, &error);
  if (sending->password == NULL)
    {
      g_autoptr(GtkWidget) widget = g_weak_ref_get (&sending->widget);

      if (widget != NULL && gtk_widget_get_root (widget) != NULL)
        sesame_show_toast (widget, _("The notice of your regenerated password waits: the mail server password is not in the keyring."));
      sending_free (sending);
      return;
    }
  run (sending);
}

/**
 * sesame_send_notices:
 * @widget: a widget of the window, for a toast if sending fails
 * @store: the store, as the operator who regenerated
 *
 * Sends the operator's notices still waiting, if any, without holding up
 * the window. Nothing happens when none waits or no mail server is set up
 * (the notices then wait).
 */
void
sesame_send_notices (GtkWidget   *widget,
                     SesameStore *store)
{
  g_autoptr(SesameSmtpSettings) settings = NULL;
  Sending *sending;
  const char *user;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (SESAME_IS_STORE (store));

  if (sesame_notices_count_pending (store) == 0)
    return;
  settings = sesame_smtp_settings_load (store, NULL);
  if (settings == NULL || !sesame_smtp_settings_is_configured (settings))
    return;

  sending = g_new0 (Sending, 1);
  g_weak_ref_init (&sending->widget, widget);
  sending->store = g_object_ref (store);
  sending->settings = g_steal_pointer (&settings);
  user = sesame_smtp_settings_get_user (sending->settings);
  if (user[0] == '\0')
    run (sending);
  else
    sesame_secrets_lookup_smtp_password_async (sesame_smtp_settings_get_host (sending->settings), user,
                                               NULL, password_found, sending);
}

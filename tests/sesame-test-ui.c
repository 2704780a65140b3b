/* sesame-test-ui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The waiting that every test driving a window does: turning the main
 * loop for a while, until a condition holds, or until a dialog is shown,
 * and answering a message dialog as a click would. One implementation,
 * so that a test that times out says so the same way everywhere and a
 * change of timeout is made once.
 */
#include "config.h"

#include "sesame-test-ui.h"

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * sesame_test_spin:
 * @ms: how long, in milliseconds
 *
 * Turns the default main context for @ms milliseconds, whatever happens,
 * so that idles, timeouts and redraws of that time have run.
 */
void
sesame_test_spin (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

/**
 * sesame_test_wait_until_for:
 * @condition: checked before each turn of the main context
 * @data: given to @condition
 * @seconds: how long to wait at most
 *
 * Turns the default main context until @condition holds; the test fails
 * when it still does not hold after @seconds.
 */
void
sesame_test_wait_until_for (SesameTestCondition condition,
                            gpointer            data,
                            guint               seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

/**
 * sesame_test_wait_until:
 * @condition: checked before each turn of the main context
 * @data: given to @condition
 *
 * sesame_test_wait_until_for() with %SESAME_TEST_WAIT_SECONDS.
 */
void
sesame_test_wait_until (SesameTestCondition condition,
                        gpointer            data)
{
  sesame_test_wait_until_for (condition, data, SESAME_TEST_WAIT_SECONDS);
}

/**
 * sesame_test_find_toplevel:
 * @type: the type of window looked for
 *
 * Returns: (transfer none) (nullable): the newest visible toplevel of
 *   @type, e.g. a dialog a window just opened, or %NULL
 */
gpointer
sesame_test_find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  gpointer found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      found = l->data;
  return found;
}

static gboolean
toplevel_shown (gpointer data)
{
  return sesame_test_find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

/**
 * sesame_test_wait_for_toplevel:
 * @type: the type of window waited for
 *
 * Waits, as sesame_test_wait_until() does, until a toplevel of @type is
 * shown.
 *
 * Returns: (transfer none): the newest visible toplevel of @type
 */
gpointer
sesame_test_wait_for_toplevel (GType type)
{
  sesame_test_wait_until (toplevel_shown, GSIZE_TO_POINTER (type));
  return sesame_test_find_toplevel (type);
}

/**
 * sesame_test_respond:
 * @dialog: an #AdwMessageDialog
 * @response: the id of one of its responses, which must be enabled
 *
 * Does what a click on the response's button does: emits the response
 * and closes the dialog.
 */
void
sesame_test_respond (gpointer    dialog,
                     const char *response)
{
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, response));
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
}

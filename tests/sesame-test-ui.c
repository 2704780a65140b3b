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

#ifdef GDK_WINDOWING_X11
# include <gdk/x11/gdkx.h>
#endif

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

typedef struct
{
  GtkWidget *widget;
  int        width;
} WidthWait;

static gboolean
has_width (gpointer data)
{
  WidthWait *wait = data;

  /* Within the display: a window as wide as a 1366-pixel screen keeps a
   * few pixels for its frame. */
  return ABS (gtk_widget_get_width (wait->widget) - wait->width) <= 16;
}

/**
 * sesame_test_screenshot:
 * @window: (nullable): the window to show, or %NULL for the whole display
 * @width: the width to give it first, or 0 to keep its size
 * @name: the file name, such as `search-narrow.png`
 *
 * With `SESAME_SCREENSHOT_DIR` set, resizes @window to @width × 800 (the
 * test fails when the window cannot be that narrow) and
 * writes what the display shows of it into that folder as @name, for
 * data/screenshots/. Without it, does nothing: screenshots are taken on
 * purpose, in the session's language, never by the suite.
 */
void
sesame_test_screenshot (GtkWindow  *window,
                        int         width,
                        const char *name)
{
  const char *dir = g_getenv ("SESAME_SCREENSHOT_DIR");
  g_autofree char *file = NULL;
  g_autofree char *command = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (dir == NULL)
    return;
  if (window != NULL && width > 0)
    {
      WidthWait wait = { GTK_WIDGET (window), width };

      gtk_window_unmaximize (window);
      gtk_window_set_default_size (window, width, 800);
      sesame_test_wait_until (has_width, &wait);
    }
  sesame_test_spin (1500);
  file = g_build_filename (dir, name, NULL);
#ifdef GDK_WINDOWING_X11
  if (window != NULL && GDK_IS_X11_SURFACE (gtk_native_get_surface (GTK_NATIVE (window))))
    command = g_strdup_printf ("import -window 0x%lx %s",
                               (unsigned long) gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window))),
                               file);
#endif
  if (command == NULL)
    command = g_strdup_printf ("import -window root %s", file);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

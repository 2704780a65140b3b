/* sesame-test-ui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every test driving a window shares: its start (GTK, a display or
 * a skip), its fixture (a store and Sésame started on it, torn down the
 * same way), the waiting (turning the main loop for a while, until a
 * condition holds, or until a dialog is shown), answering a message
 * dialog as a click would, and reading what the window shows. One
 * implementation, so that a test that times out says so the same way
 * everywhere and a change of timeout is made once.
 */
#include "config.h"

#include "sesame-lock-page.h"
#include "sesame-signin-page.h"
#include "sesame-test-fixture.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"

#include <locale.h>
#include <string.h>

#ifdef GDK_WINDOWING_X11
# include <gdk/x11/gdkx.h>
#endif

static gboolean have_display;

/**
 * sesame_test_ui_init:
 * @argc: main()'s
 * @argv: main()'s
 *
 * g_test_init() for the tests that drive a window: the locale and the
 * build's translations (English in the suite, which sets LC_ALL; the
 * session's language for screenshots), a home of the test's own
 * (sesame_test_use_private_folders()) with the system's data folders
 * still visible, for GTK's icon theme and the MIME database, then GTK
 * and libadwaita when there is a display.
 *
 * Returns: whether there is a display; without one, the tests skip
 *   themselves (sesame_test_skip_without_display())
 */
gboolean
sesame_test_ui_init (int    *argc,
                     char ***argv)
{
  setlocale (LC_ALL, "");
  sesame_document_language_bind_text_domain ();
  g_test_init (argc, argv, NULL);
  sesame_test_use_private_folders ();

  /* The locale is set above; a test may change a category of it. */
  gtk_disable_setlocale ();
  if (g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL)
    have_display = gtk_init_check ();
  if (have_display)
    adw_init ();
  return have_display;
}

/**
 * sesame_test_has_display:
 *
 * Returns: whether sesame_test_ui_init() found a display
 */
gboolean
sesame_test_has_display (void)
{
  return have_display;
}

/**
 * sesame_test_skip_without_display:
 *
 * Marks the test skipped when there is no display, as at the top of a
 * window test: `if (sesame_test_skip_without_display ()) return;`
 *
 * Returns: %TRUE when the test is skipped
 */
gboolean
sesame_test_skip_without_display (void)
{
  if (have_display)
    return FALSE;
  g_test_skip ("No display: run the window tests under xvfb-run");
  return TRUE;
}

/**
 * sesame_test_skip_no_display:
 * @fixture: unused
 * @data: unused
 *
 * The test sesame_test_add_ui() adds without a display: it says it is
 * skipped.
 */
void
sesame_test_skip_no_display (gpointer      fixture,
                             gconstpointer data)
{
  sesame_test_skip_without_display ();
}

/**
 * sesame_test_desk_set_up:
 * @desk: the test's fixture
 * @data: unused
 *
 * Makes a folder for the test and the small school's store in it; the
 * test grants roles, then starts Sésame (sesame_test_desk_start()).
 */
void
sesame_test_desk_set_up (SesameTestDesk *desk,
                         gconstpointer   data)
{
  desk->dir = sesame_test_make_tmpdir ();
  desk->store = sesame_test_fixture_store (desk->dir);
}

/**
 * sesame_test_desk_start:
 * @desk: the test's fixture, set up
 * @name: a word for the test (see sesame_test_app_start())
 *
 * Starts Sésame on the desk's store and keeps its window.
 */
void
sesame_test_desk_start (SesameTestDesk *desk,
                        const char     *name)
{
  g_assert_nonnull (desk->store);
  g_assert_null (desk->app);
  desk->app = sesame_test_app_start (desk->store, name, &desk->window);
}

/**
 * sesame_test_desk_tear_down:
 * @desk: the test's fixture
 * @data: unused
 *
 * Destroys every window, lets GTK finish with them, drops the
 * application and the store and removes the test's folder. Does nothing
 * for a desk never set up.
 */
void
sesame_test_desk_tear_down (SesameTestDesk *desk,
                            gconstpointer   data)
{
  g_autoptr(GList) toplevels = NULL;

  if (desk->dir == NULL)
    return;
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  sesame_test_spin (50);
  desk->window = NULL;
  g_clear_object (&desk->app);
  g_clear_object (&desk->store);
  sesame_test_remove_tree (desk->dir);
  g_clear_pointer (&desk->dir, g_free);
}

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

static gboolean
signin_answered (gpointer data)
{
  if (SESAME_IS_LOCK_PAGE (data))
    return !sesame_lock_page_is_busy (data);
  return !sesame_signin_page_is_busy (data);
}

/**
 * sesame_test_sign_in_activate:
 * @page: a #SesameSigninPage or a #SesameLockPage
 * @action: its action that signs in, e.g. "signin.sign-in" or "lock.unlock"
 *
 * Activates @action as the operator would, then waits for the sign-in's
 * answer, which comes from a thread.
 */
void
sesame_test_sign_in_activate (gpointer    page,
                              const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), action, NULL));
  sesame_test_wait_until (signin_answered, page);
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

/**
 * sesame_test_skip_without_screenshots:
 *
 * Marks a test that only takes screenshots skipped unless
 * `SESAME_SCREENSHOT_DIR` is set (see sesame_test_screenshot()).
 *
 * Returns: %TRUE when the test is skipped
 */
gboolean
sesame_test_skip_without_screenshots (void)
{
  if (g_getenv ("SESAME_SCREENSHOT_DIR") != NULL)
    return FALSE;
  g_test_skip ("Set SESAME_SCREENSHOT_DIR to take the screenshots");
  return TRUE;
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
    sesame_test_resize (window, width);
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

/**
 * sesame_test_find_descendant:
 * @widget: where to look
 * @type: the type looked for
 *
 * Returns: (transfer none) (nullable): the first widget of @type in
 *   @widget's tree, @widget included, depth first
 */
GtkWidget *
sesame_test_find_descendant (GtkWidget *widget,
                             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = sesame_test_find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * sesame_test_plain_text:
 * @text: a label's text
 *
 * Returns: (transfer full): @text as read: non-breaking hyphens and
 *   spaces as the plain ones
 */
char *
sesame_test_plain_text (const char *text)
{
  g_autoptr(GString) plain = g_string_new (text);

  g_string_replace (plain, "\u2011", "-", 0);
  g_string_replace (plain, "\u00a0", " ", 0);
  return g_string_free (g_steal_pointer (&plain), FALSE);
}

static void
collect_labels (GtkWidget *widget,
                GPtrArray *labels,
                gboolean   in_buttons)
{
  if (!gtk_widget_get_mapped (widget) || (!in_buttons && GTK_IS_BUTTON (widget)))
    return;
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (labels, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, labels, in_buttons);
}

/**
 * sesame_test_collect_labels:
 * @widget: where to look
 * @labels: (element-type GtkLabel): where to add them
 *
 * Adds the labels shown in @widget's tree to @labels.
 */
void
sesame_test_collect_labels (GtkWidget *widget,
                            GPtrArray *labels)
{
  collect_labels (widget, labels, TRUE);
}

static int
compare_x (gconstpointer a,
           gconstpointer b,
           gpointer      user_data)
{
  graphene_point_t pa, pb;

  g_assert_true (gtk_widget_compute_point (*(GtkWidget **) a, user_data, &GRAPHENE_POINT_INIT (0, 0), &pa));
  g_assert_true (gtk_widget_compute_point (*(GtkWidget **) b, user_data, &GRAPHENE_POINT_INIT (0, 0), &pb));
  return (pa.x > pb.x) - (pa.x < pb.x);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  GPtrArray *row_a = *(GPtrArray **) a;
  GPtrArray *row_b = *(GPtrArray **) b;
  graphene_point_t pa, pb;

  g_assert_true (gtk_widget_compute_point (g_ptr_array_index (row_a, 0), user_data, &GRAPHENE_POINT_INIT (0, 0), &pa));
  g_assert_true (gtk_widget_compute_point (g_ptr_array_index (row_b, 0), user_data, &GRAPHENE_POINT_INIT (0, 0), &pb));
  return (pa.y > pb.y) - (pa.y < pb.y);
}

/**
 * sesame_test_read_table:
 * @root: a widget holding a #GtkColumnView
 *
 * The rows of the first table in @root as they are in sight, top to
 * bottom, each the texts of its cells left to right, as
 * sesame_test_plain_text() reads them (buttons' labels are not cells).
 *
 * Returns: (transfer full) (element-type GPtrArray): the rows
 */
GPtrArray *
sesame_test_read_table (GtkWidget *root)
{
  GtkWidget *column_view = sesame_test_find_descendant (root, GTK_TYPE_COLUMN_VIEW);
  GtkWidget *list = sesame_test_find_descendant (column_view, GTK_TYPE_LIST_VIEW);
  GtkWidget *scrolled = gtk_widget_get_ancestor (column_view, GTK_TYPE_SCROLLED_WINDOW);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *texts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  sesame_test_spin (400);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();
      graphene_rect_t bounds;

      /* Only the rows in sight: the list keeps a few more out of it. */
      if (!gtk_widget_compute_bounds (row, scrolled, &bounds) || bounds.origin.y + bounds.size.height <= 0 ||
          bounds.origin.y >= gtk_widget_get_height (scrolled))
        continue;
      collect_labels (row, labels, FALSE);
      if (labels->len == 0)
        continue;
      g_ptr_array_sort_with_data (labels, compare_x, list);
      g_ptr_array_add (rows, g_steal_pointer (&labels));
    }
  g_ptr_array_sort_with_data (rows, compare_rows, list);
  for (guint i = 0; i < rows->len; i++)
    {
      GPtrArray *labels = g_ptr_array_index (rows, i);
      GPtrArray *cells = g_ptr_array_new_with_free_func (g_free);

      for (guint j = 0; j < labels->len; j++)
        g_ptr_array_add (cells, sesame_test_plain_text (gtk_label_get_label (g_ptr_array_index (labels, j))));
      g_ptr_array_add (texts, cells);
    }
  return texts;
}

/**
 * sesame_test_table_cell:
 * @table: (element-type GPtrArray): from sesame_test_read_table()
 * @row: a row in sight
 * @column: a cell of that row
 *
 * Returns: (transfer none): the cell's text; the test fails when the
 *   table has no such cell
 */
const char *
sesame_test_table_cell (GPtrArray *table,
                        guint      row,
                        guint      column)
{
  GPtrArray *cells;

  g_assert_cmpuint (row, <, table->len);
  cells = g_ptr_array_index (table, row);
  g_assert_cmpuint (column, <, cells->len);
  return g_ptr_array_index (cells, column);
}

/**
 * sesame_test_app_start:
 * @store: the store the application works on
 * @name: a word for the test, to make the application's id its own
 * @window: (out): the window the application opened
 *
 * Starts Sésame on @store as a desk would: registered under an id of its
 * own (so that tests never talk to one another), activated, its window
 * shown. The fixture's tear-down destroys the windows, then drops the
 * application.
 *
 * Returns: (transfer full): the application
 */
SesameApplication *
sesame_test_app_start (SesameStore   *store,
                       const char    *name,
                       SesameWindow **window)
{
  static guint n_apps;
  g_autofree char *id = g_strdup_printf ("%s.%s%u", APPLICATION_ID, name, ++n_apps);
  g_autoptr(SesameApplication) app = sesame_application_new (id, G_APPLICATION_NON_UNIQUE);
  g_autoptr(GError) error = NULL;
  GList *windows;

  sesame_application_set_store (app, store);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_nonnull (windows);
  *window = SESAME_WINDOW (windows->data);
  return g_steal_pointer (&app);
}

/**
 * sesame_test_first_row_button:
 * @root: where the table is
 * @type: the type of button, as %GTK_TYPE_MENU_BUTTON
 *
 * Returns: (transfer none): the first button of @type in a row of the
 *   table (#GtkColumnView) under @root that is shown, not scrolled above
 *   it; the test fails when there is none
 */
GtkWidget *
sesame_test_first_row_button (GtkWidget *root,
                              GType      type)
{
  GtkWidget *column_view = sesame_test_find_descendant (root, GTK_TYPE_COLUMN_VIEW);
  GtkWidget *list = sesame_test_find_descendant (column_view, GTK_TYPE_LIST_VIEW);
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *button = sesame_test_find_descendant (row, type);
      graphene_point_t point;

      if (button != NULL && gtk_widget_get_mapped (button) &&
          gtk_widget_compute_point (button, list, &GRAPHENE_POINT_INIT (0, 0), &point) && point.y >= 0)
        g_ptr_array_add (buttons, button);
    }
  g_assert_cmpuint (buttons->len, >, 0);
  return g_ptr_array_index (buttons, 0);
}

/**
 * sesame_test_find_label:
 * @root: where to look
 * @needle: part of the text
 *
 * Returns: (transfer none) (nullable): the first label shown under @root
 *   whose text, as sesame_test_plain_text() reads it, holds @needle
 */
GtkLabel *
sesame_test_find_label (GtkWidget  *root,
                        const char *needle)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  sesame_test_collect_labels (root, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      g_autofree char *text = sesame_test_plain_text (gtk_label_get_text (g_ptr_array_index (labels, i)));

      if (strstr (text, needle) != NULL)
        return g_ptr_array_index (labels, i);
    }
  return NULL;
}

/**
 * sesame_test_assert_shown:
 * @root: where to look
 * @needle: part of a label's text
 *
 * Fails the test when no label shown under @root holds @needle.
 */
void
sesame_test_assert_shown (GtkWidget  *root,
                          const char *needle)
{
  if (sesame_test_find_label (root, needle) == NULL)
    g_error ("“%s” is not on screen", needle);
}

/**
 * sesame_test_assert_wrapped_between_words:
 * @label: a label as laid out
 *
 * Fails the test when a line of @label ends inside a word: every line but
 * the first must start after a breaking space.
 */
void
sesame_test_assert_wrapped_between_words (GtkLabel *label)
{
  PangoLayout *layout = gtk_label_get_layout (label);
  const char *text = pango_layout_get_text (layout);
  GSList *lines = pango_layout_get_lines_readonly (layout);

  for (GSList *l = lines ? lines->next : NULL; l != NULL; l = l->next)
    {
      PangoLayoutLine *line = l->data;
      const char *previous = g_utf8_find_prev_char (text, text + line->start_index);

      if (previous == NULL || !g_unichar_isspace (g_utf8_get_char (previous)) ||
          g_utf8_get_char (previous) == 0x00a0)
        g_error ("“%s” is broken inside a word, before “%s”", text, text + line->start_index);
    }
}

/**
 * sesame_test_on_screen:
 * @widget: a widget
 *
 * Returns: whether @widget is shown wholly inside its window and inside
 *   what its scrolled window shows
 */
gboolean
sesame_test_on_screen (GtkWidget *widget)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (widget));
  GtkWidget *viewport = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds, view;

  if (!gtk_widget_get_mapped (widget) ||
      !gtk_widget_compute_bounds (widget, window, &bounds) ||
      !gtk_widget_compute_bounds (viewport, window, &view))
    return FALSE;
  return bounds.origin.x >= view.origin.x && bounds.origin.x + bounds.size.width <= view.origin.x + view.size.width &&
         bounds.origin.x + bounds.size.width <= gtk_widget_get_width (window);
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
 * sesame_test_resize:
 * @window: a window shown
 * @width: its new width
 *
 * Gives @window @width × 800 pixels, and waits until it has them and has
 * been laid out again; the test fails when the window cannot be that
 * narrow.
 */
void
sesame_test_resize (GtkWindow *window,
                    int        width)
{
  WidthWait wait = { GTK_WIDGET (window), width };

  gtk_window_unmaximize (window);
  gtk_window_set_default_size (window, width, 800);
  sesame_test_wait_until (has_width, &wait);
  sesame_test_spin (300);
}

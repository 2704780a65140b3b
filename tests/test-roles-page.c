/* test-roles-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "Rôles" page and the Grant window as an administrator meets them:
 * long names whole and never broken inside, who granted each role by
 * name, the holder's establishment, the picker saying who already holds
 * a role, the row's buttons on a 600-px window; each roles.* and grant.*
 * action driven as its button drives it. Without a display the tests are
 * skipped.
 */
#include "config.h"

#include <string.h>

#include "sesame-accounts-private.h"
#include "sesame-application.h"
#include "sesame-document-language.h"
#include "sesame-enrolment-dialog.h"
#include "sesame-grant-window.h"
#include "sesame-roles-page.h"
#include "sesame-search-index-private.h"
#include "sesame-staff-picker.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"
#include "sesame-window.h"

typedef struct
{
  SesameTestDesk   base;  /* the store and Sésame on it */
  SesameRolesPage *page;
  char            *long_login;  /* Jean-Luc DE LA TOUR-SAINT-EXUPÉRY's */
} Fixture;

static gboolean
page_idle (gpointer data)
{
  return !sesame_roles_page_get_busy (data) && g_list_model_get_n_items (sesame_roles_page_get_grants (data)) > 0;
}

/* A member of staff with a long hyphenated name, at the Collège.
 * Returns their login. */
static char *
add_long_name (SesameStore *store)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  char *login;

  g_assert_true (_sesame_store_begin (store, &error));
  g_assert_true (_sesame_store_exec (store,
                                     "INSERT INTO persons (key, kind, profile, title, last_name, first_name, structure,"
                                     " email, address, postal_code, city, country, is_head, first_seen_at) VALUES"
                                     " ('S9', 'PersEducNat', 3, 'M.', 'de La Tour-Saint-Exupéry', 'Jean-Luc', '52006',"
                                     " '', '', '', '', '', 0, 0);"
                                     "INSERT INTO functions (person_key, structure, code, label, discipline, discipline_label)"
                                     " VALUES ('S9', '52006', 'ENS', 'ENSEIGNEMENT', '', '');",
                                     &error));
  g_assert_true (_sesame_accounts_create (store, NULL, "S9", SESAME_PROFILE_ENSEIGNANT, "Jean-Luc",
                                          "de La Tour-Saint-Exupéry", NULL, &error));
  g_assert_true (_sesame_search_index_person (store, "S9", &error));
  g_assert_true (_sesame_store_commit (store, &error));
  g_assert_no_error (error);

  stmt = _sesame_store_prepare (store, "SELECT login FROM accounts WHERE person_key = 'S9'", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  login = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return login;
}

/* Hélène ROCHE, head of the Collège, signed in; she granted Jean-Luc DE
 * LA TOUR-SAINT-EXUPÉRY the role; the computer's own account granted Luc
 * BERNARD his, without signing in. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sesame_test_desk_set_up (&fixture->base, data);
  fixture->long_login = add_long_name (fixture->base.store);
  g_assert_true (sesame_roles_grant (fixture->base.store, "luc.bernard", SESAME_ROLE_SCOPE_CLASSES, &error));
  g_assert_no_error (error);
  g_assert_true (_sesame_store_set_operator_trusted (fixture->base.store, "helene.roche", &error));
  g_assert_no_error (error);
  g_assert_true (sesame_roles_grant (fixture->base.store, fixture->long_login,
                                     SESAME_ROLE_SCOPE_ESTABLISHMENT, &error));
  g_assert_no_error (error);

  sesame_test_desk_start (&fixture->base, "RolesTest");
  gtk_window_set_default_size (GTK_WINDOW (fixture->base.window), 1366, 800);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.show-page", "s", "roles"));
  fixture->page = SESAME_ROLES_PAGE (sesame_window_get_page (fixture->base.window, "roles"));
  sesame_roles_page_reload (fixture->page);
  sesame_test_wait_until (page_idle, fixture->page);
  sesame_test_spin (300);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->long_login);
  sesame_test_desk_tear_down (&fixture->base, data);
}

/* Reading the screen */

/* The columns of the table of rights, as shown. */
enum { USER, ROLE, ESTABLISHMENT, SCOPE, GRANTED_BY, GRANTED_ON, STATUS, N_CELLS };

/* The row of the table whose user cell starts with @name. */
static GPtrArray *
find_row (GPtrArray  *table,
          const char *name)
{
  for (guint i = 0; i < table->len; i++)
    if (g_str_has_prefix (sesame_test_table_cell (table, i, USER), name))
      return g_ptr_array_index (table, i);
  g_error ("No row for %s", name);
  return NULL;
}

static gboolean
has_size (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && gtk_widget_get_height (data) > 0;
}

/* Tests */

/* "Accordé par" names the operator, never a login nor the computer's user;
 * each holder's establishment has a column; names are whole. */
static void
test_table (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) table = NULL;
  GPtrArray *row;

  table = sesame_test_read_table (GTK_WIDGET (fixture->page));
  g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (table, 0))->len, ==, N_CELLS);

  row = find_row (table, "Jean-Luc DE LA TOUR-SAINT-EXUPÉRY");
  {
    g_autofree char *expected = g_strdup_printf ("Jean-Luc DE LA TOUR-SAINT-EXUPÉRY (%s)", fixture->long_login);

    g_assert_cmpstr (g_ptr_array_index (row, USER), ==, expected);
  }
  g_assert_cmpstr (g_ptr_array_index (row, GRANTED_BY), ==, "Hélène ROCHE");
  g_assert_cmpstr (g_ptr_array_index (row, ESTABLISHMENT), ==, "Collège Les Aravis (0740017S)");
  g_assert_cmpstr (g_ptr_array_index (row, ROLE), ==, "Identifier manager");

  /* Granted by the computer's account: what it is, not its user name. */
  row = find_row (table, "Luc BERNARD");
  g_assert_cmpstr (g_ptr_array_index (row, GRANTED_BY), ==, "This computer's account, without signing in");
  g_assert_null (strstr (g_ptr_array_index (row, GRANTED_BY), g_get_user_name ()));

  row = find_row (table, "Hélène ROCHE");
  g_assert_cmpstr (g_ptr_array_index (row, ROLE), ==, "Administrator");
  g_assert_cmpstr (g_ptr_array_index (row, ESTABLISHMENT), ==, "Collège Les Aravis (0740017S)");

  /* No cell is cut: a label that does not fit wraps. */
  for (guint i = 0; i < table->len; i++)
    for (guint j = 0; j < N_CELLS; j++)
      g_assert_null (strstr (sesame_test_table_cell (table, i, j), "…"));
}

/* At 600 px: the long name wraps between words only, never inside
 * "Jean-Luc", and the row's buttons stay on screen beside it, with a
 * visible scrollbar for the rest. */
static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *page;
  GtkLabel *name;
  GtkScrolledWindow *scrolled;
  PangoLayout *layout;

  page = GTK_WIDGET (fixture->page);
  sesame_test_resize (GTK_WINDOW (fixture->base.window), 600);

  name = sesame_test_find_label (page, "Jean-Luc DE LA TOUR");
  g_assert_nonnull (name);
  g_assert_true (sesame_test_on_screen (GTK_WIDGET (name)));
  g_assert_false (gtk_label_get_ellipsize (name) != PANGO_ELLIPSIZE_NONE);
  /* The name's own characters hold together. */
  g_assert_nonnull (strstr (gtk_label_get_label (name), "Jean\u2011Luc\u00a0DE\u00a0LA\u00a0TOUR\u2011SAINT\u2011EXUPÉRY"));
  layout = gtk_label_get_layout (name);
  {
    const char *text = pango_layout_get_text (layout);
    const char *login = strstr (text, " (");
    GSList *lines = pango_layout_get_lines_readonly (layout);

    for (GSList *l = lines ? lines->next : NULL; l != NULL; l = l->next)
      g_assert_cmpint (((PangoLayoutLine *) l->data)->start_index, >=, login - text);
  }

  g_assert_true (sesame_test_on_screen (sesame_test_first_row_button (page, GTK_TYPE_BUTTON)));
  scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (sesame_test_find_descendant (page, GTK_TYPE_COLUMN_VIEW),
                                                           GTK_TYPE_SCROLLED_WINDOW));
  g_assert_false (gtk_scrolled_window_get_overlay_scrolling (scrolled));
  {
    GtkAdjustment *hadjustment = gtk_scrolled_window_get_hadjustment (scrolled);

    if (gtk_adjustment_get_upper (hadjustment) > gtk_adjustment_get_page_size (hadjustment))
      g_assert_true (gtk_widget_get_mapped (gtk_scrolled_window_get_hscrollbar (scrolled)));
  }
}

static gboolean
staff_listed (gpointer data)
{
  GListModel *results = sesame_staff_picker_get_results (data);

  return results != NULL && g_list_model_get_n_items (results) >= 4;
}

/* The texts of the picker's row that shows @name, after the name and its
 * subtitle: the role it holds, or "". */
static char *
picker_row_role (SesameStaffPicker *picker,
                 const char        *name)
{
  GtkWidget *list = sesame_test_find_descendant (GTK_WIDGET (picker), GTK_TYPE_LIST_BOX);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();
      g_autoptr(GString) role = g_string_new (NULL);
      g_autofree char *title = NULL;

      if (!ADW_IS_ACTION_ROW (row))
        continue;
      title = sesame_test_plain_text (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
      if (g_strcmp0 (title, name) != 0)
        continue;
      sesame_test_collect_labels (row, labels);
      for (guint i = 0; i < labels->len; i++)
        {
          const char *text = gtk_label_get_text (g_ptr_array_index (labels, i));
          g_autofree char *plain = sesame_test_plain_text (text);

          if (*text == '\0' || g_strcmp0 (plain, name) == 0 ||
              g_strcmp0 (text, adw_action_row_get_subtitle (ADW_ACTION_ROW (row))) == 0)
            continue;
          g_string_append (role, text);
        }
      return g_string_free (g_steal_pointer (&role), FALSE);
    }
  g_error ("%s is not listed", name);
  return NULL;
}

static void
assert_role (SesameStaffPicker *picker,
             const char        *name,
             const char        *role)
{
  g_autofree char *shown = picker_row_role (picker, name);

  g_assert_cmpstr (shown, ==, role);
}

/* roles.grant opens the Grant window, whose picker says who already holds
 * a role; grant.grant gives it and shows the enrolment code. */
static void
test_grant (Fixture       *fixture,
            gconstpointer  data)
{
  SesameGrantWindow *window;
  SesameStaffPicker *picker;
  SesameEnrolmentDialog *enrolment;
  g_autoptr(GPtrArray) table = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "roles.grant", NULL));
  window = sesame_test_wait_for_toplevel (SESAME_TYPE_GRANT_WINDOW);
  picker = sesame_grant_window_get_picker (window);
  sesame_test_wait_until (staff_listed, picker);
  sesame_test_spin (200);

  /* Each row says which role its person holds already, if any. */
  assert_role (picker, "Luc BERNARD", "Identifier manager · Pupils of their classes and their guardians");
  assert_role (picker, "Hélène ROCHE", "Administrator");
  assert_role (picker, "Sophie GARNIER", "");

  /* Typing in the search does not resize the window. */
  /* Laid out first: slow builds (sanitizers) take a while to show it. */
  sesame_test_wait_until (has_size, window);
  {
    int width = gtk_widget_get_width (GTK_WIDGET (window));
    int height = gtk_widget_get_height (GTK_WIDGET (window));
    const char *typed[] = { "g", "gar", "garnier", "zzz", "" };

    for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
      {
        sesame_staff_picker_set_text (picker, typed[i]);
        sesame_test_spin (300);
        g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), ==, width);
        g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window)), ==, height);
      }
    sesame_test_wait_until (staff_listed, picker);
  }

  g_assert_true (sesame_staff_picker_select (picker, "sophie.garnier"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "grant.grant", NULL));
  enrolment = sesame_test_wait_for_toplevel (SESAME_TYPE_ENROLMENT_DIALOG);
  g_assert_cmpuint (sesame_enrolment_dialog_get_enrolments (enrolment)->len, ==, 1);
  gtk_window_close (GTK_WINDOW (enrolment));

  sesame_test_wait_until (page_idle, fixture->page);
  sesame_test_spin (200);
  table = sesame_test_read_table (GTK_WIDGET (fixture->page));
  g_assert_cmpstr (g_ptr_array_index (find_row (table, "Sophie GARNIER"), GRANTED_BY), ==, "Hélène ROCHE");
  sesame_test_assert_shown (GTK_WIDGET (fixture->base.window), "Role granted to 1 member of staff");
}

/* roles.revoke asks first, the name whole in its heading; roles.invite
 * shows a new enrolment code. */
static void
test_revoke_invite (Fixture       *fixture,
                    gconstpointer  data)
{
  AdwMessageDialog *dialog;
  SesameEnrolmentDialog *enrolment;
  g_autoptr(GPtrArray) table = NULL;

  sesame_test_resize (GTK_WINDOW (fixture->base.window), 600);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "roles.invite", "s", fixture->long_login));
  enrolment = sesame_test_wait_for_toplevel (SESAME_TYPE_ENROLMENT_DIALOG);
  g_assert_cmpstr (((SesameEnrolment *) g_ptr_array_index (sesame_enrolment_dialog_get_enrolments (enrolment), 0))->login,
                   ==, fixture->long_login);
  gtk_window_close (GTK_WINDOW (enrolment));
  sesame_test_spin (100);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "roles.revoke", "s", fixture->long_login));
  dialog = sesame_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  sesame_test_spin (300);
  {
    g_autofree char *body = sesame_test_plain_text (adw_message_dialog_get_body (dialog));

    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Remove the Identifier Manager Role?");
    g_assert_true (g_str_has_prefix (body, "Jean-Luc DE LA TOUR-SAINT-EXUPÉRY will no longer"));
  }
  sesame_test_assert_wrapped_between_words (sesame_test_find_label (GTK_WIDGET (dialog), "Remove the Identifier"));
  sesame_test_assert_wrapped_between_words (sesame_test_find_label (GTK_WIDGET (dialog), "will no longer"));
  sesame_test_respond (dialog, "confirm");
  sesame_test_wait_until (page_idle, fixture->page);
  sesame_test_spin (200);
  sesame_test_assert_shown (GTK_WIDGET (fixture->base.window), "is no longer an identifier manager");
  table = sesame_test_read_table (GTK_WIDGET (fixture->page));
  for (guint i = 0; i < table->len; i++)
    g_assert_false (g_str_has_prefix (sesame_test_table_cell (table, i, USER), "Jean-Luc"));
}

/* data/screenshots/roles.png and roles-narrow.png, in the session's
 * language. */
static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  if (sesame_test_skip_without_screenshots ())
    return;
  sesame_test_screenshot (GTK_WINDOW (fixture->base.window), 1366, "roles.png");
  sesame_test_screenshot (GTK_WINDOW (fixture->base.window), 600, "roles-narrow.png");
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_ui_init (&argc, &argv);

#define ADD(path, func) \
  sesame_test_add_ui (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sesame/roles-page/table", test_table);
  ADD ("/sesame/roles-page/narrow", test_narrow);
  ADD ("/sesame/roles-page/grant", test_grant);
  ADD ("/sesame/roles-page/revoke-invite", test_revoke_invite);
  ADD ("/sesame/roles-page/screenshots", test_screenshots);
#undef ADD

  return g_test_run ();
}

/* test-search-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Search page as a secretary uses it at the desk: every search.*
 * action driven as the keyboard and menus drive it, and what the page then
 * shows (labels, counts, dialogs) checked, in a window under a (virtual)
 * display. Without a display the tests are skipped.
 */
#include "config.h"

#include <string.h>

#include "sesame-application.h"
#include "sesame-demo-directory.h"
#include "sesame-login-dialog.h"
#include "sesame-password-dialog.h"
#include "sesame-print-preview.h"
#include "sesame-search-page.h"
#include "sesame-store-private.h"
#include "sesame-accounts-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"
#include "sesame-window.h"

typedef struct
{
  SesameTestDesk    base;  /* the store and Sésame on it */
  SesameSearchPage *page;
} Fixture;

static gboolean
page_shown (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 1000;
}

static void
open_window (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  sesame_test_desk_start (&fixture->base, "SearchTest");
  gtk_window_set_default_size (GTK_WINDOW (fixture->base.window), 1366, 800);
  fixture->page = SESAME_SEARCH_PAGE (sesame_window_get_page (fixture->base.window, "search"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.find", NULL));
  g_assert_cmpstr (sesame_window_get_visible_page (fixture->base.window), ==, "search");
  sesame_test_wait_until (page_shown, fixture->page);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sesame_test_desk_set_up (&fixture->base, data);
  g_assert_true (_sesame_store_set_operator_trusted (fixture->base.store, "helene.roche", &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  sesame_test_desk_tear_down (&fixture->base, data);
}

/* Helpers: what the page shows */

static gboolean
page_idle (gpointer data)
{
  return !sesame_search_page_get_busy (data);
}

static guint
n_results (Fixture *fixture)
{
  return g_list_model_get_n_items (sesame_search_page_get_results (fixture->page));
}

/* Runs the search as typed in the simple field and waits for its results. */
static void
search (Fixture    *fixture,
        const char *text)
{
  sesame_search_page_set_text (fixture->page, text);
  sesame_test_spin (20);
  /* Thousands of people under AddressSanitizer, on a busy machine, take
   * longer than a dialog. */
  sesame_test_wait_until_for (page_idle, fixture->page, 120);
  sesame_test_spin (50);
}

static void
wait_idle (Fixture *fixture)
{
  sesame_test_spin (20);
  /* Thousands of people under AddressSanitizer, on a busy machine, take
   * longer than a dialog. */
  sesame_test_wait_until_for (page_idle, fixture->page, 120);
  sesame_test_spin (50);
}

typedef struct
{
  Fixture *fixture;
  guint    n;
} ResultsWait;

static gboolean
results_shown (gpointer data)
{
  ResultsWait *wait = data;

  return !sesame_search_page_get_busy (wait->fixture->page) && n_results (wait->fixture) == wait->n;
}

/* Waits for the search started by what was typed (entries search after a
 * short delay) to show @n results. */
static void
wait_results (Fixture *fixture,
              guint    n)
{
  ResultsWait wait = { fixture, n };

  sesame_test_wait_until (results_shown, &wait);
  sesame_test_spin (50);
}

static GtkWidget *
template_child (Fixture    *fixture,
                const char *name)
{
  GtkWidget *child = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->page),
                                                                SESAME_TYPE_SEARCH_PAGE, name));

  g_assert_nonnull (child);
  return child;
}

static const char *
count_text (Fixture *fixture)
{
  return gtk_label_get_label (GTK_LABEL (template_child (fixture, "count_label")));
}

/* A label showing @text, mapped, inside @widget. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

typedef struct
{
  GtkWidget *widget;
  GType      type;
  guint      n;
} WidgetsWait;

static gboolean
widgets_shown (gpointer data)
{
  WidgetsWait *wait = data;
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (wait->widget, wait->type, found);
  return found->len >= wait->n;
}

/* Waits until @widget shows at least @n widgets of @type (rows are drawn
 * after the results arrive). */
static void
wait_widgets (GtkWidget *widget,
              GType      type,
              guint      n)
{
  WidgetsWait wait = { widget, type, n };

  sesame_test_wait_until (widgets_shown, &wait);
}

static gboolean
dialog_shown (gpointer data)
{
  const char *heading = data;
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
        g_strcmp0 (adw_message_dialog_get_heading (l->data), heading) == 0)
      return TRUE;
  return FALSE;
}

/* Waits for a message dialog saying @heading, and returns it. */
static AdwMessageDialog *
wait_dialog (const char *heading)
{
  g_autoptr(GList) toplevels = NULL;

  sesame_test_wait_until (dialog_shown, (gpointer) heading);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
        g_strcmp0 (adw_message_dialog_get_heading (l->data), heading) == 0)
      return l->data;
  g_assert_not_reached ();
}

static SesamePerson *
result (Fixture *fixture,
        guint    position)
{
  SesamePerson *person = g_list_model_get_item (sesame_search_page_get_results (fixture->page), position);

  g_assert_nonnull (person);
  g_object_unref (person);
  return person;
}

static void
add_people (Fixture    *fixture,
            const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_sesame_store_exec (fixture->base.store, sql, &error));
  g_assert_no_error (error);
  g_assert_true (_sesame_store_exec (fixture->base.store,
                                     "DELETE FROM persons_fts;"
                                     "INSERT INTO persons_fts (rowid, first_name, last_name, other_names)"
                                     " SELECT rowid, first_name, last_name, birth_name FROM persons;",
                                     &error));
  g_assert_no_error (error);
}

/* Tests */

/* open, back: a person opens from the results and the page comes back. */
static void
test_open_back (Fixture       *fixture,
                gconstpointer  data)
{
  open_window (fixture);
  search (fixture, "zoe");
  g_assert_cmpuint (n_results (fixture), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "search.open", "s", "P3"));
  g_assert_cmpstr (sesame_search_page_get_view (fixture->page), ==, "details");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "search.back", NULL));
  g_assert_cmpstr (sesame_search_page_get_view (fixture->page), ==, "results");
  g_assert_cmpstr (count_text (fixture), ==, "1 result");
}

/* A login is found by its beginning, in the simple field and in the
 * Technical tab, whose page speaks of logins, not names; the login shows
 * in its column. */
static void
test_login_prefix (Fixture       *fixture,
                   gconstpointer  data)
{
  AdwStatusPage *initial;

  open_window (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "search.mode", "s", "technical"));
  gtk_editable_set_text (GTK_EDITABLE (template_child (fixture, "login_entry")), "zoe.mart");
  wait_results (fixture, 1);
  g_assert_cmpstr (sesame_person_get_key (result (fixture, 0)), ==, "P3");

  initial = ADW_STATUS_PAGE (template_child (fixture, "initial_status"));
  g_assert_cmpstr (adw_status_page_get_title (initial), ==, "Find an Account");
  g_assert_nonnull (strstr (adw_status_page_get_description (initial), "login"));
  g_assert_null (strstr (adw_status_page_get_description (initial), "name"));
  {
    g_autofree char *placeholder = NULL;

    g_object_get (template_child (fixture, "login_entry"), "placeholder-text", &placeholder, NULL);
    g_assert_cmpstr (placeholder, ==, "Beginning of a login, current or former");
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "search.mode", "s", "simple"));
  search (fixture, "zoe.mar");
  g_assert_cmpuint (n_results (fixture), ==, 1);
  g_assert_cmpstr (sesame_person_get_key (result (fixture, 0)), ==, "P3");
  g_assert_nonnull (find_label (GTK_WIDGET (fixture->page), "zoe.martin"));
}

/* A person stays findable by the login they had before a change, which
 * the row says is a former login. */
static void
test_former_login (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sesame_accounts_set_login (fixture->base.store, "zoe.martin", "zoe.perrin", &error));
  g_assert_no_error (error);
  open_window (fixture);

  search (fixture, "zoe.martin");
  g_assert_cmpuint (n_results (fixture), ==, 1);
  g_assert_cmpstr (sesame_person_get_login (result (fixture, 0)), ==, "zoe.perrin");
  g_assert_nonnull (find_label (GTK_WIDGET (fixture->page), "former login: zoe.martin"));
  g_assert_nonnull (find_label (GTK_WIDGET (fixture->page), "zoe.perrin"));

  /* Today's login needs no explanation. */
  search (fixture, "zoe.perrin");
  g_assert_cmpuint (n_results (fixture), ==, 1);
  g_assert_null (find_label (GTK_WIDGET (fixture->page), "former login: zoe.martin"));
}

/* "martin" lists the MARTIN surnames before the Martines, and a person
 * found by their birth name says so. */
static void
test_rank_and_reason (Fixture       *fixture,
                      gconstpointer  data)
{
  add_people (fixture,
              "INSERT INTO persons (key, kind, profile, title, last_name, first_name, structure, first_seen_at) VALUES"
              " ('P20', 'Eleve', 1, 'Mlle', 'Aubert', 'Martine', '52006', 0),"
              " ('P21', 'Eleve', 1, 'Mlle', 'Bailly', 'Martine', '52006', 0),"
              " ('P22', 'Eleve', 1, 'M.', 'Martinez', 'Hugo', '52006', 0);"
              "UPDATE persons SET birth_name = 'Durand' WHERE key = 'P7';");
  open_window (fixture);

  search (fixture, "martin");
  g_assert_cmpuint (n_results (fixture), ==, 5);
  g_assert_cmpstr (sesame_person_get_last_name (result (fixture, 0)), ==, "Martin");
  g_assert_cmpstr (sesame_person_get_last_name (result (fixture, 1)), ==, "Martin");

  search (fixture, "durand");
  g_assert_cmpuint (n_results (fixture), ==, 1);
  g_assert_cmpstr (sesame_person_get_key (result (fixture, 0)), ==, "P7");
  g_assert_nonnull (find_label (GTK_WIDGET (fixture->page), "birth name: Durand"));
}

/* 6,000 pupils named Aubert: the page shows the first 500 and says more
 * match, "Show More" adds the next, and "Select All" selects every one of
 * them, not a silent 5,000. */
static void
test_show_more_select_all (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *all = NULL;
  GtkWidget *more;

  add_people (fixture,
              "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)"
              " INSERT INTO persons (key, kind, profile, title, last_name, first_name, structure, first_seen_at)"
              " SELECT 'A' || i, 'Eleve', 1, 'M.', 'Aubert', 'Élève ' || i, '52006', 0 FROM n;");
  open_window (fixture);

  /* Select All reaches every one of them. */
  search (fixture, "aubert");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "search.select-all", NULL));
  wait_idle (fixture);
  g_assert_cmpuint (n_results (fixture), ==, 6000);
  {
    g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (sesame_search_page_get_selection (fixture->page));

    g_assert_cmpuint (gtk_bitset_get_size (selected), ==, 6000);
  }
  all = g_strdup_printf ("%u results, %u selected", 6000, 6000);
  g_assert_cmpstr (count_text (fixture), ==, all);

  /* A new search shows its first page, then the next. */
  search (fixture, "aube");
  more = template_child (fixture, "more_button");
  g_assert_cmpuint (n_results (fixture), ==, 500);
  g_assert_cmpstr (count_text (fixture), ==, "The first 500 results: more people match, show more or narrow the search");
  g_assert_true (gtk_widget_get_visible (more));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "search.show-more", NULL));
  wait_idle (fixture);
  g_assert_cmpuint (n_results (fixture), ==, 1000);
  g_assert_true (gtk_widget_get_visible (more));
}

static void
count_busy (SesameSearchPage *page,
            GParamSpec       *pspec,
            guint            *searches)
{
  if (sesame_search_page_get_busy (page))
    (*searches)++;
}

/* Text set by the window (sesame_search_page_set_text()) is searched
 * once: the entry telling of it after its search delay (150 ms) ran the
 * search again as new criteria, and dropped what was selected meanwhile. */
static void
test_set_text_searches_once (Fixture       *fixture,
                             gconstpointer  data)
{
  GtkSelectionModel *selection;
  guint searches = 0;

  open_window (fixture);
  selection = sesame_search_page_get_selection (fixture->page);
  /* A first search warms the store up: the next ends within the delay. */
  sesame_search_page_set_text (fixture->page, "martin");
  sesame_test_spin (600);
  wait_idle (fixture);
  g_signal_connect (fixture->page, "notify::busy", G_CALLBACK (count_busy), &searches);
  sesame_search_page_set_text (fixture->page, "dupont");
  /* At once, before the entry's delay is over. */
  sesame_test_wait_until_for (page_idle, fixture->page, 120);
  g_assert_cmpuint (n_results (fixture), ==, 4);
  gtk_selection_model_select_item (selection, 2, FALSE);
  g_assert_cmpstr (count_text (fixture), ==, "4 results, 1 selected");

  sesame_test_spin (600);
  wait_idle (fixture);
  g_assert_cmpuint (searches, ==, 1);
  g_assert_true (gtk_selection_model_is_selected (selection, 2));
  g_assert_cmpstr (count_text (fixture), ==, "4 results, 1 selected");

  /* Typing still searches, as new criteria. */
  gtk_editable_set_text (GTK_EDITABLE (template_child (fixture, "simple_entry")), "dupon");
  sesame_test_spin (600);
  wait_idle (fixture);
  g_assert_cmpuint (searches, ==, 2);
  g_assert_cmpuint (n_results (fixture), ==, 4);
  g_assert_false (gtk_selection_model_is_selected (selection, 2));
  g_signal_handlers_disconnect_by_func (fixture->page, count_busy, &searches);

  /* The window closes before the entry's delay is over: the text kept to
   * recognise it is freed with the page (LeakSanitizer tells). */
  sesame_search_page_set_text (fixture->page, "durand");
}

/* The check box of each row shows and changes the selection, and the
 * selected rows stand out. */
static void
test_check_boxes (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  GtkSelectionModel *selection;

  open_window (fixture);
  search (fixture, "dupont");
  g_assert_cmpuint (n_results (fixture), ==, 4);
  wait_widgets (template_child (fixture, "column_view"), GTK_TYPE_CHECK_BUTTON, 4);
  selection = sesame_search_page_get_selection (fixture->page);
  collect (template_child (fixture, "column_view"), GTK_TYPE_CHECK_BUTTON, checks);
  g_assert_cmpuint (checks->len, ==, 4);

  gtk_check_button_set_active (g_ptr_array_index (checks, 1), TRUE);
  gtk_check_button_set_active (g_ptr_array_index (checks, 3), TRUE);
  g_assert_true (gtk_selection_model_is_selected (selection, 1));
  g_assert_true (gtk_selection_model_is_selected (selection, 3));
  g_assert_false (gtk_selection_model_is_selected (selection, 0));
  g_assert_cmpstr (count_text (fixture), ==, "4 results, 2 selected");
  g_assert_true (gtk_widget_has_css_class (template_child (fixture, "column_view"), "search-results"));

  /* The same search run again, after a change made elsewhere, keeps the
   * people selected. */
  sesame_search_page_reload (fixture->page);
  wait_idle (fixture);
  g_assert_cmpstr (count_text (fixture), ==, "4 results, 2 selected");
  g_assert_true (gtk_selection_model_is_selected (selection, 1));
  g_assert_true (gtk_selection_model_is_selected (selection, 3));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "search.select-all", NULL));
  sesame_test_spin (50);
  g_ptr_array_set_size (checks, 0);
  collect (template_child (fixture, "column_view"), GTK_TYPE_CHECK_BUTTON, checks);
  g_assert_cmpuint (checks->len, ==, 4);
  for (guint i = 0; i < checks->len; i++)
    g_assert_true (gtk_check_button_get_active (g_ptr_array_index (checks, i)));
  g_assert_cmpstr (count_text (fixture), ==, "4 results, 4 selected");
}

/* The row's actions change a login and regenerate a password without
 * leaving the list. */
static void
test_row_actions (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  SesameLoginDialog *login_dialog;
  AdwMessageDialog *confirm;
  gboolean change_seen = FALSE, reset_seen = FALSE;

  open_window (fixture);
  search (fixture, "zoe");
  wait_widgets (template_child (fixture, "column_view"), GTK_TYPE_CHECK_BUTTON, 1);
  collect (template_child (fixture, "column_view"), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      const char *tooltip = gtk_widget_get_tooltip_text (g_ptr_array_index (buttons, i));

      change_seen |= g_strcmp0 (tooltip, "Change the Login") == 0;
      reset_seen |= g_strcmp0 (tooltip, "Regenerate the Password") == 0;
    }
  g_assert_true (change_seen);
  g_assert_true (reset_seen);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "search.change-login", "s", "P3"));
  login_dialog = sesame_test_wait_for_toplevel (SESAME_TYPE_LOGIN_DIALOG);
  sesame_login_dialog_set_login (login_dialog, "zoe.martin-b");
  sesame_test_respond (login_dialog, "change");
  wait_idle (fixture);
  g_assert_cmpstr (sesame_search_page_get_view (fixture->page), ==, "results");
  g_assert_cmpstr (sesame_person_get_login (result (fixture, 0)), ==, "zoe.martin-b");
  g_assert_nonnull (find_label (GTK_WIDGET (fixture->page), "zoe.martin-b"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "search.reset-password", "s", "P3"));
  confirm = wait_dialog ("Do you want to create a new password for this user?");
  sesame_test_respond (confirm, "confirm");
  sesame_test_wait_for_toplevel (SESAME_TYPE_PASSWORD_DIALOG);
  g_assert_cmpstr (sesame_search_page_get_view (fixture->page), ==, "results");
}

/* Advanced search: the subjects of the directory in a list, the classes
 * and groups in a picker. */
static void
test_advanced (Fixture       *fixture,
               gconstpointer  data)
{
  GtkDropDown *subjects;
  GListModel *model;
  GtkWindow *picker;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  open_window (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "search.mode", "s", "advanced"));
  subjects = GTK_DROP_DOWN (template_child (fixture, "subject_dropdown"));
  model = gtk_drop_down_get_model (subjects);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 0), ==, "Any subject");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 1), ==, "MATHEMATIQUES");
  gtk_drop_down_set_selected (subjects, 1);
  wait_idle (fixture);
  g_assert_cmpuint (n_results (fixture), ==, 1);
  g_assert_cmpstr (sesame_person_get_key (result (fixture, 0)), ==, "S2");
  gtk_drop_down_set_selected (subjects, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "search.browse-groups", NULL));
  picker = sesame_test_wait_for_toplevel (ADW_TYPE_WINDOW);
  g_assert_cmpstr (gtk_window_get_title (picker), ==, "Classes and Groups");
  wait_widgets (GTK_WIDGET (picker), ADW_TYPE_ACTION_ROW, 4);
  collect (GTK_WIDGET (picker), ADW_TYPE_ACTION_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 4);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, "2NDE1");
  g_assert_cmpstr (adw_action_row_get_subtitle (g_ptr_array_index (rows, 0)), ==, "Class, 1 pupil");
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 3)), ==, "LATIN");
  g_assert_cmpstr (adw_action_row_get_subtitle (g_ptr_array_index (rows, 3)), ==, "Group, 1 pupil");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (picker), "picker.choose", "s", "LATIN"));
  /* Éloïse DUPONT and her two parents. */
  wait_results (fixture, 3);
  g_assert_null (sesame_test_find_toplevel (ADW_TYPE_WINDOW));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (template_child (fixture, "class_entry"))), ==, "LATIN");
  /* Éloïse DUPONT and her two parents. */
  g_assert_cmpuint (n_results (fixture), ==, 3);
}

static gboolean
narrowed (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_get_width (GTK_WIDGET (fixture->base.window)) <= 600 &&
         find_label (GTK_WIDGET (fixture->page), "Main Establishment") == NULL;
}

static gboolean
widened (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_get_width (GTK_WIDGET (fixture->base.window)) > 1000 &&
         find_label (GTK_WIDGET (fixture->page), "Main Establishment") != NULL;
}

static void
assert_inside (GtkWidget *widget,
               GtkWidget *window)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (window) + 0.5);
  g_assert_cmpfloat (bounds.size.width, >, 0);
}

/* At 600 px, the establishment gives way: surnames, states and the row's
 * actions stay in sight. */
static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GtkWidget *surname, *state;

  open_window (fixture);
  search (fixture, "martin");
  sesame_test_wait_until (widened, fixture);

  gtk_window_set_default_size (GTK_WINDOW (fixture->base.window), 600, 800);
  sesame_test_wait_until (narrowed, fixture);
  sesame_test_spin (300);

  surname = find_label (GTK_WIDGET (fixture->page), "MARTIN");
  state = find_label (GTK_WIDGET (fixture->page), "Pending");
  g_assert_nonnull (surname);
  g_assert_nonnull (state);
  assert_inside (surname, GTK_WIDGET (fixture->base.window));
  assert_inside (state, GTK_WIDGET (fixture->base.window));
  g_assert_false (gtk_label_get_layout (GTK_LABEL (surname)) != NULL &&
                  pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (surname))));
  collect (template_child (fixture, "column_view"), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (g_ptr_array_index (buttons, i)), "Regenerate the Password") == 0)
      assert_inside (g_ptr_array_index (buttons, i), GTK_WIDGET (fixture->base.window));

  /* Wide again, every column comes back. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->base.window), 1366, 800);
  sesame_test_wait_until (widened, fixture);
}

/* For the Selection…: regenerate the passwords of the people selected,
 * after a confirmation, then offer to print them. */
static void
test_bulk_reset (Fixture       *fixture,
                 gconstpointer  data)
{
  AdwMessageDialog *dialog;
  GtkSelectionModel *selection;

  open_window (fixture);
  search (fixture, "martin");
  g_assert_cmpuint (n_results (fixture), ==, 2);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "search.reset-passwords", NULL) &&
                  sesame_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL);
  selection = sesame_search_page_get_selection (fixture->page);
  gtk_selection_model_select_all (selection);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "search.reset-passwords", NULL));
  dialog = wait_dialog ("Do you want to create new passwords for these 2 users?");
  sesame_test_respond (dialog, "confirm");
  dialog = wait_dialog ("2 Passwords Regenerated");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "print"));
  sesame_test_respond (dialog, "close");
}

/* For the Selection…: a preview of the slips of the people selected. */
static void
test_bulk_print (Fixture       *fixture,
                 gconstpointer  data)
{
  sesame_test_name_ent (fixture->base.store);
  open_window (fixture);
  search (fixture, "martin");
  gtk_selection_model_select_all (sesame_search_page_get_selection (fixture->page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "search.print", "s", "preview"));
  sesame_test_wait_for_toplevel (SESAME_TYPE_PRINT_PREVIEW);
}

/* For the Selection…: the people selected as a CSV file, whose name
 * the save dialog proposes. */
static void
test_bulk_csv (Fixture       *fixture,
               gconstpointer  data)
{
#ifdef SESAME_TEST_ASAN
  g_test_skip ("GTK 4.8's file chooser leaks under AddressSanitizer");
#else
  g_autofree char *name = NULL;
  GtkWidget *chooser;

  open_window (fixture);
  search (fixture, "martin");
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "search.export-csv", NULL) &&
                  sesame_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL);
  gtk_selection_model_select_all (sesame_search_page_get_selection (fixture->page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "search.export-csv", NULL));
  chooser = GTK_WIDGET (sesame_test_wait_for_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (chooser)), ==, "Export the Selection");
  name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpstr (name, ==, "selection.csv");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  sesame_test_spin (100);
#endif
}

/* search.png and search-narrow.png: "martin" on the demo directory. */
static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autofree char *folder = g_build_filename (fixture->base.dir, "aaf", NULL);
  const char *paths[] = { folder, NULL };

  /* Hélène ROCHE administers every establishment, the demo's too. */
  g_assert_true (_sesame_store_exec (fixture->base.store,
                                     "INSERT INTO role_events (id, person_key, role, scope, granted, operator, at)"
                                     " VALUES ('screenshots', 'S1', 'admin', 'all', 1, 'helene.roche', 0)",
                                     &error));
  g_assert_no_error (error);
  g_assert_true (_sesame_store_set_operator_trusted (fixture->base.store, "helene.roche", &error));
  g_assert_no_error (error);
  g_assert_true (sesame_demo_directory_write (folder, 3, 900, 7, NULL, &error));
  g_assert_no_error (error);
  summary = sesame_import_run (fixture->base.store, paths, NULL, SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->persons_created, >, 900);
  open_window (fixture);
  search (fixture, "martin");
  g_assert_cmpuint (n_results (fixture), >, 10);
  sesame_test_spin (1000);
  for (guint i = 2; i < 5; i++)
    gtk_selection_model_select_item (sesame_search_page_get_selection (fixture->page), i, FALSE);
  sesame_test_screenshot (GTK_WINDOW (fixture->base.window), 1366, "search.png");
  sesame_test_screenshot (GTK_WINDOW (fixture->base.window), 600, "search-narrow.png");
}

#define ADD(path, func) \
  sesame_test_add_ui (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  sesame_test_ui_init (&argc, &argv);

  ADD ("/sesame/search-page/open-back", test_open_back);
  ADD ("/sesame/search-page/login-prefix", test_login_prefix);
  ADD ("/sesame/search-page/former-login", test_former_login);
  ADD ("/sesame/search-page/rank-and-reason", test_rank_and_reason);
  ADD ("/sesame/search-page/show-more-select-all", test_show_more_select_all);
  ADD ("/sesame/search-page/check-boxes", test_check_boxes);
  ADD ("/sesame/search-page/set-text-searches-once", test_set_text_searches_once);
  ADD ("/sesame/search-page/row-actions", test_row_actions);
  ADD ("/sesame/search-page/advanced", test_advanced);
  ADD ("/sesame/search-page/narrow", test_narrow);
  ADD ("/sesame/search-page/bulk-reset", test_bulk_reset);
  ADD ("/sesame/search-page/bulk-print", test_bulk_print);
  ADD ("/sesame/search-page/bulk-csv", test_bulk_csv);
  ADD ("/sesame/search-page/screenshots", test_screenshots);

  return g_test_run ();
}

/* test-window-signin.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Who may work in the window: the sign-in page, enrolment with a one-time
 * code, the setup of a new store by its first administrator, the lock (on
 * request and after a time without input) and the change of operator,
 * driven through the window's actions and widgets and checked against what
 * a secretary sees on screen. With SESAME_SCREENSHOT_DIR set, the last
 * test takes the screenshots of the sign-in page, the lock and the
 * enrolment code. Without a display the tests are skipped.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "sesame-application.h"
#include "sesame-enrolment-dialog.h"
#include "sesame-grant-window.h"
#include "sesame-journal-window.h"
#include "sesame-lock-page.h"
#include "sesame-password-dialog.h"
#include "sesame-preferences-window.h"
#include "sesame-print.h"
#include "sesame-roles-page.h"
#include "sesame-search-page.h"
#include "sesame-signin-page.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"
#include "sesame-welcome-page.h"
#include "sesame-window.h"

#define HEAD_PASSPHRASE "le col des Aravis en hiver"
#define LUC_PASSPHRASE  "trois pommes sur la table"

typedef SesameTestDesk Fixture;

/* Everything written on screen: the text of every label and field that is
 * mapped, in every window. */
static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));
  else if (GTK_IS_TEXT (widget))
    g_string_append_printf (text, "%s\n", gtk_editable_get_text (GTK_EDITABLE (widget)));
  else if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;
      g_autofree char *content = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      content = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      g_string_append_printf (text, "%s\n", content);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect_descendants (GtkWidget  *widget,
                     GType       type,
                     GList     **found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    *found = g_list_prepend (*found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_descendants (child, type, found);
}

static char *
dup_screen_text (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  GString *text = g_string_new (NULL);

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (gtk_widget_get_visible (l->data))
      collect_text (l->data, text);
  return g_string_free (text, FALSE);
}

static void
assert_on_screen (const char *needle,
                  gboolean    expected)
{
  g_autofree char *text = dup_screen_text ();

  if ((strstr (text, needle) != NULL) != expected)
    g_error ("“%s” is %s on screen:\n%s", needle, expected ? "not" : "still", text);
}

/* Activating a disabled action does nothing: win.find changes no page and
 * win.journal opens no journal. */
static void
assert_disabled (Fixture    *fixture,
                 const char *action)
{
  g_autofree char *mode = g_strdup (sesame_window_get_mode (fixture->window));
  g_autofree char *page = g_strdup (sesame_window_get_visible_page (fixture->window));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), action, NULL);
  sesame_test_spin (50);
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, mode);
  g_assert_cmpstr (sesame_window_get_visible_page (fixture->window), ==, page);
  g_assert_null (sesame_test_find_toplevel (SESAME_TYPE_JOURNAL_WINDOW));
}

static void
async_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static void
open_window (Fixture *fixture)
{
  static guint n_apps;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%s.SigninTest%u", APPLICATION_ID, ++n_apps);
  GList *windows;

  fixture->app = sesame_application_new (id, G_APPLICATION_NON_UNIQUE);
  sesame_application_set_store (fixture->app, fixture->store);
  if (g_getenv ("SESAME_SCREENSHOT_DIR") != NULL)
    {
      /* The whole screen: there is no window manager to maximize it. */
      GSettings *settings = sesame_application_get_settings (fixture->app);

      g_settings_set_int (settings, "window-width", 1366);
      g_settings_set_int (settings, "window-height", 800);
      /* Nothing caught half-way through a transition. */
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
    }
  g_application_register (G_APPLICATION (fixture->app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (fixture->app));

  windows = gtk_application_get_windows (GTK_APPLICATION (fixture->app));
  g_assert_nonnull (windows);
  fixture->window = windows->data;
}

/* A store whose head of establishment set it up, and in which Luc Bernard
 * enrolled as an identifier manager for his classes; nobody signed in. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameEnrolment) enrolment = NULL;

  sesame_test_desk_set_up (fixture, data);
  if (data != NULL)
    {
      g_assert_true (sesame_operators_set_up (fixture->store, "helene.roche", HEAD_PASSPHRASE, &error));
      g_assert_no_error (error);
      g_assert_true (sesame_enrolment_grant_role (fixture->store, "luc.bernard", SESAME_ROLE_SCOPE_CLASSES,
                                                  &enrolment, &error));
      g_assert_no_error (error);
      g_assert_true (sesame_enrolment_enrol (fixture->store, "luc.bernard", enrolment->code, LUC_PASSPHRASE,
                                             &error));
      g_assert_no_error (error);
      g_assert_true (_sesame_store_set_operator_trusted (fixture->store, NULL, &error));
      g_assert_no_error (error);
    }
  open_window (fixture);
}

static SesameSigninPage *
signin_page (Fixture *fixture)
{
  return SESAME_SIGNIN_PAGE (sesame_window_get_signin_page (fixture->window));
}

static void
sign_in (Fixture    *fixture,
         const char *login,
         const char *passphrase)
{
  SesameSigninPage *page = signin_page (fixture);

  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "signin");
  sesame_signin_page_set_login (page, login);
  sesame_signin_page_set_passphrase (page, passphrase);
  sesame_test_sign_in_activate (page, "signin.sign-in");
  g_assert_cmpstr (sesame_signin_page_get_error (page), ==, "");
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "main");
  g_assert_cmpstr (sesame_store_operator_get_login (fixture->store), ==, login);
}

typedef struct
{
  SesameSearchPage *page;
  guint             n;
} SearchWait;

static gboolean
search_done (gpointer data)
{
  SearchWait *wait = data;
  return !sesame_search_page_get_busy (wait->page) &&
         g_list_model_get_n_items (sesame_search_page_get_results (wait->page)) == wait->n;
}

static SesameSearchPage *
search (Fixture    *fixture,
        const char *text,
        guint       expected)
{
  SearchWait wait;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.find", NULL));
  wait.page = SESAME_SEARCH_PAGE (sesame_window_get_page (fixture->window, "search"));
  wait.n = expected;
  sesame_search_page_set_text (wait.page, text);
  sesame_test_wait_until (search_done, &wait);
  return wait.page;
}

/* Sign-in */

static void
test_sign_in (Fixture       *fixture,
              gconstpointer  data)
{
  SesameSigninPage *page;
  g_autofree char *first = NULL;

  page = signin_page (fixture);
  /* The window opens on the sign-in page, and nothing else works. */
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "signin");
  g_assert_null (sesame_store_operator_get_login (fixture->store));
  assert_disabled (fixture, "win.find");
  assert_disabled (fixture, "win.journal");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lock", NULL);
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "signin");
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  sesame_test_spin (100);
  g_assert_null (sesame_test_find_toplevel (SESAME_TYPE_PREFERENCES_WINDOW));
  assert_on_screen ("Sign In", TRUE);

  /* The login completes among the operators of the store, and only them. */
  {
    GtkWidget *entry = find_descendant (GTK_WIDGET (page), GTK_TYPE_ENTRY);
    GtkEntryCompletion *completion = gtk_entry_get_completion (GTK_ENTRY (entry));
    GtkTreeModel *model = gtk_entry_completion_get_model (completion);
    g_autoptr(GString) logins = g_string_new (NULL);
    GtkTreeIter iter;

    for (gboolean valid = gtk_tree_model_get_iter_first (model, &iter); valid;
         valid = gtk_tree_model_iter_next (model, &iter))
      {
        g_autofree char *login = NULL;

        gtk_tree_model_get (model, &iter, 0, &login, -1);
        g_string_append_printf (logins, "%s ", login);
      }
    g_assert_cmpstr (logins->str, ==, "helene.roche luc.bernard ");
  }

  /* sesame --as only proposes the login. */
  sesame_window_set_login (fixture->window, "helene.roche");
  g_assert_cmpstr (sesame_signin_page_get_login (page), ==, "helene.roche");
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "signin");
  g_assert_null (sesame_store_operator_get_login (fixture->store));

  /* Nothing typed: say what is missing. */
  sesame_test_sign_in_activate (page, "signin.sign-in");
  g_assert_cmpstr (sesame_signin_page_get_error (page), ==, "Type your operator passphrase.");

  /* A wrong passphrase is refused in plain words, and nobody is signed in. */
  sesame_signin_page_set_passphrase (page, "pas la bonne phrase");
  sesame_test_sign_in_activate (page, "signin.sign-in");
  g_assert_nonnull (strstr (sesame_signin_page_get_error (page), "The login or the passphrase is wrong"));
  assert_on_screen ("The login or the passphrase is wrong", TRUE);
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "signin");
  g_assert_null (sesame_store_operator_get_login (fixture->store));

  /* A login that is not an operator's gets the same answer. */
  sesame_signin_page_set_login (page, "marc.faure");
  sesame_signin_page_set_passphrase (page, HEAD_PASSPHRASE);
  sesame_test_sign_in_activate (page, "signin.sign-in");
  g_assert_nonnull (strstr (sesame_signin_page_get_error (page), "The login or the passphrase is wrong"));
  g_assert_null (sesame_store_operator_get_login (fixture->store));

  /* The right one opens the window with the operator's rights. */
  sign_in (fixture, "helene.roche", HEAD_PASSPHRASE);
  g_assert_true (sesame_store_operator_is_admin (fixture->store));
  assert_on_screen ("The login or the passphrase is wrong", FALSE);
  first = g_strdup (sesame_window_get_visible_page (fixture->window));
  g_assert_nonnull (first);

  /* The shortcuts window tells how to lock and change operator. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-help-overlay", NULL));
  sesame_test_wait_for_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  sesame_test_spin (100);
  assert_on_screen ("Lock the window", TRUE);
  assert_on_screen ("Change operator", TRUE);
}

/* No setting of the desk keeps who signed in: the next person to sit
 * down finds nobody's login proposed, let alone signed in. */
static void
test_nothing_remembered (Fixture       *fixture,
                         gconstpointer  data)
{
  GSettings *settings;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  sign_in (fixture, "helene.roche", HEAD_PASSPHRASE);
  gtk_window_close (GTK_WINDOW (fixture->window));
  sesame_test_spin (50);

  settings = sesame_application_get_settings (fixture->app);
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      if (strstr (text, "helene.roche") != NULL)
        g_error ("The setting “%s” keeps who signed in: %s", keys[i], text);
    }
}

typedef struct
{
  GApplication *app;
  char         *mode;
  char         *login;
  char         *operator;
} Started;

static gboolean
inspect_started_cb (gpointer data)
{
  Started *started = data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (started->app));
  SesameWindow *window;

  g_assert_nonnull (windows);
  window = windows->data;
  started->mode = g_strdup (sesame_window_get_mode (window));
  started->login = g_strdup (sesame_signin_page_get_login (SESAME_SIGNIN_PAGE (sesame_window_get_signin_page (window))));
  started->operator = g_strdup (sesame_store_operator_get_login (sesame_window_get_store (window)));
  gtk_window_destroy (GTK_WINDOW (window));
  g_application_quit (started->app);
  return G_SOURCE_REMOVE;
}

/* sesame --as LOGIN proposes the login on the sign-in page and signs
 * nobody in, even with the right passphrase in the environment. */
static void
test_as_login (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(SesameApplication) app = NULL;
  char *argv[] = { (char *) "sesame", (char *) "--as", (char *) "helene.roche", NULL };
  Started started = { 0 };

  app = sesame_application_new (APPLICATION_ID ".SigninTestAs", G_APPLICATION_NON_UNIQUE);
  sesame_application_set_store (app, fixture->store);
  started.app = G_APPLICATION (app);
  g_setenv ("SESAME_PASSPHRASE", HEAD_PASSPHRASE, TRUE);
  g_timeout_add (300, inspect_started_cb, &started);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 3, argv), ==, 0);
  g_unsetenv ("SESAME_PASSPHRASE");

  g_assert_cmpstr (started.mode, ==, "signin");
  g_assert_cmpstr (started.login, ==, "helene.roche");
  g_assert_null (started.operator);
  g_free (started.mode);
  g_free (started.login);
  g_free (started.operator);
}

/* After five wrong passphrases, the page says how long to wait. */
static void
test_sign_in_throttled (Fixture       *fixture,
                        gconstpointer  data)
{
  SesameSigninPage *page;

  page = signin_page (fixture);
  for (guint i = 0; i < 5; i++)
    {
      sesame_signin_page_set_login (page, "helene.roche");
      sesame_signin_page_set_passphrase (page, "pas la bonne phrase");
      sesame_test_sign_in_activate (page, "signin.sign-in");
      g_assert_nonnull (strstr (sesame_signin_page_get_error (page), "passphrase is wrong"));
    }
  /* Even the right passphrase waits now. */
  sesame_signin_page_set_passphrase (page, HEAD_PASSPHRASE);
  sesame_test_sign_in_activate (page, "signin.sign-in");
  g_assert_nonnull (strstr (sesame_signin_page_get_error (page), "Too many wrong attempts for “helene.roche”: wait "));
  g_assert_nonnull (strstr (sesame_signin_page_get_error (page), "seconds before trying again."));
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "signin");
  g_assert_null (sesame_store_operator_get_login (fixture->store));
}

static gboolean
staff_listed (gpointer data)
{
  GListModel *results = sesame_staff_picker_get_results (data);
  return results != NULL && g_list_model_get_n_items (results) > 0;
}

/* Enrolment: the administrator grants the role and sees the code; the new
 * manager enrols with it on the sign-in page. */
static void
test_enrol (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expiry = NULL;
  g_autoptr(GAsyncResult) printed = NULL;
  SesameEnrolmentDialog *dialog;
  SesameGrantWindow *grant;
  SesameRolesPage *roles;
  SesameSigninPage *page;
  const SesameEnrolment *enrolment;
  gsize length;

  sign_in (fixture, "helene.roche", HEAD_PASSPHRASE);
  roles = SESAME_ROLES_PAGE (sesame_window_get_page (fixture->window, "roles"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "roles"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (roles), "roles.grant", NULL));
  grant = sesame_test_wait_for_toplevel (SESAME_TYPE_GRANT_WINDOW);
  sesame_test_wait_until (staff_listed, sesame_grant_window_get_picker (grant));
  g_assert_true (sesame_staff_picker_select (sesame_grant_window_get_picker (grant), "sophie.garnier"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (grant), "grant.grant", NULL));

  /* The code, its expiry in 7 days, and how to use it. */
  dialog = sesame_test_wait_for_toplevel (SESAME_TYPE_ENROLMENT_DIALOG);
  g_assert_cmpuint (sesame_enrolment_dialog_get_enrolments (dialog)->len, ==, 1);
  enrolment = g_ptr_array_index (sesame_enrolment_dialog_get_enrolments (dialog), 0);
  g_assert_cmpstr (enrolment->login, ==, "sophie.garnier");
  g_assert_cmpint (enrolment->expires_at - sesame_store_now (fixture->store), >=, 7 * 24 * 3600 - 60);
  g_assert_cmpint (enrolment->expires_at - sesame_store_now (fixture->store), <=, 7 * 24 * 3600);
  code = g_strdup (enrolment->code);
  expiry = sesame_enrolment_format_expiry (enrolment->expires_at);
  assert_on_screen (code, TRUE);
  assert_on_screen (expiry, TRUE);
  assert_on_screen ("Sésame will not show this code again.", TRUE);
  text = sesame_enrolment_dialog_dup_text (dialog);
  g_assert_nonnull (strstr (text, code));
  g_assert_nonnull (strstr (text, "(sophie.garnier)"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "enrolment.copy", NULL));

  /* The slip, as a PDF. */
  pdf = g_build_filename (fixture->dir, "slip.pdf", NULL);
  sesame_print_enrolments_async (GTK_WINDOW (dialog), NULL, sesame_enrolment_dialog_get_enrolments (dialog), pdf,
                                 NULL, async_result_cb, &printed);
  while (printed == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sesame_print_enrolments_finish (printed, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF"));
  g_assert_cmpuint (length, >, 1000);
  /* Read back: the person, the code and until when it works. */
  {
    const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };
    g_autofree char *out = NULL;
    g_autofree char *flat = NULL;
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 &out, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    flat = g_strdelimit (g_strdup (out), "\n", ' ');
    g_assert_nonnull (strstr (flat, "Sophie"));
    g_assert_nonnull (strstr (flat, "sophie.garnier"));
    g_assert_nonnull (strstr (flat, code));
    g_assert_nonnull (strstr (flat, "Valid once, until"));
  }

  /* Another operator: the dialog and its code go with the previous one. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.switch-operator", NULL));
  sesame_test_spin (50);
  g_assert_null (sesame_test_find_toplevel (SESAME_TYPE_ENROLMENT_DIALOG));
  assert_on_screen (code, FALSE);

  page = signin_page (fixture);
  sesame_signin_page_set_login (page, "sophie.garnier");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "signin.show-enrolment", NULL));
  g_assert_cmpstr (sesame_signin_page_get_step (page), ==, "enrol");
  /* The policy is on screen before anything is typed. */
  assert_on_screen ("at least 10 characters, without your login", TRUE);

  /* Escape leaves the enrolment for the sign-in, as its Back button does,
   * and forgets what was typed; on the sign-in, Escape does nothing. */
  sesame_signin_page_set_enrolment (page, "sophie.garnier", code, "typed by mistake", "typed by mistake");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "signin.escape", NULL));
  g_assert_cmpstr (sesame_signin_page_get_step (page), ==, "sign-in");
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "signin");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "signin.escape", NULL));
  g_assert_cmpstr (sesame_signin_page_get_step (page), ==, "sign-in");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "signin.show-enrolment", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "signin.show-sign-in", NULL));
  g_assert_cmpstr (sesame_signin_page_get_step (page), ==, "sign-in");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "signin.show-enrolment", NULL));
  g_assert_cmpstr (sesame_signin_page_get_step (page), ==, "enrol");

  sesame_signin_page_set_enrolment (page, "sophie.garnier", code, "court", "court");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "signin.enrol", NULL));
  g_assert_nonnull (strstr (sesame_signin_page_get_error (page), "The passphrase has 5 characters"));

  sesame_signin_page_set_enrolment (page, "sophie.garnier", code, "des framboises au jardin", "des fraises au jardin");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "signin.enrol", NULL));
  g_assert_cmpstr (sesame_signin_page_get_error (page), ==, "The two passphrases differ: type the same one twice.");

  sesame_signin_page_set_enrolment (page, "sophie.garnier", "AAAA-BBBB-CCCC", "des framboises au jardin",
                                    "des framboises au jardin");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "signin.enrol", NULL));
  g_assert_nonnull (strstr (sesame_signin_page_get_error (page), "This enrolment code is not the one given"));
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "signin");

  /* Typed in lower case with spaces, the code still works. */
  {
    g_autofree char *typed = g_ascii_strdown (code, -1);

    g_strdelimit (typed, "-", ' ');
    sesame_signin_page_set_enrolment (page, "sophie.garnier", typed, "des framboises au jardin",
                                      "des framboises au jardin");
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "signin.enrol", NULL));
  g_assert_cmpstr (sesame_signin_page_get_error (page), ==, "");
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "main");
  g_assert_cmpstr (sesame_store_operator_get_login (fixture->store), ==, "sophie.garnier");

  /* Later, she signs in with her passphrase. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.switch-operator", NULL));
  sign_in (fixture, "sophie.garnier", "des framboises au jardin");
}

static gboolean
grants_read (gpointer data)
{
  return !sesame_roles_page_get_busy (data) && g_list_model_get_n_items (sesame_roles_page_get_grants (data)) > 0;
}

/* The Rôles page makes a new code for whoever has not enrolled. */
static void
test_new_code (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SesameEnrolmentDialog *dialog;
  SesameRolesPage *roles;
  const SesameEnrolment *enrolment;

  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, "helene.roche", &error));
  g_assert_true (sesame_roles_grant (fixture->store, "sophie.garnier", SESAME_ROLE_SCOPE_ESTABLISHMENT, &error));
  g_assert_no_error (error);
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, NULL, &error));
  sign_in (fixture, "helene.roche", HEAD_PASSPHRASE);

  roles = SESAME_ROLES_PAGE (sesame_window_get_page (fixture->window, "roles"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "roles"));
  sesame_roles_page_reload (roles);
  sesame_test_wait_until (grants_read, roles);
  sesame_test_spin (200);
  assert_on_screen ("New Enrolment Code", TRUE);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (roles), "roles.invite", "s", "sophie.garnier"));
  dialog = sesame_test_wait_for_toplevel (SESAME_TYPE_ENROLMENT_DIALOG);
  enrolment = g_ptr_array_index (sesame_enrolment_dialog_get_enrolments (dialog), 0);
  g_assert_cmpstr (enrolment->login, ==, "sophie.garnier");
  assert_on_screen (enrolment->code, TRUE);
}

/* A new store: whoever sets it up becomes its first administrator. */
static void
test_first_admin (Fixture       *fixture,
                  gconstpointer  data)
{
  SesameWelcomePage *welcome;
  SesameStaffPicker *picker;
  AdwMessageDialog *refusal;

  g_assert_false (sesame_operators_exist (fixture->store));
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "welcome");
  assert_on_screen ("Set Up Sésame", TRUE);
  assert_on_screen ("at least 10 characters, without your login", TRUE);
  assert_disabled (fixture, "win.find");

  welcome = SESAME_WELCOME_PAGE (sesame_window_get_welcome_page (fixture->window));
  picker = sesame_welcome_page_get_picker (welcome);
  sesame_test_wait_until (staff_listed, picker);
  g_assert_true (sesame_staff_picker_select (picker, "helene.roche"));

  /* A short passphrase is refused, and says why. */
  sesame_welcome_page_set_passphrase (welcome, "court");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.choose-operator", NULL));
  refusal = sesame_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (refusal), "The passphrase has 5 characters"));
  adw_message_dialog_response (refusal, "close");
  gtk_window_close (GTK_WINDOW (refusal));
  g_assert_false (sesame_operators_exist (fixture->store));
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "welcome");

  sesame_welcome_page_set_passphrase (welcome, HEAD_PASSPHRASE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.choose-operator", NULL));
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "main");
  g_assert_cmpstr (sesame_store_operator_get_login (fixture->store), ==, "helene.roche");
  g_assert_true (sesame_store_operator_is_admin (fixture->store));
  g_assert_true (sesame_operators_exist (fixture->store));

  /* From then on she signs in like everyone. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.switch-operator", NULL));
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "signin");
  sign_in (fixture, "helene.roche", HEAD_PASSPHRASE);
}

/* Lock */

static void
test_lock (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *password = NULL;
  SesameSearchPage *page;
  SesameLockPage *lock;
  SesamePasswordDialog *shown;
  AdwMessageDialog *confirm;

  sign_in (fixture, "helene.roche", HEAD_PASSPHRASE);

  /* At work: a person shown, and her new password in a dialog. */
  page = search (fixture, "zoe martin", 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "search.open", "s", "P3"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (sesame_search_page_get_person_view (page)),
                                             "person.reset-password", NULL));
  confirm = sesame_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (confirm, "confirm");
  gtk_window_close (GTK_WINDOW (confirm));
  shown = sesame_test_wait_for_toplevel (SESAME_TYPE_PASSWORD_DIALOG);
  password = g_strdup (sesame_password_dialog_get_password (shown));
  sesame_window_add_toast (fixture->window, adw_toast_new ("Courrier de Zoé MARTIN imprimé"));
  sesame_test_spin (100);
  assert_on_screen ("Zoé", TRUE);
  assert_on_screen (password, TRUE);
  assert_on_screen ("Courrier de Zoé MARTIN imprimé", TRUE);

  /* Locked: only the operator's name and a passphrase field. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lock", NULL));
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "locked");
  sesame_test_spin (100);
  lock = SESAME_LOCK_PAGE (sesame_window_get_lock_page (fixture->window));
  g_assert_cmpstr (sesame_lock_page_get_name (lock), ==, "Hélène Roche");
  assert_on_screen ("Hélène Roche", TRUE);
  assert_on_screen ("Zoé", FALSE);
  assert_on_screen ("zoe.martin", FALSE);
  assert_on_screen ("MARTIN", FALSE);
  assert_on_screen (password, FALSE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (shown)));
  /* A toast finishing meanwhile shows nothing either. */
  sesame_window_add_toast (fixture->window, adw_toast_new ("Courrier de Zoé MARTIN imprimé"));
  sesame_test_spin (100);
  assert_on_screen ("MARTIN", FALSE);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (page)));
  assert_disabled (fixture, "win.find");
  assert_disabled (fixture, "win.journal");
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  sesame_test_spin (100);
  g_assert_null (sesame_test_find_toplevel (SESAME_TYPE_PREFERENCES_WINDOW));

  /* A wrong passphrase keeps it locked. */
  sesame_lock_page_set_passphrase (lock, "pas la bonne phrase");
  sesame_test_sign_in_activate (lock, "lock.unlock");
  g_assert_nonnull (strstr (sesame_lock_page_get_error (lock), "passphrase is wrong"));
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "locked");
  assert_on_screen (password, FALSE);

  /* The right one gives her work back as she left it. */
  sesame_lock_page_set_passphrase (lock, HEAD_PASSPHRASE);
  sesame_test_sign_in_activate (lock, "lock.unlock");
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "main");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (shown)));
  sesame_test_spin (100);
  assert_on_screen (password, TRUE);
  assert_on_screen ("Zoé", TRUE);
}

static gboolean
window_locked (gpointer data)
{
  return g_strcmp0 (sesame_window_get_mode (data), "locked") == 0;
}

/* Without input, the window locks itself. */
static void
test_idle_lock (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 start;

  /* The delay is a setting of the store, 10 minutes unless changed. */
  g_assert_cmpint (sesame_store_settings_get_int (fixture->store, SESAME_SETTING_LOCK_MINUTES,
                                                  SESAME_DEFAULT_LOCK_MINUTES), ==, 10);
  sign_in (fixture, "helene.roche", HEAD_PASSPHRASE);
  g_assert_true (sesame_store_settings_set (fixture->store, SESAME_SETTING_LOCK_MINUTES, "0", &error) == FALSE);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);
  /* Administrators change it in the preferences, for every desk. */
  {
    SesamePreferencesWindow *preferences;
    GtkSpinButton *spin = NULL;
    g_autoptr(GList) spins = NULL;

    g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
    preferences = sesame_test_wait_for_toplevel (SESAME_TYPE_PREFERENCES_WINDOW);
    assert_on_screen ("Lock After (minutes without input)", TRUE);
    collect_descendants (GTK_WIDGET (preferences), GTK_TYPE_SPIN_BUTTON, &spins);
    for (GList *l = spins; l != NULL; l = l->next)
      if (gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (l->data)) == 240)
        spin = l->data;
    g_assert_nonnull (spin);
    g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 10);
    gtk_spin_button_set_value (spin, 5);
    sesame_preferences_window_apply (preferences);
    gtk_window_destroy (GTK_WINDOW (preferences));
  }
  g_assert_cmpint (sesame_store_settings_get_int (fixture->store, SESAME_SETTING_LOCK_MINUTES, 10), ==, 5);

  search (fixture, "zoe martin", 1);
  sesame_test_spin (100);
  assert_on_screen ("Zoé", TRUE);

  /* Here a short delay stands for the minutes. */
  start = g_get_monotonic_time ();
  sesame_window_set_lock_delay (fixture->window, 2);
  sesame_test_wait_until_for (window_locked, fixture->window, 10);
  /* Not before the delay, whatever the load of the machine. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * G_USEC_PER_SEC);
  sesame_test_spin (100);
  assert_on_screen ("Zoé", FALSE);
  assert_on_screen ("Hélène Roche", TRUE);
}

/* Another person sits down: the sign-in page, empty, and nothing of the
 * previous operator's work afterwards. */
static void
test_change_operator (Fixture       *fixture,
                      gconstpointer  data)
{
  SesameSearchPage *page;
  SesameSigninPage *signin;

  sign_in (fixture, "helene.roche", HEAD_PASSPHRASE);
  page = search (fixture, "zoe martin", 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.journal", NULL));
  sesame_test_wait_for_toplevel (SESAME_TYPE_JOURNAL_WINDOW);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.switch-operator", NULL));
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "signin");
  sesame_test_spin (100);
  g_assert_null (sesame_test_find_toplevel (SESAME_TYPE_JOURNAL_WINDOW));
  assert_on_screen ("Zoé", FALSE);
  signin = signin_page (fixture);
  g_assert_cmpstr (sesame_signin_page_get_login (signin), ==, "");
  assert_disabled (fixture, "win.find");

  /* From the lock too. */
  sign_in (fixture, "luc.bernard", LUC_PASSPHRASE);
  g_assert_false (sesame_store_operator_is_admin (fixture->store));
  g_assert_cmpuint (g_list_model_get_n_items (sesame_search_page_get_results (page)), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lock", NULL));
  assert_on_screen ("Luc Bernard", TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.switch-operator", NULL));
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "signin");
  sign_in (fixture, "helene.roche", HEAD_PASSPHRASE);
  g_assert_true (sesame_store_operator_is_admin (fixture->store));
}

/* The screenshots of data/screenshots/, in the language of the session:
 * with SESAME_SCREENSHOT_DIR set, under a display of 1366×800. */
static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) enrolments = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_enrolment_free);
  SesameSigninPage *page;
  SesameSearchPage *search_page;
  SesameEnrolment *enrolment = NULL;

  if (sesame_test_skip_without_screenshots ())
    return;

  /* The sign-in page, after a wrong passphrase. */
  page = signin_page (fixture);
  sesame_signin_page_set_login (page, "helene.roche");
  sesame_signin_page_set_passphrase (page, "pas la bonne phrase");
  sesame_test_sign_in_activate (page, "signin.sign-in");
  sesame_test_screenshot (GTK_WINDOW (fixture->window), 1366, "signin.png");

  /* The code of a new identifier manager, over the Rôles page. */
  sesame_signin_page_set_passphrase (page, HEAD_PASSPHRASE);
  sesame_test_sign_in_activate (page, "signin.sign-in");
  g_assert_cmpstr (sesame_window_get_mode (fixture->window), ==, "main");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "roles"));
  g_assert_true (sesame_enrolment_grant_role (fixture->store, "sophie.garnier",
                                              SESAME_ROLE_SCOPE_ESTABLISHMENT, &enrolment, &error));
  g_assert_no_error (error);
  g_ptr_array_add (enrolments, enrolment);
  sesame_window_reload (fixture->window);
  sesame_enrolment_dialog_show (GTK_WIDGET (fixture->window), NULL, enrolments);
  sesame_test_wait_for_toplevel (SESAME_TYPE_ENROLMENT_DIALOG);
  sesame_test_screenshot (NULL, 0, "enrolment-code.png");
  gtk_window_destroy (sesame_test_find_toplevel (SESAME_TYPE_ENROLMENT_DIALOG));

  /* Locked while a person was shown. */
  search_page = search (fixture, "zoe martin", 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (search_page), "search.open", "s", "P3"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lock", NULL));
  sesame_test_screenshot (GTK_WINDOW (fixture->window), 1366, "lock.png");
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_ui_init (&argc, &argv);

#define ADD(path, set_up, func) \
  sesame_test_add_ui (path, Fixture, set_up, fixture_set_up, func, sesame_test_desk_tear_down)

  ADD ("/sesame/window-signin/sign-in", "", test_sign_in);
  ADD ("/sesame/window-signin/throttled", "", test_sign_in_throttled);
  ADD ("/sesame/window-signin/nothing-remembered", "", test_nothing_remembered);
  ADD ("/sesame/window-signin/as-login", "", test_as_login);
  ADD ("/sesame/window-signin/enrol", "", test_enrol);
  ADD ("/sesame/window-signin/new-code", "", test_new_code);
  ADD ("/sesame/window-signin/first-admin", NULL, test_first_admin);
  ADD ("/sesame/window-signin/lock", "", test_lock);
  ADD ("/sesame/window-signin/idle-lock", "", test_idle_lock);
  ADD ("/sesame/window-signin/change-operator", "", test_change_operator);
  ADD ("/sesame/window-signin/screenshots", "", test_screenshots);

  return g_test_run ();
}

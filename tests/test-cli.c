/* test-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The command-line contract of DESIGN.md: commands, JSON, exit codes.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "sesame.h"
#include "sesame-test-ctl.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

typedef SesameTestFixture Fixture;

typedef SesameTestRun Run;

/* Gives an operator of the fixture's store the test passphrase. */
static void
enrol_operator (Fixture    *fixture,
                const char *login)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) store = sesame_store_open (fixture->store_path, &error);

  g_assert_no_error (error);
  sesame_test_enrol_operator (store, login);
}

static void
test_search_json (Fixture       *fixture,
                  gconstpointer  data)
{
  Run run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;
  JsonObject *first;

  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "search", "dupont", "jean", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = sesame_test_parse_json (run.out);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  first = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "login"), ==, "jean.dupont");
  g_assert_cmpstr (json_object_get_string_member (first, "last_name"), ==, "Dupont");
  g_assert_cmpstr (json_object_get_string_member (first, "first_name"), ==, "Jean");
  g_assert_cmpstr (json_object_get_string_member (first, "profile"), ==, "eleve");
  g_assert_cmpstr (json_object_get_string_member (first, "state"), ==, "pending");
  g_assert_cmpstr (json_object_get_string_member (first, "establishment"), ==, "0740017S");
  g_assert_cmpstr (json_object_get_string_member (first, "key"), ==, "P2");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (first, "classes"), 0), ==, "6A");
  sesame_test_run_clear (&run);

  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "search", "--profile", "nobody", NULL);
  g_assert_cmpint (run.status, ==, 2);
  sesame_test_run_clear (&run);
}

static void
test_account_lifecycle (Fixture       *fixture,
                        gconstpointer  data)
{
  Run run = { 0 };
  g_autofree char *password = NULL;
  g_autofree char *input = NULL;
  g_autoptr(JsonNode) root = NULL;

  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "account", "reset-password", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 0);
  password = g_strdup (g_strstrip (run.out));
  g_assert_cmpuint (strlen (password), ==, 8);
  sesame_test_run_clear (&run);

  sesame_test_ctl_run_on (fixture->store_path, NULL, "wrong\n", &run, "account", "authenticate", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);

  input = g_strdup_printf ("%s\n", password);
  sesame_test_ctl_run_on (fixture->store_path, NULL, input, &run, "account", "authenticate", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);

  g_free (input);
  input = g_strdup_printf ("%s\nzoe\n", password);
  sesame_test_ctl_run_on (fixture->store_path, NULL, input, &run, "account", "change-password", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);

  g_free (input);
  input = g_strdup_printf ("%s\nmont-blanc-4808\n", password);
  sesame_test_ctl_run_on (fixture->store_path, NULL, input, &run, "account", "change-password", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);

  sesame_test_ctl_run_on (fixture->store_path, NULL, "mont-blanc-4808\n", &run, "account", "authenticate", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);

  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "account", "set-login", "zoe.martin", "zoe.martin-74", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
  sesame_test_ctl_run_on (fixture->store_path, NULL, "mont-blanc-4808\n", &run, "account", "authenticate", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);

  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "account", "show", "zoe.martin-74", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = sesame_test_parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "state"), ==, "active");
  sesame_test_run_clear (&run);

  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "account", "show", "no.body", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);

  /* The audit trail names the action, never the password. */
  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "audit", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "reset-password"));
  g_assert_nonnull (strstr (run.out, "set-login"));
  g_assert_null (strstr (run.out, password));
  g_assert_null (strstr (run.out, "mont-blanc-4808"));
  sesame_test_run_clear (&run);
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  Run run = { 0 };

  /* The secretary holds no role: she cannot sign in, whatever she asks. */
  sesame_test_ctl_run_on (fixture->store_path, "marc.faure", NULL, &run, "account", "reset-password", "eloise.dupont", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "passphrase is wrong"));
  g_assert_cmpstr (run.out, ==, "");
  sesame_test_run_clear (&run);
  sesame_test_ctl_run_on (fixture->store_path, "marc.faure", NULL, &run, "account", "show", "eloise.dupont", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);
  sesame_test_ctl_run_on (fixture->store_path, "marc.faure", NULL, &run, "account", "set-login", "eloise.dupont", "eloise.d", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);
  sesame_test_ctl_run_on (fixture->store_path, "marc.faure", NULL, &run, "search", "dupont", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);
  sesame_test_ctl_run_on (fixture->store_path, "marc.faure", NULL, &run, "files", "list", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);
  sesame_test_ctl_run_on (fixture->store_path, "marc.faure", NULL, &run, "files", "generate", "--establishment", "0740017S", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);
  sesame_test_ctl_run_on (fixture->store_path, "marc.faure", NULL, &run, "roles", "grant", "marc.faure", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);
  sesame_test_ctl_run_on (fixture->store_path, "marc.faure", NULL, &run, "audit", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);
  /* Even their own history: they are no operator. */
  sesame_test_ctl_run_on (fixture->store_path, "marc.faure", NULL, &run, "audit", "--mine", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);

  /* Academy staff are never regenerated, whoever asks. */
  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "account", "reset-password", "luc.bernard", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);

  /* An unknown operator. */
  sesame_test_ctl_run_on (fixture->store_path, "nobody.here", NULL, &run, "files", "list", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);

  /* Bad usage. */
  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "files", "generate", NULL);
  g_assert_cmpint (run.status, ==, 2);
  sesame_test_run_clear (&run);
  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "frobnicate", NULL);
  g_assert_cmpint (run.status, ==, 2);
  sesame_test_run_clear (&run);
  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "files", "generate", "--establishment", "0740017S", "--since", "yesterday", NULL);
  g_assert_cmpint (run.status, ==, 2);
  sesame_test_run_clear (&run);
}

static void
test_roles_and_files (Fixture       *fixture,
                      gconstpointer  data)
{
  Run run = { 0 };
  g_autoptr(JsonNode) roles = NULL;
  g_autoptr(JsonNode) files = NULL;
  g_autofree char *csv = g_build_filename (fixture->dir, "out.csv", NULL);
  g_autofree char *xlsx = g_build_filename (fixture->dir, "out.xlsx", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *id = NULL;
  g_autofree char *input = NULL;
  g_autofree char *day = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = NULL;
  gint64 size;
  gsize length;
  JsonObject *grant = NULL;
  JsonArray *array;

  enrol_operator (fixture, "helene.roche");
  sesame_test_ctl_run_on (fixture->store_path, "helene.roche", NULL, &run, "roles", "grant", "sophie.garnier", "--scope", "classes", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "roles", "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  roles = sesame_test_parse_json (run.out);
  array = json_node_get_array (roles);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (array, i), "login"), "sophie.garnier"))
      grant = json_array_get_object_element (array, i);
  g_assert_nonnull (grant);
  g_assert_cmpstr (json_object_get_string_member (grant, "role"), ==, "manager");
  g_assert_cmpstr (json_object_get_string_member (grant, "scope"), ==, "classes");
  g_assert_cmpstr (json_object_get_string_member (grant, "granted_by"), ==, "helene.roche");
  g_assert_nonnull (json_object_get_string_member (grant, "granted_at"));
  sesame_test_run_clear (&run);

  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "files", "generate", "--establishment", "0740017S", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "files", "list", "--json", NULL);
  files = sesame_test_parse_json (run.out);
  array = json_node_get_array (files);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  id = g_strdup (json_object_get_string_member (json_array_get_object_element (array, 0), "id"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "name"), ==, "ENT-Identifiants-0740017S.csv");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 0), "accounts"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 0), "size"), >, 100);
  g_assert_nonnull (json_object_get_string_member (json_array_get_object_element (array, 0), "generated_at"));
  sesame_test_run_clear (&run);

  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "contents"), ==, "All accounts");
  g_clear_pointer (&files, json_node_unref);

  /* Zoé chooses her password: her row now says so, and the size listed
   * is still the size an export writes. */
  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "account", "reset-password", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 0);
  input = g_strdup_printf ("%s\nmont-blanc-4808\n", g_strstrip (run.out));
  sesame_test_run_clear (&run);
  sesame_test_ctl_run_on (fixture->store_path, NULL, input, &run, "account", "change-password", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "files", "list", "--json", NULL);
  files = sesame_test_parse_json (run.out);
  size = json_object_get_int_member (json_array_get_object_element (json_node_get_array (files), 0), "size");
  sesame_test_run_clear (&run);

  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "files", "export", id, "--output", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
  g_assert_true (g_file_get_contents (csv, &contents, &length, NULL));
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBFrne;uid;classe;profil;"));
  g_assert_cmpint (size, ==, length);

  /* A spreadsheet, chosen by the extension; several files make several
   * sheets, but a CSV holds one. */
  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "files", "export", id, "--output", xlsx, NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (xlsx, &contents, &length, NULL));
  g_assert_cmpmem (contents, 2, "PK", 2);
  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "files", "export", id, id, "--output", csv, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, ".xlsx"));
  sesame_test_run_clear (&run);

  /* No account was created tomorrow. */
  tomorrow = g_date_time_add_days (now, 1);
  day = g_date_time_format (tomorrow, "%Y-%m-%d");
  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "files", "generate", "--establishment", "0740017S", "--since", day, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "future"));
  sesame_test_run_clear (&run);

  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "files", "delete", id, NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "files", "delete", id, NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);
}

static void
test_help (Fixture       *fixture,
           gconstpointer  data)
{
  static const char *commands[] = { "files", "search", "account", "roles", "audit" };
  Run run = { 0 };

  sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_assert_nonnull (strstr (run.out, commands[i]));
  sesame_test_run_clear (&run);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      sesame_test_ctl_run_on (fixture->store_path, NULL, NULL, &run, commands[i], "--help", NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpstr (run.out, !=, "");
      sesame_test_run_clear (&run);
    }
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, sesame_test_fixture_set_up_closed, func, sesame_test_fixture_tear_down)
  ADD ("/sesame/cli/search-json", test_search_json);
  ADD ("/sesame/cli/account-lifecycle", test_account_lifecycle);
  ADD ("/sesame/cli/refusals", test_refusals);
  ADD ("/sesame/cli/roles-and-files", test_roles_and_files);
  ADD ("/sesame/cli/help", test_help);
#undef ADD

  return g_test_run ();
}

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

typedef struct
{
  char *dir;
  char *store_path;
} Fixture;

typedef SesameTestRun Run;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  SesameStore *store;

  fixture->dir = sesame_test_make_tmpdir ();
  store = sesame_test_fixture_store (fixture->dir);
  fixture->store_path = g_strdup (sesame_store_get_path (store));
  g_object_unref (store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  sesame_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->store_path);
}

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

/* Runs sesamectl --store STORE [--as OPERATOR] ARGS… with STDIN. */
static void
run_ctl (Fixture    *fixture,
         Run        *run,
         const char *operator,
         const char *input,
         ...)
{
  SesameTestCtl ctl = { .store = fixture->store_path, .operator = operator, .input = input };
  va_list args;

  va_start (args, input);
  sesame_test_ctl_run_va (&ctl, run, args);
  va_end (args);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_search_json (Fixture       *fixture,
                  gconstpointer  data)
{
  Run run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;
  JsonObject *first;

  run_ctl (fixture, &run, NULL, NULL, "search", "dupont", "jean", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
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

  run_ctl (fixture, &run, NULL, NULL, "search", "--profile", "nobody", NULL);
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

  run_ctl (fixture, &run, NULL, NULL, "account", "reset-password", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 0);
  password = g_strdup (g_strstrip (run.out));
  g_assert_cmpuint (strlen (password), ==, 8);
  sesame_test_run_clear (&run);

  run_ctl (fixture, &run, NULL, "wrong\n", "account", "authenticate", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);

  input = g_strdup_printf ("%s\n", password);
  run_ctl (fixture, &run, NULL, input, "account", "authenticate", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);

  g_free (input);
  input = g_strdup_printf ("%s\nzoe\n", password);
  run_ctl (fixture, &run, NULL, input, "account", "change-password", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);

  g_free (input);
  input = g_strdup_printf ("%s\nmont-blanc-4808\n", password);
  run_ctl (fixture, &run, NULL, input, "account", "change-password", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);

  run_ctl (fixture, &run, NULL, "mont-blanc-4808\n", "account", "authenticate", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);

  run_ctl (fixture, &run, NULL, NULL, "account", "set-login", "zoe.martin", "zoe.martin-74", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, "mont-blanc-4808\n", "account", "authenticate", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);

  run_ctl (fixture, &run, NULL, NULL, "account", "show", "zoe.martin-74", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "state"), ==, "active");
  sesame_test_run_clear (&run);

  run_ctl (fixture, &run, NULL, NULL, "account", "show", "no.body", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);

  /* The audit trail names the action, never the password. */
  run_ctl (fixture, &run, NULL, NULL, "audit", "--json", NULL);
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
  run_ctl (fixture, &run, "marc.faure", NULL, "account", "reset-password", "eloise.dupont", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "passphrase is wrong"));
  g_assert_cmpstr (run.out, ==, "");
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, "marc.faure", NULL, "account", "show", "eloise.dupont", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, "marc.faure", NULL, "account", "set-login", "eloise.dupont", "eloise.d", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, "marc.faure", NULL, "search", "dupont", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, "marc.faure", NULL, "files", "list", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, "marc.faure", NULL, "files", "generate", "--establishment", "0740017S", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, "marc.faure", NULL, "roles", "grant", "marc.faure", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, "marc.faure", NULL, "audit", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);
  /* Even their own history: they are no operator. */
  run_ctl (fixture, &run, "marc.faure", NULL, "audit", "--mine", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);

  /* Academy staff are never regenerated, whoever asks. */
  run_ctl (fixture, &run, NULL, NULL, "account", "reset-password", "luc.bernard", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);

  /* An unknown operator. */
  run_ctl (fixture, &run, "nobody.here", NULL, "files", "list", NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);

  /* Bad usage. */
  run_ctl (fixture, &run, NULL, NULL, "files", "generate", NULL);
  g_assert_cmpint (run.status, ==, 2);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, "frobnicate", NULL);
  g_assert_cmpint (run.status, ==, 2);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, "files", "generate", "--establishment", "0740017S", "--since", "yesterday", NULL);
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
  run_ctl (fixture, &run, "helene.roche", NULL, "roles", "grant", "sophie.garnier", "--scope", "classes", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, "roles", "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  roles = parse_json (run.out);
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

  run_ctl (fixture, &run, NULL, NULL, "files", "generate", "--establishment", "0740017S", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, "files", "list", "--json", NULL);
  files = parse_json (run.out);
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
  run_ctl (fixture, &run, NULL, NULL, "account", "reset-password", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 0);
  input = g_strdup_printf ("%s\nmont-blanc-4808\n", g_strstrip (run.out));
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, input, "account", "change-password", "zoe.martin", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, "files", "list", "--json", NULL);
  files = parse_json (run.out);
  size = json_object_get_int_member (json_array_get_object_element (json_node_get_array (files), 0), "size");
  sesame_test_run_clear (&run);

  run_ctl (fixture, &run, NULL, NULL, "files", "export", id, "--output", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
  g_assert_true (g_file_get_contents (csv, &contents, &length, NULL));
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBFrne;uid;classe;profil;"));
  g_assert_cmpint (size, ==, length);

  /* A spreadsheet, chosen by the extension; several files make several
   * sheets, but a CSV holds one. */
  run_ctl (fixture, &run, NULL, NULL, "files", "export", id, "--output", xlsx, NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (xlsx, &contents, &length, NULL));
  g_assert_cmpmem (contents, 2, "PK", 2);
  run_ctl (fixture, &run, NULL, NULL, "files", "export", id, id, "--output", csv, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, ".xlsx"));
  sesame_test_run_clear (&run);

  /* No account was created tomorrow. */
  tomorrow = g_date_time_add_days (now, 1);
  day = g_date_time_format (tomorrow, "%Y-%m-%d");
  run_ctl (fixture, &run, NULL, NULL, "files", "generate", "--establishment", "0740017S", "--since", day, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "future"));
  sesame_test_run_clear (&run);

  run_ctl (fixture, &run, NULL, NULL, "files", "delete", id, NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, NULL, "files", "delete", id, NULL);
  g_assert_cmpint (run.status, ==, 1);
  sesame_test_run_clear (&run);
}

static void
test_help (Fixture       *fixture,
           gconstpointer  data)
{
  static const char *commands[] = { "files", "search", "account", "roles", "audit" };
  Run run = { 0 };

  run_ctl (fixture, &run, NULL, NULL, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_assert_nonnull (strstr (run.out, commands[i]));
  sesame_test_run_clear (&run);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      run_ctl (fixture, &run, NULL, NULL, commands[i], "--help", NULL);
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

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sesame/cli/search-json", test_search_json);
  ADD ("/sesame/cli/account-lifecycle", test_account_lifecycle);
  ADD ("/sesame/cli/refusals", test_refusals);
  ADD ("/sesame/cli/roles-and-files", test_roles_and_files);
  ADD ("/sesame/cli/help", test_help);
#undef ADD

  return g_test_run ();
}

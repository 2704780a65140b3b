/* test-cli-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `sesamectl import` through the real program: exit codes, the summary on
 * standard output, warnings on the error output, --json, --dry-run and
 * --establishment.
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

/* No store yet: sesamectl import creates it. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = sesame_test_make_tmpdir ();
  fixture->store_path = g_build_filename (fixture->dir, "store.db", NULL);
}

static char *
aaf_path (const char *name)
{
  g_autofree char *dir = sesame_test_data_path ("aaf");

  return g_build_filename (dir, name, NULL);
}

/* Runs sesamectl --store STORE [--as OPERATOR] ARGS…; an argument starting
 * with "aaf:" names a fixture under tests/data/aaf/. */
static void
run_ctl (Fixture    *fixture,
         Run        *run,
         const char *operator,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  SesameTestCtl ctl = { .store = fixture->store_path, .operator = operator };
  const char *arg;
  va_list ap;

  va_start (ap, operator);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, g_str_has_prefix (arg, "aaf:") ? aaf_path (arg + 4) : g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (args, NULL);
  sesame_test_ctl_runv (&ctl, (const char * const *) args->pdata, run);
}

static JsonObject *
parse_object (const char *text,
              JsonNode  **root)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  *root = json_node_copy (json_parser_get_root (parser));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*root));
  return json_node_get_object (*root);
}

static void
test_json (Fixture       *fixture,
           gconstpointer  data)
{
  Run run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *summary;
  JsonArray *warnings;
  static const char * const members[] = {
    "dry_run", "files", "establishments", "subjects", "pupils", "parents", "staff", "persons_created",
    "persons_updated", "persons_departed", "accounts_created", "warnings", "identifier_files",
  };

  run_ctl (fixture, &run, NULL, "import", "--json", "aaf:college", NULL);
  g_assert_cmpint (run.status, ==, 0);

  /* stdout holds one JSON document and nothing else. */
  summary = parse_object (run.out, &root);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_assert_true (json_object_has_member (summary, members[i]));
  g_assert_false (json_object_get_boolean_member (summary, "dry_run"));
  g_assert_cmpint (json_object_get_int_member (summary, "files"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (summary, "pupils"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (summary, "parents"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (summary, "staff"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (summary, "persons_created"), ==, 14);
  g_assert_cmpint (json_object_get_int_member (summary, "accounts_created"), ==, 14);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (summary, "identifier_files")), ==, 1);
  warnings = json_object_get_array_member (summary, "warnings");
  g_assert_cmpuint (json_array_get_length (warnings), ==, 1);
  g_assert_nonnull (strstr (json_array_get_string_element (warnings, 0), "R299"));

  /* Warnings on the error output, no progress when it is not a terminal. */
  g_assert_nonnull (strstr (run.err, "R299"));
  g_assert_null (strstr (run.err, "\r"));
  sesame_test_run_clear (&run);

  /* The identifier file is there for the next command. */
  run_ctl (fixture, &run, NULL, "files", "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "ENT-Identifiants-0741234A.csv"));
  sesame_test_run_clear (&run);
}

static void
test_text (Fixture       *fixture,
           gconstpointer  data)
{
  Run run = { 0 };

  run_ctl (fixture, &run, NULL, "import", "aaf:college", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "5 files read"));
  g_assert_nonnull (strstr (run.out, "14 accounts created"));
  g_assert_null (strstr (run.out, "R299"));
  g_assert_nonnull (strstr (run.err, "ENT_0741234A_Complet_20240901_Eleve_0000.xml, line "));
  sesame_test_run_clear (&run);

  /* Again: nothing to do. */
  run_ctl (fixture, &run, NULL, "import", "aaf:college", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "0 accounts created"));
  sesame_test_run_clear (&run);
}

static void
test_dry_run (Fixture       *fixture,
              gconstpointer  data)
{
  Run run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) root2 = NULL;
  JsonObject *summary;

  run_ctl (fixture, &run, NULL, "import", "--dry-run", "--json", "aaf:college", NULL);
  g_assert_cmpint (run.status, ==, 0);
  summary = parse_object (run.out, &root);
  g_assert_true (json_object_get_boolean_member (summary, "dry_run"));
  g_assert_cmpint (json_object_get_int_member (summary, "persons_created"), ==, 14);
  sesame_test_run_clear (&run);

  /* Nothing was written: the real import still creates them all. */
  run_ctl (fixture, &run, NULL, "import", "--json", "aaf:college", NULL);
  g_assert_cmpint (run.status, ==, 0);
  summary = parse_object (run.out, &root2);
  g_assert_cmpint (json_object_get_int_member (summary, "persons_created"), ==, 14);
  sesame_test_run_clear (&run);
}

static void
test_establishment (Fixture       *fixture,
                    gconstpointer  data)
{
  Run run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *summary;

  run_ctl (fixture, &run, NULL, "import", "--establishment", "0382222Y", "--json", "aaf:academy", NULL);
  g_assert_cmpint (run.status, ==, 0);
  summary = parse_object (run.out, &root);
  g_assert_cmpint (json_object_get_int_member (summary, "establishments"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (summary, "pupils"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (summary, "parents"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (summary, "staff"), ==, 2);
  sesame_test_run_clear (&run);

  /* An establishment found nowhere: refused. */
  run_ctl (fixture, &run, NULL, "import", "--establishment", "0999999Z", "aaf:academy", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "0999999Z"));
  sesame_test_run_clear (&run);
}

static void
test_exit_codes (Fixture       *fixture,
                 gconstpointer  data)
{
  Run run = { 0 };

  /* 2: a file cut off, named with its line; nothing imported. */
  run_ctl (fixture, &run, NULL, "import", "aaf:college", "aaf:quirks/truncated.xml", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "truncated.xml"));
  g_assert_nonnull (strstr (run.err, "line 59"));
  g_assert_cmpstr (run.out, ==, "");
  sesame_test_run_clear (&run);

  /* 2: bad usage. */
  run_ctl (fixture, &run, NULL, "import", NULL);
  g_assert_cmpint (run.status, ==, 2);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, "import", "aaf:no-such-folder", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "no-such-folder"));
  sesame_test_run_clear (&run);

  /* 0, then 1 for a teacher, who may not import. */
  run_ctl (fixture, &run, NULL, "import", "aaf:college", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, "thierry.blanc", "import", "aaf:college-later", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "passphrase is wrong"));
  sesame_test_run_clear (&run);

  /* The head of establishment may, once she has her passphrase, for her
   * establishment only, and confirms the departures. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SesameStore) store = sesame_store_open (fixture->store_path, &error);

    g_assert_no_error (error);
    sesame_test_enrol_operator (store, "martine.rochat");
  }
  run_ctl (fixture, &run, "martine.rochat", "import", "--accept-departures", "aaf:college-later", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "3 who left"));
  sesame_test_run_clear (&run);

  run_ctl (fixture, &run, NULL, "import", "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "--dry-run"));
  g_assert_nonnull (strstr (run.out, "--establishment"));
  sesame_test_run_clear (&run);
}

/* The state of an account, from `account show --json`. */
static char *
account_state (Fixture    *fixture,
               const char *login)
{
  Run run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *account;
  char *state;

  run_ctl (fixture, &run, NULL, "account", "show", login, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  account = parse_object (run.out, &root);
  state = g_strdup (json_object_get_string_member (account, "state"));
  sesame_test_run_clear (&run);
  return state;
}

static void
test_accept_departures (Fixture       *fixture,
                        gconstpointer  data)
{
  Run run = { 0 };
  g_autofree char *state = NULL;

  run_ctl (fixture, &run, NULL, "import", "aaf:college", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);

  /* Three of the collège's fourteen people would leave: refused, the
   * counts and the way to confirm on the error output, nothing changed. */
  run_ctl (fixture, &run, NULL, "import", "aaf:college-later", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "COLLEGE DU MONT BLANC (0741234A): 3 people of 14"));
  g_assert_nonnull (strstr (run.err, "Nothing was changed"));
  g_assert_nonnull (strstr (run.err, "--accept-departures"));
  sesame_test_run_clear (&run);
  state = account_state (fixture, "chloe.perrin");
  g_assert_cmpstr (state, ==, "pending");
  g_clear_pointer (&state, g_free);

  run_ctl (fixture, &run, NULL, "import", "--accept-departures", "aaf:college-later", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "3 who left"));
  sesame_test_run_clear (&run);
  state = account_state (fixture, "chloe.perrin");
  g_assert_cmpstr (state, ==, "disabled");
  g_clear_pointer (&state, g_free);

  /* The threshold is a setting. */
  run_ctl (fixture, &run, NULL, "settings", "list", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "departure-threshold"));
  sesame_test_run_clear (&run);
  run_ctl (fixture, &run, NULL, "settings", "set", "departure-threshold", "101", NULL);
  g_assert_cmpint (run.status, ==, 2);
  sesame_test_run_clear (&run);

  run_ctl (fixture, &run, NULL, "import", "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "--accept-departures"));
  sesame_test_run_clear (&run);
}

/* Copies a fixture file under another name into the fixture's folder. */
static void
copy_fixture (Fixture    *fixture,
              const char *folder,
              const char *name,
              const char *new_name)
{
  g_autofree char *from = aaf_path (name);
  g_autofree char *dir = g_build_filename (fixture->dir, folder, NULL);
  g_autofree char *to = g_build_filename (dir, new_name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_get_contents (from, &text, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, text, length, &error);
  g_assert_no_error (error);
}

static void
test_incomplete_set (Fixture       *fixture,
                     gconstpointer  data)
{
  Run run = { 0 };
  g_autofree char *folder = g_build_filename (fixture->dir, "later", NULL);
  g_autofree char *state = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *sets;

  run_ctl (fixture, &run, NULL, "import", "aaf:college", NULL);
  g_assert_cmpint (run.status, ==, 0);
  sesame_test_run_clear (&run);

  /* The later export, its pupils' file numbered _0001: chunk _0000 is
   * missing, so Chloé, absent from it, has not left. */
  copy_fixture (fixture, "later", "college-later/ENT_0741234A_Complet_20241001_Eleve_0000.xml",
                "ENT_0741234A_Complet_20241001_Eleve_0001.xml");
  copy_fixture (fixture, "later", "college-later/ENT_0741234A_Complet_20241001_PersRelEleve_0000.xml",
                "ENT_0741234A_Complet_20241001_PersRelEleve_0000.xml");
  copy_fixture (fixture, "later", "college-later/ENT_0741234A_Complet_20241001_PersEducNat_0000.xml",
                "ENT_0741234A_Complet_20241001_PersEducNat_0000.xml");
  run_ctl (fixture, &run, NULL, "import", "--accept-departures", "--json", folder, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "chunks of the complete export ENT_0741234A_Complet_20241001_Eleve are missing: "
                                     "nobody was marked as having left from it"));
  sets = json_object_get_array_member (parse_object (run.out, &root), "incomplete_sets");
  g_assert_cmpuint (json_array_get_length (sets), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (sets, 0), ==, "ENT_0741234A_Complet_20241001_Eleve");
  sesame_test_run_clear (&run);
  state = account_state (fixture, "chloe.perrin");
  g_assert_cmpstr (state, ==, "pending");
}

static void
test_duplicate_keys (Fixture       *fixture,
                     gconstpointer  data)
{
  Run run = { 0 };
  g_autofree char *folder = g_build_filename (fixture->dir, "dup", NULL);
  g_autofree char *parents = g_build_filename (folder, "ENT_0741234A_Complet_20240901_PersRelEleve_0000.xml", NULL);
  g_autofree char *pupils = g_build_filename (folder, "ENT_0741234A_Delta_20240902_Eleve_0000.xml", NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *account;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_set_contents (parents,
                       "<ficAlimMENESR>\n<addRequest>\n"
                       "<operationalAttributes><attr name=\"categoriePersonne\"><value>PersRelEleve</value></attr>"
                       "</operationalAttributes>\n<identifier><id>R500</id></identifier>\n<attributes>\n"
                       "<attr name=\"sn\"><value>ADVERSE</value></attr>\n"
                       "<attr name=\"givenName\"><value>Sophie</value></attr>\n</attributes>\n</addRequest>\n"
                       "</ficAlimMENESR>\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (pupils,
                       "<ficAlimMENESR>\n<addRequest>\n"
                       "<operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr>"
                       "</operationalAttributes>\n<identifier><id>R500</id></identifier>\n<attributes>\n"
                       "<attr name=\"sn\"><value>ADVERSE</value></attr>\n"
                       "<attr name=\"givenName\"><value>Paul</value></attr>\n</attributes>\n</addRequest>\n"
                       "<deleteRequest>\n"
                       "<operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr>"
                       "</operationalAttributes>\n<identifier><id>Z1</id></identifier>\n</deleteRequest>\n"
                       "<modifyRequest>\n"
                       "<operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr>"
                       "</operationalAttributes>\n<identifier><id>Z2</id></identifier>\n<modifications>\n"
                       "<modification name=\"sn\" operation=\"replace\"><value>INCONNU</value></modification>\n"
                       "<modification name=\"givenName\" operation=\"replace\"><value>Zoé</value></modification>\n"
                       "</modifications>\n</modifyRequest>\n"
                       "</ficAlimMENESR>\n", -1, &error);
  g_assert_no_error (error);

  run_ctl (fixture, &run, NULL, "import", folder, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "warning: ENT_0741234A_Delta_20240902_Eleve_0000.xml, line 2: Paul ADVERSE (pupil) "
                                     "has the key R500, already that of Sophie ADVERSE (parent) read in "
                                     "ENT_0741234A_Complet_20240901_PersRelEleve_0000.xml, line 2"));
  g_assert_nonnull (strstr (run.err, "line 10: a deleteRequest names the key Z1"));
  g_assert_nonnull (strstr (run.err, "line 14: a modifyRequest for Zoé INCONNU (pupil, key Z2)"));
  g_assert_nonnull (strstr (run.out, "0 pupils, 1 parent,"));
  g_assert_nonnull (strstr (run.out, "1 account created"));
  sesame_test_run_clear (&run);

  run_ctl (fixture, &run, NULL, "account", "show", "sophie.adverse", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  account = parse_object (run.out, &root);
  g_assert_cmpstr (json_object_get_string_member (account, "profile"), ==, "parent");
  sesame_test_run_clear (&run);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, sesame_test_fixture_tear_down)
  ADD ("/sesame/cli-import/json", test_json);
  ADD ("/sesame/cli-import/text", test_text);
  ADD ("/sesame/cli-import/dry-run", test_dry_run);
  ADD ("/sesame/cli-import/establishment", test_establishment);
  ADD ("/sesame/cli-import/exit-codes", test_exit_codes);
  ADD ("/sesame/cli-import/accept-departures", test_accept_departures);
  ADD ("/sesame/cli-import/incomplete-set", test_incomplete_set);
  ADD ("/sesame/cli-import/duplicate-keys", test_duplicate_keys);
#undef ADD

  return g_test_run ();
}

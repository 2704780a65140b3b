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
#include "sesame-test-util.h"

typedef struct
{
  char *dir;
  char *store_path;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = sesame_test_make_tmpdir ();
  fixture->store_path = g_build_filename (fixture->dir, "store.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  sesame_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->store_path);
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
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *ctl = g_getenv ("SESAMECTL");
  const char *arg;
  va_list args;

  g_assert_nonnull (ctl);
  g_ptr_array_add (argv, g_strdup (ctl));
  g_ptr_array_add (argv, g_strdup ("--store"));
  g_ptr_array_add (argv, g_strdup (fixture->store_path));
  if (operator != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--as"));
      g_ptr_array_add (argv, g_strdup (operator));
    }
  va_start (args, operator);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_str_has_prefix (arg, "aaf:") ? aaf_path (arg + 4) : g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
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
  run_clear (&run);

  /* The identifier file is there for the next command. */
  run_ctl (fixture, &run, NULL, "files", "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "ENT-Identifiants-0741234A.csv"));
  run_clear (&run);
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
  run_clear (&run);

  /* Again: nothing to do. */
  run_ctl (fixture, &run, NULL, "import", "aaf:college", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "0 accounts created"));
  run_clear (&run);
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
  run_clear (&run);

  /* Nothing was written: the real import still creates them all. */
  run_ctl (fixture, &run, NULL, "import", "--json", "aaf:college", NULL);
  g_assert_cmpint (run.status, ==, 0);
  summary = parse_object (run.out, &root2);
  g_assert_cmpint (json_object_get_int_member (summary, "persons_created"), ==, 14);
  run_clear (&run);
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
  run_clear (&run);

  /* An establishment found nowhere: refused. */
  run_ctl (fixture, &run, NULL, "import", "--establishment", "0999999Z", "aaf:academy", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "0999999Z"));
  run_clear (&run);
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
  run_clear (&run);

  /* 2: bad usage. */
  run_ctl (fixture, &run, NULL, "import", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  run_ctl (fixture, &run, NULL, "import", "aaf:no-such-folder", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "no-such-folder"));
  run_clear (&run);

  /* 0, then 1 for a teacher, who may not import. */
  run_ctl (fixture, &run, NULL, "import", "aaf:college", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_ctl (fixture, &run, "thierry.blanc", "import", "aaf:college-later", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "administrator"));
  run_clear (&run);

  /* The head of establishment may, for her establishment only (a parent
   * left without children waits for an import of the whole set). */
  run_ctl (fixture, &run, "martine.rochat", "import", "aaf:college-later", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "2 who left"));
  run_clear (&run);

  run_ctl (fixture, &run, NULL, "import", "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "--dry-run"));
  g_assert_nonnull (strstr (run.out, "--establishment"));
  run_clear (&run);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sesame/cli-import/json", test_json);
  ADD ("/sesame/cli-import/text", test_text);
  ADD ("/sesame/cli-import/dry-run", test_dry_run);
  ADD ("/sesame/cli-import/establishment", test_establishment);
  ADD ("/sesame/cli-import/exit-codes", test_exit_codes);
#undef ADD

  return g_test_run ();
}
